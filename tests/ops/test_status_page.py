"""The background worker's heartbeat and the Admin's status page (worker, queue, stuck renders)."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from kinerja import document_store as docs
from kinerja.models import Dokumen, StatusDokumen
from silabu.models import Heartbeat
from silabu.ops.heartbeat import Beat, Pulse

URL = reverse("ops_status")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def beat(name, *, seconds_ago, stopped=False, task=""):
    now = timezone.now()
    return Heartbeat.objects.create(
        name=name,
        host="app1",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        last_seen=now - datetime.timedelta(seconds=seconds_ago),
        stopped_at=now if stopped else None,
        current_task=task,
        current_since=now - datetime.timedelta(minutes=42) if task else None,
    )


def dokumen(org, satker=None, *, status, minutes_ago, judul="Softfile"):
    when = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return Dokumen.objects.create(
        satker=satker or org.kudus,
        jenis="softfile_pegawai",
        params={},
        kunci=f"k{judul}",
        judul=judul,
        status=status,
        diminta_pada=when,
        mulai_pada=when if status == StatusDokumen.DIBUAT else None,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_its_heartbeat_and_each_task(org, stored_document, committed_db):
    """manage.py worker runs the queued render (the database backend, as in production) and says so."""
    queued = Dokumen.objects.create(
        satker=org.kudus,
        jenis="softfile_pegawai",
        params=stored_document.params | {"n": 2},
        kunci="k2",
        judul="Dua",
    )
    with override_settings(TASKS=DB_TASKS):
        docs.render_dokumen.enqueue(queued.pk)
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == StatusDokumen.SIAP
    row = Heartbeat.objects.get()
    assert row.kind == "worker" and row.tasks_done == 1 and row.stopped_at is not None
    assert row.current_task == "" and row.current_since is None
    assert timezone.now() - row.last_seen < datetime.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_the_pulse_keeps_touching_the_heartbeat(committed_db):
    b = Beat(kind="worker", process_id="pulse")
    b.start()
    first = Heartbeat.objects.get().last_seen
    pulse = Pulse(b, 0.05)
    pulse.start()
    deadline = time.monotonic() + 10
    while Heartbeat.objects.get().last_seen == first and time.monotonic() < deadline:
        time.sleep(0.05)
    pulse.stop()
    assert Heartbeat.objects.get().last_seen > first and not pulse.is_alive()


def test_admin_sees_workers_queue_and_stuck_renders_of_their_satker(org, login, django_assert_num_queries):
    beat("worker@app1:1:aktif", seconds_ago=10, task="kinerja.document_store.render_dokumen #7")
    beat("worker@app2:2:diam", seconds_ago=600)
    beat("worker@app3:3:henti", seconds_ago=900, stopped=True)
    dokumen(org, status=StatusDokumen.DIBUAT, minutes_ago=40, judul="Macet dibuat")
    dokumen(org, status=StatusDokumen.MENUNGGU, minutes_ago=30, judul="Macet menunggu")
    dokumen(org, status=StatusDokumen.DIBUAT, minutes_ago=3, judul="Baru dibuat")
    dokumen(org, status=StatusDokumen.SIAP, minutes_ago=90, judul="Sudah siap")
    dokumen(org, org.bontang, status=StatusDokumen.DIBUAT, minutes_ago=50, judul="Macet Bontang")
    client = login(org.admin)
    client.get(URL)  # warm the per-request caches (session, pegawai) out of the count
    with django_assert_num_queries(8):
        page = client.get(URL).content.decode()
    assert "Status layanan" in page
    assert "worker@app1:1:aktif" in page and "Aktif" in page
    assert "kinerja.document_store.render_dokumen #7" in page and "42 menit" in page
    assert "Tidak ada kabar" in page and "Berhenti" in page
    assert "Macet dibuat" in page and "Macet menunggu" in page
    assert "Baru dibuat" not in page and "Sudah siap" not in page
    assert "Macet Bontang" not in page  # another satker's
    assert "Tidak ada pekerja latar yang aktif" not in page


def test_operators_see_every_satker_and_an_alarm_without_a_live_worker(org, client):
    beat("worker@app2:2:diam", seconds_ago=600)
    dokumen(org, org.bontang, status=StatusDokumen.DIBUAT, minutes_ago=50, judul="Macet Bontang")
    client.force_login(get_user_model().objects.create_user("ops", password="x", is_staff=True))
    page = client.get(URL).content.decode()
    assert "Macet Bontang" in page and "KPU Kota Bontang" in page
    assert "Tidak ada pekerja latar yang aktif" in page


@pytest.mark.parametrize("who", ["asn", "kasubag", "rendatin", "sekretaris", "pimpinan", "outsider"])
def test_other_roles_are_refused(org, login, who):
    assert login(getattr(org, who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_post_is_not_allowed(org, login):
    assert login(org.admin).post(URL).status_code == 405


def test_the_admin_finds_the_page_in_the_menu(org, login):
    assert f'href="{URL}"' in login(org.admin).get(reverse("home")).content.decode()
    assert f'href="{URL}"' not in login(org.asn).get(reverse("home")).content.decode()
