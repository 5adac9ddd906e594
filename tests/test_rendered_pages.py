"""What every page says and links to, checked on every page (issue 12, items 12 and 14a).

Fragments. The calendar of "Bulan saya" linked each day to `#hari-N` of the entry list, which had no such ids. The
class is every link with a `#fragment` on every page: an in-page link (`href="#x"`) needs an element with id `x` on
the same page, and a link to another page of the app needs the id on that page as the same person gets it.

The pages are the permission matrix's (tests/test_permission_matrix.py): every GET row, as every Kudus person the
row lets in, in the matrix's shared world; and every POST row sent empty, whose answer is the form again with its
error summary (links to the fields). tests/kinerja/test_entries_views.py follows each day link of "Bulan saya" in
a month of more entries than a page holds, where an anchor on the month's list alone would not be enough.

Months. A month is named one way for people, "September 2026 (Final)" (silabu.lib.periods.month_label), never
"Bulan 09/2026 ... (tahap: final)": the same pages' text is checked for "MM/YYYY" and "tahap:", and every template
and every string in the apps' code (messages, documents, the model names the admin shows) for the formats that
write them.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from silabu.lib.periods import month_label
from tests import test_permission_matrix as matrix
from tests.conftest import fake_document_generators

ROOT = Path(__file__).resolve().parents[1]
# "09/2026" (not part of a date "04/09/2026" or a path), and a stage written as a field, "tahap: final".
MONTH_BY_NUMBER = re.compile(r"(?<![\d/])(0[1-9]|1[0-2])/20\d\d(?![\d/])")
STAGE_AS_FIELD = re.compile(r"\btahap\s*:\s", re.IGNORECASE)
# The formats that write a month as a number, in code and templates.
NUMBER_FORMATS = re.compile(r"(?<!%d/)%m/%Y|:02d?\}/\{|\bdate:\s*['\"][^'\"]*\b[mn]/Y")


class _Links(HTMLParser):
    """The ids of a page and its links' targets (<a>/<area> href)."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag in ("a", "area") and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def parse(html: str) -> _Links:
    links = _Links()
    links.feed(html)
    return links


def wording_faults(html: str) -> list[str]:
    """Where a page's text names a month by its number or a stage as a field."""
    text = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)  # attribute values (URLs, ids) are not read
    return [m.group(0) for m in MONTH_BY_NUMBER.finditer(text)] + [
        text[max(m.start() - 30, 0) : m.end() + 20].strip() for m in STAGE_AS_FIELD.finditer(text)
    ]


def is_html(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def broken_fragments(client: Client, url: str, html: str) -> list[str]:
    """The links of the page at `url` whose fragment names no element where they land."""
    page = parse(html)
    here = urlsplit(url)
    broken, fetched = [], {}
    for href in page.hrefs:
        target = urlsplit(urljoin(url, href))
        if not target.fragment or target.netloc not in ("", here.netloc) or target.scheme not in ("", "http"):
            continue
        if (target.path, target.query) == (here.path, here.query):
            ids = page.ids
        else:
            key = f"{target.path}?{target.query}"
            if key not in fetched:
                response = client.get(key)
                fetched[key] = parse(response.content.decode()).ids if is_html(response) else None
            ids = fetched[key]
            if ids is None:
                broken.append(f"{href} (the target is no page: {response.status_code})")
                continue
        if target.fragment not in ids:
            broken.append(href)
    return broken


# --- the class: every page of the matrix ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        fake_document_generators(patch)
        with transaction.atomic():
            yield matrix.World()
            transaction.set_rollback(True)


def _pages():
    for row in matrix.ROWS:
        if row.name.startswith(f"{matrix.ADMIN_RULE}:"):
            continue
        for method, codes in (("GET", row.get), ("POST", row.post)):
            if codes is None:
                continue
            actors = [a for a in matrix.KUDUS if a in codes and codes[a] == 200]
            if method == "POST":
                actors = [a for a in matrix.KUDUS if a in codes and matrix._ok(codes[a])][:1]
            if actors:
                yield pytest.param(row, method, actors, id=f"{row.name}-{method}")


@pytest.mark.parametrize(("row", "method", "actors"), list(_pages()))
def test_every_page_links_to_elements_and_names_months_by_name(row, method, actors, world, db):
    path = reverse(row.name, kwargs=row.args(world))
    for actor in actors:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
        # A POST is followed to the page it ends on: the refusal's message is shown there.
        response = client.get(path) if method == "GET" else client.post(path, {}, follow=True)
        if not is_html(response):
            continue
        landed = response.redirect_chain[-1][0] if getattr(response, "redirect_chain", None) else path
        html = response.content.decode()
        broken = broken_fragments(client, urljoin(f"http://testserver{path}", landed), html)
        assert not broken, f"{method} {path} as {actor}: links to no element: {broken}"
        faults = wording_faults(html)
        assert not faults, (
            f"{method} {path} as {actor}: a month or stage written as a number or field: {faults}"
        )


def test_the_walk_sees_the_in_page_links_it_checks(world, db):
    """The walk is not vacuous: the skip link of every page and the month's day links are among those it checks."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["asn"]
    year, month = world.september
    html = client.get(reverse("kinerja:bulan_saya", args=[year, month])).content.decode()
    hrefs = parse(html).hrefs
    assert "#konten" in hrefs
    assert any("#hari-" in href for href in hrefs)


# --- months in words, in the code and templates that write them ------------------------------------------------


def _sources():
    for app in ("kinerja", "verifikasi", "rekap", "silabu"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
    yield from sorted((ROOT / "templates").rglob("*.html"))


def _user_text(path: Path) -> list[tuple[int, str]]:
    """A template's lines, or a module's strings (each f-string whole) with their line; docstrings left out."""
    source = path.read_text()
    if path.suffix == ".html":
        return list(enumerate(source.splitlines(), 1))
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    inside_fstrings = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            out.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | inside_fstrings
        ):
            out.append((node.lineno, node.value))
    return out


def test_no_template_or_message_writes_a_month_as_a_number_or_a_stage_as_a_field():
    found = []
    for path in _sources():
        for line, text in _user_text(path):
            if any(p.search(text) for p in (NUMBER_FORMATS, STAGE_AS_FIELD, MONTH_BY_NUMBER)):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text.strip()[:100]}")
    assert not found, "\n".join(found)


def test_a_month_is_named_with_its_stage_in_words():
    assert month_label(2026, 9) == "September 2026"
    assert month_label(2026, 9, "Final") == "September 2026 (Final)"
