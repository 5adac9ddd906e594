"""The working calendar: weekends, the satker's holidays (HariLibur) and a person's leave (Ketidakhadiran).

Every function reads the calendar in one or two queries for a whole range, never one per day.
"""

import datetime
from dataclasses import dataclass

from silabu.lib.dates import days_between, month_bounds

from .models import HariLibur, Ketidakhadiran, Pegawai, Satker


def holidays_between(satker: Satker, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    rows = HariLibur.objects.filter(satker=satker, tanggal__range=(start, end)).values_list("tanggal", "nama")
    return dict(rows)


def leave_between(pegawai: Pegawai, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    days: dict[datetime.date, str] = {}
    rows = Ketidakhadiran.objects.filter(pegawai=pegawai, mulai__lte=end, selesai__gte=start)
    for row in rows:
        label = row.get_jenis_display()
        for day in days_between(max(row.mulai, start), min(row.selesai, end)):
            days[day] = label
    return days


def is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


def working_days(
    satker: Satker, start: datetime.date, end: datetime.date, holidays: dict | None = None
) -> list[datetime.date]:
    if holidays is None:
        holidays = holidays_between(satker, start, end)
    return [d for d in days_between(start, end) if not is_weekend(d) and d not in holidays]


def next_working_day(satker: Satker, day: datetime.date) -> datetime.date:
    # Look ahead a month at once: the longest Indonesian holiday run (Lebaran) is well under that.
    horizon = day + datetime.timedelta(days=31)
    days = working_days(satker, day + datetime.timedelta(days=1), horizon)
    return days[0] if days else horizon


def add_working_days(satker: Satker, day: datetime.date, count: int) -> datetime.date:
    horizon = day + datetime.timedelta(days=31 + count * 2)
    days = working_days(satker, day + datetime.timedelta(days=1), horizon)
    return days[count - 1]


def is_filled_late(satker: Satker, work_day: datetime.date, created_on: datetime.date) -> bool:
    """Late: entered more than one working day after the day of the work."""
    if created_on <= work_day + datetime.timedelta(days=1):
        return False
    return created_on > next_working_day(satker, work_day)


class DayState:
    FILLED = "filled"
    FILLED_LATE = "filled_late"
    EMPTY = "empty"
    HOLIDAY = "holiday"
    WEEKEND = "weekend"
    LEAVE = "leave"
    FUTURE = "future"

    LABELS = {
        FILLED: "Terisi",
        FILLED_LATE: "Terisi terlambat",
        EMPTY: "Kosong",
        HOLIDAY: "Libur",
        WEEKEND: "Akhir pekan",
        LEAVE: "Cuti/izin",
        FUTURE: "Belum tiba",
    }


@dataclass
class Day:
    date: datetime.date
    state: str
    label: str = ""  # the holiday's or the leave's name
    entries: int = 0

    @property
    def state_label(self) -> str:
        return DayState.LABELS[self.state]

    @property
    def is_expected(self) -> bool:
        return self.state in (DayState.FILLED, DayState.FILLED_LATE, DayState.EMPTY)


@dataclass
class MonthSummary:
    year: int
    month: int
    days: list[Day]

    @property
    def expected(self) -> int:
        return sum(1 for d in self.days if d.is_expected)

    @property
    def filled(self) -> int:
        return sum(1 for d in self.days if d.state in (DayState.FILLED, DayState.FILLED_LATE))

    @property
    def filled_late(self) -> int:
        return sum(1 for d in self.days if d.state == DayState.FILLED_LATE)

    @property
    def empty_days(self) -> list[Day]:
        return [d for d in self.days if d.state == DayState.EMPTY]

    @property
    def completeness(self) -> float | None:
        """Filled working days ÷ expected working days, as a percentage; None when nothing is expected yet."""
        return round(100 * self.filled / self.expected, 1) if self.expected else None

    @property
    def weeks(self) -> list[list[Day | None]]:
        """Monday-first weeks for a calendar grid, padded with None."""
        first_weekday = self.days[0].date.weekday()
        cells: list[Day | None] = [None] * first_weekday + list(self.days)
        cells += [None] * (-len(cells) % 7)
        return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def _build_summary(year, month, start, end, today, holidays, leave, entry_days) -> MonthSummary:
    days = []
    for day in days_between(start, end):
        count, late = entry_days.get(day, (0, False))
        if is_weekend(day):
            state, label = DayState.WEEKEND, ""
        elif day in holidays:
            state, label = DayState.HOLIDAY, holidays[day]
        elif day in leave:
            state, label = DayState.LEAVE, leave[day]
        elif count:
            state, label = (DayState.FILLED_LATE if late else DayState.FILLED), ""
        elif day > today:
            state, label = DayState.FUTURE, ""
        else:
            state, label = DayState.EMPTY, ""
        days.append(Day(day, state, label, count))
    return MonthSummary(year, month, days)


def _entry_days(rows) -> dict:
    """{(pegawai_id, date): (count, all_late)} from (pegawai_id, date, filled_late) rows.

    A day counts as late only if every entry on it came late."""
    result: dict = {}
    for pegawai_id, day, late in rows:
        count, all_late = result.get((pegawai_id, day), (0, True))
        result[(pegawai_id, day)] = (count + 1, all_late and late)
    return result


def month_summary(
    pegawai: Pegawai, year: int, month: int, *, today: datetime.date | None = None
) -> MonthSummary:
    """The person's month day by day: filled / filled late / empty / holiday / weekend / leave / not yet come."""
    return month_summaries([pegawai], year, month, today=today)[pegawai.pk]


def month_summaries(
    people: list[Pegawai], year: int, month: int, *, today: datetime.date | None = None
) -> dict[int, MonthSummary]:
    """month_summary for many people of one satker in three queries, whatever their number."""
    from .models import EntriKinerja  # the entry model is in this app; imported here to keep the top light

    if not people:
        return {}
    satker = people[0].satker
    start, end = month_bounds(year, month)
    today = today or satker.today()
    holidays = holidays_between(satker, start, end)
    ids = [p.pk for p in people]
    leave: dict[int, dict[datetime.date, str]] = {pk: {} for pk in ids}
    for row in Ketidakhadiran.objects.filter(pegawai_id__in=ids, mulai__lte=end, selesai__gte=start):
        label = row.get_jenis_display()
        for day in days_between(max(row.mulai, start), min(row.selesai, end)):
            leave[row.pegawai_id][day] = label
    rows = (
        EntriKinerja.objects.filter(pegawai_id__in=ids)
        .in_month(year, month)
        .values_list("pegawai_id", "tanggal", "filled_late")
    )
    per_person: dict[int, dict] = {pk: {} for pk in ids}
    for (pegawai_id, day), value in _entry_days(rows).items():
        per_person[pegawai_id][day] = value
    return {
        pk: _build_summary(year, month, start, end, today, holidays, leave[pk], per_person[pk]) for pk in ids
    }
