"""Rendatin's steps 4–6 of the Kudus SOP: the compiled month, its plenary meeting and the plenary's notes.

A RekapBulanan is a frozen snapshot (`data`, see rekap/snapshot.py for its shape): once compiled, later changes
to people, subbagian or output codes never change it. The plenary (RapatPleno) records the meeting; finalising it
moves the month to PLENO then FINAL, after which nothing here changes.
"""

from django.db import models
from django.utils import timezone

from kinerja.models import Pegawai, Satker, Subbagian
from silabu.lib.periods import month_label


class RekapBulanan(models.Model):
    satker = models.ForeignKey(Satker, on_delete=models.PROTECT, related_name="rekap_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    bulan = models.PositiveSmallIntegerField("bulan")
    data = models.JSONField("snapshot")
    dihimpun_pada = models.DateTimeField("dihimpun pada", default=timezone.now)
    dihimpun_oleh = models.ForeignKey(
        Pegawai, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="dihimpun oleh"
    )
    alasan_belum_lengkap = models.TextField(
        "alasan dihimpun sebelum semua terverifikasi",
        blank=True,
        help_text="Wajib bila ada pegawai yang bulannya belum diverifikasi.",
    )
    jumlah_pegawai = models.PositiveIntegerField("jumlah pegawai", default=0)
    jumlah_terverifikasi = models.PositiveIntegerField("pegawai terverifikasi", default=0)
    jumlah_entri = models.PositiveIntegerField("jumlah entri", default=0)

    class Meta:
        verbose_name = "rekap bulanan"
        verbose_name_plural = "rekap bulanan"
        ordering = ["-tahun", "-bulan"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "tahun", "bulan"], name="rekap_unik"),
            models.CheckConstraint(condition=models.Q(bulan__gte=1, bulan__lte=12), name="rekap_bulan_valid"),
        ]

    def __str__(self) -> str:
        return f"Rekap {month_label(self.tahun, self.bulan)} {self.satker}"

    @property
    def is_complete(self) -> bool:
        return self.jumlah_terverifikasi == self.jumlah_pegawai


class RapatPleno(models.Model):
    """The *Rapat Pleno Laporan Bulanan* of one compiled month (SOP step 5) and its results (step 6)."""

    rekap = models.OneToOneField(RekapBulanan, on_delete=models.PROTECT, related_name="pleno")
    tanggal = models.DateField("tanggal rapat")
    mulai = models.TimeField("mulai", null=True, blank=True)
    selesai = models.TimeField("selesai", null=True, blank=True)
    tempat = models.CharField("tempat", max_length=200)
    pimpinan_rapat = models.ForeignKey(
        Pegawai,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="pimpinan rapat",
    )
    peserta = models.ManyToManyField(
        Pegawai, blank=True, related_name="pleno_dihadiri", verbose_name="peserta"
    )
    peserta_lain = models.TextField(
        "peserta lain", blank=True, help_text="Satu nama per baris (tamu, undangan)."
    )
    keputusan = models.TextField("keputusan rapat", blank=True)
    catatan = models.TextField("catatan umum", blank=True)
    # The attendees as they were named when the plenary was finalised: later renames never change the record.
    peserta_snapshot = models.JSONField("peserta (saat finalisasi)", default=list, blank=True)
    diubah = models.DateTimeField("diubah", auto_now=True)
    dicatat_oleh = models.ForeignKey(Pegawai, null=True, on_delete=models.SET_NULL, related_name="+")
    difinalisasi_pada = models.DateTimeField("difinalisasi pada", null=True, blank=True)
    difinalisasi_oleh = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "rapat pleno"
        verbose_name_plural = "rapat pleno"

    def __str__(self) -> str:
        return f"Rapat pleno {self.rekap}"

    @property
    def is_final(self) -> bool:
        return self.difinalisasi_pada is not None


class CatatanPleno(models.Model):
    """A note or an agreed correction, for a subbagian and/or an output code of the month (empty = overall)."""

    rapat = models.ForeignKey(RapatPleno, on_delete=models.CASCADE, related_name="catatan_set")
    subbagian = models.ForeignKey(
        Subbagian, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="subbagian"
    )
    # The subbagian's name and the output code as in the snapshot: the record does not follow master data.
    subbagian_nama = models.CharField("nama subbagian", max_length=200, blank=True)
    kode_output = models.CharField("kode output", max_length=60, blank=True)
    catatan = models.TextField("catatan")
    koreksi = models.TextField("koreksi yang disepakati", blank=True)
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "catatan pleno"
        verbose_name_plural = "catatan pleno"
        ordering = ["urutan", "id"]

    def __str__(self) -> str:
        return self.catatan[:60]


class VersiPleno(models.Model):
    """One saved state of a plenary's record: every save (rekap.services.pleno_save) keeps one, so a correction
    never loses what was recorded before. `isi` is the record as saved (the meeting, its people by name and NIP,
    its decisions and every note), read from the rows just written."""

    rapat = models.ForeignKey(RapatPleno, on_delete=models.CASCADE, related_name="versi_set")
    nomor = models.PositiveIntegerField("versi")
    isi = models.JSONField("isi catatan")
    dicatat_oleh = models.ForeignKey(Pegawai, null=True, on_delete=models.SET_NULL, related_name="+")
    dicatat_pada = models.DateTimeField("dicatat pada", default=timezone.now)

    class Meta:
        verbose_name = "versi catatan pleno"
        verbose_name_plural = "versi catatan pleno"
        ordering = ["rapat", "nomor"]
        constraints = [models.UniqueConstraint(fields=["rapat", "nomor"], name="versi_pleno_unik")]

    def __str__(self) -> str:
        return f"{self.rapat} versi {self.nomor}"
