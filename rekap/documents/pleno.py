"""The plenary's documents (SOP steps 5–6):

- "bahan_pleno" {tahun, bulan, fmt: "pdf"}: the booklet for the Rapat Pleno Laporan Bulanan: cover, summaries,
  charts, a section per subbagian; aggregates only.
- "hasil_pleno" {tahun, bulan, fmt}: the plenary's results (minutes, notes, corrections) and the compiled summary.
"""

from dataclasses import dataclass

from kinerja import document_store as docs
from kinerja.document_store import DokumenTidakTersedia
from kinerja.models import Satker
from silabu.lib.dates import format_bulan, format_tanggal, satker_time, zone_abbr
from silabu.lib.report import Report, format_of
from silabu.lib.signatures import Signatory, signature_rows
from silabu.lib.xlsx import Sheet, bold

from .. import aggregate
from ..models import RapatPleno, RekapBulanan
from .month import (
    CHART_KELENGKAPAN,
    CHART_OUTPUT,
    RENDATIN_TITLE,
    SUMMARY_WIDTHS,
    MonthDoc,
    month_doc,
    month_of,
    require_rekap,
)

TITLE_BAHAN = "Bahan Rapat Pleno Laporan Bulanan"
TITLE_HASIL = "HASIL RAPAT PLENO LAPORAN BULANAN"
NOTE_HEADER = [
    "No",
    "Lingkup",
    "Subbagian",
    "Kode output",
    "Uraian output",
    "Catatan",
    "Koreksi yang disepakati",
]


# --- step 5: the plenary booklet ----------------------------------------------------------------------------


class Booklet(MonthDoc):
    formats = ("pdf",)
    template_name = "rekap/dokumen/bahan_pleno.html"

    @property
    def footer(self) -> str:
        return self.month_footer(TITLE_BAHAN)

    def filename(self, fmt: str) -> str:
        return self.month_filename("bahan-rapat-pleno", fmt)

    def pdf_context(self) -> dict:
        return {
            "title": TITLE_BAHAN,
            "chart_kelengkapan": self.completeness_chart(),
            "chart_output": self.output_chart(),
            "chart_titles": (CHART_KELENGKAPAN, CHART_OUTPUT),
        }


def title_bahan(satker: Satker, params: dict) -> str:
    return f"Bahan rapat pleno {format_bulan(*month_of(params))} (PDF)"


def build_bahan(satker: Satker, params: dict) -> Booklet:
    return month_doc(satker, require_rekap(satker, params), kind=Booklet)


# --- steps 5–6: the plenary's results -----------------------------------------------------------------------


@dataclass(frozen=True)
class NoteRow:
    subbagian: str
    kode: str
    uraian: str
    catatan: str
    koreksi: str

    @property
    def lingkup(self) -> str:
        return aggregate.lingkup(self.kode, self.subbagian)


@dataclass
class PlenoDoc(Report):
    month: MonthDoc
    rapat: RapatPleno
    peserta: list[dict]  # Person dicts: as recorded at finalisation, or the current attendees before
    peserta_lain: list[str]
    notes: list[NoteRow]
    signatures: list[Signatory]

    template_name = "rekap/dokumen/hasil_pleno.html"

    @property
    def satker(self) -> Satker:
        return self.month.satker

    @property
    def generated_at(self):
        return self.month.generated_at

    @property
    def letterhead(self):
        return self.month.letterhead

    @property
    def period_label(self) -> str:
        return self.month.period_label

    @property
    def final(self) -> bool:
        return self.rapat.is_final

    @property
    def status_label(self) -> str:
        if self.final:
            return f"Final — difinalisasi pada {satker_time(self.satker, self.rapat.difinalisasi_pada)}"
        return "DRAF — hasil rapat belum difinalisasi"

    @property
    def tanggal_label(self) -> str:
        return format_tanggal(self.rapat.tanggal, with_day=True)

    @property
    def waktu_label(self) -> str:
        mulai, selesai = self.rapat.mulai, self.rapat.selesai
        if not mulai:
            return "—"
        text = f"{mulai:%H.%M}" + (f"–{selesai:%H.%M}" if selesai else " – selesai")
        return f"{text} {zone_abbr(self.satker.zona_waktu)}"

    @property
    def pimpinan(self) -> str:
        p = self.rapat.pimpinan_rapat
        return p.nama if p else "—"

    @property
    def notes_umum(self) -> list[NoteRow]:
        return [n for n in self.notes if n.lingkup == "Umum"]

    @property
    def notes_subbagian(self) -> list[NoteRow]:
        return [n for n in self.notes if n.lingkup == "Subbagian"]

    @property
    def notes_output(self) -> list[NoteRow]:
        return [n for n in self.notes if n.lingkup == "Kode output"]

    @property
    def koreksi(self) -> list[NoteRow]:
        return [n for n in self.notes if n.koreksi]

    # --- the file ------------------------------------------------------------------------------------------

    @property
    def footer(self) -> str:
        return self.month.month_footer("Hasil Rapat Pleno Laporan Bulanan")

    def filename(self, fmt: str) -> str:
        return self.month.month_filename("hasil-rapat-pleno", fmt)

    def pdf_context(self) -> dict:
        return {"title": TITLE_HASIL, "month": self.month}

    def sheets(self):
        """The plenary's minutes ("Hasil Rapat"), its notes ("Catatan") and the compiled summary ("Ringkasan")."""
        yield Sheet("Hasil Rapat", self._minutes_rows(), widths=[22, 40, 28, 40])
        yield Sheet("Catatan", self._note_rows(), widths=[6, 14, 36, 20, 36, 50, 50])
        yield Sheet("Ringkasan", self._summary_sheet(), widths=SUMMARY_WIDTHS)

    def _minutes_rows(self):
        rapat = self.rapat
        yield from self.month.month_heading(TITLE_HASIL, [f"Status: {self.status_label}"])
        yield ("Hari, tanggal", self.tanggal_label)
        yield ("Waktu", self.waktu_label)
        yield ("Tempat", rapat.tempat)
        yield ("Pimpinan rapat", self.pimpinan)
        yield ()
        yield bold(["Peserta"])
        yield bold(["No", "Nama", "NIP", "Jabatan"])
        for no, p in enumerate(self.peserta, 1):
            yield (no, p["nama"], p["nip"] or None, p["jabatan"] or None)
        for line in self.peserta_lain:
            yield (None, line, None, "Peserta lain")
        yield ()
        yield from _text_lines("Keputusan rapat", rapat.keputusan)
        yield from _text_lines("Catatan umum", rapat.catatan)
        yield from signature_rows(self.signatures, columns=(2, 5, 8))

    def _note_rows(self):
        yield from self.month.month_heading("CATATAN DAN KOREKSI RAPAT PLENO")
        yield bold(NOTE_HEADER)
        for no, n in enumerate(self.notes, 1):
            yield (no, n.lingkup, n.subbagian or None, n.kode or None, n.uraian or None, n.catatan, n.koreksi)
        if not self.notes:
            yield ("Tidak ada catatan.",)

    def _summary_sheet(self):
        month = self.month
        yield from month.month_heading(
            "RINGKASAN DATA KINERJA HASIL VERIFIKASI", [f"Status: {month.status_label}"]
        )
        yield from month.summary_rows()
        yield from month.unverified_rows()


def _text_lines(label: str, text: str):
    lines = [line for line in text.splitlines() if line.strip()] or ["—"]
    yield (label, lines[0])
    for line in lines[1:]:
        yield (None, line)


def _find_rapat(rekap: RekapBulanan) -> RapatPleno | None:
    return RapatPleno.objects.filter(rekap=rekap).select_related("pimpinan_rapat").first()


def pleno_doc(satker: Satker, rekap: RekapBulanan, rapat: RapatPleno, now=None) -> PlenoDoc:
    month = month_doc(satker, rekap, now=now)
    if rapat.is_final:
        peserta = list(rapat.peserta_snapshot)
    else:
        from ..snapshot import person

        peserta = [person(p) for p in rapat.peserta.order_by("nama")]
    uraian = {o["kode"]: o["uraian"] for o in rekap.data["output"]}
    notes = [
        NoteRow(c.subbagian_nama, c.kode_output, uraian.get(c.kode_output, ""), c.catatan, c.koreksi)
        for c in rapat.catatan_set.all()
    ]
    signers = rekap.data["penandatangan"]
    pimpinan = rapat.pimpinan_rapat
    signatures = [
        Signatory.of("Pimpinan Rapat,", (pimpinan.jabatan if pimpinan else "") or "", pimpinan),
        Signatory.recorded("Mengetahui,", signers.get("sekretaris"), "Sekretaris"),
        Signatory.recorded(
            "Dicatat oleh,", signers.get("rendatin"), RENDATIN_TITLE, month.place_date(rapat.tanggal)
        ),
    ]
    return PlenoDoc(
        month=month,
        rapat=rapat,
        peserta=peserta,
        peserta_lain=[line.strip() for line in rapat.peserta_lain.splitlines() if line.strip()],
        notes=notes,
        signatures=signatures,
    )


def title_hasil(satker: Satker, params: dict) -> str:
    return f"Hasil rapat pleno {format_bulan(*month_of(params))} ({format_of(params).upper()})"


def version_hasil(satker: Satker, params: dict) -> str:
    row = (
        RekapBulanan.objects.filter(satker=satker, tahun=params["tahun"], bulan=params["bulan"])
        .values_list("pk", "dihimpun_pada", "pleno__pk", "pleno__diubah", "pleno__difinalisasi_pada")
        .first()
    )
    return docs.fingerprint("hasil", *(row or ("belum-dihimpun",)))


def build_hasil(satker: Satker, params: dict) -> PlenoDoc:
    rekap = require_rekap(satker, params)
    rapat = _find_rapat(rekap)
    if rapat is None:
        raise DokumenTidakTersedia(f"Rapat pleno {format_bulan(rekap.tahun, rekap.bulan)} belum dicatat.")
    return pleno_doc(satker, rekap, rapat)
