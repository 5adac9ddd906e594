"""The background worker's heartbeat: a row per process (silabu.models.Heartbeat) that says it is alive, and
which task it is running since when. A thread of the worker writes it every WORKER_HEARTBEAT_SECONDS, so a worker
busy with a long render is still seen; the task it has been running for an hour is seen too."""

import datetime
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from silabu.models import Heartbeat

logger = logging.getLogger(__name__)

# rows of processes that stopped (or vanished) longer ago than this are pruned when a worker starts
KEEP = datetime.timedelta(days=7)


class Beat:
    """What one process writes about itself."""

    def __init__(self, *, kind: str, process_id: str):
        self.name = f"{kind}@{socket.gethostname()}:{os.getpid()}:{process_id[:12]}"[:100]
        self.kind = kind
        self.pk: int | None = None

    def start(self) -> None:
        now = timezone.now()
        Heartbeat.objects.filter(last_seen__lt=now - KEEP).delete()
        row, _ = Heartbeat.objects.update_or_create(
            name=self.name,
            defaults={
                "kind": self.kind,
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
                "stopped_at": None,
                "tasks_done": 0,
                "current_task": "",
                "current_since": None,
            },
        )
        self.pk = row.pk

    def _update(self, **fields) -> None:
        try:
            Heartbeat.objects.filter(pk=self.pk).update(last_seen=timezone.now(), **fields)
        except DatabaseError:
            # a heartbeat that cannot be written must not stop the worker; the status page will show it late
            logger.warning("heartbeat %s could not be written", self.name, exc_info=True)

    def touch(self) -> None:
        self._update()

    def task_started(self, label: str) -> None:
        self._update(current_task=label[:200], current_since=timezone.now())

    def task_finished(self) -> None:
        from django.db.models import F

        self._update(current_task="", current_since=None, tasks_done=F("tasks_done") + 1)

    def stop(self) -> None:
        self._update(stopped_at=timezone.now(), current_task="", current_since=None)


class Pulse(threading.Thread):
    """Touches the heartbeat every `interval` seconds until stopped (its own database connection)."""

    def __init__(self, beat: Beat, interval: float):
        super().__init__(name="silabu-heartbeat", daemon=True)
        self.beat = beat
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.interval):
                self.beat.touch()
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


@dataclass(frozen=True)
class WorkerState:
    row: Heartbeat
    state: str  # "aktif", "terlambat", "berhenti"
    age: datetime.timedelta
    busy_for: datetime.timedelta | None

    @property
    def label(self) -> str:
        return {"aktif": "Aktif", "terlambat": "Tidak ada kabar", "berhenti": "Berhenti"}[self.state]


def late_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)


def worker_states(now: datetime.datetime | None = None) -> list[WorkerState]:
    """Every worker seen in the last week, newest first, with what its heartbeat says."""
    now = now or timezone.now()
    states = []
    for row in Heartbeat.objects.filter(kind="worker", last_seen__gte=now - KEEP):
        age = now - row.last_seen
        if row.stopped_at is not None:
            state = "berhenti"
        elif age > late_after():
            state = "terlambat"
        else:
            state = "aktif"
        busy = now - row.current_since if row.current_since and state != "berhenti" else None
        states.append(WorkerState(row, state, age, busy))
    return states
