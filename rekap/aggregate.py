"""SOP step 6: the FINAL months of a quarter, semester or year, summed into the basis of the Laporan Kinerja.

Only the frozen RekapBulanan snapshots of months whose plenary was finalised (Periode.tahap == FINAL) count;
live entries are never read, so what the report sums is exactly what each plenary saw. The plenary's notes,
corrections, decisions and general notes are carried along; a month of the period that is not FINAL yet is
listed as missing. Three queries, whatever the number of months, people or entries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.models import Periode, Satker, TahapPeriode
from silabu.lib.dates import format_bulan, nama_bulan
from silabu.lib.formatting import format_number, format_percent
from silabu.lib.periods import SEMESTER, TAHUN, TRIWULAN, period_label, period_months, period_name

from . import angka
from .models import CatatanPleno, RekapBulanan

# The periods of the Laporan Kinerja by their code, as silabu.lib.periods names them.
PERIODE: dict[str, tuple[str, int]] = {
    "T1": (TRIWULAN, 1),
    "T2": (TRIWULAN, 2),
    "T3": (TRIWULAN, 3),
    "T4": (TRIWULAN, 4),
    "S1": (SEMESTER, 1),
    "S2": (SEMESTER, 2),
    "TAHUN": (TAHUN, 1),
}
PERIODE_BULAN: dict[str, tuple[int, ...]] = {code: period_months(*p) for code, p in PERIODE.items()}
PERIODE_LABEL = {code: period_name(*p) for code, p in PERIODE.items()}
PERIODE_CHOICES = list(PERIODE_LABEL.items())


def periode_label(year: int, periode: str) -> str:
    """ "Triwulan IV 2025", "Semester I 2025", "Tahun 2025"."""
    return period_label(*PERIODE[periode], year)


def volume_label(volume: dict[str, Decimal]) -> str:
    """{"dokumen": 12, "kegiatan": 1.5} as "12 dokumen; 1,5 kegiatan"."""
    return "; ".join(f"{format_number(v)} {satuan}".strip() for satuan, v in sorted(volume.items())) or "—"


def lingkup(kode_output: str, subbagian: str) -> str:
    """What a plenary note is about: an output code, a subbagian, or the month as a whole."""
    if kode_output:
        return "Kode output"
    return "Subbagian" if subbagian else "Umum"


def months_label(months: list[int]) -> str:
    """[1, 2, 3, 5] as "Januari–Maret, Mei": consecutive months as a range, so a year stays one short line."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(nama_bulan(run[0]))
        elif len(run) == 2:
            parts.append(f"{nama_bulan(run[0])}, {nama_bulan(run[1])}")
        else:
            parts.append(f"{nama_bulan(run[0])}–{nama_bulan(run[-1])}")
    return ", ".join(parts) or "—"


@dataclass
class OutputTotal:
    """An output code's activities over the period (for the satker, or for one subbagian)."""

    kode: str
    uraian: str
    kegiatan: int
    pegawai: int  # distinct people over the period, not a sum of the months' counts
    volume: dict[str, Decimal]
    bulan: list[int]  # the FINAL months in which it had activities

    @property
    def volume_label(self) -> str:
        return volume_label(self.volume)

    @property
    def bulan_label(self) -> str:
        return months_label(self.bulan)


@dataclass
class Catatan:
    """One plenary note or agreed correction, with the month it was made in."""

    bulan: int
    subbagian: str
    kode_output: str
    catatan: str
    koreksi: str

    @property
    def bulan_label(self) -> str:
        return nama_bulan(self.bulan)

    @property
    def lingkup(self) -> str:
        return lingkup(self.kode_output, self.subbagian)


@dataclass
class SubbagianTotal:
    nama: str  # as the latest FINAL month of the period recorded it
    singkatan: str
    kegiatan: int
    pegawai: int  # distinct people with verified activities over the period
    kelengkapan: float | None  # the mean of the months' completeness
    bulan: list[int]
    outputs: list[OutputTotal]
    catatan: list[Catatan]

    @property
    def bulan_label(self) -> str:
        return months_label(self.bulan)

    @property
    def kelengkapan_label(self) -> str:
        return format_percent(self.kelengkapan)


@dataclass
class Bulan:
    """One month of the period: FINAL (with its plenary's record) or missing."""

    bulan: int
    label: str
    tahap: str  # the stage's label once past OPEN (compiled, plenary...), else ""
    final: bool
    rekap_id: int | None = None
    difinalisasi_pada: datetime.datetime | None = None
    tanggal_rapat: datetime.date | None = None
    tempat: str = ""
    keputusan: str = ""
    catatan_umum: str = ""
    pegawai: int = 0
    terverifikasi: int = 0
    kegiatan: int = 0
    kelengkapan: float | None = None
    alasan: str = ""  # recorded when it was compiled before everyone was verified

    @property
    def kelengkapan_label(self) -> str:
        return format_percent(self.kelengkapan)

    @property
    def terverifikasi_label(self) -> str:
        return angka.verified_of(self.terverifikasi, self.pegawai)

    @property
    def notice(self) -> str:
        if not self.final:
            return ""
        return angka.exception_notice(people=self.pegawai, verified=self.terverifikasi, reason=self.alasan)


@dataclass
class LaporanKinerja:
    tahun: int
    periode: str
    periode_label: str
    bulan: list[Bulan]  # every month of the period, in order
    outputs: list[OutputTotal]
    subbagian: list[SubbagianTotal]
    catatan: list[Catatan]
    penandatangan: dict = field(default_factory=dict)  # as the latest FINAL month's snapshot recorded them

    @property
    def bulan_final(self) -> list[Bulan]:
        return [b for b in self.bulan if b.final]

    @property
    def bulan_hilang(self) -> list[Bulan]:
        return [b for b in self.bulan if not b.final]

    @property
    def pengecualian(self) -> list[Bulan]:
        """The FINAL months compiled before everyone was verified: their notices go with the report."""
        return [b for b in self.bulan if b.notice]

    @property
    def kegiatan(self) -> int:
        return sum(o.kegiatan for o in self.outputs)

    @property
    def catatan_umum(self) -> list[Catatan]:
        return [c for c in self.catatan if c.lingkup == "Umum"]

    @property
    def catatan_subbagian(self) -> list[Catatan]:
        return [c for c in self.catatan if c.lingkup == "Subbagian"]

    @property
    def catatan_output(self) -> list[Catatan]:
        return [c for c in self.catatan if c.lingkup == "Kode output"]


class _Sum:
    """Running totals of one output code (or one subbagian) over the months."""

    def __init__(self, kode: str = "", uraian: str = ""):
        self.kode, self.uraian = kode, uraian
        self.kegiatan = 0
        self.people: set[int] = set()
        self.volume: dict[str, Decimal] = defaultdict(Decimal)
        self.months: set[int] = set()

    def add(self, month: int, output: dict) -> None:
        self.kegiatan += output["kegiatan"]
        self.people.update(output["pegawai_ids"])
        for satuan, value in output["volume"].items():
            self.volume[satuan] += Decimal(value)
        self.months.add(month)

    def total(self) -> OutputTotal:
        return OutputTotal(
            kode=self.kode,
            uraian=self.uraian,
            kegiatan=self.kegiatan,
            pegawai=len(self.people),
            volume=dict(sorted(self.volume.items())),
            bulan=sorted(self.months),
        )


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 1) if known else None


def _add_output(outputs: dict[str, _Sum], month: int, output: dict) -> None:
    total = outputs.get(output["kode"])
    if total is None:
        total = outputs[output["kode"]] = _Sum(output["kode"], output["uraian"])
    total.add(month, output)


class _SubbagianSum:
    """Running totals of one subbagian over the months, named as the first month added (the latest) named it."""

    def __init__(self, nama: str, singkatan: str):
        self.nama, self.singkatan = nama, singkatan
        self.kelengkapan: list[float | None] = []
        self.months: set[int] = set()
        self.outputs: dict[str, _Sum] = {}
        self.kegiatan = 0

    def add(self, month: int, sub: dict) -> None:
        self.kelengkapan.append(sub["total"]["kelengkapan"])
        self.months.add(month)
        self.kegiatan += sub["total"]["kegiatan"]
        for output in sub["output"]:
            _add_output(self.outputs, month, output)

    def total(self, catatan: list[Catatan]) -> SubbagianTotal:
        people: set[int] = set()
        for output in self.outputs.values():
            people |= output.people
        return SubbagianTotal(
            nama=self.nama,
            singkatan=self.singkatan,
            kegiatan=self.kegiatan,
            pegawai=len(people),
            kelengkapan=_mean(self.kelengkapan),
            bulan=sorted(self.months),
            outputs=[self.outputs[k].total() for k in sorted(self.outputs)],
            catatan=catatan,
        )


def _sum_snapshots(rekaps: dict[int, RekapBulanan]) -> tuple[dict[str, _Sum], dict[object, _SubbagianSum]]:
    """The months' snapshots summed per output code and per subbagian × output code. The latest month first, so
    the names and the order of subbagian are those of the latest record."""
    outputs: dict[str, _Sum] = {}
    sections: dict[object, _SubbagianSum] = {}
    for month in sorted(rekaps, reverse=True):
        data = rekaps[month].data
        for output in data["output"]:
            _add_output(outputs, month, output)
        for sub in data["subbagian"]:
            key = sub["id"] if sub["id"] is not None else ("nama", sub["nama"])
            if key not in sections:
                sections[key] = _SubbagianSum(sub["nama"], sub["singkatan"])
            sections[key].add(month, sub)
    return outputs, sections


def _bulan(year: int, month: int, tahap: str | None, rekap: RekapBulanan | None) -> Bulan:
    """One month of the period: FINAL with its snapshot's totals and its plenary's record, or missing."""
    tahap = tahap or TahapPeriode.OPEN
    label = "" if tahap == TahapPeriode.OPEN else TahapPeriode(tahap).label
    if rekap is None:
        return Bulan(month, format_bulan(year, month), label, final=False)
    total = rekap.data["total"]
    rapat = getattr(rekap, "pleno", None)
    meeting = (
        {
            "difinalisasi_pada": rapat.difinalisasi_pada,
            "tanggal_rapat": rapat.tanggal,
            "tempat": rapat.tempat,
            "keputusan": rapat.keputusan,
            "catatan_umum": rapat.catatan,
        }
        if rapat
        else {}
    )
    return Bulan(
        month,
        format_bulan(year, month),
        label,
        final=True,
        rekap_id=rekap.pk,
        pegawai=total["pegawai"],
        terverifikasi=total["terverifikasi"],
        kegiatan=total["kegiatan"],
        kelengkapan=total["kelengkapan"],
        alasan=rekap.alasan_belum_lengkap,
        **meeting,
    )


def _catatan(rekaps: dict[int, RekapBulanan]) -> tuple[list[Catatan], dict[int, list[Catatan]]]:
    """The plenaries' notes in order of month, and those about a subbagian by its id."""
    rows = (
        CatatanPleno.objects.filter(rapat__rekap__in=[r.pk for r in rekaps.values()])
        .order_by("rapat__rekap__bulan", "urutan", "id")
        .values_list(
            "subbagian_id", "rapat__rekap__bulan", "subbagian_nama", "kode_output", "catatan", "koreksi"
        )
    )
    catatan = []
    by_subbagian: dict[int, list[Catatan]] = defaultdict(list)
    for subbagian_id, *row in rows:
        note = Catatan(*row)
        catatan.append(note)
        if subbagian_id is not None:
            by_subbagian[subbagian_id].append(note)
    return catatan, by_subbagian


def laporan_kinerja(satker: Satker, year: int, periode: str) -> LaporanKinerja:
    """The period's FINAL months, summed per output code and per subbagian × output code, with their notes."""
    if periode not in PERIODE_BULAN:
        raise ValueError(f"Unknown periode: {periode}")
    months = PERIODE_BULAN[periode]
    stages = dict(
        Periode.objects.filter(satker=satker, tahun=year, bulan__in=months).values_list("bulan", "tahap")
    )
    final_months = [m for m in months if stages.get(m) == TahapPeriode.FINAL]
    rekaps = {
        r.bulan: r
        for r in RekapBulanan.objects.filter(satker=satker, tahun=year, bulan__in=final_months)
        .select_related("pleno")
        .order_by("bulan")
    }
    outputs, sections = _sum_snapshots(rekaps)
    catatan, by_subbagian = _catatan(rekaps)
    latest = rekaps[max(rekaps)].data if rekaps else {}
    return LaporanKinerja(
        tahun=year,
        periode=periode,
        periode_label=periode_label(year, periode),
        bulan=[_bulan(year, m, stages.get(m), rekaps.get(m)) for m in months],
        outputs=[outputs[k].total() for k in sorted(outputs)],
        subbagian=[section.total(by_subbagian.get(key, [])) for key, section in sections.items()],
        catatan=catatan,
        penandatangan=latest.get("penandatangan", {}),
    )
