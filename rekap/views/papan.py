"""The monitoring board (issue 4 §1) for Rendatin, the Sekretaris and Pimpinan: the year month by month, one
month subbagian by subbagian, and each SOP step's time against its mutu baku. Figures come from rekap.board;
late steps of the performance measurement (the Bontang SOP) are flagged here too.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import board
from ..pengukuran import durasi as pengukuran
from .bulan import rekap_viewer


def _int(value, default: int | None, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


@rekap_viewer
@require_GET
def papan(request):
    satker = request.pegawai.satker
    today = satker.today()
    year = _int(request.GET.get("tahun"), today.year, 2000, 2100)
    month = _int(request.GET.get("bulan"), None, 1, 12)
    data = board.build(satker, year, today=today, drill=month)
    context = {
        "title": f"Pemantauan laporan bulanan {year}",
        "board": data,
        "year": year,
        "years": [today.year - 2, today.year - 1, today.year],
        "late_months": [r for r in data.months if r.late_steps or r.deadline.late],
        # the second SOP's open measurements whose current step is past its mutu baku
        "pengukuran_terlambat": pengukuran.terlambat(satker),
    }
    return render(request, "rekap/papan.html", context)
