"""Numbers as spreadsheets hold them and as people in Indonesia type them: the one parser of every form and
import, and the plain way to write one back.

`parse_decimal(value)` gives a Decimal (None for an empty cell or field) or raises a `NumberError` subclass
that says what is wrong; each caller words the message for its own field and turns it into its own error:

- `NotANumber`: text that is no number, a truth value, a date or time, NaN or infinity (`.reason` says which);
- `TooPrecise`: more decimals than `places` allows (unless `round_excess`: then rounded half up);
- `BelowMinimum`, `AboveMaximum`: outside the bounds given.

Text may have surrounding spaces and a trailing `%`. With `grouping` (what people type on a page or in a
target column) thousands may be grouped: "1.250,5" and "1,250.5" are both 1250.5, and "1.250.000" is a
million; one separator on its own is the decimal point ("12,5", "7.25", "1.250" = 1.25). Without it (a cell
that must hold a plain number) only digits with at most one decimal comma or point pass. A float is read as it
prints, and the noise of binary floats (0.1 + 0.2) does not count as a third decimal.
"""

import datetime
import math
import re
from decimal import ROUND_HALF_UP, Decimal

FLOAT_NOISE = Decimal("1e-9")
# Beyond this many digits before the point Decimal's default context cannot round to cents: no real figure.
MAX_DIGITS = 26

# Digits with one decimal comma or point at most ("12", "12,5", ",5"); grouped thousands, the last separator
# (of the other kind) being the decimal one.
_SIMPLE = re.compile(r"[0-9]*[.,]?[0-9]+")
_POINT_GROUPS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_COMMA_GROUPS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


class NumberError(ValueError):
    """A value that is not a number the caller may store. `value` is what was given, `number` what it read as
    (None when it is not a number at all)."""

    def __init__(self, message: str, value, number: Decimal | None = None):
        super().__init__(message)
        self.value = value
        self.number = number


class NotANumber(NumberError):
    TEXT = "text"
    BOOL = "bool"
    DATE = "date"
    NONFINITE = "nonfinite"
    TYPE = "type"

    def __init__(self, value, reason: str):
        super().__init__("bukan angka", value)
        self.reason = reason


class TooPrecise(NumberError):
    def __init__(self, value, number: Decimal, places: int):
        super().__init__(f"paling banyak {places} angka di belakang koma", value, number)
        self.places = places


class BelowMinimum(NumberError):
    def __init__(self, value, number: Decimal, limit: Decimal):
        super().__init__(f"kurang dari {plain(limit)}", value, number)
        self.limit = limit


class AboveMaximum(NumberError):
    def __init__(self, value, number: Decimal, limit: Decimal | None):
        super().__init__("terlalu besar", value, number)
        self.limit = limit


def parse_decimal(
    value,
    *,
    places: int | None = 2,
    round_excess: bool = False,
    grouping: bool = True,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal | None:
    """`value` (a cell: int, float, Decimal or text) as a Decimal with `places` decimals; None when empty.

    The bounds are checked in this order: `minimum` on the number as read, then the decimals, then `maximum` on
    the rounded number."""
    number, from_float = _read(value, grouping=grouping)
    if number is None:
        return None
    if number.adjusted() >= MAX_DIGITS:
        raise AboveMaximum(value, number, maximum)
    if minimum is not None and number < minimum:
        raise BelowMinimum(value, number, minimum)
    if places is not None:
        number = _to_places(value, number, places, round_excess=round_excess, from_float=from_float)
    if maximum is not None and number > maximum:
        raise AboveMaximum(value, number, maximum)
    return abs(number) if number == 0 else number  # never a "-0.00"


def _to_places(value, number: Decimal, places: int, *, round_excess: bool, from_float: bool) -> Decimal:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    excess = abs(rounded - number)
    if excess and not round_excess and not (from_float and excess <= FLOAT_NOISE):
        raise TooPrecise(value, number, places)
    return rounded


def _read(value, *, grouping: bool) -> tuple[Decimal | None, bool]:
    """(the number, whether it came from a binary float); (None, False) for an empty cell."""
    if value is None:
        return None, False
    if isinstance(value, str):
        return _from_text(value, grouping=grouping), False
    if isinstance(value, bool):
        raise NotANumber(value, NotANumber.BOOL)
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        raise NotANumber(value, NotANumber.DATE)
    if isinstance(value, int):
        return Decimal(value), False
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value)), True
    if isinstance(value, Decimal) and value.is_finite():
        return value, False
    if isinstance(value, float | Decimal):
        raise NotANumber(value, NotANumber.NONFINITE)
    raise NotANumber(value, NotANumber.TYPE)


def _from_text(value: str, *, grouping: bool) -> Decimal | None:
    text = value.strip()
    if not text:
        return None
    text = text.removesuffix("%").rstrip()
    if grouping:
        text = text.replace("\xa0", "").replace(" ", "")
    digits = _digits(text, grouping)
    if digits is None:
        raise NotANumber(value, NotANumber.TEXT)
    return Decimal(digits)


def _digits(text: str, grouping: bool) -> str | None:
    """The text as Decimal reads it ("-1250.5"), or None when it is no number written as the module says."""
    sign, body = (
        ("-", text[1:]) if text.startswith("-") else ("", text.removeprefix("+") if grouping else text)
    )
    if _SIMPLE.fullmatch(body) and (grouping or body[:1].isdigit()):
        return sign + body.replace(",", ".")
    if not grouping:
        return None
    if _POINT_GROUPS.fullmatch(body):  # 1.250.000 or 1.250,5
        return sign + body.replace(".", "").replace(",", ".")
    if _COMMA_GROUPS.fullmatch(body):  # 1,250,000 or 1,250.5
        return sign + body.replace(",", "")
    return None


def plain(value: Decimal | int | None) -> str:
    """A number as a spreadsheet or an input field takes it back: 80, 82.5 (no trailing zeros, no exponent);
    an empty string for None."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return format(value, "f")


def indonesian(value: Decimal | int | None) -> str:
    """plain() with the Indonesian decimal comma: 82,5."""
    return plain(value).replace(".", ",")
