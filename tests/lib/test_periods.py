"""Every period label of SILABU comes from silabu.lib.periods."""

import pytest

from rekap import aggregate
from rekap.pengukuran.models import JenisPeriode
from silabu.lib import periods
from silabu.lib.periods import BULAN, SEMESTER, TAHUN, TRIWULAN, period_label, period_months, period_name


@pytest.mark.parametrize(
    ("kind", "number", "label", "name"),
    [
        (BULAN, 10, "Oktober 2026", "Oktober"),
        (TRIWULAN, 3, "Triwulan III 2026", "Triwulan III"),
        (SEMESTER, 1, "Semester I 2026", "Semester I"),
        (TAHUN, 1, "Tahun 2026", "Tahun"),
    ],
)
def test_period_labels(kind, number, label, name):
    assert period_label(kind, number, 2026) == label
    assert period_name(kind, number) == name


def test_a_number_out_of_the_roman_range_is_shown_as_it_is():
    assert period_label(TRIWULAN, 5, 2026) == "Triwulan 5 2026"


def test_period_months():
    assert period_months(BULAN, 10) == (10,)
    assert period_months(TRIWULAN, 3) == (7, 8, 9)
    assert period_months(SEMESTER, 2) == tuple(range(7, 13))
    assert period_months(TAHUN, 1) == tuple(range(1, 13))


def test_the_kinds_are_the_measurements_periods():
    assert set(periods.KINDS) == set(JenisPeriode.values)


def test_the_laporan_kinerja_codes_use_the_same_labels():
    assert aggregate.periode_label(2025, "T4") == period_label(TRIWULAN, 4, 2025) == "Triwulan IV 2025"
    assert aggregate.periode_label(2025, "TAHUN") == "Tahun 2025"
    assert dict(aggregate.PERIODE_CHOICES)["S1"] == "Semester I"
