"""Evidence is private: each file is served only after the policy says the user may see its entry."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from silabu import policy

from ..models import BuktiDukung


def _bukti(request, pk: int) -> BuktiDukung:
    bukti = BuktiDukung.objects.select_related("entri").filter(pk=pk).first()
    if bukti is None or not policy.can_view_bukti(request.user, bukti):
        raise Http404("Tidak ditemukan.")
    return bukti


def _serve(fieldfile, content_type: str, filename: str, download: bool) -> FileResponse:
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Berkas tidak ditemukan.") from None
    response = FileResponse(handle, content_type=content_type, as_attachment=download, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    # A document opened in the browser must not run anything of its own.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@login_required
@require_GET
def bukti_file(request, pk: int):
    bukti = _bukti(request, pk)
    return _serve(bukti.berkas, bukti.content_type, bukti.nama_asli, download="unduh" in request.GET)


@login_required
@require_GET
def bukti_thumb(request, pk: int):
    bukti = _bukti(request, pk)
    if not bukti.thumbnail:
        raise Http404("Tidak ada gambar kecil.")
    return _serve(bukti.thumbnail, "image/jpeg", f"thumb-{bukti.pk}.jpg", download=False)
