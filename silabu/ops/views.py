"""The Admin's status page: is the background worker alive, is the queue moving, which renders are stuck."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kinerja.errors import AksesDitolak

from . import heartbeat, status
from .policy import can_view_ops, sees_every_satker

STUCK_SHOWN = 100


def lama(delta: datetime.timedelta | None) -> str:
    """A duration in Indonesian words, to the minute: "2 jam 5 menit", "40 detik"."""
    if delta is None:
        return "—"
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} detik"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = (
        [f"{days} hari"] * bool(days) + [f"{hours} jam"] * bool(hours) + [f"{minutes} menit"] * bool(minutes)
    )
    return " ".join(parts[:2])


@login_required
@require_GET
def status_page(request):
    if not can_view_ops(request.user):
        raise AksesDitolak("Halaman ini untuk Admin.")
    now = timezone.now()
    satker = None if sees_every_satker(request.user) else request.pegawai.satker
    stuck = status.stuck_renders(satker, now)
    queue = status.queue()
    workers = heartbeat.worker_states(now)
    context = {
        "title": "Status layanan",
        "workers": [
            {"w": w, "lama_kabar": lama(w.age), "lama_tugas": lama(w.busy_for) if w.busy_for else ""}
            for w in workers
        ],
        "any_alive": any(w.state == "aktif" for w in workers),
        "queue": queue,
        "queue_oldest": lama(queue.oldest_age(now)) if queue.oldest else "",
        "stuck": [
            {"d": d, "lama": lama(now - (d.mulai_pada or d.diminta_pada))} for d in stuck[:STUCK_SHOWN]
        ],
        "stuck_total": stuck.count(),
        "stuck_minutes": settings.DOKUMEN_STUCK_MINUTES,
        "heartbeat_seconds": settings.WORKER_HEARTBEAT_SECONDS,
        "satker": satker,
    }
    return render(request, "silabu/status.html", context)
