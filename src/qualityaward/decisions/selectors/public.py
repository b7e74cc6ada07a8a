"""What the public portal shows: published results, publicity, the archive of winners
and certificate verification. Nothing here reads comments, contacts or files."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from qualityaward.core.audit import audit_sequence
from qualityaward.cycles.models import Cycle

from ..models import Award, Publicity, ResultPublication

T = TypeVar("T")
# Old versions are never read again once a change made a new key; they expire.
PUBLIC_CACHE_SECONDS = 24 * 60 * 60


def public_cached(page: str, *parts: object, build: Callable[[], T | None]) -> T | None:
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
    key = f"public:{page}:{audit_sequence()}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, PUBLIC_CACHE_SECONDS)
    return value


def result_publications() -> QuerySet[ResultPublication]:
    return ResultPublication.objects.select_related("cycle__rule_set_version__rule_set")


def current_notices(*, today: datetime.date) -> dict:
    """Results open for comment and publicities open for objections today."""
    return {
        "publications": list(
            result_publications().filter(
                closed_on__isnull=True, first_day__lte=today, last_day__gte=today
            )
        ),
        "publicities": list(
            Publicity.objects.select_related("cycle").filter(
                first_day__lte=today, last_day__gte=today
            )
        ),
    }


def archive() -> list[Cycle]:
    """Every cycle, newest first, with its awards (`cycle.public_awards`)."""
    awards = Award.objects.select_related("applicant").order_by("kind", "serial")
    return list(
        Cycle.objects.select_related("rule_set_version__rule_set")
        .prefetch_related(Prefetch("decisions_awards", queryset=awards, to_attr="public_awards"))
        .order_by("-start_date", "-number")
    )


def award_by_serial(serial: str) -> Award | None:
    return (
        Award.objects.select_related("applicant", "cycle__rule_set_version__rule_set")
        .filter(serial=serial.strip().upper())
        .first()
    )
