"""Security headers on pages and downloads, and templates that a Content-Security-Policy without inline code allows."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.models import BuktiDukung

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def csp_directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_page_headers(response):
    assert csp_directives(response["Content-Security-Policy"]) == csp_directives(POLICY)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert permissions["camera"] == "(self)"
    assert permissions["microphone"] == "()" and permissions["geolocation"] == "()"


@pytest.mark.django_db
def test_the_sign_in_page_carries_every_security_header():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert_page_headers(response)
    assert "Strict-Transport-Security" not in response  # plain http in this test


def test_a_signed_in_page_carries_them_too(org, login):
    response = login(org.asn).get(reverse("kinerja:entri_create"))
    assert response.status_code == 200
    assert_page_headers(response)
    assert 'capture="environment"' in response.content.decode()  # the camera the policy allows is used here


def test_hsts_is_sent_over_https(org, login, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = login(org.asn).get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_http_is_redirected_to_https_but_the_health_probe_is_not(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


def test_behind_the_proxy_the_forwarded_scheme_counts(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_secure_cookies_when_the_setting_says_so(org, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": org.asn.nip, "password": "rahasia-kudus-2026"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"] is True


@pytest.mark.storage
class TestDownloads:
    def test_evidence_is_served_inline_with_a_sandboxed_policy(self, org, login, photo_entry):
        response = login(org.asn).get(reverse("kinerja:bukti_file", args=[photo_entry.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'inline; filename="rapat pagi.jpg"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["Permissions-Policy"].startswith("camera=(self)")
        b"".join(response.streaming_content)

    def test_evidence_download_is_an_attachment(self, org, login, photo_entry):
        url = reverse("kinerja:bukti_file", args=[photo_entry.pk]) + "?unduh=1"
        response = login(org.kasubag).get(url)
        assert response["Content-Disposition"] == 'attachment; filename="rapat pagi.jpg"'
        b"".join(response.streaming_content)

    def test_the_thumbnail_too(self, org, login, photo_entry):
        response = login(org.asn).get(reverse("kinerja:bukti_thumb", args=[photo_entry.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == f'inline; filename="thumb-{photo_entry.pk}.jpg"'
        assert response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)

    def test_a_hostile_file_name_cannot_break_the_header(self, org, login, photo_entry):
        BuktiDukung.objects.filter(pk=photo_entry.pk).update(nama_asli='a"b\r\nSet-Cookie: x=1\u202egpj.exe')
        response = login(org.asn).get(reverse("kinerja:bukti_file", args=[photo_entry.pk]) + "?unduh=1")
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition
        # and the JPEG is saved as .jpg, not as the .exe its stored name claimed
        assert disposition == 'attachment; filename="a\\"bSet-Cookie: x=1gpj.jpg"'
        assert "Set-Cookie" not in {k.title() for k in response.headers if k.lower() != "content-disposition"}
        b"".join(response.streaming_content)

    def test_a_document_download_is_an_attachment(self, org, login, stored_document):
        response = login(org.asn).get(reverse("kinerja:dokumen_unduh", args=[stored_document.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="softfile uji.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 uji"


# --- the templates: nothing inline that the policy would block ----------------------------------------------------

# Documents rendered to PDF by WeasyPrint on the server are no web pages: they keep their CSS.
SERVER_ONLY = ("dokumen/", "rekap/dokumen/", "pengukuran/dokumen/")
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on*= handler"),
    (re.compile(r"\bhx-on", re.I), "an hx-on handler (needs eval)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if not relative.startswith(SERVER_ONLY):
            yield relative, path.read_text()


def test_no_template_served_to_browsers_has_inline_code_or_style():
    found = [
        f"{name}: {what}"
        for name, text in browser_templates()
        for pattern, what in INLINE
        if pattern.search(re.sub(r"{#.*?#}", "", text, flags=re.S))
    ]
    assert found == []


def test_no_template_comment_spans_lines():
    """Django's {# #} comment is one line only: a longer one is sent to the browser as text (inside <head> it
    ends the head early)."""
    found = [name for name, text in browser_templates() if re.search(r"{#(?:(?!#}).)*\n", text)]
    assert found == []


def test_the_scan_sees_the_templates_and_would_catch_a_style_attribute():
    names = [name for name, _ in browser_templates()]
    assert "base.html" in names and "kinerja/_dokumen_status.html" in names and len(names) > 40
    assert any(p.search('<div style="width: 5%">') for p, _ in INLINE)
    assert any(p.search("<script>alert(1)</script>") for p, _ in INLINE)
    assert not any(p.search('<script src="/static/js/pwa.js" defer></script>') for p, _ in INLINE)
