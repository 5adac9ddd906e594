"""What the documents of the measurement SOP share: the rows as they show them (live or archived), the
parameters every generator reads, the signatories' titles, and `PengukuranDoc`, their common report.

A version the Sekretaris has decided on is read from its VersiPengukuran.data (services.data_versi: "baris",
and "skala" when it holds the scale then in force), never from the live rows: the archived file shows exactly
that version. The live version is read from the rows and measured in memory (hitung.hitung_baris), so its
documents match the formulas even before step 5 has stored them. Nothing here writes to the database.
"""

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from kinerja.document_store import DokumenTidakTersedia
from kinerja.models import Pegawai, Satker, Subbagian
from kinerja.organisasi import posts_acted_by
from silabu.lib.formatting import format_fixed, format_number
from silabu.lib.periods import period_label
from silabu.lib.report import Report, safe_filename
from silabu.lib.xlsx import Sheet

from .. import hitung, rumus
from ..models import BarisPengukuran, Pengukuran

NUMBER = "#,##0.00"
RENDATIN_UNIT = "Subbagian Perencanaan, Data dan Informasi"


def periode_of(pengukuran: Pengukuran) -> str:
    """The measured period as people say it: "Triwulan II 2026"."""
    return period_label(pengukuran.jenis_periode, pengukuran.nomor, pengukuran.tahun)


def local(satker: Satker, moment: datetime.datetime | None) -> datetime.datetime | None:
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
            return f"{format_number(self.target_bawah) or '?'} – {format_number(self.target_atas) or '?'}"
        return format_number(self.target) if self.target is not None else "—"

    @property
    def realisasi_label(self) -> str:
        return format_number(self.realisasi) if self.realisasi is not None else "—"

    @property
    def realisasi_isian(self) -> Decimal | None:
        """What the form prefills: the realisation already filled, else the one derived from verified entries."""
        return self.realisasi if self.realisasi is not None else self.realisasi_usulan

    @property
    def capaian_akhir(self) -> Decimal | None:
        return self.capaian_manual if self.capaian_manual is not None else self.capaian

    @property
    def capaian_label(self) -> str:
        return format_fixed(self.capaian_akhir)

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


def rows_from_data(data) -> list[Baris]:
    items = data if isinstance(data, list) else (data or {}).get("baris", (data or {}).get("rows", []))
    return [Baris.from_data(item, no) for no, item in enumerate(items, 1)]


def skala_from_data(data) -> list[rumus.Kategori] | None:
    if not isinstance(data, dict) or not data.get("skala"):
        return None
    bands = []
    for item in data["skala"]:
        minimum = _decimal(item.get("minimum"))
        if minimum is None:
            return None
        bands.append(rumus.Kategori(str(item.get("nama", "")), minimum))
    return bands


# --- the parameters every generator reads ---------------------------------------------------------------


def int_param(params: dict, name: str) -> int:
    try:
        return int(params[name])
    except (KeyError, TypeError, ValueError):
        raise DokumenTidakTersedia(f"Parameter dokumen {name} tidak valid.") from None


def pengukuran_of(satker: Satker, params: dict) -> Pengukuran:
    pengukuran = (
        Pengukuran.objects.filter(satker=satker, pk=int_param(params, "pengukuran_id"))
        .select_related("satker__sekretaris", "disposisi_oleh")
        .first()
    )
    if pengukuran is None:
        raise DokumenTidakTersedia("Pengukuran kinerja tidak ditemukan.")
    return pengukuran


def versi_of(params: dict, pengukuran: Pengukuran) -> int:
    versi = params.get("versi")
    if versi is None:
        return pengukuran.versi
    versi = int_param(params, "versi")
    if not 1 <= versi <= pengukuran.versi:
        raise DokumenTidakTersedia(f"Versi {versi} pengukuran ini tidak ada.")
    return versi


def live_rows(pengukuran: Pengukuran, skala) -> list[Baris]:
    rows = list(pengukuran.baris_set.order_by("urutan", "pk"))
    for row in rows:
        hitung.hitung_baris(row, skala)  # in memory only: the documents never write
    return [Baris.from_model(row, no) for no, row in enumerate(rows, 1)]


# --- signatories --------------------------------------------------------------------------------------------


def rendatin_of(satker: Satker) -> Subbagian | None:
    return Subbagian.objects.filter(satker=satker, is_rendatin=True).select_related("kasubag").first()


def sekretaris_title(satker: Satker, pegawai: Pegawai | None, day: datetime.date) -> str:
    """ "Sekretaris", or "Plt. Sekretaris" when the person signing acted for the Sekretaris that day."""
    if pegawai is None or satker.sekretaris_id == pegawai.pk:
        return "Sekretaris"
    acting = posts_acted_by(pegawai, day).get(None)
    return f"{acting.jenis}. Sekretaris" if acting else "Sekretaris"


def rendatin_unit(rendatin: Subbagian | None) -> str:
    return rendatin.nama if rendatin else RENDATIN_UNIT


@dataclass
class PengukuranDoc(Report):
    """A document about one measurement: its period, and its sheets laid out as tables to print."""

    satker: Satker
    pengukuran: Pengukuran

    @property
    def periode_label(self) -> str:
        return periode_of(self.pengukuran)

    @property
    def periode_slug(self) -> str:
        """The period in a file name: "triwulan-ii-2026"."""
        return safe_filename(self.periode_label, lower=True)

    def table_sheet(self, title: str, heading: list[list], rows, **settings) -> Sheet:
        """A sheet whose table starts below `heading`: printed on A4 landscape, frozen below the table's
        header row (the first row after the heading)."""
        return Sheet(title, rows, freeze=f"B{len(heading) + 2}", landscape_fit=True, **settings)
