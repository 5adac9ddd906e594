"""The document layer's report and XLSX writer: rows written once as they come, every text guarded except a
Formula written on purpose, and what every document carries (letterhead, title, period, generation time)."""

import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from silabu.lib.report import PDF, XLSX, Rendered, Report, format_of, safe_filename
from silabu.lib.xlsx import Formula, Sheet, Styled, bold, sheet_titles, workbook_bytes

BONTANG = SimpleNamespace(
    kop_lines=["KOMISI PEMILIHAN UMUM", "KOTA BONTANG"],
    nama="KPU Kota Bontang",
    alamat="Jl. Awang Long",
    kota="Bontang",
    telepon="",
    logo=None,
    zona_waktu="Asia/Makassar",
)


@dataclass
class Daftar(Report):
    satker: SimpleNamespace
    generated_at: datetime.datetime
    rows: list[tuple]

    formats = ("xlsx",)
    read: int = 0

    @property
    def footer(self) -> str:
        return "Daftar uji"

    def filename(self, fmt: str) -> str:
        return f"daftar-{safe_filename('Triwulan III 2026', lower=True)}.{fmt}"

    def sheets(self):
        yield Sheet("Daftar", self._rows(), widths=[6, 30, 12, 12], freeze="A8")

    def _rows(self):
        yield from self.sheet_heading(
            "DAFTAR UJI", ["Periode: Triwulan III 2026", f"Dibuat: {self.generated_label}"]
        )
        yield bold(["No", "Teks", "Tanggal", "Rumus"])
        for row in self.rows:
            self.read += 1
            yield row


def daftar(rows) -> Daftar:
    return Daftar(BONTANG, datetime.datetime(2026, 11, 21, 17, 30, tzinfo=datetime.UTC), rows)


def test_a_report_renders_its_sheets_with_letterhead_title_and_generation_time():
    report = daftar(
        [
            (1, '=HYPERLINK("http://x")', datetime.date(2026, 11, 22), Formula("=A9+1")),
            (
                2,
                Styled("bebas", unlocked=True, wrap=True),
                None,
                Styled(Decimal("1.5"), number_format="0.00"),
            ),
        ]
    )
    rendered = report.render("xlsx")
    assert isinstance(rendered, Rendered)
    filename, content_type, content = rendered
    assert (filename, content_type) == ("daftar-triwulan-iii-2026.xlsx", XLSX)
    assert report.read == 2  # each row read once, while writing

    ws = load_workbook(io.BytesIO(content))["Daftar"]
    column_a = [ws.cell(r, 1).value for r in range(1, 8)]
    assert column_a == [  # the letterhead names the office once (issue 12): no "KPU KOTA BONTANG" row
        "KOMISI PEMILIHAN UMUM",
        "KOTA BONTANG",
        "Jl. Awang Long, Bontang",
        None,
        "DAFTAR UJI",
        "Periode: Triwulan III 2026",
        "Dibuat: 22 November 2026 01:30 WITA",
    ]
    assert ws["A5"].font.b and not ws["A6"].font.b
    header = 9
    assert [c.value for c in ws[header]] == ["No", "Teks", "Tanggal", "Rumus"] and ws.cell(header, 2).font.b
    assert (
        ws.cell(header + 1, 2).value == '=HYPERLINK("http://x")' and ws.cell(header + 1, 2).data_type == "s"
    )
    assert ws.cell(header + 1, 3).number_format == "dd/mm/yyyy"
    assert ws.cell(header + 1, 4).value == "=A9+1" and ws.cell(header + 1, 4).data_type == "f"
    assert ws.cell(header + 2, 2).protection.locked is False and ws.cell(header + 2, 2).alignment.wrap_text
    assert ws.cell(header + 2, 4).number_format == "0.00"
    assert ws.freeze_panes == "A8"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<f>") == 1  # the one formula written on purpose


def test_a_report_refuses_a_format_it_has_not():
    with pytest.raises(ValueError):
        daftar([]).render("pdf")
    with pytest.raises(ValueError):
        format_of({"fmt": "docx"})
    assert format_of({}) == "pdf" and PDF == "application/pdf"
    assert format_of({"fmt": "xlsx"}, allowed=("xlsx",)) == "xlsx"


def test_safe_filenames():
    assert safe_filename("Triwulan III 2026") == "Triwulan-III-2026"
    assert safe_filename("Subbagian Umum & Logistik", lower=True) == "subbagian-umum-logistik"
    assert safe_filename("Ümlaut ä") == "Umlaut-a"
    assert safe_filename("—") == "x"


def test_sheet_titles_are_legal_and_unique():
    assert sheet_titles(["A/B", "a b", "x" * 40], reserved=("Ringkasan",)) == ["A B", "a b (2)", "x" * 31]


def test_formulas_are_stored_with_the_values_they_compute():
    """Issue 12 item 15: each Formula's cached value sits beside it in the cell (<f> and <v>), so a reader that
    does not calculate shows it, and the formula remains; a formula without one keeps an empty value."""
    sheets = [
        Sheet(
            "Satu", [["x"], [3, Formula("=A2*2", cached=6), Styled(Formula("=A2/4", cached=0.75), bold=True)]]
        ),
        Sheet(
            "Dua",
            [[Formula('="a"&"<b>"', cached="a<b> & c"), Formula("=1=1", cached=True), Formula("=NOW()")]],
        ),
    ]
    content = workbook_bytes(sheets)
    values = load_workbook(io.BytesIO(content), data_only=True)
    formulas = load_workbook(io.BytesIO(content))
    assert [c.value for c in values["Satu"][2]] == [3, 6, 0.75]
    assert [c.value for c in formulas["Satu"][2]] == [3, "=A2*2", "=A2/4"]
    assert formulas["Satu"]["C2"].font.bold
    assert [c.value for c in values["Dua"][1]] == ["a<b> & c", True, None]
    assert [c.value for c in formulas["Dua"][1]] == ['="a"&"<b>"', "=1=1", "=NOW()"]
    assert formulas.calculation.fullCalcOnLoad
