"""Moments in a satker's zone and durations in working time, as every document and page writes them."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from silabu.lib.dates import (
    format_durasi,
    format_lama,
    format_lama_kerja,
    format_terhadap_mutu,
    format_waktu_zona,
    satker_time,
    zone_abbr,
)

# 17:30 UTC on 21 November is already 22 November in all three Indonesian zones.
LATE_EVENING_UTC = datetime.datetime(2026, 11, 21, 17, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Jakarta", "22 November 2026 00:30 WIB"),
        ("Asia/Makassar", "22 November 2026 01:30 WITA"),
        ("Asia/Jayapura", "22 November 2026 02:30 WIT"),
    ],
)
def test_a_moment_reads_in_the_satkers_zone_with_its_label_even_when_the_utc_date_differs(zone, expected):
    satker = SimpleNamespace(zona_waktu=zone)
    assert satker_time(satker, LATE_EVENING_UTC) == expected
    assert format_waktu_zona(LATE_EVENING_UTC, zone) == expected


def test_a_moment_already_in_another_zone_is_converted_not_relabelled():
    in_jakarta = LATE_EVENING_UTC.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert (
        satker_time(SimpleNamespace(zona_waktu="Asia/Makassar"), in_jakarta) == "22 November 2026 01:30 WITA"
    )


def test_zone_labels_and_an_unknown_zone():
    assert [zone_abbr(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")] == [
        "WIB",
        "WITA",
        "WIT",
    ]
    assert zone_abbr("Asia/Tokyo") == "Asia/Tokyo"
    assert format_waktu_zona(None, "Asia/Jakarta") == ""


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((120,), {"working_days": 4}, "4 hari kerja 2 jam"),
        ((95,), {}, "1 jam 35 menit"),
        ((45,), {}, "45 menit"),
        ((120,), {}, "2 jam"),
        ((0,), {"working_days": 2}, "2 hari kerja"),
        ((5,), {"working_days": 1}, "1 hari kerja 5 menit"),
        ((0,), {}, "0 menit"),
        ((-30,), {}, "0 menit"),
        ((2038,), {"minutes_per_day": 480}, "4 hari kerja 1 jam 58 menit"),
        ((960,), {"minutes_per_day": 480, "working_days": 1}, "3 hari kerja"),
    ],
)
def test_durations_in_working_days_hours_and_minutes(args, kwargs, expected):
    assert format_durasi(*args, **kwargs) == expected


# --- durations against a standard (issue 12, item 11) --------------------------------------------------------

WIB_ = "Asia/Jakarta"


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=ZoneInfo(WIB_))


@pytest.mark.parametrize(
    ("start", "end", "working_days", "expected"),
    [
        (_at(2, 9), _at(6, 11), 4, "4 hari kerja 2 jam"),  # Monday 09:00 to Friday 11:00
        (_at(2, 15), _at(3, 9), 1, "18 jam"),  # not yet a working day
        (_at(2, 8, 20), _at(2, 10, 21), 0, "2 jam 1 menit"),  # within the day
        (_at(2, 9), _at(5, 9), 3, "3 hari kerja"),
    ],
)
def test_time_taken_in_working_days_and_hours(start, end, working_days, expected):
    assert format_lama_kerja(start, end, working_days, WIB_) == expected


def test_elapsed_amounts_in_a_standards_unit_and_against_it():
    assert format_lama(1978, "menit") == "32 jam 58 menit"
    assert format_lama(105, "menit") == "1 jam 45 menit"
    assert format_lama(5, "hari kerja") == "5 hari kerja"
    assert format_lama(0, "hari kerja") == "0 hari kerja"
    assert (
        format_terhadap_mutu("4 hari kerja 2 jam", "120 menit") == "4 hari kerja 2 jam (mutu baku 120 menit)"
    )
    assert format_terhadap_mutu("2 jam", "—") == "2 jam"
