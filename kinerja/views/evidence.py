"""Evidence is private: each file is served only after the policy says the user may see its entry.

On an S3-compatible store too, the file is streamed through this view rather than handed out as a presigned URL:
the store (MinIO or Ceph in a data centre) need not be reachable from people's phones; a presigned URL is a bearer
link that works for anyone it is forwarded to until it expires, while this view asks the policy on every fetch; and
the headers below (nosniff, the sandboxing CSP, a safe Content-Disposition) are ours, not what the store sends.
The cost is that the bytes pass through the app server: evidence is at most EVIDENCE_MAX_MB (a thumbnail a few
kB), and nginx buffers the response, so a slow phone holds nginx, not a gunicorn thread.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from silabu import policy
from silabu.lib.download import safe_filename

from ..evidence import EXTENSIONS, INLINE_TYPES, named_as_kind
from ..models import BuktiDukung


def _bukti(request, pk: int) -> BuktiDukung:
    bukti = BuktiDukung.objects.select_related("entri").filter(pk=pk).first()
    if bukti is None or not policy.can_view_bukti(request.user, bukti):
        raise Http404("Tidak ditemukan.")
    return bukti


def evidence_response(
    fieldfile, *, content_type: str, filename: str, download: bool, cache: str = "private, max-age=3600"
) -> FileResponse:
    """Stream a stored evidence file with the headers every evidence download carries, whoever stored it.

    `content_type` is what the bytes were found to be when they were stored (kinerja.evidence), never guessed from
    a name; the saved file's name gets that kind's extension. Only images and PDF may open in the browser; every
    other kind is an attachment. The browser may not sniff another type (nosniff), and a document it does open runs
    nothing of its own (the sandboxing CSP)."""
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Berkas tidak ditemukan.") from None
    extension = EXTENSIONS.get(content_type, "bin")
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=download or content_type not in INLINE_TYPES,
        filename=safe_filename(named_as_kind(filename, extension)),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    # A document opened in the browser must not run anything of its own.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@login_required
@require_GET
def bukti_file(request, pk: int):
    bukti = _bukti(request, pk)
    return evidence_response(
        bukti.berkas,
        content_type=bukti.content_type,
        filename=bukti.nama_asli,
        download="unduh" in request.GET,
    )


@login_required
@require_GET
def bukti_thumb(request, pk: int):
    bukti = _bukti(request, pk)
    if not bukti.thumbnail:
        raise Http404("Tidak ada gambar kecil.")
    return evidence_response(
        bukti.thumbnail, content_type="image/jpeg", filename=f"thumb-{bukti.pk}.jpg", download=False
    )
