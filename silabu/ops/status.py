"""What the Admin's status page and /healthz (for staff) say about the background work: workers, queue, renders."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kinerja.models import Dokumen, Satker, StatusDokumen


@dataclass(frozen=True)
class Queue:
    waiting: int
    oldest: datetime.datetime | None

    def oldest_age(self, now: datetime.datetime) -> datetime.timedelta | None:
        return now - self.oldest if self.oldest else None


def queue() -> Queue:
    """Tasks ready to run that no worker has taken yet (one query)."""
    agg = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"), waiting=Count("pk"))
    return Queue(agg["waiting"], agg["oldest"])


def stuck_renders(satker: Satker | None = None, now: datetime.datetime | None = None) -> QuerySet[Dokumen]:
    """Documents "Sedang dibuat" for longer than DOKUMEN_STUCK_MINUTES (their worker died or hangs), and those
    still waiting that long (no worker takes them). Re-queueing them is the watchdog's job (issue 13)."""
    limit = (now or timezone.now()) - datetime.timedelta(minutes=settings.DOKUMEN_STUCK_MINUTES)
    qs = Dokumen.objects.filter(
        Q(status=StatusDokumen.DIBUAT, mulai_pada__lt=limit)
        | Q(status=StatusDokumen.MENUNGGU, diminta_pada__lt=limit)
    )
    if satker is not None:
        qs = qs.filter(satker=satker)
    return qs.select_related("satker").order_by("diminta_pada", "pk")
