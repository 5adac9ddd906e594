"""Who acts at which step of the Bontang SOP *Pengukuran Kinerja* (DESIGN.md §3), and who sees what.

Two levels, one rule each:

- the actors, asked about a Pegawai in a satker (is_sekretaris, is_kasubag_rendatin, is_rendatin,
  subbagian_ids, can_fill, sees_all): the services' guards ask these about `by`;
- the rules the pages and templates ask about the signed-in user (can_draft_form, can_view_pengukuran, …),
  registered with silabu.policy under the names templates use ({% can "draft_form" p as x %}); they apply
  the actors above to the user's Pegawai, so a page and its service never disagree.

They answer "is this the step's actor"; whether the step is due now is the service's question. An acting head
(Plt/Plh) of a post acts for it on the days of the appointment. This module is imported by
PengukuranConfig.ready(), which registers the rules.
"""

from django.db.models import QuerySet

from kinerja.models import Pegawai, Role, Satker, Subbagian
from kinerja.organisasi import posts_acted_by
from silabu import policy
from silabu.policy import pegawai_of

from .models import FormDataKinerja, Pengukuran

PESAN_SEKRETARIS = "Langkah ini hanya dapat dilakukan oleh Sekretaris."
PESAN_KASUBAG_RENDATIN = (
    "Langkah ini hanya dapat dilakukan oleh Kepala Subbagian Perencanaan, Data dan Informasi "
    "(Kasubag Rendatin)."
)
PESAN_RENDATIN = (
    "Langkah ini hanya dapat dilakukan oleh staf Subbagian Perencanaan, Data dan Informasi (Rendatin)."
)


def pesan_subbagian(subbagian: Subbagian) -> str:
    return f"Form ini hanya dapat diisi oleh pegawai {subbagian.nama}."


# --- the actors --------------------------------------------------------------------------------------------


def _acting_posts(pegawai: Pegawai) -> dict[int | None, bool]:
    """The posts this person holds as Plt/Plh today: subbagian id → is it Rendatin (None: the Sekretaris).
    Cached on the object by kinerja.organisasi: a page asks many times."""
    posts = posts_acted_by(pegawai, pegawai.satker.today())
    return {post: row.subbagian is not None and row.subbagian.is_rendatin for post, row in posts.items()}


def _in(pegawai: Pegawai | None, satker: Satker) -> bool:
    return pegawai is not None and pegawai.aktif and pegawai.satker_id == satker.pk


def _heads(pegawai: Pegawai) -> Subbagian | None:
    try:
        return pegawai.subbagian_dipimpin
    except Subbagian.DoesNotExist:
        return None


def is_sekretaris(pegawai: Pegawai | None, satker: Satker) -> bool:
    """Steps 1 and 9: the Sekretaris, or whoever acts as Sekretaris today."""
    if not _in(pegawai, satker):
        return False
    return pegawai.has_role(Role.SEKRETARIS) or None in _acting_posts(pegawai)


def is_kasubag_rendatin(pegawai: Pegawai | None, satker: Satker) -> bool:
    """Steps 2 and 8: the Kasubag of the satker's Rendatin subbagian (or its acting head)."""
    if not _in(pegawai, satker):
        return False
    headed = _heads(pegawai)
    if headed is not None and headed.is_rendatin:
        return True
    return any(is_rendatin and sub_id for sub_id, is_rendatin in _acting_posts(pegawai).items())


def is_rendatin(pegawai: Pegawai | None, satker: Satker) -> bool:
    """Steps 3 to 7: the staff of the Rendatin subbagian; its Kasubag is one of them."""
    if not _in(pegawai, satker):
        return False
    return pegawai.has_role(Role.RENDATIN) or is_kasubag_rendatin(pegawai, satker)


def subbagian_ids(pegawai: Pegawai | None) -> set[int]:
    """The subbagian whose forms this person fills (step 4): their own, the one they head or act for."""
    if pegawai is None or not pegawai.aktif:
        return set()
    ids = {pegawai.subbagian_id} if pegawai.subbagian_id else set()
    headed = _heads(pegawai)
    if headed is not None:
        ids.add(headed.pk)
    ids.update(sub_id for sub_id in _acting_posts(pegawai) if sub_id)
    return ids


def can_fill(pegawai: Pegawai | None, form: FormDataKinerja) -> bool:
    """Step 4: the people of the form's subbagian (its Kasubag, its staff, an acting head)."""
    return _in(pegawai, form.pengukuran.satker) and form.subbagian_id in subbagian_ids(pegawai)


def sees_all(pegawai: Pegawai | None, satker: Satker) -> bool:
    """Rendatin, the Sekretaris and Pimpinan see every measurement of their satker in full."""
    if not _in(pegawai, satker):
        return False
    return pegawai.has_role(Role.PIMPINAN) or is_rendatin(pegawai, satker) or is_sekretaris(pegawai, satker)


# --- the signed-in user's rules ------------------------------------------------------------------------------


def _satker_of(me: Pegawai, pengukuran: Pengukuran | None) -> Satker:
    return pengukuran.satker if pengukuran is not None else me.satker


@policy.rule("use_pengukuran")
def can_use_pengukuran(user) -> bool:
    """The measurement list with one's to-do: whoever sees measurements or may fill a subbagian's form."""
    me = pegawai_of(user)
    return me is not None and (sees_all(me, me.satker) or bool(subbagian_ids(me)))


@policy.rule("dispose_pengukuran")
def can_dispose_pengukuran(user) -> bool:
    """Step 1: the Sekretaris orders a measurement."""
    me = pegawai_of(user)
    return me is not None and is_sekretaris(me, me.satker)


@policy.rule("draft_form")
def can_draft_form(user, pengukuran: Pengukuran | None = None) -> bool:
    """Step 2: the Kasubag Rendatin drafts the Form Data Kinerja."""
    me = pegawai_of(user)
    return me is not None and is_kasubag_rendatin(me, _satker_of(me, pengukuran))


@policy.rule("issue_form")
def can_issue_form(user, pengukuran: Pengukuran | None = None) -> bool:
    """Step 3: Rendatin staff issue the forms."""
    me = pegawai_of(user)
    return me is not None and is_rendatin(me, _satker_of(me, pengukuran))


@policy.rule("fill_form")
def can_fill_form(user, form: FormDataKinerja) -> bool:
    """Step 4: the people of the form's subbagian."""
    return can_fill(pegawai_of(user), form)


@policy.rule("measure")
def can_measure(user, pengukuran: Pengukuran | None = None) -> bool:
    """Steps 5–7: Rendatin staff measure, recap and report the draft."""
    return can_issue_form(user, pengukuran)


@policy.rule("check_pengukuran")
def can_check_pengukuran(user, pengukuran: Pengukuran | None = None) -> bool:
    """Step 8: the Kasubag Rendatin checks the report and sends it to the Sekretaris."""
    return can_draft_form(user, pengukuran)


@policy.rule("decide_pengukuran")
def can_decide_pengukuran(user, pengukuran: Pengukuran | None = None) -> bool:
    """Step 9: the Sekretaris approves or returns."""
    me = pegawai_of(user)
    return me is not None and is_sekretaris(me, _satker_of(me, pengukuran))


def sees_all_pengukuran(user, pengukuran: Pengukuran | None = None) -> bool:
    """Rendatin, the Sekretaris and Pimpinan: every measurement of the satker, in full."""
    me = pegawai_of(user)
    return me is not None and sees_all(me, _satker_of(me, pengukuran))


@policy.rule("view_pengukuran")
def can_view_pengukuran(user, pengukuran: Pengukuran) -> bool:
    """A measurement: in full for Rendatin, the Sekretaris and Pimpinan of its satker; a subbagian's people
    see it once their form is issued, and only their own forms in it."""
    me = pegawai_of(user)
    if me is None or pengukuran.satker_id != me.satker_id:
        return False
    if sees_all(me, pengukuran.satker):
        return True
    mine = subbagian_ids(me)
    return bool(mine) and _issued_to(mine).filter(pengukuran=pengukuran).exists()


@policy.rule("view_form")
def can_view_form(user, form: FormDataKinerja) -> bool:
    """One Form Data Kinerja: whoever sees the measurement in full, or its subbagian once it is issued."""
    me = pegawai_of(user)
    if me is None or form.pengukuran.satker_id != me.satker_id:
        return False
    if sees_all(me, form.pengukuran.satker):
        return True
    return form.diterbitkan_pada is not None and form.subbagian_id in subbagian_ids(me)


def _issued_to(subbagian: set[int]) -> QuerySet[FormDataKinerja]:
    return FormDataKinerja.objects.filter(subbagian_id__in=subbagian, diterbitkan_pada__isnull=False)


def visible_pengukuran(user) -> QuerySet[Pengukuran]:
    """The measurements a user may open: all of the satker's for those who see all, else those with an issued
    form of one of their subbagian."""
    me = pegawai_of(user)
    if me is None:
        return Pengukuran.objects.none()
    qs = Pengukuran.objects.filter(satker_id=me.satker_id)
    if sees_all(me, me.satker):
        return qs
    return qs.filter(pk__in=_issued_to(subbagian_ids(me)).values("pengukuran_id"))


# --- generated documents -------------------------------------------------------------------------------------

PENGUKURAN_DOCUMENTS = frozenset(
    {"pengukuran_form", "pengukuran_kertas_kerja", "pengukuran_laporan", "pengukuran_disposisi"}
)


@policy.rule("view_dokumen_pengukuran")
@policy.document_rule(*PENGUKURAN_DOCUMENTS)
def can_view_dokumen_pengukuran(user, dokumen) -> bool:
    """A subbagian's form: whoever may see that form; the worksheet, the report and the disposition sheet:
    whoever sees the measurement in full. Any other kind of document: not this rule's to allow."""
    me = pegawai_of(user)
    if me is None or dokumen.satker_id != me.satker_id or dokumen.jenis not in PENGUKURAN_DOCUMENTS:
        return False
    params = dokumen.params
    pengukuran = (
        Pengukuran.objects.select_related("satker")
        .filter(pk=params.get("pengukuran_id"), satker_id=dokumen.satker_id)
        .first()
    )
    if pengukuran is None:
        return False
    if dokumen.jenis != "pengukuran_form":
        return sees_all_pengukuran(user, pengukuran)
    form = (
        FormDataKinerja.objects.filter(pengukuran=pengukuran, subbagian_id=params.get("subbagian_id"))
        .select_related("subbagian")
        .first()
    )
    if form is None:
        return False
    form.pengukuran = pengukuran
    return can_view_form(user, form)
