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


def test_lines_that_say_the_name_then_the_address_and_phone():
    kop = letterhead(KUDUS)
    assert kop.lines == ["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS"]  # "KPU Kabupaten Kudus", said once
    assert kop.address == "Jl. Ganesha No. 4, Purwosari, Kudus · Telp. (0291) 438 100"
    assert kop.xlsx_rows() == [
        [Styled("KOMISI PEMILIHAN UMUM", bold=True)],
        [Styled("KABUPATEN KUDUS", bold=True)],
        ["Jl. Ganesha No. 4, Purwosari, Kudus. Telp. (0291) 438 100"],
        [],
    ]
    assert kop.logo == ""


def test_the_name_is_added_when_the_kop_lines_do_not_say_it():
    kop = Letterhead.of(kop_lines=["KOMISI PEMILIHAN UMUM"], nama="KPU Kabupaten Kudus")
    assert kop.lines == ["KOMISI PEMILIHAN UMUM", "KPU KABUPATEN KUDUS"]
    other = Letterhead.of(kop_lines=["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS"], nama="KPU Kabupaten Pati")
    assert other.lines[-1] == "KPU KABUPATEN PATI"  # another office's name is no repetition
    assert Letterhead.of(kop_lines=[], nama="KPU Kota Bontang").lines == ["KPU KOTA BONTANG"]


def test_a_kop_line_that_already_names_the_satker_is_not_repeated():
    kop = Letterhead.of(kop_lines=["KPU KOTA BONTANG", " "], nama="KPU Kota Bontang")
    assert kop.lines == ["KPU KOTA BONTANG"]
    assert kop.xlsx_rows() == [[Styled("KPU KOTA BONTANG", bold=True)], []]  # no address: no address row


def test_an_address_that_ends_in_its_city_does_not_repeat_it():
    kop = Letterhead.of(
        kop_lines=[], nama="KPU X", alamat="Jl. Ganesha No. 4, Purwosari, Kudus", kota="Kudus"
    )
    assert kop.street == "Jl. Ganesha No. 4, Purwosari, Kudus"
    assert Letterhead.of(kop_lines=[], nama="KPU X", alamat="Jl. Ganesha No. 4", kota="Kudus").street == (
        "Jl. Ganesha No. 4, Kudus"
    )


def test_phone_without_a_street():
    kop = Letterhead.of(kop_lines=[], nama="KPU X", telepon="123")
    assert kop.address == kop.sheet_address == "Telp. 123"


def test_the_sheet_rows_are_written_bold_in_column_a():
    content = workbook_bytes([Sheet("Uji", letterhead(KUDUS).xlsx_rows())])
    ws = load_workbook(io.BytesIO(content))["Uji"]
    assert [ws.cell(r, 1).value for r in range(1, 4)] == [
        "KOMISI PEMILIHAN UMUM",
        "KABUPATEN KUDUS",
        "Jl. Ganesha No. 4, Purwosari, Kudus. Telp. (0291) 438 100",
    ]
    assert ws["A1"].font.b and ws["A2"].font.b and not ws["A3"].font.b


def test_the_pdf_partial_draws_the_same_lines():
    html = render_to_string("dokumen/_kop.html", {"kop": letterhead(KUDUS)})
    for line in ["KOMISI PEMILIHAN UMUM", "KABUPATEN KUDUS", "Telp. (0291) 438 100"]:
        assert line in html
    assert "KPU KABUPATEN KUDUS" not in html
    assert "<img" not in html  # no logo, no image
