"""The plenary presentation as a deck of slides that each fit a 16:9 screen (1280×720 and up).

A presenter's clicker only moves from slide to slide, so nothing may sit below a slide's bottom edge: every long
table or chart is split into pages here, in Python, where the split is tested. static/css/presentasi.css sizes
the text by the screen's height as well as its width, so a page that fits at 1280×720 fits on any larger 16:9
screen. The unverified people (an exception recorded at compilation) get slides of their own right after the
cover, and the cover says how many there are.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import TypeVar

from . import charts
from .documents.month import CHART_KELENGKAPAN, CHART_OUTPUT, MonthDoc, Section

T = TypeVar("T")

# How much one slide holds at 1280×720 (static/css/presentasi.css): table lines under a heading, a caption and a
# header row; bars of a chart; names in the list of unverified people.
LINES_PER_SLIDE = 14
BARS_PER_SLIDE = 15
# A description column wraps at about this many characters when its table spans the slide.
CHARS_PER_LINE = 60


def text_lines(text: str, width: int = CHARS_PER_LINE) -> int:
    """How many lines `text` takes in a column `width` characters wide (at least one)."""
    return max(1, ceil(len(text or "") / width))


def paginate(
    rows: Sequence[T], *, capacity: int, weight: Callable[[T], int] = lambda row: 1
) -> list[list[T]]:
    """Split `rows`, in order, into pages whose weights add up to at most `capacity`.

    A row heavier than a whole page gets a page of its own. There is always at least one page, so an empty
    table still has its slide (saying that there is nothing)."""
    if capacity < 1:
        raise ValueError("capacity must be at least 1")
    pages: list[list[T]] = [[]]
    used = 0
    for row in rows:
        w = max(1, weight(row))
        if pages[-1] and used + w > capacity:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += w
    return pages


def output_lines(row) -> int:
    """An output code's row: its description wraps; a volume in several units wraps at each unit."""
    return max(text_lines(row.uraian), len(row.volume) or 1)


@dataclass
class Slide:
    anchor: str
    label: str  # in the list of slides
    kind: str  # which part of templates/rekap/presentasi.html draws it
    title: str = ""
    rows: list = field(default_factory=list)
    chart: str = ""
    section: Section | None = None
    page: int = 1
    pages: int = 1

    @property
    def continued(self) -> bool:
        return self.pages > 1

    @property
    def page_label(self) -> str:
        return f"{self.page}/{self.pages}" if self.pages > 1 else ""


def _paged(
    anchor: str,
    label: str,
    kind: str,
    title: str,
    rows,
    *,
    capacity: int,
    weight=lambda row: 1,
    section: Section | None = None,
    chart: Callable[[list], str] | None = None,
) -> list[Slide]:
    """One slide per page of `rows`, with `chart(page)` drawn on it if given; the first keeps the plain anchor
    (the list of slides links to it)."""
    pages = paginate(rows, capacity=capacity, weight=weight)
    n = len(pages)
    slides = []
    for i, page in enumerate(pages, 1):
        suffix = f" ({i}/{n})" if n > 1 else ""
        slides.append(
            Slide(
                anchor=anchor if i == 1 else f"{anchor}-{i}",
                label=label + suffix,
                kind=kind,
                title=title,
                rows=page,
                page=i,
                pages=n,
                section=section,
                chart=chart(page) if chart else "",
            )
        )
    return slides


def _output_chart(rows, scale: float) -> str:
    return charts.output_chart(
        [{"kode": o.kode, "uraian": o.uraian, "kegiatan": o.kegiatan} for o in rows],
        title=CHART_OUTPUT,
        max_value=scale,
    )


def deck(doc: MonthDoc) -> list[Slide]:
    """The month's slides: the cover, the unverified people, the summary per subbagian and per output code, the
    two charts, then for each subbagian its people, its output codes and its chart."""
    slides = [Slide("sampul", "Sampul", "sampul")]
    if doc.belum_terverifikasi:
        slides += _paged(
            "belum-terverifikasi",
            "Belum terverifikasi",
            "belum",
            "Belum terverifikasi",
            doc.belum_terverifikasi,
            capacity=LINES_PER_SLIDE - 2,  # the reason sits under the list
        )
    slides += _paged(
        "ringkasan",
        "Ringkasan",
        "ringkasan",
        f"Ringkasan {doc.period_label}",
        doc.sections,
        capacity=LINES_PER_SLIDE - 1,  # the total row
    )
    slides += _paged(
        "ringkasan-output",
        "Per kode output",
        "outputs",
        "Ringkasan per kode output",
        doc.outputs,
        capacity=LINES_PER_SLIDE,
        weight=output_lines,
    )
    slides += _paged(
        "grafik",
        "Grafik kelengkapan",
        "grafik",
        CHART_KELENGKAPAN,
        doc.sections,
        capacity=BARS_PER_SLIDE,
        chart=lambda page: charts.completeness_chart(
            [(s.singkatan or s.nama, s.nama, s.total["kelengkapan"]) for s in page], title=CHART_KELENGKAPAN
        ),
    )
    scale = max((o.kegiatan for o in doc.outputs), default=0) or 1
    slides += _paged(
        "grafik-output",
        "Grafik kode output",
        "grafik",
        CHART_OUTPUT,
        doc.outputs,
        capacity=BARS_PER_SLIDE,
        chart=lambda page: _output_chart(page, scale),
    )
    for i, section in enumerate(doc.sections, 1):
        short = section.singkatan or section.nama
        anchor = f"subbagian-{i}"
        slides += _paged(
            anchor,
            short,
            "pegawai",
            section.nama,
            section.pegawai,
            capacity=LINES_PER_SLIDE - 1,
            section=section,
        )
        slides += _paged(
            f"{anchor}-output",
            f"{short}: kode output",
            "outputs",
            f"{section.nama}: kode output",
            section.outputs,
            capacity=LINES_PER_SLIDE,
            weight=output_lines,
            section=section,
        )
        chart_title = f"Kelengkapan pengisian per pegawai — {section.nama} (%)"
        slides += _paged(
            f"{anchor}-grafik",
            f"{short}: grafik",
            "grafik",
            chart_title,
            section.pegawai,
            capacity=BARS_PER_SLIDE,
            section=section,
            chart=lambda page, title=chart_title: charts.completeness_chart(
                [(p.nama, p.nama, p.kelengkapan) for p in page], title=title, label_width=260
            ),
        )
    return slides
