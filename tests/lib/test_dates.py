"""Moments in a satker's zone and durations in working time, as every document and page writes them."""

import datetime
from types import SimpleNamespace

import pytest

from silabu.lib.dates import format_durasi, format_waktu_zona, satker_time, zone_abbr

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
