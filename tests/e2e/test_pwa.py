"""Installable on a phone (issue 6): Chromium accepts the manifest, the service worker takes the site and caches
the static shell only; with no network a page shows the offline notice and nothing is written or queued."""

from django.urls import reverse

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


def test_the_worker_caches_the_static_shell_only(page, demo, login, live_server):
    login(page, demo.asn)
    ready(page, live_server)
    # pages the person opens afterwards go through the worker (network only) and are never stored
    for path in (
        reverse("kinerja:entri_create"),
        reverse("kinerja:bulan_saya_now"),
        reverse("kinerja:entri_list"),
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    cached = page.evaluate(CACHED_URLS)
    assert reverse("offline") in cached
    assert any(url.endswith(".css") for url in cached) and any(url.endswith(".js") for url in cached)
    private = [url for url in cached if not (url.startswith("/static/") or url == reverse("offline"))]
    assert private == []


def test_offline_shows_the_notice_and_never_queues_a_write(page, demo, login, live_server, shot):
    login(page, demo.asn)
    ready(page, live_server)
    page.reload()  # now controlled by the worker
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    try:
        page.goto(reverse("kinerja:bulan_saya_now"))
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
    page.goto(reverse("kinerja:bulan_saya_now"))
    assert page.get_by_role("heading", name="Tidak ada koneksi internet").count() == 0
