"""The plenary presentation in the browser: who may open it, what its slides show (from the snapshot), that it
works as one long page of anchors without JavaScript, and that it runs a fixed number of queries."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.models import KodeOutput, Subbagian
from tests.conftest import make_pegawai
from tests.rekap.test_documents import KODE_A, KODE_B, compiled, entri, recorded, working_days, year_of


def url(org, month=10):
    return reverse("rekap:presentasi", args=[year_of(org), month])


@pytest.fixture
def october(org):
    return compiled(org, 10)


def test_anonymous_is_sent_to_login(org, client, october):
    response = client.get(url(org))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("who", ["asn", "kasubag", "other_kasubag", "admin", "outsider"])
def test_other_roles_get_not_found(org, login, october, who):
    assert login(getattr(org, who)).get(url(org)).status_code == 404


@pytest.mark.parametrize("who", ["rendatin", "kasubag_rendatin", "sekretaris", "pimpinan"])
def test_rendatin_sekretaris_and_pimpinan_open_it(org, login, october, who):
    assert login(getattr(org, who)).get(url(org)).status_code == 200


def test_a_month_without_rekap_is_not_found(org, login, october):
    client = login(org.rendatin)
    assert client.get(url(org, 11)).status_code == 404
    assert client.get(url(org, 13)).status_code == 404


def test_another_satkers_month_is_not_found(org, login, october):
    sub = Subbagian.objects.create(
        satker=org.bontang, nama="Rendatin Bontang", singkatan="RB", is_rendatin=True
    )
    bontang_rendatin = make_pegawai(org.bontang, sub, nama="Rina Bontang")
    assert login(bontang_rendatin).get(url(org)).status_code == 404


def test_post_is_not_allowed(org, login, october):
    assert login(org.rendatin).post(url(org)).status_code == 405


def test_slides_show_the_booklet_content(org, login, october):
    recorded(org, october)
    page = login(org.pimpinan).get(url(org)).content.decode()
    year = year_of(org)
    # a cover, the summary per subbagian and per output code, the two charts, and for each subbagian its
    # people, its output codes and its chart (everyone is verified: no slide of unverified people)
    assert page.count('<section class="slide') == 5 + 4 * 3
    for anchor in ("sampul", "ringkasan", "ringkasan-output", "grafik", "grafik-output"):
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page
    assert 'id="belum-terverifikasi"' not in page
    for i in range(1, 5):
        for anchor in (f"subbagian-{i}", f"subbagian-{i}-output", f"subbagian-{i}-grafik"):
            assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page
    assert "Bahan Rapat Pleno Laporan Bulanan" in page and f"Bulan Oktober {year}" in page
    assert "8 pegawai · 8 terverifikasi · 8 kegiatan" in page
    assert "Ruang Rapat KPU Kabupaten Kudus" in page  # the plenary, once recorded
    for sub in (org.kul, org.teknis, org.rendatin_sub, org.hukum):
        assert sub.nama in page
    assert KODE_A in page and KODE_B in page and "8 dokumen" in page and "6 berkas; 1,5 laporan" in page
    assert org.asn.nama in page and "Kegiatan Ani" not in page  # aggregates, not the entries
    # the charts, as inline SVG: the booklet's two plus one per subbagian
    assert page.count("<svg ") == 2 + 4
    assert 'data-label="KUL"' in page and f'data-label="{KODE_A}" data-value="5"' in page
    assert f'data-label="{org.asn.nama}"' in page
    # keyboard navigation comes from a static script; without it the anchors work
    assert 'src="/static/js/presentasi.js"' in page and "<script>" not in page
    assert 'href="/static/css/presentasi.css"' in page
    assert reverse("rekap:bulan", args=[year, 10]) in page


def test_the_script_handles_the_keys():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "presentasi.js").read_text()
    for key in (
        "ArrowRight",
        "ArrowLeft",
        "PageDown",
        "PageUp",
        '" "',
        "Home",
        "End",
        '"f"',
        "requestFullscreen",
    ):
        assert key in script


def test_the_slides_come_from_the_snapshot(org, login, october):
    org.asn.nama = "Nama Baru Sekali"
    org.asn.save()
    KodeOutput.objects.filter(kode=KODE_A).update(uraian="Uraian baru sekali")
    page = login(org.rendatin).get(url(org)).content.decode()
    assert "Nama Baru Sekali" not in page and "Uraian baru sekali" not in page
    assert "Ani Lestari, S.E." in page and "Operasional dan pemeliharaan kantor" in page


def test_a_fixed_number_of_queries_whatever_the_month(org, login, october):
    client = login(org.rendatin)
    client.get(url(org))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(org)).status_code == 200
    year = year_of(org)
    for day in working_days(year, 11):
        for person in (org.asn, org.colleague, org.teknis_staff, org.admin):
            entri(org, person, day, org.kode_years[year], volume="1", satuan="dokumen")
    compiled(org, 11)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(org, 11)).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_unverified_people_are_on_the_cover_and_on_a_slide_of_their_own(org, login):
    compiled(org, 10, unverified=[org.colleague], reason="Batas waktu terlewati.")
    page = login(org.rendatin).get(url(org)).content.decode()
    slides = page.split('<section class="slide')[1:]
    cover, warning = slides[0], slides[1]
    assert 'id="sampul"' in cover and "1 pegawai belum terverifikasi" in cover
    assert 'id="belum-terverifikasi"' in warning and org.colleague.nama in warning
    assert "Alasan dihimpun: Batas waktu terlewati." in warning
    assert page.index('href="#belum-terverifikasi"') < page.index('href="#ringkasan"')
