"""/healthz: is this app server able to serve? For load balancers, uptime monitors and systemd.

No sign-in and no data: {"status": "ok", "checks": {"database": "ok", "storage": "ok"}} with 200, or 503 when the
database or an object store cannot be reached. The background worker does not decide the status (an app server
without a worker still serves pages; taking it out of the pool would not help): a signed-in staff account gets its
heartbeat, the queue and the stuck renders under "detail", with the errors' text.
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import heartbeat, status, stores

logger = logging.getLogger(__name__)


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not reachable"; the text goes to staff and the log only
        logger.warning("healthz: database unreachable: %s", exc)
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_storages() -> dict[str, dict]:
    found = {}
    for alias, storage in stores.used_storages().items():
        error = None
        try:
            stores.ping(storage)
        except Exception as exc:
            logger.warning("healthz: storage %s unreachable: %s", alias, exc)
            error = f"{type(exc).__name__}: {exc}"
        found[alias] = {"where": stores.describe(storage), "error": error}
    return found


def _detail(db_error: str | None, storages: dict[str, dict]) -> dict:
    now = timezone.now()
    detail = {"database": {"vendor": connection.vendor, "error": db_error}, "storage": storages}
    if db_error is None:
        queue = status.queue()
        oldest = queue.oldest_age(now)
        detail["queue"] = {
            "waiting": queue.waiting,
            "oldest_seconds": oldest.total_seconds() if oldest else None,
        }
        detail["workers"] = [
            {
                "name": w.row.name,
                "state": w.state,
                "last_seen": w.row.last_seen.isoformat(),
                "age_seconds": round(w.age.total_seconds(), 1),
                "current_task": w.row.current_task or None,
                "busy_seconds": round(w.busy_for.total_seconds(), 1) if w.busy_for else None,
            }
            for w in heartbeat.worker_states(now)
        ]
        detail["stuck_renders"] = status.stuck_renders(now=now).count()
    return detail


def _is_staff(request) -> bool:
    try:
        return bool(request.user.is_authenticated and request.user.is_staff)
    except Exception:  # the session table is in the database that may be down
        return False


@require_safe
@never_cache
def healthz(request):
    db_error = _check_database()
    storages = _check_storages()
    storage_ok = all(found["error"] is None for found in storages.values())
    healthy = db_error is None and storage_ok
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {
            "database": "ok" if db_error is None else "fail",
            "storage": "ok" if storage_ok else "fail",
        },
    }
    if db_error is None and _is_staff(request):
        body["detail"] = _detail(db_error, storages)
    return JsonResponse(body, status=200 if healthy else 503)
