"""silabu.lib.numbers: the one parser of numbers typed on a page or held in a spreadsheet cell."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silabu.lib import numbers
from silabu.lib.numbers import AboveMaximum, BelowMinimum, NotANumber, NumberError, TooPrecise, parse_decimal

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (12, D("12.00")),
        (12.5, D("12.50")),
        (0.1 + 0.2, D("0.30")),  # binary float noise is not a third decimal
        (D("7.1"), D("7.10")),
        ("12,5", D("12.50")),
        ("7.25", D("7.25")),
        ("1.250", D("1.25")),  # one separator alone is the decimal point
        ("1.250,5", D("1250.50")),
        ("1,250.5", D("1250.50")),
        ("1.250.000", D("1250000.00")),
        ("1,250,000", D("1250000.00")),
        ("1 250,5", D("1250.50")),
        ("\xa01.250,5 ", D("1250.50")),
        ("85 %", D("85.00")),
        (",5", D("0.50")),
        ("-5", D("-5.00")),
        ("-0", D("0.00")),
    ],
)
def test_reads_what_people_type(value, expected):
    result = parse_decimal(value)
    assert result == expected
    assert result is None or result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", NotANumber.TEXT),
        ("1.2.3", NotANumber.TEXT),  # groups of thousands have three digits
        ("12.5,3", NotANumber.TEXT),
        ("1e5", NotANumber.TEXT),
        ("1_000", NotANumber.TEXT),
        ("Infinity", NotANumber.TEXT),
        ("%", NotANumber.TEXT),
        ("١٢", NotANumber.TEXT),  # digits of another script are not taken for ours
        (True, NotANumber.BOOL),
        (datetime.date(2026, 1, 5), NotANumber.DATE),
        (datetime.time(8, 30), NotANumber.DATE),
        (float("nan"), NotANumber.NONFINITE),
        (D("Infinity"), NotANumber.NONFINITE),
        ([1], NotANumber.TYPE),
    ],
)
def test_refuses_what_is_no_number(value, reason):
    with pytest.raises(NotANumber) as caught:
        parse_decimal(value)
    assert caught.value.reason == reason
    assert caught.value.value == value or value != value  # nan is not equal to itself


def test_zero_is_never_negative():
    assert [str(parse_decimal(v)) for v in ("-0", "-0,00", -0.0, D("-0"))] == ["0.00"] * 4


def test_a_plain_cell_takes_no_thousands_separators():
    assert parse_decimal("12,5", grouping=False) == D("12.50")
    assert parse_decimal("7.25", grouping=False) == D("7.25")
    for text in ("1.000,5", "1 000", "1.250.000"):
        with pytest.raises(NotANumber):
            parse_decimal(text, grouping=False)


def test_decimals_beyond_the_places_are_refused_or_rounded():
    with pytest.raises(TooPrecise) as caught:
        parse_decimal("1,005")
    assert (caught.value.number, caught.value.places) == (D("1.005"), 2)
    with pytest.raises(TooPrecise):
        parse_decimal(1.005)
    assert parse_decimal("1,005", round_excess=True) == D("1.01")  # half up
    assert parse_decimal("2,345", places=None) == D("2.345")
    assert parse_decimal("3", places=0) == D("3")


def test_bounds_are_checked_minimum_first_then_decimals_then_maximum():
    with pytest.raises(BelowMinimum) as low:
        parse_decimal("-0,001", minimum=D(0), round_excess=True)
    assert low.value.number == D("-0.001")
    with pytest.raises(BelowMinimum):
        parse_decimal("-0,005", minimum=D(0))  # negative before "too many decimals"
    with pytest.raises(AboveMaximum) as high:
        parse_decimal("999,995", maximum=D("999.99"), round_excess=True)
    assert high.value.number == D("1000.00")
    assert parse_decimal("999,99", maximum=D("999.99")) == D("999.99")


def test_numbers_too_large_for_any_column_are_refused_not_crashed_on():
    with pytest.raises(AboveMaximum):
        parse_decimal(1e30)
    with pytest.raises(AboveMaximum):
        parse_decimal("1" + "0" * 40)


def test_every_refusal_is_a_value_error_a_caller_can_catch_as_one():
    for bad in ("abc", "1,005", True):
        with pytest.raises(ValueError):
            parse_decimal(bad)


def test_plain_and_indonesian_writing():
    assert [numbers.plain(v) for v in (None, D("80.00"), D("82.50"), D("1E+3"), 7)] == [
        "",
        "80",
        "82.5",
        "1000",
        "7",
    ]
    assert numbers.indonesian(D("82.50")) == "82,5"


# --- properties -------------------------------------------------------------------------------------------------

cents = st.decimals(
    min_value=D("-999999999999.99"),
    max_value=D("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def indonesian_grouped(value: Decimal) -> str:
    """1.234.567,89 — as an Indonesian spreadsheet shows it."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@given(cents)
def test_every_way_of_writing_a_number_reads_back_as_it(value):
    written = [
        str(value),
        str(value).replace(".", ","),
        f"{value:,.2f}",  # 1,234,567.89
        indonesian_grouped(value),
        f"{numbers.indonesian(value)} %",
    ]
    for text in written:
        assert parse_decimal(text) == value, text
    assert parse_decimal(numbers.plain(value), grouping=False) == value


@given(st.floats(min_value=-1e11, max_value=1e11, allow_nan=False, allow_infinity=False))
def test_a_float_rounded_to_cents_in_a_cell_reads_as_it_prints(value):
    cell = round(value, 2)
    assert parse_decimal(cell) == D(repr(cell)).quantize(D("0.01"))


@given(st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.decimals()))
def test_anything_either_reads_as_cents_or_is_refused_with_a_number_error(value):
    try:
        result = parse_decimal(value)
    except NumberError:
        return
    assert result is None or result.as_tuple().exponent == -2
