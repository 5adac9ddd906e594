"""The plenary booklet as a full-screen presentation in the browser (SOP step 5): a cover, the month's summary,
the two charts, one slide per subbagian. Read from the frozen snapshot only, in a fixed number of queries.

Without JavaScript it is one long page whose slides are anchors; static/js/presentasi.js turns it into slides
(arrow keys, space, Home/End, F for full screen).
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import charts, policy
from ..documents.month import CHART_KELENGKAPAN, CHART_OUTPUT, Section, month_doc
from ..models import RekapBulanan


@dataclass
class Slide:
    anchor: str
    label: str
    section: Section | None = None
    chart: str = ""  # the subbagian's completeness per person (SVG)


@login_required
@require_GET
def presentasi(request, year, month):
    if not policy.can_view_rekap(request.user):
        raise Http404("Tidak ditemukan.")
    satker = request.pegawai.satker
    rekap = (
        RekapBulanan.objects.filter(satker=satker, tahun=year, bulan=month).select_related("pleno").first()
    )
    if rekap is None:
        raise Http404("Tidak ditemukan.")
    doc = month_doc(satker, rekap)
    slides = [Slide("sampul", "Sampul"), Slide("ringkasan", "Ringkasan"), Slide("grafik", "Grafik")]
    for i, section in enumerate(doc.sections, 1):
        chart = charts.completeness_chart(
            [(p.nama, p.nama, p.kelengkapan) for p in section.pegawai],
            title=f"Kelengkapan pengisian per pegawai — {section.nama} (%)",
            label_width=260,
        )
        slides.append(Slide(f"subbagian-{i}", section.singkatan or section.nama, section, chart))
    context = {
        "title": f"Presentasi rapat pleno {doc.period_label}",
        "doc": doc,
        "rapat": getattr(rekap, "pleno", None),
        "slides": slides,
        "sections": slides[3:],
        "chart_kelengkapan": doc.completeness_chart(),
        "chart_output": doc.output_chart(),
        "chart_titles": (CHART_KELENGKAPAN, CHART_OUTPUT),
        "year": year,
        "month": month,
    }
    return render(request, "rekap/presentasi.html", context)
