"""SOP step 6 in the browser: the FINAL months of a quarter, semester or year, summed as the basis of the
Laporan Kinerja, with buttons that ask for its XLSX and PDF (made in the background by rekap.documents)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.errors import AksesDitolak

from .. import aggregate, policy

YEARS = (2000, 2100)


def requested_period(request, default_year: int) -> tuple[int, str]:
    """?tahun=&periode= (T1–T4, S1, S2, TAHUN); anything else falls back to the whole current year."""
    try:
        year = int(request.GET.get("tahun", default_year))
    except ValueError:
        year = default_year
    if not YEARS[0] <= year <= YEARS[1]:
        year = default_year
    periode = request.GET.get("periode", "TAHUN")
    if periode not in aggregate.PERIODE_BULAN:
        periode = "TAHUN"
    return year, periode


@login_required
@require_GET
def laporan_kinerja(request):
    if not policy.can_view_rekap(request.user):
        raise AksesDitolak("Data Laporan Kinerja hanya untuk Rendatin, Sekretaris, dan Pimpinan.")
    satker = request.pegawai.satker
    year, periode = requested_period(request, satker.today().year)
    report = aggregate.laporan_kinerja(satker, year, periode)
    context = {
        "title": f"Data Laporan Kinerja {report.periode_label}",
        "r": report,
        "year": year,
        "periode": periode,
        "periode_choices": aggregate.PERIODE_CHOICES,
        "formats": ("xlsx", "pdf"),
    }
    return render(request, "rekap/laporan_kinerja.html", context)
