"""Helpers of the concurrency tests (tests/*/test_concurrency.py): requests truly in flight at once, each in a
thread with its own database connection. They need PostgreSQL's row locks; SQLite serialises writers instead."""

import threading

from django.db import connection

from kinerja.models import Pegawai


def person(pk: int) -> Pegawai:
    """Each request loads its own user: nothing cached is shared between the threads."""
    return Pegawai.objects.with_org().get(pk=pk)


def race(
    *calls, errors: type[Exception] | tuple[type[Exception], ...] = Exception
) -> list[tuple[str, object]]:
    """Run each call in its own thread and connection, released together; ("ok", result) or ("error", exc).

    Fails when a thread is stuck, when the database broke a deadlock, or on an error that is not one of
    `errors` (e.g. DomainError: every refusal must be a rule's, never a crash)."""
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
    for kind, value in results:
        assert not (kind == "error" and "deadlock" in str(value)), value
        assert not (kind == "error" and not isinstance(value, errors)), value
    return results
