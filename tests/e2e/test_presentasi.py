"""The plenary presentation on the meeting room's screen (issue 12, item 4): on the seeded demo, every slide of
every compiled month fits a 16:9 screen at 1280×720 and at 1920×1080 (no slide taller or wider than the
screen), the keys a clicker sends reach every slide, and the people not yet verified are on the cover and on a
slide of their own. Screenshots of the cover, the warning and the summary at both sizes."""

import re

import pytest

from demo.kinerja import DEMO_PASSWORD
from kinerja.models import Satker
from rekap import services as rekap_services
from rekap.models import RekapBulanan

from .helpers import make_entri, october, october_staff, verify_october

MEASURE = """() => {
  const slide = document.querySelector('.slide.aktif');
  const style = getComputedStyle(slide);
  const content = slide.firstElementChild.getBoundingClientRect().height
    + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  return {id: slide.id, height: slide.scrollHeight, width: slide.scrollWidth, content: Math.ceil(content),
          screenHeight: window.innerHeight, screenWidth: window.innerWidth};
}"""


def rendatin_of(satker):
    sub = satker.subbagian_set.get(is_rendatin=True)
    return sub.pegawai_set.exclude(pk=sub.kasubag_id).select_related("user").order_by("nama").first()


def walk(page) -> list[dict]:
    """Every slide from the first, moving with the clicker's key (Page Down), measured as it is shown."""
    count = page.locator(".slide").count()
    page.keyboard.press("Home")
    seen = []
    for _ in range(count):
        seen.append(page.evaluate(MEASURE))
        page.keyboard.press("PageDown")
    return seen


@pytest.mark.parametrize("viewport", ["hd", "fullhd"], indirect=True)
def test_every_slide_of_every_month_fits_the_screen(page, seed_demo, login, shot):
    too_big = []
    checked = 0
    tallest = (0.0, "", "")
    for satker in Satker.objects.order_by("kode"):
        months = RekapBulanan.objects.filter(satker=satker).order_by("tahun", "bulan")
        if not months:
            continue
        login(page, rendatin_of(satker), DEMO_PASSWORD)
        for rekap in months:
            path = f"/rekap/{rekap.tahun}/{rekap.bulan}/presentasi/"
            page.goto(path)
            slides = walk(page)
            ids = [s["id"] for s in slides]
            # the key reached every slide once, in order
            assert ids == page.eval_on_selector_all(".slide", "els => els.map((e) => e.id)")
            checked += len(slides)
            too_big += [
                f"{satker.kode} {rekap.tahun}-{rekap.bulan:02d} #{s['id']}: {s['width']}×{s['height']} px"
                for s in slides
                if s["height"] > s["screenHeight"] or s["width"] > s["screenWidth"]
            ]
            for s in slides:
                tallest = max(tallest, (s["content"] / s["screenHeight"], path, s["id"]))
    assert checked > 0
    # the fullest slide, for a person to look at
    page.goto(f"{tallest[1]}#{tallest[2]}")
    shot(page, "slide-terpenuh")
    print(f"fullest slide: {tallest[1]}#{tallest[2]}, {tallest[0]:.0%} of the screen's height")
    assert too_big == [], "slides larger than the screen:\n" + "\n".join(too_big)


@pytest.fixture
def partly_verified(demo):
    """October compiled with two people not yet verified (their entries still waiting), with a reason."""
    year, month = october(demo)
    staff = october_staff(demo)
    waiting = [demo.colleague, demo.teknis_staff]
    for person in staff:
        if person in waiting:
            make_entri(demo, person, 1)
        else:
            verify_october(demo, person)
    rekap_services.rekap_compile(
        satker=demo.kudus,
        year=year,
        month=month,
        by=demo.rendatin,
        reason="Batas waktu verifikasi terlewati.",
    )
    return waiting


@pytest.mark.parametrize("viewport", ["hd", "fullhd"], indirect=True)
def test_the_warning_is_on_the_cover_and_on_a_slide_of_its_own(page, demo, partly_verified, login, shot):
    year, month = october(demo)
    login(page, demo.rendatin)
    page.goto(f"/rekap/{year}/{month}/presentasi/")
    cover = page.locator("#sampul")
    cover.wait_for()
    assert "2 pegawai belum terverifikasi" in cover.inner_text()
    shot(page, "sampul")
    page.keyboard.press("PageDown")
    warning = page.locator(".slide.aktif")
    assert warning.get_attribute("id") == "belum-terverifikasi"
    text = re.sub(r"\s+", " ", warning.inner_text())
    assert all(p.nama in text for p in partly_verified)
    assert "Alasan dihimpun: Batas waktu verifikasi terlewati." in text
    shot(page, "belum-terverifikasi")
    page.keyboard.press("PageDown")
    assert page.locator(".slide.aktif").get_attribute("id") == "ringkasan"
    shot(page, "ringkasan")
    page.keyboard.press("PageDown")
    assert page.locator(".slide.aktif").get_attribute("id") == "ringkasan-output"
    shot(page, "ringkasan-output")
    page.keyboard.press("PageUp")
    assert page.locator(".slide.aktif").get_attribute("id") == "ringkasan"
    for slide in walk(page):
        assert slide["height"] <= slide["screenHeight"], slide
