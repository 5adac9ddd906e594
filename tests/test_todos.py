"""The home page's "Yang perlu Anda kerjakan": each app's tasks for the person signed in, by role."""

import datetime

import pytest
from django.urls import reverse

from kinerja import services as core
from kinerja import todos
from kinerja.kalender import next_working_day
from kinerja.models import EntriKinerja, Periode, Satker, StatusEntri, TahapPeriode
from rekap.pengukuran import services as measurement
from rekap.snapshot import people_to_verify
from silabu.lib.dates import format_tanggal
from verifikasi.models import LaporanBulanan, StatusLaporan

D = datetime.date


def october(org) -> int:
    return min(org.kode_years)


def window(org):
    return core.verification_window(org.kudus, october(org), 10)


def entri(org, pegawai, day=1):
    year = october(org)
    return EntriKinerja.objects.create(
        satker=org.kudus,
        pegawai=pegawai,
        tanggal=D(year, 10, day),
        kode_output=org.kode_years[year],
        nama_kegiatan="Rekonsiliasi BMN",
        output_hasil="Berita acara",
    )


def verified(org, *people):
    for p in people:
        LaporanBulanan.objects.create(
            satker=org.kudus, pegawai=p, tahun=october(org), bulan=10, status=StatusLaporan.TERVERIFIKASI
        )


def titles(pegawai, today):
    return [t.judul for t in todos.for_pegawai(pegawai, today)]


def test_the_kasubag_sees_who_is_left_to_verify_and_the_deadline(org):
    year = october(org)
    entri(org, org.asn)
    entri(org, org.asn, day=2)
    verified(org, org.colleague)
    opens = window(org).opens
    [task] = todos.for_pegawai(org.kasubag, opens)
    assert task.judul == f"Verifikasi data kinerja Oktober {year}"
    assert task.keterangan == (
        "1 dari 2 pegawai belum diverifikasi, 2 entri menunggu keputusan · "
        f"tenggat {format_tanggal(window(org).deadline, with_day=True)}, 3 hari kerja lagi"
    )
    assert task.tautan == f"{reverse('verifikasi:antrean')}?tahun={year}&bulan=10"
    assert not task.mendesak


def test_the_verification_task_is_urgent_on_the_last_day_and_says_how_late(org):
    deadline = window(org).deadline
    assert todos.for_pegawai(org.kasubag, deadline)[0].mendesak
    task = todos.for_pegawai(org.kasubag, next_working_day(org.kudus, deadline))[0]
    assert task.mendesak and "terlambat 1 hari kerja" in task.keterangan


def test_no_verification_task_once_everyone_is_verified_or_for_staff(org):
    verified(org, org.asn, org.colleague)
    assert titles(org.kasubag, window(org).opens) == []
    assert titles(org.asn, window(org).opens) == []


def test_the_sekretaris_verifies_the_kasubags(org):
    task = todos.for_pegawai(org.sekretaris, window(org).opens)[0]
    assert task.judul.startswith("Verifikasi data kinerja Oktober")
    assert task.keterangan.startswith("3 dari 3 pegawai belum diverifikasi")


def test_rendatin_follows_the_month_from_verification_to_the_plenary(org):
    year, opens = october(org), window(org).opens
    entri(org, org.asn)  # the office records its work from October
    assert titles(org.rendatin, opens) == [f"Pantau verifikasi Oktober {year}"]
    verified(org, *people_to_verify(org.kudus))
    [task] = todos.for_pegawai(org.rendatin, opens)
    assert (task.judul, task.tautan) == (f"Himpun data kinerja Oktober {year}", f"/rekap/{year}/10/")
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=9, tahap=TahapPeriode.COMPILED)
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=8, tahap=TahapPeriode.PLENO)
    Periode.objects.create(satker=org.kudus, tahun=year, bulan=7, tahap=TahapPeriode.FINAL)
    assert titles(org.rendatin, opens) == [
        f"Himpun data kinerja Oktober {year}",
        f"Finalisasi hasil rapat pleno Agustus {year}",
        f"Catat hasil rapat pleno September {year}",
    ]
    assert titles(org.asn, opens) == [] and titles(org.pimpinan, opens) == []


def measuring(pegawai, today):
    return [t for t in todos.for_pegawai(pegawai, today) if t.tautan.startswith("/pengukuran/")]


def test_measurement_steps_reach_their_actor_only(org):
    p = measurement.pengukuran_dispose(
        satker=org.kudus,
        tahun=october(org),
        jenis_periode="triwulan",
        nomor=1,
        instruksi="Lakukan pengukuran triwulan I.",
        by=org.sekretaris,
    )
    today = D(october(org), 12, 15)
    [task] = measuring(org.kasubag_rendatin, today)
    assert task.judul == "Susun konsep Form Data Kinerja: pilih indikator per subbagian"
    assert task.tautan == reverse("pengukuran:detail", args=[p.pk])
    assert "langkah 2" in task.keterangan
    assert measuring(org.sekretaris, today) == [] and measuring(org.rendatin, today) == []
    assert measuring(org.asn, today) == []


@pytest.fixture
def in_november(org, monkeypatch):
    day = window(org).opens
    monkeypatch.setattr(Satker, "today", lambda self: day)
    return day


def test_the_home_page_lists_the_tasks_of_the_person_signed_in(org, login, in_november):
    entri(org, org.asn)
    body = login(org.kasubag).get(reverse("home")).content.decode()
    assert "Yang perlu Anda kerjakan" in body
    assert f"Verifikasi data kinerja Oktober {october(org)}</a>" in body
    assert "1 entri menunggu keputusan" in body


def test_the_home_page_says_when_there_is_nothing_to_do(org, login, in_november):
    body = login(org.pimpinan).get(reverse("home")).content.decode()
    assert "Yang perlu Anda kerjakan" not in body
    assert "Tidak ada pekerjaan yang menunggu Anda saat ini." in body


def test_a_returned_entry_still_comes_first_for_the_asn(org, login, in_november):
    e = entri(org, org.asn)
    EntriKinerja.objects.filter(pk=e.pk).update(
        status=StatusEntri.DIKEMBALIKAN, catatan_verifikasi="Foto buram"
    )
    body = login(org.asn).get(reverse("home")).content.decode()
    assert "1 entri dikembalikan untuk diperbaiki" in body


def test_no_month_to_follow_before_the_office_first_records_its_work(org):
    opens = window(org).opens
    assert (
        titles(org.rendatin, opens) == []
    )  # nothing recorded at all: October came before the office started
    entri(org, org.asn)
    assert titles(org.rendatin, opens) == [f"Pantau verifikasi Oktober {october(org)}"]
