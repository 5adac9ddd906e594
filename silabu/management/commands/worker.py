"""manage.py worker: django-tasks-db's db_worker (the same options) that also writes a heartbeat.

The Admin's status page (/ops/) and /healthz (for staff) show when each worker was last seen and which task it is
running since when; a worker that died or hangs is visible there instead of only in stuck documents. Each worker
also runs the document watchdog (kinerja.document_store.dokumen_watchdog) when it starts and every minute: a render
whose worker stopped beating (this one before a restart, or another) is failed and asked again.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from kinerja import document_store as docs
from silabu.ops.heartbeat import Beat, Pulse

logger = logging.getLogger(__name__)
WATCHDOG_SECONDS = 60


class Watchdog(threading.Thread):
    """Runs the document watchdog now and every `interval` seconds until stopped (its own database connection)."""

    def __init__(self, interval: float):
        super().__init__(name="silabu-dokumen-watchdog", daemon=True)
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while True:
                try:
                    docs.dokumen_watchdog()
                except Exception:  # the next round may get through; the worker goes on
                    logger.exception("Document watchdog failed")
                if self._stop_event.wait(self.interval):
                    return
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


class HeartbeatWorker(Worker):
    def __init__(self, *, beat: Beat, **kwargs):
        super().__init__(**kwargs)
        self.beat = beat

    def run_task(self, db_task_result) -> None:
        self.beat.task_started(f"{db_task_result.task_path} #{db_task_result.pk}")
        try:
            super().run_task(db_task_result)
        finally:
            self.beat.task_finished()


class Command(DbWorkerCommand):
    help = (
        "Run the background task worker (django-tasks-db's db_worker) with a heartbeat for the status page."
    )

    def handle(self, **options):
        self.configure_logging(options["verbosity"])
        exclude = options["exclude_queues"]
        worker = HeartbeatWorker(
            beat=Beat(kind="worker", process_id=options["worker_id"]),
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=exclude.split(",") if exclude else [],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(self._run, worker)
        else:
            worker.configure_signals()
            self._run(worker)

    def _run(self, worker: HeartbeatWorker) -> None:
        worker.beat.start()
        pulse = Pulse(worker.beat, settings.WORKER_HEARTBEAT_SECONDS)
        pulse.start()
        watchdog = Watchdog(WATCHDOG_SECONDS)
        watchdog.start()
        try:
            worker.run()
        finally:
            watchdog.stop()
            pulse.stop()
            worker.beat.stop()
