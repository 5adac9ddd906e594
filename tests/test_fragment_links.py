"""Every link that names a fragment lands on an element (issue 12, item 12).

The calendar of "Bulan saya" linked each day to `#hari-N` of the entry list, which had no such ids. The class is
every link with a `#fragment` on every page: an in-page link (`href="#x"`) needs an element with id `x` on the same
page, and a link to another page of the app needs the id on that page as the same person gets it.

The pages are the permission matrix's (tests/test_permission_matrix.py): every GET row, as every Kudus person the
row lets in, in the matrix's shared world; and every POST row sent empty, whose answer is the form again with its
error summary (links to the fields). tests/kinerja/test_kalender_views.py follows each day link of "Bulan saya" in
a month of more entries than a page holds, where an anchor on the month's list alone would not be enough.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import test_permission_matrix as matrix
from tests.conftest import fake_document_generators


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
def test_every_fragment_link_lands_on_an_element(row, method, actors, world, db):
    path = reverse(row.name, kwargs=row.args(world))
    for actor in actors:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
        response = client.get(path) if method == "GET" else client.post(path, {})
        if not is_html(response):
            continue
        broken = broken_fragments(client, f"http://testserver{path}", response.content.decode())
        assert not broken, f"{method} {path} as {actor}: links to no element: {broken}"


def test_the_walk_sees_the_in_page_links_it_checks(world, db):
    """The walk is not vacuous: the skip link of every page and the month's day links are among those it checks."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["asn"]
    year, month = world.september
    html = client.get(reverse("kinerja:bulan_saya", args=[year, month])).content.decode()
    hrefs = parse(html).hrefs
    assert "#konten" in hrefs
    assert any("#hari-" in href for href in hrefs)
