"""SILABU settings. Every value that differs between machines is read from the environment here, and only here."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
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


# manage.py commands that neither serve requests nor sign anything that outlives the process: on a checkout
# with no SECRET_KEY they run with a random key of their own. Serving, and every other command, still refuses.
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "migrate", "collectstatic"}

DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-DEBUG"  # noqa: S105 — never used with DEBUG off
    elif Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in KEYLESS_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

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
    "silabu",
    "kinerja",
    "verifikasi",
    "rekap",
    "rekap.pengukuran",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'silabu.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
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
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True

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
EVIDENCE_S3_BUCKET = envstr("EVIDENCE_S3_BUCKET", "")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": EVIDENCE_S3_BUCKET,
                "endpoint_url": envstr("EVIDENCE_S3_ENDPOINT_URL", "") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
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

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The public address of this deployment, for links in e-mails (reminders): e.g. https://silabu.kpu-kudus.go.id
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "SILABU <silabu@localhost>")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # axes logs every successful sign-in at INFO; keep its warnings (lockouts) only.
    # WeasyPrint reports every CSS property it does not support at WARNING/INFO; keep real problems only.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # one line per task state change; failures are recorded on the Dokumen row and logged by kinerja.dokumen
        "django_tasks": {"level": "WARNING"},
    },
}
AXES_VERBOSE = False
