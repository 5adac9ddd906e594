"""Django admin for the core, scoped to the satker of a non-superuser staff account.

Entries, the month's stage, the working calendar and acting appointments are read-only here: they change only
through the services, which hold the month locks and write the audit rows (the app's own pages call them).
"""

from django.contrib import admin
from django.db.models import Q

from silabu.policy import pegawai_of

from . import models


class ReadOnlyMixin:
    """To look at, not to edit: the model changes only through its services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SatkerScopedAdmin(admin.ModelAdmin):
    satker_path = "satker"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        pegawai = pegawai_of(request.user)
        if pegawai is None:
            return qs.none()
        return qs.filter(**{self.satker_path: pegawai.satker_id})


@admin.register(models.Satker)
class SatkerAdmin(admin.ModelAdmin):
    list_display = ["nama", "kode", "kota", "zona_waktu"]
    search_fields = ["nama", "kode"]
    raw_id_fields = ["sekretaris"]


@admin.register(models.Subbagian)
class SubbagianAdmin(SatkerScopedAdmin):
    list_display = ["nama", "singkatan", "satker", "is_rendatin", "kasubag"]
    list_filter = ["satker"]
    raw_id_fields = ["kasubag"]


@admin.register(models.Pegawai)
class PegawaiAdmin(SatkerScopedAdmin):
    list_display = ["nama", "nip", "jabatan", "subbagian", "status", "aktif"]
    list_filter = ["satker", "subbagian", "status", "aktif", "is_admin", "is_pimpinan"]
    search_fields = ["nama", "nip", "user__username"]
    raw_id_fields = ["user"]
    list_select_related = ["subbagian"]


@admin.register(models.PenjabatSementara)
class PenjabatSementaraAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["pegawai", "jenis", "subbagian", "mulai", "selesai", "nomor_sk"]
    list_filter = ["satker", "jenis"]
    raw_id_fields = ["pegawai"]


@admin.register(models.KodeOutput)
class KodeOutputAdmin(SatkerScopedAdmin):
    list_display = ["kode", "uraian", "tahun", "level", "satker", "subbagian", "aktif"]
    list_filter = ["tahun", "level", "aktif", "satker"]
    search_fields = ["kode", "uraian"]
    raw_id_fields = ["parent"]

    def get_queryset(self, request):
        # Shared codes (no satker) are visible to every satker, but only a superuser changes them.
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        pegawai = pegawai_of(request.user)
        if pegawai is None:
            return qs.none()
        return qs.filter(Q(satker_id=pegawai.satker_id) | Q(satker__isnull=True))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.satker_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A code used by an entry is never deleted (PROTECT); deactivate it instead.
        if obj is not None and (
            obj.entri_set.exists() or (obj.satker_id is None and not request.user.is_superuser)
        ):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.HariLibur)
class HariLiburAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["tanggal", "nama", "jenis", "satker"]
    list_filter = ["satker", "jenis"]
    date_hierarchy = "tanggal"


@admin.register(models.Ketidakhadiran)
class KetidakhadiranAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    satker_path = "pegawai__satker"
    list_display = ["pegawai", "jenis", "mulai", "selesai"]
    list_filter = ["jenis"]
    raw_id_fields = ["pegawai"]
    date_hierarchy = "mulai"


@admin.register(models.Periode)
class PeriodeAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["satker", "tahun", "bulan", "tahap", "diubah"]
    list_filter = ["satker", "tahap"]


class BuktiInline(admin.TabularInline):
    model = models.BuktiDukung
    extra = 0
    can_delete = False
    readonly_fields = ["jenis", "nama_asli", "content_type", "ukuran", "sha256", "waktu_ambil"]
    exclude = ["berkas", "thumbnail", "lebar", "tinggi"]


@admin.register(models.EntriKinerja)
class EntriKinerjaAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["tanggal", "pegawai", "kode_output", "nama_kegiatan", "status", "filled_late"]
    list_filter = ["satker", "status", "filled_late"]
    search_fields = ["nama_kegiatan", "pegawai__nama", "pegawai__nip"]
    date_hierarchy = "tanggal"
    list_select_related = ["pegawai", "kode_output"]
    inlines = [BuktiInline]


@admin.register(models.AuditLog)
class AuditLogAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["waktu", "actor", "action", "dari", "ke", "content_type", "object_id"]
    list_filter = ["action"]


@admin.register(models.Pemberitahuan)
class PemberitahuanAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["dibuat", "pegawai", "jenis", "kunci", "dibaca_pada"]
    list_filter = ["jenis"]
    search_fields = ["pegawai__nama", "pegawai__nip", "kunci"]
    list_select_related = ["pegawai"]
    date_hierarchy = "dibuat"


@admin.register(models.MutuBaku)
class MutuBakuAdmin(admin.ModelAdmin):
    """The SOPs' standard times: the defaults and a satker's own, edited by superusers (data every satker's
    board and measurement pages time their steps against). The steps themselves are fixed by the migration;
    a default is never deleted, a satker's own standard may be, which restores the default for it."""

    list_display = ["sop", "langkah", "kegiatan", "satker", "label", "pelaksana", "output"]
    list_filter = ["sop", "satker"]
    list_select_related = ["satker"]
    fields = ["satker", "sop", "langkah", "kegiatan", "pelaksana", "waktu", "satuan", "output"]

    @admin.display(description="waktu")
    def label(self, obj):
        return obj.label

    def get_readonly_fields(self, request, obj=None):
        return ["satker", "sop", "langkah"] if obj is not None else []

    def has_add_permission(self, request):
        return request.user.is_superuser  # a satker's own standard for a step

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or obj.satker_id is not None)
