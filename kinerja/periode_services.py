"""The month's stage (Periode): when verification opens, the stage a month is in, the stage recorded when reached,
and the month's one lock that every writer of the month takes first. Each change leaves an audit row."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from silabu.lib.dates import month_bounds, shift_month
from silabu.lib.periods import month_label

from .audit import audit
from .errors import PeriodeTerkunci
from .kalender import holidays_between, working_days
from .models import EntriKinerja, Pegawai, Periode, Satker, TahapPeriode


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


def periode_lock_months(
    satker: Satker, dates: Iterable[datetime.date], today: datetime.date | None = None
) -> dict:
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
