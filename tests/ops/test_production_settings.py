"""Production settings from the environment (deploy/README.md): check --deploy is clean, and the switches do what
the README says. Each case starts a fresh manage.py with only the documented variables set."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k3Vq9-production-like-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "silabu.kpu-kudus.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://silabu.kpu-kudus.go.id",
    "HTTPS": "true",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "SECURE_COOKIES")
        and not k.startswith(("EVIDENCE_S3_", "HTTPS", "HSTS_", "BEHIND_PROXY", "SECURE_SSL", "SITE_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in ("
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
    "'SECURE_PROXY_SSL_HEADER', 'DEBUG')}))"
)


def settings_with(**env) -> dict:
    result = manage("shell", "--no-imports", "-c", PRINT, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_the_production_settings():
    result = manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_when_https_is_left_off():
    """The clean check above is not a check that never warns: the same machine without HTTPS is flagged."""
    result = manage("check", "--deploy", **{**PRODUCTION, "HTTPS": "false"})
    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


def test_https_turns_on_redirect_hsts_secure_cookies_and_the_proxy_header():
    on = settings_with(**PRODUCTION)
    assert on["SESSION_COOKIE_SECURE"] is True and on["CSRF_COOKIE_SECURE"] is True
    assert on["SECURE_SSL_REDIRECT"] is True and on["SECURE_HSTS_SECONDS"] == 31_536_000
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["DEBUG"] is False
    off = settings_with(**{**PRODUCTION, "HTTPS": "false"})
    assert off["SESSION_COOKIE_SECURE"] is False and off["SECURE_SSL_REDIRECT"] is False
    assert off["SECURE_HSTS_SECONDS"] == 0 and off["SECURE_PROXY_SSL_HEADER"] is None


def test_the_older_secure_cookies_switch_still_works_on_its_own():
    assert (
        settings_with(**{**PRODUCTION, "HTTPS": "false", "SECURE_COOKIES": "true"})["SESSION_COOKIE_SECURE"]
        is True
    )
    assert settings_with(**{**PRODUCTION, "SECURE_COOKIES": "false"})["SESSION_COOKIE_SECURE"] is False


def test_a_bad_boolean_is_refused_loudly():
    result = manage("check", **{**PRODUCTION, "HTTPS": "ja"})
    assert result.returncode != 0 and "HTTPS must be true or false" in result.stderr


def test_database_connections_are_persistent_with_health_checks():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        **{**PRODUCTION, "DATABASE_URL": "postgres://silabu:pw@db.internal:5432/silabu"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["600", "True"]


def readme_environment() -> dict[str, str]:
    """The environment file deploy/README.md tells an operator to write (step 5), its <placeholders> filled in
    and its database swapped for one that needs no server."""
    text = (BASE / "deploy" / "README.md").read_text()
    block = next(b for b in text.split("```ini\n")[1:] if b.startswith("SECRET_KEY="))
    env = {}
    for line in block.split("```")[0].splitlines():
        name, _, value = line.partition("=")
        env[name] = value.strip('"')
    env["SECRET_KEY"] = PRODUCTION["SECRET_KEY"]
    env = {name: "x" if value.startswith("<") else value for name, value in env.items()}
    return {**env, "DATABASE_URL": "sqlite:///:memory:"}


def test_check_deploy_is_clean_with_the_readmes_environment_file():
    env = readme_environment()
    assert env["HTTPS"] == "true" and env["SITE_URL"].startswith("https://")
    result = manage("check", "--deploy", **env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr


def test_an_https_site_url_alone_turns_on_secure_cookies_hsts_and_the_redirect():
    """A deployment that names its https address but forgets HTTPS=true had plain cookies, no HSTS and no
    redirect (check --deploy: W004, W008, W012, W016); HTTPS now follows SITE_URL unless it is set."""
    env = {**{k: v for k, v in readme_environment().items() if k != "HTTPS"}}
    on = settings_with(**env)
    assert on["SESSION_COOKIE_SECURE"] is True and on["CSRF_COOKIE_SECURE"] is True
    assert on["SECURE_SSL_REDIRECT"] is True and on["SECURE_HSTS_SECONDS"] == 31_536_000
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    result = manage("check", "--deploy", **env)
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr
    off = settings_with(**{**env, "HTTPS": "false"})  # only an explicit "false" turns them off
    assert off["SESSION_COOKIE_SECURE"] is False and off["SECURE_HSTS_SECONDS"] == 0
    plain = settings_with(**{**env, "SITE_URL": "http://127.0.0.1:8000"})  # development: plain http
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SECURE_SSL_REDIRECT"] is False
