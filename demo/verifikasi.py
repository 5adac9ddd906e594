"""Demo verification (SOP step 3) on top of kinerja's demo data, made through the verification services.

Two months ago: every month verified by its verifier, ready for compilation. Last month: under verification,
with a realistic mix: KUL done by its Kasubag, Rendatin part-way (entries returned with notes, some approved,
one person verified), Hukum untouched, and Teknis verified by a Plt. Then today's reminders, as notices.
"""

import calendar
import datetime
import sys

from kinerja import kalender_services
from kinerja.models import EntriKinerja, JenisPenjabat, Pegawai, PenjabatSementara, Satker, StatusEntri
from kinerja.organisasi import verifier_for
from silabu.lib.dates import format_bulan, shift_month
from verifikasi.reminders import remind_deadlines, remind_empty_days, unverified_with_entries
from verifikasi.services import (
    entri_approve,
    entri_approve_remaining,
    entri_return,
    laporan_for,
    laporan_verify,
)

# (what the note asks for, which entry it fits best)
RETURN_NOTES = [
    (
        "Lampirkan notulen rapat sebagai bukti dukung.",
        lambda e: "rapat" in e.nama_kegiatan.lower(),
    ),
    (
        "Volume tidak sesuai bukti foto; perbaiki volume atau tambahkan foto yang sesuai.",
        lambda e: e.volume > 1 and any(b.is_image for b in e.bukti.all()),
    ),
    (
        "Output hasil terlalu umum; sebutkan dokumen yang dihasilkan beserta nomornya.",
        lambda e: True,
    ),
]


def _verify(pegawai: Pegawai, year: int, month: int, today: datetime.date):
    """The whole month approved and verified by whoever verifies this person today."""
    verifier = verifier_for(pegawai, today).pegawai
    laporan = laporan_for(pegawai, year, month)
    entri_approve_remaining(laporan=laporan, by=verifier)
    return laporan_verify(laporan=laporan, by=verifier)


def _month_entries(pegawai: Pegawai, year: int, month: int) -> list[EntriKinerja]:
    return list(
        EntriKinerja.objects.for_month(pegawai, year, month)
        .prefetch_related("bukti")
        .order_by("tanggal", "pk")
    )


def _return_some(pegawai: Pegawai, year: int, month: int, today: datetime.date, count: int) -> int:
    """Return `count` entries with notes that fit them; returns how many were returned."""
    verifier = verifier_for(pegawai, today).pegawai
    laporan = laporan_for(pegawai, year, month)
    entries = _month_entries(pegawai, year, month)
    used: set[int] = set()
    for note, fits in RETURN_NOTES[:count]:
        entri = next((e for e in entries if e.pk not in used and fits(e)), None)
        if entri is None:
            continue
        used.add(entri.pk)
        entri_return(laporan=laporan, entri=entri, by=verifier, note=note)
    return len(used)


def _approve_some(pegawai: Pegawai, year: int, month: int, today: datetime.date, count: int) -> int:
    verifier = verifier_for(pegawai, today).pegawai
    laporan = laporan_for(pegawai, year, month)
    pending = [e for e in _month_entries(pegawai, year, month) if e.status == StatusEntri.DIAJUKAN]
    for entri in pending[:count]:
        entri_approve(laporan=laporan, entri=entri, by=verifier)
    return min(count, len(pending))


def appoint_plt_teknis(satker: Satker, people: dict, today: datetime.date) -> PenjabatSementara:
    """The Teknis head is away from this month on: a Plt from the 1st to the end of next month, starting after
    any earlier acting appointment for the post (so two never cover the same day)."""
    teknis = people["TEKNIS"][0].subbagian
    next_year, next_month = shift_month(today.year, today.month, 1)
    mulai = today.replace(day=1)
    selesai = datetime.date(next_year, next_month, calendar.monthrange(next_year, next_month)[1])
    earlier = (
        PenjabatSementara.objects.filter(subbagian=teknis, mulai__lte=selesai, selesai__gte=mulai)
        .order_by("-selesai")
        .values_list("selesai", flat=True)
        .first()
    )
    if earlier is not None:
        mulai = earlier + datetime.timedelta(days=1)
    return kalender_services.penjabat_add(
        satker=satker,
        subbagian=teknis,
        pegawai=people["TEKNIS"][1],
        jenis=JenisPenjabat.PLT,
        mulai=mulai,
        selesai=selesai,
        nomor_sk=f"800/245/PL.02-Kpt/3319/{today.year}",
        by=people["admin"],
    )


def seed_verification(satker: Satker, people: dict, today: datetime.date, *, verbosity: int = 1, stdout=None):
    """Verify the demo's past months through the services (see the module docstring); returns the counts."""
    plt = appoint_plt_teknis(satker, people, today)
    counts = {"verified_before": 0, "verified_last": 0, "returned": 0, "approved": 0, "notices": 0}

    # Two months ago: everyone with entries, by their verifier (a Kasubag's month by the Sekretaris).
    year2, month2 = shift_month(today.year, today.month, -2)
    for pegawai in unverified_with_entries(satker, year2, month2):
        _verify(pegawai, year2, month2, today)
        counts["verified_before"] += 1

    year1, month1 = shift_month(today.year, today.month, -1)
    kul, rendatin, teknis = people["KUL"], people["RENDATIN"], people["TEKNIS"]
    # KUL: the Kasubag has verified all staff; the Sekretaris has verified the Kasubag.
    for pegawai in kul:
        _verify(pegawai, year1, month1, today)
        counts["verified_last"] += 1
    # Teknis: the Plt has verified the staff (the Kasubag's and the Plt's own months wait for the Sekretaris).
    for pegawai in teknis[2:]:
        _verify(pegawai, year1, month1, today)
        counts["verified_last"] += 1
    # Rendatin: part-way. One person verified, two with returned entries, one with a few approvals so far.
    staff = rendatin[1:]
    if staff:
        _verify(staff[0], year1, month1, today)
        counts["verified_last"] += 1
    for pegawai, returns, approvals in zip(staff[1:], (2, 1, 0), (None, 3, 2), strict=False):
        if returns:
            counts["returned"] += _return_some(pegawai, year1, month1, today, returns)
        if approvals is None:
            laporan = laporan_for(pegawai, year1, month1)
            counts["approved"] += entri_approve_remaining(
                laporan=laporan, by=verifier_for(pegawai, today).pegawai
            )
        else:
            counts["approved"] += _approve_some(pegawai, year1, month1, today, approvals)
    # Hukum: nothing decided yet.

    # Today's reminders, as the daily job would leave them (the demo accounts have no e-mail address).
    for remind in (remind_empty_days, remind_deadlines):
        counts["notices"] += remind(satker, today, send_email=False).notices

    if verbosity:
        out = stdout or sys.stdout
        out.write(
            f"Verifikasi demo: {format_bulan(year2, month2)} {counts['verified_before']} laporan terverifikasi; "
            f"{format_bulan(year1, month1)} {counts['verified_last']} terverifikasi "
            f"(Teknis oleh {plt.jenis}. {plt.pegawai.nama}), {counts['returned']} entri dikembalikan, "
            f"{counts['approved']} entri disetujui; {counts['notices']} pemberitahuan.\n"
        )
    return counts
