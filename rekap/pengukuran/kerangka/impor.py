"""The framework from a spreadsheet (issue 5, Deliver 1): XLSX or CSV, one row per indicator, read through
kinerja.imports.base as the output codes and the staff are.

The whole file is read and every row checked before anything is written; one wrong row refuses the import
with every (row, message) pair, and nothing is half-imported (one transaction). Row numbers are the
spreadsheet's own. The rules of an indicator are those of kerangka.data.indikator_errors, the same as on the
web. Sasaran, program and kegiatan are matched by code within their parent, indicators by their code in the
year; nothing is deleted.
"""

import re
from dataclasses import dataclass
from typing import BinaryIO

from kinerja.errors import ImporGagal
from kinerja.imports.base import (
    Row,
    RowErrors,
    SubbagianLookup,
    Table,
    flag,
    import_into,
    parsed_once,
    read_rows,
)
from kinerja.models import KodeOutput, Pegawai, Satker
from silabu.lib.numbers import NumberError

from ..models import Arah, AturanRealisasi, Indikator, JenisPeriode, JenisTarget, Kegiatan, Program, Sasaran
from ..periode import PERIODS, periode_column, periode_label
from .data import (
    IndikatorData,
    KerangkaDitolak,
    Target,
    angka_reason,
    check_tahun,
    indikator_errors,
    normalise,
    parse_target,
)
from .queries import codes_by_name, data_of, indikator_of_year, targets_of
from .services import write_indikator

MAX_ROWS = 2000

# --- the spreadsheet ----------------------------------------------------------------------------------------


def _period_aliases(jenis: str, nomor: int) -> tuple[str, ...]:
    column, name = periode_column(jenis, nomor).lower(), periode_label(jenis, nomor).lower()
    extra = {
        JenisPeriode.TRIWULAN: (f"tw{nomor}", f"tw {nomor}", f"triwulan {nomor}"),
        JenisPeriode.SEMESTER: (f"semester {nomor}",),
        JenisPeriode.BULAN: (f"b{nomor}", f"bulan {nomor}"),
    }.get(jenis, ())
    return (f"target {column}", name, f"target {name}", *extra)


# (canonical name, header written in the template, other accepted header names)
_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("kode_sasaran", "kode sasaran", ()),
    ("sasaran", "sasaran", ("uraian sasaran",)),
    ("kode_program", "kode program", ()),
    ("program", "program", ("uraian program",)),
    ("kode_kegiatan", "kode kegiatan", ()),
    ("kegiatan", "kegiatan", ("uraian kegiatan",)),
    ("kode_indikator", "kode indikator", ()),
    ("indikator", "indikator", ("uraian indikator", "indikator kinerja")),
    ("satuan", "satuan", ()),
    ("arah", "arah", ()),
    ("target_tahunan", "target tahunan", ("target", "target tahun")),
    ("target_bawah", "target bawah", ("batas bawah", "bawah")),
    ("target_atas", "target atas", ("batas atas", "atas")),
    *(
        (f"{jenis}_{nomor}", periode_column(jenis, nomor), _period_aliases(jenis, nomor))
        for jenis, nomor in PERIODS
    ),
    ("subbagian", "subbagian", ("penanggung jawab", "subbagian penanggung jawab")),
    ("kode_output", "kode output", ("kode output/kegiatan",)),
    ("aturan", "aturan", ("aturan realisasi", "realisasi dari")),
    ("satuan_volume", "satuan volume", ()),
    ("aktif", "aktif", ()),
]
HEADER = [header for _, header, _ in _COLUMNS]
ALIASES = {
    name.lower(): canonical
    for canonical, header, others in _COLUMNS
    for name in (header, canonical.replace("_", " "), *others)
}
REQUIRED = (
    "kode_sasaran",
    "sasaran",
    "kode_program",
    "program",
    "kode_kegiatan",
    "kegiatan",
    "kode_indikator",
    "indikator",
    "satuan",
    "subbagian",
)
CODES = ("kode_sasaran", "kode_program", "kode_kegiatan", "kode_indikator")
HEADERS = {canonical: header for canonical, header, _ in _COLUMNS}

ARAH_WORDS = {
    "naik": Arah.NAIK,
    "tinggi": Arah.NAIK,
    "maksimal": Arah.NAIK,
    "semakin tinggi semakin baik": Arah.NAIK,
    "turun": Arah.TURUN,
    "rendah": Arah.TURUN,
    "minimal": Arah.TURUN,
    "semakin rendah semakin baik": Arah.TURUN,
}
ATURAN_WORDS = {
    "manual": AturanRealisasi.MANUAL,
    "diisi": AturanRealisasi.MANUAL,
    "diisi subbagian": AturanRealisasi.MANUAL,
    "jumlah entri": AturanRealisasi.JUMLAH_ENTRI,
    "entri": AturanRealisasi.JUMLAH_ENTRI,
    "jumlah volume": AturanRealisasi.JUMLAH_VOLUME,
    "volume": AturanRealisasi.JUMLAH_VOLUME,
}
SUBBAGIAN_HINT = " (tulis singkatannya, mis. KUL)"


@dataclass(frozen=True)
class KerangkaImportResult:
    created: int
    updated: int
    unchanged: int
    kelompok_baru: int  # new sasaran, program and kegiatan

    @property
    def summary(self) -> str:
        text = f"indikator {self.created} baru, {self.updated} diperbarui, {self.unchanged} tanpa perubahan"
        if self.kelompok_baru:
            text += f"; {self.kelompok_baru} sasaran/program/kegiatan baru"
        return text


def kerangka_import(
    *, satker: Satker, tahun: int, fileobj: BinaryIO, filename: str, by: Pegawai | None
) -> KerangkaImportResult:
    """Create or update a year's framework from an XLSX/CSV sheet, one row per indicator (all rows or none).

    Sasaran, program and kegiatan are matched by code (and created when new); indicators by their code in the
    year: an existing one is updated (and moved when its kegiatan changed), a new one created; nothing is
    deleted. A column the file lacks leaves that part of existing indicators as it is (a period's targets,
    output-code links, the active flag); a column present but empty clears it.
    """
    try:
        check_tahun(tahun)
    except KerangkaDitolak as error:
        raise ImporGagal(str(error)) from None
    table = read_rows(fileobj, aliases=ALIASES, required=REQUIRED, max_rows=MAX_ROWS)
    return import_into(
        satker,
        lambda locked: _import_write(locked, tahun, table),
        busy="Kerangka kinerja",
        action="kerangka_impor",
        title=f"kerangka kinerja {tahun}",
        filename=filename,
        by=by,
    )


# --- reading the rows -----------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    number: int
    texts: dict[str, str]  # the codes and texts of the sasaran, program and kegiatan (REQUIRED's columns)
    data: IndikatorData


@dataclass
class _Year:
    """What a row is checked against: the satker's year as it is before the import."""

    satker: Satker
    tahun: int
    columns: frozenset[str]
    subbagian: SubbagianLookup
    codes: dict[str, KodeOutput]
    existing: dict[str, Indikator]

    @classmethod
    def of(cls, satker: Satker, tahun: int, columns: frozenset[str]) -> "_Year":
        existing = indikator_of_year(satker, tahun).select_related("subbagian")
        return cls(
            satker,
            tahun,
            columns,
            SubbagianLookup(satker),
            codes_by_name(satker, tahun),
            {i.kode: i for i in existing.prefetch_related("kode_output", "target_set")},
        )


def _texts(row: Row, errors: RowErrors) -> dict[str, str]:
    texts = {name: row.text(name) for name in REQUIRED}
    for name in REQUIRED:
        if not texts[name]:
            errors.add(row.number, f"kolom {HEADERS[name]} wajib diisi.")
    for name in CODES:
        errors.length(row.number, HEADERS[name], texts[name], 40)
    return texts


def _word(row: Row, column: str, words: dict[str, str], default: str, choices: str, errors: RowErrors):
    text = row.text(column).lower().replace("_", " ")
    value = words.get(text, default if not text else None)
    if value is None:
        errors.add(row.number, f"{column} {row.text(column)!r} tidak dikenal; isi {choices}.")
    return value


def _links(row: Row, year: _Year, errors: RowErrors) -> list[KodeOutput]:
    links: list[KodeOutput] = []
    for kode in (part.strip().replace(" ", "") for part in re.split(r"[,;\n]", row.text("kode_output"))):
        if not kode:
            continue
        found = year.codes.get(kode)
        if found is None:
            errors.add(row.number, f"kode output {kode} tidak ada pada tahun {year.tahun} satker ini.")
        elif found not in links:
            links.append(found)
    return links


def _target(row: Row, column: str, label: str, errors: RowErrors) -> Target | None:
    try:
        return parse_target(row.values.get(column))
    except NumberError as bad:
        errors.add(row.number, f"{label} bukan angka yang valid: {angka_reason(bad)}.")
        return None


def _targets(row: Row, errors: RowErrors) -> tuple[str, Target, dict] | None:
    """(jenis target, the yearly target, the period targets given), or None when a yearly cell is unreadable.

    The yearly target is one number in "target tahunan", a range written there (80-90), or a range in the
    "target bawah" and "target atas" columns."""
    tahunan = _target(row, "target_tahunan", "target tahunan", errors)
    bawah = _target(row, "target_bawah", "target bawah", errors)
    atas = _target(row, "target_atas", "target atas", errors)
    periods = {}
    for jenis, nomor in PERIODS:
        value = _target(row, f"{jenis}_{nomor}", f"target {periode_column(jenis, nomor)}", errors)
        if value is not None and not value.kosong:
            periods[(jenis, nomor)] = value
    if None in (tahunan, bawah, atas):
        return None
    for label, value in (("target bawah", bawah), ("target atas", atas)):
        if value.bawah is not None:
            errors.add(row.number, f"{label} berisi rentang; tulis satu angka.")
    if not bawah.kosong or not atas.kosong:
        if not tahunan.kosong:
            errors.add(row.number, "isi target tahunan atau target bawah/atas (rentang), bukan keduanya.")
        return JenisTarget.RENTANG, Target(bawah=bawah.nilai, atas=atas.nilai), periods
    jenis = JenisTarget.RENTANG if tahunan.bawah is not None else JenisTarget.TUNGGAL
    return jenis, tahunan, periods


def _keep_what_the_file_lacks(
    data: IndikatorData, current: Indikator | None, columns: frozenset[str]
) -> None:
    """What the file has no column for stays as it is on an existing indicator."""
    if current is None:
        return
    if "kode_output" not in columns:
        data.kode_output = list(current.kode_output.all())
    if "aktif" not in columns:
        data.aktif = current.aktif
    for key, value in targets_of(current).items():
        if f"{key[0]}_{key[1]}" not in columns:
            data.targets[key] = value


def _parse_row(row: Row, year: _Year, errors: RowErrors) -> _Parsed | None:
    before = len(errors)
    texts = _texts(row, errors)
    subbagian = year.subbagian.find(row, errors, hint=SUBBAGIAN_HINT)
    arah = _word(row, "arah", ARAH_WORDS, Arah.NAIK, "naik atau turun", errors)
    aturan = _word(
        row, "aturan", ATURAN_WORDS, AturanRealisasi.MANUAL, "manual, jumlah entri atau jumlah volume", errors
    )
    aktif = flag(row, "aktif", errors)
    links = _links(row, year, errors)
    targets = _targets(row, errors)
    if targets is None or len(errors) > before:
        return None
    jenis_target, tahunan, periods = targets
    data = IndikatorData(
        kode=texts["kode_indikator"],
        uraian=texts["indikator"],
        satuan=texts["satuan"],
        subbagian=subbagian,
        arah=arah,
        jenis_target=jenis_target,
        tahunan=tahunan,
        targets=periods,
        kode_output=links,
        aturan_realisasi=aturan,
        satuan_volume=row.text("satuan_volume"),
        aktif=aktif,
    )
    data = normalise(data)
    _keep_what_the_file_lacks(data, year.existing.get(data.kode), year.columns)
    for message in indikator_errors(data, satker=year.satker, tahun=year.tahun):
        errors.add(row.number, message[0].lower() + message[1:])
    if len(errors) > before:
        return None
    return _Parsed(row.number, texts, data)


def _parse_all(year: _Year, table: Table) -> list[_Parsed]:
    """Every row parsed; each indicator once, and one text per sasaran, program and kegiatan code."""
    errors = RowErrors()
    parsed: list[_Parsed] = []
    seen_texts: dict[tuple, tuple[int, str]] = {}
    for _, item in parsed_once(
        table,
        lambda row: _parse_row(row, year, errors),
        key=lambda item: item.data.kode,
        again=lambda item, first: f"kode indikator {item.data.kode} sudah ada pada baris {first}.",
        errors=errors,
    ):
        consistent = True
        for what, key in _group_keys(item.texts):
            first = seen_texts.setdefault(key, (item.number, item.texts[what]))
            if first[1] != item.texts[what]:
                errors.add(
                    item.number,
                    f"uraian {what} {key[-1]} berbeda dengan baris {first[0]}; satu kode satu uraian.",
                )
                consistent = False
        if consistent:
            parsed.append(item)
    errors.raise_if_any()
    return parsed


def _group_keys(texts: dict[str, str]) -> list[tuple[str, tuple]]:
    s, p, k = texts["kode_sasaran"], texts["kode_program"], texts["kode_kegiatan"]
    return [("sasaran", ("s", s)), ("program", ("p", s, p)), ("kegiatan", ("k", s, p, k))]


# --- writing them ---------------------------------------------------------------------------------------------------


class _Groups:
    """The year's sasaran, program and kegiatan by code, created when new: after what is there, in file order
    (existing ones keep their place, so a re-import of the export is a no-op)."""

    def __init__(self, satker: Satker, tahun: int, existing: dict[str, Indikator]):
        self.satker, self.tahun, self.created = satker, tahun, 0
        self.sasaran = {s.kode: s for s in Sasaran.objects.filter(satker=satker, tahun=tahun)}
        self.program = {
            (p.sasaran_id, p.kode): p for p in Program.objects.filter(sasaran__in=self.sasaran.values())
        }
        self.kegiatan = {
            (k.program_id, k.kode): k for k in Kegiatan.objects.filter(program__in=self.program.values())
        }
        self.last: dict[tuple, int] = {}
        for obj, parent in (
            *((s, ("s",)) for s in self.sasaran.values()),
            *((p, ("p", p.sasaran_id)) for p in self.program.values()),
            *((k, ("k", k.program_id)) for k in self.kegiatan.values()),
            *((i, ("i", i.kegiatan_id)) for i in existing.values()),
        ):
            self.last[parent] = max(self.last.get(parent, 0), obj.urutan)

    def next_urutan(self, parent: tuple) -> int:
        self.last[parent] = self.last.get(parent, 0) + 1
        return self.last[parent]

    def _get(self, found: dict, key, uraian: str, create):
        obj = found.get(key)
        if obj is None:
            obj = found[key] = create()
            self.created += 1
        elif obj.uraian != uraian:
            obj.uraian = uraian
            obj.save(update_fields=["uraian"])
        return obj

    def kegiatan_of(self, t: dict[str, str]) -> Kegiatan:
        sasaran = self._get(
            self.sasaran,
            t["kode_sasaran"],
            t["sasaran"],
            lambda: Sasaran.objects.create(
                satker=self.satker,
                tahun=self.tahun,
                kode=t["kode_sasaran"],
                uraian=t["sasaran"],
                urutan=self.next_urutan(("s",)),
            ),
        )
        program = self._get(
            self.program,
            (sasaran.pk, t["kode_program"]),
            t["program"],
            lambda: Program.objects.create(
                sasaran=sasaran,
                kode=t["kode_program"],
                uraian=t["program"],
                urutan=self.next_urutan(("p", sasaran.pk)),
            ),
        )
        return self._get(
            self.kegiatan,
            (program.pk, t["kode_kegiatan"]),
            t["kegiatan"],
            lambda: Kegiatan.objects.create(
                program=program,
                kode=t["kode_kegiatan"],
                uraian=t["kegiatan"],
                urutan=self.next_urutan(("k", program.pk)),
            ),
        )


def _import_write(satker: Satker, tahun: int, table: Table) -> KerangkaImportResult:
    year = _Year.of(satker, tahun, table.columns)
    parsed = _parse_all(year, table)
    groups = _Groups(satker, tahun, year.existing)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for item in parsed:
        kegiatan = groups.kegiatan_of(item.texts)
        counts[_write(item.data, year.existing.get(item.data.kode), kegiatan, groups)] += 1
    return KerangkaImportResult(**counts, kelompok_baru=groups.created)


def _write(data: IndikatorData, indikator: Indikator | None, kegiatan: Kegiatan, groups: _Groups) -> str:
    if indikator is None:
        write_indikator(Indikator(kegiatan=kegiatan, urutan=groups.next_urutan(("i", kegiatan.pk))), data)
        return "created"
    if _fingerprint(indikator.kegiatan_id, data_of(indikator)) == _fingerprint(kegiatan.pk, data):
        return "unchanged"
    if indikator.kegiatan_id != kegiatan.pk:
        indikator.kegiatan = kegiatan
        indikator.urutan = groups.next_urutan(("i", kegiatan.pk))
    write_indikator(indikator, data)
    return "updated"


def _fingerprint(kegiatan_id: int, data: IndikatorData) -> tuple:
    return (
        kegiatan_id,
        data.kode,
        data.uraian,
        data.satuan,
        data.subbagian.pk if data.subbagian else None,
        data.arah,
        data.jenis_target,
        data.tahunan,
        tuple(sorted(data.targets.items())),
        tuple(sorted(k.pk for k in data.kode_output)),
        data.aturan_realisasi,
        data.satuan_volume if data.aturan_realisasi == AturanRealisasi.JUMLAH_VOLUME else "",
        data.aktif,
    )
