"""The installable app: web app manifest, service worker and the offline page (issue 6), and what the worker
needs for entries saved with no signal (issue 18).

The service worker lives at the site root (/sw.js) so that its scope is the whole site; its code is
static/js/sw.js, to which this view adds the list of shell URLs — the hashed names from the static files
manifest —, the pages it keeps for offline use, the queue's script, and a version that changes when any of them
does, so a deployment replaces the cached shell.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET

BRAND = "#7a1020"

# What every page loads (templates/base.html): cached by the service worker when it installs.
SHELL_STATIC = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "css/silabu.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "js/antrean.js",
    "js/pwa.js",
    # the entry form's and the queue page's own scripts: both pages open with no signal (issue 18)
    "js/entri.js",
    "js/antrean-halaman.js",
    "img/icons/favicon-32.png",
    "img/icons/icon-192.png",
)

ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/maskable-192.png", "192x192", "maskable"),
    ("img/icons/maskable-512.png", "512x512", "maskable"),
)


@require_GET
@cache_control(public=True, max_age=3600)
def manifest(request):
    home = reverse("home")
    data = {
        "id": home,
        "name": "SILABU — Sistem Laporan Bulanan",
        "short_name": "SILABU",
        "description": "Laporan kinerja harian, verifikasi, rekap dan rapat pleno bulanan sekretariat KPU.",
        "lang": "id",
        "dir": "ltr",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
        "shortcuts": [
            {"name": "Isi kinerja", "url": reverse("kinerja:entri_create")},
            {"name": "Bulan saya", "url": reverse("kinerja:bulan_saya_now")},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@lru_cache(maxsize=1)
def _cached_source() -> str:
    with open(finders.find("js/sw.js"), encoding="utf-8") as f:
        return f.read()


def _source() -> str:
    # In development the file is read on every request, so an edit shows at once.
    return _cached_source.__wrapped__() if settings.DEBUG else _cached_source()


def _shell() -> list[str]:
    return [static(path) for path in SHELL_STATIC] + [reverse("offline")]


def _pages() -> dict[str, str]:
    """The pages the worker keeps for an ASN with no signal (each month's Bulan saya lies under `bulan`), and the
    session probe its Background Sync asks before it sends the queue."""
    return {
        "entri": reverse("kinerja:entri_create"),
        "bulan": reverse("kinerja:bulan_saya_now"),
        "antrean": reverse("kinerja:antrean"),
        "sesi": reverse("kinerja:antrean_sesi"),
    }


def service_worker_version() -> str:
    state = json.dumps([_shell(), _pages()]) + _source()
    return hashlib.sha256(state.encode()).hexdigest()[:12]


def service_worker_script() -> str:
    return (
        f"const SHELL = {json.dumps(_shell())};\n"
        f"const VERSION = {json.dumps(service_worker_version())};\n"
        f"const PAGES = {json.dumps(_pages())};\n"
        f"const ANTREAN = {json.dumps(static('js/antrean.js'))};\n"
        f"{_source()}"
    )


@require_GET
@cache_control(no_cache=True)
@etag(lambda request: service_worker_version())
def service_worker(request):
    """The browser checks for a new worker on every visit; the ETag makes that check a 304 of a few bytes."""
    response = HttpResponse(service_worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("home")
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def offline(request):
    """Shown by the service worker when a page cannot be fetched; the same for everyone (no names, no token)."""
    return render(request, "offline.html", {"title": "Tidak ada koneksi"})
