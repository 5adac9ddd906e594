"""The verified softfile downloads (PDF and XLSX), for one person's month and for a subbagian's month.

Downloading only reads: the documents are built by verifikasi/softfile.py and nothing is saved.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from kinerja.models import Pegawai, Subbagian
from silabu import policy

from .. import softfile

# --- views --------------------------------------------------------------------------------------------------


def _check_period(year: int, month: int, fmt: str) -> None:
    if fmt not in softfile.FORMATS or not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404("Tidak ditemukan.")


def _download(filename: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def softfile_pegawai(request, pegawai_id: int, year: int, month: int, fmt: str):
    _check_period(year, month, fmt)
    pegawai = (
        Pegawai.objects.asn()
        .filter(pk=pegawai_id)
        .select_related("satker__sekretaris", "subbagian__kasubag")
        .first()
    )
    if pegawai is None or not policy.can_download_softfile_pegawai(request.user, pegawai, year, month):
        raise Http404("Tidak ditemukan.")
    return _download(*softfile.softfile_for_pegawai(pegawai, year, month, fmt))


@login_required
@require_GET
def softfile_subbagian(request, subbagian_id: int, year: int, month: int, fmt: str):
    _check_period(year, month, fmt)
    subbagian = Subbagian.objects.select_related("satker", "kasubag").filter(pk=subbagian_id).first()
    if subbagian is None or not policy.can_download_softfile_subbagian(request.user, subbagian, year, month):
        raise Http404("Tidak ditemukan.")
    return _download(*softfile.softfile_for_subbagian(subbagian, year, month, fmt))
