"""The SOPs' standard times (mutu baku), as data: the Kudus flowchart (steps 1–6) and the Bontang one (1–10)."""

from django.db import migrations

KUDUS = [
    (1, "Mengambil foto/dokumen kegiatan", "ASN", 5, None, "Bukti dukung"),
    (2, "Mengisi data kinerja harian", "ASN", 10, None, "Data Kinerja ASN"),
    (3, "Verifikasi data kinerja akhir bulan", "Kepala Subbagian", None, 3, "Softfile Data Kinerja ASN Hasil Verifikasi"),
    (4, "Menghimpun data kinerja terverifikasi", "Rendatin", None, 2, "Softfile Data Kinerja ASN (himpunan)"),
    (5, "Bahan Rapat Pleno Laporan Bulanan", "Rendatin", 120, None, "Softfile Hasil Rapat Pleno Laporan Bulanan"),
    (6, "Menghimpun hasil rapat pleno sebagai bahan Laporan Kinerja", "Rendatin", None, 1, "Hasil Rapat Pleno"),
]
BONTANG = [
    (1, "Disposisi Sekretaris untuk pengukuran kinerja", "Sekretaris", 10, None, "Lembar Disposisi"),
    (2, "Konsep form data kinerja", "Kasubag Rendatin", 20, None, "Konsep Form Data Kinerja"),
    (3, "Penyiapan form data kinerja per subbagian", "Staf Rendatin", 120, None, "Form Data Kinerja"),
    (4, "Pengumpulan data dari subbagian", "Staf Rendatin / subbagian", 120, None, "Dokumen pengumpulan data kinerja"),
    (5, "Pengukuran capaian kinerja", "Staf Rendatin", None, 1, "Kertas kerja pengukuran kinerja"),
    (6, "Rekap hasil pengukuran per sasaran/program/kegiatan", "Staf Rendatin", 180, None, "Rekap hasil pengukuran"),
    (7, "Laporan rekap ke Kasubag Rendatin", "Staf Rendatin", 60, None, "Draft laporan hasil pengukuran kinerja"),
    (8, "Pemeriksaan dan laporan ke Sekretaris", "Kasubag Rendatin", 90, None, "Laporan hasil pengukuran kinerja"),
    (9, "Persetujuan Sekretaris", "Sekretaris", 30, None, "Disposisi Sekretaris"),
    (10, "Arsip hasil pengukuran kinerja", "Staf Rendatin", None, None, "Arsip"),
]


def seed(apps, schema_editor):
    MutuBaku = apps.get_model("pengukuran", "MutuBaku")
    for sop, rows in (("kudus", KUDUS), ("bontang", BONTANG)):
        for langkah, nama, pelaksana, menit, hari, output in rows:
            MutuBaku.objects.update_or_create(
                sop=sop,
                langkah=langkah,
                defaults={"nama": nama, "pelaksana": pelaksana, "menit": menit, "hari_kerja": hari, "output": output},
            )


class Migration(migrations.Migration):
    dependencies = [("pengukuran", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
