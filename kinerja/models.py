"""The organisation core (Satker, Subbagian, Pegawai, KodeOutput, calendar, Periode) and the daily entries.

Later apps (verifikasi, rekap) read these models and change them only through `kinerja.services`.
"""

import datetime
import secrets
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property


class Role(models.TextChoices):
    ASN = "asn", "ASN"
    KASUBAG = "kasubag", "Kepala Subbagian"
    RENDATIN = "rendatin", "Rendatin"
    SEKRETARIS = "sekretaris", "Sekretaris"
    PIMPINAN = "pimpinan", "Pimpinan"
    ADMIN = "admin", "Admin"


class ZonaWaktu(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
    WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
    WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"


class Satker(models.Model):
    nama = models.CharField("nama", max_length=150)
    kode = models.SlugField("kode", max_length=40, unique=True)
    alamat = models.CharField("alamat", max_length=255, blank=True)
    kota = models.CharField("kota", max_length=100)
    telepon = models.CharField("telepon", max_length=60, blank=True)
    zona_waktu = models.CharField("zona waktu", max_length=40, choices=ZonaWaktu, default=ZonaWaktu.WIB)
    kop_baris = models.TextField(
        "baris kop surat",
        blank=True,
        help_text="Satu baris per baris kop, di bawah logo (mis. nama instansi).",
    )
    logo = models.ImageField("logo", upload_to="logo/", blank=True)
    sekretaris = models.OneToOneField(
        "Pegawai",
        verbose_name="sekretaris",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verifikasi_buka_hari = models.PositiveSmallIntegerField(
        "verifikasi dibuka (hari kerja)",
        default=0,
        help_text="Jumlah hari kerja bulan berikutnya yang masih boleh dipakai mengisi, sebelum verifikasi dibuka. "
        "0 = verifikasi dibuka tepat setelah hari kerja terakhir bulan itu.",
    )
    verifikasi_tenggat_hari = models.PositiveSmallIntegerField(
        "tenggat verifikasi (hari kerja)",
        default=3,
        help_text="Mutu baku SOP langkah 3: verifikasi selesai paling lambat sekian hari kerja setelah dibuka.",
    )

    class Meta:
        verbose_name = "satker"
        verbose_name_plural = "satker"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zona_waktu)

    def now(self) -> datetime.datetime:
        return timezone.now().astimezone(self.tz)

    def today(self) -> datetime.date:
        return self.now().date()

    @property
    def kop_lines(self) -> list[str]:
        return [line for line in self.kop_baris.splitlines() if line.strip()]


class Subbagian(models.Model):
    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="subbagian_set")
    nama = models.CharField("nama", max_length=150)
    singkatan = models.CharField("singkatan", max_length=30)
    is_rendatin = models.BooleanField("subbagian Rendatin", default=False)
    kasubag = models.OneToOneField(
        "Pegawai",
        verbose_name="kepala subbagian",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subbagian_dipimpin",
    )
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "subbagian"
        verbose_name_plural = "subbagian"
        ordering = ["satker", "urutan", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "singkatan"], name="subbagian_singkatan_unik"),
            models.UniqueConstraint(
                fields=["satker"], condition=models.Q(is_rendatin=True), name="satu_rendatin_per_satker"
            ),
        ]

    def __str__(self) -> str:
        return self.nama


def validate_nip(value: str) -> None:
    """An ASN's NIP: 18 digits whose first eight are a real birth date (YYYYMMDD)."""
    if len(value) != 18 or not (value.isascii() and value.isdigit()):
        raise ValidationError("NIP harus 18 digit angka.", code="nip_format")
    try:
        born = datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            "8 digit pertama NIP harus tanggal lahir yang valid (TTTTBBHH).", code="nip_date"
        ) from None
    if not (1940 <= born.year <= datetime.date.today().year - 17):
        raise ValidationError("Tahun lahir pada NIP tidak masuk akal.", code="nip_year")


def normalize_nip(value: str) -> str:
    """People type NIPs with spaces or dots ("19850312 201001 1 003"); keep the digits."""
    return "".join(ch for ch in value if not ch.isspace() and ch not in ".-")


class StatusPegawai(models.TextChoices):
    PNS = "PNS", "PNS"
    PPPK = "PPPK", "PPPK"
    NON_ASN = "NON_ASN", "Non-ASN (Pimpinan/lainnya)"


class PegawaiQuerySet(models.QuerySet):
    def active(self):
        return self.filter(aktif=True)

    def asn(self):
        """People who log daily entries: PNS and PPPK, not the commissioners."""
        return self.filter(status__in=[StatusPegawai.PNS, StatusPegawai.PPPK], is_pimpinan=False)

    def with_org(self):
        return self.select_related("satker", "subbagian", "user", "subbagian_dipimpin")


class Pegawai(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pegawai")
    satker = models.ForeignKey(Satker, on_delete=models.PROTECT, related_name="pegawai_set")
    subbagian = models.ForeignKey(
        Subbagian, null=True, blank=True, on_delete=models.PROTECT, related_name="pegawai_set"
    )
    nip = models.CharField(
        "NIP", max_length=18, unique=True, null=True, blank=True, validators=[validate_nip]
    )
    nama = models.CharField("nama (dengan gelar)", max_length=150)
    jabatan = models.CharField("jabatan", max_length=150, blank=True)
    pangkat_golongan = models.CharField("pangkat/golongan", max_length=80, blank=True)
    status = models.CharField("status", max_length=10, choices=StatusPegawai, default=StatusPegawai.PNS)
    is_pimpinan = models.BooleanField("pimpinan (Ketua/Anggota KPU)", default=False)
    is_admin = models.BooleanField("admin satker", default=False)
    aktif = models.BooleanField("aktif", default=True)
    wajib_ganti_sandi = models.BooleanField("wajib ganti kata sandi", default=False)

    objects = PegawaiQuerySet.as_manager()

    class Meta:
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"
        ordering = ["satker", "subbagian__urutan", "nama"]
        indexes = [models.Index(fields=["satker", "subbagian", "aktif"])]

    def __str__(self) -> str:
        return self.nama

    def clean(self) -> None:
        if self.status != StatusPegawai.NON_ASN and not self.nip:
            raise ValidationError({"nip": "NIP wajib diisi untuk PNS/PPPK."})
        if self.subbagian_id and self.subbagian.satker_id != self.satker_id:
            raise ValidationError({"subbagian": "Subbagian harus dari satker yang sama."})

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = set()
        if self.status in (StatusPegawai.PNS, StatusPegawai.PPPK) and not self.is_pimpinan:
            roles.add(Role.ASN)
        try:
            if self.subbagian_dipimpin is not None:
                roles.add(Role.KASUBAG)
        except Subbagian.DoesNotExist:
            pass
        if self.subbagian_id and self.subbagian.is_rendatin:
            roles.add(Role.RENDATIN)
        if self.satker.sekretaris_id == self.pk:
            roles.add(Role.SEKRETARIS)
        if self.is_pimpinan:
            roles.add(Role.PIMPINAN)
        if self.is_admin:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]

    @property
    def nip_display(self) -> str:
        """NIP grouped as printed on Indonesian documents: 19850312 201001 1 003."""
        n = self.nip or ""
        return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}" if len(n) == 18 else n


class JenisPenjabat(models.TextChoices):
    PLT = "Plt", "Plt. (pelaksana tugas)"
    PLH = "Plh", "Plh. (pelaksana harian)"


class PenjabatSementaraQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        return self.filter(mulai__lte=day, selesai__gte=day)


class PenjabatSementara(models.Model):
    """An acting head (Plt/Plh) of a post for a date range: a subbagian's Kasubag, or the Sekretaris if blank."""

    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="penjabat_set")
    subbagian = models.ForeignKey(
        Subbagian,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Kosongkan bila menjabat sebagai Sekretaris.",
    )
    pegawai = models.ForeignKey(Pegawai, on_delete=models.CASCADE, related_name="penjabat_set")
    jenis = models.CharField("jenis", max_length=3, choices=JenisPenjabat, default=JenisPenjabat.PLH)
    mulai = models.DateField("mulai")
    selesai = models.DateField("selesai")
    nomor_sk = models.CharField("nomor surat perintah", max_length=100, blank=True)

    objects = PenjabatSementaraQuerySet.as_manager()

    class Meta:
        verbose_name = "penjabat sementara (Plt/Plh)"
        verbose_name_plural = "penjabat sementara (Plt/Plh)"
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(selesai__gte=models.F("mulai")), name="plt_rentang_valid"
            )
        ]

    def __str__(self) -> str:
        post = f"Kepala {self.subbagian}" if self.subbagian_id else "Sekretaris"
        return f"{self.jenis}. {post}: {self.pegawai} ({self.mulai:%d-%m-%Y} s.d. {self.selesai:%d-%m-%Y})"

    def clean(self) -> None:
        if self.mulai and self.selesai and self.selesai < self.mulai:
            raise ValidationError({"selesai": "Tanggal selesai tidak boleh sebelum tanggal mulai."})
        if self.pegawai_id and self.satker_id and self.pegawai.satker_id != self.satker_id:
            raise ValidationError({"pegawai": "Pegawai harus dari satker yang sama."})


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


class TahapPeriode(models.TextChoices):
    OPEN = "OPEN", "Terbuka"
    VERIFICATION = "VERIFICATION", "Verifikasi"
    COMPILED = "COMPILED", "Dihimpun"
    PLENO = "PLENO", "Rapat pleno"
    FINAL = "FINAL", "Final"


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
        return f"{self.satker} {self.bulan:02d}/{self.tahun} ({self.get_tahap_display()})"

    @property
    def is_open(self) -> bool:
        return self.tahap == TahapPeriode.OPEN


class StatusEntri(models.TextChoices):
    DIAJUKAN = "diajukan", "Menunggu verifikasi"
    DISETUJUI = "disetujui", "Disetujui"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan"


class EntriKinerjaQuerySet(models.QuerySet):
    def for_month(self, pegawai: Pegawai, year: int, month: int):
        return self.filter(pegawai=pegawai, tanggal__year=year, tanggal__month=month)

    def in_month(self, year: int, month: int):
        first = datetime.date(year, month, 1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return self.filter(tanggal__range=(first, last))

    def pending(self):
        return self.filter(status=StatusEntri.DIAJUKAN)

    def returned(self):
        return self.filter(status=StatusEntri.DIKEMBALIKAN)

    def with_related(self):
        return self.select_related("kode_output", "pegawai").annotate(jumlah_bukti=models.Count("bukti"))


class EntriKinerja(models.Model):
    """One piece of daily work (SOP step 2): output code, activity, output, volume and evidence."""

    satker = models.ForeignKey(Satker, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="entri_set")
    tanggal = models.DateField("tanggal kegiatan")
    kode_output = models.ForeignKey(
        KodeOutput, verbose_name="kode output/kegiatan", on_delete=models.PROTECT, related_name="entri_set"
    )
    nama_kegiatan = models.CharField("nama kegiatan/pekerjaan", max_length=255)
    output_hasil = models.TextField("output hasil kegiatan/pekerjaan")
    volume = models.DecimalField(
        "volume",
        max_digits=10,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    satuan = models.CharField("satuan", max_length=40, default="kegiatan")
    jam_mulai = models.TimeField("jam mulai", null=True, blank=True)
    jam_selesai = models.TimeField("jam selesai", null=True, blank=True)
    filled_late = models.BooleanField("diisi terlambat", default=False)
    status = models.CharField("status", max_length=15, choices=StatusEntri, default=StatusEntri.DIAJUKAN)
    catatan_verifikasi = models.TextField("catatan verifikator", blank=True)
    dibuat = models.DateTimeField("dibuat", default=timezone.now, editable=False)
    diubah = models.DateTimeField("diubah", auto_now=True)

    objects = EntriKinerjaQuerySet.as_manager()

    class Meta:
        verbose_name = "entri kinerja"
        verbose_name_plural = "entri kinerja"
        ordering = ["-tanggal", "-jam_mulai", "-id"]
        indexes = [
            models.Index(fields=["pegawai", "tanggal"]),
            models.Index(fields=["satker", "tanggal"]),
            models.Index(fields=["satker", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jam_selesai__isnull=True)
                | models.Q(jam_mulai__isnull=True)
                | models.Q(jam_selesai__gte=models.F("jam_mulai")),
                name="entri_jam_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y} {self.nama_kegiatan}"


class JenisBukti(models.TextChoices):
    DOKUMEN = "dokumen", "Dokumen"
    FOTO = "foto", "Foto"
    LAPORAN = "laporan", "Laporan"


def evidence_storage():
    return storages["evidence"]


def evidence_name(instance, filename: str) -> str:
    """A random stored name: the user's file name is kept as data only (nama_asli), never as a path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = timezone.now()
    return f"bukti/{today:%Y/%m}/{secrets.token_hex(16)}.{ext}"


class BuktiDukung(models.Model):
    entri = models.ForeignKey(EntriKinerja, on_delete=models.CASCADE, related_name="bukti")
    jenis = models.CharField("jenis", max_length=10, choices=JenisBukti, default=JenisBukti.FOTO)
    berkas = models.FileField("berkas", storage=evidence_storage, upload_to=evidence_name, max_length=200)
    thumbnail = models.FileField(
        storage=evidence_storage, upload_to=evidence_name, max_length=200, blank=True
    )
    nama_asli = models.CharField("nama berkas asli", max_length=255)
    content_type = models.CharField("tipe isi", max_length=120)
    ukuran = models.PositiveBigIntegerField("ukuran (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    lebar = models.PositiveIntegerField(null=True, blank=True)
    tinggi = models.PositiveIntegerField(null=True, blank=True)
    waktu_ambil = models.DateTimeField("waktu pengambilan", null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bukti dukung"
        verbose_name_plural = "bukti dukung"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.nama_asli

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AuditLog(models.Model):
    """Who changed which state, when, from what to what, and why. Written by the services, never edited."""

    satker = models.ForeignKey(Satker, null=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField("aksi", max_length=60)
    dari = models.CharField("dari", max_length=40, blank=True)
    ke = models.CharField("ke", max_length=40, blank=True)
    catatan = models.TextField("catatan", blank=True)
    waktu = models.DateTimeField("waktu", default=timezone.now)

    class Meta:
        verbose_name = "jejak audit"
        verbose_name_plural = "jejak audit"
        ordering = ["-waktu", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    ACTION_LABELS = {
        "entri_dibuat": "Entri dibuat",
        "entri_diubah": "Entri diubah",
        "entri_diperbaiki": "Entri diperbaiki setelah dikembalikan",
        "entri_dihapus": "Entri dihapus",
        "entri_keputusan": "Keputusan verifikator",
        "periode_tahap": "Tahap periode berubah",
        "laporan_diverifikasi": "Bulan diverifikasi",
        "laporan_dibuka_kembali": "Verifikasi dibuka kembali",
        "rekap_dihimpun": "Bulan dihimpun",
        "pleno_dicatat": "Rapat pleno dicatat",
        "pleno_diubah": "Catatan rapat pleno diubah",
        "pleno_difinalisasi": "Hasil rapat pleno difinalisasi",
        "pengukuran_disposisi": "Disposisi pengukuran kinerja",
        "pengukuran_konsep": "Konsep form data kinerja disusun",
        "pengukuran_form_terbit": "Form data kinerja diterbitkan",
        "pengukuran_form_diisi": "Form data kinerja diisi",
        "pengukuran_form_impor": "Form data kinerja diimpor dari berkas",
        "pengukuran_form_diserahkan": "Form data kinerja diserahkan",
        "pengukuran_terkumpul": "Semua form data kinerja terkumpul",
        "pengukuran_diukur": "Capaian kinerja diukur",
        "pengukuran_diukur_ulang": "Capaian kinerja diukur ulang",
        "pengukuran_rekap": "Rekap hasil pengukuran selesai",
        "pengukuran_draf": "Draf laporan dilaporkan ke Kasubag Rendatin",
        "pengukuran_dikirim": "Laporan dikirim ke Sekretaris",
        "pengukuran_disetujui": "Pengukuran disetujui dan diarsipkan",
        "pengukuran_dikembalikan": "Pengukuran dikembalikan untuk diperbaiki",
    }

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.action} {self.dari}→{self.ke}"

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())


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


class StatusDokumen(models.TextChoices):
    MENUNGGU = "menunggu", "Menunggu giliran"
    DIBUAT = "dibuat", "Sedang dibuat"
    SIAP = "siap", "Siap diunduh"
    GAGAL = "gagal", "Gagal dibuat"


def dokumen_name(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dokumen/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class Dokumen(models.Model):
    """A generated document (PDF or XLSX): requested, rendered off the request by a background task, stored,
    and served from storage on later downloads (kinerja.dokumen).

    `jenis` names a generator that a later app registers; `params` are its JSON arguments and `kunci` their
    canonical form, so "the same document" is one lookup. `versi` fingerprints the source data when it was
    requested: a different fingerprint means the stored file is stale. An archived document (`arsip`) is what
    a finalised step saw: it is kept as generated, with its SHA-256, and never regenerated or deleted.
    """

    satker = models.ForeignKey(Satker, on_delete=models.CASCADE, related_name="dokumen_set")
    jenis = models.CharField("jenis", max_length=60)
    params = models.JSONField("parameter", default=dict)
    kunci = models.CharField("kunci", max_length=250)
    versi = models.CharField("versi data", max_length=64, blank=True)
    judul = models.CharField("judul", max_length=300)
    status = models.CharField("status", max_length=10, choices=StatusDokumen, default=StatusDokumen.MENUNGGU)
    progres = models.PositiveSmallIntegerField("progres (%)", default=0)
    pesan_galat = models.TextField("pesan galat", blank=True)
    berkas = models.FileField(
        "berkas", storage=evidence_storage, upload_to=dokumen_name, max_length=200, blank=True
    )
    nama_berkas = models.CharField("nama berkas", max_length=200, blank=True)
    content_type = models.CharField("tipe isi", max_length=120, blank=True)
    ukuran = models.PositiveBigIntegerField("ukuran (byte)", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diminta_pada = models.DateTimeField("diminta pada", default=timezone.now)
    mulai_pada = models.DateTimeField("mulai dibuat", null=True, blank=True)
    selesai_pada = models.DateTimeField("selesai pada", null=True, blank=True)
    arsip = models.BooleanField("diarsipkan", default=False)
    diarsipkan_pada = models.DateTimeField("diarsipkan pada", null=True, blank=True)
    keterangan_arsip = models.CharField("keterangan arsip", max_length=200, blank=True)

    class Meta:
        verbose_name = "dokumen"
        verbose_name_plural = "dokumen"
        ordering = ["-diminta_pada", "-id"]
        indexes = [models.Index(fields=["satker", "kunci", "versi"])]

    def __str__(self) -> str:
        return self.judul

    @property
    def is_ready(self) -> bool:
        return self.status == StatusDokumen.SIAP

    @property
    def is_pending(self) -> bool:
        return self.status in (StatusDokumen.MENUNGGU, StatusDokumen.DIBUAT)

    @property
    def format(self) -> str:
        return str(self.params.get("fmt", ""))
