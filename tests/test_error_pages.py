"""The error pages (issue 12, item 6), as a class: 400, 403 (a refusal, Django's PermissionDenied, a CSRF failure),
404 and 500 each render in the site's layout, in Indonesian, with a link home, under production settings
(DEBUG off). The 403s also keep the layout with DEBUG on (`make run`), where Django lets the project's view
answer; the 500 page needs no request context, so it renders even when a context processor would fail.

This module is also the URLconf of its tests: the site's own URLs plus a few views that fail on purpose, with the
site's own handlers.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from kinerja.errors import AksesDitolak
from silabu import urls as site_urls

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
# handler500 stays Django's default (django.views.defaults.server_error over templates/500.html)
assert not hasattr(site_urls, "handler500")


def _refused(request):
    raise AksesDitolak("Halaman ini hanya untuk Subbagian Rendatin.")


def _permission_denied(request):
    raise PermissionDenied("Permission denied by some library")  # English: never shown


def _suspicious(request):
    raise SuspiciousOperation("bad input")


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    *site_urls.urlpatterns,
    path("uji/ditolak/", _refused),
    path("uji/permission-denied/", _permission_denied),
    path("uji/suspicious/", _suspicious),
    path("uji/rusak/", _broken),
]

PAGES = {
    # path: (status, heading, a sentence of the page)
    "/uji/tidak-ada/": (404, "Halaman tidak ditemukan", "Halaman atau data yang Anda cari tidak ada"),
    "/uji/ditolak/": (403, "Akses ditolak", "Halaman ini hanya untuk Subbagian Rendatin."),
    "/uji/permission-denied/": (403, "Akses ditolak", "Anda tidak berwenang membuka halaman ini."),
    "/uji/suspicious/": (400, "Permintaan tidak valid", "Permintaan ini tidak dapat diproses."),
    "/uji/rusak/": (500, "Terjadi kesalahan pada server", "kesalahan di sisi server"),
}


def assert_error_page(response, status: int, heading: str, sentence: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    # the site's layout: its language, its bar with the brand linking home, its main landmark, its styles
    assert '<html lang="id">' in body
    assert '<nav class="navbar' in body and 'class="navbar-brand fw-semibold" href="/">SILABU</a>' in body
    assert '<main id="konten"' in body and "/static/css/silabu.css" in body
    # Indonesian, with a way back
    assert f'<h1 class="h3">{heading}</h1>' in body and sentence in body
    assert '<a class="btn btn-primary" href="/">Ke beranda</a>' in body
    for english in (
        "Not Found",
        "Forbidden",
        "Server Error",
        "Bad Request",
        "Permission denied",
        "verification",
    ):
        assert english not in body
    return body


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", list(PAGES))
def test_every_error_page_is_in_the_layout_in_indonesian_with_a_link_home(db, anonymous, url):
    assert_error_page(anonymous.get(url), *PAGES[url])


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", list(PAGES))
def test_every_error_page_shows_the_signed_in_person(org, login, url):
    client = login(org.asn)
    client.raise_request_exception = False
    body = assert_error_page(client.get(url), *PAGES[url])
    if PAGES[url][0] != 500:  # 500.html has no request context, so it knows nobody
        assert org.asn.nama in body and "Keluar" in body


def failing_context_processor(request):
    raise RuntimeError("a context processor fails")


@pytest.mark.urls(__name__)
def test_the_500_page_needs_no_request_context(db, anonymous, settings):
    """Every page drawn with a request would fail here; the 500 page is still drawn."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "OPTIONS": {**engine["OPTIONS"], "context_processors": [f"{__name__}.failing_context_processor"]},
        }
    ]
    assert_error_page(anonymous.get("/uji/rusak/"), *PAGES["/uji/rusak/"])


def test_a_csrf_failure_is_the_sites_page(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/masuk/", {"username": org.asn.nip, "password": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert '<main id="konten"' in body and '<h1 class="h3">Formulir kedaluwarsa</h1>' in body
    assert "Isian Anda belum tersimpan." in body and 'href="/">Ke beranda</a>' in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body


@override_settings(DEBUG=True)
@pytest.mark.urls(__name__)
def test_with_debug_on_refusals_and_csrf_failures_keep_the_layout(org, login):
    """`make run` runs with DEBUG on: Django still answers PermissionDenied with the project's 403 view and a CSRF
    failure with CSRF_FAILURE_VIEW (only 404 and 500 become Django's technical pages there)."""
    client = login(org.asn)
    assert_error_page(client.get("/uji/ditolak/"), *PAGES["/uji/ditolak/"])
    assert_error_page(client.get("/uji/permission-denied/"), *PAGES["/uji/permission-denied/"])
    response = Client(enforce_csrf_checks=True).post("/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and "Formulir kedaluwarsa" in response.content.decode()


def test_the_site_names_its_error_views():
    from django.conf import settings

    assert settings.CSRF_FAILURE_VIEW == "kinerja.views.home.csrf_failure"
    assert (site_urls.handler400, site_urls.handler403, site_urls.handler404) == (
        "kinerja.views.home.bad_request",
        "kinerja.views.home.forbidden",
        "kinerja.views.home.not_found",
    )
