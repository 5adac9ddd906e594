"""The installable app: manifest, service worker and offline page, read as a browser would fetch them."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from silabu import pwa


@pytest.fixture
def anon(client):
    return client


def test_manifest_is_valid_json_for_an_installable_app(anon, db):
    response = anon.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "SILABU — Sistem Laporan Bulanan"
    assert data["short_name"] == "SILABU"
    assert data["start_url"] == "/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["lang"] == "id"
    assert data["theme_color"] == "#7a1020"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert purposes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    assert [s["url"] for s in data["shortcuts"]] == [
        reverse("kinerja:entri_create"),
        reverse("kinerja:bulan_saya_now"),
    ]


@pytest.mark.parametrize(("path", "size", "purpose"), pwa.ICONS)
def test_every_icon_exists_with_its_declared_size(path, size, purpose):
    found = finders.find(path)
    assert found, path
    with Image.open(found) as img:
        assert img.format == "PNG"
        assert f"{img.width}x{img.height}" == size
        if purpose == "maskable":
            # a maskable icon is full-bleed: its corners are opaque brand colour, not transparent
            assert img.convert("RGBA").getpixel((0, 0)) == (0x7A, 0x10, 0x20, 255)


def test_service_worker_served_from_the_root_with_its_scope_header(anon, db):
    response = anon.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    shell = json.loads(re.search(r"^const SHELL = (.*);$", body, re.M).group(1))
    assert re.search(r'^const VERSION = "[0-9a-f]{12}";$', body, re.M)
    assert "/offline/" in shell
    assert "/static/css/silabu.css" in shell
    # the shell is public static files and the offline page only: no pages, evidence or documents
    assert all(url.startswith("/static/") or url == "/offline/" for url in shell)


def test_service_worker_never_handles_posts_or_private_files():
    with open(finders.find("js/sw.js"), encoding="utf-8") as f:
        source = f.read()
    assert 'if (request.method !== "GET") return;' in source
    # the cache writes: the two /static/ strategies, and keep() for the offline pages (issue 18), which stores
    # a plain 200 page only, under its bare path, in the page cache that the pages drop on logout
    assert source.count("cache.put(") == 3
    assert 'url.pathname.startsWith("/static/")' in source
    keep = source[source.index("function keep(") : source.index("function kept(")]
    assert 'response.status !== 200 || response.type !== "basic" || response.redirected' in keep
    assert "caches.open(PAGE_CACHE).then((cache) => cache.put(path, copy))" in keep
    assert "if (!url.search) event.waitUntil(keep(url.pathname" in source


def test_service_worker_keeps_only_the_offline_pages_of_an_asn(anon, db):
    body = anon.get("/sw.js").content.decode()
    pages = json.loads(re.search(r"^const PAGES = (.*);$", body, re.M).group(1))
    assert pages == {
        "entri": reverse("kinerja:entri_create"),
        "bulan": reverse("kinerja:bulan_saya_now"),
        "antrean": reverse("kinerja:antrean"),
        "sesi": reverse("kinerja:antrean_sesi"),
    }
    antrean = json.loads(re.search(r"^const ANTREAN = (.*);$", body, re.M).group(1))
    shell = json.loads(re.search(r"^const SHELL = (.*);$", body, re.M).group(1))
    assert antrean == "/static/js/antrean.js" and antrean in shell
    # the scripts of the two pages that open with no signal are in the shell, so they load offline too
    assert {"/static/js/entri.js", "/static/js/antrean-halaman.js"} <= set(shell)


def test_service_worker_version_follows_the_shell(anon, db, settings):
    first = anon.get("/sw.js").content.decode()
    settings.STATIC_URL = "/aset/"
    second = anon.get("/sw.js").content.decode()
    version = re.compile(r'^const VERSION = "(\w+)";$', re.M)
    assert version.search(first).group(1) != version.search(second).group(1)


def test_offline_page_is_public_and_holds_no_personal_data(client, org):
    client.force_login(org.asn.user, backend="kinerja.auth.NipOrUsernameBackend")
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tidak ada koneksi internet" in html
    assert "Ani Lestari" not in html
    assert "csrf" not in html.lower()
    assert client.get("/sw.js").status_code == 200


def test_every_page_links_the_manifest_and_registers_the_worker(client, org):
    client.force_login(org.asn.user, backend="kinerja.auth.NipOrUsernameBackend")
    html = client.get(reverse("kinerja:entri_create")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#7a1020">' in html
    assert 'rel="apple-touch-icon"' in html
    assert re.search(
        r'<script src="/static/js/pwa\.js" data-sw="/sw\.js" data-scope="/" defer></script>', html
    )


def test_service_worker_update_check_is_a_304(anon, db):
    first = anon.get("/sw.js")
    again = anon.get("/sw.js", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
