"""A satker's output codes of one budget year from XLSX/CSV (Rendatin): codes are matched on (satker, year,
code), existing ones updated, none ever deleted; one wrong row refuses the file (kinerja.imports.base)."""

from dataclasses import dataclass
from typing import BinaryIO

from ..models import KodeOutput, LevelKode, Pegawai, Satker, Subbagian
from .base import RowErrors, SubbagianLookup, Table, flag, import_into, parsed_once, read_rows

MAX_ROWS = 5000

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


def _kode(row, errors: RowErrors) -> str:
    kode = row.text("kode").replace(" ", "")
    if not kode:
        errors.add(row.number, "kode wajib diisi.")
    elif len(kode) > 60:
        errors.length(row.number, "kode", kode, 60)
    elif "" in kode.split("."):
        errors.add(row.number, f"kode {kode} tidak valid: ada bagian kosong di antara titik.")
    return kode


def _parse_kode_row(row, *, tahun: int, subbagian: SubbagianLookup, errors: RowErrors) -> _KodeRow | None:
    n = row.number
    before = len(errors)
    kode = _kode(row, errors)
    uraian = row.text("uraian")
    if not uraian:
        errors.add(n, "uraian wajib diisi.")
    errors.length(n, "uraian", uraian, 255)
    level = row.text("level").lower()
    if level and level not in LevelKode.values:
        errors.add(
            n, f"level {row.text('level')!r} tidak dikenal; pilih salah satu: {', '.join(LevelKode.values)}."
        )
    sub = subbagian.find(row, errors)
    aktif = flag(row, "aktif", errors)
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
    # One import per satker at a time: the parent links depend on what is already there.
    return import_into(
        satker,
        lambda locked: _kode_output_write(locked, tahun, table),
        busy="Kode output",
        action="kode_output_impor",
        title=f"kode output {tahun}",
        filename=filename,
        by=by,
    )


def _parsed(satker: Satker, tahun: int, table: Table) -> list[_KodeRow]:
    errors = RowErrors()
    subbagian = SubbagianLookup(satker)
    rows = parsed_once(
        table,
        lambda row: _parse_kode_row(row, tahun=tahun, subbagian=subbagian, errors=errors),
        key=lambda item: item.kode,
        again=lambda item, first: f"kode {item.kode} sudah ada pada baris {first}.",
        errors=errors,
    )
    parsed = [item for _, item in rows]
    errors.raise_if_any()
    return parsed


def _kode_output_write(satker: Satker, tahun: int, table: Table) -> ImportResult:
    parsed = _parsed(satker, tahun, table)
    # An existing code keeps what the file has no column for (a restriction, a switched-off code, its level).
    kept = {"level", "subbagian", "aktif"} - table.columns
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
            elif _apply(obj, {k: v for k, v in values.items() if k not in kept}):
                changed.append(obj)
            else:
                unchanged += 1
            known[item.kode] = obj
        KodeOutput.objects.bulk_create(new, batch_size=500)
        KodeOutput.objects.bulk_update(changed, [f for f in KODE_FIELDS if f not in kept], batch_size=500)
        created += len(new)
        updated += len(changed)
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _apply(obj: KodeOutput, values: dict) -> bool:
    """Set the values that differ; whether any did."""
    differs = False
    for name, value in values.items():
        current = getattr(obj, f"{name}_id") if name in ("subbagian", "parent") else getattr(obj, name)
        wanted = value.pk if isinstance(value, Subbagian | KodeOutput) else value
        if current != wanted:
            differs = True
    if differs:
        for name, value in values.items():
            setattr(obj, name, value)
    return differs
