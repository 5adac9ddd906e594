"""Plain date helpers: month arithmetic and Indonesian formatting (22 November 2026)."""

import calendar
import datetime

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def days_between(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def nama_bulan(month: int) -> str:
    return BULAN[month - 1]


def format_bulan(year: int, month: int) -> str:
    return f"{BULAN[month - 1]} {year}"


def format_tanggal(day: datetime.date | datetime.datetime | None, with_day: bool = False) -> str:
    if day is None:
        return ""
    text = f"{day.day} {BULAN[day.month - 1]} {day.year}"
    return f"{HARI[day.weekday()]}, {text}" if with_day else text


def format_waktu(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{format_tanggal(moment)} {moment:%H:%M}"
