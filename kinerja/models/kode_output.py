"""Output/activity codes (KodeOutput) that daily entries carry, imported by Rendatin."""

from django.db import models

from .satker import Pegawai, Satker, Subbagian


class LevelKode(models.TextChoices):
    PROGRAM = "program", "Program"
    KEGIATAN = "kegiatan", "Kegiatan"
    KRO = "kro", "KRO"
    RO = "ro", "RO"
    KOMPONEN = "komponen", "Komponen"


class KodeOutputQuerySet(models.QuerySet):
    def for_satker(self, satker: Satker, tahun: int):
        return self.filter(models.Q(satker=satker) | models.Q(satker__isnull=True), tahun=tahun)

    def active(self):
        return self.filter(aktif=True)

    def usable_by(self, pegawai: Pegawai, tahun: int):
        """The codes an entry may carry: active, of the year, shared or the satker's, open to the subbagian."""
        return (
            self.for_satker(pegawai.satker, tahun)
            .active()
            .filter(models.Q(subbagian__isnull=True) | models.Q(subbagian_id=pegawai.subbagian_id))
        )

    def search(self, q: str):
        q = q.strip()
        if not q:
            return self
        return self.filter(models.Q(kode__icontains=q) | models.Q(uraian__icontains=q))


class KodeOutput(models.Model):
    satker = models.ForeignKey(
        Satker,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Kosong = berlaku untuk semua satker.",
    )
    tahun = models.PositiveSmallIntegerField("tahun anggaran")
    kode = models.CharField("kode", max_length=60)
    uraian = models.CharField("uraian", max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField("level", max_length=10, choices=LevelKode)
    aktif = models.BooleanField("aktif", default=True)
    subbagian = models.ForeignKey(
        Subbagian,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Bila diisi, hanya pegawai subbagian ini yang dapat memakainya.",
    )

    objects = KodeOutputQuerySet.as_manager()

    class Meta:
        verbose_name = "kode output"
        verbose_name_plural = "kode output"
        ordering = ["tahun", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "tahun", "kode"], name="kode_output_unik"),
            models.UniqueConstraint(
                fields=["tahun", "kode"],
                condition=models.Q(satker__isnull=True),
                name="kode_output_bersama_unik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} — {self.uraian}"
