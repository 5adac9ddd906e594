"""The files a sysadmin copies (deploy/): they name commands that exist, limits that match the settings, and the
README documents every variable the settings read."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def nginx() -> str:
    return (DEPLOY / "nginx" / "silabu.conf").read_text()


def test_nginx_takes_a_full_entry_and_not_much_more():
    size = re.search(r"client_max_body_size\s+(\d+)m;", nginx())
    files = settings.EVIDENCE_MAX_BYTES * settings.EVIDENCE_MAX_FILES / 1024 / 1024
    assert size and files <= int(size.group(1)) <= files + 5


def test_nginx_buffers_uploads_and_sets_the_headers_django_trusts():
    conf = nginx()
    assert "proxy_request_buffering on;" in conf and "proxy_buffering on;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "proxy_set_header Host $host;" in conf
    assert "add_header" not in conf  # the security headers are Django's, not repeated here


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_every_unit_runs_a_command_that_exists(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    commands = re.findall(r"manage\.py (\w+)", text)
    gunicorn = "gunicorn --config deploy/gunicorn.conf.py silabu.wsgi" in text
    assert commands or gunicorn
    for command in commands:
        assert command in get_commands(), command
    assert "EnvironmentFile=/etc/silabu/silabu.env" in text and "User=silabu" in text


def test_the_timers_start_their_services():
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert (DEPLOY / "systemd" / timer.name.replace(".timer", ".service")).exists()
        assert re.search(r"OnCalendar=\*-\*-\* \d\d:\d\d:00 Asia/Jakarta", timer.read_text())


def test_gunicorn_takes_workers_and_threads_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/silabu/gunicorn.sock")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["workers"] == 3 and conf["threads"] == 8 and conf["worker_class"] == "gthread"
    assert conf["bind"] == "unix:/run/silabu/gunicorn.sock" and conf["accesslog"] is None
    monkeypatch.delenv("GUNICORN_WORKERS")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] >= 2


def variables_read() -> set[str]:
    names = set()
    for source in (ROOT / "silabu" / "settings.py", DEPLOY / "gunicorn.conf.py"):
        names |= set(re.findall(r"""env[a-z]*\(\s*(?:f?["'])([A-Z][A-Z0-9_]+)["']""", source.read_text()))
        names |= set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""", source.read_text()))
    return names


def test_the_deploy_readme_documents_every_variable():
    readme = (DEPLOY / "README.md").read_text()
    names = variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "EVIDENCE_S3_BUCKET", "HTTPS", "GUNICORN_WORKERS"} <= names
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
