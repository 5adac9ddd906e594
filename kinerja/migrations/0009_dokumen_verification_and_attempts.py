"""Every generated document gets an unguessable verification code (its public page /v/<code>/) and the summary that
page shows; documents made before get a code of their own too (their files do not print it). A render beats
while it runs (`denyut_pada`), and every attempt at a document is a row of its own (`ulangan_dari`)."""

import django.db.models.deletion
from django.db import migrations, models

import silabu.lib.verification


def assign_codes(apps, schema_editor):
    Dokumen = apps.get_model("kinerja", "Dokumen")
    for dokumen in Dokumen.objects.filter(kode_verifikasi__isnull=True).only("pk").iterator():
        Dokumen.objects.filter(pk=dokumen.pk).update(kode_verifikasi=silabu.lib.verification.new_code())


class Migration(migrations.Migration):
    dependencies = [("kinerja", "0008_auditlog_perubahan")]

    operations = [
        migrations.AddField(
            model_name="dokumen",
            name="kode_verifikasi",
            field=models.CharField(editable=False, max_length=40, null=True, verbose_name="kode verifikasi"),
        ),
        migrations.RunPython(assign_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dokumen",
            name="kode_verifikasi",
            field=models.CharField(
                default=silabu.lib.verification.new_code,
                editable=False,
                max_length=40,
                unique=True,
                verbose_name="kode verifikasi",
            ),
        ),
        migrations.AddField(
            model_name="dokumen",
            name="ringkasan",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="ringkasan verifikasi"),
        ),
        migrations.AddField(
            model_name="dokumen",
            name="denyut_pada",
            field=models.DateTimeField(blank=True, null=True, verbose_name="denyut terakhir"),
        ),
        migrations.AddField(
            model_name="dokumen",
            name="ulangan_dari",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ulangan",
                to="kinerja.dokumen",
                verbose_name="percobaan ulang dari",
            ),
        ),
    ]
