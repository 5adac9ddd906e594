"""A generated document's page (it waits for the background task, then offers the file) and its download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from silabu import policy
from silabu.lib.download import safe_filename

from .. import document_store as docs
from ..models import Dokumen, StatusDokumen

POLL_SECONDS = 2


def _dokumen(request, pk: int) -> Dokumen:
    dokumen = Dokumen.objects.filter(pk=pk).first()
    if dokumen is None or not policy.can_view_dokumen(request.user, dokumen):
        raise Http404("Tidak ditemukan.")
    return dokumen


@login_required
@require_GET
def dokumen_detail(request, pk: int):
    dokumen = _dokumen(request, pk)
    context = {"title": dokumen.judul, "dokumen": dokumen, "poll_seconds": POLL_SECONDS}
    if request.htmx:
        return render(request, "kinerja/_dokumen_status.html", context)
    return render(request, "kinerja/dokumen.html", context)


@login_required
@require_GET
def dokumen_unduh(request, pk: int):
    dokumen = _dokumen(request, pk)
    if dokumen.status != StatusDokumen.SIAP or not dokumen.berkas:
        raise Http404("Dokumen belum siap.")
    try:
        handle = docs.dokumen_open_checked(dokumen=dokumen, by=request.user)
    except (FileNotFoundError, ValueError):
        raise Http404("Berkas tidak ditemukan.") from None
    except docs.DokumenRusak as exc:
        context = {"title": "Dokumen rusak", "dokumen": dokumen, "pesan": str(exc)}
        return render(request, "kinerja/dokumen_rusak.html", context, status=409)
    response = FileResponse(
        handle,
        content_type=dokumen.content_type,
        as_attachment=True,
        filename=safe_filename(dokumen.nama_berkas),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def dokumen_ulang(request, pk: int):
    """Ask again for a document that failed (a new attempt; the failed one is kept), or whose data has changed
    since (archived documents are kept as they are)."""
    dokumen = _dokumen(request, pk)
    if dokumen.status == StatusDokumen.GAGAL:
        retry = docs.dokumen_retry(dokumen=dokumen, by=request.pegawai)
        return redirect("kinerja:dokumen", pk=retry.pk)
    if dokumen.arsip:
        messages.info(request, "Dokumen arsip tidak dibuat ulang.")
        return redirect("kinerja:dokumen", pk=dokumen.pk)
    fresh = docs.dokumen_request(
        satker=dokumen.satker, jenis=dokumen.jenis, params=dokumen.params, by=request.pegawai
    )
    return redirect("kinerja:dokumen", pk=fresh.pk)
