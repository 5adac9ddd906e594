"""The Kasubag's review page at the size of a real month (issue 12, item 8): filters (pending only, without
evidence, one day), a compact density, pages of days, and each photo's capture time with a cue when it was taken
on another day than the entry's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kinerja.models import BuktiDukung, EntriKinerja, StatusEntri
from verifikasi.views.review import PAGE_DAYS

from .test_views import HTMX, add_bukti, count_queries, fill_month, make_entri, october, texts, url

UTC = datetime.UTC
WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")


def add_foto(entri: EntriKinerja, taken: datetime.datetime | None) -> BuktiDukung:
    return BuktiDukung.objects.create(
        entri=entri,
        berkas=f"bukti/test/{entri.pk}.jpg",
        thumbnail=f"bukti/test/{entri.pk}-t.jpg",
        nama_asli="IMG_0001.JPG",
        content_type="image/jpeg",
        ukuran=4,
        sha256="0" * 64,
        waktu_ambil=taken,
    )


def shown(response) -> list[int]:
    return [e.pk for g in response.context["groups"] for e in g.entries]


@pytest.fixture
def month(org):
    """Ani's October: one entry of each status on days 1-3, evidence on all but the pending one of day 2."""
    year, _ = october(org)
    pending = make_entri(org, day=1, nama_kegiatan="Menunggu satu")
    add_bukti(pending)
    bare = make_entri(org, day=2, nama_kegiatan="Menunggu tanpa bukti")
    returned = make_entri(
        org, day=2, status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Foto buram", nama_kegiatan="Kembali"
    )
    add_bukti(returned)
    approved = make_entri(org, day=3, status=StatusEntri.DISETUJUI, nama_kegiatan="Sudah setuju")
    add_bukti(approved)
    return {"pending": pending, "bare": bare, "returned": returned, "approved": approved}


def review(client, org, **params):
    return client.get(url("periksa", org), params)


def test_without_a_filter_every_entry_is_shown(org, login, month):
    response = review(login(org.kasubag), org)
    assert sorted(shown(response)) == sorted(e.pk for e in month.values())
    assert "Menampilkan" not in texts(response.content.decode())


def test_pending_only(org, login, month):
    response = review(login(org.kasubag), org, status="diajukan")
    assert shown(response) == [month["pending"].pk, month["bare"].pk]
    body = texts(response.content.decode())
    assert "Menampilkan 2 dari 4 entri." in body and "Sudah setuju" not in body
    # the summary still counts the whole month
    assert "4 entri" in body and response.context["counts"]["disetujui"] == 1


def test_entries_without_evidence(org, login, month):
    response = review(login(org.kasubag), org, bukti="tanpa")
    assert shown(response) == [month["bare"].pk]


def test_one_day(org, login, month):
    year, _ = october(org)
    response = review(login(org.kasubag), org, hari=f"{year}-10-02")
    assert shown(response) == [month["bare"].pk, month["returned"].pk]
    assert [g.day.date for g in response.context["groups"]] == [datetime.date(year, 10, 2)]


def test_filters_combine(org, login, month):
    year, _ = october(org)
    client = login(org.kasubag)
    assert shown(review(client, org, status="diajukan", hari=f"{year}-10-02")) == [month["bare"].pk]
    assert shown(review(client, org, status="disetujui", bukti="tanpa")) == []
    body = texts(review(client, org, status="disetujui", bukti="tanpa").content.decode())
    assert "Tidak ada entri yang cocok dengan saringan ini." in body


def test_a_day_outside_the_month_or_a_bad_status_is_ignored(org, login, month):
    year, _ = october(org)
    client = login(org.kasubag)
    for params in ({"hari": f"{year}-11-02"}, {"hari": "kemarin"}, {"status": "semua<script>"}):
        assert len(shown(review(client, org, **params))) == 4


def test_the_filter_form_works_without_javascript(org, login, month):
    """A plain GET form: its fields carry the names the view reads, and the chosen values stay selected."""
    html = review(login(org.kasubag), org, status="diajukan", bukti="tanpa").content.decode()
    assert '<form method="get"' in html
    assert '<option value="diajukan" selected>Menunggu</option>' in html
    assert 'name="bukti" value="tanpa" checked' in html
    assert 'name="hari"' in html


def test_compact_density_is_a_link_that_keeps_the_filters(org, login, month):
    client = login(org.kasubag)
    html = review(client, org, status="diajukan").content.decode()
    assert 'id="daftar-entri">' in html
    assert 'href="?status=diajukan&amp;tampilan=ringkas"' in html
    compact = review(client, org, status="diajukan", tampilan="ringkas").content.decode()
    assert 'id="daftar-entri" class="periksa-ringkas"' in compact
    assert 'href="?status=diajukan">' in compact  # back to the full density
    assert '<input type="hidden" name="tampilan" value="ringkas">' in compact  # filtering keeps the density


def test_a_decision_from_a_filtered_page_comes_back_to_it(org, login, month):
    client = login(org.kasubag)
    html = review(client, org, status="diajukan", tampilan="ringkas").content.decode()
    action = f"{url('setujui', org, month['pending'].pk)}?status=diajukan&amp;tampilan=ringkas"
    assert f'action="{action}"' in html
    response = client.post(f"{url('setujui', org, month['pending'].pk)}?status=diajukan&tampilan=ringkas")
    assert response["Location"] == (
        f"{url('periksa', org)}?status=diajukan&tampilan=ringkas#entri-{month['pending'].pk}"
    )
    response = client.post(f"{url('setujui_semua', org)}?status=diajukan")
    assert response["Location"] == f"{url('periksa', org)}?status=diajukan"
    assert not EntriKinerja.objects.filter(status=StatusEntri.DIAJUKAN).exists()


def test_an_htmx_decision_under_the_pending_filter_shows_the_decided_entry(org, login, month):
    """The entry just approved no longer matches "pending only"; its row still comes back, as approved."""
    entri = month["pending"]
    response = login(org.kasubag).post(f"{url('setujui', org, entri.pk)}?status=diajukan", headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="entri-{entri.pk}"' in body and "Disetujui" in body


def test_a_long_month_is_paged_by_days_and_keeps_the_filters(org, login):
    year, _ = october(org)
    for day in range(1, 32):
        if datetime.date(year, 10, day).weekday() < 5:
            make_entri(org, day=day)
    client = login(org.kasubag)
    first = review(client, org, status="diajukan")
    days = len(first.context["page"].paginator.object_list)
    assert days > PAGE_DAYS and len(first.context["groups"]) == PAGE_DAYS
    assert "?status=diajukan&amp;page=2" in first.content.decode()
    rest = review(client, org, status="diajukan", page=3)
    assert len(rest.context["groups"]) == days - 2 * PAGE_DAYS


# --- capture time of photo evidence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("taken", "tz", "cue"),
    [
        (datetime.datetime(2026, 9, 28, 9, 0, tzinfo=WIB), WIB, "Foto diambil 4 hari sebelum tanggal entri"),
        (datetime.datetime(2026, 10, 3, 7, 30, tzinfo=WIB), WIB, "Foto diambil 1 hari sesudah tanggal entri"),
        (datetime.datetime(2026, 10, 2, 16, 0, tzinfo=WIB), WIB, ""),
        # 1 October 16:30 UTC is already 2 October in Bontang: the same day there, the day before in UTC
        (datetime.datetime(2026, 10, 1, 16, 30, tzinfo=UTC), WITA, ""),
        (
            datetime.datetime(2026, 10, 1, 16, 30, tzinfo=UTC),
            UTC,
            "Foto diambil 1 hari sebelum tanggal entri",
        ),
        (None, WIB, ""),
    ],
)
def test_the_capture_cue_counts_days_in_the_satkers_zone(taken, tz, cue):
    bukti = BuktiDukung(waktu_ambil=taken)
    assert bukti.capture_cue(tz, datetime.date(2026, 10, 2)) == cue


def test_the_review_shows_each_photos_capture_time_and_the_cue(org, login):
    year, _ = october(org)
    entri = make_entri(org, day=5)
    add_foto(entri, datetime.datetime(year, 10, 1, 1, 15, tzinfo=UTC))  # 08:15 WIB
    same_day = make_entri(org, day=6)
    add_foto(same_day, datetime.datetime(year, 10, 6, 2, 0, tzinfo=UTC))
    body = texts(review(login(org.kasubag), org).content.decode())
    assert f"Diambil 1 Oktober {year} 08:15 WIB" in body
    assert f"Diambil 6 Oktober {year} 09:00 WIB" in body
    assert body.count("Foto diambil") == 1
    assert "Foto diambil 4 hari sebelum tanggal entri" in body


# --- queries --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    ["", "?status=diajukan", "?bukti=tanpa", "?hari={year}-10-02", "?tampilan=ringkas&status=dikembalikan"],
)
def test_review_query_count_is_the_same_for_5_and_40_entries(org, login, params):
    year, _ = october(org)
    client = login(org.kasubag)
    path = url("periksa", org) + params.format(year=year)

    def fill(n):
        fill_month(org, org.asn, n)
        for entri in EntriKinerja.objects.filter(pegawai=org.asn).order_by("-pk")[: n // 2]:
            add_foto(entri, datetime.datetime(year, 9, 30, 3, 0, tzinfo=UTC))

    fill(5)
    few = count_queries(client, path)
    fill(35)
    assert EntriKinerja.objects.filter(pegawai=org.asn).count() == 40
    assert count_queries(client, path) == few
    assert few <= 20


def test_the_review_page_links_work_for_the_queue(org, login, month):
    """The queue still opens the unfiltered review (no parameter needed)."""
    year, mon = october(org)
    response = login(org.kasubag).get(f"{reverse('verifikasi:antrean')}?tahun={year}&bulan={mon}")
    assert url("periksa", org) in response.content.decode()
