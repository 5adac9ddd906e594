from django.urls import path

from . import urls_kalender
from .views import antrean, audit, dokumen, entries, evidence, master, months, notices

app_name = "kinerja"

urlpatterns = [
    path("entri/", entries.entri_list, name="entri_list"),
    path("entri/tambah/", entries.entri_create, name="entri_create"),
    path("entri/<int:pk>/", entries.entri_detail, name="entri_detail"),
    path("entri/<int:pk>/ubah/", entries.entri_update, name="entri_update"),
    path("entri/<int:pk>/hapus/", entries.entri_delete, name="entri_delete"),
    path("antrean/", antrean.halaman, name="antrean"),
    path("antrean/sesi/", antrean.sesi, name="antrean_sesi"),
    path("bukti/<int:pk>/", evidence.bukti_file, name="bukti_file"),
    path("bukti/<int:pk>/thumb/", evidence.bukti_thumb, name="bukti_thumb"),
    path("bulan/", months.bulan_saya, name="bulan_saya_now"),
    path("bulan/<int:year>/<int:month>/", months.bulan_saya, name="bulan_saya"),
    path("kode-output/cari/", entries.kode_output_search, name="kode_output_search"),
    path("kode-output/", master.kode_output_list, name="kode_output_list"),
    path("kode-output/impor/", master.kode_output_import, name="kode_output_import"),
    path("kode-output/<int:pk>/aktif/", master.kode_output_toggle, name="kode_output_toggle"),
    path("pegawai/", master.pegawai_list, name="pegawai_list"),
    path("pegawai/impor/", master.pegawai_import, name="pegawai_import"),
    path("pegawai/<int:pk>/reset-sandi/", master.pegawai_reset_password, name="pegawai_reset_password"),
    path("pemberitahuan/<int:pk>/dibaca/", notices.notice_read, name="notice_read"),
    path("dokumen/<int:pk>/", dokumen.dokumen_detail, name="dokumen"),
    path("dokumen/<int:pk>/unduh/", dokumen.dokumen_unduh, name="dokumen_unduh"),
    path("dokumen/<int:pk>/ulang/", dokumen.dokumen_ulang, name="dokumen_ulang"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/unduh.xlsx", audit.audit_xlsx, name="audit_xlsx"),
    path("audit/<slug:app_label>/<slug:model>/<int:pk>/", audit.audit_object, name="audit_object"),
] + urls_kalender.urlpatterns
