"""Backups that restore: backup -> wipe -> restore -> verify gives back every row and every byte (on SQLite, on
PostgreSQL on the PG leg, and on S3 on the S3 leg); a damaged backup and a deployment in use are refused."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from kinerja import document_store as docs
from kinerja.models import BuktiDukung, Dokumen
from silabu.ops import backup, integrity, restore, stores

pytestmark = [pytest.mark.storage, pytest.mark.django_db(transaction=True)]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (122, 16, 32)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def deployment(empty_stores, org, photo_entry, stored_document, committed_db):
    """An office in use: an entry with a photo (and its thumbnail), an archived document, a satker logo."""
    docs.dokumen_archive(dokumen=stored_document, note="Arsip uji")
    org.kudus.logo.save("kop.png", ContentFile(png()))
    return org


def every_table_count() -> dict[str, int]:
    with connection.cursor() as cursor:
        return backup.table_counts(cursor, connection.introspection.table_names(cursor))


def every_object() -> dict[tuple[str, str], str]:
    return {
        (alias, name): stores.sha256_of(storage, name)[0]
        for alias, storage in stores.used_storages().items()
        for name in stores.iter_names(storage)
    }


def wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for storage in stores.used_storages().values():
        for name in list(stores.iter_names(storage)):
            storage.delete(name)


def test_backup_wipe_restore_verify_gives_back_every_row_and_every_byte(deployment, tmp_path):
    tables, objects = every_table_count(), every_object()
    assert tables["kinerja_buktidukung"] == 1 and tables["kinerja_dokumen"] == 1 and tables["auth_user"] > 5
    # the photo and its thumbnail, the document (evidence store), the logo (default store)
    assert {alias for alias, _ in objects} == {"evidence", "default"} and len(objects) == 4

    result = backup.backup(tmp_path)
    manifest = result.manifest
    assert result.missing == [] and manifest["tables"] == tables
    assert {(o["storage"], o["name"]): o["sha256"] for o in manifest["objects"]} == objects
    assert manifest["database"]["vendor"] == connection.vendor
    assert (result.path / manifest["database"]["file"]).stat().st_size == manifest["database"]["size"]

    wipe()
    assert every_object() == {} and every_table_count()["auth_user"] == 0
    assert restore.in_use() == []

    done = restore.restore(result.path)
    assert done.objects_written == 4 and done.tables == len(tables)
    assert every_table_count() == tables
    assert every_object() == objects
    bukti = BuktiDukung.objects.get()
    assert stores.sha256_of(bukti.berkas.storage, bukti.berkas.name)[0] == bukti.sha256
    assert Dokumen.objects.get().arsip is True
    report = integrity.verify(grace=datetime.timedelta(0))
    assert report.ok, report.problems
    assert report.hashed == 2 and report.present == 2 and report.listed == 4


def test_restore_refuses_a_deployment_in_use_unless_forced(deployment, tmp_path):
    result = backup.backup(tmp_path)
    with pytest.raises(
        backup.BackupError, match="not empty .*user accounts.*satker.*objects in the evidence store"
    ):
        restore.restore(result.path)
    assert restore.restore(result.path, force=True).objects_kept == 4  # all already in place, none rewritten


def test_a_damaged_backup_changes_nothing(deployment, tmp_path):
    result = backup.backup(tmp_path)
    first = result.manifest["objects"][0]
    damaged = backup.object_path(result.path, first["storage"], first["name"])
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    wipe()
    with pytest.raises(backup.BackupError, match="damaged"):
        restore.restore(result.path)
    assert every_table_count()["auth_user"] == 0 and every_object() == {}


def test_an_unfinished_backup_is_no_backup(deployment, tmp_path):
    result = backup.backup(tmp_path)
    (result.path / backup.MANIFEST).unlink()
    with pytest.raises(backup.BackupError, match="unfinished"):
        restore.read_manifest(result.path)


def test_a_manifest_cannot_write_outside_the_storage(tmp_path):
    for name in ("../../etc/passwd", "/etc/passwd", "bukti/../../x", ""):
        with pytest.raises(backup.BackupError, match="unsafe"):
            backup.object_path(tmp_path, "evidence", name)


def test_the_commands_round_trip_and_report(deployment, tmp_path, capsys):
    call_command("backup", str(tmp_path))
    out = capsys.readouterr().out
    assert "objects" in out and "tables" in out
    [folder] = [p for p in tmp_path.iterdir() if p.name.startswith("silabu-")]
    wipe()
    call_command("restore", str(folder))
    assert "restored" in capsys.readouterr().out
    call_command("verify_storage")
    assert "0 missing, 0 corrupt, 0 orphan" in capsys.readouterr().out
