"""Numbers as documents and pages print them; the template filters are the same functions."""

from decimal import Decimal

from silabu.lib.formatting import format_fixed, format_number, format_percent, format_size
from silabu.templatetags.silabu import angka, ukuran


def test_numbers():
    assert format_number(Decimal("2.00")) == "2"
    assert format_number(Decimal("1.50")) == "1,5"
    assert format_number(Decimal("1E+1")) == "10"
    assert format_number(3) == "3"
    assert format_number(None) == ""
    assert angka(Decimal("12.50")) == format_number(Decimal("12.50")) == "12,5"


def test_percentages_and_fixed_figures():
    assert format_percent(93.3) == "93,3%"
    assert format_percent(100.0) == "100%"
    assert format_percent(None) == "—"
    assert format_fixed(Decimal("85.5")) == "85,50"
    assert format_fixed(Decimal("100")) == "100,00"
    assert format_fixed(None) == "—"


def test_file_sizes():
    assert [format_size(v) for v in (512, 34 * 1024, 1258291)] == ["512 B", "34 KB", "1,2 MB"]
    assert ukuran(None) == format_size(None) == ""
