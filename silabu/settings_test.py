"""Test settings: the real settings with fast hashing, plain static storage and a throw-away evidence folder.

With EVIDENCE_S3_BUCKET set (.ci/run's S3 leg, against moto_server on loopback) evidence, documents and logos go
to that bucket instead, under a prefix of this process's own, so that parallel test processes never see each
other's objects.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from silabu.settings import *  # noqa: E402,F403
from silabu.settings import EVIDENCE_S3_BUCKET, STORAGES, _s3  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_tmp = tempfile.mkdtemp(prefix="silabu-test-")
EVIDENCE_ROOT = _tmp
MEDIA_ROOT = _tmp + "/media"
_prefix = os.path.basename(_tmp)
STORAGES = {
    **STORAGES,
    "default": (
        _s3(f"{_prefix}/media")
        if EVIDENCE_S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "evidence": (
        _s3(f"{_prefix}/evidence")
        if EVIDENCE_S3_BUCKET
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": _tmp + "/evidence", "base_url": "/evidence-not-served/"},
        }
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# documents render in the test's own thread and transaction: no heartbeat thread (its tests start one themselves)
DOKUMEN_HEARTBEAT_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
# the tests that count hits set their own rate; the rest share one process's cache and never reach it
VERIFY_LOOKUP_RATE = VERIFY_UPLOAD_RATE = "100000/600"
