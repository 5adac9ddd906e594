"""Month-end verification (SOP step 3). Each state change is one function with its guard, lock and audit row.

The verifier of a person's month is whoever `kinerja.organisasi.verifier_for` names on the day of the action:
the Kasubag of their subbagian, the Sekretaris for a Kasubag, or an acting head (Plt/Plh) in their place.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kinerja import services as core
from kinerja.kalender import working_days
from kinerja.models import AuditLog, EntriKinerja, Pegawai, StatusEntri
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


def _check_can_decide(laporan: LaporanBulanan, by: Pegawai) -> Verifier:
    """Raise unless `by` verifies this month now (verifikasi.policy.check_can_decide); the verifier it signs as."""
    verifier = current_verifier(laporan)
    policy.check_can_decide(laporan, by=by, verifier=verifier)
    return verifier


def _locked(laporan: LaporanBulanan) -> LaporanBulanan:
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
        return core.entri_set_decision(entri=entri, status=StatusEntri.DISETUJUI, note="", by=by.user)


def entri_return(*, laporan: LaporanBulanan, entri: EntriKinerja, by: Pegawai, note: str) -> EntriKinerja:
    note = (note or "").strip()
    if not note:
        raise VerifikasiDitolak("Tulis catatan untuk pegawai: apa yang perlu diperbaiki.")
    with transaction.atomic():
        laporan = _locked(laporan)
        _check_can_decide(laporan, by)
        _entri_of(laporan, entri)
        return core.entri_set_decision(entri=entri, status=StatusEntri.DIKEMBALIKAN, note=note, by=by.user)


def entri_approve_remaining(*, laporan: LaporanBulanan, by: Pegawai) -> int:
    """Approve every entry still waiting for a decision; returned ones stay with the ASN. Returns the count."""
    with transaction.atomic():
        laporan = _locked(laporan)
        _check_can_decide(laporan, by)
        start, end = month_bounds(laporan.tahun, laporan.bulan)
        pending = list(
            EntriKinerja.objects.select_for_update()
            .filter(pegawai_id=laporan.pegawai_id, tanggal__range=(start, end), status=StatusEntri.DIAJUKAN)
            .order_by("pk")
        )
        now = timezone.now()
        EntriKinerja.objects.filter(pk__in=[e.pk for e in pending]).update(
            status=StatusEntri.DISETUJUI, catatan_verifikasi="", diubah=now
        )
        core.audit_many(
            objs=pending,
            actor=by.user,
            action="entri_keputusan",
            dari=StatusEntri.DIAJUKAN,
            ke=StatusEntri.DISETUJUI,
            catatan="Disetujui bersama (setujui semua yang tersisa)",
            satker=laporan.satker,
        )
    return len(pending)


def laporan_counts(laporan: LaporanBulanan) -> dict[str, int]:
    start, end = month_bounds(laporan.tahun, laporan.bulan)
    counts = {s: 0 for s in StatusEntri.values}
    rows = EntriKinerja.objects.filter(
        pegawai_id=laporan.pegawai_id, tanggal__range=(start, end)
    ).values_list("status", flat=True)
    for status in rows:
        counts[status] += 1
    return counts


def laporan_verify(*, laporan: LaporanBulanan, by: Pegawai, note: str = "") -> LaporanBulanan:
    """Close the person's month as verified: only when every entry has been approved."""
    with transaction.atomic():
        laporan = _locked(laporan)
        verifier = _check_can_decide(laporan, by)
        policy.check_entries_decided(laporan_counts(laporan))
        laporan.status = StatusLaporan.TERVERIFIKASI
        laporan.verifikator = by
        laporan.verifikator_acting = verifier.acting
        laporan.verifikator_jabatan = verifier.sign_title
        laporan.diverifikasi_pada = timezone.now()
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
        )
    return laporan


def laporan_reopen(*, laporan: LaporanBulanan, by: Pegawai, reason: str) -> LaporanBulanan:
    """Only the Sekretaris reopens a verified month, with a reason. Its approvals are undone so the verifier
    can decide again; nothing is reopened once the month has been compiled."""
    reason = (reason or "").strip()
    with transaction.atomic():
        laporan = _locked(laporan)
        policy.check_can_reopen(laporan, by=by)
        if not reason:
            raise VerifikasiDitolak("Tuliskan alasan membuka kembali verifikasi.")
        start, end = month_bounds(laporan.tahun, laporan.bulan)
        approved = list(
            EntriKinerja.objects.select_for_update().filter(
                pegawai_id=laporan.pegawai_id, tanggal__range=(start, end), status=StatusEntri.DISETUJUI
            )
        )
        EntriKinerja.objects.filter(pk__in=[e.pk for e in approved]).update(
            status=StatusEntri.DIAJUKAN, diubah=timezone.now()
        )
        core.audit_many(
            objs=approved,
            actor=by.user,
            action="entri_keputusan",
            dari=StatusEntri.DISETUJUI,
            ke=StatusEntri.DIAJUKAN,
            catatan=f"Verifikasi dibuka kembali: {reason}",
            satker=laporan.satker,
        )
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
        )
    return laporan


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
