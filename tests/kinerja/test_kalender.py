"""The working calendar: weekends, each satker's holidays, leave, late filling and the month at a glance."""

import datetime
from unittest.mock import patch

import pytest

from kinerja.kalender import (
    DayState,
    is_filled_late,
    month_summary,
    next_working_day,
    working_days,
)
from kinerja.kalender_services import hari_libur_seed
from kinerja.models import (
    EntriKinerja,
    HariLibur,
    JenisKetidakhadiran,
    JenisLibur,
    Ketidakhadiran,
    KodeOutput,
    LevelKode,
    Pegawai,
)

D = datetime.date
UTC = datetime.UTC


def libur(satker, day: datetime.date, nama="Libur uji", jenis=JenisLibur.LOKAL) -> HariLibur:
    return HariLibur.objects.create(satker=satker, tanggal=day, nama=nama, jenis=jenis)


def kode_for(org, year: int) -> KodeOutput:
    if year in org.kode_years:
        return org.kode_years[year]
    kode, _ = KodeOutput.objects.get_or_create(
        satker=org.kudus,
        tahun=year,
        kode="3359.EBA.994.002",
        defaults={"uraian": "Operasional dan pemeliharaan kantor", "level": LevelKode.KOMPONEN},
    )
    return kode


def entri(org, pegawai, day: datetime.date, *, late=False, nama="Menyusun laporan keuangan") -> EntriKinerja:
    return EntriKinerja.objects.create(
        satker=pegawai.satker,
        pegawai=pegawai,
        tanggal=day,
        kode_output=kode_for(org, day.year),
        nama_kegiatan=nama,
        output_hasil="1 dokumen laporan",
        filled_late=late,
    )


# --- the satker's "today" ----------------------------------------------------------------------------------


def test_today_follows_each_satkers_time_zone(org):
    moment = datetime.datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
    with patch("django.utils.timezone.now", return_value=moment):
        assert org.kudus.today() == D(2026, 11, 22)  # 23:30 WIB
        assert org.bontang.today() == D(2026, 11, 23)  # 00:30 WITA
        assert org.kudus.now().hour == 23
        assert org.bontang.now().hour == 0


# --- working days ------------------------------------------------------------------------------------------


def test_working_days_skip_weekends(org):
    # Friday 20 to Tuesday 24 November 2026
    assert working_days(org.kudus, D(2026, 11, 20), D(2026, 11, 24)) == [
        D(2026, 11, 20),
        D(2026, 11, 23),
        D(2026, 11, 24),
    ]


def test_working_days_skip_only_the_satkers_own_holidays(org):
    libur(org.bontang, D(2026, 11, 25), "Hari Jadi Kota Bontang")
    libur(org.kudus, D(2026, 11, 26), "Libur lokal Kudus")
    week = (D(2026, 11, 23), D(2026, 11, 29))

    assert working_days(org.kudus, *week) == [
        D(2026, 11, 23),
        D(2026, 11, 24),
        D(2026, 11, 25),
        D(2026, 11, 27),
    ]
    assert working_days(org.bontang, *week) == [
        D(2026, 11, 23),
        D(2026, 11, 24),
        D(2026, 11, 26),
        D(2026, 11, 27),
    ]


def test_working_days_of_a_whole_weekend_is_empty(org):
    assert working_days(org.kudus, D(2026, 11, 21), D(2026, 11, 22)) == []


# --- seeding national holidays -----------------------------------------------------------------------------


def test_seed_adds_national_holidays_with_indonesian_names(org):
    added = hari_libur_seed(satker=org.kudus, year=2026, by=None)

    rows = HariLibur.objects.filter(satker=org.kudus)
    assert added == rows.count() > 10
    merdeka = rows.get(tanggal=D(2026, 8, 17))
    assert merdeka.nama == "Hari Kemerdekaan Republik Indonesia"
    assert merdeka.jenis == JenisLibur.NASIONAL
    assert rows.get(tanggal=D(2026, 1, 1)).nama == "Tahun Baru Masehi"
    assert all(row.tanggal.year == 2026 for row in rows)


def test_seed_marks_cuti_bersama(org):
    hari_libur_seed(satker=org.kudus, year=2026, by=None)

    rows = HariLibur.objects.filter(satker=org.kudus)
    cuti = rows.filter(nama__startswith="Cuti Bersama")
    assert cuti.exists()
    assert set(cuti.values_list("jenis", flat=True)) == {JenisLibur.CUTI_BERSAMA}
    assert set(rows.exclude(nama__startswith="Cuti Bersama").values_list("jenis", flat=True)) == {
        JenisLibur.NASIONAL
    }
    idul_fitri = rows.get(tanggal=D(2026, 3, 23))
    assert idul_fitri.nama.startswith("Cuti Bersama")
    assert idul_fitri.jenis == JenisLibur.CUTI_BERSAMA


def test_seed_twice_adds_nothing_the_second_time(org):
    first = hari_libur_seed(satker=org.kudus, year=2026, by=None)
    assert hari_libur_seed(satker=org.kudus, year=2026, by=None) == 0
    assert HariLibur.objects.filter(satker=org.kudus).count() == first


def test_seed_keeps_a_row_the_admin_edited(org):
    hari_libur_seed(satker=org.kudus, year=2026, by=None)
    row = HariLibur.objects.get(satker=org.kudus, tanggal=D(2026, 8, 17))
    row.nama = "HUT RI ke-81 (upacara di alun-alun)"
    row.jenis = JenisLibur.LOKAL
    row.save()

    assert hari_libur_seed(satker=org.kudus, year=2026, by=None) == 0
    row.refresh_from_db()
    assert (row.nama, row.jenis) == ("HUT RI ke-81 (upacara di alun-alun)", JenisLibur.LOKAL)


def test_seed_does_not_overwrite_a_row_entered_before_seeding(org):
    libur(org.kudus, D(2026, 8, 17), "Upacara HUT RI", JenisLibur.LOKAL)
    total_for_year = hari_libur_seed(satker=org.bontang, year=2026, by=None)

    assert hari_libur_seed(satker=org.kudus, year=2026, by=None) == total_for_year - 1
    row = HariLibur.objects.get(satker=org.kudus, tanggal=D(2026, 8, 17))
    assert (row.nama, row.jenis) == ("Upacara HUT RI", JenisLibur.LOKAL)


def test_seed_touches_only_the_given_satker(org):
    hari_libur_seed(satker=org.kudus, year=2026, by=None)
    assert not HariLibur.objects.filter(satker=org.bontang).exists()
    # and the other satker can still be seeded on its own
    assert (
        hari_libur_seed(satker=org.bontang, year=2026, by=None)
        == HariLibur.objects.filter(satker=org.kudus).count()
    )


# --- next working day --------------------------------------------------------------------------------------


def test_next_working_day_after_friday_is_monday(org):
    assert next_working_day(org.kudus, D(2026, 11, 20)) == D(2026, 11, 23)


def test_next_working_day_after_saturday_is_monday(org):
    assert next_working_day(org.kudus, D(2026, 11, 21)) == D(2026, 11, 23)


def test_next_working_day_on_a_plain_weekday_is_tomorrow(org):
    assert next_working_day(org.kudus, D(2026, 11, 17)) == D(2026, 11, 18)


def test_next_working_day_skips_the_idul_fitri_run(org):
    hari_libur_seed(satker=org.kudus, year=2026, by=None)
    for day in (D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)):
        assert HariLibur.objects.filter(satker=org.kudus, tanggal=day).exists()

    # Nyepi (18-19 March), Idul Fitri cuti bersama (20, 23, 24 March) and the weekend between
    assert next_working_day(org.kudus, D(2026, 3, 17)) == D(2026, 3, 25)
    assert next_working_day(org.kudus, D(2026, 3, 20)) == D(2026, 3, 25)
    # Bontang was not seeded: its calendar is its own
    assert next_working_day(org.bontang, D(2026, 3, 17)) == D(2026, 3, 18)


# --- filled late -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("work_day", "created_on", "late"),
    [
        (D(2026, 11, 18), D(2026, 11, 18), False),  # same day
        (D(2026, 11, 18), D(2026, 11, 19), False),  # next working day
        (D(2026, 11, 18), D(2026, 11, 20), True),  # two working days later
        (D(2026, 11, 20), D(2026, 11, 23), False),  # Friday's work entered on Monday
        (D(2026, 11, 20), D(2026, 11, 24), True),  # ... on Tuesday
        (D(2026, 11, 21), D(2026, 11, 23), False),  # Saturday's work entered on Monday
        (D(2026, 11, 21), D(2026, 11, 24), True),
    ],
)
def test_is_filled_late_allows_one_working_day(org, work_day, created_on, late):
    assert is_filled_late(org.kudus, work_day, created_on) is late


def test_is_filled_late_counts_holidays_as_non_working(org):
    hari_libur_seed(satker=org.kudus, year=2026, by=None)
    assert is_filled_late(org.kudus, D(2026, 3, 17), D(2026, 3, 25)) is False
    assert is_filled_late(org.kudus, D(2026, 3, 17), D(2026, 3, 26)) is True


def test_is_filled_late_uses_the_satkers_own_holidays(org):
    libur(org.bontang, D(2026, 11, 23), "Libur lokal Bontang")
    # Friday's work entered on Tuesday: Bontang had Monday off, Kudus did not
    assert is_filled_late(org.bontang, D(2026, 11, 20), D(2026, 11, 24)) is False
    assert is_filled_late(org.kudus, D(2026, 11, 20), D(2026, 11, 24)) is True


# --- the month at a glance ---------------------------------------------------------------------------------

# October 2025 starts on a Wednesday: 23 working days, 8 weekend days.
OCT = (2025, 10)
HOLIDAY = D(2025, 10, 10)  # a Friday
LEAVE = (D(2025, 10, 20), D(2025, 10, 23))  # Monday to Thursday
EMPTY = {D(2025, 10, 7), D(2025, 10, 28), D(2025, 10, 31)}
LATE = D(2025, 10, 14)
MIXED = D(2025, 10, 15)  # one late and one on-time entry


@pytest.fixture
def october(org):
    asn = org.asn
    libur(org.kudus, HOLIDAY, "Hari Jadi Kabupaten Kudus")
    libur(org.bontang, D(2025, 10, 9), "Libur lokal Bontang")  # must not affect Kudus
    Ketidakhadiran.objects.create(
        pegawai=asn, jenis=JenisKetidakhadiran.CUTI_TAHUNAN, mulai=LEAVE[0], selesai=LEAVE[1]
    )
    Ketidakhadiran.objects.create(  # someone else's leave must not affect Ani
        pegawai=org.colleague, jenis=JenisKetidakhadiran.SAKIT, mulai=D(2025, 10, 1), selesai=D(2025, 10, 3)
    )
    for day in working_days(org.kudus, D(2025, 10, 1), D(2025, 10, 31)):
        if day in EMPTY or LEAVE[0] <= day <= LEAVE[1]:
            continue
        entri(org, asn, day, late=day == LATE)
    entri(org, asn, MIXED, late=True, nama="Mengarsipkan SPJ")
    entri(org, org.colleague, D(2025, 10, 7))  # a colleague's entry does not fill Ani's day
    return month_summary(asn, *OCT, today=D(2025, 12, 1))


def state_of(summary, day: datetime.date) -> str:
    (found,) = [d for d in summary.days if d.date == day]
    return found.state


def test_month_summary_lists_every_day_of_the_month(october):
    assert [d.date for d in october.days] == [D(2025, 10, n) for n in range(1, 32)]
    assert (october.year, october.month) == OCT


def test_month_summary_day_states(october):
    assert state_of(october, D(2025, 10, 1)) == DayState.FILLED
    assert state_of(october, D(2025, 10, 4)) == DayState.WEEKEND
    assert state_of(october, D(2025, 10, 5)) == DayState.WEEKEND
    assert state_of(october, D(2025, 10, 7)) == DayState.EMPTY
    assert state_of(october, D(2025, 10, 9)) == DayState.FILLED  # Bontang's holiday
    assert state_of(october, HOLIDAY) == DayState.HOLIDAY
    assert state_of(october, LATE) == DayState.FILLED_LATE
    for day in (D(2025, 10, 20), D(2025, 10, 21), D(2025, 10, 22), D(2025, 10, 23)):
        assert state_of(october, day) == DayState.LEAVE
    assert state_of(october, D(2025, 10, 24)) == DayState.FILLED
    assert state_of(october, D(2025, 10, 31)) == DayState.EMPTY
    assert DayState.FUTURE not in {d.state for d in october.days}


def test_month_summary_labels_holidays_and_leave(october):
    days = {d.date: d for d in october.days}
    assert days[HOLIDAY].label == "Hari Jadi Kabupaten Kudus"
    assert days[LEAVE[0]].label == "Cuti tahunan"
    assert days[D(2025, 10, 1)].label == ""
    assert days[MIXED].entries == 2
    assert days[D(2025, 10, 7)].entries == 0


def test_a_day_with_one_late_and_one_on_time_entry_counts_as_filled(october):
    assert state_of(october, MIXED) == DayState.FILLED


def test_month_summary_totals(october):
    # 23 working days − 1 holiday − 4 days of leave = 18 expected; 3 left empty
    assert october.expected == 18
    assert october.filled == 15
    assert october.filled_late == 1
    assert october.completeness == 83.3
    assert [d.date for d in october.empty_days] == sorted(EMPTY)


def test_month_summary_weeks_are_monday_first_and_padded(october):
    weeks = october.weeks
    assert len(weeks) == 5
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][:2] == [None, None]  # 1 October 2025 is a Wednesday
    assert weeks[0][2].date == D(2025, 10, 1)
    assert weeks[1][0].date == D(2025, 10, 6)  # a Monday
    assert weeks[-1][4].date == D(2025, 10, 31)
    assert weeks[-1][5:] == [None, None]
    cells = [cell for week in weeks for cell in week if cell is not None]
    assert [c.date for c in cells] == [d.date for d in october.days]
    for week in weeks:
        for weekday, cell in enumerate(week):
            assert cell is None or cell.date.weekday() == weekday


def test_weeks_of_a_month_starting_on_monday_have_no_leading_padding(org):
    summary = month_summary(org.asn, 2025, 9, today=D(2025, 12, 1))  # 1 September 2025 is a Monday
    assert summary.weeks[0][0].date == D(2025, 9, 1)
    assert summary.weeks[-1][:2] == [summary.days[-2], summary.days[-1]]  # 29, 30 September
    assert summary.weeks[-1][2:] == [None] * 5


def test_work_away_from_the_office_is_a_filled_working_day(org):
    # Dinas luar is no absence type: an entry on the day simply fills it.
    entri(org, org.asn, D(2025, 10, 8), nama="Dinas luar: rapat koordinasi di KPU Provinsi Jawa Tengah")
    summary = month_summary(org.asn, *OCT, today=D(2025, 12, 1))
    assert state_of(summary, D(2025, 10, 8)) == DayState.FILLED
    assert summary.filled == 1
    assert summary.expected == 23


def test_current_month_days_after_today_are_future_and_not_expected(org):
    for day in working_days(org.kudus, D(2025, 10, 1), D(2025, 10, 14)):
        entri(org, org.asn, day)
    summary = month_summary(org.asn, *OCT, today=D(2025, 10, 15))

    assert state_of(summary, D(2025, 10, 14)) == DayState.FILLED
    assert state_of(summary, D(2025, 10, 15)) == DayState.EMPTY  # today, not yet filled
    assert state_of(summary, D(2025, 10, 16)) == DayState.FUTURE
    assert state_of(summary, D(2025, 10, 31)) == DayState.FUTURE
    assert state_of(summary, D(2025, 10, 18)) == DayState.WEEKEND
    # 1-3, 6-10, 13-15 October
    assert summary.expected == 11
    assert summary.filled == 10
    assert summary.completeness == 90.9
    assert not any(d.is_expected for d in summary.days if d.date > D(2025, 10, 15))


def test_nothing_expected_yet_gives_no_completeness(org):
    summary = month_summary(org.asn, 2025, 11, today=D(2025, 10, 31))
    assert summary.expected == 0
    assert summary.completeness is None


def test_month_summary_defaults_to_the_satkers_today(org):
    moment = datetime.datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
    with patch("django.utils.timezone.now", return_value=moment):
        kudus = month_summary(org.asn, 2026, 11)
        bontang = month_summary(org.outsider, 2026, 11)
    # Monday 23 November has begun in Bontang (00:30 WITA) but not yet in Kudus (23:30 WIB)
    assert state_of(kudus, D(2026, 11, 23)) == DayState.FUTURE
    assert state_of(bontang, D(2026, 11, 23)) == DayState.EMPTY


def test_month_summary_query_count_does_not_grow_with_entries(org, django_assert_num_queries):
    for day in working_days(org.kudus, D(2025, 10, 1), D(2025, 10, 31)):
        entri(org, org.asn, day)
        entri(org, org.asn, day, nama="Rapat internal")
    Ketidakhadiran.objects.create(
        pegawai=org.asn, jenis=JenisKetidakhadiran.IZIN, mulai=D(2025, 10, 1), selesai=D(2025, 10, 1)
    )
    pegawai = Pegawai.objects.select_related("satker").get(pk=org.asn.pk)
    with django_assert_num_queries(3):  # holidays, leave, entries
        summary = month_summary(pegawai, *OCT, today=D(2025, 12, 1))
    assert summary.filled == 22


def test_seeding_holidays_leaves_a_compiled_month_alone(org):
    from kinerja.models import Periode, TahapPeriode

    Periode.objects.create(satker=org.kudus, tahun=2026, bulan=8, tahap=TahapPeriode.FINAL)
    hari_libur_seed(satker=org.kudus, year=2026, by=None)
    days = set(HariLibur.objects.filter(satker=org.kudus).values_list("tanggal", flat=True))
    assert datetime.date(2026, 8, 17) not in days
    assert datetime.date(2026, 6, 1) in days
