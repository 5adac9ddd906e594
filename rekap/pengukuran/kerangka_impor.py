"""The framework as a spreadsheet (issue 5, Deliver 1): import from XLSX/CSV, one row per indicator, and the
template (which is also the export of a year, so a round trip changes nothing).

The whole file is read and every row checked before anything is written; one wrong row refuses the import
with every (row, message) pair, and nothing is half-imported (one transaction). Row numbers are the
spreadsheet's own. The rules of an indicator are those of kerangka.indikator_errors, the same as on the web.
"""

import io
import re
from dataclasses import dataclass
from typing import BinaryIO

import openpyxl
from django.db import IntegrityError, transaction

from kinerja.errors import ImporGagal
from kinerja.evidence import safe_display_name
from kinerja.imports import Row, read_rows
from kinerja.models import KodeOutput, Pegawai, Satker, Subbagian
from kinerja.services import audit
from silabu.lib.numbers import NumberError
from silabu.lib.xlsx import bold_row, safe_row, set_widths

from .kerangka import (
    PERIODS,
    IndikatorData,
    KerangkaDitolak,
    Target,
    actor_of,
    angka_reason,
    apply_data,
    check_tahun,
    codes_by_name,
    data_of,
    indikator_errors,
    indikator_of_year,
    lock_satker,
    normalise,
    parse_target,
    periode_column,
    periode_label,
    set_targets,
    targets_of,
    tree,
)
from .models import Arah, AturanRealisasi, Indikator, JenisPeriode, JenisTarget, Kegiatan, Program, Sasaran

MAX_ROWS = 2000

# --- the spreadsheet ----------------------------------------------------------------------------------------

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
        (
            f"{jenis}_{nomor}",
            periode_column(jenis, nomor),
            (
                f"target {periode_column(jenis, nomor).lower()}",
                periode_label(jenis, nomor).lower(),
                f"target {periode_label(jenis, nomor).lower()}",
                *(
                    (f"tw{nomor}", f"tw {nomor}", f"triwulan {nomor}")
                    if jenis == JenisPeriode.TRIWULAN
                    else ()
                ),
                *((f"semester {nomor}",) if jenis == JenisPeriode.SEMESTER else ()),
                *((f"b{nomor}", f"bulan {nomor}") if jenis == JenisPeriode.BULAN else ()),
            ),
        )
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
REQUIRED_HEADERS = {canonical: header for canonical, header, _ in _COLUMNS}

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
TRUE_WORDS = {"ya", "1", "true", "yes", "aktif", "benar"}
FALSE_WORDS = {"tidak", "0", "false", "no", "nonaktif", "tidak aktif", "salah"}


@dataclass
class _Parsed:
    number: int
    kode_sasaran: str
    sasaran: str
    kode_program: str
    program: str
    kode_kegiatan: str
    kegiatan: str
    data: IndikatorData


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


class _Errors(list):
    def add(self, number: int, message: str) -> None:
        self.append((number, f"Baris {number}: {message}"))


def _split_codes(text: str) -> list[str]:
    return [part.strip().replace(" ", "") for part in re.split(r"[,;\n]", text) if part.strip()]


def _parse_row(
    row: Row,
    *,
    satker: Satker,
    tahun: int,
    columns: frozenset[str],
    subbagian: dict[str, Subbagian],
    codes: dict[str, KodeOutput],
    existing: dict[str, Indikator],
    errors: _Errors,
) -> _Parsed | None:
    n = row.number
    before = len(errors)
    texts = {name: row.text(name) for name in REQUIRED}
    for name in REQUIRED:
        if not texts[name]:
            errors.add(n, f"kolom {REQUIRED_HEADERS[name]} wajib diisi.")
    for name in ("kode_sasaran", "kode_program", "kode_kegiatan", "kode_indikator"):
        if len(texts[name]) > 40:
            errors.add(
                n, f"{REQUIRED_HEADERS[name]} terlalu panjang ({len(texts[name])} karakter; maksimal 40)."
            )
    sub_name = texts["subbagian"]
    sub = subbagian.get(sub_name.lower()) if sub_name else None
    if sub_name and sub is None:
        errors.add(
            n, f"subbagian {sub_name!r} tidak ditemukan pada satker ini (tulis singkatannya, mis. KUL)."
        )

    arah_text = row.text("arah").lower()
    arah = ARAH_WORDS.get(arah_text, Arah.NAIK if not arah_text else None)
    if arah is None:
        errors.add(n, f"arah {row.text('arah')!r} tidak dikenal; isi naik atau turun.")
    aturan_text = row.text("aturan").lower().replace("_", " ")
    aturan = ATURAN_WORDS.get(aturan_text, AturanRealisasi.MANUAL if not aturan_text else None)
    if aturan is None:
        errors.add(
            n, f"aturan {row.text('aturan')!r} tidak dikenal; isi manual, jumlah entri atau jumlah volume."
        )
    aktif_text = row.text("aktif").lower()
    aktif = (
        True
        if not aktif_text
        else (True if aktif_text in TRUE_WORDS else False if aktif_text in FALSE_WORDS else None)
    )
    if aktif is None:
        errors.add(n, f"aktif {row.text('aktif')!r} tidak dikenal; isi ya atau tidak.")

    links = []
    for kode in _split_codes(row.text("kode_output")):
        found = codes.get(kode)
        if found is None:
            errors.add(n, f"kode output {kode} tidak ada pada tahun {tahun} satker ini.")
        elif found not in links:
            links.append(found)

    def target(name: str, label: str) -> Target | None:
        try:
            return parse_target(row.values.get(name))
        except NumberError as bad:
            errors.add(n, f"{label} bukan angka yang valid: {angka_reason(bad)}.")
            return None

    tahunan = target("target_tahunan", "target tahunan")
    bawah = target("target_bawah", "target bawah")
    atas = target("target_atas", "target atas")
    periods = {}
    for jenis, nomor in PERIODS:
        value = target(f"{jenis}_{nomor}", f"target {periode_column(jenis, nomor)}")
        if value is not None and not value.kosong:
            periods[(jenis, nomor)] = value
    if None in (tahunan, bawah, atas):
        return None
    for label, value in (("target bawah", bawah), ("target atas", atas)):
        if value.bawah is not None:
            errors.add(n, f"{label} berisi rentang; tulis satu angka.")
    jenis_target = JenisTarget.TUNGGAL
    if not bawah.kosong or not atas.kosong:
        jenis_target = JenisTarget.RENTANG
        if not tahunan.kosong:
            errors.add(n, "isi target tahunan atau target bawah/atas (rentang), bukan keduanya.")
        tahunan = Target(bawah=bawah.nilai, atas=atas.nilai)
    elif tahunan.bawah is not None:
        jenis_target = JenisTarget.RENTANG
    if len(errors) > before:
        return None
    data = IndikatorData(
        kode=texts["kode_indikator"],
        uraian=texts["indikator"],
        satuan=texts["satuan"],
        subbagian=sub,
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
    current = existing.get(data.kode)
    if current is not None:
        # What the file has no column for stays as it is; the rules are checked on the result.
        if "kode_output" not in columns:
            data.kode_output = list(current.kode_output.all())
        if "aktif" not in columns:
            data.aktif = current.aktif
        for key, value in targets_of(current).items():
            if f"{key[0]}_{key[1]}" not in columns:
                data.targets[key] = value
    for message in indikator_errors(data, satker=satker, tahun=tahun):
        errors.add(n, message[0].lower() + message[1:])
    if len(errors) > before:
        return None
    return _Parsed(
        n,
        texts["kode_sasaran"],
        texts["sasaran"],
        texts["kode_program"],
        texts["program"],
        texts["kode_kegiatan"],
        texts["kegiatan"],
        data,
    )


def _subbagian_lookup(satker: Satker) -> dict[str, Subbagian]:
    found: dict[str, Subbagian] = {}
    subs = list(Subbagian.objects.filter(satker=satker))
    for sub in subs:
        found.setdefault(sub.nama.lower(), sub)
    for sub in subs:
        found[sub.singkatan.lower()] = sub
    return found


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
    try:
        with transaction.atomic():
            lock_satker(satker)
            result = _import_write(satker, tahun, table)
            audit(
                obj=satker,
                actor=actor_of(by),
                action="kerangka_impor",
                catatan=f"Impor kerangka kinerja {tahun} dari {safe_display_name(filename)}: {result.summary}.",
                satker=satker,
            )
    except IntegrityError as error:
        raise ImporGagal(
            "Kerangka kinerja sedang diubah oleh proses lain; tidak ada yang disimpan. Coba lagi."
        ) from error
    return result


def _import_write(satker: Satker, tahun: int, table) -> KerangkaImportResult:
    errors = _Errors()
    subbagian = _subbagian_lookup(satker)
    codes = codes_by_name(satker, tahun)
    existing = {
        i.kode: i
        for i in indikator_of_year(satker, tahun)
        .select_related("subbagian")
        .prefetch_related("kode_output", "target_set")
    }
    parsed: list[_Parsed] = []
    seen_indikator: dict[str, int] = {}
    seen_texts: dict[tuple, tuple[int, str]] = {}
    for row in table.rows:
        item = _parse_row(
            row,
            satker=satker,
            tahun=tahun,
            columns=table.columns,
            subbagian=subbagian,
            codes=codes,
            existing=existing,
            errors=errors,
        )
        if item is None:
            continue
        if item.data.kode in seen_indikator:
            errors.add(
                item.number,
                f"kode indikator {item.data.kode} sudah ada pada baris {seen_indikator[item.data.kode]}.",
            )
            continue
        seen_indikator[item.data.kode] = item.number
        bad = False
        for what, key, text in (
            ("sasaran", ("s", item.kode_sasaran), item.sasaran),
            ("program", ("p", item.kode_sasaran, item.kode_program), item.program),
            ("kegiatan", ("k", item.kode_sasaran, item.kode_program, item.kode_kegiatan), item.kegiatan),
        ):
            first = seen_texts.setdefault(key, (item.number, text))
            if first[1] != text:
                errors.add(
                    item.number,
                    f"uraian {what} {key[-1]} berbeda dengan baris {first[0]}; satu kode satu uraian.",
                )
                bad = True
        if not bad:
            parsed.append(item)
    if errors:
        errors.sort(key=lambda e: e[0])
        raise ImporGagal(
            f"Impor dibatalkan: {len(errors)} kesalahan pada berkas. Tidak ada data yang disimpan.",
            list(errors),
        )

    sasaran_by = {s.kode: s for s in Sasaran.objects.filter(satker=satker, tahun=tahun)}
    program_by = {(p.sasaran_id, p.kode): p for p in Program.objects.filter(sasaran__in=sasaran_by.values())}
    kegiatan_by = {
        (k.program_id, k.kode): k for k in Kegiatan.objects.filter(program__in=program_by.values())
    }
    created = updated = unchanged = groups = 0
    # New rows go after what is there; existing ones keep their place (a re-import of the export is a no-op).
    last: dict[tuple, int] = {}
    for obj, parent in (
        *((s, ("s",)) for s in sasaran_by.values()),
        *((p, ("p", p.sasaran_id)) for p in program_by.values()),
        *((k, ("k", k.program_id)) for k in kegiatan_by.values()),
        *((i, ("i", i.kegiatan_id)) for i in existing.values()),
    ):
        last[parent] = max(last.get(parent, 0), obj.urutan)

    def next_urutan(parent: tuple) -> int:
        last[parent] = last.get(parent, 0) + 1
        return last[parent]

    for item in parsed:
        sasaran = sasaran_by.get(item.kode_sasaran)
        if sasaran is None:
            sasaran = Sasaran.objects.create(
                satker=satker,
                tahun=tahun,
                kode=item.kode_sasaran,
                uraian=item.sasaran,
                urutan=next_urutan(("s",)),
            )
            sasaran_by[sasaran.kode] = sasaran
            groups += 1
        else:
            _update_group(sasaran, item.sasaran)
        program = program_by.get((sasaran.pk, item.kode_program))
        if program is None:
            program = Program.objects.create(
                sasaran=sasaran,
                kode=item.kode_program,
                uraian=item.program,
                urutan=next_urutan(("p", sasaran.pk)),
            )
            program_by[(sasaran.pk, program.kode)] = program
            groups += 1
        else:
            _update_group(program, item.program)
        kegiatan = kegiatan_by.get((program.pk, item.kode_kegiatan))
        if kegiatan is None:
            kegiatan = Kegiatan.objects.create(
                program=program,
                kode=item.kode_kegiatan,
                uraian=item.kegiatan,
                urutan=next_urutan(("k", program.pk)),
            )
            kegiatan_by[(program.pk, kegiatan.kode)] = kegiatan
            groups += 1
        else:
            _update_group(kegiatan, item.kegiatan)

        data = item.data
        indikator = existing.get(data.kode)
        if indikator is None:
            indikator = Indikator(kegiatan=kegiatan, urutan=next_urutan(("i", kegiatan.pk)))
            apply_data(indikator, data)
            indikator.save()
            indikator.kode_output.set(data.kode_output)
            set_targets(indikator, data.targets)
            created += 1
            continue
        if _fingerprint(indikator.kegiatan_id, data_of(indikator)) == _fingerprint(kegiatan.pk, data):
            unchanged += 1
            continue
        if indikator.kegiatan_id != kegiatan.pk:
            indikator.kegiatan = kegiatan
            indikator.urutan = next_urutan(("i", kegiatan.pk))
        apply_data(indikator, data)
        indikator.save()
        indikator.kode_output.set(data.kode_output)
        set_targets(indikator, data.targets)
        updated += 1
    return KerangkaImportResult(created=created, updated=updated, unchanged=unchanged, kelompok_baru=groups)


def _update_group(obj, uraian: str) -> None:
    if obj.uraian != uraian:
        obj.uraian = uraian
        obj.save(update_fields=["uraian"])


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


def _cell_target(target: Target):
    if target.bawah is not None or target.atas is not None:
        return target.teks()
    return target.nilai


def kerangka_xlsx(satker: Satker, tahun: int) -> bytes:
    """The import template: the header row, then the year's indicators as they are (an empty year gives the
    bare template). Importing this file back changes nothing."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Kerangka")
    set_widths(
        sheet, [12, 40, 12, 40, 12, 40, 14, 50, 12, 8, 14, 12, 12, *([9] * len(PERIODS)), 12, 30, 14, 14, 8]
    )
    sheet.append(bold_row(sheet, HEADER))
    aturan_text = {
        AturanRealisasi.MANUAL: "manual",
        AturanRealisasi.JUMLAH_ENTRI: "jumlah entri",
        AturanRealisasi.JUMLAH_VOLUME: "jumlah volume",
    }
    for sasaran in tree(satker, tahun):
        for program in sasaran.program_set.all():
            for kegiatan in program.kegiatan_set.all():
                for ind in kegiatan.indikator_set.all():
                    targets = targets_of(ind)
                    tahunan = Target(ind.target_tahunan, ind.target_bawah, ind.target_atas)
                    rentang = ind.jenis_target == JenisTarget.RENTANG
                    sheet.append(
                        safe_row(
                            sheet,
                            [
                                sasaran.kode,
                                sasaran.uraian,
                                program.kode,
                                program.uraian,
                                kegiatan.kode,
                                kegiatan.uraian,
                                ind.kode,
                                ind.uraian,
                                ind.satuan,
                                ind.arah,
                                None if rentang else tahunan.nilai,
                                tahunan.bawah if rentang else None,
                                tahunan.atas if rentang else None,
                                *(_cell_target(targets.get(key, Target())) for key in PERIODS),
                                ind.subbagian.singkatan,
                                ", ".join(k.kode for k in ind.kode_output.all()),
                                aturan_text[ind.aturan_realisasi],
                                ind.satuan_volume,
                                "ya" if ind.aktif else "tidak",
                            ],
                        )
                    )
    guide = workbook.create_sheet("Petunjuk")
    set_widths(guide, [18, 100])
    guide.append(bold_row(guide, ["Kolom", "Isi"]))
    for row in PETUNJUK:
        guide.append(safe_row(guide, row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


PETUNJUK = [
    (
        "(umum)",
        "Satu baris per indikator; hanya lembar pertama yang dibaca. Baris pertama berisi nama kolom.",
    ),
    (
        "(umum)",
        "Indikator dicocokkan dengan kode indikator pada tahun itu: yang ada diperbarui, yang baru "
        "ditambahkan, tidak ada yang dihapus. Satu baris salah membatalkan seluruh impor.",
    ),
    ("kode sasaran / sasaran", "Wajib. Baris dengan kode sasaran yang sama harus memiliki uraian yang sama."),
    ("kode program / program", "Wajib; program di bawah sasaran baris itu."),
    ("kode kegiatan / kegiatan", "Wajib; kegiatan di bawah program baris itu."),
    ("kode indikator / indikator", "Wajib; kode indikator unik dalam satu tahun (maks. 40 karakter)."),
    ("satuan", "Wajib, mis. persen, dokumen, kegiatan."),
    ("arah", "naik (semakin tinggi semakin baik) atau turun (semakin rendah semakin baik); kosong = naik."),
    ("target tahunan", "Satu angka (koma atau titik desimal), atau rentang 80-90. Tidak boleh negatif."),
    ("target bawah / target atas", "Untuk target rentang: isi keduanya dan kosongkan target tahunan."),
    ("T1–T4, S1–S2", "Target per triwulan dan per semester (tidak wajib); rentang ditulis 80-90."),
    ("Januari–Desember", "Target per bulan (tidak wajib)."),
    ("subbagian", "Wajib: singkatan subbagian penanggung jawab, mis. KUL."),
    ("kode output", "Kode output tahun itu, dipisah koma, untuk realisasi dari entri kinerja terverifikasi."),
    ("aturan", "manual (diisi subbagian), jumlah entri, atau jumlah volume; kosong = manual."),
    ("satuan volume", "Untuk jumlah volume: satuan entri yang dijumlah, mis. dokumen."),
    ("aktif", "ya/tidak; kosong = ya. Bila kolom tidak ada, status indikator yang ada tidak diubah."),
]


def template_filename(satker: Satker, tahun: int) -> str:
    return f"kerangka-kinerja-{satker.kode}-{tahun}.xlsx"
