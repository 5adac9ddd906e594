"""Master data from spreadsheets: output codes (Rendatin) and a whole office's staff (Admin).

Each import reads the whole file and checks every row before it writes anything; if any row is wrong the
caller gets ImporGagal with every (row, message) pair and nothing is saved, so the user fixes the file once
rather than row by row. Row numbers are the spreadsheet's own (the header is usually row 1).

The account changes made from the same pages (a code switched off, a password reset) live here too.
"""

import csv
import datetime
import io
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple

import openpyxl
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from .errors import DomainError, ImporGagal
from .evidence import safe_display_name
from .models import (
    KodeOutput,
    LevelKode,
    Pegawai,
    Role,
    Satker,
    StatusPegawai,
    Subbagian,
    normalize_nip,
    validate_nip,
)
from .services import audit

MAX_ROWS = 5000
PEGAWAI_MAX_ROWS = 1000
# An XLSX is a zip; refuse one that would unpack to far more than any real sheet of this size (zip bombs).
MAX_UNPACKED_RATIO = 40

DAMAGED = (
    "Berkas XLSX rusak atau bukan lembar kerja Excel. Simpan ulang sebagai .xlsx atau CSV, lalu coba lagi."
)
NOT_A_TABLE = (
    "Berkas bukan XLSX atau CSV. Simpan lembar kerja sebagai .xlsx atau CSV (UTF-8), lalu coba lagi."
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

TRUE_WORDS = {"ya", "1", "true", "yes", "aktif", "benar"}
FALSE_WORDS = {"tidak", "0", "false", "no", "nonaktif", "tidak aktif", "salah"}


# --- reading a spreadsheet ---------------------------------------------------------------------------------


class Row(NamedTuple):
    number: int
    values: dict[str, object]

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))


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


def _header_name(value) -> str:
    return cell_text(value).lower().replace("_", " ")


class Table(NamedTuple):
    columns: frozenset[str]  # the known columns the header names, whether or not a row fills them
    rows: list[Row]


def read_rows(
    fileobj: BinaryIO, *, aliases: dict[str, str], required: tuple[str, ...], max_rows: int
) -> Table:
    """The data rows of the first sheet (XLSX) or of a CSV, keyed by canonical column name.

    The first non-empty row is the header; its names are matched case-insensitively through `aliases`
    and unknown columns are ignored. Empty rows are skipped but keep their place in the numbering.
    """
    limit = settings.IMPORT_MAX_BYTES
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise ImporGagal(f"Berkas terlalu besar; maksimal {limit / (1024 * 1024):g} MB.")
    if not data.strip():
        raise ImporGagal("Berkas kosong.")
    if data[:2] == b"PK":
        raw = _xlsx_rows(data)
    elif data[:4] == OLE_MAGIC:
        raise ImporGagal(
            "Format .xls lama tidak didukung. Simpan berkas sebagai .xlsx atau CSV, lalu coba lagi."
        )
    else:
        raw = _csv_rows(data)

    header: list[str | None] | None = None
    header_number = 1
    rows: list[Row] = []
    for number, cells in raw:
        if not any(cell_text(c) for c in cells):
            continue
        if header is None:
            header_number = number
            header = [aliases.get(_header_name(c)) for c in cells]
            missing = [name for name in required if name not in header]
            if missing:
                names = ", ".join(missing)
                message = f"Kolom wajib tidak ada: {names}. Baris pertama berkas harus berisi nama kolom."
                raise ImporGagal(message, [(number, f"Baris {number}: {message}")])
            continue
        if len(rows) == max_rows:
            raise ImporGagal(f"Berkas berisi lebih dari {max_rows} baris data; bagi menjadi beberapa berkas.")
        values: dict[str, object] = {}
        for name, value in zip(header, cells, strict=False):
            if name is not None and name not in values:
                values[name] = value
        rows.append(Row(number, values))
    if header is None:
        raise ImporGagal("Berkas kosong.")
    if not rows:
        raise ImporGagal(
            f"Berkas tidak berisi baris data di bawah baris judul kolom (baris {header_number})."
        )
    return Table(frozenset(name for name in header if name), rows)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImporGagal(DAMAGED) from error
    if unpacked > MAX_UNPACKED_RATIO * settings.IMPORT_MAX_BYTES:
        raise ImporGagal(DAMAGED)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl reports a damaged file through many exception types
        raise ImporGagal(DAMAGED) from error
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


def _parse_bool(text: str) -> bool | None:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _subbagian_lookup(satker: Satker) -> dict[str, Subbagian]:
    """A subbagian by its short name or its full name, case-insensitively; the short name wins a clash."""
    found: dict[str, Subbagian] = {}
    subbagian = list(Subbagian.objects.filter(satker=satker))
    for sub in subbagian:
        found.setdefault(sub.nama.lower(), sub)
    for sub in subbagian:
        found[sub.singkatan.lower()] = sub
    return found


class _Errors(list):
    """(row number, message) pairs; messages start with "Baris N:" so they read well on their own."""

    def add(self, number: int, message: str) -> None:
        self.append((number, f"Baris {number}: {message}"))

    def raise_if_any(self) -> None:
        if self:
            self.sort(key=lambda error: error[0])
            raise ImporGagal(
                f"Impor dibatalkan: {len(self)} kesalahan pada berkas. Tidak ada data yang disimpan.",
                list(self),
            )


def _actor(by: Pegawai | None):
    return by.user if by is not None else None


# --- output codes ------------------------------------------------------------------------------------------

KODE_COLUMNS = {
    "kode": "kode",
    "kode output": "kode",
    "uraian": "uraian",
    "level": "level",
    "subbagian": "subbagian",
    "aktif": "aktif",
    "tahun": "tahun",
}
LEVEL_BY_DEPTH = {1: LevelKode.KEGIATAN, 2: LevelKode.KRO, 3: LevelKode.RO}
KODE_FIELDS = ("uraian", "level", "subbagian", "aktif", "parent")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int = 0

    @property
    def summary(self) -> str:
        return f"{self.created} baru, {self.updated} diperbarui, {self.unchanged} tanpa perubahan"


@dataclass
class _KodeRow:
    number: int
    kode: str
    uraian: str
    level: str
    subbagian: Subbagian | None
    aktif: bool

    @property
    def depth(self) -> int:
        return self.kode.count(".") + 1


def infer_level(kode: str) -> str:
    """Budget codes nest by dots: 3359 → 3359.EBA → 3359.EBA.994 → 3359.EBA.994.002.

    A program code such as 076.01.WA looks like an RO by this rule; the file's `level` column says otherwise.
    """
    return LEVEL_BY_DEPTH.get(kode.count(".") + 1, LevelKode.KOMPONEN)


def _parent_kode(kode: str, known) -> str | None:
    """The longest proper prefix of the code (whole segments) that is a known code."""
    parts = kode.split(".")
    for end in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in known:
            return prefix
    return None


def _parse_kode_row(
    row: Row, *, tahun: int, subbagian: dict[str, Subbagian], errors: _Errors
) -> _KodeRow | None:
    n = row.number
    before = len(errors)
    kode = row.text("kode").replace(" ", "")
    if not kode:
        errors.add(n, "kode wajib diisi.")
    elif len(kode) > 60:
        errors.add(n, f"kode terlalu panjang ({len(kode)} karakter; maksimal 60).")
    elif "" in kode.split("."):
        errors.add(n, f"kode {kode} tidak valid: ada bagian kosong di antara titik.")
    uraian = row.text("uraian")
    if not uraian:
        errors.add(n, "uraian wajib diisi.")
    elif len(uraian) > 255:
        errors.add(n, f"uraian terlalu panjang ({len(uraian)} karakter; maksimal 255).")
    level = row.text("level").lower()
    if level and level not in LevelKode.values:
        errors.add(
            n, f"level {row.text('level')!r} tidak dikenal; pilih salah satu: {', '.join(LevelKode.values)}."
        )
    sub_name = row.text("subbagian")
    sub = subbagian.get(sub_name.lower()) if sub_name else None
    if sub_name and sub is None:
        errors.add(n, f"subbagian {sub_name!r} tidak ditemukan pada satker ini.")
    aktif_text = row.text("aktif")
    aktif = _parse_bool(aktif_text) if aktif_text else True
    if aktif is None:
        errors.add(n, f"aktif {aktif_text!r} tidak dikenal; isi ya atau tidak.")
    tahun_text = row.text("tahun")
    if tahun_text and tahun_text != str(tahun):
        errors.add(n, f"tahun {tahun_text} berbeda dengan tahun anggaran yang dipilih ({tahun}).")
    if len(errors) > before:
        return None
    return _KodeRow(n, kode, uraian, level or infer_level(kode), sub, aktif)


def kode_output_import(
    *, satker: Satker, tahun: int, fileobj: BinaryIO, filename: str, by: Pegawai | None
) -> ImportResult:
    """Create or update the satker's output codes of a year from an XLSX/CSV file (all rows or none).

    Codes are matched on (satker, year, code); existing ones are updated, none is ever deleted.
    """
    table = read_rows(fileobj, aliases=KODE_COLUMNS, required=("kode", "uraian"), max_rows=MAX_ROWS)
    try:
        with transaction.atomic():
            # One import per satker at a time: the parent links depend on what is already there.
            Satker.objects.select_for_update().get(pk=satker.pk)
            result = _kode_output_write(satker, tahun, table)
            audit(
                obj=satker,
                actor=_actor(by),
                action="kode_output_impor",
                catatan=f"Impor kode output {tahun} dari {safe_display_name(filename)}: {result.summary}.",
                satker=satker,
            )
    except IntegrityError as error:
        raise ImporGagal(
            "Kode output sedang diubah oleh proses lain; tidak ada yang disimpan. Coba lagi."
        ) from error
    return result


def _kode_output_write(satker: Satker, tahun: int, table: Table) -> ImportResult:
    errors = _Errors()
    subbagian = _subbagian_lookup(satker)
    parsed: list[_KodeRow] = []
    first_seen: dict[str, int] = {}
    # An existing code keeps what the file has no column for (a restriction, a switched-off code, its level).
    kept = {"level", "subbagian", "aktif"} - table.columns
    for row in table.rows:
        item = _parse_kode_row(row, tahun=tahun, subbagian=subbagian, errors=errors)
        if item is None:
            continue
        if item.kode in first_seen:
            errors.add(item.number, f"kode {item.kode} sudah ada pada baris {first_seen[item.kode]}.")
            continue
        first_seen[item.kode] = item.number
        parsed.append(item)
    errors.raise_if_any()

    existing = {k.kode: k for k in KodeOutput.objects.filter(satker=satker, tahun=tahun)}
    known: dict[str, KodeOutput] = dict(existing)
    created = updated = unchanged = 0
    # Shallow codes first, so every parent has its primary key before its children are written.
    by_depth: dict[int, list[_KodeRow]] = {}
    for item in parsed:
        by_depth.setdefault(item.depth, []).append(item)
    names = {item.kode for item in parsed} | set(existing)
    for depth in sorted(by_depth):
        new, changed = [], []
        for item in by_depth[depth]:
            parent_kode = _parent_kode(item.kode, names)
            values = {
                "uraian": item.uraian,
                "level": item.level,
                "subbagian": item.subbagian,
                "aktif": item.aktif,
                "parent": known[parent_kode] if parent_kode else None,
            }
            obj = existing.get(item.kode)
            if obj is None:
                obj = KodeOutput(satker=satker, tahun=tahun, kode=item.kode, **values)
                new.append(obj)
                known[item.kode] = obj
                continue
            for name in kept:
                del values[name]
            if _differs(obj, values):
                for name, value in values.items():
                    setattr(obj, name, value)
                changed.append(obj)
            else:
                unchanged += 1
            known[item.kode] = obj
        KodeOutput.objects.bulk_create(new, batch_size=500)
        KodeOutput.objects.bulk_update(changed, [f for f in KODE_FIELDS if f not in kept], batch_size=500)
        created += len(new)
        updated += len(changed)
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _differs(obj, values: dict) -> bool:
    for name, value in values.items():
        current = getattr(obj, f"{name}_id") if name in ("subbagian", "parent") else getattr(obj, name)
        wanted = value.pk if isinstance(value, Subbagian | KodeOutput) else value
        if current != wanted:
            return True
    return False


def kode_output_set_aktif(*, kode: KodeOutput, aktif: bool, by: Pegawai | None) -> KodeOutput:
    """Switch a satker's code on or off. Codes are never deleted once used; switching off hides them."""
    with transaction.atomic():
        kode = KodeOutput.objects.select_for_update().get(pk=kode.pk)
        if kode.satker_id is None:
            raise DomainError("Kode output bersama tidak dapat diubah dari satker.")
        if kode.aktif == aktif:
            return kode
        kode.aktif = aktif
        kode.save(update_fields=["aktif"])
        audit(
            obj=kode,
            actor=_actor(by),
            action="kode_output_aktif",
            dari="nonaktif" if aktif else "aktif",
            ke="aktif" if aktif else "nonaktif",
            catatan=kode.kode,
            satker=kode.satker,
        )
    return kode


# --- staff -------------------------------------------------------------------------------------------------

PEGAWAI_COLUMNS = {
    "nip": "nip",
    "nama": "nama",
    "jabatan": "jabatan",
    "golongan": "golongan",
    "pangkat": "golongan",
    "pangkat/golongan": "golongan",
    "pangkat golongan": "golongan",
    "subbagian": "subbagian",
    "status": "status",
    "peran": "peran",
    "email": "email",
}
GRANTED_ROLES = {Role.KASUBAG, Role.SEKRETARIS, Role.ADMIN, Role.PIMPINAN}
# ASN follows from the status and Rendatin from membership of the Rendatin subbagian; accepted, not stored.
DERIVED_ROLES = {Role.ASN, Role.RENDATIN}
STATUS_WORDS = {
    "pns": StatusPegawai.PNS,
    "pppk": StatusPegawai.PPPK,
    "non_asn": StatusPegawai.NON_ASN,
    "non-asn": StatusPegawai.NON_ASN,
    "non asn": StatusPegawai.NON_ASN,
    "nonasn": StatusPegawai.NON_ASN,
}
READABLE = frozenset("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


class Kredensial(NamedTuple):
    nama: str
    username: str
    password: str


@dataclass(frozen=True)
class PegawaiImportResult:
    created: int
    updated: int
    unchanged: int = 0
    credentials: list[Kredensial] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"{self.created} akun baru, {self.updated} diperbarui, {self.unchanged} tanpa perubahan"


def temporary_password(groups: int = 3) -> str:
    """A one-time password to read out or write down: no look-alikes (0/O, 1/l/I); e.g. ab3K-x9Qm-T4hp."""
    chars: list[str] = []
    while len(chars) < 4 * groups:
        chars.extend(c for c in secrets.token_urlsafe(16) if c in READABLE)
    return "-".join("".join(chars[i * 4 : i * 4 + 4]) for i in range(groups))


@dataclass
class _PegawaiRow:
    number: int
    nip: str | None
    username: str
    nama: str
    jabatan: str
    golongan: str
    subbagian: Subbagian | None
    status: str
    roles: set[str]
    email: str
    existing: Pegawai | None = None


def _parse_pegawai_row(row: Row, *, subbagian: dict[str, Subbagian], errors: _Errors) -> _PegawaiRow | None:
    n = row.number
    before = len(errors)
    nama = row.text("nama")
    if not nama:
        errors.add(n, "nama wajib diisi.")
    elif len(nama) > 150:
        errors.add(n, f"nama terlalu panjang ({len(nama)} karakter; maksimal 150).")
    status_text = row.text("status")
    status = STATUS_WORDS.get(status_text.lower()) if status_text else StatusPegawai.PNS
    if status is None:
        errors.add(n, f"status {status_text!r} tidak dikenal; isi PNS, PPPK atau NON_ASN.")
    roles: set[str] = set()
    for word in row.text("peran").replace(";", ",").split(","):
        word = word.strip().lower()
        if not word or word in DERIVED_ROLES:
            continue
        if word in GRANTED_ROLES:
            roles.add(word)
        else:
            errors.add(n, f"peran {word!r} tidak dikenal; pilih dari kasubag, sekretaris, admin, pimpinan.")

    raw_nip = row.values.get("nip")
    nip = normalize_nip(row.text("nip").lstrip("'")) or None
    username = nip or ""
    if isinstance(raw_nip, float):
        # Excel keeps 15 significant digits: an 18-digit NIP typed as a number has already lost its tail.
        errors.add(
            n, "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; format kolom NIP sebagai Teks."
        )
    elif nip:
        try:
            validate_nip(nip)
        except ValidationError as error:
            errors.add(n, f"NIP {nip}: {' '.join(error.messages)}")
    else:
        # Only a Pimpinan outside the civil service goes without NIP; checked once the person is matched.
        username = slugify(nama)[:150]
        if nama and not username:
            errors.add(n, "nama tidak dapat dijadikan nama pengguna; isi nama dengan huruf.")

    sub_name = row.text("subbagian")
    sub = subbagian.get(sub_name.lower()) if sub_name else None
    if sub_name and sub is None:
        errors.add(n, f"subbagian {sub_name!r} tidak ditemukan pada satker ini.")
    if Role.KASUBAG in roles and Role.SEKRETARIS in roles:
        errors.add(n, "peran kasubag dan sekretaris tidak dapat dipegang bersamaan.")
    elif Role.KASUBAG in roles and not sub_name:
        errors.add(n, "peran kasubag memerlukan kolom subbagian yang dipimpin.")

    email = row.text("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(n, f"email {email!r} tidak valid.")
    jabatan, golongan = row.text("jabatan"), row.text("golongan")
    if len(jabatan) > 150:
        errors.add(n, f"jabatan terlalu panjang ({len(jabatan)} karakter; maksimal 150).")
    if len(golongan) > 80:
        errors.add(n, f"golongan terlalu panjang ({len(golongan)} karakter; maksimal 80).")
    if len(errors) > before:
        return None
    return _PegawaiRow(n, nip, username, nama, jabatan, golongan, sub, status, roles, email)


def pegawai_import(
    *, satker: Satker, fileobj: BinaryIO, filename: str, by: Pegawai | None
) -> PegawaiImportResult:
    """Onboard or update a satker's staff from an XLSX/CSV file (all rows or none).

    New people get an account named by their NIP with a temporary password they must change at first
    sign-in; the passwords are returned once and never stored in clear. Roles in the file are granted, never
    taken away: `kasubag` and `sekretaris` fill those posts (replacing the holder), `admin` and `pimpinan`
    set the flags.
    """
    table = read_rows(fileobj, aliases=PEGAWAI_COLUMNS, required=("nip", "nama"), max_rows=PEGAWAI_MAX_ROWS)
    try:
        with transaction.atomic():
            locked = Satker.objects.select_for_update().get(pk=satker.pk)
            parsed = _pegawai_validate(locked, table)
            result, posts = _pegawai_write(locked, parsed, table.columns)
            note = f"Impor pegawai dari {safe_display_name(filename)}: {result.summary}."
            if posts:
                note += " Jabatan: " + "; ".join(posts) + "."
            audit(obj=locked, actor=_actor(by), action="pegawai_impor", catatan=note, satker=locked)
    except IntegrityError as error:
        raise ImporGagal(
            "Data pegawai sedang diubah oleh proses lain; tidak ada yang disimpan. Coba lagi."
        ) from error
    satker.sekretaris_id = locked.sekretaris_id
    return result


def _pegawai_validate(satker: Satker, table: Table) -> list[_PegawaiRow]:
    errors = _Errors()
    subbagian = _subbagian_lookup(satker)
    parsed: list[_PegawaiRow] = []
    first_seen: dict[str, int] = {}
    kasubag_of: dict[int, int] = {}
    sekretaris_row: int | None = None
    for row in table.rows:
        item = _parse_pegawai_row(row, subbagian=subbagian, errors=errors)
        if item is None:
            continue
        what = f"NIP {item.nip}" if item.nip else f"nama pengguna {item.username}"
        if item.username in first_seen:
            errors.add(item.number, f"{what} sudah ada pada baris {first_seen[item.username]}.")
            continue
        first_seen[item.username] = item.number
        if Role.KASUBAG in item.roles:
            claimed = kasubag_of.setdefault(item.subbagian.pk, item.number)
            if claimed != item.number:
                errors.add(
                    item.number,
                    f"subbagian {item.subbagian.singkatan} sudah diberi kasubag pada baris {claimed}.",
                )
        if Role.SEKRETARIS in item.roles:
            if sekretaris_row is not None:
                errors.add(item.number, f"sekretaris sudah ditetapkan pada baris {sekretaris_row}.")
            else:
                sekretaris_row = item.number
        parsed.append(item)

    nips = [item.nip for item in parsed if item.nip]
    by_nip = {p.nip: p for p in Pegawai.objects.filter(nip__in=nips).select_related("user")}
    usernames = [item.username for item in parsed]
    taken = set(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True))
    # People without NIP (Pimpinan) are found again by name: their account may predate any import.
    nipless: dict[str, list[Pegawai]] = {}
    for person in Pegawai.objects.filter(satker=satker, nip__isnull=True).select_related("user"):
        nipless.setdefault(person.nama.lower(), []).append(person)
    for item in parsed:
        if item.nip and item.nip in by_nip:
            match = by_nip[item.nip]
            if match.satker_id != satker.pk:
                errors.add(item.number, f"NIP {item.nip} sudah terdaftar di satker lain.")
                continue
            item.existing = match
        elif item.nip is None and item.nama.lower() in nipless:
            matches = nipless[item.nama.lower()]
            if len(matches) > 1:
                errors.add(
                    item.number,
                    f"ada {len(matches)} pegawai tanpa NIP bernama {item.nama}; ubah lewat Admin.",
                )
                continue
            item.existing = matches[0]
        if item.nip is None and not _may_go_without_nip(item, table.columns):
            errors.add(item.number, "NIP wajib diisi; hanya pimpinan berstatus NON_ASN yang boleh tanpa NIP.")
            continue
        if item.existing is None and item.username in taken:
            errors.add(item.number, f"nama pengguna {item.username} sudah dipakai akun lain.")
            continue
        keeps_subbagian = item.existing is not None and "subbagian" not in table.columns
        if item.subbagian is None and not (
            keeps_subbagian
            or item.roles & {Role.SEKRETARIS, Role.PIMPINAN}
            or item.status == StatusPegawai.NON_ASN
            or (item.existing is not None and item.existing.pk == satker.sekretaris_id)
        ):
            errors.add(item.number, "subbagian wajib diisi (hanya Sekretaris dan Pimpinan tanpa subbagian).")
    errors.raise_if_any()
    return parsed


def _may_go_without_nip(item: _PegawaiRow, columns: frozenset[str]) -> bool:
    person = item.existing
    status = person.status if person is not None and "status" not in columns else item.status
    pimpinan = Role.PIMPINAN in item.roles or (person is not None and person.is_pimpinan)
    return status == StatusPegawai.NON_ASN and pimpinan


# Column → Pegawai field; an existing person keeps what the file has no column for.
OPTIONAL_FIELDS = {
    "jabatan": "jabatan",
    "golongan": "pangkat_golongan",
    "subbagian": "subbagian",
    "status": "status",
}


def _pegawai_write(
    satker: Satker, parsed: list[_PegawaiRow], columns: frozenset[str]
) -> tuple[PegawaiImportResult, list[str]]:
    User = get_user_model()
    credentials: list[Kredensial] = []
    created = updated = unchanged = 0
    people: dict[int, Pegawai] = {}
    for item in parsed:
        values = {
            "nama": item.nama,
            "jabatan": item.jabatan,
            "pangkat_golongan": item.golongan,
            "subbagian": item.subbagian,
            "status": item.status,
        }
        pegawai = item.existing
        if pegawai is None:
            password = temporary_password()
            user = User.objects.create_user(username=item.username, email=item.email, password=password)
            pegawai = Pegawai.objects.create(
                user=user,
                satker=satker,
                nip=item.nip,
                is_admin=Role.ADMIN in item.roles,
                is_pimpinan=Role.PIMPINAN in item.roles,
                wajib_ganti_sandi=True,
                **values,
            )
            credentials.append(Kredensial(item.nama, item.username, password))
            created += 1
        else:
            for column, name in OPTIONAL_FIELDS.items():
                if column not in columns:
                    del values[name]
            values["is_admin"] = pegawai.is_admin or Role.ADMIN in item.roles
            values["is_pimpinan"] = pegawai.is_pimpinan or Role.PIMPINAN in item.roles
            changed = [name for name, value in values.items() if _field_value(pegawai, name) != _plain(value)]
            for name in changed:
                setattr(pegawai, name, values[name])
            if changed:
                pegawai.save(update_fields=changed)
            if item.email and pegawai.user.email != item.email:
                pegawai.user.email = item.email
                pegawai.user.save(update_fields=["email"])
                changed.append("email")
            if changed:
                updated += 1
            else:
                unchanged += 1
        people[item.number] = pegawai
    posts = _assign_posts(satker, parsed, people)
    return PegawaiImportResult(created, updated, unchanged, credentials), posts


def _field_value(obj, name: str):
    return obj.subbagian_id if name == "subbagian" else getattr(obj, name)


def _plain(value):
    return value.pk if isinstance(value, Subbagian) else value


def _assign_posts(satker: Satker, parsed: list[_PegawaiRow], people: dict[int, Pegawai]) -> list[str]:
    """Fill the Kasubag and Sekretaris posts the file names; the previous holders simply lose the post."""
    posts: list[str] = []
    heads = {item.subbagian.pk: people[item.number] for item in parsed if Role.KASUBAG in item.roles}
    current = dict(Subbagian.objects.filter(satker=satker).values_list("pk", "kasubag_id"))
    heads = {sub: p for sub, p in heads.items() if current.get(sub) != p.pk}
    if heads:
        # A person heads one subbagian at most: free both the posts and the new heads' old posts first.
        Subbagian.objects.filter(satker=satker).filter(
            Q(pk__in=heads) | Q(kasubag__in=list(heads.values()))
        ).update(kasubag=None)
        subs = Subbagian.objects.in_bulk(list(heads))
        for sub_pk, pegawai in heads.items():
            Subbagian.objects.filter(pk=sub_pk).update(kasubag=pegawai)
            posts.append(f"Kasubag {subs[sub_pk].singkatan}: {pegawai.nama}")
    for item in parsed:
        if Role.SEKRETARIS in item.roles and satker.sekretaris_id != people[item.number].pk:
            satker.sekretaris = people[item.number]
            satker.save(update_fields=["sekretaris"])
            posts.append(f"Sekretaris: {item.nama}")
    return posts


def pegawai_reset_password(*, target: Pegawai, by: Pegawai) -> str:
    """An Admin gives a colleague a new temporary password (returned once); they must change it at sign-in.

    Changing the password also ends the target's open sessions, and a lockout from failed attempts is lifted.
    """
    if not by.has_role(Role.ADMIN) or target.satker_id != by.satker_id or target.pk == by.pk:
        raise DomainError("Anda tidak dapat mengatur ulang kata sandi pegawai ini.")
    password = temporary_password()
    with transaction.atomic():
        target = (
            Pegawai.objects.select_for_update(of=("self", "user")).select_related("user").get(pk=target.pk)
        )
        target.user.set_password(password)
        target.user.save(update_fields=["password"])
        target.wajib_ganti_sandi = True
        target.save(update_fields=["wajib_ganti_sandi"])
        audit(obj=target, actor=by.user, action="pegawai_reset_sandi", satker=target.satker)
        username = target.user.get_username()
        transaction.on_commit(lambda: axes_reset(username=username))
    return password
