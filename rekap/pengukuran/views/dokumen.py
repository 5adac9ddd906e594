"""Asking for a measurement document (POST): it is made in the background (kinerja.document_store) and its page waits
for it. Asking never changes the measurement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinerja import document_store as docs
from kinerja.models import Dokumen
from silabu import policy

from ..models import TahapPengukuran
from .base import detail_url, get_pengukuran
from .detail import MEASURED

FORMATS = {
    "pengukuran_disposisi": ("pdf",),
    "pengukuran_form": ("xlsx", "pdf"),
    "pengukuran_kertas_kerja": ("xlsx", "pdf"),
    "pengukuran_laporan": ("pdf",),
}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Tidak ditemukan.") from None


@login_required
@require_POST
def minta(request, pk: int):
    pengukuran = get_pengukuran(request, pk)
    jenis, fmt = request.POST.get("jenis", ""), request.POST.get("fmt", "")
    if fmt not in FORMATS.get(jenis, ()):
        raise Http404("Tidak ditemukan.")
    back = detail_url(pengukuran, "dokumen")
    params: dict = {"pengukuran_id": pengukuran.pk}
    if jenis == "pengukuran_form":
        subbagian_id = _int(request.POST.get("subbagian"))
        if not pengukuran.form_set.filter(subbagian_id=subbagian_id).exists():
            raise Http404("Tidak ditemukan.")
        params["subbagian_id"] = subbagian_id
    elif jenis in ("pengukuran_kertas_kerja", "pengukuran_laporan"):
        versi = _int(request.POST.get("versi", pengukuran.versi))
        if not 1 <= versi <= pengukuran.versi:
            raise Http404("Tidak ditemukan.")
        if versi == pengukuran.versi and pengukuran.tahap not in MEASURED:
            messages.error(
                request,
                "Kertas kerja dan laporan tersedia setelah capaian diukur (langkah 5)."
                if pengukuran.tahap != TahapPengukuran.PENGUKURAN or versi == 1
                else f"Versi {versi} belum diukur ulang; dokumen versi sebelumnya ada di riwayat versi.",
            )
            return redirect(back)
        params["versi"] = versi
    params["fmt"] = fmt
    if not policy.can_view_dokumen(
        request.user, Dokumen(satker=pengukuran.satker, jenis=jenis, params=params)
    ):
        raise Http404("Tidak ditemukan.")
    if jenis not in docs.GENERATORS:
        messages.error(request, "Dokumen ini belum dapat dibuat. Hubungi admin.")
        return redirect(back)
    dokumen = docs.dokumen_request(satker=pengukuran.satker, jenis=jenis, params=params, by=request.pegawai)
    return redirect(reverse("kinerja:dokumen", args=[dokumen.pk]))
