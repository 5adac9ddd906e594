"""Public verification of a printed document (issue 13, Deliver 6): the code and QR code in every PDF's footer,
the page they open (/v/<code>/), the byte-for-byte check of an uploaded copy, and its rate limits."""

import io
import re
import urllib.parse

import pytest
import segno
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from kinerja import document_store as docs
from kinerja.models import Dokumen, StatusDokumen
from silabu.lib import verification
from tests.rekap.test_services import compiled


def pdf_text(content: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


@pytest.fixture
def booklet(org, monkeypatch):
    """October's plenary booklet, rendered for real through the store, and every QR payload drawn for it."""
    drawn = []
    real = verification.qr_svg_data_uri

    def spy(payload: str) -> str:
        drawn.append(payload)
        return real(payload)

    monkeypatch.setattr(verification, "qr_svg_data_uri", spy)
    rekap = compiled(org)
    dokumen = docs.dokumen_request(
        satker=org.kudus, jenis="bahan_pleno", params={"tahun": rekap.tahun, "bulan": 10, "fmt": "pdf"}
    )
    assert dokumen.status == StatusDokumen.SIAP
    with dokumen.berkas.open("rb") as handle:
        content = handle.read()
    return dokumen, content, drawn


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_a_printed_booklet_qr_opens_its_page_and_a_one_byte_change_does_not_match(org, client, booklet):
    dokumen, content, drawn = booklet
    url = docs.verification_url(dokumen)
    assert url == f"http://127.0.0.1:8000/v/{dokumen.kode_cetak}/"

    # every page's footer prints the code and the address; the QR code drawn encodes exactly that address
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert f"Kode verifikasi: {dokumen.kode_cetak}" in text
        assert url in text
    assert set(drawn) == {url}
    qr = segno.make(url, error="m")
    assert verification.qr_svg_data_uri(url) == qr.svg_data_uri(scale=0.4, unit="mm", border=1)
    # the SHA-256 on the row is of the stored bytes, code included
    assert docs.hashlib.sha256(content).hexdigest() == dokumen.sha256

    # the QR code's address opens the page, for anyone: who made it, when, who signs; nothing of its content
    page = client.get(path_of(url))
    assert page.status_code == 200
    html = page.content.decode()
    assert dokumen.judul in html and org.kudus.nama in html and dokumen.sha256 in html
    assert (
        dokumen.ringkasan["periode"] == f"Oktober {dokumen.params['tahun']}"
        and dokumen.ringkasan["periode"] in html
    )
    assert dokumen.ringkasan["dibuat"] in html and re.search(r"\d{2}:\d{2} WIB", html)
    assert org.sekretaris.nama in html and org.kasubag_rendatin.nama in html
    assert org.asn.nama not in html  # a person of the booklet's tables
    assert "Kelengkapan pengisian" not in html

    # the file as printed matches; a copy with one byte changed does not
    same = client.post(path_of(url), {"berkas": SimpleUploadedFile("bahan.pdf", content)})
    assert same.status_code == 200 and same.context["result"]["cocok"] is True
    assert "Cocok." in same.content.decode()
    tampered = bytearray(content)
    tampered[len(tampered) // 2] ^= 0x01
    other = client.post(path_of(url), {"berkas": SimpleUploadedFile("bahan.pdf", bytes(tampered))})
    assert other.status_code == 200 and other.context["result"]["cocok"] is False
    assert "Tidak cocok." in other.content.decode()


def test_a_typed_code_opens_the_page_in_any_spelling(org, client, booklet):
    dokumen, _content, _drawn = booklet
    typed = " ".join(dokumen.kode_cetak.lower().split("-")).replace("o", "0")
    assert client.get(reverse("keaslian", kwargs={"kode": typed})).status_code == 200


def test_an_unknown_or_unfinished_code_is_404(org, client):
    assert (
        client.get(
            reverse("keaslian", kwargs={"kode": verification.grouped(verification.new_code())})
        ).status_code
        == 404
    )
    assert client.get(reverse("keaslian", kwargs={"kode": "ABC"})).status_code == 404
    queued = Dokumen.objects.create(satker=org.kudus, jenis="rekap_bulanan", kunci="k", judul="Antre")
    assert client.get(reverse("keaslian", kwargs={"kode": queued.kode_cetak})).status_code == 404


def test_codes_are_unguessable_and_each_document_has_its_own(org):
    codes = {verification.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[A-Z2-7]{28}", code) for code in codes)  # 28 × 5 = 140 random bits
    assert verification.CODE_LENGTH * 5 >= 128
    a = Dokumen.objects.create(satker=org.kudus, jenis="x", kunci="a", judul="A")
    b = Dokumen.objects.create(satker=org.kudus, jenis="x", kunci="b", judul="B")
    assert a.kode_verifikasi != b.kode_verifikasi and len(a.kode_cetak) == 34


@override_settings(VERIFY_LOOKUP_RATE="3/600", VERIFY_UPLOAD_RATE="2/600")
def test_lookups_and_uploads_are_rate_limited_per_address(org, client, booklet):
    dokumen, content, _drawn = booklet
    path = reverse("keaslian", kwargs={"kode": dokumen.kode_cetak})
    guesses = [reverse("keaslian", kwargs={"kode": verification.new_code()}) for _ in range(3)]
    assert [client.get(g).status_code for g in guesses] == [404, 404, 404]
    assert client.get(path).status_code == 429  # guessing spent the address's lookups, the real code too
    assert client.get(path, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address has its own

    cache.clear()
    upload = {"REMOTE_ADDR": "10.0.0.7"}
    posts = [
        client.post(path, {"berkas": SimpleUploadedFile("b.pdf", content)}, **upload).status_code
        for _ in range(3)
    ]
    assert posts == [200, 200, 429]


def every_report_class(cls=None):
    from silabu.lib.report import Report

    for sub in (cls or Report).__subclasses__():
        yield sub
        yield from every_report_class(sub)


def test_every_pdf_template_prints_the_code_and_the_qr_code_in_every_page_footer():
    """The class: every document that has a PDF form lays out through dokumen/base.html's footer, none replaces it."""
    from django.template.loader import render_to_string

    from silabu.lib import pdf

    templates = {c.template_name for c in every_report_class() if c.template_name}
    assert len(templates) >= 9  # softfile, the four month documents, the four measurement documents
    stamp = verification.Stamp(code=verification.new_code(), url="https://silabu.example/v/X/")
    for name in sorted(templates):
        html = render_to_string(name, {"verifikasi": stamp, "footer": pdf.css_string("kaki"), "doc": None})
        assert "@bottom-left { content: element(verifikasi); }" in html, name
        assert html.count("@bottom-left") == 1, name  # no template lays out a footer of its own
        assert f"Kode verifikasi: <b>{stamp.grouped}</b>" in html and stamp.url in html, name
        assert f'<img src="{stamp.qr_data_uri}"' in html, name
