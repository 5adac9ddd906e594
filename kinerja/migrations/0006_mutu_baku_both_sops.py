"""One MutuBaku in the core for both SOPs (issue 11): the standard time of each step as data, per satker with a
default, seeded with the Kudus flowchart (steps 1–6, Keputusan Sekretaris No. 738/2024) and the Bontang one
(steps 1–10, Keputusan No. 32/2025). rekap.pengukuran's own table moves its rows here next
(pengukuran 0003_move_mutu_baku_to_kinerja), so edits made in the admin are kept."""

import django.db.models.deletion
from django.db import migrations, models

# (step, kegiatan, pelaksana, waktu, satuan, output)
KUDUS = [
    (1, "Mengambil foto/dokumen kegiatan", "ASN", 5, "menit", "Bukti dukung"),
    (2, "Mengisi data kinerja harian", "ASN", 10, "menit", "Data Kinerja ASN"),
    # Step 3's window is each satker's verifikasi_tenggat_hari; this is the SOP's own figure.
    (3, "Verifikasi data kinerja akhir bulan", "Kepala Subbagian", 3, "hari kerja", "Softfile Data Kinerja ASN Hasil Verifikasi"),
    (4, "Menghimpun data kinerja terverifikasi", "Rendatin", 2, "hari kerja", "Softfile Data Kinerja ASN (himpunan)"),
    (5, "Bahan Rapat Pleno Laporan Bulanan", "Rendatin", 120, "menit", "Softfile Hasil Rapat Pleno Laporan Bulanan"),
    (6, "Menghimpun hasil rapat pleno sebagai bahan Laporan Kinerja", "Rendatin", 1, "hari kerja", "Hasil Rapat Pleno"),
]
BONTANG = [
    (1, "Disposisi Sekretaris untuk pengukuran kinerja", "Sekretaris", 10, "menit", "Lembar Disposisi"),
    (2, "Konsep form data kinerja", "Kasubag Rendatin", 20, "menit", "Konsep Form Data Kinerja"),
    (3, "Penyiapan form data kinerja per subbagian", "Staf Rendatin", 120, "menit", "Form Data Kinerja"),
    (4, "Pengumpulan data dari subbagian", "Staf Rendatin / subbagian", 120, "menit", "Dokumen pengumpulan data kinerja"),
    (5, "Pengukuran capaian kinerja", "Staf Rendatin", 1, "hari kerja", "Kertas kerja pengukuran kinerja"),
    (6, "Rekap hasil pengukuran per sasaran/program/kegiatan", "Staf Rendatin", 180, "menit", "Rekap hasil pengukuran"),
    (7, "Laporan rekap ke Kasubag Rendatin", "Staf Rendatin", 60, "menit", "Draft laporan hasil pengukuran kinerja"),
    (8, "Pemeriksaan dan laporan ke Sekretaris", "Kasubag Rendatin", 90, "menit", "Laporan hasil pengukuran kinerja"),
    (9, "Persetujuan Sekretaris", "Sekretaris", 30, "menit", "Disposisi Sekretaris"),
    (10, "Arsip hasil pengukuran kinerja", "Staf Rendatin", None, "menit", "Arsip"),
]


def seed(apps, schema_editor):
    """The defaults (no satker) of both SOPs; a step already there is left as it is. Tests that flush the
    tables call this again."""
    MutuBaku = apps.get_model("kinerja", "MutuBaku")
    for sop, rows in (("kudus", KUDUS), ("bontang", BONTANG)):
        for langkah, kegiatan, pelaksana, waktu, satuan, output in rows:
            MutuBaku.objects.get_or_create(
                satker=None,
                sop=sop,
                langkah=langkah,
                defaults={
                    "kegiatan": kegiatan,
                    "pelaksana": pelaksana,
                    "waktu": waktu,
                    "satuan": satuan,
                    "output": output,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("kinerja", "0005_entrikinerja_idempotency_key")]

    operations = [
        migrations.CreateModel(
            name="MutuBaku",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "sop",
                    models.CharField(
                        choices=[
                            ("kudus", "Pengumpulan data kinerja bulanan (SOP Kudus)"),
                            ("bontang", "Pengukuran kinerja (SOP Bontang)"),
                        ],
                        max_length=20,
                        verbose_name="SOP",
                    ),
                ),
                ("langkah", models.PositiveSmallIntegerField(verbose_name="langkah")),
                ("kegiatan", models.CharField(max_length=200, verbose_name="kegiatan")),
                ("pelaksana", models.CharField(blank=True, max_length=100, verbose_name="pelaksana")),
                (
                    "waktu",
                    models.PositiveIntegerField(
                        blank=True, help_text="Kosong: tanpa batas.", null=True, verbose_name="waktu"
                    ),
                ),
                (
                    "satuan",
                    models.CharField(
                        choices=[("menit", "menit"), ("hari kerja", "hari kerja")],
                        default="menit",
                        max_length=12,
                        verbose_name="satuan waktu",
                    ),
                ),
                ("output", models.CharField(blank=True, max_length=200, verbose_name="output")),
                (
                    "satker",
                    models.ForeignKey(
                        blank=True,
                        help_text="Kosong: berlaku untuk setiap satker yang tidak mengaturnya sendiri.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mutu_baku",
                        to="kinerja.satker",
                    ),
                ),
            ],
            options={
                "verbose_name": "mutu baku",
                "verbose_name_plural": "mutu baku",
                "ordering": ["sop", "langkah", "satker"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("satker__isnull", True)),
                        fields=("sop", "langkah"),
                        name="mutu_baku_bawaan_unik",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("satker__isnull", False)),
                        fields=("satker", "sop", "langkah"),
                        name="mutu_baku_satker_unik",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("langkah", 3), ("satker__isnull", False), ("sop", "kudus"), _negated=True
                        ),
                        name="mutu_baku_verifikasi_dari_satker",
                        violation_error_message=(
                            "Langkah 3 SOP Kudus mengikuti tenggat verifikasi satker; ubah di pengaturan satker."
                        ),
                    ),
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
