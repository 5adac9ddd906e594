"""The archive: every document that was part of a finalised step, kept as generated with its SHA-256."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.models import Dokumen

from .. import policy
from .bulan import rekap_viewer
from .dokumen import JENIS_LABELS, periode_label

PAGE_SIZE = 25


@rekap_viewer
@require_GET
def arsip(request):
    satker = request.pegawai.satker
    documents = (
        Dokumen.objects.archived()
        .filter(satker=satker, jenis__in=policy.REKAP_DOCUMENTS)
        .order_by("-diarsipkan_pada", "-id")
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"dokumen": d, "periode": periode_label(d.params), "jenis": JENIS_LABELS.get(d.jenis, d.jenis)}
        for d in page.object_list
    ]
    context = {"title": "Arsip dokumen", "page": page, "rows": rows, "tz": satker.zona_waktu}
    return render(request, "rekap/arsip.html", context)
