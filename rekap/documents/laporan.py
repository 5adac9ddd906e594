"""SOP step 6's basis of the Laporan Kinerja, "laporan_kinerja" {tahun, periode, fmt}: the FINAL months of a
quarter, semester or year (rekap.aggregate), per output code, per subbagian and output code, with the months'
decisions and the plenary notes.
"""

import datetime
from dataclasses import dataclass

from kinerja import document_store as docs
from kinerja.models import Periode, Satker, TahapPeriode
from silabu.lib.dates import format_tanggal
from silabu.lib.report import Report, format_of
from silabu.lib.signatures import Signatory, place_date, signature_rows
from silabu.lib.xlsx import Sheet, bold

from .. import aggregate, angka
from ..models import RekapBulanan
from .month import RENDATIN_TITLE

TITLE = "DATA KINERJA BAHAN LAPORAN KINERJA"
OUTPUT_HEADER = ["No", "Kode output", "Uraian", "Kegiatan", "Pegawai", "Volume per satuan", "Bulan"]
SUB_HEADER = [
    "No",
    "Subbagian",
    "Kode output",
    "Uraian",
    "Kegiatan",
    "Pegawai",
    "Volume per satuan",
    "Bulan",
]
MONTH_HEADER = [
    "Bulan",
    "Status",
    "Tanggal rapat pleno",
    "Tempat",
    "Keputusan rapat",
    "Catatan umum",
    angka.label("pegawai"),
    angka.label("terverifikasi"),
    angka.label("kegiatan"),
    f"{angka.label('kelengkapan')} (%)",
    "Pengecualian saat dihimpun",
]
NOTE_HEADER = [
    "No",
    "Bulan",
    "Lingkup",
    "Subbagian",
    "Kode output",
    "Catatan",
    "Koreksi yang disepakati",
]


@dataclass
class LaporanDoc(Report):
    satker: Satker
    report: aggregate.LaporanKinerja
    generated_at: datetime.datetime
    signatures: list[Signatory]

    template_name = "rekap/dokumen/laporan_kinerja.html"

    @property
    def period_label(self) -> str:
        return self.report.periode_label

    @property
    def footer(self) -> str:
        return f"{self.satker.nama} · Data Laporan Kinerja · {self.period_label}"

    def filename(self, fmt: str) -> str:
        return f"data-laporan-kinerja-{self.report.tahun}-{self.report.periode}.{fmt}"

    def pdf_context(self) -> dict:
        return {"title": TITLE, "r": self.report}

    def sheets(self):
        """Per output code, per subbagian × output code, the months (with decisions) and the plenary notes."""
        yield Sheet("Per kode output", self._output_rows(), widths=[6, 22, 50, 10, 10, 30, 40])
        yield Sheet("Subbagian x Output", self._subbagian_rows(), widths=[6, 36, 22, 50, 10, 10, 30, 40])
        yield Sheet("Bulan", self._month_rows(), widths=[18, 14, 20, 24, 50, 40, 10, 12, 10, 14])
        yield Sheet("Catatan pleno", self._note_rows(), widths=[6, 14, 14, 36, 22, 50, 50])

    def _heading(self, title: str) -> list[list]:
        r = self.report
        final = ", ".join(b.label for b in r.bulan_final) or "—"
        missing = ", ".join(b.label for b in r.bulan_hilang) or "—"
        lines = [
            f"Periode: {self.period_label}",
            f"Bulan final: {final}",
            f"Bulan belum final (tidak dihitung): {missing}",
            *(f"{b.label}: {b.notice}" for b in r.pengecualian),
            f"Dibuat: {self.generated_label}",
        ]
        return self.sheet_heading(title, lines)

    def _output_rows(self):
        r = self.report
        yield from self._heading(f"{TITLE} — PER KODE OUTPUT")
        yield bold(OUTPUT_HEADER)
        for no, o in enumerate(r.outputs, 1):
            yield (no, o.kode, o.uraian, o.kegiatan, o.pegawai, o.volume_label, o.bulan_label)
        yield bold([None, "Jumlah", None, r.kegiatan])
        yield from signature_rows(self.signatures, columns=(2, 5, 8))

    def _subbagian_rows(self):
        yield from self._heading(f"{TITLE} — PER SUBBAGIAN DAN KODE OUTPUT")
        yield bold(SUB_HEADER)
        no = 0
        for s in self.report.subbagian:
            for o in s.outputs:
                no += 1
                yield (no, s.nama, o.kode, o.uraian, o.kegiatan, o.pegawai, o.volume_label, o.bulan_label)
            yield bold([None, f"Jumlah {s.nama}", None, None, s.kegiatan, s.pegawai, None, s.bulan_label])

    def _month_rows(self):
        yield from self._heading("BULAN DALAM PERIODE DAN KEPUTUSAN RAPAT PLENO")
        yield bold(MONTH_HEADER)
        for b in self.report.bulan:
            if not b.final:
                yield (b.label, f"Belum final ({b.tahap})" if b.tahap else "Belum final")
                continue
            yield (
                b.label,
                "Final",
                format_tanggal(b.tanggal_rapat) or None,
                b.tempat or None,
                b.keputusan or None,
                b.catatan_umum or None,
                b.pegawai,
                b.terverifikasi,
                b.kegiatan,
                b.kelengkapan,
                b.notice or None,
            )

    def _note_rows(self):
        yield from self._heading("CATATAN DAN KOREKSI RAPAT PLENO")
        yield bold(NOTE_HEADER)
        for no, c in enumerate(self.report.catatan, 1):
            yield (
                no,
                c.bulan_label,
                c.lingkup,
                c.subbagian or None,
                c.kode_output or None,
                c.catatan,
                c.koreksi,
            )
        if not self.report.catatan:
            yield ("Tidak ada catatan.",)


def laporan_doc(satker: Satker, year: int, periode: str, now=None) -> LaporanDoc:
    report = aggregate.laporan_kinerja(satker, year, periode)
    now = (now or satker.now()).astimezone(satker.tz)
    signers = report.penandatangan or {}
    return LaporanDoc(
        satker=satker,
        report=report,
        generated_at=now,
        signatures=[
            Signatory.recorded("Mengetahui,", signers.get("sekretaris"), "Sekretaris"),
            Signatory.recorded(
                "Disusun oleh,", signers.get("rendatin"), RENDATIN_TITLE, place_date(satker.kota, now.date())
            ),
        ],
    )


def _periode(params: dict) -> tuple[int, str]:
    year, periode = int(params["tahun"]), params.get("periode", "TAHUN")
    if periode not in aggregate.PERIODE_BULAN:
        raise ValueError(f"Unknown periode: {periode}")
    return year, periode


def title(satker: Satker, params: dict) -> str:
    year, periode = _periode(params)
    return f"Data Laporan Kinerja {aggregate.periode_label(year, periode)} ({format_of(params).upper()})"


def version(satker: Satker, params: dict) -> str:
    """The FINAL months included, each with its compilation and finalisation: nothing else can change."""
    year, periode = _periode(params)
    months = aggregate.PERIODE_BULAN[periode]
    final = list(
        Periode.objects.filter(satker=satker, tahun=year, bulan__in=months, tahap=TahapPeriode.FINAL)
        .order_by("bulan")
        .values_list("bulan", flat=True)
    )
    included = list(
        RekapBulanan.objects.filter(satker=satker, tahun=year, bulan__in=final)
        .order_by("bulan")
        .values_list("bulan", "pk", "dihimpun_pada", "pleno__difinalisasi_pada")
    )
    return docs.fingerprint("laporan", year, periode, included)


def build(satker: Satker, params: dict) -> LaporanDoc:
    return laporan_doc(satker, *_periode(params))
