"""The satker's letterhead, written once: the same lines on a PDF and at the top of every sheet."""

import io
from types import SimpleNamespace

from django.template.loader import render_to_string
from openpyxl import load_workbook

from silabu.lib.letterhead import Letterhead, letterhead
from silabu.lib.xlsx import Sheet, Styled, workbook_bytes

KUDUS = SimpleNamespace(
    kop_lines=["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS"],
    nama="KPU Kabupaten Kudus",
    alamat="Jl. Ganesha No. 4, Purwosari",
    kota="Kudus",
    telepon="(0291) 438 100",
    logo=None,
)


def test_lines_then_the_name_in_capitals_then_the_address_and_phone():
    kop = letterhead(KUDUS)
    assert kop.lines == ["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS", "KPU KABUPATEN KUDUS"]
    assert kop.address == "Jl. Ganesha No. 4, Purwosari, Kudus · Telp. (0291) 438 100"
    assert kop.xlsx_rows() == [
        [Styled("KOMISI PEMILIHAN UMUM", bold=True)],
        [Styled("KABUPATEN KUDUS", bold=True)],
        [Styled("KPU KABUPATEN KUDUS", bold=True)],
        ["Jl. Ganesha No. 4, Purwosari, Kudus. Telp. (0291) 438 100"],
        [],
    ]
    assert kop.logo == ""


def test_a_kop_line_that_already_names_the_satker_is_not_repeated():
    kop = Letterhead.of(kop_lines=["KPU KOTA BONTANG", " "], nama="KPU Kota Bontang")
    assert kop.lines == ["KPU KOTA BONTANG"]
    assert kop.xlsx_rows() == [[Styled("KPU KOTA BONTANG", bold=True)], []]  # no address: no address row


def test_phone_without_a_street():
    kop = Letterhead.of(kop_lines=[], nama="KPU X", telepon="123")
    assert kop.address == kop.sheet_address == "Telp. 123"


def test_the_sheet_rows_are_written_bold_in_column_a():
    content = workbook_bytes([Sheet("Uji", letterhead(KUDUS).xlsx_rows())])
    ws = load_workbook(io.BytesIO(content))["Uji"]
    assert [ws.cell(r, 1).value for r in range(1, 5)] == [
        "KOMISI PEMILIHAN UMUM",
        "KABUPATEN KUDUS",
        "KPU KABUPATEN KUDUS",
        "Jl. Ganesha No. 4, Purwosari, Kudus. Telp. (0291) 438 100",
    ]
    assert ws["A1"].font.b and ws["A3"].font.b and not ws["A4"].font.b


def test_the_pdf_partial_draws_the_same_lines():
    html = render_to_string("dokumen/_kop.html", {"kop": letterhead(KUDUS)})
    for line in ["KOMISI PEMILIHAN UMUM", "KPU KABUPATEN KUDUS", "Telp. (0291) 438 100"]:
        assert line in html
    assert "<img" not in html  # no logo, no image
