"""rekap.pengukuran's MutuBaku moves to the core (kinerja.MutuBaku, which also holds the Kudus SOP's times that
rekap.board kept as constants): its rows become kinerja's defaults, admin edits included, then the table goes."""

from django.db import migrations


def move(apps, schema_editor):
    Old = apps.get_model("pengukuran", "MutuBaku")
    New = apps.get_model("kinerja", "MutuBaku")
    for old in Old.objects.all():
        satuan, waktu = ("hari kerja", old.hari_kerja) if old.hari_kerja else ("menit", old.menit)
        New.objects.update_or_create(
            satker=None,
            sop=old.sop,
            langkah=old.langkah,
            defaults={
                "kegiatan": old.nama,
                "pelaksana": old.pelaksana,
                "waktu": waktu,
                "satuan": satuan,
                "output": old.output,
            },
        )


def move_back(apps, schema_editor):
    Old = apps.get_model("pengukuran", "MutuBaku")
    New = apps.get_model("kinerja", "MutuBaku")
    for new in New.objects.filter(satker__isnull=True):
        days = new.satuan == "hari kerja"
        Old.objects.update_or_create(
            sop=new.sop,
            langkah=new.langkah,
            defaults={
                "nama": new.kegiatan,
                "pelaksana": new.pelaksana,
                "menit": None if days else new.waktu,
                "hari_kerja": new.waktu if days else None,
                "output": new.output,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pengukuran", "0002_mutu_baku"),
        ("kinerja", "0006_mutu_baku_both_sops"),
    ]

    operations = [
        migrations.RunPython(move, move_back),
        migrations.DeleteModel(name="MutuBaku"),
    ]
