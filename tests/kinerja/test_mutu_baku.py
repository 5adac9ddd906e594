"""kinerja.MutuBaku: both SOPs' standard times as data, a default per step and a satker's own, and the pages that
time their steps against it (the monitoring board, the measurement)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kinerja.kalender import add_working_days
from kinerja.models import SOP, MutuBaku, SatuanWaktu
from rekap import board
from rekap.pengukuran import durasi
from rekap.pengukuran.models import LangkahPengukuran, Pengukuran
from tests.conftest import ensure_mutu_baku
from tests.rekap.test_board import compiled, october, people, row_of, steps, verified_on, window

HK, MENIT = SatuanWaktu.HARI_KERJA, SatuanWaktu.MENIT


def times(satker, sop) -> dict[int, tuple[int | None, str]]:
    return {n: (m.waktu, m.satuan) for n, m in MutuBaku.objects.for_satker(satker, sop).items()}


def own(satker, sop, langkah, waktu, satuan=HK) -> MutuBaku:
    default = MutuBaku.objects.get(satker=None, sop=sop, langkah=langkah)
    return MutuBaku.objects.create(
        satker=satker,
        sop=sop,
        langkah=langkah,
        kegiatan=default.kegiatan,
        pelaksana=default.pelaksana,
        waktu=waktu,
        satuan=satuan,
        output=default.output,
    )


# --- the seeded SOPs ------------------------------------------------------------------------------------------


def test_the_kudus_sop_is_seeded_with_its_flowchart_times(org):
    assert times(org.bontang, SOP.KUDUS) == {
        1: (5, MENIT),
        2: (10, MENIT),
        3: (3, HK),
        4: (2, HK),
        5: (120, MENIT),
        6: (1, HK),
    }


def test_the_bontang_sop_is_seeded_with_its_ten_steps(org):
    assert times(org.bontang, SOP.BONTANG) == {
        1: (10, MENIT),
        2: (20, MENIT),
        3: (120, MENIT),
        4: (120, MENIT),
        5: (1, HK),
        6: (180, MENIT),
        7: (60, MENIT),
        8: (90, MENIT),
        9: (30, MENIT),
        10: (None, MENIT),
    }
    step = MutuBaku.objects.standard(org.bontang, SOP.BONTANG, 9)
    assert (step.kegiatan, step.pelaksana, step.output) == (
        "Persetujuan Sekretaris",
        "Sekretaris",
        "Disposisi Sekretaris",
    )


def test_every_seeded_step_is_a_default_for_every_satker(org):
    assert not MutuBaku.objects.filter(satker__isnull=False).exists()
    assert MutuBaku.objects.filter(sop=SOP.KUDUS).count() == 6
    assert MutuBaku.objects.filter(sop=SOP.BONTANG).count() == 10


# --- a satker's own standard ----------------------------------------------------------------------------------


def test_a_satkers_own_standard_replaces_the_default_for_it_alone(org, django_assert_num_queries):
    own(org.kudus, SOP.BONTANG, 5, 2)
    with django_assert_num_queries(1):
        kudus = MutuBaku.objects.for_satker(org.kudus, SOP.BONTANG)
    assert (kudus[5].waktu, kudus[5].satker) == (2, org.kudus)
    assert list(kudus) == list(range(1, 11))
    assert MutuBaku.objects.standard(org.bontang, SOP.BONTANG, 5).waktu == 1
    assert MutuBaku.objects.standard(org.kudus, SOP.BONTANG, 11) is None


def test_a_step_has_one_default_and_one_standard_per_satker(org):
    own(org.kudus, SOP.KUDUS, 4, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        own(org.kudus, SOP.KUDUS, 4, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        MutuBaku.objects.create(sop=SOP.KUDUS, langkah=4, kegiatan="Dua kali", waktu=1)


def test_step_3_of_the_kudus_sop_is_the_satkers_verification_window(org):
    org.kudus.verifikasi_tenggat_hari = 5
    org.kudus.save()
    assert MutuBaku.objects.standard(org.kudus, SOP.KUDUS, 3).waktu == 5
    assert MutuBaku.objects.standard(org.bontang, SOP.KUDUS, 3).waktu == 3
    assert MutuBaku.objects.get(satker=None, sop=SOP.KUDUS, langkah=3).waktu == 3  # the SOP's own figure
    with pytest.raises(IntegrityError), transaction.atomic():
        own(org.kudus, SOP.KUDUS, 3, 4)
    candidate = MutuBaku(satker=org.kudus, sop=SOP.KUDUS, langkah=3, kegiatan="x", waktu=4, satuan=HK)
    with pytest.raises(ValidationError, match="mengikuti tenggat verifikasi satker"):
        candidate.full_clean()


def test_the_standard_says_whether_a_duration_ran_past_it(org):
    days = MutuBaku.objects.standard(org.kudus, SOP.BONTANG, 5)  # 1 working day
    minutes = MutuBaku.objects.standard(org.kudus, SOP.BONTANG, 9)  # 30 minutes
    unlimited = MutuBaku.objects.standard(org.kudus, SOP.BONTANG, 10)
    assert (days.label, minutes.label, unlimited.label) == ("1 hari kerja", "30 menit", "—")
    assert (days.hari_kerja, days.menit, minutes.menit, minutes.hari_kerja) == (1, None, 30, None)
    assert not days.exceeded_by(menit=10_000, hari_kerja=1) and days.exceeded_by(menit=0, hari_kerja=2)
    assert not minutes.exceeded_by(menit=30, hari_kerja=5) and minutes.exceeded_by(menit=31, hari_kerja=0)
    assert not unlimited.exceeded_by(menit=10**6, hari_kerja=10**3)


# --- the board reads them -------------------------------------------------------------------------------------


def test_the_board_times_its_steps_against_the_satkers_standards(org, login):
    w = window(org)
    for p in people(org):
        verified_on(org, p, w.deadline)
    compiled(org, add_working_days(org.kudus, w.deadline, 3))  # step 4 took three working days
    before = steps(row_of(org))[4]
    own(org.kudus, SOP.KUDUS, 4, 10)
    after = steps(row_of(org))[4]
    assert (before.elapsed, before.batas, before.late) == (3, 2, True)
    assert (after.elapsed, after.batas, after.late) == (3, 10, False)
    assert [(m.langkah, batas) for m, batas in board.build(org.kudus, october(org)[0]).mutu_baku] == [
        (3, 3),
        (4, 10),
        (5, 120),
        (6, 1),
    ]

    page = login(org.rendatin).get(f"{reverse('rekap:papan')}?tahun={october(org)[0]}").content.decode()
    standards = page[page.index('id="mutu-baku"') :]
    standards = standards[: standards.index("</ul>")]
    assert "Langkah 4: Menghimpun data kinerja terverifikasi — 10 hari kerja" in standards
    assert "Langkah 5: Bahan Rapat Pleno Laporan Bulanan — 120 menit" in standards
    assert board.mutu_baku(org.bontang)[4].waktu == 2  # another satker keeps the default


def test_changing_a_default_changes_every_satker_without_its_own(org):
    MutuBaku.objects.filter(satker=None, sop=SOP.KUDUS, langkah=5).update(waktu=90)
    own(org.bontang, SOP.KUDUS, 5, 150, MENIT)
    assert board.mutu_baku(org.kudus)[5].waktu == 90
    assert board.mutu_baku(org.bontang)[5].waktu == 150
    assert board.batas_langkah(org.kudus, 5) == 90


def test_the_verification_window_setting_shows_as_step_3_on_the_board(org):
    org.kudus.verifikasi_tenggat_hari = 4
    org.kudus.save()
    assert steps(row_of(org))[3].batas == 4
    assert board.batas_langkah(org.kudus, 3) == 4


# --- and so does the measurement ------------------------------------------------------------------------------


def test_a_measurement_step_is_late_against_its_satkers_own_standard(org):
    p = Pengukuran.objects.create(
        satker=org.kudus, tahun=2026, jenis_periode="bulan", nomor=1, instruksi="Ukur.", tahap="konsep"
    )
    LangkahPengukuran.objects.create(
        pengukuran=p, langkah=2, mulai=timezone.now() - datetime.timedelta(minutes=45)
    )
    assert [d.terlambat for d in durasi.durasi(p)] == [True]  # the default: 20 minutes
    own(org.kudus, SOP.BONTANG, 2, 60, MENIT)
    [step] = durasi.durasi(p)
    assert (step.terlambat, step.batas) == (False, "60 menit")
    assert durasi.terlambat(org.kudus) == []


# --- the move from rekap.pengukuran's table ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_measurement_apps_rows_move_into_the_core_with_their_edits():
    ensure_mutu_baku()
    call_command("migrate", "pengukuran", "0002_mutu_baku", verbosity=0)
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE pengukuran_mutubaku SET menit = NULL, hari_kerja = 2 WHERE sop = 'bontang' AND langkah = 6"
            )
    finally:
        call_command("migrate", "pengukuran", verbosity=0)
    moved = MutuBaku.objects.get(satker=None, sop=SOP.BONTANG, langkah=6)
    assert (moved.waktu, moved.satuan, moved.kegiatan) == (
        2,
        HK,
        "Rekap hasil pengukuran per sasaran/program/kegiatan",
    )
    assert MutuBaku.objects.get(satker=None, sop=SOP.KUDUS, langkah=4).waktu == 2
