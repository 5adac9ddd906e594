"""The kertas kerja pengukuran kinerja (step 5), "pengukuran_kertas_kerja" {pengukuran_id, versi, fmt: xlsx|pdf}.

In the XLSX, Capaian and Kategori are live Excel formulas that give the numbers of rekap/pengukuran/rumus.py
(target columns hidden beside the table, the category looked up on a "Skala" sheet). Each formula is stored
with the value it computes (silabu.lib.xlsx.Formula's `cached`), so a viewer that does not calculate shows it.
"""

from decimal import Decimal

from kinerja.models import Satker
from silabu.lib.signatures import signature_rows
from silabu.lib.xlsx import Formula, Sheet, Styled, bold

from .. import rumus
from .base import NUMBER, Baris
from .lembar import Lembar, laporan_signatures, lembar_of

TITLE = "KERTAS KERJA PENGUKURAN KINERJA"
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


# --- the formulas -------------------------------------------------------------------------------------------


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


def capaian_computed(row: Baris):
    """What capaian_formula computes for this row, from the app's own numbers (rumus.capaian): the capaian as
    a number, or the formula's message when the realisation is missing or negative."""
    if row.realisasi is None:
        return "Realisasi belum diisi."
    if row.realisasi < 0:
        return "Realisasi tidak boleh negatif."
    return float(row.capaian) if row.capaian is not None else None


def kategori_computed(row: Baris) -> str:
    """What kategori_formula computes: the category of a numeric capaian, "" beside a message."""
    return row.kategori if row.capaian_akhir is not None else ""


def kategori_formula(r: int, skala_rows: int) -> str:
    """The category of the capaian in G`r` on the Skala sheet (minimums ascending from row 2): the band with
    the highest minimum the capaian reaches; below every minimum, the lowest band (as rumus.kategori)."""
    last = skala_rows + 1
    table = f"{SKALA_SHEET}!$A$2:$B${last}"
    return (
        f'=IF(ISNUMBER(G{r}),IF(G{r}<{SKALA_SHEET}!$A$2,{SKALA_SHEET}!$B$2,VLOOKUP(G{r},{table},2,TRUE)),"")'
    )


# --- the document -------------------------------------------------------------------------------------------


class KertasKerja(Lembar):
    template_name = "pengukuran/dokumen/kertas_kerja.html"

    name = "Kertas Kerja Pengukuran Kinerja"
    file_prefix = "kertas-kerja-pengukuran"

    def sheets(self):
        heading = self.sheet_heading(
            TITLE,
            [
                f"Periode: {self.periode_label}",
                f"Versi: {self.versi}",
                f"Status: {self.status_label}",
                f"Dibuat: {self.generated_label}",
            ],
        )
        yield self.table_sheet(
            KK_SHEET,
            heading,
            self._table_rows(heading),
            widths=KK_WIDTHS,
            hidden_columns=KK_HIDDEN,
        )
        yield Sheet(SKALA_SHEET, self._skala_rows(), widths=[14, 20, 24])

    def _table_rows(self, heading: list[list]):
        yield from heading
        yield [Styled(h, bold=True, wrap=True) for h in KK_HEADER]
        first = len(heading) + 2  # the worksheet row of the first indicator
        skala_count = len(self.skala)
        total = max(1, len(self.rows))
        for i, row in enumerate(self.rows):
            r = first + i
            if can_use_formula(row):
                capaian = Styled(
                    Formula(capaian_formula(row, r), cached=capaian_computed(row)), number_format="0.00"
                )
            elif row.capaian_akhir is not None:
                capaian = Styled(row.capaian_akhir, number_format="0.00")
            else:
                capaian = Styled(row.pesan or "Capaian belum dapat dihitung.", wrap=True)
            yield (
                row.no,
                Styled(row.sasaran, wrap=True),
                Styled(f"{row.indikator_kode} {row.indikator_uraian}".strip(), wrap=True),
                row.satuan,
                row.target if not row.is_rentang else row.target_label,
                Styled(row.realisasi, number_format=NUMBER),
                capaian,
                Formula(kategori_formula(r, skala_count), cached=kategori_computed(row)),
                Styled(row.keterangan_kertas or None, wrap=True),
                row.arah,
                None if row.is_rentang else row.target,
                row.target_bawah,
                row.target_atas,
            )
            if i % 50 == 0:
                self.progress(20 + 60 * i // total)
        yield from signature_rows(self.signatures, columns=(2, 7))

    def _skala_rows(self):
        """The scale, minimums ascending (what kategori_formula looks up)."""
        yield bold(["Minimum (%)", "Kategori", "Rentang capaian (%)"])
        for band in sorted(self.skala_rows, key=lambda b: b["minimum"]):
            minimum = band["minimum"]
            yield (minimum if minimum.is_finite() else Decimal(0), band["nama"], band["rentang"])


def kertas_kerja_data(satker: Satker, params: dict) -> KertasKerja:
    lembar = lembar_of(satker, params, kind=KertasKerja)
    lembar.signatures = laporan_signatures(lembar)[:2]  # who measured and who checked
    return lembar
