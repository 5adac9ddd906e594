"""In-app notices for one person (reminders and decisions)."""

from django.db import models
from django.utils import timezone

from .satker import Pegawai, Satker


class JenisPemberitahuan(models.TextChoices):
    HARI_KOSONG = "hari_kosong", "Hari kerja belum terisi"
    TENGGAT_VERIFIKASI = "tenggat_verifikasi", "Tenggat verifikasi"
    ENTRI_DIKEMBALIKAN = "entri_dikembalikan", "Entri dikembalikan"
    LAINNYA = "lainnya", "Lainnya"


class PemberitahuanQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(dibaca_pada__isnull=True)


class Pemberitahuan(models.Model):
    """An in-app notice for one person (reminders and the like), sent through `kinerja.notices`.

    `kunci` names what the notice is about (e.g. "hari_kosong:2026-11-20"), so a job run twice sends it once.
    """

    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="pemberitahuan_set")
    jenis = models.CharField("jenis", max_length=20, choices=JenisPemberitahuan)
    pesan = models.TextField("pesan")
    tautan = models.CharField("tautan", max_length=300, blank=True)
    kunci = models.CharField("kunci", max_length=120)
    dibuat = models.DateTimeField("dibuat", default=timezone.now)
    dibaca_pada = models.DateTimeField("dibaca pada", null=True, blank=True)

    objects = PemberitahuanQuerySet.as_manager()

    class Meta:
        verbose_name = "pemberitahuan"
        verbose_name_plural = "pemberitahuan"
        ordering = ["-dibuat", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "kunci"], name="pemberitahuan_kunci_unik"),
        ]
        indexes = [models.Index(fields=["pegawai", "dibaca_pada"])]

    def __str__(self) -> str:
        return f"{self.pegawai}: {self.get_jenis_display()} ({self.dibuat:%Y-%m-%d})"

    @property
    def is_read(self) -> bool:
        return self.dibaca_pada is not None
