"""Every key page fits a 360 px phone: nothing widens the page beyond the screen (a wide table scrolls inside its
own box), so a phone does not zoom the whole page out. Screenshots of each page at phone and desktop widths."""

import datetime

import pytest

from rekap import services as rekap
from rekap.pengukuran.models import TahapPengukuran
from tests.pengukuran.test_services import sampai
from verifikasi import services as verifikasi

from .helpers import make_entri, october, october_staff, verify_october

WIDTH = 360


@pytest.fixture
def states(demo):
    """One of everything: a returned entry, a compiled month with its plenary, a measurement at step 6."""
    org = demo
    year, month = october(org)
    for person in october_staff(org):
        verify_october(org, person)
    rekap_ = rekap.rekap_compile(satker=org.kudus, year=year, month=month, by=org.rendatin)
    rekap.pleno_save(
        rekap=rekap_,
        by=org.rendatin,
        tanggal=datetime.date(year, 11, 12),
        tempat="Ruang Rapat Pleno",
        pimpinan_rapat=org.pimpinan,
        peserta=[org.pimpinan, org.sekretaris],
        keputusan="Diterima.",
    )
    # A returned entry of Ani's in September of last year (still under verification).
    entri = make_entri(org, org.asn, 1, tanggal=datetime.date(year, 9, 1))
    verifikasi.entri_return(
        laporan=verifikasi.laporan_for(org.asn, year, 9), entri=entri, by=org.kasubag, note="Lengkapi bukti."
    )
    measurement = sampai(org, TahapPengukuran.REKAP)
    form = measurement.form_set.get(subbagian=org.kul)
    return {
        "asn": [
            "/",
            "/kinerja/entri/tambah/",
            "/kinerja/bulan/",
            "/kinerja/antrean/",
            f"/kinerja/entri/?tahun={year}&bulan=9",
            f"/kinerja/entri/{entri.pk}/",
            f"/kinerja/entri/{entri.pk}/ubah/",
        ],
        "kasubag": [
            f"/verifikasi/?tahun={year}&bulan=9",
            f"/verifikasi/{org.asn.pk}/{year}/9/",
        ],
        "rendatin": [
            f"/rekap/?tahun={year}",
            f"/rekap/{year}/{month}/",
            f"/rekap/{year}/{month}/pleno/",
            f"/rekap/{year}/{month}/presentasi/",
            "/rekap/arsip/",
            f"/rekap/laporan-kinerja/?tahun={year}",
            "/pengukuran/",
            f"/pengukuran/{measurement.pk}/",
            f"/pengukuran/{measurement.pk}/form/{form.pk}/",
            "/pengukuran/kerangka/",
        ],
    }


def too_wide(page) -> list[str]:
    """The paths whose document is wider than the screen, with the widest culprit outside a scroll box."""
    return page.evaluate(
        """(width) => {
          if (document.documentElement.scrollWidth <= width) return [];
          let worst = null;
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > width && (!worst || r.right > worst.right)) worst = {el, right: r.right};
          }
          const e = worst && worst.el;
          return [location.pathname + location.search + ': ' + document.documentElement.scrollWidth + ' px'
                  + (e ? ' (' + e.tagName.toLowerCase() + '.' + e.className + ')' : '')];
        }""",
        WIDTH,
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_key_pages_screenshots(page, demo, states, login, shot):
    """The key pages in every state above answer, and are saved as pictures for a person to look at."""
    for who, paths in states.items():
        login(page, getattr(demo, who))
        for i, path in enumerate(paths):
            response = page.goto(path)
            assert response.status == 200, path
            shot(page, f"{who}-{i + 1:02d}")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_key_pages_fit_a_phone(page, demo, states, login):
    wide = []
    for who, paths in states.items():
        login(page, getattr(demo, who))
        for path in paths:
            page.goto(path)
            wide += too_wide(page)
    assert wide == []


# --- issue 12, item 13: the navbar on one line at 1280 px, no select's text cut at 360 px ----------------------

ROLES = ("asn", "kasubag", "rendatin", "kasubag_rendatin", "sekretaris", "pimpinan", "admin")


def role_pages(org, who: str) -> list[str]:
    """A person's home and their month page (December: the longest month name in a select), and the pages with a
    month or year select they reach from there."""
    year = october(org)[0]
    pages = ["/"]
    if who in ("asn", "admin"):
        pages += [f"/kinerja/bulan/{year}/12/", f"/kinerja/entri/?tahun={year}&bulan=12"]
    if who in ("kasubag", "kasubag_rendatin", "sekretaris"):
        pages += [f"/verifikasi/?tahun={year}&bulan=12"]
    if who in ("rendatin", "kasubag_rendatin", "sekretaris", "pimpinan"):
        pages += [f"/rekap/{year}/12/", f"/rekap/?tahun={year}", f"/rekap/laporan-kinerja/?tahun={year}"]
    return pages


def wrapped_nav_items(page) -> list[str]:
    """The navbar's links, buttons and texts whose text takes more than one line."""
    return page.evaluate(
        """() => [...document.querySelectorAll('nav.navbar :is(.nav-link, .navbar-brand, .navbar-text)')]
          .filter(el => el.offsetParent !== null)
          .map(el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
            const lines = Math.round(range.getBoundingClientRect().height / lineHeight);
            return {text: el.innerText.trim(), lines, top: el.getBoundingClientRect().top};
          })
          .filter(item => item.lines > 1)
          .map(item => item.text + ' (' + item.lines + ' lines)')"""
    )


def nav_rows(page) -> int:
    """How many rows the expanded navbar's items take: a second row starts below the first item's bottom."""
    return page.evaluate(
        """() => {
          const boxes = [...document.querySelectorAll('#menu .nav-link, #menu .navbar-text')]
            .filter(el => el.offsetParent !== null).map(el => el.getBoundingClientRect());
          let rows = 0, bottom = -Infinity;
          for (const r of boxes.sort((a, b) => a.top - b.top)) {
            if (r.top >= bottom) { rows += 1; bottom = r.bottom; }
          }
          return rows;
        }"""
    )


def clipped_selects(page) -> list[str]:
    """The selects whose chosen text does not fit their box (the arrow's padding excluded)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('select')]
          .filter(el => el.offsetParent !== null)
          .filter(el => {
            const cs = getComputedStyle(el);
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = cs.font;
            const text = el.options[el.selectedIndex] ? el.options[el.selectedIndex].text : '';
            const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
            return el.scrollWidth > el.clientWidth || ctx.measureText(text).width > room + 0.5;
          })
          .map(el => `${el.id || el.name}: "${el.options[el.selectedIndex].text}" in ${el.clientWidth} px`)"""
    )


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_navbar_items_take_one_line_at_1280(page, demo, login, shot):
    page.set_viewport_size({"width": 1280, "height": 800})
    found = []
    for who in ROLES:
        login(page, getattr(demo, who))
        for i, path in enumerate(role_pages(demo, who)[:2]):
            assert page.goto(path).status == 200, path
            assert page.locator("#menu").is_visible(), "the menu is expanded at 1280 px"
            found += [f"{who} {path}: {item}" for item in wrapped_nav_items(page)]
            if nav_rows(page) > 1:
                found.append(f"{who} {path}: the navbar takes {nav_rows(page)} rows")
            shot(page, f"{who}-{i + 1}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_no_select_is_clipped_at_360(page, demo, login, shot):
    found = []
    seen = 0
    for who in ROLES:
        login(page, getattr(demo, who))
        for i, path in enumerate(role_pages(demo, who)):
            assert page.goto(path).status == 200, path
            seen += page.locator("select:visible").count()
            found += [f"{who} {path}: {item}" for item in clipped_selects(page)]
            shot(page, f"{who}-{i + 1}")
    assert seen > 0
    assert not found, "\n".join(found)
