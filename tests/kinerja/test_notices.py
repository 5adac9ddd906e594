"""In-app notices: sent once per key, listed on the home page, marked read by their recipient only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.models import JenisPemberitahuan, Pemberitahuan
from kinerja.notices import PemberitahuanDitolak, notice_mark_read, notice_send, notices_unread


def send(
    pegawai, kunci="hari_kosong:2026-11-20", pesan="Hari kerja yang belum terisi: Senin, 16 November 2026."
):
    notice_send(
        pegawai=pegawai,
        jenis=JenisPemberitahuan.HARI_KOSONG,
        pesan=pesan,
        tautan="/kinerja/bulan/",
        kunci=kunci,
    )
    return Pemberitahuan.objects.get(pegawai=pegawai, kunci=kunci)


def read_url(notice) -> str:
    return reverse("kinerja:notice_read", args=[notice.pk])


# --- the services ------------------------------------------------------------------------------------------


def test_notice_send_is_once_per_person_and_key(org):
    args = {"jenis": JenisPemberitahuan.LAINNYA, "pesan": "Uji", "kunci": "uji:1"}

    assert notice_send(pegawai=org.asn, **args) is True
    assert notice_send(pegawai=org.asn, **args) is False
    assert notice_send(pegawai=org.colleague, **args) is True
    assert Pemberitahuan.objects.filter(kunci="uji:1").count() == 2
    assert Pemberitahuan.objects.get(pegawai=org.asn).satker == org.kudus


@pytest.mark.parametrize("tautan", ["https://contoh.id/", "//contoh.id/", "javascript:alert(1)"])
def test_notice_link_must_be_a_path_inside_silabu(org, tautan):
    with pytest.raises(ValueError):
        notice_send(pegawai=org.asn, jenis=JenisPemberitahuan.LAINNYA, pesan="Uji", tautan=tautan, kunci="x")


def test_only_the_recipient_marks_a_notice_read(org):
    notice = send(org.asn)

    with pytest.raises(PemberitahuanDitolak):
        notice_mark_read(notice=notice, by=org.colleague)
    notice_mark_read(notice=notice, by=org.asn)
    first = Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada
    notice_mark_read(notice=notice, by=org.asn)  # again: keeps the first time

    assert first is not None
    assert Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada == first
    assert list(notices_unread(org.asn)) == []


# --- the home page -----------------------------------------------------------------------------------------


def test_home_shows_unread_notices_with_link_and_form(org, login):
    notice = send(org.asn)
    read = send(org.asn, kunci="hari_kosong:2026-11-19", pesan="Pesan yang sudah dibaca")
    read.dibaca_pada = read.dibuat
    read.save(update_fields=["dibaca_pada"])
    send(org.colleague, kunci="lain", pesan="Pesan untuk orang lain")

    html = login(org.asn).get(reverse("home")).content.decode()

    assert "Senin, 16 November 2026" in html
    assert 'href="/kinerja/bulan/"' in html
    assert f'action="{read_url(notice)}"' in html
    assert "Tandai dibaca" in html
    assert "Pesan yang sudah dibaca" not in html
    assert "Pesan untuk orang lain" not in html


def test_home_shows_notices_to_every_role(org, login):
    send(org.pimpinan, kunci="lain", pesan="Bahan rapat pleno Oktober sudah tersedia.")

    html = login(org.pimpinan).get(reverse("home")).content.decode()

    assert "Bahan rapat pleno Oktober sudah tersedia." in html


def test_home_shows_the_ten_newest_in_constant_queries(org, login, django_assert_max_num_queries):
    client = login(org.kasubag)
    start = datetime.datetime(2026, 11, 1, 8, tzinfo=datetime.UTC)
    for i in range(10):
        send(org.kasubag, kunci=f"k{i}", pesan=f"Pemberitahuan nomor {i:02d}.")
        Pemberitahuan.objects.filter(kunci=f"k{i}").update(dibuat=start + datetime.timedelta(hours=i))
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as ten:
        client.get(reverse("home"))
    for i in range(10, 15):
        send(org.kasubag, kunci=f"k{i}", pesan=f"Pemberitahuan nomor {i:02d}.")
        Pemberitahuan.objects.filter(kunci=f"k{i}").update(dibuat=start + datetime.timedelta(hours=i))

    with django_assert_max_num_queries(len(ten)):
        html = client.get(reverse("home")).content.decode()

    assert "10 terbaru dari 15" in html
    shown = [i for i in range(15) if f"Pemberitahuan nomor {i:02d}." in html]
    assert shown == list(range(5, 15))
    assert html.index("nomor 14") < html.index("nomor 05")  # newest first


# --- marking read ------------------------------------------------------------------------------------------


def test_tandai_dibaca_marks_it_read_and_returns_home(org, login):
    notice = send(org.asn)
    client = login(org.asn)

    response = client.post(read_url(notice))

    assert response.status_code == 302 and response.url == reverse("home")
    assert Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada is not None
    assert "Senin, 16 November 2026" not in client.get(reverse("home")).content.decode()


def test_tandai_dibaca_with_htmx_removes_the_item(org, login):
    notice = send(org.asn)

    response = login(org.asn).post(read_url(notice), HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and response.content == b""
    assert Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada is not None


def test_someone_elses_notice_is_not_found(org, login):
    notice = send(org.asn)

    for person in (org.colleague, org.kasubag, org.sekretaris, org.outsider):
        assert login(person).post(read_url(notice)).status_code == 404
    assert Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada is None


def test_tandai_dibaca_is_post_only(org, login):
    notice = send(org.asn)

    assert login(org.asn).get(read_url(notice)).status_code == 405
    assert Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada is None


def test_anonymous_is_sent_to_login(org, client):
    notice = send(org.asn)

    response = client.post(read_url(notice))

    assert response.status_code == 302 and reverse("login") in response.url
    assert Pemberitahuan.objects.get(pk=notice.pk).dibaca_pada is None
