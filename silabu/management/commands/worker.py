"""manage.py worker: django-tasks-db's db_worker (the same options) that also writes a heartbeat.

The Admin's status page (/ops/) and /healthz (for staff) show when each worker was last seen and which task it is
running since when; a worker that died or hangs is visible there instead of only in stuck documents.
"""

import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from silabu.ops.heartbeat import Beat, Pulse


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
        try:
            worker.run()
        finally:
            pulse.stop()
            worker.beat.stop()
