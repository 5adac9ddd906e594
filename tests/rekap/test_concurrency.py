"""Rendatin's steps racing each other and the verifiers, each request in a thread with its own connection.

The services rely on row locks (`select_for_update`): the month's Periode row, the month's LaporanBulanan rows
and the RekapBulanan row. SQLite ignores them and serialises writers instead, so these tests run only on
PostgreSQL (CI's PostgreSQL leg).

Where the order matters, a patched step inside one service waits, holding its lock, until the other request has
reached the point just before its own lock: both requests are then truly in flight at once, in a known order.
"""

import datetime
import functools
import threading
import time

import pytest
from django.db import connection

from kinerja import services as core
from kinerja.errors import DomainError, PeriodeTerkunci
from kinerja.models import (
    AuditLog,
    Dokumen,
    EntriKinerja,
    Periode,
    Satker,
    StatusDokumen,
    StatusEntri,
    TahapPeriode,
)
from rekap import services, snapshot
from rekap.models import RapatPleno, RekapBulanan
from rekap.services import ARCHIVED_DOCUMENTS, RekapDitolak
from tests import concurrency
from tests.concurrency import person
from tests.rekap.test_services import (
    TEMPAT,
    install_fake_generators,
    label,
    make_entri,
    october,
    verify_everyone,
)
from verifikasi import services as verifikasi
from verifikasi.models import LaporanBulanan, StatusLaporan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


# Every refusal in these races must be a rule's (a DomainError), never a crash.
race = functools.partial(concurrency.race, errors=DomainError)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; SQLite serialises writers instead")


def compile_by(org, pegawai_pk: int, reason: str = ""):
    def call():
        satker = Satker.objects.get(pk=org.kudus.pk)
        return services.rekap_compile(
            satker=satker, year=october(org)[0], month=10, by=person(pegawai_pk), reason=reason
        )

    return call


# --- (a) two Rendatin users compile the same month at once ------------------------------------------------


@pytest.mark.parametrize("recorded", [False, True], ids=["no-periode-row", "periode-row"])
def test_two_compilations_at_once_make_one_rekap(org, monkeypatch, recorded):
    make_entri(org, org.asn, 1)
    verify_everyone(org)
    if recorded:
        year, month = october(org)
        Periode.objects.create(satker=org.kudus, tahun=year, bulan=month, tahap=TahapPeriode.VERIFICATION)
    build = snapshot.build

    def slow_build(*args):
        # Hold the month's lock a while: without it, both requests would pass the stage check.
        time.sleep(0.3)
        return build(*args)

    monkeypatch.setattr(snapshot, "build", slow_build)

    results = race(compile_by(org, org.rendatin.pk), compile_by(org, org.kasubag_rendatin.pk))

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    [error] = [value for kind, value in results if kind == "error"]
    assert isinstance(error, PeriodeTerkunci | RekapDitolak)
    assert "Oktober 2025 (Dihimpun): perubahan tahap ditolak." in str(error)
    [rekap] = RekapBulanan.objects.all()
    [winner] = [value for kind, value in results if kind == "ok"]
    assert rekap.pk == winner.pk
    assert Periode.objects.get(satker=org.kudus).tahap == TahapPeriode.COMPILED
    assert AuditLog.objects.filter(action="rekap_dihimpun").count() == 1
    assert AuditLog.objects.filter(action="periode_tahap", ke=TahapPeriode.COMPILED).count() == 1


# --- (b) a verification racing the compilation ------------------------------------------------------------


@pytest.fixture
def ani_waiting(org):
    """Everyone verified but Ani, whose entries are all approved: her Kasubag is about to verify her."""
    make_entri(org, org.asn, 1)
    make_entri(org, org.asn, 2)
    verify_everyone(org, but=[org.asn])
    return verifikasi.laporan_for(org.asn, *october(org))


def verify_ani(org):
    def call():
        asn, kasubag = person(org.asn.pk), person(org.kasubag.pk)
        return verifikasi.laporan_verify(laporan=verifikasi.laporan_for(asn, *october(org)), by=kasubag)

    return call


def consistent(org, verified, compiled) -> str:
    """Which of the two consistent histories happened; fails on any other end state."""
    assert compiled[0] == "ok", compiled  # Rendatin's compilation (with a reason) always lands
    laporan = LaporanBulanan.objects.get(pegawai=org.asn, tahun=october(org)[0], bulan=10)
    rekap = RekapBulanan.objects.get()
    ani = next(p for s in rekap.data["subbagian"] for p in s["pegawai"] if p["id"] == org.asn.pk)
    listed = [p["nama"] for p in rekap.data["belum_terverifikasi"]]
    if verified[0] == "ok":
        # Verified first: the snapshot has her verification and her entries.
        assert laporan.status == StatusLaporan.TERVERIFIKASI
        assert ani["terverifikasi"] and ani["entri"] == 2 and ani["verifikator"]["nama"] == org.kasubag.nama
        assert org.asn.nama not in listed
        assert rekap.data["total"]["kegiatan"] == 2 and rekap.is_complete
        assert rekap.alasan_belum_lengkap == ""
        return "verify_then_compile"
    # Compiled first: the verification is refused and the month stays unverified, as the snapshot says.
    assert isinstance(verified[1], PeriodeTerkunci), verified
    assert str(verified[1]) == f"{label(org)} (Dihimpun) tidak dalam tahap verifikasi."
    assert laporan.status == StatusLaporan.BELUM
    assert not AuditLog.objects.filter(action="laporan_diverifikasi").exists()
    assert not ani["terverifikasi"] and ani["entri"] == 0
    assert listed == [org.asn.nama]
    assert rekap.data["total"]["kegiatan"] == 0
    return "compile_then_refuse"


def test_a_verification_holding_the_laporan_lands_in_the_snapshot(org, ani_waiting, monkeypatch):
    verify_holds, compiling = threading.Event(), threading.Event()
    counts = verifikasi.laporan_counts

    def counts_holding_the_lock(laporan):
        # Called in laporan_verify with Ani's laporan locked: let the compilation arrive and queue behind it.
        verify_holds.set()
        compiling.wait(timeout=5)
        time.sleep(0.2)
        return counts(laporan)

    def about_to_lock(**kwargs):
        # Called in rekap_compile just before it takes the month's lock, which the verification holds (shared,
        # before its laporan: kinerja.services.periode_lock): the compilation queues behind it there.
        if not compiling.is_set():
            verify_holds.wait(timeout=5)
            compiling.set()
        return set_tahap(**kwargs)

    set_tahap = core.periode_set_tahap
    monkeypatch.setattr(verifikasi, "laporan_counts", counts_holding_the_lock)
    monkeypatch.setattr(core, "periode_set_tahap", about_to_lock)

    verified, compiled = race(verify_ani(org), compile_by(org, org.rendatin.pk, reason="Ani menyusul"))

    assert consistent(org, verified, compiled) == "verify_then_compile"


def test_a_verification_arriving_while_the_compilation_holds_the_month_is_refused(
    org, ani_waiting, monkeypatch
):
    compile_holds, verifying = threading.Event(), threading.Event()
    build, locked = snapshot.build, verifikasi._locked

    def build_holding_the_locks(*args):
        # Called in rekap_compile with the stage moved and every laporan of the month locked.
        compile_holds.set()
        verifying.wait(timeout=5)
        time.sleep(0.2)
        return build(*args)

    def about_to_lock(laporan):
        # Called in laporan_verify just before it locks Ani's laporan.
        compile_holds.wait(timeout=5)
        verifying.set()
        return locked(laporan)

    monkeypatch.setattr(snapshot, "build", build_holding_the_locks)
    monkeypatch.setattr(verifikasi, "_locked", about_to_lock)

    verified, compiled = race(verify_ani(org), compile_by(org, org.rendatin.pk, reason="Ani menyusul"))

    assert consistent(org, verified, compiled) == "compile_then_refuse"


@pytest.mark.parametrize("attempt", range(3))
def test_a_free_race_between_verification_and_compilation_is_consistent(org, ani_waiting, attempt):
    verified, compiled = race(verify_ani(org), compile_by(org, org.rendatin.pk, reason="Ani menyusul"))
    assert consistent(org, verified, compiled) in ("verify_then_compile", "compile_then_refuse")


def test_a_compilation_without_a_reason_never_misses_a_verification_that_landed(
    org, ani_waiting, monkeypatch
):
    """Without a reason, the compilation succeeds only if it saw Ani verified."""
    verified, compiled = race(verify_ani(org), compile_by(org, org.rendatin.pk))
    assert verified[0] == "ok" or compiled[0] == "ok"
    laporan = LaporanBulanan.objects.get(pegawai=org.asn, tahun=october(org)[0], bulan=10)
    if compiled[0] == "ok":
        assert verified[0] == "ok" and laporan.is_verified
        assert RekapBulanan.objects.get().data["belum_terverifikasi"] == []
    else:
        assert isinstance(compiled[1], RekapDitolak) and "1 pegawai belum diverifikasi" in str(compiled[1])
        assert laporan.is_verified and not RekapBulanan.objects.exists()


# --- (c) the plenary finalised twice at once --------------------------------------------------------------


@pytest.fixture
def recorded(org, monkeypatch):
    install_fake_generators(monkeypatch)
    make_entri(org, org.asn, 1)
    verify_everyone(org)
    rekap = services.rekap_compile(satker=org.kudus, year=october(org)[0], month=10, by=org.rendatin)
    return services.pleno_save(
        rekap=rekap,
        by=org.rendatin,
        tanggal=datetime.date(october(org)[0], 11, 5),
        tempat=TEMPAT,
        pimpinan_rapat=org.pimpinan,
        peserta=[org.pimpinan, org.sekretaris],
        keputusan="Laporan diterima.",
    )


def finalise_by(rapat_pk: int, pegawai_pk: int):
    def call():
        return services.pleno_finalise(rapat=RapatPleno.objects.get(pk=rapat_pk), by=person(pegawai_pk))

    return call


def test_two_finalisations_at_once_succeed_once(org, recorded, monkeypatch):
    person_of = snapshot.person

    def slow_person(*args, **kwargs):
        # Called in pleno_finalise with the rekap and the plenary locked.
        time.sleep(0.15)
        return person_of(*args, **kwargs)

    monkeypatch.setattr(snapshot, "person", slow_person)

    results = race(
        finalise_by(recorded.pk, org.rendatin.pk), finalise_by(recorded.pk, org.kasubag_rendatin.pk)
    )

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    [error] = [value for kind, value in results if kind == "error"]
    assert isinstance(error, RekapDitolak) and str(error) == "Hasil rapat pleno sudah difinalisasi."
    assert Periode.objects.get(satker=org.kudus).tahap == TahapPeriode.FINAL
    assert AuditLog.objects.filter(action="pleno_difinalisasi").count() == 1
    assert AuditLog.objects.filter(action="periode_tahap", ke=TahapPeriode.FINAL).count() == 1
    archived = Dokumen.objects.filter(arsip=True)
    assert sorted((d.jenis, d.format) for d in archived) == sorted(ARCHIVED_DOCUMENTS)
    assert all(d.status == StatusDokumen.SIAP for d in archived)
    assert Dokumen.objects.count() == len(ARCHIVED_DOCUMENTS)


def test_a_correction_racing_the_finalisation_is_in_the_record_or_refused(org, recorded):
    def correct():
        rekap = RekapBulanan.objects.get(pk=recorded.rekap_id)
        return services.pleno_save(
            rekap=rekap,
            by=person(org.kasubag_rendatin.pk),
            tanggal=recorded.tanggal,
            tempat="Aula KPU Kabupaten Kudus",
            peserta=[person(org.sekretaris.pk)],
            keputusan="Laporan diterima dengan koreksi.",
        )

    saved, finalised = race(correct, finalise_by(recorded.pk, org.rendatin.pk))

    assert finalised[0] == "ok", finalised
    rapat = RapatPleno.objects.get()
    assert rapat.is_final
    if saved[0] == "ok":
        assert (rapat.tempat, rapat.keputusan) == (
            "Aula KPU Kabupaten Kudus",
            "Laporan diterima dengan koreksi.",
        )
        assert [p["nama"] for p in rapat.peserta_snapshot] == [org.sekretaris.nama]
    else:
        assert str(saved[1]) == "Hasil rapat pleno sudah difinalisasi dan tidak dapat diubah."
        assert (rapat.tempat, rapat.keputusan) == (TEMPAT, "Laporan diterima.")
        assert len(rapat.peserta_snapshot) == 2


# --- (f) an entry's change against the month being compiled (issue 13) ---------------------------------------


def held_after(monkeypatch, module, name: str):
    """Patch module.name so that its caller, past its checks and inside its transaction, waits there until
    `release` is set; `reached` is set when it gets there."""
    reached, release = threading.Event(), threading.Event()
    original = getattr(module, name)

    def hold(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        assert release.wait(timeout=20), "never released"
        return result

    monkeypatch.setattr(module, name, hold)
    return reached, release


def run_in_thread(call) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run():
        try:
            outcome.append(("ok", call()))
        except Exception as exc:  # the test asserts the outcome
            outcome.append(("error", exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def compile_while_held(org, reached, release, first):
    """Start `first`; once it holds its place past the stage check, start the compile, give it a second, and say
    whether it got through while `first` was still held. Then release `first` and wait for both."""
    first_thread, first_outcome = run_in_thread(first)
    assert reached.wait(timeout=10), first_outcome
    compile_thread, compile_outcome = run_in_thread(
        compile_by(org, org.rendatin.pk, reason="Ani sedang sakit")
    )
    compile_thread.join(timeout=1.5)
    compiled_while_held = not compile_thread.is_alive()
    release.set()
    first_thread.join(timeout=20)
    compile_thread.join(timeout=20)
    assert not first_thread.is_alive() and not compile_thread.is_alive(), "stuck (deadlock?)"
    return compiled_while_held, first_outcome[0], compile_outcome[0]


def test_an_asns_fix_held_past_its_check_keeps_the_compile_waiting(org, monkeypatch):
    """The ASN's fix of a returned entry checked the month (VERIFICATION) and then waited; Rendatin compiled
    meanwhile, and the fix committed into a COMPILED month. The compile now waits for the month's lock."""
    from kinerja import services as core

    entri = make_entri(org, org.asn, 2, status=StatusEntri.DIKEMBALIKAN)
    verify_everyone(org, but=[org.asn])
    reached, release = held_after(monkeypatch, core, "_check_kode")

    def fix():
        return core.entri_update(
            entri=EntriKinerja.objects.get(pk=entri.pk),
            by=person(org.asn.pk),
            data={"output_hasil": "Diperbaiki"},
        )

    compiled_while_held, fixed, compiled = compile_while_held(org, reached, release, fix)
    assert not compiled_while_held
    assert fixed[0] == "ok" and compiled[0] == "ok", (fixed, compiled)
    entri.refresh_from_db()
    assert (entri.status, entri.output_hasil) == (StatusEntri.DIAJUKAN, "Diperbaiki")
    fix_row = AuditLog.objects.get(action="entri_diperbaiki")
    compiled_row = AuditLog.objects.get(action="periode_tahap", ke=TahapPeriode.COMPILED)
    assert fix_row.waktu < compiled_row.waktu  # the fix landed before the month closed, never after


def test_a_direct_decision_held_past_its_check_keeps_the_compile_waiting(org, monkeypatch):
    """kinerja.services.entri_set_decision, called without verifikasi's LaporanBulanan lock, read the month's
    stage unlocked: a decision held after its check landed in the compiled month."""
    from kinerja import services as core

    entri = make_entri(org, org.asn, 2, status=StatusEntri.DIAJUKAN)
    verify_everyone(org, but=[org.asn])
    reached, release = held_after(monkeypatch, core, "_check_decidable")

    def decide():
        return core.entri_set_decision(
            entri=EntriKinerja.objects.get(pk=entri.pk),
            status=StatusEntri.DIKEMBALIKAN,
            note="Lengkapi",
            by=person(org.kasubag.pk),
        )

    compiled_while_held, decided, compiled = compile_while_held(org, reached, release, decide)
    assert not compiled_while_held
    assert decided[0] == "ok" and compiled[0] == "ok", (decided, compiled)
    decision = AuditLog.objects.get(action="entri_keputusan")
    assert decision.waktu < AuditLog.objects.get(action="periode_tahap", ke=TahapPeriode.COMPILED).waktu


def test_a_fix_that_arrives_while_the_month_compiles_is_refused_once_it_is_compiled(org, monkeypatch):
    from kinerja import services as core

    entri = make_entri(org, org.asn, 2, status=StatusEntri.DIKEMBALIKAN)
    verify_everyone(org, but=[org.asn])
    reached, release = held_after(monkeypatch, snapshot, "build")
    compile_thread, compile_outcome = run_in_thread(
        compile_by(org, org.rendatin.pk, reason="Ani sedang sakit")
    )
    assert reached.wait(timeout=10), compile_outcome

    def fix():
        return core.entri_update(
            entri=EntriKinerja.objects.get(pk=entri.pk),
            by=person(org.asn.pk),
            data={"output_hasil": "Diperbaiki"},
        )

    fix_thread, fix_outcome = run_in_thread(fix)
    fix_thread.join(timeout=1.5)
    assert fix_thread.is_alive()  # waiting for the month, not deciding on what it read before the compile
    release.set()
    compile_thread.join(timeout=20)
    fix_thread.join(timeout=20)
    assert compile_outcome[0][0] == "ok", compile_outcome
    kind, error = fix_outcome[0]
    assert (
        kind == "error"
        and str(error) == "Bulan ini sudah dihimpun; koreksi hanya melalui catatan rapat pleno."
    )
    entri.refresh_from_db()
    assert (entri.status, entri.output_hasil) == (StatusEntri.DIKEMBALIKAN, "Berita acara rekonsiliasi")
