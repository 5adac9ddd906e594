"""Installable on a phone (issue 6): Chromium accepts the manifest, the service worker takes the site and caches
the static shell, and of the pages only the three an ASN needs with no signal (issue 18: the entry form, Bulan
saya, the queue page; tests/e2e/test_luring.py); with no network any other page shows the offline notice, and
the worker itself never stores a post to send later."""

from django.urls import reverse

from .helpers import make_entri

SHELL_READY = """
async () => {
  const registration = await navigator.serviceWorker.ready;
  return {scope: registration.scope, script: registration.active.scriptURL};
}
"""

CACHED_URLS = """
async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}
"""


def ready(page, live_server) -> dict:
    registration = page.evaluate(SHELL_READY)
    assert registration["scope"] == live_server.url + "/"
    assert registration["script"] == live_server.url + reverse("service_worker")
    return registration


def test_chromium_finds_the_app_installable(page, demo, login, live_server, shot):
    login(page, demo.asn)
    ready(page, live_server)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert manifest["errors"] == []
    parsed = manifest.get("manifest") or {}
    if parsed:  # newer Chromium returns the parsed manifest beside the raw text ("kStandalone")
        assert parsed.get("display", "").lower().removeprefix("k") == "standalone"
    assert '"display": "standalone"' in manifest["data"]
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are off-the-record profiles, where Chromium never offers installation: that is the
    # browser's setting, not the app's. Every other reason (manifest, icons, worker, scope) must be absent.
    assert [e for e in errors if e != "in-incognito"] == []
    shot(page, "beranda-terpasang")


def test_the_worker_caches_the_static_shell_and_the_offline_pages_only(page, demo, login, live_server):
    login(page, demo.asn)
    ready(page, live_server)
    # pages the person opens afterwards go through the worker; only the offline pages are stored
    entri = make_entri(demo, demo.asn, 6)
    for path in (
        reverse("kinerja:entri_create"),
        reverse("kinerja:bulan_saya_now"),
        reverse("kinerja:entri_list"),
        reverse("kinerja:entri_detail", args=[entri.pk]),
        reverse("kinerja:entri_create") + f"?salin={entri.pk}",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    offline_pages = sorted(
        [reverse("kinerja:entri_create"), reverse("kinerja:bulan_saya_now"), reverse("kinerja:antrean")]
    )
    for _ in range(50):  # the queue page is fetched by the worker in the background
        cached = page.evaluate(CACHED_URLS)
        private = sorted(
            url for url in cached if not (url.startswith("/static/") or url == reverse("offline"))
        )
        if private == offline_pages:
            break
        page.wait_for_timeout(200)
    assert private == offline_pages
    assert reverse("offline") in cached
    assert any(url.endswith(".css") for url in cached) and any(url.endswith(".js") for url in cached)


def test_nothing_private_is_kept_for_who_logs_no_entries(page, demo, login, live_server):
    login(page, demo.pimpinan)
    ready(page, live_server)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    cached = page.evaluate(CACHED_URLS)
    assert [url for url in cached if not (url.startswith("/static/") or url == reverse("offline"))] == []


def test_offline_shows_the_notice_and_never_queues_a_write(page, demo, login, live_server, shot):
    login(page, demo.asn)
    ready(page, live_server)
    page.reload()  # now controlled by the worker
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    try:
        page.goto(reverse("kinerja:entri_list"))  # a page never kept for offline use
        assert page.get_by_role("heading", name="Tidak ada koneksi internet").is_visible()
        assert "Ani Lestari" not in page.content()
        shot(page, "luring")
        # a post made offline fails at once: the worker does not store it to send later
        refused = page.evaluate(
            """async (url) => {
                 try { await fetch(url, {method: 'POST', body: new FormData()}); return false; }
                 catch (e) { return true; }
               }""",
            reverse("kinerja:entri_create"),
        )
        assert refused
    finally:
        page.context.set_offline(False)
    page.goto(reverse("kinerja:entri_list"))
    assert page.get_by_role("heading", name="Tidak ada koneksi internet").count() == 0
