"""`python -m tests.bench.phone`: the phone budget of the daily entry page (issue 6), measured in real Chromium.

The app runs as in production: the real settings with DEBUG off, static files collected into a temporary
STATIC_ROOT by WhiteNoise's CompressedManifestStaticFilesStorage (hashed names, gzip and brotli copies made at
collectstatic time) and served by WhiteNoise's middleware, behind a threaded WSGI server on a free localhost port
(no `runserver --insecure`, no DEBUG static serving). The data is the full demo (`seed_demo`) in a throw-away
SQLite database; the page is opened by the demo's first KUL staff member (an ASN) on a 360×800 touch screen.

Measured with the Chrome DevTools Protocol (Network.loadingFinished's encodedDataLength: bytes on the wire,
headers and compressed body) for the page and for its service worker:

- first load, empty cache: ≤ 150 KB;
- repeat load (the page opened again): ≤ 30 KB — static files carry hashed names and a far-future
  Cache-Control, so none of them may be asked for again;
- touch targets: every visible link, button and form control ≥ 44 px high;
- the form, filled by its labels with a photo from the camera input, is sent as one multipart POST;
- the photo is a 12-megapixel camera JPEG (4000×3000, tests/kamera.py): the page shrinks it on the phone to the
  server's long side before it sends it (issue 18); the bytes the camera made and the bytes sent are printed.

The figures are printed and asserted: the script exits non-zero when the page is over budget.
"""

import os
import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE))

FIRST_LOAD_BUDGET = 150 * 1024
REPEAT_LOAD_BUDGET = 30 * 1024
TOUCH_MIN_PX = 44
VIEWPORT = {"width": 360, "height": 800}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Elements a finger must hit. Checkboxes and radios count with their label (the label is the target).
TOUCH_SCRIPT = """
(min) => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '').trim();
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.type ? '[' + el.type + ']' : '')
      + (text ? ' "' + text.slice(0, 40) + '"' : '');
  };
  const out = [];
  let checked = 0;
  for (const el of document.querySelectorAll(sel)) {
    if (!visible(el)) continue;
    checked += 1;
    let h = el.getBoundingClientRect().height;
    if (el.type === 'checkbox' || el.type === 'radio') {
      for (const label of el.labels || []) h = Math.max(h, label.getBoundingClientRect().height);
    }
    if (h < min) out.push({element: describe(el), height: Math.round(h * 10) / 10});
  }
  return {checked, offenders: out};
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configure(tmp: Path) -> None:
    """Production settings (silabu.settings, DEBUG off) pointed at throw-away folders."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "silabu.settings"
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "phone-bench-only-" + os.urandom(8).hex()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'phone.sqlite3'}"
    os.environ["STATIC_ROOT"] = str(tmp / "static")
    os.environ["EVIDENCE_ROOT"] = str(tmp / "evidence")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["LOG_LEVEL"] = "WARNING"
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made here are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def prepare() -> None:
    from django.core.management import call_command

    print("Menyiapkan: migrate, collectstatic (hashed + gzip/brotli), seed_demo…", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)


def serve(port: int):
    """The WSGI app behind Django's threaded WSGI server (the one LiveServerTestCase uses), quietly."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    app = get_wsgi_application()
    server = ThreadedWSGIServer(("127.0.0.1", port), Quiet, allow_reuse_address=False)
    server.set_app(app)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def demo_asn():
    from kinerja.models import Satker

    satker = Satker.objects.get(kode="kudus")
    kul = satker.subbagian_set.get(singkatan="KUL")
    return kul.pegawai_set.exclude(pk=kul.kasubag_id).select_related("user").order_by("nama").first()


def session_cookie(user, url: str) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="kinerja.auth.NipOrUsernameBackend")
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


class Traffic:
    """Bytes on the wire per request, from CDP Network events of one target (the page or its service worker)."""

    def __init__(self, cdp, label: str):
        self.label = label
        self.requests: dict[str, dict] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, e):
        self.requests[e["requestId"]] = {
            "url": e["request"]["url"],
            "method": e["request"]["method"],
            "type": e.get("type", ""),
            "bytes": 0,
            "status": None,
            "encoding": "",
            "cache": "",
            "done": False,
            "source": self.label,
        }

    def _response(self, e):
        r = self.requests.setdefault(e["requestId"], {"url": e["response"]["url"], "bytes": 0})
        resp = e["response"]
        headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
        r["status"] = resp["status"]
        r["encoding"] = headers.get("content-encoding", "")
        r["cache_control"] = headers.get("cache-control", "")
        if resp.get("fromDiskCache") or resp.get("fromPrefetchCache"):
            r["cache"] = "disk"
        elif resp.get("fromServiceWorker"):
            r["cache"] = "sw"

    def _finished(self, e):
        r = self.requests.get(e["requestId"])
        if r is not None:
            r["bytes"] = e["encodedDataLength"]
            r["done"] = True

    def _failed(self, e):
        r = self.requests.get(e["requestId"])
        if r is not None:
            r["done"] = True
            r["failed"] = e.get("errorText", "")

    def take(self) -> list[dict]:
        rows = [r for r in self.requests.values() if r.get("done")]
        self.requests = {k: v for k, v in self.requests.items() if not v.get("done")}
        return rows


class WorkerTraffic:
    """The service worker's own fetches (its install, pages it passes through). Playwright reports them on the
    context in Chromium; their wire size is Playwright's request.sizes() (the same CDP figures: headers and
    encoded body)."""

    def __init__(self, context):
        self.rows = []
        context.on("requestfinished", self._finished)

    def _finished(self, request):
        if request.service_worker is None:
            return
        sizes = request.sizes()
        response = request.response()
        headers = response.headers if response else {}
        # Chromium reports no body size for the worker's own script: its Content-Length is the same figure.
        body = sizes["responseBodySize"] or int(headers.get("content-length", 0) or 0)
        self.rows.append(
            {
                "url": request.url,
                "method": request.method,
                "bytes": body + sizes["responseHeadersSize"],
                "status": response.status if response else None,
                "encoding": headers.get("content-encoding", ""),
                "cache_control": headers.get("cache-control", ""),
                "cache": "",
                "source": "sw",
                "done": True,
            }
        )

    def take(self) -> list[dict]:
        rows, self.rows = self.rows, []
        return rows


def far_future(cache_control: str) -> bool:
    """At least a year, and marked immutable: the browser never asks for the file again."""
    parts = [p.strip() for p in cache_control.split(",")]
    ages = [int(p.split("=", 1)[1]) for p in parts if p.startswith("max-age=")]
    return "immutable" in parts and bool(ages) and ages[0] >= 365 * 24 * 3600


def short(url: str, origin: str) -> str:
    path = url.removeprefix(origin)
    return path if len(path) <= 70 else path[:67] + "…"


def report(title: str, rows: list[dict], origin: str) -> int:
    total = sum(r["bytes"] for r in rows)
    network = [r for r in rows if r["bytes"] > 0]
    print(
        f"\n{title}: {total / 1024:.1f} KB dalam {len(network)} permintaan jaringan ({len(rows)} permintaan)"
    )
    for r in sorted(rows, key=lambda r: -r["bytes"]):
        tag = r.get("cache") or r.get("encoding") or "-"
        status = r.get("status") or ""
        print(
            f"  {r['bytes'] / 1024:7.1f} KB  {status:>3}  {r['source']:<6} {tag:<6} {short(r['url'], origin)}"
        )
    return total


def wait_quiet(page, ms: int = 600) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(ms)


def test_photo() -> bytes:
    from tests.kamera import camera_jpeg

    return camera_jpeg()


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def submit_with_photo(page, entry_url: str, photo: bytes) -> list[dict]:
    """Fill the entry form by its labels, attach a photo to the camera input and save: count the POSTs."""
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.goto(entry_url)
    kode = page.get_by_label("Kode output/kegiatan")
    first_code = kode.locator("option:not([value=''])").first.get_attribute("value")
    kode.select_option(first_code)
    page.get_by_label("Nama kegiatan/pekerjaan").fill("Uji anggaran ponsel: foto langsung dari kamera")
    page.get_by_label("Output hasil kegiatan/pekerjaan").fill("Foto kegiatan terlampir")
    page.get_by_label("Jam mulai").fill("08:00")
    page.get_by_label("Jam selesai").fill("09:00")
    page.get_by_label("Ambil foto").set_input_files(
        files=[{"name": "kamera.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    page.locator('[data-hemat="foto"]').filter(has_text="→").wait_for(timeout=30_000)
    shown = page.locator('[data-hemat="foto"]').inner_text()
    # what the POST carries for the photo: the file the page put in the input after shrinking it
    sent = page.get_by_label("Ambil foto").evaluate("(input) => input.files[0].size")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_load_state()
    return [
        {
            "url": r.url,
            "content_type": r.headers.get("content-type", ""),
            "photo_bytes": sent,
            "shown": shown,
        }
        for r in posts
    ]


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="silabu-phone-"))
    try:
        return measure(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(tmp: Path) -> int:
    configure(tmp)
    import django

    django.setup()
    prepare()

    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    from kinerja.models import EntriKinerja, JenisBukti

    port = free_port()
    server = serve(port)
    origin = f"http://127.0.0.1:{port}"
    entry_url = origin + reverse("kinerja:entri_create")
    asn = demo_asn()
    print(f"Halaman: {reverse('kinerja:entri_create')} sebagai {asn.nama} (ASN), layar 360×800")

    failures = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            viewport=VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=2, locale="id-ID"
        )
        context.add_cookies([session_cookie(asn.user, origin)])
        page = context.new_page()
        traffic = [Traffic(context.new_cdp_session(page), "page"), WorkerTraffic(context)]

        # First load: empty cache. The service worker installs after the load and caches the shell.
        page.goto(entry_url)
        wait_quiet(page)
        page.evaluate("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
        wait_quiet(page)
        rows = [r for t in traffic for r in t.take()]
        first = report("Muat pertama (cache kosong)", rows, origin)
        first_requests = sum(1 for r in rows if r["bytes"] > 0)
        static_rows = [r for r in rows if "/static/" in r["url"] and r["bytes"] > 0]
        short_lived = [r for r in static_rows if not far_future(r.get("cache_control", ""))]
        controls = sorted({r.get("cache_control", "") for r in static_rows})

        touch = page.evaluate(TOUCH_SCRIPT, TOUCH_MIN_PX)

        # Repeat load: the page opened again, as the next day.
        page.goto(entry_url)
        wait_quiet(page)
        rows = [r for t in traffic for r in t.take()]
        repeat = report("Muat ulang (halaman dibuka lagi)", rows, origin)
        repeat_requests = sum(1 for r in rows if r["bytes"] > 0)
        static_again = [r for r in rows if "/static/" in r["url"] and r["bytes"] > 0]

        before = EntriKinerja.objects.filter(pegawai=asn).count()
        photo = test_photo()
        posts = submit_with_photo(page, entry_url, photo)
        created = EntriKinerja.objects.filter(pegawai=asn).count() - before
        saved = EntriKinerja.objects.filter(pegawai=asn).order_by("-id").first()
        browser.close()
    server.shutdown()

    print(f"\nCache-Control berkas statis ({len(static_rows)} berkas): {' | '.join(controls)}")
    small = len(touch["offenders"])
    print(f"Target sentuh (≥ {TOUCH_MIN_PX} px): {touch['checked']} elemen diperiksa, {small} terlalu kecil")
    for o in touch["offenders"]:
        print(f"  {o['height']:5.1f} px  {o['element']}")
    print(
        f"Kirim entri dengan foto: {len(posts)} POST"
        + "".join(f" ({q['content_type'].split(';')[0]})" for q in posts)
        + f"; entri baru: {created}"
        + (f", {saved.bukti.filter(jenis=JenisBukti.FOTO).count()} foto bukti" if created else "")
    )
    if created and posts:
        stored = saved.bukti.get()
        sent = posts[0]["photo_bytes"]
        print(
            f"Foto 12 MP (4000×3000 JPEG dari kamera): {mb(len(photo))} → dikirim {mb(sent)} "
            f"(hemat {mb(len(photo) - sent)}, {100 * (len(photo) - sent) / len(photo):.0f} %); "
            f"di server {stored.lebar}×{stored.tinggi}, {mb(stored.ukuran)}. "
            f"Ponsel menampilkan: «{posts[0]['shown']}»"
        )
    print(
        f"\nRingkas: muat pertama {first / 1024:.1f} KB ({first_requests} permintaan, batas 150 KB) · "
        f"muat ulang {repeat / 1024:.1f} KB ({repeat_requests} permintaan, batas 30 KB) · "
        f"target sentuh kurang dari {TOUCH_MIN_PX} px: {len(touch['offenders'])} · POST per simpan: {len(posts)}"
    )

    if first > FIRST_LOAD_BUDGET:
        failures.append(f"muat pertama {first / 1024:.1f} KB > 150 KB")
    if repeat > REPEAT_LOAD_BUDGET:
        failures.append(f"muat ulang {repeat / 1024:.1f} KB > 30 KB")
    if short_lived:
        failures.append(
            "berkas statis tanpa cache jangka panjang: "
            + ", ".join(short(r["url"], origin) for r in short_lived)
        )
    if static_again:
        failures.append(
            "berkas statis diminta lagi: " + ", ".join(short(r["url"], origin) for r in static_again)
        )
    if touch["offenders"]:
        failures.append(f"{len(touch['offenders'])} target sentuh < {TOUCH_MIN_PX} px")
    if len(posts) != 1 or not posts[0]["content_type"].startswith("multipart/form-data"):
        failures.append("entri dengan foto tidak terkirim dalam satu POST multipart")
    if created != 1 or saved.bukti.filter(jenis=JenisBukti.FOTO).count() != 1:
        failures.append("entri dengan foto tidak tersimpan")
    if failures:
        print("GAGAL: " + "; ".join(failures))
        return 1
    print("Anggaran ponsel terpenuhi.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
