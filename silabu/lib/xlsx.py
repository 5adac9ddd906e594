"""Spreadsheets with openpyxl's write-only workbook: cells that cannot run, styles, widths, one writer.

Text typed by users reaches Rendatin's spreadsheets. A cell whose text starts with `=`, `+`, `-` or `@`
(after any leading whitespace), or with a tab or carriage return, could be taken for a formula by Excel or
LibreOffice, now or when someone edits the cell; such text is written as an explicit string cell with the
"quote prefix" style, so the file holds no formula and the text shows exactly as typed. The only formulas in
a file are the ones a document writes on purpose, as `Formula` values.

A document describes its workbook as `Sheet`s whose rows are plain values (text, numbers, dates, None), or
`Styled` values where a cell needs a style; `workbook_bytes` writes them, each row once, as the rows come.

A formula can carry the value it computes (`Formula("=ROUND(F12/K12*100,2)", cached=85.0)`). openpyxl writes a
formula with an empty value, which a viewer that does not calculate (phone previews, many web viewers, a reader
with data_only) shows as an empty cell; `workbook_bytes` therefore writes each cached value into the sheet's XML
beside its formula (`<c><f>…</f><v>85</v></c>`, as Excel itself saves), and asks spreadsheet programs to
recalculate on load, so the formula stays the truth.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_TRIGGERS = ("=", "+", "-", "@")
DATE_FORMAT = "dd/mm/yyyy"
NUMBER_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def is_risky(text: str) -> bool:
    """Whether a spreadsheet program could read this text as the start of a formula."""
    first = text[:1]
    if first.isalnum():  # most text: decided by its first character
        return False
    if first in ("\t", "\r"):
        return True
    return text.lstrip()[:1] in FORMULA_TRIGGERS


def clean_text(text: str) -> str:
    """Drop the control characters XML cannot carry (pasted text sometimes has them); openpyxl refuses them."""
    if text.isprintable():  # no control characters at all: the common case, checked in C
        return text
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def safe_cell(ws: "WriteOnlyWorksheet", value: Any) -> Any:
    """A value ready for `ws.append`: harmless values pass unchanged (cheap), risky text becomes a string cell.

    The string cell keeps the text exactly (no apostrophe added to the value) and carries Excel's
    quotePrefix flag, so editing the cell later does not turn it into a formula either.
    """
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if not is_risky(value):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # set after the value: openpyxl infers "f" for text starting with "="
    cell.quotePrefix = True
    return cell


def styled_cell(
    ws: "WriteOnlyWorksheet",
    value: Any,
    *,
    font: Font | None = None,
    number_format: str = "",
    alignment: Alignment | None = None,
) -> Cell:
    """A cell with a style; text goes through the same formula guard as safe_cell."""
    cell = safe_cell(ws, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=cell)
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    return cell


def date_cell(ws: "WriteOnlyWorksheet", value: datetime.date) -> Cell:
    """A real date (sortable, filterable) shown the Indonesian way, 01/10/2026."""
    return styled_cell(ws, value, number_format=DATE_FORMAT)


MAX_TITLE = 31
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_titles(names: list[str], reserved: tuple[str, ...] = ()) -> list[str]:
    """Names fit for sheet tabs: no characters Excel forbids, at most 31 long, unique (case-insensitively)."""
    taken = {r.casefold() for r in reserved}
    titles = []
    for name in names:
        base = _BAD_TITLE.sub(" ", name).strip().strip("'") or "Subbagian"
        title = base[:MAX_TITLE]
        n = 2
        while title.casefold() in taken:
            suffix = f" ({n})"
            title = base[: MAX_TITLE - len(suffix)] + suffix
            n += 1
        taken.add(title.casefold())
        titles.append(title)
    return titles


def set_widths(ws: "WriteOnlyWorksheet", widths: Sequence[float]) -> None:
    """Column widths in characters. In write-only mode they must be set before the first row is appended."""
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


# --- a workbook described as data ----------------------------------------------------------------------------


class Formula(str):
    """A formula a document writes on purpose ("=ROUND(F12/K12*100,2)"): the one kind of text that is not
    guarded. `cached` is the value it computes (a number, text or bool), stored with it in the file."""

    cached: Any

    def __new__(cls, text: str, cached: Any = None):
        formula = super().__new__(cls, text)
        formula.cached = cached
        return formula


@dataclass(frozen=True, slots=True)
class Styled:
    """A cell value with a style. Text is still guarded (unless it is a Formula)."""

    value: Any
    bold: bool = False
    wrap: bool = False  # wrapped, aligned to the top
    number_format: str = ""
    unlocked: bool = False  # editable on a protected sheet
    fill: str = ""  # a solid background, "FFF2CC"


def bold(values: Iterable[Any]) -> list[Any]:
    """A header row: every non-empty cell bold."""
    return [None if value is None else Styled(value, bold=True) for value in values]


@dataclass
class Sheet:
    """One sheet: its rows top to bottom (any iterable, read once while writing) and its settings, which
    write-only mode needs before the first row."""

    title: str
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] = ()
    hidden_columns: Sequence[str] = ()
    freeze: str = ""  # the top-left cell that scrolls, e.g. "B12"
    landscape_fit: bool = False  # printed on A4 landscape, fitted to the page width
    protected: bool = False  # only Styled(unlocked=True) cells can be edited
    widths_adjustable: bool = False  # on a protected sheet, people may still widen the columns
    very_hidden: bool = False  # not listed by Excel's "Unhide" (a file's own identification)
    validations: Sequence["DataValidation"] = ()


_PLAIN = frozenset({int, float, Decimal, bool, type(None)})


def _styled(ws: "WriteOnlyWorksheet", styled: Styled) -> Cell:
    value = styled.value
    if isinstance(value, Formula):
        cell = WriteOnlyCell(ws, value=str(value))
        cell.data_type = "f"
        if value.cached is not None:
            _cached_of(ws).append((cell, value.cached))
    else:
        cell = safe_cell(ws, value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(ws, value=cell)
        if type(value) is datetime.date and not styled.number_format:
            cell.number_format = DATE_FORMAT
    if styled.bold:
        cell.font = BOLD
    if styled.wrap:
        cell.alignment = WRAP
    if styled.number_format:
        cell.number_format = styled.number_format
    if styled.unlocked:
        cell.protection = UNLOCKED
    if styled.fill:
        cell.fill = PatternFill("solid", fgColor=styled.fill)
    return cell


def _cached_of(ws: "WriteOnlyWorksheet") -> list[tuple[Cell, Any]]:
    """The formula cells of a sheet with the values they compute; their coordinates are known once appended."""
    if not hasattr(ws, "silabu_cached"):
        ws.silabu_cached = []
    return ws.silabu_cached


def cell_value(ws: "WriteOnlyWorksheet", value: Any) -> Any:
    """What `ws.append` gets for one value of a row: plain values as they are, text guarded, dates formatted,
    Styled values and Formulas as styled cells. Decided by the value's type, cheapest case first."""
    kind = type(value)
    if kind is str:
        return safe_cell(ws, value)
    if kind in _PLAIN:
        return value
    if kind is datetime.date:
        return date_cell(ws, value)
    if kind is Styled or isinstance(value, Formula):
        return _styled(ws, value if kind is Styled else Styled(value))
    return safe_cell(ws, value)


def _write(wb: Workbook, sheet: Sheet) -> dict[str, Any]:
    """Write one sheet; returns the cached values of its formulas by coordinate ("G12": 85.0)."""
    ws = wb.create_sheet(sheet.title)
    set_widths(ws, sheet.widths)
    for column in sheet.hidden_columns:
        ws.column_dimensions[column].hidden = True
    if sheet.protected:
        ws.protection.sheet = True
        if sheet.widths_adjustable:
            ws.protection.formatColumns = False
    if sheet.very_hidden:
        ws.sheet_state = "veryHidden"
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    if sheet.landscape_fit:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    for validation in sheet.validations:
        ws.data_validations.append(validation)
    # The common cells inline (numbers, None, text): a sheet is thousands of them, and a call each shows.
    append, plain, guard = ws.append, _PLAIN, safe_cell
    for row in sheet.rows:
        append(
            [
                value
                if type(value) in plain
                else guard(ws, value)
                if type(value) is str
                else cell_value(ws, value)
                for value in row
            ]
        )
    return {cell.coordinate: cached for cell, cached in getattr(ws, "silabu_cached", ())}


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The .xlsx file of these sheets, in order."""
    wb = Workbook(write_only=True)
    cached = {index: values for index, sheet in enumerate(sheets, 1) if (values := _write(wb, sheet))}
    if cached:
        wb.calculation.fullCalcOnLoad = (
            True  # programs that calculate recompute; the cached values are for the rest
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    if not cached:
        return buffer.getvalue()
    return _with_cached_values(buffer.getvalue(), cached)


# openpyxl writes a formula cell as <c r="G12" s="3"><f>…</f><v /></c> (its attributes never include t=).
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: [a-zA-Z]+="[^"]*")*)><f>([^<]*)</f><v ?/></c>')


def _cached_xml(value: Any) -> tuple[bytes, bytes]:
    """(the cell's type attribute, its <v> text) for a cached value, as Excel saves them."""
    if isinstance(value, bool):
        return b' t="b"', b"1" if value else b"0"
    if isinstance(value, int | float | Decimal):
        return b"", str(value).encode()
    return b' t="str"', escape(clean_text(str(value))).encode()


def _with_cached_values(content: bytes, cached: dict[int, dict[str, Any]]) -> bytes:
    """The file with each formula's cached value written beside it, in the XML of its sheet."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            index = _sheet_index(info.filename)
            if index in cached:
                values = cached[index]

                def fill(match: re.Match, values=values) -> bytes:
                    coordinate = match.group(1).decode()
                    if coordinate not in values:
                        return match.group(0)
                    kind, text = _cached_xml(values[coordinate])
                    return b'<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (
                        match.group(1),
                        match.group(2),
                        kind,
                        match.group(3),
                        text,
                    )

                data = _FORMULA_CELL.sub(fill, data)
            target.writestr(info, data)
    return out.getvalue()


def _sheet_index(name: str) -> int | None:
    """1 for xl/worksheets/sheet1.xml: openpyxl names the sheets' parts in the order they were created."""
    match = re.fullmatch(r"xl/worksheets/sheet([0-9]+)\.xml", name)
    return int(match.group(1)) if match else None
