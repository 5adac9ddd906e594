"""Spreadsheet writing with openpyxl's write-only workbook: cells that cannot run, a bold header, widths.

Text typed by users reaches Rendatin's spreadsheets. A cell whose text starts with `=`, `+`, `-` or `@`
(after any leading whitespace), or with a tab or carriage return, could be taken for a formula by Excel or
LibreOffice, now or when someone edits the cell; such text is written as an explicit string cell with the
"quote prefix" style, so the file holds no formula and the text shows exactly as typed.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@")
DATE_FORMAT = "dd/mm/yyyy"
BOLD = Font(bold=True)


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


def safe_row(ws: "WriteOnlyWorksheet", values: Iterable[Any]) -> list[Any]:
    return [safe_cell(ws, value) for value in values]


def bold_row(ws: "WriteOnlyWorksheet", values: Iterable[Any]) -> list[Any]:
    """A header row: every non-empty cell bold."""
    return [None if value is None else styled_cell(ws, value, font=BOLD) for value in values]


def set_widths(ws: "WriteOnlyWorksheet", widths: Sequence[float]) -> None:
    """Column widths in characters. In write-only mode they must be set before the first row is appended."""
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def signature_rows(ws: "WriteOnlyWorksheet", signatures: Sequence[Any], columns: Sequence[int]) -> None:
    """Signature blocks side by side, as on paper: signatory i in column columns[i] (1-based). Each signatory
    has place_date, role, title, nama and nip (see silabu.lib.pdf.Signatory); room is left for the signature."""
    if not signatures:
        return
    columns = list(columns)[: len(signatures)]

    def line(values):
        row: list = [None] * max(columns)
        for column, value in zip(columns, values, strict=True):
            row[column - 1] = value
        return safe_row(ws, row)

    ws.append([])
    ws.append(line([s.place_date or None for s in signatures]))
    ws.append(line([s.role for s in signatures]))
    ws.append(line([s.title or None for s in signatures]))
    ws.append([])
    ws.append([])
    ws.append(bold_row(ws, line([s.nama or "(……………………………)" for s in signatures])))
    ws.append(line([f"NIP. {s.nip}" if s.nip else None for s in signatures]))
