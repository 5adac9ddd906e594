"""manage.py verify_storage: exit status 0 when every object matches its row, 1 on a missing, corrupt or orphan one."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from kinerja import document_store as docs

pytestmark = pytest.mark.storage


@pytest.fixture
def stored(empty_stores, photo_entry, stored_document):
    docs.dokumen_archive(dokumen=stored_document, note="Arsip uji")
    return photo_entry, stored_document


def verify(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_storage", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def replace(fieldfile, content: bytes) -> None:
    """Overwrite a stored object under its own name (what bit rot or a careless copy does)."""
    storage, name = fieldfile.storage, fieldfile.name
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name


def test_a_store_that_matches_its_rows_passes(stored):
    status, out = verify("--grace-minutes", "0")
    assert status == 0
    assert "2 files hashed, 1 more checked present, 3 objects listed" in out
    assert "0 missing, 0 corrupt, 0 orphan" in out


def test_a_corrupt_evidence_file_fails(stored):
    bukti, _ = stored
    replace(bukti.berkas, b"\xff\xd8 not the photo that was uploaded")
    status, out = verify("--grace-minutes", "0")
    assert status == 1
    assert f"corrupt: evidence/{bukti.berkas.name}" in out and "1 corrupt" in out


def test_a_corrupt_archived_document_fails(stored):
    _, dokumen = stored
    replace(dokumen.berkas, b"%PDF-1.4 changed after archiving")
    status, out = verify("--grace-minutes", "0")
    assert status == 1 and f"corrupt: evidence/{dokumen.berkas.name}" in out


def test_a_missing_thumbnail_fails(stored):
    bukti, _ = stored
    bukti.thumbnail.storage.delete(bukti.thumbnail.name)
    status, out = verify("--grace-minutes", "0")
    assert status == 1 and f"missing: evidence/{bukti.thumbnail.name}" in out and "1 missing" in out


def test_a_missing_evidence_file_fails(stored):
    bukti, _ = stored
    bukti.berkas.storage.delete(bukti.berkas.name)
    status, out = verify("--grace-minutes", "0")
    assert status == 1 and f"missing: evidence/{bukti.berkas.name}" in out


def test_an_orphan_fails_once_it_is_older_than_the_grace_period(stored):
    bukti, _ = stored
    orphan = bukti.berkas.storage.save(
        "bukti/2026/01/0123456789abcdef0123456789abcdef.jpg", ContentFile(b"x")
    )
    assert verify()[0] == 0  # just written: perhaps an upload whose row is being committed
    status, out = verify("--grace-minutes", "0")
    assert status == 1 and f"orphan: evidence/{orphan}" in out and "1 orphan" in out


def test_the_json_report_counts_each_kind(stored):
    bukti, dokumen = stored
    replace(bukti.berkas, b"changed")
    dokumen.berkas.storage.delete(dokumen.berkas.name)
    bukti.berkas.storage.save("stray.bin", ContentFile(b"y"))
    status, out = verify("--grace-minutes", "0", "--json")
    assert status == 1
    report = json.loads(out.splitlines()[0])
    assert (report["missing"], report["corrupt"], report["orphan"]) == (1, 1, 1)
    assert {p["kind"] for p in report["problems"]} == {"missing", "corrupt", "orphan"}
