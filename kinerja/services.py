"""State changes of the core. Each is one function: it checks the rules, runs atomically and leaves an audit row.

These are the only writers of entries and evidence; views, admin and imports call them.
"""

import contextlib
import datetime
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from silabu.lib.dates import month_bounds, shift_month
from silabu.lib.periods import month_label

from .audit import MASKED, diff, snapshot
from .errors import DomainError, EntriTidakDapatDiubah, KodeOutputDitolak, PeriodeTerkunci, TanggalTidakValid
from .evidence import ProcessedFile, named_as_kind
from .kalender import holidays_between, is_filled_late, working_days
from .models import (
    LOCKED_STAGES,
    AuditLog,
    BuktiDukung,
    EntriKinerja,
    JenisBukti,
    KodeOutput,
    Pegawai,
    Periode,
    Satker,
    StatusEntri,
    TahapPeriode,
)

logger = logging.getLogger(__name__)

ENTRY_FIELDS = (
    "tanggal",
    "kode_output",
    "nama_kegiatan",
    "output_hasil",
    "volume",
    "satuan",
    "jam_mulai",
    "jam_selesai",
)
AUDITED_ENTRY_FIELDS = (*ENTRY_FIELDS, "status")


def audit(*, obj: models.Model, **fields) -> None:
    """One audit row for `obj`; `fields` as for audit_many."""
    audit_many(objs=[obj], **fields)


def audit_many(
    *,
    objs,
    actor,
    action: str,
    dari: str = "",
    ke: str = "",
    catatan: str = "",
    satker=None,
    waktu: datetime.datetime | None = None,
    perubahan: dict | None = None,
) -> None:
    """One audit row per object, in one INSERT: who (`actor`, a User), what (`action`), from and to (`dari`,
    `ke`), why (`catatan`), when (`waktu`, now unless a loader writes history), which fields changed
    (`perubahan`, {field: [old, new]} from kinerja.audit.diff; the same for every object of the call).

    The satker, when not given, is the object's own (its `satker_id`), so no row is left without one."""
    objs = list(objs)
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    waktu = waktu or timezone.now()
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                satker_id=satker.pk if satker is not None else _satker_id_of(obj),
                actor=actor,
                content_type=content_type,
                object_id=obj.pk,
                action=action,
                dari=dari,
                ke=ke,
                catatan=catatan,
                perubahan=perubahan or {},
                waktu=waktu,
            )
            for obj in objs
        ]
    )


def _satker_id_of(obj: models.Model) -> int | None:
    if isinstance(obj, Satker):
        return obj.pk
    return getattr(obj, "satker_id", None)


# --- the month's stage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerificationWindow:
    last_working_day: datetime.date
    opens: datetime.date  # the first day on which the month is under verification
    deadline: datetime.date  # the last day of the SOP's three working days


def verification_window(
    satker: Satker, year: int, month: int, holidays: dict | None = None
) -> VerificationWindow:
    """When a month's verification opens and when it is due, from the satker's calendar and settings.

    `holidays` may be the satker's HariLibur already read, covering the month and the 45 days after it."""
    start, end = month_bounds(year, month)
    horizon = end + datetime.timedelta(days=45)
    if holidays is None:
        holidays = holidays_between(satker, start, horizon)
    month_days = working_days(satker, start, end, holidays)
    last = month_days[-1] if month_days else end
    after = working_days(satker, last + datetime.timedelta(days=1), horizon, holidays)
    grace = satker.verifikasi_buka_hari
    # With no grace the window opens the day after the last working day (a weekend or holiday counts).
    opens = last + datetime.timedelta(days=1) if grace == 0 else after[grace - 1] + datetime.timedelta(days=1)
    first_open_working = [d for d in after if d >= opens]
    deadline = first_open_working[max(satker.verifikasi_tenggat_hari, 1) - 1]
    return VerificationWindow(last, opens, deadline)


def effective_tahap(
    recorded: str | None,
    *,
    year: int,
    month: int,
    today: datetime.date,
    window: Callable[[], VerificationWindow],
) -> str:
    """The month's effective stage: as recorded (a month without a row is OPEN), except that an OPEN month that
    has ended and whose verification window has opened is under VERIFICATION, whether or not anyone has recorded
    it yet (no cron job is needed).

    The rule alone, over data already read: `window` returns the month's VerificationWindow and is called only
    when the answer depends on it, so a caller that has not read the calendar reads it only then."""
    tahap = recorded or TahapPeriode.OPEN
    if tahap == TahapPeriode.OPEN and (year, month) < (today.year, today.month) and today >= window().opens:
        return TahapPeriode.VERIFICATION
    return tahap


def satker_start(satker: Satker, *recorded: datetime.date | None) -> datetime.date | None:
    """The day the satker's record begins: its first entry, or an earlier month something was `recorded` for
    (a verification, a stage, a compilation). SILABU keeps no separate start date: an office starts when its
    people start recording their work. None while nothing at all is recorded."""
    first = EntriKinerja.objects.filter(satker=satker).aggregate(first=models.Min("tanggal"))["first"]
    return min((d for d in (first, *recorded) if d is not None), default=None)


def before_start(year: int, month: int, *, start: datetime.date | None, today: datetime.date) -> bool:
    """A month that ended before the satker's record began expected no work: nothing in it is late or missing.
    With nothing recorded yet, the office starts in the current month."""
    first = start or today
    return (year, month) < (first.year, first.month)


def periode_tahap(satker: Satker, year: int, month: int, *, today: datetime.date | None = None) -> str:
    """The month's effective stage today (see `effective_tahap`)."""
    recorded = (
        Periode.objects.filter(satker=satker, tahun=year, bulan=month).values_list("tahap", flat=True).first()
    )
    return effective_tahap(
        recorded,
        year=year,
        month=month,
        today=today or satker.today(),
        window=lambda: verification_window(satker, year, month),
    )


# the months whose verification window can still be opening: a window opens within 45 days of the month's end
RECORD_MONTHS_BACK = 3


def periode_record_reached(
    *, satker: Satker, today: datetime.date | None = None, note: str = ""
) -> list[Periode]:
    """Write down the VERIFICATION stage of every recent month that has reached it by the calendar but has no
    row saying so, with an audit row (the OPEN → VERIFICATION move no one made by hand).

    Once written, the stage no longer depends on the settings and the calendar: raising the grace days, the
    deadline or adding a holiday afterwards cannot send the month back to OPEN. Called before every change of
    those (satker settings, holidays) and by the daily job. Returns the rows it moved."""
    today = today or satker.today()
    moved = []
    with transaction.atomic():
        year, month = today.year, today.month
        for _ in range(RECORD_MONTHS_BACK):
            year, month = shift_month(year, month, -1)
            recorded = (
                Periode.objects.filter(satker=satker, tahun=year, bulan=month)
                .values_list("tahap", flat=True)
                .first()
            )
            if recorded not in (None, TahapPeriode.OPEN):
                continue
            window = verification_window(satker, year, month)
            if today < window.opens:
                continue
            periode, _ = Periode.objects.select_for_update().get_or_create(
                satker=satker, tahun=year, bulan=month
            )
            if periode.tahap != TahapPeriode.OPEN:
                continue  # someone recorded it in the meantime
            periode.tahap = TahapPeriode.VERIFICATION
            periode.save(update_fields=["tahap", "diubah"])
            # dated when the stage was reached (the window's first day, local midnight), written when observed
            reached = datetime.datetime.combine(window.opens, datetime.time(), tzinfo=satker.tz)
            audit(
                obj=periode,
                actor=None,
                action="periode_tahap",
                dari=TahapPeriode.OPEN,
                ke=TahapPeriode.VERIFICATION,
                catatan=note
                or f"Verifikasi dibuka {window.opens:%d-%m-%Y}; dicatat otomatis {satker.now():%d-%m-%Y %H:%M}.",
                satker=satker,
                waktu=min(reached, timezone.now()),
                perubahan={"tahap": [TahapPeriode.OPEN, TahapPeriode.VERIFICATION]},
            )
            moved.append(periode)
    return moved


def periode_lock(
    satker: Satker, year: int, month: int, *, today: datetime.date | None = None, shared: bool = False
) -> tuple[Periode, str]:
    """Lock the month's Periode row (made if missing) until the caller's transaction ends; return it with the
    month's effective stage read under that lock.

    The month's one lock, taken first by everything that changes the month or anything in it: moving its stage
    (periode_set_tahap, so rekap's compile) takes it alone (FOR UPDATE); an entry's create, change or delete and a
    verification decision take it `shared` (FOR SHARE on PostgreSQL: many at once, but none while the stage
    moves). Whoever checked the stage under it writes before the stage can move; whoever moves the stage waits
    for those already checking. Always in the order month (by year, month), LaporanBulanan, entries, so that two
    of them never wait for each other. Callers that take it shared make the row first (periode_rows), outside
    their transaction, so that two of them never queue on one row's INSERT."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("periode_lock outside a transaction would release the lock at once")
    if shared and connection.vendor == "postgresql":
        periode = Periode.objects.filter(satker=satker, tahun=year, bulan=month).first()
        if periode is None:
            periode, _ = Periode.objects.get_or_create(satker=satker, tahun=year, bulan=month)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Periode._meta.db_table)
            cursor.execute(f"SELECT tahap FROM {table} WHERE id = %s FOR SHARE", [periode.pk])  # noqa: S608
            periode.tahap = cursor.fetchone()[0]  # as committed once the lock is ours
    else:
        periode, _ = Periode.objects.select_for_update().get_or_create(satker=satker, tahun=year, bulan=month)
    tahap = effective_tahap(
        periode.tahap,
        year=year,
        month=month,
        today=today or satker.today(),
        window=lambda: verification_window(satker, year, month),
    )
    return periode, tahap


def periode_rows(satker: Satker, dates: Iterable[datetime.date]) -> None:
    """Make the Periode rows of the months of `dates` (OPEN, as a month without a row is), before a transaction
    that takes periode_lock shared on them."""
    keys = {(d.year, d.month) for d in dates}
    Periode.objects.bulk_create(
        [Periode(satker=satker, tahun=y, bulan=m) for y, m in sorted(keys)], ignore_conflicts=True
    )


def _lock_months(satker: Satker, dates: Iterable[datetime.date], today: datetime.date | None = None) -> dict:
    """periode_lock, shared, for every month of `dates`, earliest first; {(year, month): stage under the lock}."""
    return {
        key: periode_lock(satker, *key, today=today, shared=True)[1]
        for key in sorted({(d.year, d.month) for d in dates})
    }


def periode_set_tahap(
    *,
    satker: Satker,
    year: int,
    month: int,
    to: str,
    by: Pegawai,
    expected_from: tuple[str, ...],
    note: str = "",
) -> Periode:
    """Move a month to another stage. Later apps call this; it refuses a move from an unexpected stage."""
    with transaction.atomic():
        periode, tahap = periode_lock(satker, year, month)
        periode.tahap = tahap  # an OPEN month past its window is in VERIFICATION
        if periode.tahap not in expected_from:
            raise PeriodeTerkunci(
                f"{month_label(year, month, periode.get_tahap_display())}: perubahan tahap ditolak."
            )
        was = periode.tahap
        periode.tahap = to
        periode.save(update_fields=["tahap", "diubah"])
        audit(
            obj=periode,
            actor=by.user,
            action="periode_tahap",
            dari=was,
            ke=to,
            catatan=note,
            satker=satker,
            perubahan={"tahap": [was, to]},
        )
    return periode


# --- the rules of editing ----------------------------------------------------------------------------------


def entri_edit_block_reason(entri: EntriKinerja, tahap: str | None = None) -> str | None:
    """Why this entry may not be changed now, or None when it may (DESIGN §5)."""
    if entri.status == StatusEntri.DISETUJUI:
        return "Entri yang sudah disetujui tidak dapat diubah."
    if tahap is None:
        tahap = periode_tahap(entri.satker, entri.tanggal.year, entri.tanggal.month)
    if tahap in LOCKED_STAGES:
        return "Bulan ini sudah dihimpun; koreksi hanya melalui catatan rapat pleno."
    if tahap == TahapPeriode.VERIFICATION and entri.status != StatusEntri.DIKEMBALIKAN:
        return "Bulan ini sedang diverifikasi; hanya entri yang dikembalikan yang dapat diperbaiki."
    return None


def _check_new_date(pegawai: Pegawai, tanggal: datetime.date, stages: dict | None = None) -> str:
    if tanggal > pegawai.satker.today():
        raise TanggalTidakValid("Tanggal kegiatan tidak boleh di masa depan.")
    key = (tanggal.year, tanggal.month)
    tahap = stages[key] if stages and key in stages else periode_tahap(pegawai.satker, *key)
    if tahap != TahapPeriode.OPEN:
        label = month_label(tanggal.year, tanggal.month, TahapPeriode(tahap).label)
        raise PeriodeTerkunci(f"{label} sudah ditutup untuk entri baru.")
    return tahap


def kode_output_refusal(satker: Satker) -> str:
    """Why a code is not among an entry's choices (the form's message and the services' are this one)."""
    return (
        f"Kode output ini tidak dapat dipilih untuk entri harian. Pilih kode {satker.kode_levels_entri_label} "
        "yang aktif dan berlaku "
        "untuk tahun dan subbagian Anda; kode program, kegiatan dan KRO tidak dipakai untuk entri harian."
    )


def _check_kode(pegawai: Pegawai, kode: KodeOutput | None, tanggal: datetime.date) -> None:
    """The guard behind the form: a crafted request cannot give an entry a code the picker does not offer."""
    if kode is None:
        return
    if not KodeOutput.objects.usable_by(pegawai, tanggal.year).filter(pk=kode.pk).exists():
        raise KodeOutputDitolak(kode_output_refusal(pegawai.satker))


@dataclass
class NewEvidence:
    processed: ProcessedFile
    nama_asli: str
    jenis: str = JenisBukti.FOTO
    # the capture time the phone read before shrinking the photo; kept when the stored file tells none
    waktu_ambil: datetime.datetime | None = None


@contextlib.contextmanager
def files_removed_on_error() -> Iterator[list]:
    """Collect files stored inside the block; if the block fails, delete them (its rows roll back with it)."""
    stored: list = []
    try:
        yield stored
    except BaseException:
        for fieldfile in stored:
            try:
                fieldfile.storage.delete(fieldfile.name)
            except OSError:
                logger.exception("could not delete orphan evidence file %s", fieldfile.name)
        raise


def _attach(entri: EntriKinerja, files: list[NewEvidence], stored: list) -> None:
    for item in files:
        p = item.processed
        bukti = BuktiDukung(
            entri=entri,
            jenis=item.jenis,
            nama_asli=named_as_kind(item.nama_asli, p.extension),  # laporan.html holding a PDF: laporan.pdf
            content_type=p.content_type,
            ukuran=p.size,
            sha256=p.sha256,
            lebar=p.width,
            tinggi=p.height,
            waktu_ambil=p.taken_at or item.waktu_ambil,
        )
        bukti.berkas.save(f"bukti.{p.extension}", ContentFile(p.content), save=False)
        stored.append(bukti.berkas)
        if p.thumbnail:
            bukti.thumbnail.save("thumb.jpg", ContentFile(p.thumbnail), save=False)
            stored.append(bukti.thumbnail)
        bukti.save()


def delete_evidence_files(bukti: BuktiDukung) -> None:
    """Remove a BuktiDukung's files once the deletion of its row is committed."""
    files = [(f.storage, f.name) for f in (bukti.berkas, bukti.thumbnail) if f]

    def remove():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete evidence file %s", name)

    transaction.on_commit(remove)


# --- entries -----------------------------------------------------------------------------------------------


def entri_create(
    *,
    by: Pegawai,
    data: dict,
    evidence: list[NewEvidence] = (),
    idempotency_key: uuid.UUID | None = None,
) -> EntriKinerja:
    """A person logs a day's work. Only for themselves, never in the future, only in an open month.

    A phone sends each saved form under its own idempotency key. The same key again (a replay after the answer
    was lost, or two replays at once) is the same save: the entry made the first time is returned, whatever
    changed since (the month may be locked by now), and nothing new is written."""
    pegawai = by
    if not pegawai.has_role("asn"):
        raise EntriTidakDapatDiubah("Hanya ASN yang mengisi data kinerja harian.")
    earlier = EntriKinerja.objects.replayed(pegawai, idempotency_key).first()
    if earlier is not None:
        return earlier
    _check_new_date(pegawai, data["tanggal"])
    _check_kode(pegawai, data.get("kode_output"), data["tanggal"])
    periode_rows(pegawai.satker, [data["tanggal"]])
    try:
        with files_removed_on_error() as stored, transaction.atomic():
            # checked again under the month's lock: the month cannot close before this entry is in
            _check_new_date(pegawai, data["tanggal"], _lock_months(pegawai.satker, [data["tanggal"]]))
            entri = EntriKinerja(
                pegawai=pegawai, satker_id=pegawai.satker_id, idempotency_key=idempotency_key
            )
            for field in ENTRY_FIELDS:
                if field in data:
                    setattr(entri, field, data[field])
            entri.filled_late = is_filled_late(pegawai.satker, entri.tanggal, pegawai.satker.today())
            entri.save()
            _attach(entri, list(evidence), stored)
            audit(
                obj=entri,
                actor=pegawai.user,
                action="entri_dibuat",
                ke=entri.status,
                satker=pegawai.satker,
                perubahan=diff(None, entri, AUDITED_ENTRY_FIELDS),
            )
    except IntegrityError:
        # Another request with this key committed first: the unique constraint held this one until then.
        earlier = EntriKinerja.objects.replayed(pegawai, idempotency_key).first()
        if earlier is None:
            raise
        return earlier
    return entri


def entri_update(
    *,
    entri: EntriKinerja,
    by: Pegawai,
    data: dict,
    evidence: list[NewEvidence] = (),
    remove_bukti: list[int] = (),
) -> EntriKinerja:
    """The owner changes an entry. A returned entry that is fixed goes back to the verifier as pending."""
    if entri.pegawai_id != by.pk:
        raise EntriTidakDapatDiubah("Entri hanya dapat diubah oleh pemiliknya.")
    periode_rows(by.satker, [entri.tanggal, data.get("tanggal", entri.tanggal)])
    with files_removed_on_error() as stored, transaction.atomic():
        # the month's lock (and the new date's month's) before the entry's: the stage checked below cannot move
        # (rekap compiling the month) before this change commits
        stages = _lock_months(by.satker, [entri.tanggal, data.get("tanggal", entri.tanggal)])
        entri = _locked_entry(entri, stages)
        reason = entri_edit_block_reason(entri, stages[(entri.tanggal.year, entri.tanggal.month)])
        if reason:
            raise EntriTidakDapatDiubah(reason)
        new_date = data.get("tanggal", entri.tanggal)
        if new_date != entri.tanggal:
            if (new_date.year, new_date.month) != (entri.tanggal.year, entri.tanggal.month):
                _check_new_date(by, new_date, stages)
            elif new_date > by.satker.today():
                raise TanggalTidakValid("Tanggal kegiatan tidak boleh di masa depan.")
        _check_kode(by, data.get("kode_output", entri.kode_output), new_date)
        was = snapshot(entri, AUDITED_ENTRY_FIELDS)
        for field in ENTRY_FIELDS:
            if field in data:
                setattr(entri, field, data[field])
        before = entri.status
        if before == StatusEntri.DIKEMBALIKAN:
            entri.status = StatusEntri.DIAJUKAN
        entri.save(update_fields=[*ENTRY_FIELDS, "status", "diubah"])
        for bukti in BuktiDukung.objects.filter(entri=entri, pk__in=list(remove_bukti)):
            delete_evidence_files(bukti)
            bukti.delete()
        _attach(entri, list(evidence), stored)
        audit(
            obj=entri,
            actor=by.user,
            action="entri_diperbaiki" if before == StatusEntri.DIKEMBALIKAN else "entri_diubah",
            dari=before,
            ke=entri.status,
            satker=by.satker,
            perubahan=diff(was, entri, AUDITED_ENTRY_FIELDS),
        )
    return entri


def _locked_entry(entri: EntriKinerja, stages: dict) -> EntriKinerja:
    """The entry locked, after its month's Periode (in `stages`); refused when it was deleted, or moved to a month
    not locked here, since it was read."""
    locked = EntriKinerja.objects.select_for_update().filter(pk=entri.pk).first()
    if locked is None:
        raise EntriTidakDapatDiubah("Entri ini sudah dihapus.")
    if (locked.tanggal.year, locked.tanggal.month) not in stages:
        raise EntriTidakDapatDiubah("Entri ini baru saja diubah; muat ulang halaman lalu coba lagi.")
    return locked


def entri_delete(*, entri: EntriKinerja, by: Pegawai) -> None:
    if entri.pegawai_id != by.pk:
        raise EntriTidakDapatDiubah("Entri hanya dapat dihapus oleh pemiliknya.")
    periode_rows(by.satker, [entri.tanggal])
    with transaction.atomic():
        stages = _lock_months(by.satker, [entri.tanggal])
        entri = _locked_entry(entri, stages)
        reason = entri_edit_block_reason(entri, stages[(entri.tanggal.year, entri.tanggal.month)])
        if reason:
            raise EntriTidakDapatDiubah(reason)
        for bukti in entri.bukti.all():
            delete_evidence_files(bukti)
        audit(
            obj=entri,
            actor=by.user,
            action="entri_dihapus",
            dari=entri.status,
            catatan=str(entri),
            satker=by.satker,
            perubahan=diff(entri, None, AUDITED_ENTRY_FIELDS),
        )
        entri.bukti.all().delete()
        entri.delete()


DECISIONS = (StatusEntri.DISETUJUI, StatusEntri.DIKEMBALIKAN)


def _check_decidable(entri: EntriKinerja, by: Pegawai, today: datetime.date | None, stages: dict) -> None:
    """A decision lands only on a pending or returned entry of the verifier's satker, in a month under
    verification. `stages` caches the months' stages for a bulk decision."""
    if entri.satker_id != by.satker_id:
        raise EntriTidakDapatDiubah("Entri ini milik satker lain.")
    if entri.status == StatusEntri.DISETUJUI:
        raise EntriTidakDapatDiubah("Entri ini sudah disetujui.")
    _check_month_under_verification(entri, today, stages)


def _check_month_under_verification(entri: EntriKinerja, today: datetime.date | None, stages: dict) -> None:
    key = (entri.tanggal.year, entri.tanggal.month)
    if key not in stages:
        stages[key] = periode_tahap(entri.satker, *key, today=today)
    if stages[key] != TahapPeriode.VERIFICATION:
        label = month_label(*key, TahapPeriode(stages[key]).label)
        raise PeriodeTerkunci(f"{label} tidak dalam tahap verifikasi.")


def _local_day(satker: Satker, moment: datetime.datetime | None) -> datetime.date | None:
    return moment.astimezone(satker.tz).date() if moment is not None else None


def entri_set_decision(*, entri: EntriKinerja, status: str, note: str, by: Pegawai) -> EntriKinerja:
    """The verifier's decision on one entry (verifikasi checks who verifies whom and holds the month's
    LaporanBulanan). Approved entries are final; a decision lands only while the month is under verification."""
    [entri] = entri_set_decisions(entries=[entri], status=status, note=note, by=by)
    return entri


def _set_statuses(
    entries: Iterable[EntriKinerja],
    *,
    check: Callable[[EntriKinerja], None],
    status: str,
    note: str,
    by: Pegawai,
    catatan_verifikasi: str | None = None,
    as_of: datetime.datetime | None = None,
    stages: dict | None = None,
    today: datetime.date | None = None,
) -> list[EntriKinerja]:
    """Lock the entries' months (their stages into `stages`, read under the lock), then the entries; check each,
    change them in one UPDATE and audit them in one INSERT per former status (`catatan_verifikasi` None leaves
    the entries' notes as they are)."""
    entries = list(entries)
    pks = sorted({e.pk for e in entries})
    now = as_of or timezone.now()
    if stages is not None and entries:
        periode_rows(by.satker, [e.tanggal for e in entries])
    with transaction.atomic():
        # the months first (verifikasi holds them already, before its LaporanBulanan): no stage can move under
        # a decision, and a decision cannot land after the month was compiled
        if stages is not None and entries:
            stages.update(_lock_months(by.satker, [e.tanggal for e in entries], today))
        locked = list(
            EntriKinerja.objects.select_for_update(of=("self",))
            .select_related("satker")
            .filter(pk__in=pks)
            .order_by("pk")
        )
        if len(locked) != len(pks):
            raise EntriTidakDapatDiubah("Entri ini sudah dihapus oleh pemiliknya.")
        for entri in locked:
            check(entri)
        fields = {"status": status, "diubah": now}
        if catatan_verifikasi is not None:
            fields["catatan_verifikasi"] = catatan_verifikasi
        EntriKinerja.objects.filter(pk__in=pks).update(**fields)
        locked.sort(key=lambda e: e.status)
        for before, group in groupby(locked, key=lambda e: e.status):
            group = list(group)
            changes = {"status": [before, status]}
            if catatan_verifikasi is not None:
                notes = {e.catatan_verifikasi for e in group}
                old_note = notes.pop() if len(notes) == 1 else None
                if old_note != catatan_verifikasi:
                    changes["catatan_verifikasi"] = [old_note, catatan_verifikasi]
            audit_many(
                objs=group,
                actor=by.user,
                action="entri_keputusan",
                dari=before,
                ke=status,
                catatan=note,
                satker=by.satker,
                waktu=now,
                perubahan=changes,
            )
        for entri in locked:
            for field, value in fields.items():
                setattr(entri, field, value)
    return sorted(locked, key=lambda e: e.pk)


def entri_set_decisions(
    *,
    entries: Iterable[EntriKinerja],
    status: str,
    note: str = "",
    by: Pegawai,
    as_of: datetime.datetime | None = None,
) -> list[EntriKinerja]:
    """One decision on many entries at once (the verifier approves all that remain), with the rules of
    `entri_set_decision`: all of them land, or none does. Returns the entries as changed. A return keeps its
    note on the entry; an approval clears the entry's note, and any note goes to the audit rows only.

    `as_of` is for a loader that writes history (the demo): the decision is checked and recorded as at that
    moment. Views never pass it."""
    if status not in DECISIONS:
        raise ValueError(f"not a decision: {status}")
    stages: dict = {}
    today = _local_day(by.satker, as_of)
    return _set_statuses(
        entries,
        check=lambda entri: _check_decidable(entri, by, today, stages),
        status=status,
        catatan_verifikasi=note if status == StatusEntri.DIKEMBALIKAN else "",
        note=note,
        by=by,
        as_of=as_of,
        stages=stages,
        today=today,
    )


def entri_undo_approvals(*, entries: Iterable[EntriKinerja], note: str, by: Pegawai) -> list[EntriKinerja]:
    """Approved entries back to pending, so the verifier decides again (verifikasi reopens a verified month;
    it checks who may). Only approved entries of the satker, only while the month is under verification."""
    stages: dict = {}

    def check(entri: EntriKinerja) -> None:
        if entri.satker_id != by.satker_id:
            raise EntriTidakDapatDiubah("Entri ini milik satker lain.")
        if entri.status != StatusEntri.DISETUJUI:
            raise EntriTidakDapatDiubah("Hanya entri yang sudah disetujui yang dapat dibuka kembali.")
        _check_month_under_verification(entri, None, stages)

    return _set_statuses(entries, check=check, status=StatusEntri.DIAJUKAN, note=note, by=by, stages=stages)


# --- people ------------------------------------------------------------------------------------------------


def pegawai_finish_password_change(*, pegawai: Pegawai, by: Pegawai) -> Pegawai:
    """The person has just changed their own password (Django's form saved it): a password change the Admin
    required is done. Audited either way."""
    if by.pk != pegawai.pk:
        raise DomainError("Kata sandi hanya diganti oleh pemilik akunnya.")
    with transaction.atomic():
        pegawai = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
        note = "Penggantian kata sandi yang diwajibkan" if pegawai.wajib_ganti_sandi else ""
        was = snapshot(pegawai, ["wajib_ganti_sandi"])
        if pegawai.wajib_ganti_sandi:
            pegawai.wajib_ganti_sandi = False
            pegawai.save(update_fields=["wajib_ganti_sandi"])
        audit(
            obj=pegawai,
            actor=by.user,
            action="pegawai_ganti_sandi",
            catatan=note,
            satker=pegawai.satker,
            # the form has saved the new hash already: the row says the password changed, never what it is
            perubahan={"password": [MASKED, MASKED], **diff(was, pegawai, ["wajib_ganti_sandi"])},
        )
    return pegawai
