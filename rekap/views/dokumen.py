"""Asking for one of Rendatin's documents: the compiled month, the plenary booklet, the plenary results, the
Laporan Kinerja data. The request (POST) puts it in the background queue (kinerja.document_store) and leads to the
document's page, which waits for it; asking never changes the state of a month.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinerja import document_store as docs
from kinerja.models import Periode, TahapPeriode
from silabu.lib.dates import format_bulan

from .. import policy
from ..models import RapatPleno, RekapBulanan

JENIS_LABELS = {
    "rekap_bulanan": "Softfile data kinerja ASN hasil verifikasi (dihimpun)",
    "bahan_pleno": "Bahan rapat pleno laporan bulanan",
    "hasil_pleno": "Softfile data kinerja ASN hasil rapat pleno",
    "laporan_kinerja": "Data Laporan Kinerja",
}
FORMATS = {
    "rekap_bulanan": ("pdf", "xlsx"),
    "bahan_pleno": ("pdf",),
    "hasil_pleno": ("pdf", "xlsx"),
    "laporan_kinerja": ("pdf", "xlsx"),
}
PERIODE_MONTHS = {
    "T1": range(1, 4),
    "T2": range(4, 7),
    "T3": range(7, 10),
    "T4": range(10, 13),
    "S1": range(1, 7),
    "S2": range(7, 13),
    "TAHUN": range(1, 13),
}
PERIODE_LABELS = {
    "T1": "Triwulan I",
    "T2": "Triwulan II",
    "T3": "Triwulan III",
    "T4": "Triwulan IV",
    "S1": "Semester I",
    "S2": "Semester II",
    "TAHUN": "Tahun",
}


def periode_label(params: dict) -> str:
    """The period a document covers, as people say it: "Oktober 2026", "Triwulan III 2026"."""
    try:
        if params.get("bulan"):
            return format_bulan(int(params["tahun"]), int(params["bulan"]))
        if params.get("periode") in PERIODE_LABELS:
            return f"{PERIODE_LABELS[params['periode']]} {params['tahun']}"
    except (KeyError, TypeError, ValueError, IndexError):
        pass
    return str(params.get("tahun", ""))


def _int(value, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("Tidak ditemukan.") from None
    if not low <= number <= high:
        raise Http404("Tidak ditemukan.")
    return number


@login_required
@require_POST
def minta(request):
    if not policy.can_view_rekap(request.user):
        raise Http404("Tidak ditemukan.")
    satker = request.pegawai.satker
    jenis = request.POST.get("jenis", "")
    fmt = request.POST.get("fmt", "")
    if jenis not in FORMATS or fmt not in FORMATS[jenis]:
        raise Http404("Tidak ditemukan.")
    tahun = _int(request.POST.get("tahun"), 2000, 2100)
    if jenis == "laporan_kinerja":
        periode = request.POST.get("periode", "")
        if periode not in PERIODE_MONTHS:
            raise Http404("Tidak ditemukan.")
        params = {"tahun": tahun, "periode": periode, "fmt": fmt}
        back = f"{reverse('rekap:laporan_kinerja')}?tahun={tahun}&periode={periode}"
        final = Periode.objects.filter(
            satker=satker, tahun=tahun, bulan__in=list(PERIODE_MONTHS[periode]), tahap=TahapPeriode.FINAL
        )
        if not final.exists():
            messages.error(
                request,
                f"Belum ada bulan berstatus final pada {periode_label(params)}; "
                "data Laporan Kinerja disusun dari hasil rapat pleno yang sudah difinalisasi.",
            )
            return redirect(back)
    else:
        bulan = _int(request.POST.get("bulan"), 1, 12)
        params = {"tahun": tahun, "bulan": bulan, "fmt": fmt}
        back = reverse("rekap:bulan", args=[tahun, bulan])
        rekap = RekapBulanan.objects.filter(satker=satker, tahun=tahun, bulan=bulan).only("pk").first()
        if rekap is None:
            messages.error(
                request, f"{format_bulan(tahun, bulan)} belum dihimpun; dokumennya belum dapat dibuat."
            )
            return redirect(back)
        if jenis == "hasil_pleno" and not RapatPleno.objects.filter(rekap=rekap).exists():
            messages.error(request, "Hasil rapat pleno baru dapat dibuat setelah rapat pleno dicatat.")
            return redirect(back)
    if jenis not in docs.GENERATORS:
        messages.error(request, "Dokumen ini belum dapat dibuat. Hubungi admin.")
        return redirect(back)
    dokumen = docs.dokumen_request(satker=satker, jenis=jenis, params=params, by=request.pegawai)
    return redirect(reverse("kinerja:dokumen", args=[dokumen.pk]))
