"""The capaian formulas and the category scale (DESIGN.md §3), by example and by property."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekap.pengukuran.rumus import DEFAULT_SKALA, Kategori, RumusError, capaian, kategori

D = Decimal
positive = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
non_negative = st.decimals(min_value=D(0), max_value=D("1000000"), places=2)


@pytest.mark.parametrize(
    ("arah", "realisasi", "target", "expected"),
    [
        ("naik", 80, 100, "80.00"),
        ("naik", 120, 100, "120.00"),  # above 100 kept as measured
        ("naik", 1, 3, "33.33"),
        ("naik", 2, 3, "66.67"),  # half-up
        ("naik", 0, 5, "0.00"),
        ("turun", 80, 100, "120.00"),
        ("turun", 100, 100, "100.00"),
        ("turun", 150, 100, "50.00"),
        ("turun", 250, 100, "0.00"),  # floored at 0
    ],
)
def test_single_target(arah, realisasi, target, expected):
    assert capaian(arah=arah, realisasi=D(realisasi), target=D(target)) == D(expected)


@pytest.mark.parametrize(
    ("arah", "realisasi", "expected"),
    [
        ("naik", 85, "100.00"),
        ("naik", 80, "100.00"),
        ("naik", 90, "100.00"),
        ("naik", 99, "110.00"),  # 99 / 90
        ("naik", 60, "75.00"),  # 60 / 80
        ("turun", 85, "100.00"),
        ("turun", 99, "90.00"),  # (180 - 99) / 90
        ("turun", 60, "125.00"),  # (160 - 60) / 80
        ("turun", 200, "0.00"),  # floored
    ],
)
def test_range_target(arah, realisasi, expected):
    assert capaian(arah=arah, realisasi=D(realisasi), bawah=D(80), atas=D(90)) == D(expected)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"arah": "naik", "realisasi": D(5), "target": D(0)}, "Target 0"),
        ({"arah": "turun", "realisasi": D(0), "target": D(0)}, "Target 0"),
        ({"arah": "naik", "realisasi": None, "target": D(10)}, "Realisasi belum diisi"),
        ({"arah": "naik", "realisasi": D(-1), "target": D(10)}, "Realisasi tidak boleh negatif"),
        ({"arah": "naik", "realisasi": D(1), "target": D(-10)}, "Target tidak boleh negatif"),
        ({"arah": "naik", "realisasi": D(1), "target": None}, "Target belum diisi"),
        (
            {"arah": "naik", "realisasi": D(1), "bawah": D(90), "atas": D(80)},
            "lebih besar dari batas atasnya",
        ),
        ({"arah": "naik", "realisasi": D(1), "bawah": D(0), "atas": D(0)}, "Batas target 0"),
        ({"arah": "miring", "realisasi": D(1), "target": D(1)}, "Arah indikator tidak dikenal"),
    ],
)
def test_edge_cases_have_a_clear_message(kwargs, message):
    with pytest.raises(RumusError, match=message):
        capaian(**kwargs)


@pytest.mark.parametrize(
    ("nilai", "expected"),
    [
        (0, "Sangat Kurang"),
        (50, "Sangat Kurang"),
        (D("50.99"), "Sangat Kurang"),
        (51, "Kurang"),
        (65, "Kurang"),
        (66, "Cukup"),
        (75, "Cukup"),
        (76, "Baik"),
        (90, "Baik"),
        (D("90.5"), "Baik"),
        (91, "Sangat Baik"),
        (100, "Sangat Baik"),
        (250, "Sangat Baik"),
    ],
)
def test_default_scale_boundaries(nilai, expected):
    assert kategori(D(nilai)) == expected


def test_no_capaian_no_category():
    assert kategori(None) == ""


def test_a_satkers_own_scale():
    skala = [Kategori("Tercapai", D(100)), Kategori("Belum", D(0))]
    assert kategori(D("99.99"), skala) == "Belum"
    assert kategori(D(100), skala) == "Tercapai"
    assert kategori(D(-5), skala) == "Belum"  # below every minimum: the lowest band


@given(realisasi=non_negative, target=positive)
def test_higher_is_better_is_the_ratio(realisasi, target):
    result = capaian(arah="naik", realisasi=realisasi, target=target)
    assert abs(result - realisasi / target * 100) <= D("0.005")
    assert result >= 0


@given(realisasi=non_negative, target=positive)
def test_lower_is_better_mirrors_and_is_floored(realisasi, target):
    result = capaian(arah="turun", realisasi=realisasi, target=target)
    assert result >= 0
    if realisasi <= 2 * target:
        assert abs(result - (2 * target - realisasi) / target * 100) <= D("0.005")
    else:
        assert result == 0
    # meeting the target exactly is 100 in both directions
    assert capaian(arah="turun", realisasi=target, target=target) == 100


@given(a=positive, b=positive, realisasi=non_negative, arah=st.sampled_from(["naik", "turun"]))
def test_inside_a_range_is_100_and_outside_is_not(a, b, realisasi, arah):
    bawah, atas = min(a, b), max(a, b)
    result = capaian(arah=arah, realisasi=realisasi, bawah=bawah, atas=atas)
    if bawah <= realisasi <= atas:
        assert result == 100
    elif (realisasi > atas) == (arah == "naik"):
        assert result >= 100  # the better side
    else:
        assert result <= 100


@given(nilai=st.decimals(min_value=D(0), max_value=D(500), places=2))
def test_every_capaian_has_exactly_one_default_band(nilai):
    band = kategori(nilai)
    minimums = {k.nama: k.minimum for k in DEFAULT_SKALA}
    assert nilai >= minimums[band]
    higher = [k for k in DEFAULT_SKALA if k.minimum > minimums[band]]
    assert all(nilai < k.minimum for k in higher)


@given(r1=non_negative, r2=non_negative, target=positive)
def test_more_realisation_never_lowers_capaian_when_higher_is_better(r1, r2, target):
    low, high = sorted([r1, r2])
    assert capaian(arah="naik", realisasi=low, target=target) <= capaian(
        arah="naik", realisasi=high, target=target
    )
    assert capaian(arah="turun", realisasi=low, target=target) >= capaian(
        arah="turun", realisasi=high, target=target
    )
