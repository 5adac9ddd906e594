"""Spreadsheets with openpyxl's write-only workbook: cells that cannot run, styles, widths, one writer.

Text typed by users reaches Rendatin's spreadsheets. A cell whose text starts with `=`, `+`, `-` or `@`
(after any leading whitespace), or with a tab or carriage return, could be taken for a formula by Excel or
LibreOffice, now or when someone edits the cell; such text is written as an explicit string cell with the
"quote prefix" style, so the file holds no formula and the text shows exactly as typed. The only formulas in
a file are the ones a document writes on purpose, as `Formula` values.

A document describes its workbook as `Sheet`s whose rows are plain values (text, numbers, dates, None), or
`Styled` values where a cell needs a style; `workbook_bytes` writes them, each row once, as the rows come.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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
    guarded."""


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


def _write(wb: Workbook, sheet: Sheet) -> None:
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


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The .xlsx file of these sheets, in order."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write(wb, sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
