"""The Admin's working-calendar pages; kinerja/urls.py adds these to the `kinerja:` namespace."""

from django.urls import path

from .views import kalender, ketidakhadiran, penjabat

urlpatterns = [
    path("hari-libur/", kalender.hari_libur_list, name="hari_libur_list"),
    path("hari-libur/tambah/", kalender.hari_libur_create, name="hari_libur_create"),
    path("hari-libur/isi-nasional/", kalender.hari_libur_seed, name="hari_libur_seed"),
    path("hari-libur/<int:pk>/ubah/", kalender.hari_libur_update, name="hari_libur_update"),
    path("hari-libur/<int:pk>/hapus/", kalender.hari_libur_delete, name="hari_libur_delete"),
    path("ketidakhadiran/", ketidakhadiran.ketidakhadiran_list, name="ketidakhadiran_list"),
    path("ketidakhadiran/tambah/", ketidakhadiran.ketidakhadiran_create, name="ketidakhadiran_create"),
    path(
        "ketidakhadiran/<int:pk>/hapus/", ketidakhadiran.ketidakhadiran_delete, name="ketidakhadiran_delete"
    ),
    path("penjabat/", penjabat.penjabat_list, name="penjabat_list"),
    path("penjabat/tambah/", penjabat.penjabat_create, name="penjabat_create"),
    path("penjabat/<int:pk>/hapus/", penjabat.penjabat_delete, name="penjabat_delete"),
]
