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
