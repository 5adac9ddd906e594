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
from rekap.pengukuran import services as pengukuran
from rekap.pengukuran.models import FormDataKinerja, Pengukuran


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
    if check is not None:
        return check(user, dokumen)
    if dokumen.jenis in PENGUKURAN_DOCUMENTS:
        return _can_view_dokumen_pengukuran(user, dokumen)
    return False


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


# --- performance measurement (Bontang SOP *Pengukuran Kinerja*) ----------------------------------------------
# Who acts at which step is decided by rekap.pengukuran.services (is_sekretaris, is_kasubag_rendatin,
# is_rendatin, subbagian_ids), whose guards ask the same functions; these apply them to the signed-in user.
# They answer "is this the step's actor"; whether the step is due now is the service's question.


def _pengukuran_satker(me: Pegawai, pengukuran):
    return pengukuran.satker if pengukuran is not None else me.satker


def can_use_pengukuran(user) -> bool:
    """The measurement list with one's to-do: whoever sees measurements or may fill a subbagian's form."""
    me = pegawai_of(user)
    return me is not None and (pengukuran.sees_all(me, me.satker) or bool(pengukuran.subbagian_ids(me)))


def can_dispose_pengukuran(user) -> bool:
    """Step 1: the Sekretaris orders a measurement."""
    me = pegawai_of(user)
    return me is not None and pengukuran.is_sekretaris(me, me.satker)


def can_draft_form(user, pengukuran_obj=None) -> bool:
    """Step 2: the Kasubag Rendatin drafts the Form Data Kinerja."""
    me = pegawai_of(user)
    return me is not None and pengukuran.is_kasubag_rendatin(me, _pengukuran_satker(me, pengukuran_obj))


def can_issue_form(user, pengukuran_obj=None) -> bool:
    """Step 3: Rendatin staff issue the forms."""
    me = pegawai_of(user)
    return me is not None and pengukuran.is_rendatin(me, _pengukuran_satker(me, pengukuran_obj))


def can_fill_form(user, form: FormDataKinerja) -> bool:
    """Step 4: the people of the form's subbagian (its Kasubag, its staff, an acting head)."""
    return pengukuran.can_fill(pegawai_of(user), form)


def can_measure(user, pengukuran_obj=None) -> bool:
    """Steps 5–7: Rendatin staff measure, recap and report the draft."""
    return can_issue_form(user, pengukuran_obj)


def can_check_pengukuran(user, pengukuran_obj=None) -> bool:
    """Step 8: the Kasubag Rendatin checks the report and sends it to the Sekretaris."""
    return can_draft_form(user, pengukuran_obj)


def can_decide_pengukuran(user, pengukuran_obj=None) -> bool:
    """Step 9: the Sekretaris approves or returns."""
    me = pegawai_of(user)
    return me is not None and pengukuran.is_sekretaris(me, _pengukuran_satker(me, pengukuran_obj))


def sees_all_pengukuran(user, pengukuran_obj=None) -> bool:
    """Rendatin, the Sekretaris and Pimpinan: every measurement of the satker, in full."""
    me = pegawai_of(user)
    return me is not None and pengukuran.sees_all(me, _pengukuran_satker(me, pengukuran_obj))


def can_view_pengukuran(user, pengukuran_obj: Pengukuran) -> bool:
    """A measurement: in full for Rendatin, the Sekretaris and Pimpinan of its satker; a subbagian's people
    see it once their form is issued, and only their own forms in it."""
    me = pegawai_of(user)
    if me is None or pengukuran_obj.satker_id != me.satker_id:
        return False
    if pengukuran.sees_all(me, pengukuran_obj.satker):
        return True
    mine = pengukuran.subbagian_ids(me)
    return (
        bool(mine)
        and FormDataKinerja.objects.filter(
            pengukuran=pengukuran_obj, subbagian_id__in=mine, diterbitkan_pada__isnull=False
        ).exists()
    )


def can_view_form(user, form: FormDataKinerja) -> bool:
    """One Form Data Kinerja: whoever sees the measurement in full, or its subbagian once it is issued."""
    me = pegawai_of(user)
    if me is None or form.pengukuran.satker_id != me.satker_id:
        return False
    if pengukuran.sees_all(me, form.pengukuran.satker):
        return True
    return form.diterbitkan_pada is not None and form.subbagian_id in pengukuran.subbagian_ids(me)


def visible_pengukuran(user) -> QuerySet[Pengukuran]:
    me = pegawai_of(user)
    if me is None:
        return Pengukuran.objects.none()
    qs = Pengukuran.objects.filter(satker_id=me.satker_id)
    if pengukuran.sees_all(me, me.satker):
        return qs
    issued = FormDataKinerja.objects.filter(
        subbagian_id__in=pengukuran.subbagian_ids(me), diterbitkan_pada__isnull=False
    )
    return qs.filter(pk__in=issued.values("pengukuran_id"))


PENGUKURAN_DOCUMENTS = frozenset(
    {"pengukuran_form", "pengukuran_kertas_kerja", "pengukuran_laporan", "pengukuran_disposisi"}
)


def _can_view_dokumen_pengukuran(user, dokumen) -> bool:
    """A subbagian's form: whoever may see that form; the worksheet, the report and the disposition sheet:
    whoever sees the measurement in full."""
    params = dokumen.params
    obj = (
        Pengukuran.objects.select_related("satker")
        .filter(pk=params.get("pengukuran_id"), satker_id=dokumen.satker_id)
        .first()
    )
    if obj is None:
        return False
    if dokumen.jenis == "pengukuran_form":
        form = (
            FormDataKinerja.objects.filter(pengukuran=obj, subbagian_id=params.get("subbagian_id"))
            .select_related("subbagian")
            .first()
        )
        if form is None:
            return False
        form.pengukuran = obj
        return can_view_form(user, form)
    return sees_all_pengukuran(user, obj)


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
    # performance measurement
    "use_pengukuran": can_use_pengukuran,
    "dispose_pengukuran": can_dispose_pengukuran,
    "draft_form": can_draft_form,
    "issue_form": can_issue_form,
    "fill_form": can_fill_form,
    "view_form": can_view_form,
    "measure": can_measure,
    "check_pengukuran": can_check_pengukuran,
    "decide_pengukuran": can_decide_pengukuran,
    "view_pengukuran": can_view_pengukuran,
}
