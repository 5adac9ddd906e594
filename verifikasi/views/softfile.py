"""The verified softfile (PDF and XLSX), for one person's month and for a subbagian's month.

Asking for it (POST) puts it in the background queue (kinerja.document_store) and leads to the document's page; a GET
serves the stored file while the data is unchanged, and otherwise offers the button. Nothing here changes the
state of a month.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kinerja import document_store as docs
from kinerja.models import Pegawai, Subbagian
from kinerja.views.dokumen import dokumen_unduh
from silabu.lib.dates import format_bulan

from .. import policy
from ..documents import softfile


def _check_period(year: int, month: int, fmt: str) -> None:
    if fmt not in softfile.FORMATS or not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404("Tidak ditemukan.")


def _serve_or_request(request, satker, jenis: str, params: dict, label: str):
    if request.method == "POST":
        dokumen = docs.dokumen_request(satker=satker, jenis=jenis, params=params, by=request.pegawai)
        return redirect("kinerja:dokumen", pk=dokumen.pk)
    dokumen = docs.current(satker, jenis, params)
    if dokumen is not None and dokumen.is_ready:
        return dokumen_unduh(request, dokumen.pk)
    context = {"title": f"Softfile {label}", "label": label, "fmt": params["fmt"], "dokumen": dokumen}
    return render(request, "verifikasi/softfile_minta.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def softfile_pegawai(request, pegawai_id: int, year: int, month: int, fmt: str):
    _check_period(year, month, fmt)
    pegawai = Pegawai.objects.asn().filter(pk=pegawai_id).select_related("satker").first()
    if pegawai is None or not policy.can_download_softfile_pegawai(request.user, pegawai, year, month):
        raise Http404("Tidak ditemukan.")
    params = {"pegawai_id": pegawai.pk, "tahun": year, "bulan": month, "fmt": fmt}
    label = f"{pegawai.nama} — {format_bulan(year, month)}"
    return _serve_or_request(request, pegawai.satker, "softfile_pegawai", params, label)


@login_required
@require_http_methods(["GET", "POST"])
def softfile_subbagian(request, subbagian_id: int, year: int, month: int, fmt: str):
    _check_period(year, month, fmt)
    subbagian = Subbagian.objects.select_related("satker").filter(pk=subbagian_id).first()
    if subbagian is None or not policy.can_download_softfile_subbagian(request.user, subbagian, year, month):
        raise Http404("Tidak ditemukan.")
    params = {"subbagian_id": subbagian.pk, "tahun": year, "bulan": month, "fmt": fmt}
    label = f"{subbagian.nama} — {format_bulan(year, month)}"
    return _serve_or_request(request, subbagian.satker, "softfile_subbagian", params, label)
