"""A document's life as services (issue 13, Deliver 4): a render beats while it runs, the watchdog fails and asks
again a render whose worker stopped beating, a failed document (archived or not) is retried as a new row that keeps
every failed attempt, and an archived document is never overwritten."""

import datetime
import threading
import types

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kinerja import document_store as docs
from kinerja.models import AuditLog, Dokumen, StatusDokumen

FAIL = {"on": False}


def _render(satker, params, progress):
    progress(50)
    if FAIL["on"]:
        raise RuntimeError("kertas habis")
    return docs.Rendered("uji.txt", "text/plain", f"isi {params['n']}".encode())


@pytest.fixture
def fake(monkeypatch):
    generators = dict(docs.GENERATORS)
    generators["softfile_pegawai"] = docs.Generator(
        "softfile_pegawai", lambda satker, params: f"Uji {params['n']}", _render, lambda satker, params: "1"
    )
    monkeypatch.setattr(docs, "GENERATORS", generators)
    FAIL["on"] = False
    yield FAIL
    FAIL["on"] = False


def params_for(org, n=1):
    return {"pegawai_id": org.asn.pk, "tahun": 2025, "bulan": 10, "fmt": "pdf", "n": n}


def rendering(org, n=1, *, silent_for: datetime.timedelta) -> Dokumen:
    """A document a worker took up and then stopped beating for, `silent_for` ago."""
    dokumen = Dokumen.objects.create(
        satker=org.kudus,
        jenis="softfile_pegawai",
        params=params_for(org, n),
        kunci=docs.kunci_for("softfile_pegawai", params_for(org, n)),
        versi="1",
        judul=f"Uji {n}",
    )
    docs.dokumen_start(dokumen_id=dokumen.pk)
    Dokumen.objects.filter(pk=dokumen.pk).update(denyut_pada=timezone.now() - silent_for)
    return Dokumen.objects.get(pk=dokumen.pk)


# --- the heartbeat -------------------------------------------------------------------------------------------------


def test_a_render_beats_from_its_start_until_it_is_no_longer_rendering(org, fake):
    dokumen = Dokumen.objects.create(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), kunci="k"
    )
    started = docs.dokumen_start(dokumen_id=dokumen.pk)
    assert started.denyut_pada == started.mulai_pada
    Dokumen.objects.filter(pk=dokumen.pk).update(denyut_pada=timezone.now() - datetime.timedelta(hours=1))
    assert docs.dokumen_heartbeat(dokumen_id=dokumen.pk) is True
    dokumen.refresh_from_db()
    assert timezone.now() - dokumen.denyut_pada < datetime.timedelta(seconds=5)
    docs.dokumen_store(dokumen=dokumen, rendered=docs.Rendered("uji.txt", "text/plain", b"isi"))
    assert docs.dokumen_heartbeat(dokumen_id=dokumen.pk) is False  # ready: nothing beats any more


def test_the_heartbeat_thread_beats_while_the_render_runs_and_stops_with_it(monkeypatch):
    beats = []
    two = threading.Event()

    def beat(*, dokumen_id):
        beats.append(dokumen_id)
        if len(beats) >= 2:
            two.set()
        return True

    monkeypatch.setattr(docs, "dokumen_heartbeat", beat)
    with docs._Beating(7, 0.01) as beating:
        assert two.wait(5)  # a render that reports no progress is still seen alive
    assert not beating.thread.is_alive()
    count = len(beats)
    assert set(beats) == {7}
    two.clear()
    assert not two.wait(0.1) and len(beats) == count  # the render ended: no more beats


def test_the_heartbeat_thread_ends_when_the_document_is_no_longer_rendering(monkeypatch):
    monkeypatch.setattr(docs, "dokumen_heartbeat", lambda *, dokumen_id: False)
    beating = docs._Beating(7, 0.01)
    beating.__enter__()
    beating.thread.join(5)
    assert not beating.thread.is_alive()
    beating.__exit__(None, None, None)


# --- the watchdog --------------------------------------------------------------------------------------------------


def test_the_watchdog_fails_and_asks_again_a_render_whose_worker_stopped_beating(org, fake):
    dead = rendering(org, 1, silent_for=datetime.timedelta(minutes=6))
    alive = rendering(org, 2, silent_for=datetime.timedelta(seconds=20))

    call_command("dokumen_watchdog", verbosity=0)

    dead.refresh_from_db()
    assert dead.status == StatusDokumen.GAGAL and dead.pesan_galat.startswith("Pembuatan terhenti")
    assert dead.selesai_pada is not None
    retry = Dokumen.objects.get(ulangan_dari=dead)
    assert retry.status == StatusDokumen.SIAP and retry.berkas.open("rb").read() == b"isi 1"
    assert retry.kunci == dead.kunci and retry.kode_verifikasi != dead.kode_verifikasi
    assert [row.pk for row in retry.attempts()] == [retry.pk, dead.pk]
    stalled = AuditLog.objects.get(action="dokumen_terhenti")
    assert (stalled.object_id, stalled.dari, stalled.ke) == (dead.pk, "dibuat", "gagal")
    retried = AuditLog.objects.get(action="dokumen_diulang")
    assert (retried.object_id, retried.dari, retried.ke) == (retry.pk, "gagal", "menunggu")
    alive.refresh_from_db()
    assert alive.status == StatusDokumen.DIBUAT and not alive.ulangan.exists()  # still beating: left alone

    # the worker that was thought dead finishes after all: the row it rendered is no longer its to fill
    with pytest.raises(docs.DokumenDitolak):
        docs.dokumen_store(dokumen=dead, rendered=docs.Rendered("uji.txt", "text/plain", b"late"))
    dead.refresh_from_db()
    assert dead.status == StatusDokumen.GAGAL and not dead.berkas


def test_a_dry_run_of_the_watchdog_changes_nothing(org, fake, capsys):
    dead = rendering(org, silent_for=datetime.timedelta(minutes=6))
    trail = list(AuditLog.objects.values_list("pk", flat=True))  # the render's own start (dokumen_dibuat)
    call_command("dokumen_watchdog", "--dry-run")
    assert f"terhenti: dokumen #{dead.pk}" in capsys.readouterr().out
    dead.refresh_from_db()
    assert dead.status == StatusDokumen.DIBUAT and Dokumen.objects.count() == 1
    assert list(AuditLog.objects.values_list("pk", flat=True)) == trail  # no audit row from the dry run


@override_settings(DOKUMEN_MAX_STALLS=2)
def test_a_render_that_keeps_stalling_is_left_failed_after_the_limit(org, fake, monkeypatch):
    # every attempt's worker dies: the retry is queued but never rendered (the task is lost with the worker)
    monkeypatch.setattr(docs, "render_dokumen", types.SimpleNamespace(enqueue=lambda pk: None))
    first = rendering(org, silent_for=datetime.timedelta(minutes=6))
    [(stalled, second)] = docs.dokumen_watchdog()
    assert stalled.pk == first.pk and second.status == StatusDokumen.MENUNGGU
    docs.dokumen_start(dokumen_id=second.pk)
    Dokumen.objects.filter(pk=second.pk).update(denyut_pada=timezone.now() - datetime.timedelta(minutes=6))
    [(stalled, retry)] = docs.dokumen_watchdog()
    assert stalled.pk == second.pk and retry is None
    assert Dokumen.objects.filter(status=StatusDokumen.GAGAL).count() == 2 and Dokumen.objects.count() == 2


# --- retries keep every failed attempt; archives are never overwritten ------------------------------------------


def test_a_failed_archived_document_is_retried_as_a_new_archived_row(org, fake, login):
    fake["on"] = True
    failed = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="Hasil pleno"
    )
    assert failed.status == StatusDokumen.GAGAL and failed.arsip
    fake["on"] = False
    client = login(org.asn)
    response = client.post(reverse("kinerja:dokumen_ulang", args=[failed.pk]))
    retry = Dokumen.objects.get(ulangan_dari=failed)
    assert response["Location"] == reverse("kinerja:dokumen", args=[retry.pk])
    assert retry.status == StatusDokumen.SIAP and retry.arsip and retry.keterangan_arsip == "Hasil pleno"
    assert retry.diarsipkan_pada == failed.diarsipkan_pada and retry.versi == failed.versi
    failed.refresh_from_db()
    assert failed.status == StatusDokumen.GAGAL and failed.pesan_galat == "RuntimeError: kertas habis"
    # the failed attempt's page leads to the new one; the new one lists the failed attempt
    old_page = client.get(reverse("kinerja:dokumen", args=[failed.pk])).content.decode()
    assert reverse("kinerja:dokumen", args=[retry.pk]) in old_page and "sudah diminta lagi" in old_page
    assert reverse("kinerja:dokumen_ulang", args=[failed.pk]) not in old_page
    new_page = client.get(reverse("kinerja:dokumen", args=[retry.pk])).content.decode()
    assert "Percobaan sebelumnya (1)" in new_page and "Terjadi galat saat membuat dokumen" in new_page
    assert "kertas habis" not in new_page  # an error's own text stays on the row, for the admin
    # asked for again as the step's record, it is the ready retry; asked to retry twice, the same retry
    again = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="lagi"
    )
    assert again.pk == retry.pk
    assert docs.dokumen_retry(dokumen=failed).pk == retry.pk
    assert Dokumen.objects.count() == 2


def test_asking_for_the_record_of_a_step_whose_archived_copy_failed_makes_a_new_attempt(org, fake):
    fake["on"] = True
    failed = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="Hasil pleno"
    )
    fake["on"] = False
    again = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="Hasil pleno"
    )
    assert again.pk != failed.pk and again.ulangan_dari_id == failed.pk
    assert again.status == StatusDokumen.SIAP and again.arsip


def test_every_failed_attempt_stays_in_the_history(org, fake, login):
    fake["on"] = True
    first = docs.dokumen_request(satker=org.kudus, jenis="softfile_pegawai", params=params_for(org))
    second = docs.dokumen_retry(dokumen=first, by=org.asn)
    third = docs.dokumen_retry(dokumen=second, by=org.asn)
    assert [d.status for d in (first, second, third)] == [StatusDokumen.GAGAL] * 3
    assert [row.pk for row in third.attempts()] == [third.pk, second.pk, first.pk]
    assert AuditLog.objects.filter(action="dokumen_diulang", actor=org.asn.user).count() == 2


def test_only_a_failed_document_is_retried_and_a_ready_archive_is_never_rendered_again(org, fake, login):
    ready = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="Hasil pleno"
    )
    with pytest.raises(docs.DokumenDitolak):
        docs.dokumen_retry(dokumen=ready)
    content = ready.berkas.open("rb").read()
    login(org.asn).post(reverse("kinerja:dokumen_ulang", args=[ready.pk]))
    ready.refresh_from_db()
    assert Dokumen.objects.count() == 1 and ready.berkas.open("rb").read() == content


def test_each_worker_runs_the_watchdog_when_it_starts_and_then_periodically(monkeypatch):
    from silabu.management.commands import worker

    rounds = []
    two = threading.Event()

    def watchdog():
        rounds.append(1)
        if len(rounds) >= 2:
            two.set()
        return []

    monkeypatch.setattr(worker.docs, "dokumen_watchdog", watchdog)
    thread = worker.Watchdog(0.01)
    thread.start()
    assert two.wait(5)
    thread.stop()
    assert not thread.is_alive()


def test_the_archive_lists_the_retry_of_a_failed_archived_document_not_the_failed_attempt(org, fake):
    fake["on"] = True
    failed = docs.dokumen_request(
        satker=org.kudus, jenis="softfile_pegawai", params=params_for(org), archive_note="Hasil pleno"
    )
    assert list(Dokumen.objects.archived()) == [failed]  # not retried yet: the record, failed, shows as such
    fake["on"] = False
    retry = docs.dokumen_retry(dokumen=failed)
    assert list(Dokumen.objects.archived()) == [retry]
    assert Dokumen.objects.filter(arsip=True).count() == 2  # the failed attempt is kept
