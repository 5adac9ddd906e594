"""The plenary booklet as a full-screen presentation in the browser (SOP step 5): a cover, the people not yet
verified, the month's summary, the two charts, then each subbagian, split into slides that fit a 16:9 screen
(rekap/slides.py). Read from the frozen snapshot only, in a fixed number of queries.

Without JavaScript it is one long page whose slides are anchors; static/js/presentasi.js turns it into slides
(arrow keys, Page Up/Down, space, Home/End, F for full screen).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import policy
from ..documents.month import month_doc
from ..models import RekapBulanan
from ..slides import deck


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
    context = {
        "title": f"Presentasi rapat pleno {doc.period_label}",
        "doc": doc,
        "rapat": getattr(rekap, "pleno", None),
        "slides": deck(doc),
        "year": year,
        "month": month,
    }
    return render(request, "rekap/presentasi.html", context)
