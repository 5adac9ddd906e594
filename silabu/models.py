"""The service's own records (issue 14); SILABU's domain models live in kinerja and the later apps."""

from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of one background process (manage.py worker): one row per process, written every
    WORKER_HEARTBEAT_SECONDS and when it starts or finishes a task. The Admin's status page and /healthz read it."""

    name = models.CharField("proses", max_length=100, unique=True)
    kind = models.CharField("jenis", max_length=20, default="worker")
    host = models.CharField("host", max_length=255)
    pid = models.PositiveIntegerField("PID")
    started_at = models.DateTimeField("mulai")
    last_seen = models.DateTimeField("terakhir terlihat", db_index=True)
    stopped_at = models.DateTimeField("berhenti", null=True, blank=True)
    tasks_done = models.PositiveIntegerField("tugas selesai", default=0)
    current_task = models.CharField("tugas berjalan", max_length=200, blank=True)
    current_since = models.DateTimeField("tugas berjalan sejak", null=True, blank=True)

    class Meta:
        verbose_name = "detak proses latar"
        verbose_name_plural = "detak proses latar"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.name
