"""Bad evidence through the real form: each is refused with a clear message and leaves nothing behind."""

import io
import os
import struct
import zlib

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from kinerja import services
from kinerja.evidence import CONTENT_TYPES
from kinerja.models import AuditLog, BuktiDukung, EntriKinerja
from silabu.ops import stores
from tests import hostile_zips

from .test_entries_views import entry_data, jpeg

# .ci/run's S3 leg runs this module again with the evidence store in a bucket
pytestmark = pytest.mark.storage
ON_S3 = stores.is_s3(storages["evidence"])


def stored_files() -> list[str]:
    return sorted(stores.iter_names(storages["evidence"]))


def png_bomb(width=12000, height=9000) -> bytes:
    """A tiny PNG that would decompress to over 100 megapixels."""
    raw = zlib.compress(b"\x00" * (width // 8 + 1) * height, 9)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(out, "JPEG")
    data = out.getvalue()
    return data[: len(data) // 2]


BAD_UPLOADS = [
    ("program.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "tidak didukung"),
    ("elf.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "tidak didukung"),
    ("laporan.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "tidak didukung"),
    ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "tidak didukung"),
    ("besar.png", png_bomb(), "piksel"),
    ("rusak.jpg", truncated_jpeg(), "rusak"),
    ("kosong.pdf", b"", "kosong"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload_is_refused_and_leaves_nothing(org, login, name, content, message):
    before = stored_files()
    response = login(org.asn).post(
        reverse("kinerja:entri_create"), {**entry_data(org), "berkas": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert not EntriKinerja.objects.exists() and not BuktiDukung.objects.exists()
    assert stored_files() == before


@override_settings(EVIDENCE_MAX_BYTES=50 * 1024)
def test_file_over_the_limit_is_refused(org, login):
    before = stored_files()
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 60 * 1024)
    response = login(org.asn).post(reverse("kinerja:entri_create"), {**entry_data(org), "berkas": big})
    assert "melebihi batas" in response.content.decode()
    assert not EntriKinerja.objects.exists() and stored_files() == before


def test_one_bad_file_among_good_ones_saves_nothing(org, login):
    before = stored_files()
    good = SimpleUploadedFile("foto.jpg", jpeg())
    bad = SimpleUploadedFile("virus.jpg", b"MZ" + b"\x00" * 100)
    response = login(org.asn).post(
        reverse("kinerja:entri_create"), {**entry_data(org), "berkas": [good, bad]}
    )
    assert "virus.jpg" in response.content.decode()
    assert not EntriKinerja.objects.exists() and stored_files() == before


def test_path_and_non_ascii_name_is_kept_as_data_only(org, login):
    name = "../../etc/Laporan rapat – Kudus ✓.pdf"
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")
    response = login(org.asn).post(reverse("kinerja:entri_create"), {**entry_data(org), "berkas": upload})
    assert response.status_code == 302
    bukti = BuktiDukung.objects.get()
    assert bukti.nama_asli == "Laporan rapat – Kudus ✓.pdf"
    assert ".." not in bukti.berkas.name and "Kudus" not in bukti.berkas.name
    assert bukti.berkas.name.startswith("bukti/") and bukti.berkas.name.endswith(".pdf")
    if ON_S3:  # the object's key is the stored name under the store's own prefix
        assert bukti.berkas.name in stored_files()
    else:
        real = os.path.realpath(bukti.berkas.path)
        assert real.startswith(os.path.realpath(storages["evidence"].location))


def test_failure_after_files_are_stored_removes_them_and_the_rows(org, login, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit", broken_audit)
    before = stored_files()
    client = login(org.asn)
    client.raise_request_exception = False
    response = client.post(
        reverse("kinerja:entri_create"), {**entry_data(org), "foto": SimpleUploadedFile("a.jpg", jpeg())}
    )
    assert response.status_code == 500
    assert not EntriKinerja.objects.exists() and not BuktiDukung.objects.exists()
    assert stored_files() == before
    assert not AuditLog.objects.exists()


def test_too_many_files_at_once(org, login, settings):
    settings.EVIDENCE_MAX_FILES = 2
    before = stored_files()
    files = [SimpleUploadedFile(f"f{i}.jpg", jpeg()) for i in range(3)]
    response = login(org.asn).post(reverse("kinerja:entri_create"), {**entry_data(org), "berkas": files})
    assert response.status_code == 200 and "Paling banyak 2 berkas" in response.content.decode()
    assert stored_files() == before


class TestEvidenceIsPrivate:
    @pytest.fixture
    def bukti(self, org, login):
        login(org.asn).post(
            reverse("kinerja:entri_create"), {**entry_data(org), "foto": SimpleUploadedFile("a.jpg", jpeg())}
        )
        return BuktiDukung.objects.get()

    @pytest.mark.parametrize("who", ["asn", "kasubag", "rendatin", "sekretaris"])
    def test_allowed_people_get_the_file(self, org, login, bukti, who):
        response = login(getattr(org, who)).get(reverse("kinerja:bukti_file", args=[bukti.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"

    @pytest.mark.parametrize("who", ["colleague", "other_kasubag", "pimpinan", "outsider"])
    def test_others_get_404(self, org, login, bukti, who):
        client = login(getattr(org, who))
        assert client.get(reverse("kinerja:bukti_file", args=[bukti.pk])).status_code == 404
        assert client.get(reverse("kinerja:bukti_thumb", args=[bukti.pk])).status_code == 404

    def test_anonymous_is_sent_to_login(self, bukti):
        response = Client().get(reverse("kinerja:bukti_file", args=[bukti.pk]))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_evidence_is_outside_every_public_url(self, bukti, settings):
        if ON_S3:  # a private bucket: an object URL works only signed, for a minute
            assert "X-Amz-Signature=" in bukti.berkas.url and "X-Amz-Expires=60" in bukti.berkas.url
            return
        location = os.path.realpath(storages["evidence"].location)
        assert not location.startswith(os.path.realpath(str(settings.STATIC_ROOT)))
        assert bukti.berkas.url.startswith("/evidence-not-served/")


# --- what a download is typed and named as: what the bytes are, never what they were called ------------------


def upload_one(org, login, name: str, content: bytes) -> BuktiDukung:
    upload = SimpleUploadedFile(name, content, content_type="text/html")
    response = login(org.asn).post(reverse("kinerja:entri_create"), {**entry_data(org), "berkas": upload})
    assert response.status_code == 302
    return BuktiDukung.objects.get()


def test_a_pdf_html_polyglot_named_html_is_kept_and_downloaded_as_a_pdf(org, login):
    bukti = upload_one(org, login, "laporan.html", hostile_zips.POLYGLOT)
    assert (bukti.nama_asli, bukti.content_type) == ("laporan.pdf", "application/pdf")
    assert bukti.berkas.name.endswith(".pdf")
    client = login(org.asn)
    for query in ("", "?unduh=1"):
        response = client.get(reverse("kinerja:bukti_file", args=[bukti.pk]) + query)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].endswith('filename="laporan.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]


def test_evidence_stored_under_its_old_name_downloads_with_its_kinds_extension(org, login):
    bukti = upload_one(org, login, "laporan.pdf", hostile_zips.POLYGLOT)
    BuktiDukung.objects.filter(pk=bukti.pk).update(nama_asli="laporan.html")  # as rows stored before the fix
    response = login(org.asn).get(reverse("kinerja:bukti_file", args=[bukti.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('filename="laporan.pdf"')


@pytest.mark.parametrize("extension", list(hostile_zips.every_kind()))
def test_every_kind_is_typed_by_its_content_and_only_images_and_pdf_open_inline(org, login, extension):
    bukti = upload_one(org, login, "bukti.html", hostile_zips.every_kind()[extension])
    assert bukti.nama_asli == f"bukti.{extension}" and bukti.berkas.name.endswith(f".{extension}")
    client = login(org.asn)
    opened = client.get(reverse("kinerja:bukti_file", args=[bukti.pk]))
    saved = client.get(reverse("kinerja:bukti_file", args=[bukti.pk]) + "?unduh=1")
    for response in (opened, saved):
        assert response["Content-Type"] == CONTENT_TYPES[extension]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].endswith(f'filename="bukti.{extension}"')
    inline = extension in ("jpg", "png", "pdf")
    assert opened["Content-Disposition"].startswith("inline" if inline else "attachment")
    assert saved["Content-Disposition"].startswith("attachment")
