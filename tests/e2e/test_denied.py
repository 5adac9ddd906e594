"""A denied path: a Kasubag of another subbagian follows a link to a month that is not theirs to review and gets
the not-found page (not an error, not the data); nothing changes."""

import pytest

from kinerja.models import EntriKinerja, StatusEntri

from .helpers import make_entri, october, text_of


@pytest.mark.parametrize("viewport", ["phone", "desktop"], indirect=True)
def test_kasubag_of_another_subbagian_gets_not_found(page, demo, login, shot):
    entri = make_entri(demo, demo.asn, 1, nama_kegiatan="Rekonsiliasi BMN rahasia")
    year, month = october(demo)
    review = f"/verifikasi/{demo.asn.pk}/{year}/{month}/"

    login(page, demo.other_kasubag)  # Kasubag Teknis; Ani is in KUL
    response = page.goto(review)
    assert response.status == 404
    page.get_by_role("heading", name="Halaman tidak ditemukan").wait_for()
    text = text_of(page)
    assert "Halaman atau data yang Anda cari tidak ada, atau bukan bagian Anda." in text
    assert demo.asn.nama not in text and "Rekonsiliasi BMN rahasia" not in text
    shot(page, "tidak-ditemukan")

    # A decision posted by hand is refused the same way; the entry is untouched.
    status = page.evaluate(
        """async (url) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken='));
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token ? token.split('=')[1] : ''}});
            return r.status;
        }""",
        f"{review}entri/{entri.pk}/setujui/",
    )
    assert status == 404
    assert EntriKinerja.objects.get(pk=entri.pk).status == StatusEntri.DIAJUKAN

    page.get_by_role("link", name="Ke beranda").click()
    page.get_by_role("heading", name=f"Halo, {demo.other_kasubag.nama}").wait_for()

    # The Bontang outsider gets the same page for a Kudus review.
    login(page, demo.outsider)
    assert page.goto(review).status == 404
    page.get_by_role("heading", name="Halaman tidak ditemukan").wait_for()
