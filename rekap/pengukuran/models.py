"""Performance measurement (Bontang SOP *Pengukuran Kinerja*, DESIGN.md §3).

The framework per satker and year: Sasaran → Program → Kegiatan → Indikator, with targets per period and an
optional link to output codes from which realisation is derived from verified entries.
A measurement (Pengukuran) for a period walks the SOP's ten steps (LangkahPengukuran rows record when each
step started and ended, against kinerja's MutuBaku standards); its rows (BarisPengukuran) keep a snapshot of each
indicator as it was when the measurement started, so a later change to the framework never changes it.
Every version the Sekretaris approves or returns is kept as a VersiPengukuran with its documents.
"""

from django.db import models
from django.utils import timezone

from kinerja.models import KodeOutput, Pegawai, Satker, Subbagian, evidence_name, evidence_storage


class Arah(models.TextChoices):
    NAIK = "naik", "Semakin tinggi semakin baik"
    TURUN = "turun", "Semakin rendah semakin baik"


class JenisTarget(models.TextChoices):
    TUNGGAL = "tunggal", "Angka tunggal"
    RENTANG = "rentang", "Rentang"


class AturanRealisasi(models.TextChoices):
    MANUAL = "manual", "Diisi oleh subbagian"
    JUMLAH_ENTRI = "jumlah_entri", "Jumlah entri kinerja terverifikasi"
    JUMLAH_VOLUME = "jumlah_volume", "Jumlah volume entri terverifikasi (satuan tertentu)"


class JenisPeriode(models.TextChoices):
    BULAN = "bulan", "Bulanan"
    TRIWULAN = "triwulan", "Triwulan"
    SEMESTER = "semester", "Semester"
    TAHUN = "tahun", "Tahunan"


PERIODE_NOMOR_MAX = {"bulan": 12, "triwulan": 4, "semester": 2, "tahun": 1}


class SkalaKategori(models.Model):
    """One band of a satker's category scale; a satker without bands uses rumus.DEFAULT_SKALA."""

    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="skala_kategori")
    nama = models.CharField("kategori", max_length=60)
    minimum = models.DecimalField("capaian minimum (%)", max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = "skala kategori capaian"
        verbose_name_plural = "skala kategori capaian"
        ordering = ["satker", "-minimum"]
        constraints = [models.UniqueConstraint(fields=["satker", "minimum"], name="skala_minimum_unik")]

    def __str__(self) -> str:
        return f"{self.nama} (≥ {self.minimum})"


class Sasaran(models.Model):
    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="sasaran_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    kode = models.CharField("kode", max_length=40)
    uraian = models.TextField("sasaran")
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "sasaran"
        verbose_name_plural = "sasaran"
        ordering = ["tahun", "urutan", "kode"]
        constraints = [models.UniqueConstraint(fields=["satker", "tahun", "kode"], name="sasaran_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian}"


class Program(models.Model):
    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="program_set")
    kode = models.CharField("kode", max_length=40)
    uraian = models.TextField("program")
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "program"
        verbose_name_plural = "program"
        ordering = ["urutan", "kode"]
        constraints = [models.UniqueConstraint(fields=["sasaran", "kode"], name="program_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian}"


class Kegiatan(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="kegiatan_set")
    kode = models.CharField("kode", max_length=40)
    uraian = models.TextField("kegiatan")
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "kegiatan"
        verbose_name_plural = "kegiatan"
        ordering = ["urutan", "kode"]
        constraints = [models.UniqueConstraint(fields=["program", "kode"], name="kegiatan_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian}"


class Indikator(models.Model):
    kegiatan = models.ForeignKey(Kegiatan, on_delete=models.CASCADE, related_name="indikator_set")
    kode = models.CharField("kode", max_length=40)
    uraian = models.TextField("indikator")
    satuan = models.CharField("satuan", max_length=40)
    arah = models.CharField("arah", max_length=10, choices=Arah, default=Arah.NAIK)
    jenis_target = models.CharField(
        "jenis target", max_length=10, choices=JenisTarget, default=JenisTarget.TUNGGAL
    )
    target_tahunan = models.DecimalField(
        "target tahunan", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_bawah = models.DecimalField("batas bawah", max_digits=14, decimal_places=2, null=True, blank=True)
    target_atas = models.DecimalField("batas atas", max_digits=14, decimal_places=2, null=True, blank=True)
    subbagian = models.ForeignKey(
        Subbagian, on_delete=models.PROTECT, related_name="indikator_set", verbose_name="penanggung jawab"
    )
    kode_output = models.ManyToManyField(KodeOutput, blank=True, related_name="indikator_set")
    aturan_realisasi = models.CharField(
        "realisasi dari", max_length=20, choices=AturanRealisasi, default=AturanRealisasi.MANUAL
    )
    satuan_volume = models.CharField(
        "satuan volume",
        max_length=40,
        blank=True,
        help_text="Untuk jumlah volume: satuan entri yang dijumlah.",
    )
    aktif = models.BooleanField("aktif", default=True)
    urutan = models.PositiveIntegerField(default=0)
    diubah = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["urutan", "kode"]
        constraints = [models.UniqueConstraint(fields=["kegiatan", "kode"], name="indikator_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.uraian}"


class TargetPeriode(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="target_set")
    jenis_periode = models.CharField("periode", max_length=10, choices=JenisPeriode)
    nomor = models.PositiveSmallIntegerField("ke-")
    target = models.DecimalField("target", max_digits=14, decimal_places=2, null=True, blank=True)
    target_bawah = models.DecimalField("batas bawah", max_digits=14, decimal_places=2, null=True, blank=True)
    target_atas = models.DecimalField("batas atas", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "target periode"
        verbose_name_plural = "target periode"
        ordering = ["jenis_periode", "nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["indikator", "jenis_periode", "nomor"], name="target_periode_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indikator.kode} {self.jenis_periode} {self.nomor}"


class TahapPengukuran(models.TextChoices):
    """The step now due (DESIGN.md §3): each transition ends one step and starts the next."""

    KONSEP = "konsep", "2. Konsep form data kinerja (Kasubag Rendatin)"
    FORM = "form", "3. Penyiapan form per subbagian (staf Rendatin)"
    PENGUMPULAN = "pengumpulan", "4. Pengumpulan data dari subbagian"
    PENGUKURAN = "pengukuran", "5. Pengukuran capaian (staf Rendatin)"
    REKAP = "rekap", "6. Rekap hasil pengukuran (staf Rendatin)"
    DRAF = "draf", "7. Laporan draf ke Kasubag Rendatin"
    PEMERIKSAAN = "pemeriksaan", "8. Pemeriksaan Kasubag Rendatin"
    PERSETUJUAN = "persetujuan", "9. Persetujuan Sekretaris"
    DISETUJUI = "disetujui", "10. Disetujui dan diarsipkan"


# The SOP step that each stage is waiting for.
TAHAP_LANGKAH = {
    TahapPengukuran.KONSEP: 2,
    TahapPengukuran.FORM: 3,
    TahapPengukuran.PENGUMPULAN: 4,
    TahapPengukuran.PENGUKURAN: 5,
    TahapPengukuran.REKAP: 6,
    TahapPengukuran.DRAF: 7,
    TahapPengukuran.PEMERIKSAAN: 8,
    TahapPengukuran.PERSETUJUAN: 9,
    TahapPengukuran.DISETUJUI: 10,
}


class Pengukuran(models.Model):
    satker = models.ForeignKey(Satker, on_delete=models.PROTECT, related_name="pengukuran_set")
    tahun = models.PositiveSmallIntegerField("tahun")
    jenis_periode = models.CharField("periode", max_length=10, choices=JenisPeriode)
    nomor = models.PositiveSmallIntegerField("ke-")
    tahap = models.CharField("tahap", max_length=15, choices=TahapPengukuran, default=TahapPengukuran.KONSEP)
    instruksi = models.TextField("instruksi disposisi")
    disposisi_oleh = models.ForeignKey(Pegawai, null=True, on_delete=models.SET_NULL, related_name="+")
    disposisi_pada = models.DateTimeField("disposisi pada", default=timezone.now)
    versi = models.PositiveSmallIntegerField("versi", default=1, help_text="Naik setiap kali dikembalikan.")
    catatan_pengembalian = models.TextField("catatan pengembalian terakhir", blank=True)
    diubah = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "pengukuran kinerja"
        verbose_name_plural = "pengukuran kinerja"
        ordering = ["-tahun", "jenis_periode", "-nomor"]
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "tahun", "jenis_periode", "nomor"], name="pengukuran_unik"
            )
        ]

    def __str__(self) -> str:
        return f"Pengukuran {self.get_jenis_periode_display()} {self.nomor}/{self.tahun} {self.satker}"

    @property
    def langkah_sekarang(self) -> int:
        return TAHAP_LANGKAH[self.tahap]


class LangkahPengukuran(models.Model):
    """When one SOP step of a measurement started and ended, and who ended it (against kinerja's MutuBaku)."""

    pengukuran = models.ForeignKey(Pengukuran, on_delete=models.CASCADE, related_name="langkah_set")
    langkah = models.PositiveSmallIntegerField("langkah")
    versi = models.PositiveSmallIntegerField("versi", default=1)
    mulai = models.DateTimeField("mulai")
    selesai = models.DateTimeField("selesai", null=True, blank=True)
    oleh = models.ForeignKey(Pegawai, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    catatan = models.TextField("catatan", blank=True)

    class Meta:
        verbose_name = "langkah pengukuran"
        verbose_name_plural = "langkah pengukuran"
        ordering = ["mulai", "id"]

    def __str__(self) -> str:
        return f"{self.pengukuran} langkah {self.langkah}"


class FormDataKinerja(models.Model):
    """The Form Data Kinerja of one subbagian in a measurement (steps 2–4)."""

    pengukuran = models.ForeignKey(Pengukuran, on_delete=models.CASCADE, related_name="form_set")
    subbagian = models.ForeignKey(Subbagian, on_delete=models.PROTECT, related_name="+")
    diterbitkan_pada = models.DateTimeField("diterbitkan pada", null=True, blank=True)
    diterbitkan_oleh = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diserahkan_pada = models.DateTimeField("diserahkan pada", null=True, blank=True)
    diserahkan_oleh = models.ForeignKey(
        Pegawai, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "form data kinerja"
        verbose_name_plural = "form data kinerja"
        ordering = ["subbagian__urutan"]
        constraints = [models.UniqueConstraint(fields=["pengukuran", "subbagian"], name="form_unik")]

    def __str__(self) -> str:
        return f"Form {self.subbagian} — {self.pengukuran}"


class BarisPengukuran(models.Model):
    """One indicator in a measurement, with the framework as it was when chosen (a snapshot) and its numbers."""

    pengukuran = models.ForeignKey(Pengukuran, on_delete=models.CASCADE, related_name="baris_set")
    form = models.ForeignKey(FormDataKinerja, on_delete=models.CASCADE, related_name="baris_set")
    indikator = models.ForeignKey(Indikator, on_delete=models.PROTECT, related_name="+")
    # the snapshot
    sasaran = models.TextField("sasaran")
    program = models.TextField("program")
    kegiatan = models.TextField("kegiatan")
    indikator_kode = models.CharField("kode indikator", max_length=40)
    indikator_uraian = models.TextField("indikator")
    satuan = models.CharField("satuan", max_length=40)
    arah = models.CharField("arah", max_length=10, choices=Arah)
    target = models.DecimalField("target", max_digits=14, decimal_places=2, null=True, blank=True)
    target_bawah = models.DecimalField("batas bawah", max_digits=14, decimal_places=2, null=True, blank=True)
    target_atas = models.DecimalField("batas atas", max_digits=14, decimal_places=2, null=True, blank=True)
    aturan_realisasi = models.CharField("realisasi dari", max_length=20, choices=AturanRealisasi)
    satuan_volume = models.CharField("satuan volume", max_length=40, blank=True)
    # the numbers
    realisasi_usulan = models.DecimalField(
        "realisasi dari entri terverifikasi", max_digits=14, decimal_places=2, null=True, blank=True
    )
    realisasi = models.DecimalField("realisasi", max_digits=14, decimal_places=2, null=True, blank=True)
    keterangan = models.TextField("keterangan", blank=True)
    bukti = models.FileField(
        "bukti", storage=evidence_storage, upload_to=evidence_name, max_length=200, blank=True
    )
    bukti_nama = models.CharField("nama berkas bukti", max_length=255, blank=True)
    capaian = models.DecimalField("capaian (%)", max_digits=9, decimal_places=2, null=True, blank=True)
    capaian_manual = models.DecimalField(
        "capaian manual (%)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    alasan_manual = models.TextField("alasan capaian manual", blank=True)
    kategori = models.CharField("kategori", max_length=60, blank=True)
    pesan = models.CharField("catatan pengukuran", max_length=300, blank=True)
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "baris pengukuran"
        verbose_name_plural = "baris pengukuran"
        ordering = ["urutan", "id"]
        constraints = [models.UniqueConstraint(fields=["pengukuran", "indikator"], name="baris_unik")]

    def __str__(self) -> str:
        return f"{self.indikator_kode} {self.pengukuran}"

    @property
    def capaian_akhir(self):
        return self.capaian_manual if self.capaian_manual is not None else self.capaian


class KeputusanVersi(models.TextChoices):
    DISETUJUI = "disetujui", "Disetujui"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan"


class VersiPengukuran(models.Model):
    """A version the Sekretaris decided on: its numbers as they were, the decision, and its archived documents."""

    pengukuran = models.ForeignKey(Pengukuran, on_delete=models.PROTECT, related_name="versi_set")
    versi = models.PositiveSmallIntegerField("versi")
    keputusan = models.CharField("keputusan", max_length=15, choices=KeputusanVersi)
    catatan = models.TextField("catatan Sekretaris", blank=True)
    oleh = models.ForeignKey(Pegawai, null=True, on_delete=models.SET_NULL, related_name="+")
    pada = models.DateTimeField("pada", default=timezone.now)
    data = models.JSONField("data versi")

    class Meta:
        verbose_name = "versi pengukuran"
        verbose_name_plural = "versi pengukuran"
        ordering = ["pengukuran", "versi"]
        constraints = [models.UniqueConstraint(fields=["pengukuran", "versi"], name="versi_unik")]

    def __str__(self) -> str:
        return f"{self.pengukuran} v{self.versi} ({self.get_keputusan_display()})"
