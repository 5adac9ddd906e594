"""Reminders (DESIGN §6): a person with empty working days, a verifier whose deadline nears.

Each function looks at one satker on one day, gives each person at most one notice per kind per day (the
notice key carries the day, so a cron job run twice sends nothing new) and e-mails those who have an address.
A day's notice retires the unread one of the days before, which it brings up to date.
E-mails leave only once the notices are committed (`transaction.on_commit`), so a rolled-back run sends none.
With `dry_run` nothing is written or sent; the result says what would have been.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from kinerja.kalender import month_summaries, next_working_day
from kinerja.models import EntriKinerja, JenisPemberitahuan, Pegawai, Pemberitahuan, Satker, TahapPeriode
from kinerja.notices import notice_send, notices_supersede
from kinerja.organisasi import verifier_for
from kinerja.services import periode_tahap, verification_window
from silabu.lib.dates import format_bulan, format_tanggal, shift_month

from .models import LaporanBulanan, StatusLaporan

NOTICE_DAYS = 5  # empty days named in a notice; the rest are counted


@dataclass
class Reminder:
    pegawai: Pegawai
    jenis: str
    kunci: str
    pesan: str
    tautan: str
    subject: str
    body: str

    @property
    def email(self) -> str:
        return self.pegawai.user.email


@dataclass
class ReminderRun:
    """What one function did (or, in a dry run, would do) for one satker on one day."""

    jenis: str
    today: datetime.date
    reminders: list[Reminder] = field(default_factory=list)  # new notices only: repeats are left out
    emails: int = 0
    skipped: str = ""  # why nothing was due, for the command's output
    no_verifier: list[Pegawai] = field(default_factory=list)

    @property
    def notices(self) -> int:
        return len(self.reminders)


def _absolute(path: str) -> str:
    """A link fit for an e-mail: the site's address (settings.SITE_URL) plus the path."""
    return settings.SITE_URL.rstrip("/") + path


def _deliver(
    satker: Satker,
    run: ReminderRun,
    candidates: list[Reminder],
    kunci: str,
    *,
    dry_run: bool,
    send_email: bool,
) -> ReminderRun:
    """Write the notices that are new, retire the older ones of the kind, and queue one e-mail per new notice
    whose recipient has an address."""
    already = set(
        Pemberitahuan.objects.filter(pegawai__in=[r.pegawai for r in candidates], kunci=kunci).values_list(
            "pegawai_id", flat=True
        )
    )
    for reminder in candidates:
        if reminder.pegawai.pk in already:
            continue
        if not dry_run and not notice_send(
            pegawai=reminder.pegawai,
            jenis=reminder.jenis,
            pesan=reminder.pesan,
            tautan=reminder.tautan,
            kunci=reminder.kunci,
        ):
            continue  # a concurrent run sent it first
        run.reminders.append(reminder)
    if not dry_run:
        # Also for people who are no longer reminded: their last notice is out of date.
        notices_supersede(satker=satker, jenis=run.jenis, kunci=kunci)
    messages = [(r.subject, r.body, None, [r.email]) for r in run.reminders if r.email]
    if send_email:
        run.emails = len(messages)
        if messages and not dry_run:
            transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False), robust=True)
    return run


def _email_body(
    pegawai: Pegawai, intro: str, items: list[str], action: str, path: str, note: str = ""
) -> str:
    lines = [
        f"Yth. {pegawai.nama},",
        "",
        intro,
        "",
        *(f"- {item}" for item in items),
        "",
        action,
        _absolute(path),
    ]
    if note:
        lines += ["", note]
    lines += ["", "Pesan ini dikirim otomatis oleh SILABU; tidak perlu dibalas."]
    return "\n".join(lines)


# --- empty working days ------------------------------------------------------------------------------------


def remind_empty_days(
    satker: Satker, today: datetime.date, dry_run: bool = False, *, send_email: bool = True
) -> ReminderRun:
    """Every active ASN with empty working days in the current month before `today` (leave, holidays and
    weekends excluded), while the month is still open for entries: one notice and one e-mail listing them."""
    run = ReminderRun(JenisPemberitahuan.HARI_KOSONG, today)
    year, month = today.year, today.month
    if periode_tahap(satker, year, month, today=today) != TahapPeriode.OPEN:
        run.skipped = f"{format_bulan(year, month)} sudah tidak terbuka untuk entri."
        return run
    people = list(
        Pegawai.objects.active().asn().filter(satker=satker).select_related("user", "satker").order_by("nama")
    )
    summaries = month_summaries(people, year, month, today=today)
    tautan = reverse("kinerja:bulan_saya_now")
    kunci = f"hari_kosong:{today.isoformat()}"
    candidates = []
    for pegawai in people:
        days = [d.date for d in summaries[pegawai.pk].empty_days if d.date < today]
        if not days:
            continue
        # The notice stays short; the e-mail lists every day.
        listed = "; ".join(format_tanggal(d, with_day=True) for d in days[:NOTICE_DAYS])
        if len(days) > NOTICE_DAYS:
            listed += f" dan {len(days) - NOTICE_DAYS} hari lainnya"
        count = f"{len(days)} hari kerja"
        candidates.append(
            Reminder(
                pegawai=pegawai,
                jenis=JenisPemberitahuan.HARI_KOSONG,
                kunci=kunci,
                pesan=f"Hari kerja yang belum terisi: {listed}.",
                tautan=tautan,
                subject=f"[SILABU] {count} belum terisi — {format_bulan(year, month)}",
                body=_email_body(
                    pegawai,
                    f"Data kinerja Anda untuk {count} pada {format_bulan(year, month)} belum terisi:",
                    [format_tanggal(d, with_day=True) for d in days],
                    "Silakan lengkapi melalui menu Bulan saya:",
                    tautan,
                    "Bila pada hari tersebut Anda cuti atau izin yang belum tercatat, "
                    "hubungi Admin SILABU untuk mencatatnya.",
                ),
            )
        )
    return _deliver(satker, run, candidates, kunci, dry_run=dry_run, send_email=send_email)


# --- verification deadlines -------------------------------------------------------------------------------


def unverified_with_entries(satker: Satker, year: int, month: int) -> list[Pegawai]:
    """Active ASN with entries in the month whose LaporanBulanan is not verified yet."""
    with_entries = EntriKinerja.objects.filter(satker=satker).in_month(year, month).values("pegawai_id")
    verified = LaporanBulanan.objects.filter(
        satker=satker, tahun=year, bulan=month, status=StatusLaporan.TERVERIFIKASI
    ).values("pegawai_id")
    return list(
        Pegawai.objects.active()
        .asn()
        .filter(satker=satker, pk__in=with_entries)
        .exclude(pk__in=verified)
        .select_related("satker__sekretaris", "subbagian__kasubag")
        .order_by("nama")
    )


def remind_deadlines(
    satker: Satker, today: datetime.date, dry_run: bool = False, *, send_email: bool = True
) -> ReminderRun:
    """Each verifier who still has people to verify for last month, when its deadline is today or the next
    working day and the month is under verification: one notice and one e-mail naming how many and who."""
    run = ReminderRun(JenisPemberitahuan.TENGGAT_VERIFIKASI, today)
    year, month = shift_month(today.year, today.month, -1)
    label = format_bulan(year, month)
    if periode_tahap(satker, year, month, today=today) != TahapPeriode.VERIFICATION:
        run.skipped = f"{label} tidak dalam tahap verifikasi."
        return run
    deadline = verification_window(satker, year, month).deadline
    if deadline not in (today, next_working_day(satker, today)):
        state = "sudah lewat" if deadline < today else "belum dekat"
        run.skipped = f"Tenggat verifikasi {label} ({format_tanggal(deadline, with_day=True)}) {state}."
        return run
    by_verifier: dict[int, list[Pegawai]] = defaultdict(list)
    for pegawai in unverified_with_entries(satker, year, month):
        verifier = verifier_for(pegawai, today).pegawai
        if verifier is None:
            run.no_verifier.append(pegawai)  # a vacant post with nobody acting: the command reports it
        else:
            by_verifier[verifier.pk].append(pegawai)
    verifiers = Pegawai.objects.select_related("user", "satker").in_bulk(list(by_verifier))
    tautan = reverse("verifikasi:antrean") + f"?tahun={year}&bulan={month}"
    when = format_tanggal(deadline, with_day=True)
    kunci = f"tenggat_verifikasi:{year}-{month:02d}:{today.isoformat()}"
    candidates = []
    for pk, people in by_verifier.items():
        verifier = verifiers[pk]
        candidates.append(
            Reminder(
                pegawai=verifier,
                jenis=JenisPemberitahuan.TENGGAT_VERIFIKASI,
                kunci=kunci,
                pesan=f"{len(people)} pegawai belum diverifikasi untuk {label}, tenggat {when}.",
                tautan=tautan,
                subject=f"[SILABU] Tenggat verifikasi {label}: {when}",
                body=_email_body(
                    verifier,
                    f"{len(people)} pegawai belum diverifikasi untuk {label}. "
                    f"Tenggat verifikasi (SOP langkah 3) adalah {when}.",
                    [p.nama for p in people],
                    "Buka antrean verifikasi:",
                    tautan,
                ),
            )
        )
    return _deliver(satker, run, candidates, kunci, dry_run=dry_run, send_email=send_email)
