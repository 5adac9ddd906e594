"""One JSON line per request (logger "silabu.request", formatted by silabu.lib.jsonlog).

Fields: method, path, query, status, duration_ms, view, satker_id, user_id. Never a body, a header, a cookie or a
file: passwords, CSRF tokens and evidence cannot reach the log. Query values are kept only for a few navigation
parameters (page, year, month...) when they are short plain words; anything else is written as "-". Path segments
that look like tokens (long random strings: a verification code, a signed link) are written as ":token".
"""

import logging
import re
import time

from django.utils.functional import empty

logger = logging.getLogger("silabu.request")

SAFE_QUERY_KEYS = frozenset({"page", "tahun", "bulan", "fmt", "unduh", "status", "tab", "salin", "subbagian"})
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.-]{0,20}$")
# 20 or more letters, digits, - or _ with at least one digit and one letter: a token, not a word of a URL
_TOKENISH = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{20,}$")


def scrub_path(path: str) -> str:
    return "/".join(":token" if _TOKENISH.match(part) else part for part in path.split("/"))


def scrub_query(query) -> str:
    parts = []
    for key in query:
        for value in query.getlist(key):
            kept = value if key in SAFE_QUERY_KEYS and _SAFE_VALUE.match(value) else "-"
            parts.append(f"{key[:40]}={kept}")
    return "&".join(parts)


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    # request.user is lazy: a request that never looked at it (static files, /healthz) costs no session query here
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        pegawai = getattr(request, "pegawai", None)
        match = getattr(request, "resolver_match", None)
        path = scrub_path(request.path)
        fields = {
            "method": request.method,
            "path": path,
            "query": scrub_query(request.GET),
            "status": response.status_code,
            "duration_ms": duration_ms,
            "view": match.view_name if match else None,
            "satker_id": pegawai.satker_id if pegawai is not None else None,
            "user_id": _user_id(request),
        }
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(level, "%s %s %s", request.method, path, response.status_code, extra={"fields": fields})
        return response
