"""Rendatin's records in the admin: to look at, not to edit. A month is compiled, its plenary recorded and
finalised only through rekap.services, with their locks and audit rows; the admin cannot bypass them.
"""

from django.contrib import admin

from kinerja.admin_base import ReadOnlyMixin, SatkerScopedAdmin

from .models import CatatanPleno, RapatPleno, RekapBulanan


@admin.register(RekapBulanan)
class RekapBulananAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = [
        "tahun",
        "bulan",
        "satker",
        "jumlah_pegawai",
        "jumlah_terverifikasi",
        "jumlah_entri",
        "dihimpun_oleh",
        "dihimpun_pada",
    ]
    list_filter = ["satker", "tahun"]
    list_select_related = ["satker", "dihimpun_oleh"]
    # The snapshot can be large (every entry of the month): neither the list nor the page loads it.
    exclude = ["data"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")


class CatatanPlenoInline(ReadOnlyMixin, admin.TabularInline):
    model = CatatanPleno
    fields = ["urutan", "subbagian_nama", "kode_output", "catatan", "koreksi"]
    extra = 0


@admin.register(RapatPleno)
class RapatPlenoAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "rekap__satker"
    list_display = ["rekap", "tanggal", "tempat", "pimpinan_rapat", "difinalisasi_pada"]
    list_filter = ["rekap__satker", "rekap__tahun"]
    list_select_related = ["rekap__satker", "pimpinan_rapat"]
    inlines = [CatatanPlenoInline]
