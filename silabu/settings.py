"""SILABU settings. Every value that differs between machines is read from the environment here, and only here."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from botocore.config import Config as BotoConfig
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str:
    """A secret read from NAME, or from the file named by NAME_FILE (systemd credentials, Docker secrets)."""
    path = os.environ.get(f"{name}_FILE", "")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path!r}: {exc}") from None
    return os.environ.get(name, "")


# manage.py commands that neither serve requests nor sign anything that outlives the process: on a checkout
# with no SECRET_KEY they run with a random key of their own. Serving, and every other command, still refuses.
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "migrate", "collectstatic"}

DEBUG = envbool("DEBUG", "false")
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-DEBUG"  # noqa: S105 — never used with DEBUG off
    elif Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in KEYLESS_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# a refused form gets the site's own page (in the layout, in Indonesian), with DEBUG on as well as off
CSRF_FAILURE_VIEW = "kinerja.views.home.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "silabu",
    "kinerja",
    "verifikasi",
    "rekap",
    "rekap.pengukuran",
    "demo",
]

MIDDLEWARE = [
    # first, so that its line records what every other middleware did (redirects, 403s, 500s)
    "silabu.ops.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "silabu.ops.security.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "silabu.middleware.PegawaiMiddleware",
    "silabu.middleware.AksesDitolakMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "silabu.urls"
WSGI_APPLICATION = "silabu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "silabu.context_processors.pegawai",
            ],
            "builtins": ["silabu.templatetags.silabu"],
        },
    }
]

# Persistent connections: each gunicorn thread and each worker keeps one open for DB_CONN_MAX_AGE seconds instead of
# connecting per request (a TLS handshake to PostgreSQL costs more than most of SILABU's queries). The health check
# notices a connection the server dropped (restart, failover) before a request uses it. PostgreSQL needs
# max_connections >= app servers x GUNICORN_WORKERS x GUNICORN_THREADS + workers + a few (deploy/README.md).
DATABASES = {
    "default": dj_database_url.parse(
        envsecret("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'silabu.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kinerja.auth.NipOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: five failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# "username" is the account's NIP however it was typed (spaces, dots, dashes) or its username: one count per account.
AXES_USERNAME_CALLABLE = "kinerja.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind nginx every request comes from 127.0.0.1: the lockout must key the browser's address (X-Real-IP).
AXES_CLIENT_IP_CALLABLE = "silabu.ops.security.client_ip"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
USE_I18N = True
USE_TZ = True
# The deployment's default zone; each satker carries its own (WIB, WITA, WIT) for "today" and documents.
TIME_ZONE = envstr("TIME_ZONE", "Asia/Jakarta")

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]

MEDIA_URL = "/media-not-served/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Evidence is private: stored outside any URL and served only by a view that applies the policy.
EVIDENCE_ROOT = Path(envstr("EVIDENCE_ROOT", str(BASE_DIR / "var" / "evidence")))

# An S3-compatible object store (MinIO, Ceph RGW, AWS S3) for evidence, generated documents and logos, so that no app
# server keeps anything on its disk. The bucket is private (manage.py ensure_bucket); objects get random keys
# (kinerja.models.evidence_name) and are served only through the views that check the policy (kinerja.views.evidence).
EVIDENCE_S3_BUCKET = envstr("EVIDENCE_S3_BUCKET", "")


def _s3_verify(value: str) -> bool | str | None:
    if value.lower() in ("true", "1", "yes", "on", ""):
        return None  # boto3's default: verify against the system's CAs
    if value.lower() in ("false", "0", "no", "off"):
        return False
    if not Path(value).is_file():
        raise ImproperlyConfigured(f"EVIDENCE_S3_VERIFY: no CA bundle at {value!r}")
    return value


S3_OPTIONS = {
    "bucket_name": EVIDENCE_S3_BUCKET,
    "endpoint_url": envstr("EVIDENCE_S3_ENDPOINT_URL", "") or None,
    "region_name": envstr("EVIDENCE_S3_REGION", "") or None,
    # empty: boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role)
    "access_key": envstr("EVIDENCE_S3_ACCESS_KEY_ID", "") or None,
    "secret_key": envsecret("EVIDENCE_S3_SECRET_ACCESS_KEY") or None,
    "client_config": BotoConfig(
        # MinIO and Ceph name buckets in the path (http://minio:9000/silabu/key), not in the host name
        s3={"addressing_style": envstr("EVIDENCE_S3_ADDRESSING_STYLE", "path")},
        signature_version="s3v4",
        # an unreachable store fails a request (and /healthz) in seconds, not after boto3's 60 s default
        connect_timeout=envint("EVIDENCE_S3_CONNECT_TIMEOUT", 5),
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
    ),
    # TLS to the store: "true" (the system's CAs), "false" (never in production), or a CA bundle's path
    "verify": _s3_verify(envstr("EVIDENCE_S3_VERIFY", "true")),
    # no ACL header: objects take the bucket's owner-only default (AWS refuses ACL headers on buckets that
    # enforce bucket-owner ownership); ensure_bucket blocks public access
    "default_acl": None,
    # Nothing hands out object URLs (files are streamed through the policy views); were a URL ever made, it
    # would be signed and short-lived.
    "querystring_auth": True,
    "querystring_expire": 60,
    "file_overwrite": False,
}


# Backups may go to a bucket of their own on another store (manage.py backup --bucket): BACKUP_S3_* override the
# evidence store's connection where set.
BACKUP_S3_OPTIONS = {
    **S3_OPTIONS,
    **{
        option: value
        for option, value in (
            ("endpoint_url", envstr("BACKUP_S3_ENDPOINT_URL", "")),
            ("region_name", envstr("BACKUP_S3_REGION", "")),
            ("access_key", envstr("BACKUP_S3_ACCESS_KEY_ID", "")),
            ("secret_key", envsecret("BACKUP_S3_SECRET_ACCESS_KEY")),
        )
        if value
    },
}


def _s3(location: str) -> dict:
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**S3_OPTIONS, "location": location}}


STORAGES = {
    "default": (
        _s3("media") if EVIDENCE_S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "evidence": (
        _s3("evidence")
        if EVIDENCE_S3_BUCKET
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": "/evidence-not-served/"},
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# WhiteNoise: collectstatic writes hashed names (bootstrap.min.0123456789ab.css) with gzip and brotli copies; those
# are served with a ten-year "immutable" Cache-Control, so a phone downloads each version once. Any file asked for
# by its plain name is cached for an hour only.
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600

# Upload limits (bytes and pixels). Photos larger than the cap are scaled down to it on the long side.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_MB", 10) * 1024 * 1024
EVIDENCE_MAX_FILES = envint("EVIDENCE_MAX_FILES", 5)
EVIDENCE_IMAGE_LONG_SIDE = envint("EVIDENCE_IMAGE_LONG_SIDE", 2048)
EVIDENCE_MAX_PIXELS = envint("EVIDENCE_MAX_PIXELS", 60_000_000)
EVIDENCE_THUMB_SIDE = 320
IMPORT_MAX_BYTES = envint("IMPORT_MAX_MB", 5) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A document being rendered beats every DOKUMEN_HEARTBEAT_SECONDS; manage.py dokumen_watchdog fails and asks again
# a render silent for DOKUMEN_STALL_SECONDS, at most DOKUMEN_MAX_STALLS times in a row (kinerja.document_store).
DOKUMEN_HEARTBEAT_SECONDS = envint("DOKUMEN_HEARTBEAT_SECONDS", 30)
DOKUMEN_STALL_SECONDS = envint("DOKUMEN_STALL_SECONDS", 300)
DOKUMEN_MAX_STALLS = envint("DOKUMEN_MAX_STALLS", 3)

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The public address of this deployment, for links in e-mails (reminders) and the verification QR code printed on
# every generated document: e.g. https://silabu.kpu-kudus.go.id
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
# The public verification page of a printed document (/v/<code>/): lookups and uploaded files checked, per
# browser address, as "hits/seconds" (silabu.lib.ratelimit)
VERIFY_LOOKUP_RATE = envstr("VERIFY_LOOKUP_RATE", "30/600")
VERIFY_UPLOAD_RATE = envstr("VERIFY_UPLOAD_RATE", "10/600")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "SILABU <silabu@localhost>")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")

# --- Transport and browser security (deploy/README.md, "HTTPS") --------------------------------------------------
# HTTPS=true when people reach SILABU over https:// (nginx terminates TLS and proxies to gunicorn on loopback): plain
# http is redirected, browsers are told to use https only (HSTS), and cookies are sent over https only.
# Unset, it follows SITE_URL: a deployment whose public address is https:// is served over https, so one that forgets
# HTTPS=true still gets Secure cookies, HSTS and the redirect (and a clean `check --deploy`). Only an explicit
# HTTPS=false turns them off; development (SITE_URL http://127.0.0.1:8000) is plain http.
HTTPS = envbool("HTTPS", str(SITE_URL.lower().startswith("https://")))
# BEHIND_PROXY=true: gunicorn is reachable through nginx alone (it binds to 127.0.0.1 or a socket), and nginx
# overwrites X-Forwarded-Proto and X-Real-IP with what the browser used (deploy/nginx/silabu.conf). Only then are
# they trusted: otherwise anyone could claim "https" or another address.
BEHIND_PROXY = envbool("BEHIND_PROXY", str(HTTPS))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(HTTPS))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's probe may speak plain http to the app server
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31_536_000 if HTTPS else 0)
# includeSubDomains covers the hosts below SILABU's own name (silabu.kpu-kudus.go.id), not its siblings; "preload"
# only states consent to the browsers' preload list, which takes registrable domains (kpu.go.id), not such hosts.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "true")
# SECURE_COOKIES is the older name of the same switch; it follows HTTPS unless set.
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", str(HTTPS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# silabu.ops.security: the phone camera for evidence photos, the presentation's full screen; nothing else.
PERMISSIONS_POLICY = (
    "camera=(self), fullscreen=(self), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
)

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from SILABU's own static files, no
# inline code of any kind (templates keep their CSS and JS in static/), no eval (htmx runs with allowEval off,
# templates/base.html). img-src allows data: for the icons Bootstrap's CSS draws as inline SVG. Evidence and
# document downloads send a stricter policy of their own (kinerja.views.evidence). PDFs and XLSX that WeasyPrint
# and openpyxl make on the server are not web pages and keep their own CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [envstr("CSP_REPORT_URI", "")]} if envstr("CSP_REPORT_URI", "") else {}),
    }
}

# --- Operations (silabu.ops) ------------------------------------------------------------------------------------
# A render still "Sedang dibuat" after this long is listed as stuck on the Admin's status page (/ops/).
DOKUMEN_STUCK_MINUTES = envint("DOKUMEN_STUCK_MINUTES", 15)
# The worker (manage.py worker) writes its heartbeat this often; the status page calls it late after three misses.
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", 30)
# pg_dump and pg_restore for manage.py backup/restore: from PATH unless a folder is named (/usr/lib/postgresql/16/bin)
PG_BIN_DIR = envstr("PG_BIN_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "silabu.lib.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # one JSON object per line on stderr: journald or any log shipper takes it as it is
        "requests": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # axes logs every successful sign-in at INFO; keep its warnings (lockouts) only.
    # WeasyPrint reports every CSS property it does not support at WARNING/INFO; keep real problems only.
    "loggers": {
        "silabu.request": {
            "handlers": ["requests"],
            "level": "INFO" if envbool("REQUEST_LOG", "true") else "WARNING",
            "propagate": False,
        },
        # the request log above replaces runserver's own line per request
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # one line per task state change; failures are recorded on the Dokumen row and logged by kinerja.document_store
        "django_tasks": {"level": "WARNING"},
    },
}
AXES_VERBOSE = False
