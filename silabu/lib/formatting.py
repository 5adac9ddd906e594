"""Numbers as Indonesian documents and pages print them: a decimal comma, no needless zeros, "—" for nothing.

The template filters (silabu.templatetags) and every document call these, so a number reads the same on a
page, in a PDF and in a spreadsheet's text. Parsing numbers typed by people is silabu.lib.numbers' job.
"""

from decimal import Decimal

NONE = "—"


def format_number(value) -> str:
    """Volumes and counts: 2 rather than 2.00, 1,5 rather than 1.50; "" for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return str(value).replace(".", ",")


def format_percent(value: float | Decimal | None) -> str:
    """A share as printed: 93,3% (as measured, no rounding added); "—" when there is none."""
    return NONE if value is None else f"{format_number(Decimal(str(value)))}%"


def format_fixed(value: Decimal | float | None, places: int = 2) -> str:
    """A measured figure with a fixed number of decimals: a capaian of 85,50; "—" when there is none."""
    if value is None:
        return NONE
    return f"{Decimal(value):.{places}f}".replace(".", ",")


def format_size(value: int | None) -> str:
    """A file size: 512 B, 34 KB, 1,2 MB."""
    if value is None:
        return ""
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.0f} KB"
    return f"{value / 1024 / 1024:.1f} MB".replace(".", ",")
