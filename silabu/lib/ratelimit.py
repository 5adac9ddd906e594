"""A small fixed-window rate limiter in Django's cache, for public pages that must not be walked by a script.

Each (bucket, key) may be hit `limit` times a window of `seconds`; counting is approximate across windows (a
burst at a window's end and the next window's start gets twice), which is enough to make guessing hopeless.
With the default local-memory cache each server process counts on its own; a shared cache (Redis, the
database) makes the limit hold across processes.
"""

import hashlib
import time

from django.core.cache import cache


def parse(rate: str) -> tuple[int, int]:
    """ "30/600" → (30 hits, 600 seconds); a ValueError names a bad rate."""
    try:
        limit, seconds = (int(part) for part in rate.split("/"))
    except ValueError:
        raise ValueError(f"A rate is 'hits/seconds', not {rate!r}") from None
    if limit < 1 or seconds < 1:
        raise ValueError(f"A rate is 'hits/seconds' with both above zero, not {rate!r}")
    return limit, seconds


def hit(bucket: str, key: str, rate: str) -> bool:
    """Count one hit of `key` in `bucket`; False once the rate is exceeded in this window."""
    limit, seconds = parse(rate)
    window = int(time.time() // seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{bucket}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit
