"""A fixed-window rate limit for the public forms, kept in Django's cache.

Two counters: per client address and form, at most `PUBLIC_FORM_LIMIT` submissions in
`PUBLIC_FORM_WINDOW_SECONDS`; per publication (all addresses), at most
`PUBLICATION_LIMIT` in the same window, against spam from many addresses. The window is
fixed (it starts with the first submission and is not extended)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

from .enums import PUBLIC_FORM_LIMIT, PUBLIC_FORM_WINDOW_SECONDS, PUBLICATION_LIMIT


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(*parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"decisions:rate:{digest}"


def hit(*, form: str, scope: object, request: HttpRequest) -> bool:
    """Count one submission; False when a limit is already reached (nothing counted)."""
    address = client_address(request)
    keys = {
        _key(form, "ip", address): PUBLIC_FORM_LIMIT,
        _key(form, "scope", scope): PUBLICATION_LIMIT,
    }
    for key, limit in keys.items():
        if cache.get(key, 0) >= limit:
            return False
    for key in keys:
        if cache.add(key, 1, PUBLIC_FORM_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, PUBLIC_FORM_WINDOW_SECONDS)
    return True
