"""Plain date helpers: month arithmetic and the Indonesian way of writing dates, times and durations.

22 November 2026; 22 November 2026 14:05 WITA (a moment, in the zone of the satker that shows it);
4 hari kerja 2 jam (a duration in working time).
"""

import calendar
import datetime
from zoneinfo import ZoneInfo

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
# Indonesia's three zones as people name them; any other zone is shown by its name.
ZONE_ABBR = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


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
    """The wall clock of a moment as it is given, without a zone: only for a moment already in the zone its
    reader lives in (format_waktu_zona converts and labels it)."""
    if moment is None:
        return ""
    return f"{format_tanggal(moment)} {moment:%H:%M}"


# --- moments in a satker's zone ------------------------------------------------------------------------------


def zone_abbr(zone: str) -> str:
    """WIB, WITA or WIT for a zone name (Asia/Jakarta ...); another zone keeps its name."""
    return ZONE_ABBR.get(zone, zone)


def zone_name(zone) -> str:
    """The zone name of a satker (anything with `zona_waktu`), a ZoneInfo, or a zone name itself."""
    if hasattr(zone, "zona_waktu"):
        return zone.zona_waktu
    return getattr(zone, "key", None) or str(zone)


def in_zone(moment: datetime.datetime, zone) -> datetime.datetime:
    """An aware moment as a wall clock in `zone` (a satker, a ZoneInfo or a zone name)."""
    return moment.astimezone(ZoneInfo(zone_name(zone)))


def format_waktu_zona(moment: datetime.datetime | None, zone) -> str:
    """A moment as it reads in `zone` (a satker, a ZoneInfo or a zone name), with the zone's label:
    22 November 2026 15:05 WITA. The one way a moment is written for people: pages (the `waktu` filter),
    documents, spreadsheets and mails (`satker_time`)."""
    if moment is None:
        return ""
    name = zone_name(zone)
    return f"{format_waktu(moment.astimezone(ZoneInfo(name)))} {zone_abbr(name)}"


def satker_time(satker, moment: datetime.datetime | None) -> str:
    """A moment in the zone of a satker (anything with `zona_waktu`), as every document prints it."""
    return format_waktu_zona(moment, satker.zona_waktu)


# --- durations -----------------------------------------------------------------------------------------------


def format_durasi(minutes: int = 0, *, working_days: int = 0, minutes_per_day: int | None = None) -> str:
    """A working duration as people say it: "4 hari kerja 2 jam", "1 jam 35 menit", "45 menit".

    `working_days` whole working days plus `minutes` of working time; with `minutes_per_day` (the length of a
    working day), minutes that make whole days count as days. Units that are zero are left out; nothing at all
    is "0 menit".
    """
    minutes = max(0, int(minutes))
    days = max(0, int(working_days))
    if minutes_per_day:
        days += minutes // minutes_per_day
        minutes %= minutes_per_day
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} hari kerja")
    if hours:
        parts.append(f"{hours} jam")
    if minutes or not parts:
        parts.append(f"{minutes} menit")
    return " ".join(parts)


def format_lama(amount: int, unit: str) -> str:
    """An elapsed amount counted in a standard's unit ("menit" or "hari kerja", kinerja.SatuanWaktu) as people
    say it: 105 menit -> "1 jam 45 menit", 0 menit -> "0 menit", 3 hari kerja -> "3 hari kerja"."""
    if unit == "hari kerja":
        return f"{max(0, int(amount))} hari kerja"
    return format_durasi(amount)


def format_lama_kerja(start: datetime.datetime, end: datetime.datetime, working_days: int, zone) -> str:
    """How long something took from `start` to `end` in working time, as format_durasi writes it: the working
    days after the day it started (`working_days`, counted by the caller's calendar) and the difference of the
    two wall clocks in `zone`. Mon 09:00 to Fri 11:00 is "4 hari kerja 2 jam"; Mon 15:00 to Tue 09:00, less
    than a day, is "18 jam"; within one day, the minutes it took ("1 jam 35 menit")."""
    start, end = in_zone(start, zone), in_zone(end, zone)
    if working_days <= 0 or end.date() == start.date():
        return format_durasi(int((end - start).total_seconds() // 60))
    clock = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if clock < 0:  # the last day's clock is behind the first's: not yet a whole working day
        working_days, clock = working_days - 1, clock + 24 * 60
    return format_durasi(clock, working_days=working_days)


def format_terhadap_mutu(lama: str, mutu: str) -> str:
    """A duration against its standard (mutu baku), the one way pages say it:
    "4 hari kerja 2 jam (mutu baku 120 menit)"; a step without a standard ("—" or "") shows the duration."""
    return f"{lama} (mutu baku {mutu})" if mutu and mutu != "—" else lama
