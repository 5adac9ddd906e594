"""The month as the unit the Kasubag verifies (SOP step 3): one LaporanBulanan per person per month.

Per-entry decisions live on the entries themselves (EntriKinerja.status and catatan_verifikasi in the core),
changed only through kinerja.services.entri_set_decision(s); this app records who verified the month, when and as
what (holder or Plt/Plh).
"""

from django.db import models

from kinerja.models import Pegawai, Satker
from silabu.lib.periods import month_label


class StatusLaporan(models.TextChoices):
    BELUM = "belum", "Belum diverifikasi"
    TERVERIFIKASI = "terverifikasi", "Terverifikasi"


class LaporanBulananQuerySet(models.QuerySet):
    def for_month(self, year: int, month: int):
        return self.filter(tahun=year, bulan=month)

    def verified(self):
        return self.filter(status=StatusLaporan.TERVERIFIKASI)


class LaporanBulanan(models.Model):
    satker = models.ForeignKey(Satker, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="laporan_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    bulan = models.PositiveSmallIntegerField("bulan")
    status = models.CharField("status", max_length=15, choices=StatusLaporan, default=StatusLaporan.BELUM)
    verifikator = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.PROTECT, related_name="laporan_diverifikasi"
    )
    verifikator_jabatan = models.CharField(
        "jabatan verifikator",
        max_length=200,
        blank=True,
        help_text="Seperti ditandatangani, mis. Plt. Kepala …",
    )
    verifikator_acting = models.CharField("Plt/Plh", max_length=3, blank=True)
    diverifikasi_pada = models.DateTimeField("diverifikasi pada", null=True, blank=True)
    catatan = models.TextField("catatan verifikator", blank=True)

    objects = LaporanBulananQuerySet.as_manager()

    class Meta:
        verbose_name = "laporan bulanan"
        verbose_name_plural = "laporan bulanan"
        ordering = ["-tahun", "-bulan", "pegawai__nama"]
        constraints = [
            models.UniqueConstraint(fields=["pegawai", "tahun", "bulan"], name="laporan_unik"),
            models.CheckConstraint(
                condition=models.Q(bulan__gte=1, bulan__lte=12), name="laporan_bulan_valid"
            ),
        ]
        indexes = [models.Index(fields=["satker", "tahun", "bulan", "status"])]

    def __str__(self) -> str:
        return f"{self.pegawai} {month_label(self.tahun, self.bulan)}"

    @property
    def is_verified(self) -> bool:
        return self.status == StatusLaporan.TERVERIFIKASI
