"""Two replays of one saved entry arriving at the same moment (issue 18), each in a thread with its own database
connection: a phone whose first send timed out sends again while the first is still being handled, or its
Background Sync and an open page send the same queue at once.

Only PostgreSQL really runs two writers at once (SQLite serialises them), so these run on the PostgreSQL leg.
Both requests are held just before their INSERT until the other has reached the same point: both have passed
the "no entry with this key yet" check, and the unique constraint alone decides.
"""

import datetime
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from kinerja import services
from kinerja.evidence import process_upload_with_settings
from kinerja.models import AuditLog, BuktiDukung, EntriKinerja, Pegawai

from .test_entries_views import entry_data, jpeg
from .test_upload_views import stored_files

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs two writers at once; SQLite serialises them")


def race(*calls) -> list[tuple[str, object]]:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except Exception as exc:  # the outcome is what the test asserts
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


@pytest.fixture
def both_past_the_check(monkeypatch):
    """Hold each request inside its transaction, after the replay check and before the INSERT, until both are
    there (is_filled_late runs just before the entry is saved)."""
    meet = threading.Barrier(2)
    filled_late = services.is_filled_late

    def wait_for_the_other(*args):
        meet.wait(timeout=10)
        return filled_late(*args)

    monkeypatch.setattr(services, "is_filled_late", wait_for_the_other)


def test_two_replays_at_once_make_one_entry_in_the_service(org, both_past_the_check):
    key = uuid.uuid4()
    before = stored_files()

    def replay():
        pegawai = Pegawai.objects.with_org().get(pk=org.asn.pk)
        photo = SimpleUploadedFile("IMG_0001.JPG", jpeg(), content_type="image/jpeg")
        evidence = [
            services.NewEvidence(process_upload_with_settings(photo, tz=pegawai.satker.tz), photo.name)
        ]
        data = {
            "tanggal": pegawai.satker.today(),
            "kode_output": org.kode,
            "nama_kegiatan": "Mengagendakan surat masuk",
            "output_hasil": "12 surat tercatat",
        }
        return services.entri_create(by=pegawai, data=data, evidence=evidence, idempotency_key=key).pk

    results = race(replay, replay)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    entri = EntriKinerja.objects.get()
    assert [pk for _, pk in results] == [entri.pk, entri.pk]
    assert entri.idempotency_key == key
    assert BuktiDukung.objects.filter(entri=entri).count() == 1
    assert AuditLog.objects.filter(action="entri_dibuat").count() == 1
    # the loser's photo and thumbnail were deleted with its rolled-back row: one photo's files remain
    assert len(set(stored_files()) - set(before)) == 2


def test_two_replays_at_once_get_the_same_answer_from_the_form(org, both_past_the_check):
    key = str(uuid.uuid4())
    user = org.asn.user

    def replay():
        client = Client()
        client.force_login(user, backend="kinerja.auth.NipOrUsernameBackend")
        photo = SimpleUploadedFile("IMG_0001.JPG", jpeg(), content_type="image/jpeg")
        response = client.post(
            reverse("kinerja:entri_create"),
            {**entry_data(org), "idempotency_key": key, "foto": photo},
            headers={"Accept": "application/json"},
        )
        return response.status_code, response.json()

    results = race(replay, replay)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    (first_status, first), (second_status, second) = (value for _, value in results)
    entri = EntriKinerja.objects.get()
    assert first_status == second_status == 201
    assert first == second and first["entri"] == entri.pk
    assert entri.tanggal == datetime.date.fromisoformat(first["tanggal"])
    assert BuktiDukung.objects.count() == 1
