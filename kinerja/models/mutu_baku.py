"""The SOPs' standard times (*mutu baku*) as data: for every step of each SOP, what it is, who does it, what it
produces and how long it may take, in minutes or in working days.

Two SOPs: the Kudus one, the monthly chain every satker runs (daily entries, the Kasubag's verification, the
compilation, the plenary), and the Bontang one, the performance measurement (ten steps). A row without a satker is
the default every satker follows; a satker's own row for a step replaces it for that satker only.

    MutuBaku.objects.standard(satker, SOP.KUDUS, 4)    # the standard time of step 4 for this satker
    MutuBaku.objects.for_satker(satker, SOP.BONTANG)   # {step: MutuBaku} of the whole SOP, in one query

One exception keeps one source: the Kudus SOP's step 3, the month-end verification, is the satker's own
verification window (Satker.verifikasi_tenggat_hari, which also sets the deadline the verifiers work to in
kinerja.services.verification_window). for_satker() and standard() report that setting for step 3, and a satker
cannot have a row of its own for it (a database constraint).
"""

from django.db import models
from django.db.models import Q

from .satker import Satker


class SOP(models.TextChoices):
    KUDUS = "kudus", "Pengumpulan data kinerja bulanan (SOP Kudus)"
    BONTANG = "bontang", "Pengukuran kinerja (SOP Bontang)"


class SatuanWaktu(models.TextChoices):
    MENIT = "menit", "menit"
    HARI_KERJA = "hari kerja", "hari kerja"


# The step whose standard is the satker's verification window (Satker.verifikasi_tenggat_hari).
VERIFICATION_STEP = (SOP.KUDUS, 3)


class MutuBakuQuerySet(models.QuerySet):
    def for_satker(self, satker: Satker, sop: str) -> dict[int, "MutuBaku"]:
        """Every step of `sop` as it holds for `satker` (its own standard where it has one, else the default),
        by step number in order, in one query. The rows are for reading: step 3 of the Kudus SOP carries the
        satker's verification window."""
        steps: dict[int, MutuBaku] = {}
        for row in self.filter(Q(satker=satker) | Q(satker__isnull=True), sop=sop).order_by("langkah"):
            if row.satker_id is not None or row.langkah not in steps:
                steps[row.langkah] = row
        if sop == VERIFICATION_STEP[0] and VERIFICATION_STEP[1] in steps:
            step = steps[VERIFICATION_STEP[1]]
            step.waktu = satker.verifikasi_tenggat_hari or step.waktu
        return steps

    def standard(self, satker: Satker, sop: str, langkah: int) -> "MutuBaku | None":
        """The standard of one step of `sop` for `satker` (None for a step the SOP does not have)."""
        return self.filter(langkah=langkah).for_satker(satker, sop).get(langkah)


class MutuBaku(models.Model):
    satker = models.ForeignKey(
        Satker,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mutu_baku",
        help_text="Kosong: berlaku untuk setiap satker yang tidak mengaturnya sendiri.",
    )
    sop = models.CharField("SOP", max_length=20, choices=SOP)
    langkah = models.PositiveSmallIntegerField("langkah")
    kegiatan = models.CharField("kegiatan", max_length=200)
    pelaksana = models.CharField("pelaksana", max_length=100, blank=True)
    waktu = models.PositiveIntegerField("waktu", null=True, blank=True, help_text="Kosong: tanpa batas.")
    satuan = models.CharField("satuan waktu", max_length=12, choices=SatuanWaktu, default=SatuanWaktu.MENIT)
    output = models.CharField("output", max_length=200, blank=True)

    objects = MutuBakuQuerySet.as_manager()

    class Meta:
        verbose_name = "mutu baku"
        verbose_name_plural = "mutu baku"
        ordering = ["sop", "langkah", "satker"]
        constraints = [
            models.UniqueConstraint(
                fields=["sop", "langkah"], condition=Q(satker__isnull=True), name="mutu_baku_bawaan_unik"
            ),
            models.UniqueConstraint(
                fields=["satker", "sop", "langkah"],
                condition=Q(satker__isnull=False),
                name="mutu_baku_satker_unik",
            ),
            # Step 3 of the Kudus SOP is the satker's verification window (Satker.verifikasi_tenggat_hari).
            models.CheckConstraint(
                condition=~Q(sop=VERIFICATION_STEP[0], langkah=VERIFICATION_STEP[1], satker__isnull=False),
                name="mutu_baku_verifikasi_dari_satker",
                violation_error_message=(
                    "Langkah 3 SOP Kudus mengikuti tenggat verifikasi satker; ubah di pengaturan satker."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.satker})" if self.satker_id else ""
        return f"{self.get_sop_display()} langkah {self.langkah}. {self.kegiatan}{where}"

    @property
    def menit(self) -> int | None:
        """The standard in minutes, for a step timed in minutes."""
        return self.waktu if self.satuan == SatuanWaktu.MENIT else None

    @property
    def hari_kerja(self) -> int | None:
        """The standard in working days, for a step timed in days."""
        return self.waktu if self.satuan == SatuanWaktu.HARI_KERJA else None

    @property
    def label(self) -> str:
        """As the SOP writes it: "120 menit", "3 hari kerja"; "—" for a step without a limit."""
        return f"{self.waktu} {self.satuan}" if self.waktu else "—"

    def exceeded_by(self, *, menit: int, hari_kerja: int) -> bool:
        """Whether a step that took `menit` minutes (`hari_kerja` working days) ran past this standard."""
        if not self.waktu:
            return False
        return (hari_kerja if self.satuan == SatuanWaktu.HARI_KERJA else menit) > self.waktu
