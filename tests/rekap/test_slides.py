"""rekap/slides.py: long tables and charts are split into slides that each fit a 16:9 screen, in order, with
nothing lost; the people not yet verified get slides of their own right after the cover."""

import re
from types import SimpleNamespace

import pytest

from rekap.documents.month import OutputRow, PersonRow, Section
from rekap.slides import BARS_PER_SLIDE, LINES_PER_SLIDE, deck, output_lines, paginate, text_lines

BAR = re.compile(r'data-value="(\d+)".*?<rect [^>]*width="([\d.]+)"[^>]*/><rect [^>]*width="([\d.]+)"')


def test_paginate_keeps_order_and_fills_each_page_up_to_its_capacity():
    assert paginate(list(range(7)), capacity=3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert paginate(list(range(6)), capacity=3) == [[0, 1, 2], [3, 4, 5]]


def test_paginate_weighs_rows():
    rows = ["a", "bb", "c", "dddd", "e"]
    assert paginate(rows, capacity=4, weight=len) == [["a", "bb", "c"], ["dddd"], ["e"]]


def test_a_row_heavier_than_a_page_gets_a_page_of_its_own():
    assert paginate([1, 9, 1], capacity=4, weight=lambda n: n) == [[1], [9], [1]]


def test_an_empty_table_still_has_one_page():
    assert paginate([], capacity=5) == [[]]


def test_capacity_must_be_positive():
    with pytest.raises(ValueError):
        paginate([1], capacity=0)


def test_text_lines_counts_wrapped_lines():
    assert text_lines("") == 1
    assert text_lines("x" * 60) == 1
    assert text_lines("x" * 61) == 2
    assert text_lines("x" * 10, width=4) == 3


def person(i: int, verified: bool = True) -> PersonRow:
    return PersonRow(f"Pegawai {i:02d}", f"NIP{i}", "Staf", verified, "", 21, 20, 1, 95.0, 20)


def output(i: int, uraian: str = "Layanan perkantoran") -> OutputRow:
    return OutputRow(f"076.01.{i:03d}", uraian, 10 + i, 2, {"dokumen": "3"})


def section(i: int, people: int, outputs: int) -> Section:
    return Section(
        nama=f"Subbagian {i}",
        singkatan=f"S{i}",
        kasubag={"nama": f"Kasubag {i}"},
        total={"pegawai": people, "terverifikasi": people, "kegiatan": 5, "kelengkapan": 90.0},
        pegawai=[person(100 * i + j) for j in range(people)],
        outputs=[output(100 * i + j) for j in range(outputs)],
    )


def month(*, sections, outputs, unverified=()):
    return SimpleNamespace(
        period_label="Oktober 2026",
        sections=sections,
        outputs=outputs,
        belum_terverifikasi=[
            {"nama": n, "subbagian": "KUL", "menunggu": 1, "dikembalikan": 0} for n in unverified
        ],
    )


def test_a_small_month_has_one_slide_per_part():
    doc = month(sections=[section(1, 3, 2), section(2, 2, 1)], outputs=[output(1), output(2)])
    assert [s.anchor for s in deck(doc)] == [
        "sampul",
        "ringkasan",
        "ringkasan-output",
        "grafik",
        "grafik-output",
        "subbagian-1",
        "subbagian-1-output",
        "subbagian-1-grafik",
        "subbagian-2",
        "subbagian-2-output",
        "subbagian-2-grafik",
    ]


def test_unverified_people_come_right_after_the_cover_on_slides_of_their_own():
    names = [f"Belum {i:02d}" for i in range(30)]
    slides = deck(month(sections=[section(1, 2, 1)], outputs=[output(1)], unverified=names))
    assert slides[0].kind == "sampul"
    warning = [s for s in slides if s.kind == "belum"]
    assert slides[1 : 1 + len(warning)] == warning and len(warning) > 1
    assert [p["nama"] for s in warning for p in s.rows] == names
    assert all(len(s.rows) <= LINES_PER_SLIDE - 2 for s in warning)
    assert [s.anchor for s in warning][:2] == ["belum-terverifikasi", "belum-terverifikasi-2"]
    assert warning[0].label == f"Belum terverifikasi (1/{len(warning)})"


def test_long_tables_and_charts_are_split_and_nothing_is_lost():
    long_text = "Penyelenggaraan rapat koordinasi dan supervisi tahapan pemilihan " * 2  # two lines
    outputs = [output(i, long_text if i % 3 == 0 else "Layanan") for i in range(40)]
    big = section(1, 35, 25)
    slides = deck(month(sections=[big, section(2, 1, 0)], outputs=outputs))

    def of(anchor_start, kind):
        return [s for s in slides if s.anchor.startswith(anchor_start) and s.kind == kind]

    summary_outputs = of("ringkasan-output", "outputs")
    assert [o for s in summary_outputs for o in s.rows] == outputs
    for s in summary_outputs:
        assert sum(output_lines(o) for o in s.rows) <= LINES_PER_SLIDE
        assert s.pages == len(summary_outputs)
    people = of("subbagian-1", "pegawai")
    assert [p for s in people for p in s.rows] == big.pegawai
    assert all(len(s.rows) <= LINES_PER_SLIDE - 1 for s in people) and len(people) == 3
    charts = of("subbagian-1-grafik", "grafik")
    assert [p for s in charts for p in s.rows] == big.pegawai
    assert all(len(s.rows) <= BARS_PER_SLIDE and s.chart.count('class="bar"') == len(s.rows) for s in charts)
    output_charts = of("grafik-output", "grafik")
    assert all(s.chart.count('class="bar"') <= BARS_PER_SLIDE for s in output_charts)
    # one scale for every page of a chart: a bar's length is its count over the month's largest count (49)
    lengths = {}
    for s in output_charts:
        for value, track, length in BAR.findall(s.chart):
            lengths[int(value)] = float(length) / float(track)
    assert len(lengths) == 40 and lengths[49] == 1.0 and lengths[10] == pytest.approx(10 / 49, abs=0.01)
    # an empty table keeps its slide, which says so
    assert len(of("subbagian-2-output", "outputs")) == 1 and of("subbagian-2-output", "outputs")[0].rows == []
    # anchors are unique, so the list of slides and the keys reach every one
    anchors = [s.anchor for s in slides]
    assert len(anchors) == len(set(anchors))


def test_a_volume_in_several_units_counts_one_line_per_unit():
    row = OutputRow("K", "Pendek", 3, 1, {"dokumen": "1", "berkas": "2", "laporan": "1"})
    assert output_lines(row) == 3
