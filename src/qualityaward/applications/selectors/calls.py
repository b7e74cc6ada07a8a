"""Calls for applications: the public ones and the office's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from ..enums import CallStatus
from ..models import Call


def calls_base() -> QuerySet[Call]:
    return Call.objects.select_related("cycle__rule_set_version__rule_set").prefetch_related(
        "templates__stored_file"
    )


def open_calls(*, now=None) -> list[Call]:
    """Published calls whose deadline has not passed (the public list)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calls = calls_base().filter(
        status=CallStatus.PUBLISHED, published_on__lte=today, deadline__gte=today
    )
    return [call for call in calls.order_by("deadline", "pk") if call.is_open_at(now)]


def public_calls() -> QuerySet[Call]:
    """Every published call (open or closed), newest first."""
    return calls_base().filter(status=CallStatus.PUBLISHED).order_by("-published_on", "-pk")
