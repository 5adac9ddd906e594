"""SOP step 4's output, "rekap_bulanan" {tahun, bulan, fmt}: the compiled softfile, every verified entry row of
the month from every Kasubag, as a PDF (laid out in parts) or an XLSX (a summary sheet, a sheet per subbagian).
"""

from dataclasses import dataclass

from kinerja.models import Satker
from silabu.lib.dates import format_bulan
from silabu.lib.report import format_of
from silabu.lib.signatures import signature_rows
from silabu.lib.xlsx import Sheet, bold, sheet_titles
from verifikasi.documents.softfile import ENTRY_COLUMNS

from .month import SUMMARY_WIDTHS, EntryGroup, MonthDoc, Section, month_doc, month_of, require_rekap

TITLE = "DATA KINERJA ASN HASIL VERIFIKASI — HIMPUNAN"
ENTRY_HEADER = ["No", "Tanggal", "Nama", "NIP", *ENTRY_COLUMNS]
ENTRY_WIDTHS = [6, 12, 28, 22, 20, 40, 45, 8, 12, 8]
ROWS_PER_PART = 400  # about 50 pages: WeasyPrint's peak memory follows the rows of one part


@dataclass
class Bagian:
    """A subbagian's section, or the rest of one too long for a part (`lanjutan`), in the compiled softfile."""

    section: Section
    groups: list[EntryGroup]
    lanjutan: bool = False

    @property
    def size(self) -> int:
        rows = sum(len(g.rows) + 1 for g in self.groups)
        return rows if self.lanjutan else rows + len(self.section.pegawai) + len(self.section.outputs)


@dataclass
class Part:
    bagian: list[Bagian]
    awal: bool = False


def rekap_parts(doc: MonthDoc, rows_per_part: int | None = None) -> list[Part]:
    """The compiled softfile cut into parts of about `rows_per_part` table rows, for render_pdf_parts: the
    summary first, then the sections in order; a person's rows are never split, a section may continue."""
    rows_per_part = rows_per_part or ROWS_PER_PART
    bagian: list[Bagian] = []
    for section in doc.sections:
        current = Bagian(section, [])
        for group in section.groups:
            if current.groups and current.size + len(group.rows) > rows_per_part:
                bagian.append(current)
                current = Bagian(section, [], lanjutan=True)
            current.groups.append(group)
        bagian.append(current)
    parts = [Part([], awal=True)]
    for b in bagian:
        last = parts[-1]
        if last.bagian and sum(x.size for x in last.bagian) + b.size > rows_per_part:
            parts.append(Part([b]))
        else:
            last.bagian.append(b)
    return parts


class CompiledSoftfile(MonthDoc):
    template_name = "rekap/dokumen/rekap_bulanan.html"

    @property
    def footer(self) -> str:
        return self.month_footer("Himpunan Data Kinerja ASN Hasil Verifikasi")

    def filename(self, fmt: str) -> str:
        return self.month_filename("himpunan-data-kinerja", fmt)

    def pdf_context(self) -> dict:
        return {"title": TITLE}

    def pdf_parts(self):
        return ({"part": part} for part in rekap_parts(self))

    def sheets(self):
        """ "Ringkasan" (summary, outputs, people, the unverified, signatures) and a sheet of entry rows per
        subbagian."""
        yield Sheet("Ringkasan", self._summary_sheet(), widths=SUMMARY_WIDTHS)
        titles = sheet_titles([s.singkatan or s.nama for s in self.sections], reserved=("Ringkasan",))
        for title, section in zip(titles, self.sections, strict=True):
            yield Sheet(title, self._entry_rows(section), widths=ENTRY_WIDTHS)

    def _summary_sheet(self):
        yield from self.month_heading(TITLE, [f"Status: {self.status_label}"])
        yield from self.summary_rows()
        yield from self.people_rows()
        yield from self.unverified_rows()
        yield from signature_rows(self.signatures, columns=(2, 5, 8))

    def _entry_rows(self, section: Section):
        yield from self.month_heading(TITLE, [f"Subbagian: {section.nama}"])
        yield bold(ENTRY_HEADER)
        for r in section.rows:
            yield (r.no, r.tanggal, r.nama, r.nip, r.kode, r.kegiatan, r.hasil, r.volume, r.satuan, r.bukti)
        yield bold([None, "Jumlah", f"{len(section.rows)} kegiatan"])


def title(satker: Satker, params: dict) -> str:
    return f"Himpunan data kinerja {format_bulan(*month_of(params))} ({format_of(params).upper()})"


def build(satker: Satker, params: dict) -> CompiledSoftfile:
    return month_doc(satker, require_rekap(satker, params), entries=True, kind=CompiledSoftfile)
