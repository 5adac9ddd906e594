"""The documents of the measurement SOP (Bontang, DESIGN.md §3) as generated documents (kinerja.dokumen).

- "pengukuran_form" {pengukuran_id, subbagian_id, fmt: xlsx|pdf}: the Form Data Kinerja of one subbagian
  (steps 3–4). The XLSX is filled offline and imported back (rekap/pengukuran/formulir.py): only Realisasi and
  Keterangan are unlocked; a very hidden sheet identifies the measurement, subbagian, period and version, and a
  hidden column holds each row's id.
- "pengukuran_kertas_kerja" {pengukuran_id, versi, fmt: xlsx|pdf}: the kertas kerja pengukuran kinerja (step 5).
  In the XLSX, Capaian and Kategori are live Excel formulas that give the numbers of rekap/pengukuran/rumus.py
  (target columns hidden beside the table, the category looked up on a "Skala" sheet).
- "pengukuran_laporan" {pengukuran_id, versi, fmt: "pdf"}: the recap (step 6) and the report to the Sekretaris
  (steps 7–9) with the decision block.
- "pengukuran_disposisi" {pengukuran_id, fmt: "pdf"}: the Sekretaris' disposition sheet (step 1).

A version the Sekretaris has decided on is read from its VersiPengukuran.data (services.data_versi: "baris",
and "skala" when it holds the scale then in force), never from the live rows: the archived file shows exactly
that version. The live version is read from the rows and measured in memory (hitung.hitung_baris), so its
documents match the formulas even before step 5 has stored them. Nothing here writes to the database; every
reader runs a fixed number of queries.
"""

import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja import dokumen as docs
from kinerja.errors import DomainError
from kinerja.models import Pegawai, Satker, Subbagian
from kinerja.organisasi import posts_acted_by
from silabu.lib import pdf
from silabu.lib import xlsx as sheet
from silabu.lib.dates import BULAN, format_tanggal
from silabu.templatetags.silabu import angka
from verifikasi.softfile import PDF, XLSX, Signatory, satker_time

from . import hitung, rumus
from .models import (
    BarisPengukuran,
    FormDataKinerja,
    JenisPeriode,
    LangkahPengukuran,
    Pengukuran,
    VersiPengukuran,
)

JENIS_FORM = "pengukuran_form"
JENIS_KERTAS_KERJA = "pengukuran_kertas_kerja"
JENIS_LAPORAN = "pengukuran_laporan"
JENIS_DISPOSISI = "pengukuran_disposisi"
FORMATS = {"pdf": PDF, "xlsx": XLSX}

TITLE_FORM = "FORM DATA KINERJA"
TITLE_KERTAS_KERJA = "KERTAS KERJA PENGUKURAN KINERJA"
TITLE_LAPORAN = "LAPORAN HASIL PENGUKURAN KINERJA"
TITLE_DISPOSISI = "LEMBAR DISPOSISI"
DRAFT_MARK = "DRAF — BELUM DISETUJUI SEKRETARIS"
BELUM_TERUKUR = "Belum terukur"

# The identification of a Form Data Kinerja workbook (formulir.py reads it back).
META_SHEET = "SILABU"
META_JENIS = "form_data_kinerja"
META_FORMAT = 1
FORM_SHEET = "Form Data Kinerja"
FORM_ID_HEADER = "ID baris (jangan diubah)"
FORM_HEADER = [
    "No",
    "Sasaran",
    "Program",
    "Kegiatan",
    "Indikator",
    "Satuan",
    "Target",
    "Realisasi",
    "Keterangan",
    FORM_ID_HEADER,
]
FORM_WIDTHS = [6, 30, 30, 30, 42, 12, 14, 14, 40, 12]
FORM_COL_REALISASI = 8  # H
FORM_COL_KETERANGAN = 9  # I
FORM_COL_ID = 10  # J

KK_SHEET = "Kertas Kerja"
SKALA_SHEET = "Skala"
KK_HEADER = [
    "No",
    "Sasaran",
    "Indikator",
    "Satuan",
    "Target",
    "Realisasi",
    "Capaian (%)",
    "Kategori",
    "Keterangan",
    "Arah",
    "Target (angka)",
    "Batas bawah",
    "Batas atas",
]
KK_WIDTHS = [6, 36, 44, 12, 14, 14, 14, 16, 44, 10, 12, 12, 12]
KK_HIDDEN = ("J", "K", "L", "M")

UNLOCKED = Protection(locked=False)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FILL_EDIT = PatternFill("solid", fgColor="FFF2CC")
NUMBER = "#,##0.00"
ROMAN = ["I", "II", "III", "IV"]


class DokumenTidakTersedia(DomainError):
    """The measurement, form or version the document is about does not exist (or not in this satker)."""


# --- labels -------------------------------------------------------------------------------------------------


def periode_label(jenis_periode: str, nomor: int, tahun: int) -> str:
    """ "Oktober 2026", "Triwulan III 2026", "Semester I 2026", "Tahun 2026"."""
    if jenis_periode == JenisPeriode.BULAN:
        return f"{BULAN[nomor - 1]} {tahun}"
    if jenis_periode == JenisPeriode.TRIWULAN:
        return f"Triwulan {ROMAN[nomor - 1]} {tahun}"
    if jenis_periode == JenisPeriode.SEMESTER:
        return f"Semester {ROMAN[nomor - 1]} {tahun}"
    return f"Tahun {tahun}"


def persen(value: Decimal | None) -> str:
    """A capaian as printed: 85,50 (two decimals, decimal comma); "—" when there is none."""
    if value is None:
        return "—"
    return f"{Decimal(value):.2f}".replace(".", ",")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def _place_date(satker: Satker, day: datetime.date | datetime.datetime | None) -> str:
    return f"{satker.kota}, {format_tanggal(day)}" if day else ""


def _local(satker: Satker, moment: datetime.datetime | None) -> datetime.datetime | None:
    return moment.astimezone(satker.tz) if moment else None


# --- a row, live or archived --------------------------------------------------------------------------------

DATA_ALIASES = {"pk": "id", "kode": "indikator_kode", "indikator": "indikator_uraian"}
DECIMAL_FIELDS = frozenset(
    {"target", "target_bawah", "target_atas", "realisasi_usulan", "realisasi", "capaian", "capaian_manual"}
)


@dataclass
class Baris:
    """One indicator of a measurement as the documents show it (from a BarisPengukuran or an archived version).

    It has the attributes hitung.rekap reads (sasaran, program, kegiatan, kategori, capaian_akhir)."""

    id: int
    no: int = 0
    form_id: int | None = None
    indikator_id: int | None = None
    sasaran: str = ""
    program: str = ""
    kegiatan: str = ""
    indikator_kode: str = ""
    indikator_uraian: str = ""
    satuan: str = ""
    arah: str = rumus.NAIK
    target: Decimal | None = None
    target_bawah: Decimal | None = None
    target_atas: Decimal | None = None
    aturan_realisasi: str = ""
    satuan_volume: str = ""
    realisasi_usulan: Decimal | None = None
    realisasi: Decimal | None = None
    keterangan: str = ""
    bukti_nama: str = ""
    capaian: Decimal | None = None
    capaian_manual: Decimal | None = None
    alasan_manual: str = ""
    kategori: str = ""
    pesan: str = ""
    urutan: int = 0

    @classmethod
    def from_model(cls, row: BarisPengukuran, no: int) -> "Baris":
        values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in ("id", "no")}
        values["bukti_nama"] = row.bukti_nama or (row.bukti.name if row.bukti else "")
        return cls(id=row.pk, no=no, **values)

    @classmethod
    def from_data(cls, data: dict, no: int) -> "Baris":
        """A row of VersiPengukuran.data (services.data_versi): BarisPengukuran field names, or the short
        ones "kode" and "indikator"; decimals as strings."""
        names = {f.name for f in fields(cls)} - {"no"}
        values = {}
        for name, value in data.items():
            key = DATA_ALIASES.get(name, name)
            if key not in names or (key != name and key in data):
                continue
            if key in DECIMAL_FIELDS:
                value = _decimal(value)
            elif value is None and key not in ("id", "form_id", "indikator_id"):
                value = ""
            values[key] = value
        values.setdefault("id", 0)
        return cls(no=no, **values)

    @property
    def is_rentang(self) -> bool:
        return self.target_bawah is not None or self.target_atas is not None

    @property
    def target_label(self) -> str:
        if self.is_rentang:
            return f"{angka(self.target_bawah) or '?'} – {angka(self.target_atas) or '?'}"
        return angka(self.target) if self.target is not None else "—"

    @property
    def realisasi_label(self) -> str:
        return angka(self.realisasi) if self.realisasi is not None else "—"

    @property
    def realisasi_isian(self) -> Decimal | None:
        """What the form prefills: the realisation already filled, else the one derived from verified entries."""
        return self.realisasi if self.realisasi is not None else self.realisasi_usulan

    @property
    def capaian_akhir(self) -> Decimal | None:
        return self.capaian_manual if self.capaian_manual is not None else self.capaian

    @property
    def capaian_label(self) -> str:
        return persen(self.capaian_akhir)

    @property
    def arah_label(self) -> str:
        return "Semakin rendah semakin baik" if self.arah == rumus.TURUN else "Semakin tinggi semakin baik"

    @property
    def catatan_manual(self) -> str:
        if self.capaian_manual is None:
            return ""
        return f"Capaian manual: {self.alasan_manual}" if self.alasan_manual else "Capaian manual."

    @property
    def keterangan_kertas(self) -> str:
        """The worksheet's Keterangan: the subbagian's note and the reason of a manual capaian."""
        return "; ".join(part for part in (self.keterangan, self.catatan_manual) if part)

    @property
    def pesan_tampil(self) -> str:
        """Why there is no capaian (shown only when there is none)."""
        return self.pesan if self.capaian_akhir is None else ""


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _rows_from_data(data) -> list[Baris]:
    items = data if isinstance(data, list) else (data or {}).get("baris", (data or {}).get("rows", []))
    return [Baris.from_data(item, no) for no, item in enumerate(items, 1)]


def _skala_from_data(data) -> list[rumus.Kategori] | None:
    if not isinstance(data, dict) or not data.get("skala"):
        return None
    bands = []
    for item in data["skala"]:
        minimum = _decimal(item.get("minimum"))
        if minimum is None:
            return None
        bands.append(rumus.Kategori(str(item.get("nama", "")), minimum))
    return bands


# --- reading ------------------------------------------------------------------------------------------------


def _int_param(params: dict, name: str) -> int:
    try:
        return int(params[name])
    except (KeyError, TypeError, ValueError):
        raise DokumenTidakTersedia(f"Parameter dokumen {name} tidak valid.") from None


def _fmt(params: dict, allowed=("pdf", "xlsx")) -> str:
    fmt = params.get("fmt", "pdf")
    if fmt not in allowed:
        raise ValueError(f"Unknown format: {fmt}")
    return fmt


def _pengukuran(satker: Satker, params: dict) -> Pengukuran:
    pengukuran = (
        Pengukuran.objects.filter(satker=satker, pk=_int_param(params, "pengukuran_id"))
        .select_related("satker__sekretaris", "disposisi_oleh")
        .first()
    )
    if pengukuran is None:
        raise DokumenTidakTersedia("Pengukuran kinerja tidak ditemukan.")
    return pengukuran


def _versi(params: dict, pengukuran: Pengukuran) -> int:
    versi = params.get("versi")
    if versi is None:
        return pengukuran.versi
    versi = _int_param(params, "versi")
    if not 1 <= versi <= pengukuran.versi:
        raise DokumenTidakTersedia(f"Versi {versi} pengukuran ini tidak ada.")
    return versi


def _live_rows(pengukuran: Pengukuran, skala) -> list[Baris]:
    rows = list(pengukuran.baris_set.order_by("urutan", "pk"))
    for row in rows:
        hitung.hitung_baris(row, skala)  # in memory only: the documents never write
    return [Baris.from_model(row, no) for no, row in enumerate(rows, 1)]


@dataclass
class Lembar:
    """What the kertas kerja and the report show for one version of a measurement."""

    satker: Satker
    pengukuran: Pengukuran
    versi: int
    rows: list[Baris]
    skala: list[rumus.Kategori]
    keputusan: VersiPengukuran | None  # the Sekretaris' decision on this version, if made
    riwayat: list[VersiPengukuran]  # the decisions on earlier versions
    generated_at: datetime.datetime
    signatures: list[Signatory] = field(default_factory=list)
    rekap_rows: list[dict] = field(default_factory=list)
    kategori_names: list[str] = field(default_factory=list)

    @property
    def periode_label(self) -> str:
        p = self.pengukuran
        return periode_label(p.jenis_periode, p.nomor, p.tahun)

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)

    @property
    def is_final(self) -> bool:
        return self.keputusan is not None

    @property
    def keputusan_label(self) -> str:
        k = self.keputusan
        if k is None:
            return ""
        when = satker_time(self.satker, k.pada)
        who = f" oleh {k.oleh.nama}" if k.oleh else ""
        return f"{k.get_keputusan_display()} Sekretaris pada {when}{who}"

    @property
    def status_label(self) -> str:
        if self.keputusan is not None:
            return self.keputusan_label
        return f"{DRAFT_MARK} (tahap: {self.pengukuran.get_tahap_display()})"

    @property
    def riwayat_rows(self) -> list[dict]:
        """The decisions on earlier versions and on this one, dated in the satker's zone."""
        decided = [*self.riwayat, *([self.keputusan] if self.keputusan else [])]
        return [
            {
                "versi": v.versi,
                "keputusan": v.get_keputusan_display(),
                "pada": satker_time(self.satker, v.pada),
                "oleh": v.oleh.nama if v.oleh else "—",
                "catatan": v.catatan or "—",
            }
            for v in decided
        ]

    @property
    def skala_rows(self) -> list[dict]:
        """The scale from the best band down, with its range as people read it."""
        bands = sorted(self.skala, key=lambda k: k.minimum, reverse=True)
        result = []
        for i, band in enumerate(bands):
            if i == len(bands) - 1 and len(bands) > 1:
                label = f"< {angka(bands[i - 1].minimum)}"
            elif i == 0:
                label = f"≥ {angka(band.minimum)}"
            else:
                label = f"≥ {angka(band.minimum)} dan < {angka(bands[i - 1].minimum)}"
            result.append({"nama": band.nama, "rentang": label, "minimum": band.minimum})
        return result


def _lembar(satker: Satker, params: dict) -> Lembar:
    """The rows of one version: the archived data of a decided version, else the live rows measured now."""
    pengukuran = _pengukuran(satker, params)
    versi = _versi(params, pengukuran)
    versions = list(pengukuran.versi_set.select_related("oleh").order_by("versi"))
    keputusan = next((v for v in versions if v.versi == versi), None)
    if keputusan is not None:
        rows = _rows_from_data(keputusan.data)
        skala = _skala_from_data(keputusan.data) or hitung.skala_for(satker)
    else:
        skala = hitung.skala_for(satker)
        rows = _live_rows(pengukuran, skala)
    return Lembar(
        satker=satker,
        pengukuran=pengukuran,
        versi=versi,
        rows=rows,
        skala=skala,
        keputusan=keputusan,
        riwayat=[v for v in versions if v.versi < versi],
        generated_at=satker.now(),
    )


def _lembar_version(satker: Satker, params: dict) -> str:
    """The fingerprint of one version's data: constant once decided, else the live rows and scale."""
    pengukuran = _pengukuran(satker, params)
    versi = _versi(params, pengukuran)
    decided = (
        VersiPengukuran.objects.filter(pengukuran=pengukuran, versi=versi)
        .values_list("pk", "keputusan", "pada")
        .first()
    )
    if decided is not None:
        return docs.fingerprint("arsip", *decided)
    rows = pengukuran.baris_set.order_by("urutan", "pk").values_list(
        "pk",
        "sasaran",
        "program",
        "kegiatan",
        "indikator_kode",
        "indikator_uraian",
        "satuan",
        "arah",
        "target",
        "target_bawah",
        "target_atas",
        "realisasi",
        "keterangan",
        "capaian_manual",
        "alasan_manual",
    )
    skala = hitung.skala_for(satker)
    return docs.fingerprint(
        "live", pengukuran.diubah.isoformat(), pengukuran.versi, pengukuran.tahap, list(rows), skala
    )


# --- signatories --------------------------------------------------------------------------------------------


def _rendatin(satker: Satker) -> Subbagian | None:
    return Subbagian.objects.filter(satker=satker, is_rendatin=True).select_related("kasubag").first()


def _sekretaris_title(satker: Satker, pegawai: Pegawai | None, day: datetime.date) -> str:
    """ "Sekretaris", or "Plt. Sekretaris" when the person signing acted for the Sekretaris that day."""
    if pegawai is None or satker.sekretaris_id == pegawai.pk:
        return "Sekretaris"
    acting = posts_acted_by(pegawai, day).get(None)
    return f"{acting.jenis}. Sekretaris" if acting else "Sekretaris"


def _laporan_signatures(lembar: Lembar) -> list[Signatory]:
    """Who measured (step 5), the Kasubag Rendatin who checked and sent it (step 8), and the Sekretaris' block:
    "Disetujui," or "Dikembalikan," dated when decided, blank for a hand decision before that."""
    satker, pengukuran = lembar.satker, lembar.pengukuran
    steps = {
        s.langkah: s
        for s in LangkahPengukuran.objects.filter(
            pengukuran=pengukuran, versi=lembar.versi, langkah__in=(5, 7, 8), selesai__isnull=False
        )
        .select_related("oleh")
        .order_by("selesai", "pk")
    }
    rendatin = _rendatin(satker)
    unit = rendatin.nama if rendatin else "Subbagian Perencanaan, Data dan Informasi"
    measured = steps.get(5) or steps.get(7)
    staf = measured.oleh if measured else None
    staf_title = (staf.jabatan if staf and staf.jabatan else "") or f"Staf {unit}"
    checked = steps.get(8)
    kasubag = checked.oleh if checked and checked.oleh else (rendatin.kasubag if rendatin else None)
    signatures = [
        Signatory.of(
            "Diukur oleh,",
            staf_title,
            staf,
            _place_date(satker, _local(satker, measured.selesai)) if measured else "",
        ),
        Signatory.of(
            "Diperiksa oleh,",
            f"Kepala {unit}",
            kasubag,
            _place_date(satker, _local(satker, checked.selesai)) if checked else "",
        ),
    ]
    keputusan = lembar.keputusan
    if keputusan is not None:
        day = _local(satker, keputusan.pada).date()
        signatures.append(
            Signatory.of(
                f"{keputusan.get_keputusan_display()},",
                _sekretaris_title(satker, keputusan.oleh, day),
                keputusan.oleh,
                _place_date(satker, day),
            )
        )
    else:
        signatures.append(
            Signatory.of(
                "Disetujui / Dikembalikan *)",
                "Sekretaris",
                satker.sekretaris,
                f"{satker.kota}, ……………………",
            )
        )
    return signatures


# --- the recap ----------------------------------------------------------------------------------------------


def _rekap_rows(lembar: Lembar) -> tuple[list[str], list[dict]]:
    """hitung.rekap as table rows: overall, then each sasaran → program → kegiatan, with counts per category."""
    result = hitung.rekap(lembar.pengukuran, lembar.rows)
    result.skala = lembar.skala
    names = [k.nama for k in sorted(lembar.skala, key=lambda k: k.minimum, reverse=True)]
    if any(not r.kategori for r in lembar.rows):
        names.append(BELUM_TERUKUR)

    def line(group, level: int, jenis: str) -> dict:
        counts = group.per_kategori
        return {
            "level": level,
            "jenis": jenis,
            "nama": group.nama,
            "jumlah": len(group.rows),
            "terukur": len(group.measured),
            "rata_rata": group.rata_rata,
            "rata_rata_label": persen(group.rata_rata),
            "counts": [counts.get(name, 0) for name in names],
        }

    rows = [line(result.total, 0, "Total")]
    for sasaran in result.sasaran:
        rows.append(line(sasaran, 1, "Sasaran"))
        for program in sasaran.children.values():
            rows.append(line(program, 2, "Program"))
            for kegiatan in program.children.values():
                rows.append(line(kegiatan, 3, "Kegiatan"))
    return names, rows


# --- XLSX helpers -------------------------------------------------------------------------------------------


def _cell(ws, value, *, font=None, number_format="", alignment=None, protection=None, fill=None) -> Cell:
    cell = sheet.safe_cell(ws, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=cell)
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    if protection is not None:
        cell.protection = protection
    if fill is not None:
        cell.fill = fill
    return cell


def _formula(ws, text: str, number_format: str = "") -> Cell:
    """A formula written on purpose (the only cells that do not go through the formula guard)."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "f"
    if number_format:
        cell.number_format = number_format
    return cell


def _kop_rows(ws, satker: Satker, lines: list[str]) -> int:
    """Letterhead, title and info lines at the top of a sheet, then the sheet set for printing and frozen
    below the table's header (write-only: all of it before the first row). Returns the header's row number."""
    kop = pdf.letterhead(satker)
    rows = [sheet.bold_row(ws, [line]) for line in kop.lines]
    if kop.address:
        rows.append(sheet.safe_row(ws, [kop.address.replace(" · ", ". ")]))
    rows.append([])
    rows.extend(
        sheet.bold_row(ws, [line]) if i == 0 else sheet.safe_row(ws, [line]) for i, line in enumerate(lines)
    )
    rows.append([])
    header = len(rows) + 1
    ws.freeze_panes = f"B{header + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for row in rows:
        ws.append(row)
    return header


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- 1. the Form Data Kinerja -------------------------------------------------------------------------------


@dataclass
class FormDoc:
    satker: Satker
    pengukuran: Pengukuran
    form: FormDataKinerja
    rows: list[Baris]
    generated_at: datetime.datetime

    @property
    def subbagian(self) -> Subbagian:
        return self.form.subbagian

    @property
    def periode_label(self) -> str:
        p = self.pengukuran
        return periode_label(p.jenis_periode, p.nomor, p.tahun)

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)

    @property
    def status_label(self) -> str:
        form = self.form
        if form.diserahkan_pada:
            who = f" oleh {form.diserahkan_oleh.nama}" if form.diserahkan_oleh else ""
            return f"Diserahkan pada {satker_time(self.satker, form.diserahkan_pada)}{who}"
        if form.diterbitkan_pada:
            who = f" oleh {form.diterbitkan_oleh.nama}" if form.diterbitkan_oleh else ""
            return (
                f"Diterbitkan pada {satker_time(self.satker, form.diterbitkan_pada)}{who}; belum diserahkan"
            )
        return "Konsep (belum diterbitkan)"

    @property
    def signatures(self) -> list[Signatory]:
        form, satker = self.form, self.satker
        kasubag = self.subbagian.kasubag
        title = f"Kepala {self.subbagian.nama}"
        if form.diserahkan_pada:
            day = _local(satker, form.diserahkan_pada)
            who = form.diserahkan_oleh or kasubag
            own_title = title if who is not None and who == kasubag else (who.jabatan if who else "") or title
            return [Signatory.of("Diserahkan oleh,", own_title, who, _place_date(satker, day))]
        return [Signatory.of("Diisi oleh,", title, kasubag, f"{satker.kota}, ……………………")]

    @property
    def meta(self) -> list[tuple[str, object]]:
        """The hidden identification formulir.parse_form checks before it reads a single value."""
        p, form = self.pengukuran, self.form
        return [
            ("jenis", META_JENIS),
            ("format", META_FORMAT),
            ("satker", self.satker.kode),
            ("pengukuran_id", p.pk),
            ("form_id", form.pk),
            ("subbagian_id", form.subbagian_id),
            ("subbagian", self.subbagian.nama),
            ("tahun", p.tahun),
            ("jenis_periode", p.jenis_periode),
            ("nomor", p.nomor),
            ("periode", self.periode_label),
            ("versi", p.versi),
            ("dibuat", self.generated_at.isoformat()),
        ]


def _form_query(satker: Satker, params: dict) -> tuple[Pengukuran, FormDataKinerja]:
    pengukuran = _pengukuran(satker, params)
    form = (
        FormDataKinerja.objects.filter(pengukuran=pengukuran, subbagian_id=_int_param(params, "subbagian_id"))
        .select_related("subbagian__kasubag", "diterbitkan_oleh", "diserahkan_oleh")
        .first()
    )
    if form is None:
        raise DokumenTidakTersedia("Form data kinerja subbagian ini tidak ada dalam pengukuran tersebut.")
    return pengukuran, form


def form_data(satker: Satker, params: dict) -> FormDoc:
    pengukuran, form = _form_query(satker, params)
    rows = [Baris.from_model(row, no) for no, row in enumerate(form.baris_set.order_by("urutan", "pk"), 1)]
    return FormDoc(satker, pengukuran, form, rows, satker.now())


def _form_version(satker: Satker, params: dict) -> str:
    pengukuran, form = _form_query(satker, params)
    rows = form.baris_set.order_by("urutan", "pk").values_list(
        "pk",
        "sasaran",
        "program",
        "kegiatan",
        "indikator_uraian",
        "satuan",
        "target",
        "target_bawah",
        "target_atas",
        "realisasi_usulan",
        "realisasi",
        "keterangan",
    )
    return docs.fingerprint(
        pengukuran.diubah.isoformat(),
        pengukuran.versi,
        form.diterbitkan_pada,
        form.diserahkan_pada,
        form.subbagian.nama,
        form.subbagian.kasubag_id,
        list(rows),
    )


def render_form_xlsx(doc: FormDoc) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(FORM_SHEET)
    sheet.set_widths(ws, FORM_WIDTHS)
    ws.column_dimensions["J"].hidden = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may still be changed; nothing else but the two columns
    header_row = _kop_rows(
        ws,
        doc.satker,
        [
            TITLE_FORM,
            f"Subbagian: {doc.subbagian.nama}",
            f"Periode: {doc.periode_label}",
            f"Status: {doc.status_label}",
            f"Dibuat: {doc.generated_label}",
            "Isi hanya kolom Realisasi (angka ≥ 0, paling banyak 2 angka desimal) dan Keterangan, "
            "lalu unggah kembali berkas ini di SILABU.",
        ],
    )
    ws.append([_cell(ws, h, font=BOLD, alignment=WRAP) for h in FORM_HEADER])
    for row in doc.rows:
        ws.append(
            [
                row.no,
                _cell(ws, row.sasaran, alignment=WRAP),
                _cell(ws, row.program, alignment=WRAP),
                _cell(ws, row.kegiatan, alignment=WRAP),
                _cell(ws, f"{row.indikator_kode} {row.indikator_uraian}".strip(), alignment=WRAP),
                _cell(ws, row.satuan),
                row.target if not row.is_rentang else _cell(ws, row.target_label),
                _cell(ws, row.realisasi_isian, number_format=NUMBER, protection=UNLOCKED, fill=FILL_EDIT),
                _cell(ws, row.keterangan or None, alignment=WRAP, protection=UNLOCKED, fill=FILL_EDIT),
                row.id,
            ]
        )
    if doc.rows:
        first, last = header_row + 1, header_row + len(doc.rows)
        validation = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Realisasi tidak valid",
            error="Realisasi harus berupa angka 0 atau lebih.",
        )
        validation.add(f"H{first}:H{last}")
        ws.data_validations.append(validation)
    sheet.signature_rows(ws, doc.signatures, columns=(5,))

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    for key, value in [*doc.meta, ("baris_header", header_row)]:
        meta.append(sheet.safe_row(meta, [key, value]))
    return _save(wb)


def render_form_pdf(doc: FormDoc) -> bytes:
    footer = f"{doc.satker.nama} · Form Data Kinerja · {doc.subbagian.singkatan} · {doc.periode_label}"
    context = {"doc": doc, "kop": pdf.letterhead(doc.satker), "footer": pdf.css_string(footer)}
    return pdf.render_pdf("pengukuran/dokumen/form.html", context)


def _form_title(satker: Satker, params: dict) -> str:
    try:
        pengukuran, form = _form_query(satker, params)
    except DokumenTidakTersedia:
        return "Form Data Kinerja"
    label = periode_label(pengukuran.jenis_periode, pengukuran.nomor, pengukuran.tahun)
    return f"Form Data Kinerja {form.subbagian.singkatan} — {label} ({params.get('fmt', 'pdf').upper()})"


def _render_form(satker: Satker, params: dict, progress) -> docs.Rendered:
    fmt = _fmt(params)
    doc = form_data(satker, params)
    progress(30)
    p = doc.pengukuran
    content = render_form_xlsx(doc) if fmt == "xlsx" else render_form_pdf(doc)
    name = f"form-data-kinerja-{_ascii(doc.periode_label)}-{_ascii(doc.subbagian.singkatan)}-v{p.versi}.{fmt}"
    return docs.Rendered(name, FORMATS[fmt], content)


# --- 2. the kertas kerja ------------------------------------------------------------------------------------


def can_use_formula(row: Baris) -> bool:
    """Whether the capaian of this row can be a live formula: a positive single target, or a range with a
    positive lower bound no larger than the upper one (zero and missing targets need the row's message)."""
    if row.capaian_manual is not None:
        return False
    if row.is_rentang:
        bawah, atas = row.target_bawah, row.target_atas
        if bawah is None or atas is None or bawah > atas or atas <= 0:
            return False
        # a lower bound of 0 still computes: a realisation cannot be below it
        return bawah >= 0
    return row.target is not None and row.target > 0


def _side(arah: str, f: str, bound: str) -> str:
    if arah == rumus.TURUN:
        return f"ROUND(MAX(0,(2*{bound}-{f})/{bound}*100),2)"
    return f"ROUND({f}/{bound}*100,2)"


def capaian_formula(row: Baris, r: int) -> str:
    """The live Excel formula of a worksheet row `r` (columns F realisasi, K target, L/M the range's bounds),
    the same arithmetic as rumus.capaian; Excel's ROUND is half away from zero, which is half-up here."""
    f = f"F{r}"
    if row.is_rentang:
        low, high = f"L{r}", f"M{r}"
        core = (
            f"IF(AND({f}>={low},{f}<={high}),100,"
            f"IF({f}>{high},{_side(row.arah, f, high)},{_side(row.arah, f, low)}))"
        )
    else:
        core = _side(row.arah, f, f"K{r}")
    return (
        f'=IF(NOT(ISNUMBER({f})),"Realisasi belum diisi.",IF({f}<0,"Realisasi tidak boleh negatif.",{core}))'
    )


def kategori_formula(r: int, skala_rows: int) -> str:
    """The category of the capaian in G`r` on the Skala sheet (minimums ascending from row 2): the band with
    the highest minimum the capaian reaches; below every minimum, the lowest band (as rumus.kategori)."""
    last = skala_rows + 1
    table = f"{SKALA_SHEET}!$A$2:$B${last}"
    return (
        f'=IF(ISNUMBER(G{r}),IF(G{r}<{SKALA_SHEET}!$A$2,{SKALA_SHEET}!$B$2,VLOOKUP(G{r},{table},2,TRUE)),"")'
    )


def _skala_sheet(wb: Workbook, lembar: Lembar) -> int:
    ws = wb.create_sheet(SKALA_SHEET)
    sheet.set_widths(ws, [14, 20, 24])
    ws.append(sheet.bold_row(ws, ["Minimum (%)", "Kategori", "Rentang capaian (%)"]))
    bands = sorted(lembar.skala_rows, key=lambda b: b["minimum"])
    for band in bands:
        minimum = band["minimum"]
        ws.append(
            sheet.safe_row(
                ws, [minimum if minimum.is_finite() else Decimal(0), band["nama"], band["rentang"]]
            )
        )
    return len(bands)


def render_kertas_kerja_xlsx(lembar: Lembar, progress=lambda _: None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(KK_SHEET)
    sheet.set_widths(ws, KK_WIDTHS)
    for column in KK_HIDDEN:
        ws.column_dimensions[column].hidden = True
    lines = [
        TITLE_KERTAS_KERJA,
        f"Periode: {lembar.periode_label}",
        f"Versi: {lembar.versi}",
        f"Status: {lembar.status_label}",
        f"Dibuat: {lembar.generated_label}",
    ]
    header_row = _kop_rows(ws, lembar.satker, lines)
    ws.append([_cell(ws, h, font=BOLD, alignment=WRAP) for h in KK_HEADER])
    skala_count = len(lembar.skala)
    total = max(1, len(lembar.rows))
    for i, row in enumerate(lembar.rows):
        r = header_row + 1 + i
        if can_use_formula(row):
            capaian = _formula(ws, capaian_formula(row, r), "0.00")
        elif row.capaian_akhir is not None:
            capaian = _cell(ws, row.capaian_akhir, number_format="0.00")
        else:
            capaian = _cell(ws, row.pesan or "Capaian belum dapat dihitung.", alignment=WRAP)
        ws.append(
            [
                row.no,
                _cell(ws, row.sasaran, alignment=WRAP),
                _cell(ws, f"{row.indikator_kode} {row.indikator_uraian}".strip(), alignment=WRAP),
                _cell(ws, row.satuan),
                row.target if not row.is_rentang else _cell(ws, row.target_label),
                _cell(ws, row.realisasi, number_format=NUMBER),
                capaian,
                _formula(ws, kategori_formula(r, skala_count)),
                _cell(ws, row.keterangan_kertas or None, alignment=WRAP),
                row.arah,
                None if row.is_rentang else row.target,
                row.target_bawah,
                row.target_atas,
            ]
        )
        if i % 50 == 0:
            progress(20 + 60 * i // total)
    sheet.signature_rows(ws, _laporan_signatures(lembar)[:2], columns=(2, 7))
    _skala_sheet(wb, lembar)
    return _save(wb)


def render_kertas_kerja_pdf(lembar: Lembar) -> bytes:
    lembar.signatures = _laporan_signatures(lembar)[:2]
    footer = f"{lembar.satker.nama} · Kertas Kerja Pengukuran Kinerja · {lembar.periode_label} · Versi {lembar.versi}"
    context = {"doc": lembar, "kop": pdf.letterhead(lembar.satker), "footer": pdf.css_string(footer)}
    return pdf.render_pdf("pengukuran/dokumen/kertas_kerja.html", context)


def _lembar_title(kind: str, satker: Satker, params: dict) -> str:
    try:
        pengukuran = _pengukuran(satker, params)
    except DokumenTidakTersedia:
        return kind
    label = periode_label(pengukuran.jenis_periode, pengukuran.nomor, pengukuran.tahun)
    versi = params.get("versi", pengukuran.versi)
    return f"{kind} {label} versi {versi} ({params.get('fmt', 'pdf').upper()})"


def _filename(prefix: str, lembar: Lembar, fmt: str) -> str:
    return f"{prefix}-{_ascii(lembar.periode_label)}-v{lembar.versi}.{fmt}"


def _render_kertas_kerja(satker: Satker, params: dict, progress) -> docs.Rendered:
    fmt = _fmt(params)
    lembar = _lembar(satker, params)
    progress(20)
    if fmt == "xlsx":
        content = render_kertas_kerja_xlsx(lembar, progress)
    else:
        content = render_kertas_kerja_pdf(lembar)
    return docs.Rendered(_filename("kertas-kerja-pengukuran", lembar, fmt), FORMATS[fmt], content)


# --- 3. the recap and report to the Sekretaris --------------------------------------------------------------


def laporan_data(satker: Satker, params: dict) -> Lembar:
    lembar = _lembar(satker, params)
    lembar.kategori_names, lembar.rekap_rows = _rekap_rows(lembar)
    lembar.signatures = _laporan_signatures(lembar)
    return lembar


def render_laporan_pdf(lembar: Lembar) -> bytes:
    footer = f"{lembar.satker.nama} · Laporan Hasil Pengukuran Kinerja · {lembar.periode_label} · Versi {lembar.versi}"
    context = {"doc": lembar, "kop": pdf.letterhead(lembar.satker), "footer": pdf.css_string(footer)}
    return pdf.render_pdf("pengukuran/dokumen/laporan.html", context)


def _render_laporan(satker: Satker, params: dict, progress) -> docs.Rendered:
    _fmt(params, allowed=("pdf",))
    lembar = laporan_data(satker, params)
    progress(30)
    content = render_laporan_pdf(lembar)
    return docs.Rendered(_filename("laporan-pengukuran-kinerja", lembar, "pdf"), PDF, content)


def _laporan_version(satker: Satker, params: dict) -> str:
    # the signatories follow the steps, and every step saves the Pengukuran (its `diubah`)
    return _lembar_version(satker, params)


# --- 4. the disposition sheet -------------------------------------------------------------------------------


@dataclass
class Disposisi:
    satker: Satker
    pengukuran: Pengukuran
    kepada: Signatory
    sekretaris: Signatory
    generated_at: datetime.datetime

    @property
    def title(self) -> str:
        return TITLE_DISPOSISI

    @property
    def periode_label(self) -> str:
        p = self.pengukuran
        return periode_label(p.jenis_periode, p.nomor, p.tahun)

    @property
    def tanggal_label(self) -> str:
        return satker_time(self.satker, self.pengukuran.disposisi_pada)

    @property
    def generated_label(self) -> str:
        return satker_time(self.satker, self.generated_at)

    @property
    def perihal(self) -> str:
        return f"Pengukuran kinerja periode {self.periode_label}"


def disposisi_data(satker: Satker, params: dict) -> Disposisi:
    pengukuran = _pengukuran(satker, params)
    rendatin = _rendatin(satker)
    unit = rendatin.nama if rendatin else "Subbagian Perencanaan, Data dan Informasi"
    kasubag = rendatin.kasubag if rendatin else None
    day = _local(satker, pengukuran.disposisi_pada)
    oleh = pengukuran.disposisi_oleh or satker.sekretaris
    return Disposisi(
        satker=satker,
        pengukuran=pengukuran,
        kepada=Signatory.of("Kepada,", f"Kepala {unit}", kasubag),
        sekretaris=Signatory.of(
            "Yang memberi disposisi,",
            _sekretaris_title(satker, oleh, day.date()),
            oleh,
            _place_date(satker, day),
        ),
        generated_at=satker.now(),
    )


def _render_disposisi(satker: Satker, params: dict, progress) -> docs.Rendered:
    _fmt(params, allowed=("pdf",))
    doc = disposisi_data(satker, params)
    progress(30)
    footer = f"{satker.nama} · Lembar Disposisi · Pengukuran Kinerja {doc.periode_label}"
    context = {"doc": doc, "kop": pdf.letterhead(satker), "footer": pdf.css_string(footer)}
    content = pdf.render_pdf("pengukuran/dokumen/disposisi.html", context)
    return docs.Rendered(f"disposisi-pengukuran-{_ascii(doc.periode_label)}.pdf", PDF, content)


def _disposisi_version(satker: Satker, params: dict) -> str:
    pengukuran = _pengukuran(satker, params)
    rendatin = _rendatin(satker)
    kasubag = rendatin.kasubag if rendatin else None
    oleh = pengukuran.disposisi_oleh
    return docs.fingerprint(
        pengukuran.instruksi,
        pengukuran.disposisi_pada.isoformat(),
        oleh.pk if oleh else None,
        oleh.nama if oleh else None,
        kasubag.pk if kasubag else None,
        kasubag.nama if kasubag else None,
    )


def _disposisi_title(satker: Satker, params: dict) -> str:
    try:
        p = _pengukuran(satker, params)
    except DokumenTidakTersedia:
        return "Lembar Disposisi Pengukuran Kinerja"
    return f"Lembar Disposisi Pengukuran Kinerja {periode_label(p.jenis_periode, p.nomor, p.tahun)}"


# --- registration -------------------------------------------------------------------------------------------


def register() -> None:
    docs.register(docs.Generator(JENIS_FORM, _form_title, _render_form, _form_version))
    docs.register(
        docs.Generator(
            JENIS_KERTAS_KERJA,
            lambda satker, params: _lembar_title("Kertas Kerja Pengukuran Kinerja", satker, params),
            _render_kertas_kerja,
            _lembar_version,
        )
    )
    docs.register(
        docs.Generator(
            JENIS_LAPORAN,
            lambda satker, params: _lembar_title("Laporan Hasil Pengukuran Kinerja", satker, params),
            _render_laporan,
            _laporan_version,
        )
    )
    docs.register(docs.Generator(JENIS_DISPOSISI, _disposisi_title, _render_disposisi, _disposisi_version))
