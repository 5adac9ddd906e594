"""The audit trail: one row per state change, written by the services."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from silabu.lib.dates import format_waktu_zona

from .satker import Satker


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
    # the fields the change touched, {field: [old, new]} in JSON terms (kinerja.audit.diff)
    perubahan = models.JSONField("perubahan", default=dict, blank=True)
    waktu = models.DateTimeField("waktu", default=timezone.now)

    class Meta:
        verbose_name = "jejak audit"
        verbose_name_plural = "jejak audit"
        ordering = ["-waktu", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["satker", "-waktu"]),
        ]

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
        "dokumen_diminta": "Dokumen diminta",
        "dokumen_dibuat": "Dokumen mulai dibuat",
        "dokumen_siap": "Dokumen siap",
        "dokumen_gagal": "Dokumen gagal dibuat",
        "dokumen_diarsipkan": "Dokumen diarsipkan",
        "dokumen_rusak": "Berkas dokumen tidak cocok dengan SHA-256-nya",
        "dokumen_diulang": "Dokumen yang gagal dibuat diminta lagi",
        "dokumen_terhenti": "Pembuatan dokumen terhenti (pekerja tidak lagi mengirim denyut)",
        "akses_buka_kunci": "Kunci masuk (gagal berulang) dibuka",
        "akun_tambah": "Akun masuk dibuat",
        "akun_ubah": "Akun masuk diubah",
        "akun_hapus": "Akun masuk dihapus",
        "akun_ganti_sandi_admin": "Kata sandi akun diganti lewat admin",
        "grup_tambah": "Kelompok hak akses dibuat",
        "grup_ubah": "Kelompok hak akses diubah",
        "grup_hapus": "Kelompok hak akses dihapus",
        "hari_libur_tambah": "Hari libur ditambahkan",
        "hari_libur_ubah": "Hari libur diubah",
        "hari_libur_hapus": "Hari libur dihapus",
        "hari_libur_isi_nasional": "Hari libur nasional diisi",
        "ketidakhadiran_tambah": "Ketidakhadiran (cuti/dinas) dicatat",
        "ketidakhadiran_hapus": "Ketidakhadiran dihapus",
        "penjabat_tambah": "Plt/Plh ditunjuk",
        "penjabat_hapus": "Penunjukan Plt/Plh dihapus",
        "kode_output_tambah": "Kode output ditambahkan",
        "kode_output_ubah": "Kode output diubah",
        "kode_output_hapus": "Kode output dihapus",
        "kode_output_aktif": "Kode output diaktifkan/dinonaktifkan",
        "kode_output_impor": "Kode output diimpor",
        "mutu_baku_tambah": "Mutu baku ditambahkan",
        "mutu_baku_ubah": "Mutu baku diubah",
        "mutu_baku_hapus": "Mutu baku dihapus",
        "pegawai_ubah": "Data pegawai diubah",
        "pegawai_impor": "Pegawai diimpor",
        "pegawai_ganti_sandi": "Pegawai mengganti kata sandinya",
        "pegawai_reset_sandi": "Kata sandi pegawai disetel ulang",
        "satker_tambah": "Satker dibuat",
        "satker_ubah": "Pengaturan satker diubah",
        "subbagian_tambah": "Subbagian dibuat",
        "subbagian_ubah": "Subbagian diubah",
        "subbagian_hapus": "Subbagian dihapus",
        "skala_tambah": "Skala kategori capaian ditambahkan",
        "skala_ubah": "Skala kategori capaian diubah",
        "skala_hapus": "Skala kategori capaian dihapus",
        "kerangka_impor": "Kerangka pengukuran diimpor",
        "kerangka_disalin": "Kerangka pengukuran disalin dari tahun lain",
        "sasaran_dibuat": "Sasaran dibuat",
        "sasaran_diubah": "Sasaran diubah",
        "sasaran_dihapus": "Sasaran dihapus",
        "program_dibuat": "Program dibuat",
        "program_diubah": "Program diubah",
        "program_dihapus": "Program dihapus",
        "kegiatan_dibuat": "Kegiatan dibuat",
        "kegiatan_diubah": "Kegiatan diubah",
        "kegiatan_dihapus": "Kegiatan dihapus",
        "indikator_dibuat": "Indikator dibuat",
        "indikator_diubah": "Indikator diubah",
        "indikator_dihapus": "Indikator dihapus",
        "indikator_diaktifkan": "Indikator diaktifkan",
        "indikator_dinonaktifkan": "Indikator dinonaktifkan",
    }

    def __str__(self) -> str:
        zone = self.satker if self.satker_id else timezone.get_default_timezone()
        return f"{format_waktu_zona(self.waktu, zone)} {self.action} {self.dari}→{self.ke}"

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())
