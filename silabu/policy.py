"""Every authorisation decision of SILABU, in one place.

Views, templates (through the `can` filter) and querysets ask these functions; none of them decides alone.
Objects outside a user's reach are reported as missing (404) by the views' fetch helpers, so a user never
learns that another person's entry exists.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.http import Http404

from kinerja.models import BuktiDukung, EntriKinerja, KodeOutput, Pegawai, Role, Subbagian
from kinerja.organisasi import is_acting, supervisees, verifier_for
from kinerja.services import entri_edit_block_reason
from verifikasi.models import LaporanBulanan


def pegawai_of(user) -> Pegawai | None:
    """The Pegawai behind a signed-in user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_silabu_pegawai"):
        user._silabu_pegawai = Pegawai.objects.with_org().filter(user=user, aktif=True).first()
    return user._silabu_pegawai


def has_role(user, role: str) -> bool:
    pegawai = pegawai_of(user)
    return pegawai is not None and pegawai.has_role(role)


def _sees_whole_satker(pegawai: Pegawai) -> bool:
    return pegawai.has_role(Role.SEKRETARIS) or pegawai.has_role(Role.RENDATIN)


# --- entries and evidence ----------------------------------------------------------------------------------


def visible_entri(user) -> QuerySet[EntriKinerja]:
    """The entries a user may read: their own, those of the people they verify, the whole satker for
    the Sekretaris and Rendatin."""
    pegawai = pegawai_of(user)
    if pegawai is None:
        return EntriKinerja.objects.none()
    qs = EntriKinerja.objects.filter(satker_id=pegawai.satker_id)
    if _sees_whole_satker(pegawai):
        return qs
    if pegawai.has_role(Role.KASUBAG) or _is_acting(pegawai):
        ids = supervisees(pegawai, pegawai.satker.today()).values("pk")
        return qs.filter(Q(pegawai=pegawai) | Q(pegawai_id__in=ids))
    return qs.filter(pegawai=pegawai)


def _is_acting(pegawai: Pegawai) -> bool:
    return is_acting(pegawai, pegawai.satker.today())


def can_view_entri(user, entri: EntriKinerja) -> bool:
    pegawai = pegawai_of(user)
    if pegawai is None or entri.satker_id != pegawai.satker_id:
        return False
    if entri.pegawai_id == pegawai.pk or _sees_whole_satker(pegawai):
        return True
    return visible_entri(user).filter(pk=entri.pk).exists()


def can_create_entri(user) -> bool:
    return has_role(user, Role.ASN)


def can_edit_entri(user, entri: EntriKinerja) -> bool:
    """Only the owner, and only while the rules of the month and the entry's decision allow it."""
    pegawai = pegawai_of(user)
    return (
        pegawai is not None
        and entri.pegawai_id == pegawai.pk
        and pegawai.has_role(Role.ASN)
        and entri_edit_block_reason(entri) is None
    )


def can_view_bukti(user, bukti: BuktiDukung) -> bool:
    return can_view_entri(user, bukti.entri)


# --- month-end verification ------------------------------------------------------------------------------


def can_verify(user, pegawai: Pegawai, on=None) -> bool:
    """Whether this user decides on the entries of `pegawai`'s month now (holder or acting head)."""
    me = pegawai_of(user)
    if me is None or pegawai.satker_id != me.satker_id or pegawai.pk == me.pk:
        return False
    verifier = verifier_for(pegawai, on or me.satker.today()).pegawai
    return verifier is not None and verifier.pk == me.pk


def can_view_laporan(user, pegawai: Pegawai) -> bool:
    """The review page of a person's month: their verifier, or the Sekretaris and Rendatin (read-only)."""
    me = pegawai_of(user)
    if me is None or pegawai.satker_id != me.satker_id or pegawai.pk == me.pk:
        return False
    return _sees_whole_satker(me) or can_verify(user, pegawai)


def can_reopen_laporan(user, laporan) -> bool:
    me = pegawai_of(user)
    return me is not None and me.has_role(Role.SEKRETARIS) and laporan.satker_id == me.satker_id


def can_download_softfile_pegawai(user, pegawai: Pegawai, year: int, month: int) -> bool:
    """The person themself, their verifier (holder or acting), the Sekretaris and Rendatin; and whoever
    verified that month, should their acting term have ended since."""
    me = pegawai_of(user)
    if me is None or pegawai.satker_id != me.satker_id:
        return False
    if me.pk == pegawai.pk or can_view_laporan(user, pegawai):
        return True
    return LaporanBulanan.objects.filter(pegawai=pegawai, tahun=year, bulan=month, verifikator=me).exists()


def can_download_softfile_subbagian(user, subbagian: Subbagian, year: int, month: int) -> bool:
    """The subbagian's Kasubag, an acting head who verifies its staff, whoever verified its staff that month,
    the Sekretaris and Rendatin."""
    me = pegawai_of(user)
    if me is None or subbagian.satker_id != me.satker_id:
        return False
    if _sees_whole_satker(me) or subbagian.kasubag_id == me.pk:
        return True
    if supervisees(me, me.satker.today()).filter(subbagian=subbagian).exists():
        return True
    return LaporanBulanan.objects.filter(
        pegawai__subbagian=subbagian, tahun=year, bulan=month, verifikator=me
    ).exists()


def can_use_verification_queue(user) -> bool:
    me = pegawai_of(user)
    return me is not None and (me.has_role(Role.KASUBAG) or me.has_role(Role.SEKRETARIS) or _is_acting(me))


# --- compilation, plenary and generated documents ---------------------------------------------------------


def can_view_rekap(user) -> bool:
    """The monitoring board, compiled months, plenary records, the archive and the year's data."""
    me = pegawai_of(user)
    return me is not None and (_sees_whole_satker(me) or me.has_role(Role.PIMPINAN))


def can_manage_rekap(user) -> bool:
    """Compile a month, record the plenary and finalise it: Rendatin only."""
    return has_role(user, Role.RENDATIN)


REKAP_DOCUMENTS = frozenset({"rekap_bulanan", "bahan_pleno", "hasil_pleno", "laporan_kinerja"})


def can_view_dokumen(user, dokumen) -> bool:
    """A generated document, by what it shows."""
    me = pegawai_of(user)
    if me is None or dokumen.satker_id != me.satker_id:
        return False
    params = dokumen.params
    if dokumen.jenis in REKAP_DOCUMENTS:
        return can_view_rekap(user)
    if dokumen.jenis == "softfile_pegawai":
        pegawai = Pegawai.objects.filter(pk=params.get("pegawai_id"), satker_id=me.satker_id).first()
        return pegawai is not None and can_download_softfile_pegawai(
            user, pegawai, params["tahun"], params["bulan"]
        )
    if dokumen.jenis == "softfile_subbagian":
        subbagian = Subbagian.objects.filter(pk=params.get("subbagian_id"), satker_id=me.satker_id).first()
        return subbagian is not None and can_download_softfile_subbagian(
            user, subbagian, params["tahun"], params["bulan"]
        )
    # The measurement's documents: rekap.pengukuran.policy registers their rule (to be wired through the
    # per-app document registry at merge).
    later = PERMISSIONS.get("view_dokumen_pengukuran")
    return later is not None and later(user, dokumen)


# --- the performance framework (Sasaran → Program → Kegiatan → Indikator) ------------------------------------


def can_manage_kerangka(user) -> bool:
    """Create, change, deactivate, copy and import the framework: Rendatin (staff and Kasubag)."""
    return has_role(user, Role.RENDATIN)


def can_view_kerangka(user) -> bool:
    """Read the framework: Rendatin, and read-only the Sekretaris and Pimpinan."""
    me = pegawai_of(user)
    return me is not None and (_sees_whole_satker(me) or me.has_role(Role.PIMPINAN))


# --- master data and people --------------------------------------------------------------------------------


def can_manage_kode_output(user) -> bool:
    pegawai = pegawai_of(user)
    return pegawai is not None and (pegawai.has_role(Role.RENDATIN) or pegawai.has_role(Role.ADMIN))


def can_edit_kode_output(user, kode: KodeOutput) -> bool:
    pegawai = pegawai_of(user)
    return can_manage_kode_output(user) and kode.satker_id == pegawai.satker_id


def can_manage_pegawai(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_reset_password(user, target: Pegawai) -> bool:
    pegawai = pegawai_of(user)
    return can_manage_pegawai(user) and target.satker_id == pegawai.satker_id and target.pk != pegawai.pk


def visible_pegawai(user) -> QuerySet[Pegawai]:
    pegawai = pegawai_of(user)
    if pegawai is None:
        return Pegawai.objects.none()
    return Pegawai.objects.filter(satker_id=pegawai.satker_id)


# --- helpers for views -------------------------------------------------------------------------------------


def get_or_404(queryset: QuerySet, **lookup):
    """Fetch an object from a queryset already narrowed by the policy; anything else is 'not found'."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404("Tidak ditemukan.")
    return obj


def rule(name: str):
    """Register a later app's rule under the name templates ({% can "name" obj %}) and views use.

    The core's rules are listed below; verifikasi, rekap and pengukuran keep theirs in their own policy module,
    decorated with @policy.rule, and import it in AppConfig.ready(), so this module imports no later app."""

    def register(check):
        if PERMISSIONS.get(name, check) is not check:
            raise ImproperlyConfigured(f"policy rule {name!r} is registered twice")
        PERMISSIONS[name] = check
        return check

    return register


PERMISSIONS = {
    "create_entri": can_create_entri,
    "edit_entri": can_edit_entri,
    "view_entri": can_view_entri,
    "view_bukti": can_view_bukti,
    "manage_kode_output": can_manage_kode_output,
    "manage_pegawai": can_manage_pegawai,
    "reset_password": can_reset_password,
    "verify": can_verify,
    "view_laporan": can_view_laporan,
    "reopen_laporan": can_reopen_laporan,
    "verification_queue": can_use_verification_queue,
    "download_softfile_pegawai": can_download_softfile_pegawai,
    "download_softfile_subbagian": can_download_softfile_subbagian,
    "view_rekap": can_view_rekap,
    "manage_kerangka": can_manage_kerangka,
    "view_kerangka": can_view_kerangka,
    "manage_rekap": can_manage_rekap,
    "view_dokumen": can_view_dokumen,
}
