"""The stage of one satker's month (Periode): OPEN → VERIFICATION → COMPILED → PLENO → FINAL."""

from django.db import models

from silabu.lib.periods import month_label

from .satker import Satker


class TahapPeriode(models.TextChoices):
    OPEN = "OPEN", "Terbuka"
    VERIFICATION = "VERIFICATION", "Verifikasi"
    COMPILED = "COMPILED", "Dihimpun"
    PLENO = "PLENO", "Rapat pleno"
    FINAL = "FINAL", "Final"


# The month has been compiled: nothing in it changes any more (entries, calendar, verification); corrections go
# through the plenary notes (DESIGN §5).
LOCKED_STAGES = (TahapPeriode.COMPILED, TahapPeriode.PLENO, TahapPeriode.FINAL)


class Periode(models.Model):
    """The stage of one satker's month. A month without a row is OPEN."""

    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="periode_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    bulan = models.PositiveSmallIntegerField("bulan")
    tahap = models.CharField("tahap", max_length=15, choices=TahapPeriode, default=TahapPeriode.OPEN)
    diubah = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "periode"
        verbose_name_plural = "periode"
        ordering = ["-tahun", "-bulan"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "tahun", "bulan"], name="periode_unik"),
            models.CheckConstraint(
                condition=models.Q(bulan__gte=1, bulan__lte=12), name="periode_bulan_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.satker} {month_label(self.tahun, self.bulan, self.get_tahap_display())}"

    @property
    def is_open(self) -> bool:
        return self.tahap == TahapPeriode.OPEN
