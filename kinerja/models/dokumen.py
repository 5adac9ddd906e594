"""Generated documents (PDF/XLSX) rendered off the request, stored and archived."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from silabu.lib import verification

from .entri import evidence_storage
from .satker import Satker


class StatusDokumen(models.TextChoices):
    MENUNGGU = "menunggu", "Menunggu giliran"
    DIBUAT = "dibuat", "Sedang dibuat"
    SIAP = "siap", "Siap diunduh"
    GAGAL = "gagal", "Gagal dibuat"


# how the error of a render failed by the watchdog starts (kinerja.document_store.dokumen_stall)
STALLED = "Pembuatan terhenti"


def dokumen_name(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dokumen/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class DokumenQuerySet(models.QuerySet):
    def archived(self):
        """The archived records: a failed attempt that was tried again is history, not the record."""
        return self.filter(arsip=True).exclude(status=StatusDokumen.GAGAL, ulangan__isnull=False)


class Dokumen(models.Model):
    """A generated document (PDF or XLSX): requested, rendered off the request by a background task, stored,
    and served from storage on later downloads (kinerja.document_store).

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
    # written by the worker while it renders (kinerja.document_store): a render whose worker stopped beating is
    # failed and asked again by the watchdog (manage.py dokumen_watchdog)
    denyut_pada = models.DateTimeField("denyut terakhir", null=True, blank=True)
    selesai_pada = models.DateTimeField("selesai pada", null=True, blank=True)
    arsip = models.BooleanField("diarsipkan", default=False)
    diarsipkan_pada = models.DateTimeField("diarsipkan pada", null=True, blank=True)
    keterangan_arsip = models.CharField("keterangan arsip", max_length=200, blank=True)
    # every attempt is a row of its own: a failed one stays as it failed, and the next attempt names it
    ulangan_dari = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ulangan",
        verbose_name="percobaan ulang dari",
    )
    # printed in the footer with a QR code of its public page (/v/<code>/): assigned when the document is asked
    # for, so that the stored SHA-256 is of the bytes that carry it (silabu.lib.verification)
    kode_verifikasi = models.CharField(
        "kode verifikasi", max_length=40, unique=True, default=verification.new_code, editable=False
    )
    # what the public verification page shows of it, as the document printed it: period, generation time,
    # signatories (never its content)
    ringkasan = models.JSONField("ringkasan verifikasi", default=dict, blank=True, editable=False)

    objects = DokumenQuerySet.as_manager()

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

    def attempts(self) -> list["Dokumen"]:
        """This row and the earlier attempts it retries, newest first (a short chain: a few rows)."""
        chain, seen, row = [], set(), self
        while row is not None and row.pk not in seen:
            chain.append(row)
            seen.add(row.pk)
            row = row.ulangan_dari
        return chain

    @property
    def failure_shown(self) -> str:
        """Why an attempt failed, as its page says it: the watchdog's own words for a render that stalled; for an
        error, only that there was one (its text, which may name the server's internals, stays on the row)."""
        if self.status != StatusDokumen.GAGAL:
            return ""
        if self.pesan_galat.startswith(STALLED):
            return self.pesan_galat
        return "Terjadi galat saat membuat dokumen (rinciannya tercatat untuk admin)."

    @property
    def kode_cetak(self) -> str:
        """The verification code as printed ("ABCD-EFGH-…")."""
        return verification.grouped(self.kode_verifikasi)

    @property
    def format(self) -> str:
        return str(self.params.get("fmt", ""))
