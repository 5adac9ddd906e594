"""'Bulan saya': the person's month as a calendar of working days, with completeness."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from silabu import policy
from silabu.lib.dates import format_bulan, month_bounds, shift_month
from silabu.lib.periods import month_label

from .. import services
from ..errors import AksesDitolak
from ..kalender import month_summary
from ..models import EntriKinerja, TahapPeriode


@login_required
@require_GET
def bulan_saya(request, year: int | None = None, month: int | None = None):
    pegawai = request.pegawai
    if not policy.can_create_entri(request.user):
        raise AksesDitolak("Halaman ini untuk ASN yang mengisi kinerja harian.")
    today = pegawai.satker.today()
    year, month = year or today.year, month or today.month
    try:
        month_bounds(year, month)
    except ValueError:
        raise Http404("Bulan tidak dikenal.") from None
    summary = month_summary(pegawai, year, month, today=today)
    returned = list(
        EntriKinerja.objects.for_month(pegawai, year, month)
        .returned()
        .select_related("kode_output")
        .order_by("tanggal")
    )
    tahap = services.periode_tahap(pegawai.satker, year, month)
    prev_year, prev_month = shift_month(year, month, -1)
    next_year, next_month = shift_month(year, month, 1)
    context = {
        "summary": summary,
        "returned": returned,
        "tahap": tahap,
        "tahap_label": TahapPeriode(tahap).label,
        "is_open": tahap == TahapPeriode.OPEN,
        "weekday_names": ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"],
        "today": today,
        "title": f"Bulan saya — {format_bulan(year, month)}",
        "month_label": month_label(
            year, month, None if tahap == TahapPeriode.OPEN else TahapPeriode(tahap).label
        ),
        "prev": (prev_year, prev_month),
        "next": (next_year, next_month) if datetime.date(next_year, next_month, 1) <= today else None,
    }
    return render(request, "kinerja/bulan_saya.html", context)
