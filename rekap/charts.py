"""Charts of a compiled month as plain SVG text: no JavaScript, no library, the same markup in a PDF and a page.

Horizontal bars with a short label on the left (a subbagian's abbreviation, an output code) and the value at
the bar's end; the full name is the bar's <title> (a tooltip in a browser) and the chart's title is for the
page around it to show as a heading. WeasyPrint lays out SVG text letter by letter, so the drawn text is kept
short on purpose. Every text is XML-escaped and stripped of the control characters XML cannot carry, so what
users typed can never break the markup. WeasyPrint draws inline <svg> as it is; browsers do too.
"""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from silabu.lib.formatting import format_percent

FONT = "sans-serif"
GOOD, FAIR, POOR, UNKNOWN, NEUTRAL = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#3f51b5"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: object) -> str:
    return html.escape(_CONTROL.sub("", str(text)), quote=True)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no value (drawn as an empty bar with "—")
    text: str  # the value as shown at the bar's end
    color: str = NEUTRAL
    title: str = ""  # the full text, as a tooltip in a browser


def completeness_color(value: float | None) -> str:
    if value is None:
        return UNKNOWN
    return GOOD if value >= 90 else FAIR if value >= 75 else POOR


def hbar_chart(
    bars: list[Bar],
    *,
    title: str,
    max_value: float | None = None,
    width: int = 1000,
    label_width: int = 150,
    bar_height: int = 16,
    gap: int = 6,
    font_size: int = 11,
    css_class: str = "chart",
) -> str:
    """A horizontal bar chart as an <svg> element (a string); an empty list draws a note instead of bars.

    `title` names the chart for assistive technology and tooltips; it is not drawn."""
    top = gap
    value_width = 90
    track = max(width - label_width - value_width, 40)
    scale_max = max_value or max((b.value or 0 for b in bars), default=0) or 1
    label_chars = max(int((label_width - 8) / (font_size * 0.62)), 8)
    rows = max(len(bars), 1)
    height = top + rows * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{font_size}">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="0" y="{top + bar_height - 3}">Tidak ada data.</text>')
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        baseline = y + bar_height - 4
        length = 0 if bar.value is None else round(track * min(max(bar.value, 0) / scale_max, 1), 1)
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{escape(bar.text)}">'
            f"<title>{escape(bar.title or bar.label)}: {escape(bar.text)}</title>"
            f'<text x="{label_width - 6}" y="{baseline}" text-anchor="end">'
            f"{escape(shorten(bar.label, label_chars))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{track}" height="{bar_height}" fill="#eeeeee"/>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{escape(bar.color)}"/>'
            f'<text x="{label_width + track + 6}" y="{baseline}">{escape(bar.text)}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def completeness_chart(
    items: Iterable[tuple[str, str, float | None]], *, title: str, label_width: int = 150
) -> str:
    """Completeness (0–100 %) per subbagian or per person, from (label, full name, value): green from 90 %,
    amber from 75 %, red below, grey when nothing was expected."""
    bars = [
        Bar(label, value, format_percent(value), completeness_color(value), name)
        for label, name, value in items
    ]
    return hbar_chart(bars, title=title, max_value=100, label_width=label_width)


def output_chart(outputs: Iterable[dict], *, title: str, max_value: float | None = None) -> str:
    """Activities (kegiatan) per output code, from the snapshot's outputs: the code on the left, its
    description as the tooltip, the count at the bar's end. `max_value` keeps one scale across the pages of a
    long list (the presentation's slides)."""
    bars = [
        Bar(o["kode"], o["kegiatan"], str(o["kegiatan"]), NEUTRAL, f"{o['kode']} {o['uraian']}".strip())
        for o in outputs
    ]
    return hbar_chart(bars, title=title, max_value=max_value)
