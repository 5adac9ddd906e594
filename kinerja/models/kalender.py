"""The working calendar: a satker's holidays and each person's leave."""

from django.core.exceptions import ValidationError
from django.db import models

from .satker import Pegawai, Satker


class JenisLibur(models.TextChoices):
    NASIONAL = "nasional", "Libur nasional"
    CUTI_BERSAMA = "cuti_bersama", "Cuti bersama"
    LOKAL = "lokal", "Libur lokal"


class HariLibur(models.Model):
    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="hari_libur_set")
    tanggal = models.DateField("tanggal")
    nama = models.CharField("keterangan", max_length=150)
    jenis = models.CharField("jenis", max_length=15, choices=JenisLibur, default=JenisLibur.NASIONAL)

    class Meta:
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"
        ordering = ["tanggal"]
        constraints = [models.UniqueConstraint(fields=["satker", "tanggal"], name="hari_libur_unik")]

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y} {self.nama}"


class JenisKetidakhadiran(models.TextChoices):
    CUTI_TAHUNAN = "cuti_tahunan", "Cuti tahunan"
    CUTI_SAKIT = "cuti_sakit", "Cuti sakit"
    CUTI_BESAR = "cuti_besar", "Cuti besar"
    CUTI_MELAHIRKAN = "cuti_melahirkan", "Cuti melahirkan"
    CUTI_ALASAN_PENTING = "cuti_alasan_penting", "Cuti karena alasan penting"
    SAKIT = "sakit", "Sakit"
    IZIN = "izin", "Izin"


class Ketidakhadiran(models.Model):
    """A person's leave: working days on which no entry is expected. Dinas luar is a working day, not leave."""

    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="ketidakhadiran_set")
    jenis = models.CharField("jenis", max_length=25, choices=JenisKetidakhadiran)
    mulai = models.DateField("mulai")
    selesai = models.DateField("selesai")
    keterangan = models.CharField("keterangan", max_length=255, blank=True)

    class Meta:
        verbose_name = "ketidakhadiran"
        verbose_name_plural = "ketidakhadiran"
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(selesai__gte=models.F("mulai")), name="absen_rentang_valid"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.pegawai}: {self.get_jenis_display()} {self.mulai:%d-%m-%Y} s.d. {self.selesai:%d-%m-%Y}"
        )

    def clean(self) -> None:
        if self.mulai and self.selesai and self.selesai < self.mulai:
            raise ValidationError({"selesai": "Tanggal selesai tidak boleh sebelum tanggal mulai."})
