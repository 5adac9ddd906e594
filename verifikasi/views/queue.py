"""The verifier's queue (SOP step 3): everyone they verify for a month, with what is left to do."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja import services as core
from kinerja.errors import AksesDitolak
from kinerja.kalender import MonthSummary, month_summaries
from kinerja.models import EntriKinerja, Pegawai, TahapPeriode
from kinerja.organisasi import supervisees
from silabu.lib.dates import format_bulan, nama_bulan, shift_month
from silabu.policy import allows

from .. import policy
from ..models import LaporanBulanan
from ..services import deadline_for


@dataclass
class Row:
    pegawai: Pegawai
    summary: MonthSummary
    counts: dict
    laporan: LaporanBulanan | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def verified(self) -> bool:
        return self.laporan is not None and self.laporan.is_verified

    @property
    def ready(self) -> bool:
        """Every entry decided and approved: the month can be verified."""
        return not self.verified and allows(policy.check_entries_decided, self.counts)


def requested_month(request, today: datetime.date) -> tuple[int, int]:
    """?tahun=&bulan= or, by default, last month: the one under verification for most of the year."""
    default = shift_month(today.year, today.month, -1)
    try:
        year, month = int(request.GET.get("tahun", default[0])), int(request.GET.get("bulan", default[1]))
        datetime.date(year, month, 1)
    except ValueError:
        return default
    return year, month


@login_required
@require_GET
def antrean(request):
    me = request.pegawai
    if not policy.can_use_verification_queue(request.user):
        raise AksesDitolak("Antrean verifikasi hanya untuk Kepala Subbagian, Sekretaris, atau Plt/Plh.")
    satker = me.satker
    today = satker.today()
    year, month = requested_month(request, today)
    people = list(supervisees(me, today).order_by("subbagian__urutan", "nama"))
    ids = [p.pk for p in people]
    counts = EntriKinerja.objects.filter(pegawai_id__in=ids).in_month(year, month).status_counts("pegawai_id")
    laporan = {
        lap.pegawai_id: lap
        for lap in LaporanBulanan.objects.filter(pegawai_id__in=ids, tahun=year, bulan=month).select_related(
            "verifikator"
        )
    }
    summaries = month_summaries(people, year, month, today=today)
    rows = [Row(p, summaries[p.pk], counts[p.pk], laporan.get(p.pk)) for p in people]
    tahap = core.periode_tahap(satker, year, month, today=today)
    context = {
        "title": f"Verifikasi {format_bulan(year, month)}",
        "rows": rows,
        "year": year,
        "month": month,
        "month_label": format_bulan(year, month),
        "tahap": tahap,
        "tahap_label": TahapPeriode(tahap).label,
        "deadline": deadline_for(satker, year, month, today),
        "verified_count": sum(1 for r in rows if r.verified),
        "subbagians": list({p.subbagian_id: p.subbagian for p in people if p.subbagian_id}.values()),
        "month_choices": [(m, nama_bulan(m)) for m in range(1, 13)],
        "prev": shift_month(year, month, -1),
        "next": shift_month(year, month, 1),
    }
    return render(request, "verifikasi/antrean.html", context)
