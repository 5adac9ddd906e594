"""The plenary's attendee picker (issue 12, item 5) in Chromium: names grouped under Pimpinan, Sekretariat and
each subbagian, each checkbox beside its name; the search filters names (by name, post or group), "Pilih semua"
ticks a group's names and a second press clears them; the chosen people are saved. Without JavaScript the
grouped checkboxes still work. Screenshots at 360 and 1280 px."""

import pytest

from rekap import services as rekap_services
from rekap.models import RapatPleno

from .helpers import october, october_staff, verify_october


@pytest.fixture
def compiled(demo):
    year, month = october(demo)
    for person in october_staff(demo):
        verify_october(demo, person)
    rekap_services.rekap_compile(satker=demo.kudus, year=year, month=month, by=demo.rendatin)
    return f"/rekap/{year}/{month}/pleno/"


def visible_names(page) -> list[str]:
    return [
        label.inner_text()
        for label in page.locator("#peserta [data-peserta-orang] label").all()
        if label.is_visible()
    ]


def group(page, name: str):
    return page.locator("[data-peserta-grup]", has=page.locator("legend", has_text=name))


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_search_and_select_all_of_a_group(page, demo, compiled, login, shot):
    login(page, demo.rendatin)
    page.goto(compiled)
    count = page.locator("[data-peserta-jumlah]")
    assert count.inner_text() == "0 dari 9 orang dipilih"
    shot(page, "awal")

    # Every checkbox sits on the same line as the start of its name, whatever the width.
    misplaced = page.evaluate(
        """() => [...document.querySelectorAll('#peserta [data-peserta-orang]')].filter((li) => {
             const box = li.querySelector('input').getBoundingClientRect();
             const label = li.querySelector('label').getBoundingClientRect();
             return box.top > label.top + label.height / 2 || box.bottom < label.top || box.right > label.left;
           }).map((li) => li.innerText)"""
    )
    assert misplaced == []

    search = page.get_by_label("Cari nama atau jabatan")
    search.fill("fajar")
    assert visible_names(page) == [demo.rendatin.nama]
    assert group(page, demo.kul.nama).is_hidden()
    search.fill("sekretaris")  # by post
    assert visible_names(page) == [f"{demo.sekretaris.nama} — Sekretaris"]
    search.fill("zzz")
    page.get_by_text("Tidak ada nama yang cocok.").wait_for()
    search.fill("")
    assert len(visible_names(page)) == 9

    kul = group(page, demo.kul.nama)
    kul.get_by_role("button", name="Pilih semua").click()
    for person in (demo.asn, demo.colleague, demo.kasubag):
        assert page.get_by_role("checkbox", name=person.nama).is_checked()
    assert not page.get_by_role("checkbox", name=demo.teknis_staff.nama).is_checked()
    assert count.inner_text() == "3 dari 9 orang dipilih"
    kul.get_by_role("button", name="Batalkan semua").click()
    assert count.inner_text() == "0 dari 9 orang dipilih"

    # "Pilih semua" with a search ticks only the names shown.
    search.fill("budi")
    kul.get_by_role("button", name="Pilih semua").click()
    search.fill("")
    assert page.get_by_role("checkbox", name=demo.colleague.nama).is_checked()
    assert not page.get_by_role("checkbox", name=demo.asn.nama).is_checked()
    group(page, "Pimpinan").get_by_role("button", name="Pilih semua").click()
    search.press("Enter")  # does not submit the form
    assert count.inner_text() == "2 dari 9 orang dipilih"
    shot(page, "dipilih")

    page.get_by_label("Tempat").fill("Ruang Rapat Pleno")
    page.get_by_role("button", name="Simpan catatan rapat").click()
    page.get_by_text("dicatat.").wait_for()
    assert set(RapatPleno.objects.get().peserta.all()) == {demo.colleague, demo.pimpinan}


@pytest.mark.parametrize("javascript", [False], indirect=True)
def test_without_javascript_the_grouped_checkboxes_work(page, demo, compiled, login, shot):
    login(page, demo.rendatin)
    page.goto(compiled)
    assert page.get_by_label("Cari nama atau jabatan").is_hidden()
    assert page.get_by_role("button", name="Pilih semua").count() == 0
    assert group(page, demo.teknis.nama).is_visible()
    page.get_by_role("checkbox", name=demo.other_kasubag.nama).check()
    page.get_by_label("Tempat").fill("Ruang Rapat Pleno")
    page.get_by_role("button", name="Simpan catatan rapat").click()
    page.get_by_text("dicatat.").wait_for()
    assert list(RapatPleno.objects.get().peserta.all()) == [demo.other_kasubag]
    shot(page, "tanpa-js")
