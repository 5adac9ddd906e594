"""The framework pages' URLs; rekap/pengukuran/urls.py adds them to the "pengukuran" namespace."""

from django.urls import path

from .views import kerangka as v

urlpatterns = [
    path("kerangka/", v.kerangka_view, name="kerangka"),
    path("kerangka/salin/", v.kerangka_salin, name="kerangka_salin"),
    path("kerangka/impor/", v.kerangka_impor, name="kerangka_impor"),
    path("kerangka/templat/", v.kerangka_templat, name="kerangka_templat"),
    path("kerangka/sasaran/tambah/", v.sasaran_create, name="kerangka_sasaran_tambah"),
    path(
        "kerangka/sasaran/<int:pk>/ubah/",
        v.kelompok_update,
        {"kind": "sasaran"},
        name="kerangka_sasaran_ubah",
    ),
    path(
        "kerangka/sasaran/<int:pk>/hapus/",
        v.kelompok_delete,
        {"kind": "sasaran"},
        name="kerangka_sasaran_hapus",
    ),
    path("kerangka/sasaran/<int:pk>/program/tambah/", v.program_create, name="kerangka_program_tambah"),
    path(
        "kerangka/program/<int:pk>/ubah/",
        v.kelompok_update,
        {"kind": "program"},
        name="kerangka_program_ubah",
    ),
    path(
        "kerangka/program/<int:pk>/hapus/",
        v.kelompok_delete,
        {"kind": "program"},
        name="kerangka_program_hapus",
    ),
    path("kerangka/program/<int:pk>/kegiatan/tambah/", v.kegiatan_create, name="kerangka_kegiatan_tambah"),
    path(
        "kerangka/kegiatan/<int:pk>/ubah/",
        v.kelompok_update,
        {"kind": "kegiatan"},
        name="kerangka_kegiatan_ubah",
    ),
    path(
        "kerangka/kegiatan/<int:pk>/hapus/",
        v.kelompok_delete,
        {"kind": "kegiatan"},
        name="kerangka_kegiatan_hapus",
    ),
    path(
        "kerangka/kegiatan/<int:pk>/indikator/tambah/", v.indikator_create, name="kerangka_indikator_tambah"
    ),
    path("kerangka/indikator/<int:pk>/", v.indikator_detail, name="kerangka_indikator"),
    path("kerangka/indikator/<int:pk>/ubah/", v.indikator_update, name="kerangka_indikator_ubah"),
    path("kerangka/indikator/<int:pk>/aktif/", v.indikator_toggle, name="kerangka_indikator_aktif"),
    path("kerangka/indikator/<int:pk>/hapus/", v.indikator_delete, name="kerangka_indikator_hapus"),
]
