"""Month-end verification (SOP step 3). Each state change is one function with its guard, lock and audit row.

The verifier of a person's month is whoever `kinerja.organisasi.verifier_for` names on the day of the action:
the Kasubag of their subbagian, the Sekretaris for a Kasubag, or an acting head (Plt/Plh) in their place.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kinerja import services as core
from kinerja.audit import diff, snapshot
from kinerja.errors import require_text
from kinerja.kalender import working_days
from kinerja.models import AuditLog, EntriKinerja, Pegawai, Satker, StatusEntri
from kinerja.organisasi import Verifier, verifier_for
from silabu.lib.dates import month_bounds

from . import policy
from .errors import VerifikasiDitolak
from .models import LaporanBulanan, StatusLaporan


def laporan_for(pegawai: Pegawai, year: int, month: int) -> LaporanBulanan:
    """The person's LaporanBulanan for the month, created on first use."""
    laporan, _ = LaporanBulanan.objects.get_or_create(
        pegawai=pegawai, tahun=year, bulan=month, defaults={"satker_id": pegawai.satker_id}
    )
    return laporan


def current_verifier(laporan: LaporanBulanan, today: datetime.date | None = None) -> Verifier:
    return verifier_for(laporan.pegawai, today or laporan.pegawai.satker.today())


def _check_can_decide(laporan: LaporanBulanan, by: Pegawai, today: datetime.date | None = None) -> Verifier:
    """Raise unless `by` verifies this month now, or on `today` (verifikasi.policy.check_can_decide); the verifier
    it signs as."""
    verifier = current_verifier(laporan, today)
    tahap = (
        core.periode_tahap(laporan.pegawai.satker, laporan.tahun, laporan.bulan, today=today)
        if today
        else None
    )
    policy.check_can_decide(laporan, by=by, verifier=verifier, tahap=tahap)
    return verifier


def _locked(laporan: LaporanBulanan) -> LaporanBulanan:
    """The month's lock first (shared: rekap's compile waits for this decision, and none starts while it runs),
    then the LaporanBulanan: the order core.periode_lock gives every writer of a month."""
    core.periode_rows(laporan.satker, [datetime.date(laporan.tahun, laporan.bulan, 1)])
    core.periode_lock(laporan.satker, laporan.tahun, laporan.bulan, shared=True)
    return (
        LaporanBulanan.objects.select_for_update(of=("self",))
        .select_related("pegawai__satker")
        .get(pk=laporan.pk)
    )


def _entri_of(laporan: LaporanBulanan, entri: EntriKinerja) -> None:
    start, end = month_bounds(laporan.tahun, laporan.bulan)
    if entri.pegawai_id != laporan.pegawai_id or not (start <= entri.tanggal <= end):
        raise VerifikasiDitolak("Entri ini bukan bagian dari laporan bulan ini.")


def entri_approve(*, laporan: LaporanBulanan, entri: EntriKinerja, by: Pegawai) -> EntriKinerja:
    with transaction.atomic():
        laporan = _locked(laporan)
        _check_can_decide(laporan, by)
        _entri_of(laporan, entri)
        return core.entri_set_decision(entri=entri, status=StatusEntri.DISETUJUI, note="", by=by)


def entri_return(*, laporan: LaporanBulanan, entri: EntriKinerja, by: Pegawai, note: str) -> EntriKinerja:
    note = require_text(
        note,
        field="catatan",
        message="Tulis catatan untuk pegawai: apa yang perlu diperbaiki.",
        error=VerifikasiDitolak,
    )
    with transaction.atomic():
        laporan = _locked(laporan)
        _check_can_decide(laporan, by)
        _entri_of(laporan, entri)
        return core.entri_set_decision(entri=entri, status=StatusEntri.DIKEMBALIKAN, note=note, by=by)


def _entries_of(laporan: LaporanBulanan):
    return EntriKinerja.objects.for_month(laporan.pegawai_id, laporan.tahun, laporan.bulan)


def _local_day(laporan: LaporanBulanan, moment: datetime.datetime | None) -> datetime.date | None:
    return moment.astimezone(laporan.pegawai.satker.tz).date() if moment is not None else None


def entri_approve_remaining(
    *, laporan: LaporanBulanan, by: Pegawai, as_of: datetime.datetime | None = None
) -> int:
    """Approve every entry still waiting for a decision; returned ones stay with the ASN. Returns the count.

    `as_of`: only for a loader writing history (the demo); the step is checked and recorded as at that moment."""
    with transaction.atomic():
        laporan = _locked(laporan)
        _check_can_decide(laporan, by, _local_day(laporan, as_of))
        approved = core.entri_set_decisions(
            entries=_entries_of(laporan).pending(),
            status=StatusEntri.DISETUJUI,
            note="Disetujui bersama (setujui semua yang tersisa)",
            by=by,
            as_of=as_of,
        )
    return len(approved)


def laporan_counts(laporan: LaporanBulanan) -> dict[str, int]:
    return _entries_of(laporan).status_counts()


# what the audit row of a verification records
VERIFY_FIELDS = (
    "status",
    "verifikator",
    "verifikator_acting",
    "verifikator_jabatan",
    "diverifikasi_pada",
    "catatan",
)


def laporan_verify(
    *, laporan: LaporanBulanan, by: Pegawai, note: str = "", as_of: datetime.datetime | None = None
) -> LaporanBulanan:
    """Close the person's month as verified: only when every entry has been approved.

    `as_of`: only for a loader writing history (the demo); the step is checked and recorded as at that moment:
    the verifier of that day, the month's stage on that day, that time on the record and its audit row."""
    with transaction.atomic():
        laporan = _locked(laporan)
        verifier = _check_can_decide(laporan, by, _local_day(laporan, as_of))
        policy.check_entries_decided(laporan_counts(laporan))
        was = snapshot(laporan, VERIFY_FIELDS)
        laporan.status = StatusLaporan.TERVERIFIKASI
        laporan.verifikator = by
        laporan.verifikator_acting = verifier.acting
        laporan.verifikator_jabatan = verifier.sign_title
        laporan.diverifikasi_pada = as_of or timezone.now()
        laporan.catatan = (note or "").strip()
        laporan.save(
            update_fields=[
                "status",
                "verifikator",
                "verifikator_acting",
                "verifikator_jabatan",
                "diverifikasi_pada",
                "catatan",
            ]
        )
        title = f" sebagai {verifier.sign_title}" if verifier.acting else ""
        core.audit(
            obj=laporan,
            actor=by.user,
            action="laporan_diverifikasi",
            dari=StatusLaporan.BELUM,
            ke=StatusLaporan.TERVERIFIKASI,
            catatan=f"{laporan.catatan}{title}".strip(),
            satker=laporan.satker,
            waktu=laporan.diverifikasi_pada,
            perubahan=diff(was, laporan, VERIFY_FIELDS),
        )
    return laporan


def laporan_reopen(*, laporan: LaporanBulanan, by: Pegawai, reason: str) -> LaporanBulanan:
    """Only the Sekretaris reopens a verified month, with a reason. Its approvals are undone so the verifier
    can decide again; nothing is reopened once the month has been compiled."""
    reason = (reason or "").strip()
    with transaction.atomic():
        laporan = _locked(laporan)
        policy.check_can_reopen(laporan, by=by)
        reason = require_text(
            reason,
            field="alasan",
            message="Tuliskan alasan membuka kembali verifikasi.",
            error=VerifikasiDitolak,
        )
        core.entri_undo_approvals(
            entries=_entries_of(laporan).approved(), note=f"Verifikasi dibuka kembali: {reason}", by=by
        )
        was = snapshot(laporan, ["status", "diverifikasi_pada"])
        laporan.status = StatusLaporan.BELUM
        laporan.diverifikasi_pada = None
        laporan.save(update_fields=["status", "diverifikasi_pada"])
        core.audit(
            obj=laporan,
            actor=by.user,
            action="laporan_dibuka_kembali",
            dari=StatusLaporan.TERVERIFIKASI,
            ke=StatusLaporan.BELUM,
            catatan=reason,
            satker=laporan.satker,
            perubahan=diff(was, laporan, ["status", "diverifikasi_pada"]),
        )
    return laporan


def laporan_lock_month(*, satker: Satker, year: int, month: int, people: list[Pegawai]) -> list[int]:
    """Give each of `people` their LaporanBulanan of the month (created if missing) and lock every one of the
    month's rows until the caller's transaction ends: a decision in flight holds its row, so this waits for it,
    and none can start before the caller is done (rekap compiles the month this way). Returns the rows' pks."""
    with transaction.atomic():
        LaporanBulanan.objects.bulk_create(
            [LaporanBulanan(satker=satker, pegawai=p, tahun=year, bulan=month) for p in people],
            ignore_conflicts=True,
        )
        return list(
            LaporanBulanan.objects.select_for_update(of=("self",))
            .filter(satker=satker, tahun=year, bulan=month)
            .values_list("pk", flat=True)
        )


def laporan_history(laporan: LaporanBulanan):
    return AuditLog.objects.filter(
        content_type__app_label="verifikasi", content_type__model="laporanbulanan", object_id=laporan.pk
    ).select_related("actor__pegawai")


# --- the SOP's deadline ------------------------------------------------------------------------------------


@dataclass
class Deadline:
    opens: datetime.date
    due: datetime.date
    working_days_left: int  # negative: late by that many working days

    @property
    def late(self) -> bool:
        return self.working_days_left < 0


def deadline_for(satker, year: int, month: int, today: datetime.date) -> Deadline:
    """The SOP's three working days: how many are left (today included), or how late it is."""
    window = core.verification_window(satker, year, month)
    if today <= window.deadline:
        left = len(working_days(satker, max(today, window.opens), window.deadline))
    else:
        left = -len(working_days(satker, window.deadline + datetime.timedelta(days=1), today))
    return Deadline(window.opens, window.deadline, left)
