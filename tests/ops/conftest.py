"""Fixtures for the service tests: committed data (for pg_dump and the worker), the request log, an S3 store."""

import logging

import pytest
from django.conf import settings
from django.core.files.storage import storages

from kinerja.models import evidence_storage
from silabu.ops import stores
from tests.conftest import ensure_mutu_baku


@pytest.fixture
def committed_db(transactional_db):
    """Real commits (another process, pg_dump, must see the rows; the worker closes connections as it runs).
    A transactional test flushes every table afterwards: the rows a migration seeds are put back."""
    yield
    ensure_mutu_baku()


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_log():
    """The records of the request logger, formatted by the test with the JSON formatter the settings name."""
    handler = Lines()
    logger = logging.getLogger("silabu.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield handler.records
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def _swap_storages(evidence, default) -> list:
    """Point every FileField (and the storages registry) at other stores; returns what to put back."""
    undo = []
    for _model, field in stores.file_fields():
        new = evidence if getattr(field, "_storage_callable", None) is evidence_storage else default
        undo.append((field, field.storage))
        field.storage = new
    undo.append(("registry", dict(storages._storages)))
    storages._storages["evidence"] = evidence
    storages._storages["default"] = default
    return undo


def _unswap(undo) -> None:
    for target, old in undo:
        if target == "registry":
            storages._storages.clear()
            storages._storages.update(old)
        else:
            target.storage = old


@pytest.fixture
def s3_store():
    """The evidence store as an S3 bucket: on .ci/run's S3 leg the real one (moto_server on loopback, settings from
    the environment); elsewhere an in-process fake S3 (moto's mock_aws) that every FileField is pointed at."""
    if stores.is_s3(evidence_storage()):
        # this process's own prefix in the CI bucket; earlier tests (rolled back) may have left objects there
        for storage in stores.used_storages().values():
            for name in list(stores.iter_names(storage)):
                storage.delete(name)
        yield evidence_storage()
        return
    from moto import mock_aws
    from storages.backends.s3 import S3Storage

    with mock_aws():
        # the production options (signed, short-lived URLs; path addressing; no ACL header) on AWS's fake endpoint
        options = {
            **settings.S3_OPTIONS,
            "bucket_name": "silabu-test",
            "endpoint_url": None,
            "region_name": "us-east-1",
            "access_key": "x",
            "secret_key": "x",
        }
        evidence = S3Storage(**options, location="evidence")
        default = S3Storage(**options, location="media")
        stores.ensure_bucket(evidence)
        undo = _swap_storages(evidence, default)
        try:
            yield evidence
        finally:
            _unswap(undo)


@pytest.fixture
def empty_stores():
    """This process's test stores hold the files of earlier tests whose rows were rolled back: start empty."""
    for storage in stores.used_storages().values():
        for name in list(stores.iter_names(storage)):
            storage.delete(name)


# --- data: an entry with a photo and a stored document, made through the real paths -----------------------------


@pytest.fixture
def photo_entry(org, login):
    """The ASN's entry of today with one photo, posted through the entry form; returns its BuktiDukung."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from kinerja.models import BuktiDukung
    from tests.kinerja.test_entries_views import entry_data, jpeg

    response = login(org.asn).post(
        reverse("kinerja:entri_create"),
        {**entry_data(org), "foto": SimpleUploadedFile("rapat pagi.jpg", jpeg((1600, 1200)))},
    )
    assert response.status_code == 302, response.content[:500]
    return BuktiDukung.objects.get()


@pytest.fixture
def stored_document(org, monkeypatch):
    """A ready document of the ASN's month ("softfile_pegawai", so the policy's rule applies), tiny and fake."""
    from kinerja import document_store as docs

    generators = dict(docs.GENERATORS)
    generators["softfile_pegawai"] = docs.Generator(
        "softfile_pegawai",
        lambda satker, params: "Softfile uji",
        lambda satker, params, progress: docs.Rendered(
            "softfile uji.pdf", "application/pdf", b"%PDF-1.4 uji"
        ),
        lambda satker, params: "1",
    )
    monkeypatch.setattr(docs, "GENERATORS", generators)
    params = {"pegawai_id": org.asn.pk, "tahun": 2025, "bulan": 10, "fmt": "pdf"}
    return docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params, by=org.asn)
