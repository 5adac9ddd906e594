"""The error pages in Chromium (issue 12, item 6): a 404 and a 403 are in the site's layout, in Indonesian, and
their "Ke beranda" link leads home. Screenshots of both at phone and desktop widths."""

import pytest

from .helpers import october, text_of


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_not_found_and_forbidden_pages_are_in_the_layout_with_a_way_home(page, demo, login, shot):
    login(page, demo.sekretaris)

    response = page.goto("/kinerja/tidak-ada-halaman-ini/")
    assert response.status == 404
    page.get_by_role("heading", name="Halaman tidak ditemukan").wait_for()
    assert page.get_by_role("link", name="SILABU").is_visible()  # the site's bar
    assert "Halaman atau data yang Anda cari tidak ada, atau bukan bagian Anda." in text_of(page)
    shot(page, "404")
    page.get_by_role("link", name="Ke beranda").click()
    page.get_by_role("heading", name=f"Halo, {demo.sekretaris.nama}").wait_for()

    # The Sekretaris reads the plenary but may not finalise it: the refusal says why.
    year, month = october(demo)
    response = page.goto(f"/rekap/{year}/{month}/pleno/finalisasi/")
    assert response.status == 403
    page.get_by_role("heading", name="Akses ditolak").wait_for()
    assert page.get_by_role("link", name="SILABU").is_visible()
    assert "Hanya Subbagian Rendatin yang dapat menghimpun data" in text_of(page)
    shot(page, "403")
    page.get_by_role("link", name="Ke beranda").click()
    page.get_by_role("heading", name=f"Halo, {demo.sekretaris.nama}").wait_for()
