"""The daily entries (EntriKinerja, SOP step 2) and their evidence files (BuktiDukung)."""

import datetime
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import tzinfo
from decimal import Decimal

from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from silabu.lib.dates import month_bounds

from .kode_output import KodeOutput
from .satker import Pegawai, Satker


class StatusEntri(models.TextChoices):
    DIAJUKAN = "diajukan", "Menunggu verifikasi"
    DISETUJUI = "disetujui", "Disetujui"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan"


class EntriKinerjaQuerySet(models.QuerySet):
    """Entries in the SOP's words. Month filters are ranges on the date, so the (pegawai, tanggal) and
    (satker, tanggal) indexes serve them."""

    def in_month(self, year: int, month: int):
        return self.filter(tanggal__range=month_bounds(year, month))

    def in_months(self, year: int, months: Iterable[int]):
        """From the first day of the earliest month to the last day of the latest (the months in between too)."""
        months = sorted(months)
        return self.filter(
            tanggal__range=(month_bounds(year, months[0])[0], month_bounds(year, months[-1])[1])
        )

    def for_month(self, pegawai: Pegawai | int, year: int, month: int):
        """One person's month (`pegawai` a Pegawai or its pk)."""
        return self.filter(pegawai=pegawai).in_month(year, month)

    def pending(self):
        return self.filter(status=StatusEntri.DIAJUKAN)

    def returned(self):
        return self.filter(status=StatusEntri.DIKEMBALIKAN)

    def approved(self):
        return self.filter(status=StatusEntri.DISETUJUI)

    def status_counts(self, *by: str) -> dict:
        """How many entries per status, in one query.

        Without `by`: {status: count} with every status present (0 when none). With field names (or names
        annotated on the queryset, e.g. a month): {key: {status: count}} where the key is the field's value, or
        a tuple of the values for several fields; a key without entries reads as all zeros.
        """
        rows = self.order_by().values_list(*by, "status").annotate(n=models.Count("pk"))
        if not by:
            counts = _no_entries()
            for status, n in rows:
                counts[status] = n
            return counts
        grouped: dict = defaultdict(_no_entries)
        for *key, status, n in rows:
            grouped[key[0] if len(by) == 1 else tuple(key)][status] = n
        return grouped

    def replayed(self, pegawai: Pegawai, key):
        """The entry a device already sent under this idempotency key (issue 18), if any."""
        return self.filter(pegawai=pegawai, idempotency_key=key) if key else self.none()

    def with_related(self):
        return self.select_related("kode_output", "pegawai").annotate(jumlah_bukti=models.Count("bukti"))


def _no_entries() -> dict[str, int]:
    return dict.fromkeys(StatusEntri.values, 0)


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
    # Made on the phone for each saved form (crypto.randomUUID): a replay of the same save is the same entry.
    idempotency_key = models.UUIDField("kunci pengiriman", null=True, blank=True, editable=False)

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
            ),
            models.UniqueConstraint(fields=["pegawai", "idempotency_key"], name="entri_idempotency_key_unik"),
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


class BuktiDukungQuerySet(models.QuerySet):
    def in_month(self, year: int, month: int):
        """Evidence of the entries dated in the month (a range on the entry's date, as EntriKinerja's)."""
        return self.filter(entri__tanggal__range=month_bounds(year, month))


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

    objects = BuktiDukungQuerySet.as_manager()

    class Meta:
        verbose_name = "bukti dukung"
        verbose_name_plural = "bukti dukung"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.nama_asli

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def capture_cue(self, tz: tzinfo, tanggal: datetime.date | None = None) -> str:
        """When a photo was taken on another day than the work it supports, say so for the verifier: "Foto
        diambil 3 hari sebelum tanggal entri". Days are counted in the satker's zone `tz`; the same day, or
        no capture time, gives "". `tanggal` is the entry's date (defaults to the entry's, read if not cached)."""
        if self.waktu_ambil is None:
            return ""
        tanggal = tanggal or self.entri.tanggal
        days = (self.waktu_ambil.astimezone(tz).date() - tanggal).days
        if days == 0:
            return ""
        return f"Foto diambil {abs(days)} hari {'sebelum' if days < 0 else 'sesudah'} tanggal entri"
