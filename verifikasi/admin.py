from django.contrib import admin

from kinerja.admin_base import ReadOnlyMixin, SatkerScopedAdmin

from .models import LaporanBulanan


@admin.register(LaporanBulanan)
class LaporanBulananAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    """Read-only: a month is verified or reopened only through the services, with their locks and audit rows."""

    list_display = [
        "pegawai",
        "tahun",
        "bulan",
        "status",
        "verifikator",
        "verifikator_acting",
        "diverifikasi_pada",
    ]
    list_filter = ["satker", "tahun", "bulan", "status"]
    search_fields = ["pegawai__nama", "pegawai__nip"]
    list_select_related = ["pegawai", "verifikator"]
