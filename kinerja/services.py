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

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from silabu.lib.periods import month_label

from .audit import MASKED, audit, audit_many, diff, snapshot
from .errors import DomainError, EntriTidakDapatDiubah, KodeOutputDitolak, PeriodeTerkunci, TanggalTidakValid
from .evidence import ProcessedFile, named_as_kind
from .kalender import is_filled_late
from .models import (
    LOCKED_STAGES,
    BuktiDukung,
    EntriKinerja,
    JenisBukti,
    KodeOutput,
    Pegawai,
    Satker,
    StatusEntri,
    TahapPeriode,
)
from .periode_services import (  # noqa: F401 (the month's rules, re-exported for callers of kinerja.services)
    VerificationWindow,
    before_start,
    effective_tahap,
    periode_lock,
    periode_lock_months,
    periode_record_reached,
    periode_rows,
    periode_set_tahap,
    periode_tahap,
    satker_start,
    verification_window,
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
            _check_new_date(pegawai, data["tanggal"], periode_lock_months(pegawai.satker, [data["tanggal"]]))
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
        stages = periode_lock_months(by.satker, [entri.tanggal, data.get("tanggal", entri.tanggal)])
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
        stages = periode_lock_months(by.satker, [entri.tanggal])
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
            stages.update(periode_lock_months(by.satker, [e.tanggal for e in entries], today))
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
