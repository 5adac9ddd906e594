"""The core's authorisation decisions (entries, evidence, master data, people) and the registry of every rule.

Views, templates (through the `can` tag) and querysets ask these functions; none of them decides alone.
Objects outside a user's reach are reported as missing (404) by the views' fetch helpers, so a user never
learns that another person's entry exists.

The later apps keep their own rules in their own policy module (verifikasi/policy.py, rekap/policy.py, ...):
each rule registers with `@rule("name")` for templates, and each app says who may view its kinds of generated
document with `@document_rule("jenis", ...)`. This module imports no later app, but for the measurement section
below, which moves to rekap/pengukuran/policy.py (issue 11).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.http import Http404

from kinerja.errors import AksesDitolak, DomainError, EntriTidakDapatDiubah
from kinerja.models import BuktiDukung, EntriKinerja, KodeOutput, Pegawai, Role
from kinerja.organisasi import is_acting, supervisees
from kinerja.services import entri_edit_block_reason


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


def sees_whole_satker(pegawai: Pegawai) -> bool:
    """The Sekretaris and Rendatin read every person's data of their satker."""
    return pegawai.has_role(Role.SEKRETARIS) or pegawai.has_role(Role.RENDATIN)


def is_acting_today(pegawai: Pegawai) -> bool:
    """Acting head (Plt/Plh) of some post today, in their satker's calendar."""
    return is_acting(pegawai, pegawai.satker.today())


# --- entries and evidence ----------------------------------------------------------------------------------


def visible_entri(user) -> QuerySet[EntriKinerja]:
    """The entries a user may read: their own, those of the people they verify, the whole satker for
    the Sekretaris and Rendatin."""
    pegawai = pegawai_of(user)
    if pegawai is None:
        return EntriKinerja.objects.none()
    qs = EntriKinerja.objects.filter(satker_id=pegawai.satker_id)
    if sees_whole_satker(pegawai):
        return qs
    if pegawai.has_role(Role.KASUBAG) or is_acting_today(pegawai):
        ids = supervisees(pegawai, pegawai.satker.today()).values("pk")
        return qs.filter(Q(pegawai=pegawai) | Q(pegawai_id__in=ids))
    return qs.filter(pegawai=pegawai)


def can_view_entri(user, entri: EntriKinerja) -> bool:
    pegawai = pegawai_of(user)
    if pegawai is None or entri.satker_id != pegawai.satker_id:
        return False
    if entri.pegawai_id == pegawai.pk or sees_whole_satker(pegawai):
        return True
    return visible_entri(user).filter(pk=entri.pk).exists()


def can_create_entri(user) -> bool:
    return has_role(user, Role.ASN)


def check_edit_entri(user, entri: EntriKinerja) -> None:
    """Raise unless this user may change or delete the entry now.

    AksesDitolak: it is not their own (only the owner, an ASN, changes an entry). EntriTidakDapatDiubah: the
    month's stage or the entry's decision freezes it, by the core's rule `entri_edit_block_reason`, which the
    entry services enforce again under their lock."""
    pegawai = pegawai_of(user)
    if pegawai is None or entri.pegawai_id != pegawai.pk or not pegawai.has_role(Role.ASN):
        raise AksesDitolak("Entri hanya dapat diubah atau dihapus oleh pemiliknya.")
    reason = entri_edit_block_reason(entri)
    if reason:
        raise EntriTidakDapatDiubah(reason)


def can_edit_entri(user, entri: EntriKinerja) -> bool:
    """Only the owner, and only while the rules of the month and the entry's decision allow it."""
    return allows(check_edit_entri, user, entri)


def can_view_bukti(user, bukti: BuktiDukung) -> bool:
    return can_view_entri(user, bukti.entri)


# --- generated documents -----------------------------------------------------------------------------------


def can_view_dokumen(user, dokumen) -> bool:
    """A generated document, by what it shows: the app that makes a kind of document says who may view it
    (`document_rule`); this module knows no kind (the measurement's, until they register the same way)."""
    me = pegawai_of(user)
    if me is None or dokumen.satker_id != me.satker_id:
        return False
    check = DOCUMENT_VIEWERS.get(dokumen.jenis)
    return check is not None and check(user, dokumen)


# --- the performance framework (Sasaran → Program → Kegiatan → Indikator) ------------------------------------


def can_manage_kerangka(user) -> bool:
    """Create, change, deactivate, copy and import the framework: Rendatin (staff and Kasubag)."""
    return has_role(user, Role.RENDATIN)


def can_view_kerangka(user) -> bool:
    """Read the framework: Rendatin, and read-only the Sekretaris and Pimpinan."""
    me = pegawai_of(user)
    return me is not None and (sees_whole_satker(me) or me.has_role(Role.PIMPINAN))


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


# --- the Django admin site ----------------------------------------------------------------------------------


def admin_satker_id(user) -> int | None:
    """The one satker a staff account of the Django admin works on (its Pegawai's); None for a superuser, who
    works on every satker, and for an account with no Pegawai (which sees nothing)."""
    if user.is_superuser:
        return None
    pegawai = pegawai_of(user)
    return pegawai.satker_id if pegawai is not None else None


def can_administer_satker(user, satker_id: int | None) -> bool:
    """May this Django-admin account change data of satker `satker_id` (None: data shared by every satker)?
    A superuser may change anything; a satker's own staff account only its own satker's data, never shared
    data nor another satker's."""
    if not getattr(user, "is_active", False) or not getattr(user, "is_staff", False):
        return False
    if user.is_superuser:
        return True
    pegawai = pegawai_of(user)
    return pegawai is not None and satker_id is not None and pegawai.satker_id == satker_id


def can_view_audit(user) -> bool:
    """The satker's audit trail: its Sekretaris and its Admin (the rows shown are always their own satker's)."""
    pegawai = pegawai_of(user)
    return pegawai is not None and (pegawai.has_role(Role.SEKRETARIS) or pegawai.has_role(Role.ADMIN))


# --- helpers for views -------------------------------------------------------------------------------------


def get_or_404(queryset: QuerySet, **lookup):
    """Fetch an object from a queryset already narrowed by the policy; anything else is 'not found'."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404("Tidak ditemukan.")
    return obj


def allows(check, *args, **kwargs) -> bool:
    """Whether a check that raises a DomainError when refused lets this pass (for pages that show a button)."""
    try:
        check(*args, **kwargs)
    except DomainError:
        return False
    return True


def refusal(check, *args, **kwargs) -> str:
    """Why a check refuses (its domain error's message), or "" when it lets this pass: what a confirmation page
    says instead of offering a button that would only be refused."""
    try:
        check(*args, **kwargs)
    except DomainError as exc:
        return str(exc)
    return ""


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


# jenis of a generated document → check(user, dokumen), registered by the app that makes the document
DOCUMENT_VIEWERS = {}


def document_rule(*jenis: str):
    """Register who may view these kinds of generated document (the satker is already checked)."""

    def register(check):
        for name in jenis:
            if DOCUMENT_VIEWERS.get(name, check) is not check:
                raise ImproperlyConfigured(f"document rule {name!r} is registered twice")
            DOCUMENT_VIEWERS[name] = check
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
    "manage_kerangka": can_manage_kerangka,
    "view_kerangka": can_view_kerangka,
    "view_dokumen": can_view_dokumen,
    "view_audit": can_view_audit,
}
