"""What every spreadsheet import shares: the output codes, the staff, the performance framework
(rekap.pengukuran.kerangka.impor) and the Form Data Kinerja read back (rekap.pengukuran.formdata_reader).

- One path for the file itself: `read_upload` (too large, empty) and `open_workbook` (not a zip, a zip bomb,
  damaged), then `read_rows` (XLSX or CSV, the header matched through aliases, required columns, the row limit).
  A refused file raises ImporGagal with a message fit to show.
- `RowErrors`: the (row number, message) pairs of a file; one wrong row refuses the whole file, every error
  reported at once, so the user fixes the file once rather than row by row. Row numbers are the spreadsheet's
  own (the header is usually row 1).
- Reading cells as the imports do: text, yes/no, a subbagian by its short or full name.
- `satker_import`: the transaction that writes all rows or none while holding the satker's row (one import per
  satker at a time), and its audit row.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, NamedTuple, TypeVar

import openpyxl
from django.conf import settings
from django.db import IntegrityError, transaction

from silabu.lib.zipcheck import ZipRefused, inspect_zip

from ..errors import ImporGagal
from ..evidence import safe_display_name
from ..models import Pegawai, Satker, Subbagian
from ..services import audit

# An XLSX is a zip; refuse one that would unpack to far more than any real sheet of this size (zip bombs).
MAX_UNPACKED_RATIO = 40

DAMAGED = (
    "Berkas XLSX rusak atau bukan lembar kerja Excel. Simpan ulang sebagai .xlsx atau CSV, lalu coba lagi."
)
NOT_A_TABLE = (
    "Berkas bukan XLSX atau CSV. Simpan lembar kerja sebagai .xlsx atau CSV (UTF-8), lalu coba lagi."
)
OLD_XLS = "Format .xls lama tidak didukung. Simpan berkas sebagai .xlsx atau CSV, lalu coba lagi."
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK"

TRUE_WORDS = {"ya", "1", "true", "yes", "aktif", "benar"}
FALSE_WORDS = {"tidak", "0", "false", "no", "nonaktif", "tidak aktif", "salah"}

R = TypeVar("R")
T = TypeVar("T")


# --- the file ------------------------------------------------------------------------------------------------


def read_upload(
    fileobj: BinaryIO | bytes, *, limit: int | None = None, empty: str = "Berkas kosong."
) -> bytes:
    """The whole upload, refused when larger than `limit` (settings.IMPORT_MAX_BYTES by default) or empty
    (with `empty`). Never reads more than one byte past the limit."""
    limit = settings.IMPORT_MAX_BYTES if limit is None else limit
    if isinstance(fileobj, bytes | bytearray):
        data = bytes(fileobj)
    else:
        if getattr(fileobj, "size", None) is not None and fileobj.size > limit:
            raise ImporGagal(_too_large(limit))
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
        data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise ImporGagal(_too_large(limit))
    if not data.strip():
        raise ImporGagal(empty)
    return data


def _too_large(limit: int) -> str:
    return f"Berkas terlalu besar; maksimal {limit / (1024 * 1024):g} MB."


def open_workbook(data: bytes, *, damaged: str = DAMAGED, max_unpacked: int | None = None, too_big: str = ""):
    """The workbook of an XLSX, read-only with the values a spreadsheet program last computed (formulas are never
    evaluated). ImporGagal(`damaged`) for what is no workbook; a zip that unpacks to more than `max_unpacked`
    (by default MAX_UNPACKED_RATIO times the upload limit) is refused with `too_big` (default: `damaged`)."""
    limit = MAX_UNPACKED_RATIO * settings.IMPORT_MAX_BYTES if max_unpacked is None else max_unpacked
    try:
        # every member really inflated, under the cap: neither the declared sizes nor the names are believed
        inspect_zip(data, max_unpacked=limit)
    except ZipRefused as error:
        raise ImporGagal((too_big or damaged) if error.kind == "too_big" else damaged) from error
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl reports a damaged file through many exception types
        raise ImporGagal(damaged) from error


# --- its rows --------------------------------------------------------------------------------------------------


class Row(NamedTuple):
    number: int
    values: dict[str, object]

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))


class Table(NamedTuple):
    columns: frozenset[str]  # the known columns the header names, whether or not a row fills them
    rows: list[Row]


def cell_text(value) -> str:
    """A cell as one line of text. Formulas are never evaluated: what looks like one is kept as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        value = value.isoformat()
    return " ".join(str(value).replace("\xa0", " ").split())


def read_rows(
    fileobj: BinaryIO, *, aliases: dict[str, str], required: tuple[str, ...], max_rows: int
) -> Table:
    """The data rows of the first sheet (XLSX) or of a CSV, keyed by canonical column name.

    The first non-empty row is the header; its names are matched case-insensitively through `aliases`
    and unknown columns are ignored. Empty rows are skipped but keep their place in the numbering.
    """
    header: list[str | None] | None = None
    rows: list[Row] = []
    for number, cells in _raw_rows(read_upload(fileobj)):
        if not any(cell_text(c) for c in cells):
            continue
        if header is None:
            header = _header(number, cells, aliases, required)
            header_number = number
        elif len(rows) == max_rows:
            raise ImporGagal(f"Berkas berisi lebih dari {max_rows} baris data; bagi menjadi beberapa berkas.")
        else:
            rows.append(Row(number, _keyed(header, cells)))
    if header is None:
        raise ImporGagal("Berkas kosong.")
    if not rows:
        raise ImporGagal(
            f"Berkas tidak berisi baris data di bawah baris judul kolom (baris {header_number})."
        )
    return Table(frozenset(name for name in header if name), rows)


def _header(number: int, cells, aliases: dict[str, str], required: tuple[str, ...]) -> list[str | None]:
    header = [aliases.get(cell_text(c).lower().replace("_", " ")) for c in cells]
    missing = [name for name in required if name not in header]
    if missing:
        message = (
            f"Kolom wajib tidak ada: {', '.join(missing)}. Baris pertama berkas harus berisi nama kolom."
        )
        raise ImporGagal(message, [(number, f"Baris {number}: {message}")])
    return header


def _keyed(header: list[str | None], cells) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, value in zip(header, cells, strict=False):
        if name is not None and name not in values:
            values[name] = value
    return values


def _raw_rows(data: bytes) -> Iterator[tuple[int, tuple | list]]:
    if data.startswith(ZIP_MAGIC):
        return _xlsx_rows(data)
    if data.startswith(OLE_MAGIC):
        raise ImporGagal(OLD_XLS)
    return _csv_rows(data)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    workbook = open_workbook(data)
    try:
        if not workbook.worksheets:
            raise ImporGagal("Berkas XLSX tidak berisi lembar kerja.")
        # Read-only sheets yield a row for every row number, empty ones included, so numbers stay true.
        yield from enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    except ImporGagal:
        raise
    except Exception as error:
        raise ImporGagal(DAMAGED) from error
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if b"\x00" in data:
        raise ImporGagal(NOT_A_TABLE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what Excel on Windows writes for "CSV (Comma delimited)"
        except UnicodeDecodeError as error:
            raise ImporGagal(NOT_A_TABLE) from error
    # Sniff the header line only: column names never hold a separator, descriptions often hold commas.
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=",;").delimiter
    except csv.Error:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    except csv.Error as error:
        raise ImporGagal(f"Berkas CSV tidak dapat dibaca: {error}.") from error


# --- the rows' errors and cells -------------------------------------------------------------------------------


class RowErrors(list):
    """(row number, message) pairs; messages start with "Baris N:" so they read well on their own."""

    def add(self, number: int, message: str) -> None:
        self.append((number, f"Baris {number}: {message}"))

    def length(self, number: int, label: str, text: str, limit: int) -> None:
        """A text longer than its column holds."""
        if len(text) > limit:
            self.add(number, f"{label} terlalu panjang ({len(text)} karakter; maksimal {limit}).")

    def raise_if_any(self) -> None:
        """Refuse the whole file, every error in row order; nothing has been written."""
        if self:
            self.sort(key=lambda error: error[0])
            raise ImporGagal(
                f"Impor dibatalkan: {len(self)} kesalahan pada berkas. Tidak ada data yang disimpan.",
                list(self),
            )


def parsed_once(
    table: Table,
    parse: Callable[[Row], T | None],
    *,
    key: Callable[[T], str],
    again: Callable[[T, int], str],
    errors: RowErrors,
) -> Iterator[tuple[Row, T]]:
    """Each row read by `parse` (None: it recorded the row's errors), each `key` once: a row repeating a key
    of an earlier one is the error `again(item, earlier row number)`."""
    first: dict[str, int] = {}
    for row in table.rows:
        item = parse(row)
        if item is None:
            continue
        name = key(item)
        if name in first:
            errors.add(row.number, again(item, first[name]))
            continue
        first[name] = row.number
        yield row, item


def parse_bool(text: str) -> bool | None:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def flag(row: Row, column: str, errors: RowErrors, *, default: bool = True) -> bool:
    """A yes/no cell (ya/tidak, 1/0, aktif/nonaktif …); empty is `default`."""
    text = row.text(column)
    value = parse_bool(text) if text else default
    if value is None:
        errors.add(row.number, f"{column} {text!r} tidak dikenal; isi ya atau tidak.")
    return bool(value)


class SubbagianLookup:
    """A satker's subbagian by its short name or its full name, case-insensitively; the short name wins a clash."""

    def __init__(self, satker: Satker):
        self.by_name: dict[str, Subbagian] = {}
        subbagian = list(Subbagian.objects.filter(satker=satker))
        for sub in subbagian:
            self.by_name.setdefault(sub.nama.lower(), sub)
        for sub in subbagian:
            self.by_name[sub.singkatan.lower()] = sub

    def find(
        self, row: Row, errors: RowErrors, *, column: str = "subbagian", hint: str = ""
    ) -> Subbagian | None:
        """The subbagian a cell names (None for an empty cell); an unknown name is a row error."""
        name = row.text(column)
        if not name:
            return None
        found = self.by_name.get(name.lower())
        if found is None:
            errors.add(row.number, f"subbagian {name!r} tidak ditemukan pada satker ini{hint}.")
        return found


# --- writing -----------------------------------------------------------------------------------------------------


@contextmanager
def satker_import(satker: Satker, *, busy: str) -> Iterator[Satker]:
    """All rows or none, one import per satker at a time: a transaction holding the satker's row (yielded).
    A write that clashes with another process's is refused as "`busy` sedang diubah …", nothing saved."""
    try:
        with transaction.atomic():
            yield Satker.objects.select_for_update().get(pk=satker.pk)
    except IntegrityError as error:
        raise ImporGagal(
            f"{busy} sedang diubah oleh proses lain; tidak ada yang disimpan. Coba lagi."
        ) from error


def import_into(
    satker: Satker,
    write: Callable[[Satker], R],
    *,
    busy: str,
    action: str,
    title: str,
    filename: str,
    by: Pegawai | None,
    note: Callable[[R], str] | None = None,
) -> R:
    """Run `write(locked satker)` in satker_import and record it: "Impor {title} dari {file}: {summary}." (or
    `note(result)` after the file's name), acted by `by` (None: a management command)."""
    with satker_import(satker, busy=busy) as locked:
        result = write(locked)
        summary = note(result) if note else f"{result.summary}."
        audit(
            obj=locked,
            actor=by.user if by is not None else None,
            action=action,
            catatan=f"Impor {title} dari {safe_display_name(filename)}: {summary}",
            satker=locked,
        )
    return result
