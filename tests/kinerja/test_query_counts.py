"""Every page runs a number of queries that does not grow with its rows."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.models import BuktiDukung, EntriKinerja, HariLibur, Ketidakhadiran


def add_entries(org, count: int) -> None:
    today = org.kudus.today()
    first = today.replace(day=1)
    for i in range(count):
        day = first + datetime.timedelta(days=i % today.day)
        entri = EntriKinerja.objects.create(
            satker=org.kudus,
            pegawai=org.asn,
            tanggal=day,
            kode_output=org.kode,
            nama_kegiatan=f"Kegiatan {i}",
            output_hasil="Hasil",
        )
        bukti = BuktiDukung(
            entri=entri, nama_asli="a.pdf", content_type="application/pdf", ukuran=4, sha256="0" * 64
        )
        bukti.berkas.save("a.pdf", ContentFile(b"%PDF"), save=False)
        bukti.save()
    HariLibur.objects.create(
        satker=org.kudus, tanggal=first + datetime.timedelta(days=count % 20), nama="Libur"
    )
    Ketidakhadiran.objects.create(pegawai=org.asn, jenis="sakit", mulai=first, selesai=first)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = [
    reverse("home"),
    reverse("kinerja:entri_list"),
    reverse("kinerja:entri_create"),
    reverse("kinerja:bulan_saya_now"),
]


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_entries(org, login, url):
    client = login(org.asn)
    add_entries(org, 3)
    few = count_queries(client, url)
    add_entries(org, 40)
    many = count_queries(client, url)
    assert few == many
    assert many <= 15


def test_entry_detail_query_count_does_not_grow_with_evidence(org, login):
    add_entries(org, 1)
    entri = EntriKinerja.objects.get()
    client = login(org.asn)
    url = reverse("kinerja:entri_detail", args=[entri.pk])
    one = count_queries(client, url)
    for _ in range(5):
        bukti = BuktiDukung(
            entri=entri, nama_asli="b.pdf", content_type="application/pdf", ukuran=4, sha256="0" * 64
        )
        bukti.berkas.save("b.pdf", ContentFile(b"%PDF"), save=False)
        bukti.save()
    assert count_queries(client, url) == one
