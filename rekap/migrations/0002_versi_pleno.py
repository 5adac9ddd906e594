"""Plenary records are versioned: every save keeps one VersiPleno. A record saved before gets its present state as
version 1 (what it was before that is gone)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def first_versions(apps, schema_editor):
    RapatPleno = apps.get_model("rekap", "RapatPleno")
    VersiPleno = apps.get_model("rekap", "VersiPleno")

    def person(p):
        return {"id": p.pk, "nama": p.nama, "nip": p.nip} if p is not None else None

    for rapat in RapatPleno.objects.all():
        isi = {
            "tanggal": rapat.tanggal.isoformat(),
            "tempat": rapat.tempat,
            "mulai": rapat.mulai.isoformat() if rapat.mulai else None,
            "selesai": rapat.selesai.isoformat() if rapat.selesai else None,
            "pimpinan_rapat": person(rapat.pimpinan_rapat),
            "peserta": [person(p) for p in rapat.peserta.order_by("nama", "pk")],
            "peserta_lain": rapat.peserta_lain,
            "keputusan": rapat.keputusan,
            "catatan_umum": rapat.catatan,
            "catatan": [
                {"subbagian": n.subbagian_nama, "kode_output": n.kode_output, "catatan": n.catatan, "koreksi": n.koreksi}
                for n in rapat.catatan_set.order_by("urutan", "id")
            ],
        }
        VersiPleno.objects.create(
            rapat=rapat, nomor=1, isi=isi, dicatat_oleh=rapat.dicatat_oleh, dicatat_pada=rapat.diubah
        )


class Migration(migrations.Migration):

    dependencies = [
        ('kinerja', '0001_initial'),
        ('rekap', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='VersiPleno',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nomor', models.PositiveIntegerField(verbose_name='versi')),
                ('isi', models.JSONField(verbose_name='isi catatan')),
                ('dicatat_pada', models.DateTimeField(default=django.utils.timezone.now, verbose_name='dicatat pada')),
                ('dicatat_oleh', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='kinerja.pegawai')),
                ('rapat', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versi_set', to='rekap.rapatpleno')),
            ],
            options={
                'verbose_name': 'versi catatan pleno',
                'verbose_name_plural': 'versi catatan pleno',
                'ordering': ['rapat', 'nomor'],
                'constraints': [models.UniqueConstraint(fields=('rapat', 'nomor'), name='versi_pleno_unik')],
            },
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
