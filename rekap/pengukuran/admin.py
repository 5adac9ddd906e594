"""The measurement records in the admin.

Editable, through rekap.pengukuran.services.skala (checked and audited): each satker's category scale (the
SOPs' standard times are kinerja's MutuBaku, in kinerja's admin).
Everything else is to look at, not to edit: the framework changes through rekap.pengukuran.kerangka (its rules
and audit rows), a measurement only through rekap.pengukuran.services (guards, locks, audit), and a decided
version is an immutable record.
"""

from django.contrib import admin

from kinerja.admin_base import ReadOnlyMixin, SatkerScopedAdmin, ServiceAdmin

from .models import (
    BarisPengukuran,
    FormDataKinerja,
    Indikator,
    Kegiatan,
    LangkahPengukuran,
    Pengukuran,
    Program,
    Sasaran,
    SkalaKategori,
    TargetPeriode,
    VersiPengukuran,
)
from .services import skala


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


@admin.register(SkalaKategori)
class SkalaKategoriAdmin(ServiceAdmin):
    list_display = ["satker", "nama", "minimum"]
    list_filter = ["satker"]
    ordering = ["satker", "-minimum"]

    def service_create(self, request, data):
        return skala.skala_create(data=data, by=request.user)

    def service_update(self, request, obj, data):
        return skala.skala_update(skala=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        skala.skala_delete(skala=obj, by=request.user)


class ProgramInline(ReadOnlyInline):
    model = Program
    fields = ["kode", "uraian", "urutan"]


@admin.register(Sasaran)
class SasaranAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["kode", "uraian", "tahun", "satker"]
    list_filter = ["satker", "tahun"]
    search_fields = ["kode", "uraian"]
    list_select_related = ["satker"]
    inlines = [ProgramInline]


class KegiatanInline(ReadOnlyInline):
    model = Kegiatan
    fields = ["kode", "uraian", "urutan"]


@admin.register(Program)
class ProgramAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "sasaran__satker"
    list_display = ["kode", "uraian", "sasaran"]
    list_filter = ["sasaran__satker", "sasaran__tahun"]
    search_fields = ["kode", "uraian"]
    list_select_related = ["sasaran"]
    inlines = [KegiatanInline]


class IndikatorInline(ReadOnlyInline):
    model = Indikator
    fields = ["kode", "uraian", "satuan", "arah", "target_tahunan", "target_bawah", "target_atas", "aktif"]


@admin.register(Kegiatan)
class KegiatanAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "program__sasaran__satker"
    list_display = ["kode", "uraian", "program"]
    list_filter = ["program__sasaran__satker", "program__sasaran__tahun"]
    search_fields = ["kode", "uraian"]
    list_select_related = ["program"]
    inlines = [IndikatorInline]


class TargetPeriodeInline(ReadOnlyInline):
    model = TargetPeriode
    fields = ["jenis_periode", "nomor", "target", "target_bawah", "target_atas"]


@admin.register(Indikator)
class IndikatorAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "kegiatan__program__sasaran__satker"
    list_display = [
        "kode",
        "uraian",
        "satuan",
        "arah",
        "jenis_target",
        "subbagian",
        "aturan_realisasi",
        "aktif",
    ]
    list_filter = ["kegiatan__program__sasaran__satker", "kegiatan__program__sasaran__tahun", "aktif", "arah"]
    search_fields = ["kode", "uraian"]
    list_select_related = ["subbagian"]
    inlines = [TargetPeriodeInline]


class LangkahInline(ReadOnlyInline):
    model = LangkahPengukuran
    fields = ["langkah", "versi", "mulai", "selesai", "oleh", "catatan"]


class FormInline(ReadOnlyInline):
    model = FormDataKinerja
    fields = ["subbagian", "diterbitkan_pada", "diterbitkan_oleh", "diserahkan_pada", "diserahkan_oleh"]


@admin.register(Pengukuran)
class PengukuranAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["__str__", "tahun", "jenis_periode", "nomor", "tahap", "versi", "diubah"]
    list_filter = ["satker", "tahun", "jenis_periode", "tahap"]
    list_select_related = ["satker"]
    inlines = [LangkahInline, FormInline]


@admin.register(TargetPeriode)
class TargetPeriodeAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "indikator__kegiatan__program__sasaran__satker"
    list_display = ["indikator", "jenis_periode", "nomor", "target", "target_bawah", "target_atas"]
    list_filter = ["indikator__kegiatan__program__sasaran__satker", "jenis_periode"]
    search_fields = ["indikator__kode"]
    list_select_related = ["indikator"]


@admin.register(LangkahPengukuran)
class LangkahPengukuranAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "pengukuran__satker"
    list_display = ["pengukuran", "langkah", "versi", "mulai", "selesai", "oleh"]
    list_filter = ["pengukuran__satker", "langkah"]
    list_select_related = ["pengukuran__satker", "oleh"]


@admin.register(FormDataKinerja)
class FormDataKinerjaAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "pengukuran__satker"
    list_display = ["pengukuran", "subbagian", "diterbitkan_pada", "diserahkan_pada", "diserahkan_oleh"]
    list_filter = ["pengukuran__satker"]
    list_select_related = ["pengukuran__satker", "subbagian", "diserahkan_oleh"]


@admin.register(BarisPengukuran)
class BarisPengukuranAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "pengukuran__satker"
    list_display = [
        "indikator_kode",
        "pengukuran",
        "target",
        "realisasi",
        "capaian",
        "capaian_manual",
        "kategori",
    ]
    list_filter = ["pengukuran__satker", "pengukuran__tahun", "kategori"]
    search_fields = ["indikator_kode", "indikator_uraian"]
    list_select_related = ["pengukuran__satker"]


@admin.register(VersiPengukuran)
class VersiPengukuranAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "pengukuran__satker"
    list_display = ["pengukuran", "versi", "keputusan", "oleh", "pada"]
    list_filter = ["pengukuran__satker", "keputusan"]
    list_select_related = ["pengukuran__satker", "oleh"]
    # The version's data can be large (every row as it was): the list never loads it.

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")
