"""Evidence, documents and backups on an S3-compatible store: a private bucket, random keys, files served only
through the policy views. On .ci/run's S3 leg these run against moto_server over HTTP on loopback; in `make test`
against moto's in-process fake of the same API (tests/ops/conftest.py s3_store)."""

import datetime
import hashlib
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from storages.backends.s3 import S3Storage

from silabu.ops import backup, integrity, restore, stores

pytestmark = pytest.mark.storage
PUBLIC = "http://acs.amazonaws.com/groups/global/AllUsers"


def keys(storage) -> list[str]:
    client = stores.s3_client(storage)
    listing = client.list_objects_v2(Bucket=storage.bucket_name, Prefix=f"{storage.location}/")
    return [item["Key"] for item in listing.get("Contents", ())]


def fresh_bucket(like: S3Storage) -> S3Storage:
    return S3Storage(
        bucket_name=f"silabu-fresh-{uuid.uuid4().hex[:12]}",
        endpoint_url=like.endpoint_url,
        region_name=like.region_name,
        access_key=like.access_key,
        secret_key=like.secret_key,
        client_config=like.client_config,
    )


class TestBucket:
    def test_ensure_bucket_creates_a_private_bucket_once(self, s3_store):
        store = fresh_bucket(s3_store)
        first = stores.ensure_bucket(store)
        assert first[0] == f"bucket {store.bucket_name} created" and "public access blocked" in first
        second = stores.ensure_bucket(store)
        assert second[0] == f"bucket {store.bucket_name} exists"
        client = stores.s3_client(store)
        block = client.get_public_access_block(Bucket=store.bucket_name)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4
        grants = client.get_bucket_acl(Bucket=store.bucket_name)["Grants"]
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"] and PUBLIC not in str(grants)

    def test_a_public_bucket_is_refused(self, s3_store):
        store = fresh_bucket(s3_store)
        stores.s3_client(store).create_bucket(Bucket=store.bucket_name, ACL="public-read")
        with pytest.raises(PermissionError, match="public"):
            stores.ensure_bucket(store)

    def test_the_command_is_idempotent(self, s3_store, capsys):
        call_command("ensure_bucket")
        call_command("ensure_bucket")
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 2 and all(f"s3://{s3_store.bucket_name}" in line for line in out)
        assert out[-1].endswith("exists; public access blocked")
        assert "evidence" in out[-1] and "default" in out[-1]  # one bucket, both stores


class TestEvidenceOnS3:
    def test_a_photo_goes_to_the_bucket_under_a_random_key(self, s3_store, org, photo_entry):
        stored = keys(s3_store)
        assert len(stored) == 2  # the re-encoded photo and its thumbnail
        for key in stored:
            assert re.fullmatch(rf"{s3_store.location}/bukti/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.jpg", key), key
            assert "rapat" not in key  # the user's name for the file is data, never a key
            grants = stores.s3_client(s3_store).get_object_acl(Bucket=s3_store.bucket_name, Key=key)["Grants"]
            assert PUBLIC not in str(grants)
        assert photo_entry.berkas.name in {k.removeprefix(f"{s3_store.location}/") for k in stored}

    def test_the_view_streams_it_after_the_policy_and_nobody_else_gets_it(
        self, s3_store, org, login, photo_entry
    ):
        url = reverse("kinerja:bukti_file", args=[photo_entry.pk])
        response = login(org.kasubag).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        content = b"".join(response.streaming_content)
        assert stores.sha256_of(s3_store, photo_entry.berkas.name)[0] == photo_entry.sha256
        assert hashlib.sha256(content).hexdigest() == photo_entry.sha256
        thumb = login(org.asn).get(reverse("kinerja:bukti_thumb", args=[photo_entry.pk]))
        assert thumb.status_code == 200 and b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"
        for who in (org.colleague, org.other_kasubag, org.pimpinan, org.outsider):
            client = login(who)
            assert client.get(url).status_code == 404
            assert client.get(reverse("kinerja:bukti_thumb", args=[photo_entry.pk])).status_code == 404
        assert Client().get(url).status_code == 302

    def test_no_page_hands_out_a_bucket_url_and_a_made_one_is_signed_and_short(
        self, s3_store, org, login, photo_entry
    ):
        page = (
            login(org.asn).get(reverse("kinerja:entri_detail", args=[photo_entry.entri_id])).content.decode()
        )
        assert s3_store.bucket_name not in page and "X-Amz-" not in page
        query = parse_qs(urlsplit(photo_entry.berkas.url).query)
        assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query

    def test_a_missing_object_is_a_404_not_a_crash(self, s3_store, org, login, photo_entry):
        s3_store.delete(photo_entry.berkas.name)
        assert login(org.asn).get(reverse("kinerja:bukti_file", args=[photo_entry.pk])).status_code == 404

    def test_a_document_is_stored_in_the_bucket_and_downloaded_through_the_view(
        self, s3_store, org, login, stored_document
    ):
        [key] = keys(s3_store)
        assert re.fullmatch(rf"{s3_store.location}/dokumen/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.pdf", key)
        response = login(org.asn).get(reverse("kinerja:dokumen_unduh", args=[stored_document.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 uji"
        assert (
            login(org.outsider).get(reverse("kinerja:dokumen_unduh", args=[stored_document.pk])).status_code
            == 404
        )

    def test_healthz_reaches_the_bucket(self, s3_store, db):
        assert Client().get("/healthz").json()["checks"]["storage"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_verify_on_s3(
    s3_store, org, photo_entry, stored_document, committed_db, tmp_path
):
    def objects():
        return {
            k: stores.sha256_of(s3_store, k.removeprefix(f"{s3_store.location}/"))[0] for k in keys(s3_store)
        }

    before = objects()
    with connection.cursor() as cursor:
        tables = backup.table_counts(cursor, connection.introspection.table_names(cursor))
    result = backup.backup(tmp_path)
    assert len(result.manifest["objects"]) == len(before) == 3
    call_command("flush", interactive=False, verbosity=0)
    for key in list(keys(s3_store)):
        s3_store.delete(key.removeprefix(f"{s3_store.location}/"))
    assert objects() == {}
    restore.restore(result.path)
    assert objects() == before
    assert result.manifest["tables"] == tables
    report = integrity.verify(grace=datetime.timedelta(0))
    assert report.ok and report.hashed == 2 and report.present == 1
