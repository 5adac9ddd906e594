"""Django admin for the core, scoped to the satker of a non-superuser staff account.

Every change made here is a service's change (kinerja.admin_base.ServiceAdmin): master data through
kinerja.master_services, the calendar and acting heads through kinerja.kalender_services, with their month
locks and audit rows. Entries, the month's stage, the audit trail and notices are read-only.
"""

from django.contrib import admin
from django.db.models import Q

from silabu import policy

from . import kalender_services, master_services, models
from .admin_base import ReadOnlyMixin, SatkerScopedAdmin, ServiceAdmin
from .errors import DomainError

__all__ = ["ReadOnlyMixin", "SatkerScopedAdmin", "ServiceAdmin"]


def _pegawai(request):
    """The Pegawai the calendar services check a staff account against; None for a superuser (every satker)."""
    return None if request.user.is_superuser else policy.pegawai_of(request.user)


@admin.register(models.Satker)
class SatkerAdmin(ServiceAdmin):
    """A superuser adds a satker; its own staff account changes its settings. A satker is never deleted here
    (its people, entries and documents would go with it)."""

    satker_path = "pk"
    list_display = ["nama", "kode", "kota", "zona_waktu"]
    search_fields = ["nama", "kode"]
    raw_id_fields = ["sekretaris"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=policy.admin_satker_id(request.user))

    def get_readonly_fields(self, request, obj=None):
        return ["kode"] if obj is not None else []

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def _check_scope(self, request, obj) -> None:
        if obj.pk is None and not request.user.is_superuser:
            raise DomainError("Hanya superuser yang menambah satker.")
        if obj.pk is not None:
            super()._check_scope(request, obj)

    def service_create(self, request, data):
        return master_services.satker_create(data=data, by=request.user)

    def service_update(self, request, obj, data):
        return master_services.satker_update(satker=obj, data=data, by=request.user)


@admin.register(models.Subbagian)
class SubbagianAdmin(ServiceAdmin):
    list_display = ["nama", "singkatan", "satker", "is_rendatin", "kasubag"]
    list_filter = ["satker"]
    raw_id_fields = ["kasubag"]

    def service_create(self, request, data):
        return master_services.subbagian_create(data=data, by=request.user)

    def service_update(self, request, obj, data):
        return master_services.subbagian_update(subbagian=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        master_services.subbagian_delete(subbagian=obj, by=request.user)


@admin.register(models.Pegawai)
class PegawaiAdmin(ServiceAdmin):
    """People are added by the staff import (with their accounts) and never deleted (deactivate instead)."""

    list_display = ["nama", "nip", "jabatan", "subbagian", "status", "aktif"]
    list_filter = ["satker", "subbagian", "status", "aktif", "is_admin", "is_pimpinan"]
    search_fields = ["nama", "nip", "user__username"]
    raw_id_fields = ["user"]
    list_select_related = ["subbagian"]
    readonly_fields = ["user", "satker"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def service_update(self, request, obj, data):
        return master_services.pegawai_update(pegawai=obj, data=data, by=request.user)


@admin.register(models.PenjabatSementara)
class PenjabatSementaraAdmin(ServiceAdmin):
    """Appointed and withdrawn through kinerja.kalender_services; a wrong appointment is withdrawn and made
    again, never changed in place."""

    list_display = ["pegawai", "jenis", "subbagian", "mulai", "selesai", "nomor_sk"]
    list_filter = ["satker", "jenis"]
    raw_id_fields = ["pegawai"]

    def has_change_permission(self, request, obj=None):
        return False

    def service_create(self, request, data):
        return kalender_services.penjabat_add(
            satker=data["satker"],
            subbagian=data.get("subbagian"),
            pegawai=data["pegawai"],
            jenis=data["jenis"],
            mulai=data["mulai"],
            selesai=data["selesai"],
            nomor_sk=data.get("nomor_sk", ""),
            by=_pegawai(request),
            user=request.user,
        )

    def service_delete(self, request, obj):
        kalender_services.penjabat_delete(row=obj, by=_pegawai(request), user=request.user)


@admin.register(models.KodeOutput)
class KodeOutputAdmin(ServiceAdmin):
    list_display = ["kode", "uraian", "tahun", "level", "satker", "subbagian", "aktif"]
    list_filter = ["tahun", "level", "aktif", "satker"]
    search_fields = ["kode", "uraian"]
    raw_id_fields = ["parent"]

    def get_queryset(self, request):
        # Shared codes (no satker) are visible to every satker, but only a superuser changes them.
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        satker_id = policy.admin_satker_id(request.user)
        if satker_id is None:
            return qs.none()
        return qs.filter(Q(satker_id=satker_id) | Q(satker__isnull=True))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not policy.can_administer_satker(request.user, obj.satker_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A code used by an entry is never deleted (PROTECT); deactivate it instead.
        if obj is not None and (
            obj.entri_set.exists() or not policy.can_administer_satker(request.user, obj.satker_id)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def service_create(self, request, data):
        return master_services.kode_output_create(data=data, by=request.user)

    def service_update(self, request, obj, data):
        return master_services.kode_output_update(kode=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        master_services.kode_output_delete(kode=obj, by=request.user)


@admin.register(models.HariLibur)
class HariLiburAdmin(ServiceAdmin):
    """Through kinerja.kalender_services: refused inside a compiled month, audited. The date of a holiday
    stays (a wrong date is deleted and added again)."""

    list_display = ["tanggal", "nama", "jenis", "satker"]
    list_filter = ["satker", "jenis"]
    date_hierarchy = "tanggal"

    def get_readonly_fields(self, request, obj=None):
        return ["satker", "tanggal"] if obj is not None else []

    def service_create(self, request, data):
        return kalender_services.hari_libur_add(
            satker=data["satker"],
            tanggal=data["tanggal"],
            nama=data["nama"],
            jenis=data["jenis"],
            by=_pegawai(request),
            user=request.user,
        )

    def service_update(self, request, obj, data):
        return kalender_services.hari_libur_update(
            libur=obj,
            nama=data.get("nama", obj.nama),
            jenis=data.get("jenis", obj.jenis),
            by=_pegawai(request),
            user=request.user,
        )

    def service_delete(self, request, obj):
        kalender_services.hari_libur_delete(libur=obj, by=_pegawai(request), user=request.user)


@admin.register(models.Ketidakhadiran)
class KetidakhadiranAdmin(ServiceAdmin):
    """Through kinerja.kalender_services: refused inside a compiled month, audited. A wrong leave is deleted
    and recorded again, never changed in place."""

    satker_path = "pegawai__satker"
    list_display = ["pegawai", "jenis", "mulai", "selesai"]
    list_filter = ["jenis"]
    raw_id_fields = ["pegawai"]
    date_hierarchy = "mulai"

    def has_change_permission(self, request, obj=None):
        return False

    def service_create(self, request, data):
        return kalender_services.ketidakhadiran_add(
            pegawai=data["pegawai"],
            jenis=data["jenis"],
            mulai=data["mulai"],
            selesai=data["selesai"],
            keterangan=data.get("keterangan", ""),
            by=_pegawai(request),
            user=request.user,
        )

    def service_delete(self, request, obj):
        kalender_services.ketidakhadiran_delete(row=obj, by=_pegawai(request), user=request.user)


@admin.register(models.Periode)
class PeriodeAdmin(ReadOnlyMixin, SatkerScopedAdmin):
    list_display = ["satker", "tahun", "bulan", "tahap", "diubah"]
    list_filter = ["satker", "tahap"]


class BuktiInline(ReadOnlyMixin, admin.TabularInline):
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
class MutuBakuAdmin(ServiceAdmin):
    """The SOPs' standard times: the defaults and a satker's own, edited by superusers through
    kinerja.master_services (data every satker's board and measurement pages time their steps against). The
    steps themselves are fixed by the migration; a default is never deleted, a satker's own standard may be,
    which restores the default for it."""

    list_display = ["sop", "langkah", "kegiatan", "satker", "label", "pelaksana", "output"]
    list_filter = ["sop", "satker"]
    list_select_related = ["satker"]
    fields = ["satker", "sop", "langkah", "kegiatan", "pelaksana", "waktu", "satuan", "output"]

    @admin.display(description="waktu")
    def label(self, obj):
        return obj.label

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)  # the defaults are every satker's

    def get_readonly_fields(self, request, obj=None):
        return ["satker", "sop", "langkah"] if obj is not None else []

    def has_add_permission(self, request):
        return request.user.is_superuser  # a satker's own standard for a step

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or obj.satker_id is not None)

    def service_create(self, request, data):
        return master_services.mutu_baku_create(data=data, by=request.user)

    def service_update(self, request, obj, data):
        return master_services.mutu_baku_update(mutu=obj, data=data, by=request.user)

    def service_delete(self, request, obj):
        master_services.mutu_baku_delete(mutu=obj, by=request.user)
