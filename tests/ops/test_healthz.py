"""/healthz: 200 or 503 with JSON, no sign-in, no data; the worker's heartbeat and stuck renders for staff only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from silabu.models import Heartbeat
from silabu.ops import health

pytestmark = pytest.mark.django_db


def test_healthy_service_answers_200_with_checks_only():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_head_works_and_posts_are_refused():
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405


def test_unreachable_database_is_503(monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "fail", "storage": "ok"}}


def test_unreachable_storage_is_503_and_says_nothing_of_where(monkeypatch, tmp_path):
    gone = FileSystemStorage(location=tmp_path / "unmounted" / "evidence")
    monkeypatch.setattr(health.stores, "used_storages", lambda: {"evidence": gone})
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "ok", "storage": "fail"}}
    assert str(tmp_path) not in response.content.decode()


def test_anonymous_and_ordinary_users_get_no_detail(org, login):
    assert "detail" not in Client().get("/healthz").json()
    assert "detail" not in login(org.admin).get("/healthz").json()  # a satker's Admin is no operator


def test_staff_get_the_worker_queue_and_stuck_renders(client):
    staff = get_user_model().objects.create_user("ops", password="x", is_staff=True)
    now = timezone.now()
    Heartbeat.objects.create(
        name="worker@app1:42:abc",
        host="app1",
        pid=42,
        started_at=now,
        last_seen=now - datetime.timedelta(seconds=5),
    )
    client.force_login(staff)
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    detail = body["detail"]
    assert detail["database"] == {"vendor": connection.vendor, "error": None}
    assert set(detail["storage"]) == {"evidence", "default"}
    assert detail["queue"] == {"waiting": 0, "oldest_seconds": None}
    assert detail["stuck_renders"] == 0
    [worker] = detail["workers"]
    assert worker["name"] == "worker@app1:42:abc" and worker["state"] == "aktif"
    assert 4 <= worker["age_seconds"] < 60 and worker["current_task"] is None
