"""What many readers see alike, rendered once and kept until the next audited change."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from .audit import audit_sequence

T = TypeVar("T")
# Old versions are never read again once a change made a new key; they expire.
CACHE_SECONDS = 24 * 60 * 60


def cached_until_change(page: str, *parts: object, build: Callable[[], T | None]) -> T | None:
    """What `build()` returns, shared by every visitor until the next audited change.

    The key holds the audit sequence number (every change of state appends an audit
    record in its own transaction, so the number versions all the data), the language
    (the value holds rendered text) and `parts`. A change makes a new key: nothing is
    emptied and nothing is left stale. The number is read before `build()`, so an entry
    is never older than its key. None (nothing there) is not kept, so made-up addresses
    do not fill the cache. Never cache what differs between visitors (a CSRF token,
    messages)."""
    # The parts may come from the address (a serial): digested, any text makes a valid key.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"versioned:{page}:{audit_sequence()}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, CACHE_SECONDS)
    return value
