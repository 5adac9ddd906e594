"""The demo takes three earlier months through the whole chain (verified, compiled, plenary, FINAL, documents
archived), each step dated on its working day; compiles the month before last; leaves last month under
verification. Running it again changes nothing. Documents come from fake generators, to keep the test fast.
"""

import datetime
import hashlib
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from demo import pengukuran as pengukuran_demo
from demo import rekap as demo
from kinerja import services as core
from kinerja.kalender import add_working_days
from kinerja.models import (
    AuditLog,
    Dokumen,
    EntriKinerja,
    Ketidakhadiran,
    Periode,
    Satker,
    StatusDokumen,
    StatusEntri,
    TahapPeriode,
)
from rekap.models import CatatanPleno, RapatPleno, RekapBulanan
from rekap.services import ARCHIVED_DOCUMENTS
from silabu.lib.dates import format_bulan, month_bounds, shift_month
from tests.rekap.test_services import install_fake_generators
from verifikasi.models import LaporanBulanan

MODELS = (
    RekapBulanan,
    RapatPleno,
    CatatanPleno,
    Dokumen,
    AuditLog,
    EntriKinerja,
    LaporanBulanan,
    Periode,
    Ketidakhadiran,
)


def state() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS} | {
        "data": {r.pk: r.data for r in RekapBulanan.objects.all()},
        "tahap": dict(Periode.objects.values_list("pk", "tahap")),
        "waktu": sorted(AuditLog.objects.values_list("pk", "waktu")),
    }


@pytest.fixture
def seeded(db, monkeypatch):
    install_fake_generators(monkeypatch)
    # The Bontang measurement demo that seed_demo also runs has its own test; it is not what this one checks.
    monkeypatch.setattr(pengukuran_demo, "seed_pengukuran", lambda **kwargs: None)
    call_command("seed_demo", verbosity=0)
    return Satker.objects.get(kode="kudus")


def month(kudus: Satker, delta: int) -> tuple[int, int]:
    today = kudus.today()
    return shift_month(today.year, today.month, delta)


def local_day(kudus: Satker, moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(kudus.tz).date()


def test_every_stage_is_on_the_board_and_earlier_months_went_through_the_whole_chain(seeded):
    kudus = seeded
    stages = {delta: core.periode_tahap(kudus, *month(kudus, delta)) for delta in range(-5, 1)}
    assert stages == {
        -5: TahapPeriode.FINAL,
        -4: TahapPeriode.FINAL,
        -3: TahapPeriode.FINAL,
        -2: TahapPeriode.COMPILED,
        -1: TahapPeriode.VERIFICATION,
        0: TahapPeriode.OPEN,
    }
    # Nothing earlier was touched.
    assert not EntriKinerja.objects.filter(
        satker=kudus, tanggal__lt=datetime.date(*month(kudus, -5), 1)
    ).exists()

    for delta in (-5, -4, -3):
        check_whole_chain(kudus, delta)

    # The month before last: compiled today by Rendatin, waiting for its plenary; last month not compiled.
    year, m = month(kudus, -2)
    rekap = RekapBulanan.objects.get(satker=kudus, tahun=year, bulan=m)
    assert rekap.is_complete and rekap.jumlah_pegawai == 20
    assert rekap.dihimpun_oleh == demo.rendatin_staff(kudus)
    assert not RapatPleno.objects.filter(rekap=rekap).exists()
    last = month(kudus, -1)
    assert not RekapBulanan.objects.filter(satker=kudus, tahun=last[0], bulan=last[1]).exists()

    # The acting heads (a Plh last month, a Plt from this month) were appointed through the calendar service.
    appointed = AuditLog.objects.filter(satker=kudus, action="penjabat_tambah").values_list("ke", flat=True)
    assert sorted(appointed) == ["Plh", "Plt"]


def check_whole_chain(kudus: Satker, delta: int) -> None:
    year, m = month(kudus, delta)
    start, end = month_bounds(year, m)
    entries = EntriKinerja.objects.filter(satker=kudus, tanggal__range=(start, end))
    assert entries.count() > 500
    assert not entries.exclude(status=StatusEntri.DISETUJUI).exists()

    # Step 3: everyone verified by the head of the day, none acting, a Kasubag by the Sekretaris.
    laporan = (
        LaporanBulanan.objects.for_month(year, m).filter(satker=kudus).select_related("pegawai__subbagian")
    )
    assert laporan.count() == laporan.verified().count() == 20
    window = core.verification_window(kudus, year, m)
    for lap in laporan:
        sub = lap.pegawai.subbagian
        expected = kudus.sekretaris if sub.kasubag_id == lap.pegawai_id else sub.kasubag
        assert (lap.verifikator, lap.verifikator_acting) == (expected, "")
        day = local_day(kudus, lap.diverifikasi_pada)
        if delta == -5 and sub.singkatan == "HUKUM":
            assert day == add_working_days(kudus, window.deadline, 1)  # one working day late
        else:
            assert window.opens <= day <= window.deadline
    last_verified = max(local_day(kudus, lap.diverifikasi_pada) for lap in laporan)

    # Step 4: compiled by Rendatin the next working day, everyone in, every entry counted.
    rekap = RekapBulanan.objects.get(satker=kudus, tahun=year, bulan=m)
    compiler = demo.rendatin_staff(kudus)
    assert compiler.has_role("rendatin") and rekap.dihimpun_oleh == compiler
    assert rekap.is_complete and rekap.jumlah_pegawai == 20 and rekap.alasan_belum_lengkap == ""
    assert rekap.jumlah_entri == rekap.data["total"]["kegiatan"] == entries.count()
    assert rekap.data["belum_terverifikasi"] == []
    assert local_day(kudus, rekap.dihimpun_pada) == add_working_days(kudus, last_verified, 1)

    # Steps 5 and 6: the plenary two working days later, finalised the next working day.
    rapat = RapatPleno.objects.get(rekap=rekap)
    assert rapat.tanggal == add_working_days(kudus, local_day(kudus, rekap.dihimpun_pada), 2)
    assert local_day(kudus, rapat.difinalisasi_pada) == add_working_days(kudus, rapat.tanggal, 1)
    assert rapat.difinalisasi_pada < timezone.now()
    assert rapat.mulai < rapat.selesai
    assert rapat.tempat == "Ruang Rapat KPU Kabupaten Kudus"
    pimpinan = set(kudus.pegawai_set.filter(is_pimpinan=True))
    assert len(pimpinan) == 2 and rapat.pimpinan_rapat in pimpinan
    assert rapat.pimpinan_rapat.jabatan == "Ketua KPU Kabupaten"
    peserta = set(rapat.peserta.all())
    heads = {s.kasubag for s in kudus.subbagian_set.select_related("kasubag")}
    assert pimpinan | heads | {kudus.sekretaris, compiler} <= peserta
    assert len(rapat.peserta_snapshot) == len(peserta)
    assert format_bulan(year, m) in rapat.keputusan and rapat.catatan
    assert rapat.difinalisasi_oleh == kudus.subbagian_set.get(is_rendatin=True).kasubag
    notes = list(rapat.catatan_set.all())
    assert 2 <= len(notes) <= 3
    assert len([n for n in notes if n.koreksi]) == 1
    codes = {o["kode"] for o in rekap.data["output"]}
    assert all(n.subbagian_id or n.kode_output for n in notes)
    assert all(n.kode_output in codes for n in notes if n.kode_output)
    assert any(n.subbagian_id for n in notes) and any(n.kode_output for n in notes)

    # The archive: one document per archived kind, ready, with the SHA-256 of its file; the booklet is the one
    # Rendatin requested before the meeting.
    params = {"tahun": year, "bulan": m}
    archived = Dokumen.objects.filter(satker=kudus, arsip=True, params__tahun=year, params__bulan=m)
    assert sorted((d.jenis, d.format) for d in archived) == sorted(ARCHIVED_DOCUMENTS)
    for dokumen in archived:
        assert dokumen.status == StatusDokumen.SIAP
        assert {k: dokumen.params[k] for k in params} == params
        with dokumen.berkas.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == dokumen.sha256
        assert dokumen.diarsipkan_pada == rapat.difinalisasi_pada
    booklet = archived.get(jenis="bahan_pleno")
    assert local_day(kudus, booklet.diminta_pada) < rapat.tanggal
    assert booklet.diminta_oleh == compiler.user
    assert Dokumen.objects.filter(satker=kudus, params__tahun=year, params__bulan=m).count() == len(
        ARCHIVED_DOCUMENTS
    )

    # The audit trail of the month's stage, dated as the steps happened.
    periode = Periode.objects.get(satker=kudus, tahun=year, bulan=m)
    moves = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Periode), object_id=periode.pk
    ).order_by("waktu")
    moves = list(moves)
    if (moves[0].dari, moves[0].ke) == (TahapPeriode.OPEN, TahapPeriode.VERIFICATION):
        # the recent months' opening of verification, recorded when the calendar was seeded (issue 13), dated
        # when it was reached
        opened = moves.pop(0)
        assert local_day(kudus, opened.waktu) == window.opens and opened.actor is None
    assert [(a.dari, a.ke) for a in moves] == [
        (TahapPeriode.VERIFICATION, TahapPeriode.COMPILED),
        (TahapPeriode.COMPILED, TahapPeriode.PLENO),
        (TahapPeriode.PLENO, TahapPeriode.FINAL),
    ]
    assert moves[0].waktu == rekap.dihimpun_pada and moves[2].waktu == rapat.difinalisasi_pada
    assert local_day(kudus, moves[1].waktu) == rapat.tanggal
    assert (
        AuditLog.objects.get(satker=kudus, action="rekap_dihimpun", object_id=rekap.pk).waktu
        == rekap.dihimpun_pada
    )
    assert (
        AuditLog.objects.get(satker=kudus, action="pleno_difinalisasi", object_id=rapat.pk).waktu
        == rapat.difinalisasi_pada
    )
    verified_rows = AuditLog.objects.filter(
        action="laporan_diverifikasi", object_id__in=[lap.pk for lap in laporan]
    )
    assert sorted(a.waktu for a in verified_rows) == sorted(lap.diverifikasi_pada for lap in laporan)

    # Step 3 went through the verification services: every entry's approval is on the audit trail, by the
    # person's verifier, at the moment of their month's verification.
    verified_at = {lap.pegawai_id: (lap.verifikator.user_id, lap.diverifikasi_pada) for lap in laporan}
    owner = dict(entries.values_list("pk", "pegawai_id"))
    approvals = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(EntriKinerja),
        object_id__in=list(owner),
        action="entri_keputusan",
        dari=StatusEntri.DIAJUKAN,
        ke=StatusEntri.DISETUJUI,
    )
    assert sorted(a.object_id for a in approvals) == sorted(owner)
    assert all((a.actor_id, a.waktu) == verified_at[owner[a.object_id]] for a in approvals)


def test_running_the_demo_again_changes_nothing(seeded):
    kudus = seeded
    before = state()
    call_command("seed_demo", verbosity=0)
    assert state() == before

    # The rekap demo on its own is idempotent too.
    people = {"pimpinan": list(kudus.pegawai_set.filter(is_pimpinan=True)), "sekretaris": kudus.sekretaris}
    for sub in kudus.subbagian_set.select_related("kasubag").order_by("urutan"):
        staff = [p for p in sub.pegawai_set.order_by("nama") if p.pk != sub.kasubag_id]
        people[sub.singkatan] = [sub.kasubag, *staff]
    out = io.StringIO()
    result = demo.seed_rekap(kudus, people, kudus.today(), verbosity=1, stdout=out)
    assert result["entries"] == 0
    assert state() == before
    text = out.getvalue()
    assert text.startswith("Rekap demo: ")
    for delta in (-5, -4, -3):
        assert f"{format_bulan(*month(kudus, delta))} final" in text
    assert f"{format_bulan(*month(kudus, -2))} dihimpun" in text
