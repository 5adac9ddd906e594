"""End-to-end fixtures: a real headless Chromium (Debian's package, driven by Playwright) against a live server.

No browser is downloaded at test time: Playwright launches the system Chromium (`/usr/bin/chromium`, or the path in
the CHROMIUM environment variable) with the flags a closed network needs (no background connections).

Fixtures:
- ``browser``: one Chromium for the whole session.
- ``page``: a fresh browser context per test; the test fails if the page reported a Content-Security-Policy
  violation on the console (``page.csp_violations``). Parametrise the viewport indirectly with ``viewport``:
  ``@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)``; the default is "phone" (360×800),
  "desktop" is 1280×900, "hd" and "fullhd" are 16:9 (1280×720, 1920×1080).
  ``@pytest.mark.parametrize("javascript", [False], indirect=True)`` turns JavaScript off.
- ``new_page(viewport)``: another browser with its own cookies, for journeys where each person has a device.
- ``live_server``: pytest-django's; every e2e test runs with a transactional database (see ``_e2e_db``).
- ``demo``: the small ``Org`` of tests/conftest.py (people in every role), with fake document generators;
  ``office``: the same with the real generators, for journeys that open the documents.
- ``seed_demo``: the full demo data set (``manage.py seed_demo``) with fake documents, for journeys that need it.
- ``login(page, pegawai_or_username)``: signs in through the real login form, by its visible labels.
- ``shot(page, name)``: a full-page screenshot to var/e2e-screenshots/<test>-<name>-<viewport>.png.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in a thread with a running
# loop unless told that this is fine (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import PASSWORD, Org  # noqa: E402

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
VIEWPORTS = {
    "phone": {"width": 360, "height": 800},
    "desktop": {"width": 1280, "height": 900},
    # the 16:9 screens of a meeting room (the plenary presentation)
    "hd": {"width": 1280, "height": 720},
    "fullhd": {"width": 1920, "height": 1080},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def pytest_sessionfinish(session, exitstatus):
    if SCREENSHOTS.exists():
        print(f"\nE2E screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (install Debian's `chromium` or set CHROMIUM)")
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture
def viewport(request):
    return getattr(request, "param", "phone")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """On SQLite the browser journeys use a test database in a file, never the in-memory one.

    Django shares one in-memory SQLite connection between the test thread and every live-server thread. Chromium
    sends several requests at once (the page, the service worker's fetches), and two threads on one sqlite3
    connection deadlock: one holds the GIL while reading a row (which takes the connection's mutex), the other
    holds the mutex while SQLite calls one of Django's Python functions (which needs the GIL). With a file each
    thread has its own connection, and SQLite's own locking (WAL, the settings' busy timeout) orders the writes.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("e2e-db") / "silabu-e2e.sqlite3")


@pytest.fixture(autouse=True)
def _e2e_db(transactional_db):
    """The live server answers from another thread: every e2e test needs real commits. A transactional test
    flushes the tables afterwards, so the data that a migration seeds (the SOPs' mutu baku) is put back."""
    from tests.conftest import ensure_mutu_baku

    ensure_mutu_baku()


@pytest.fixture
def javascript(request):
    """Parametrise indirectly with False for a browser with JavaScript off (the pages must still work)."""
    return getattr(request, "param", True)


def _new_page(browser, live_server, viewport: str, javascript: bool = True):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    pg.e2e_viewport = viewport
    return watch_csp(pg)


def watch_csp(pg):
    """Chromium reports every Content-Security-Policy violation on the console ("Applying inline style violates
    ..."): collect them on the page, so that a page that needs anything inline fails its journey."""
    pg.csp_violations = []
    pg.on("console", lambda message: _note_csp(pg, message.text))
    return pg


def _note_csp(pg, text: str) -> None:
    if "Content Security Policy" in text or "Content-Security-Policy" in text:
        pg.csp_violations.append(f"{pg.url}: {text}")


def assert_no_csp_violation(pages) -> None:
    found = [v for pg in pages for v in pg.csp_violations]
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def page(browser, live_server, viewport, javascript):
    pg = _new_page(browser, live_server, viewport, javascript)
    yield pg
    pg.context.close()
    assert_no_csp_violation([pg])


@pytest.fixture
def new_page(browser, live_server):
    """new_page("phone" | "desktop") opens another browser (its own cookies): one per person in a journey."""
    pages = []

    def _open(viewport: str = "phone", javascript: bool = True):
        pages.append(_new_page(browser, live_server, viewport, javascript))
        return pages[-1]

    yield _open
    for pg in pages:
        pg.context.close()
    assert_no_csp_violation(pages)


def _test_slug(node) -> str:
    name = node.originalname if hasattr(node, "originalname") else node.name
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.fixture
def shot(request):
    """shot(page, name) saves a full-page screenshot and returns its path."""

    def _shot(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        viewport = getattr(page, "e2e_viewport", "phone")
        path = SCREENSHOTS / f"{_test_slug(request.node)}-{name}-{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def login(page, who, password: str = PASSWORD):
    """Sign in through the login form by its visible labels; `who` is a Pegawai or a username/NIP."""
    username = who if isinstance(who, str) else (who.nip or who.user.username)
    page.context.clear_cookies()  # whoever used this browser before has left it
    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    assert "/masuk/" not in page.url, f"login failed for {username}: still on {page.url}"
    return page


@pytest.fixture(name="login")
def login_fixture():
    return login


@pytest.fixture
def office():
    """A small organisation (tests/conftest.py Org) with the real document generators (PDF/XLSX rendered)."""
    return Org()


@pytest.fixture
def demo(fake_documents):
    """A small organisation (tests/conftest.py Org) with tiny fake documents; faster than seed_demo."""
    return Org()


@pytest.fixture
def seed_demo(fake_documents):
    """The full demo data set, loaded by the real management command (with fake document generators)."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
