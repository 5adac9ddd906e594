"""The organisation: satker, subbagian, people (Pegawai) and their roles, acting heads (Plt/Plh)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
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


class LevelKodeEntri(models.TextChoices):
    """Which output-code levels a daily entry may carry in a satker: the levels an ASN works on. The values are
    LevelKode values joined by "+"; program, kegiatan and KRO are never among them."""

    RO_KOMPONEN = "ro+komponen", "RO dan komponen"
    RO = "ro", "RO saja"
    KOMPONEN = "komponen", "Komponen saja"


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
    level_kode_entri = models.CharField(
        "level kode output entri harian",
        max_length=20,
        choices=LevelKodeEntri,
        default=LevelKodeEntri.RO_KOMPONEN,
        help_text="Level kode output yang dapat dipilih ASN pada entri harian. Kode program, kegiatan dan KRO "
        "tidak pernah dapat dipilih.",
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
    def kode_levels_entri(self) -> tuple[str, ...]:
        """The LevelKode values a daily entry may carry here (see KodeOutputQuerySet.selectable_for)."""
        return tuple(self.level_kode_entri.split("+"))

    @property
    def kode_levels_entri_label(self) -> str:
        """Those levels in a sentence: "RO atau komponen", "RO", "komponen"."""
        return " atau ".join("RO" if level == "ro" else level for level in self.kode_levels_entri)

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
