"""Settings read from the environment: a missing SECRET_KEY is refused except where no key can matter."""

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]


def manage(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = "sqlite:///:memory:"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=env, capture_output=True, text=True, timeout=120
    )


def test_migrations_check_runs_on_a_checkout_without_a_secret_key():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_other_commands_refuse_to_start_without_a_secret_key():
    for command in (
        ["check"],
        ["shell", "-c", "from django.conf import settings; print('started', len(settings.SECRET_KEY))"],
    ):
        result = manage(*command)
        assert result.returncode != 0, (command, result.stdout, result.stderr[-300:])
        assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
        assert "started" not in result.stdout
