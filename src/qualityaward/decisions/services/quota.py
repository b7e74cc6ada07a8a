"""The quotas of Article 3 as shown beside the ranking."""

from __future__ import annotations

from django.db.models import Count

from ..enums import WinnerStatus
from ..models import Winner
from .ranking import quota_of


def quotas(cycle) -> list[dict]:
    rules = cycle.rule_set_version.rules
    taken = dict(
        Winner.objects.filter(
            cycle=cycle, status__in=[WinnerStatus.PROPOSED, WinnerStatus.APPROVED]
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "kind": kind,
            "quota": quota_of(rules, kind),
            "winners": taken.get(kind, 0),
            "vacancy_allowed": bool(rules.vacancy_allowed.value),
        }
        for kind in ("organisation", "individual")
    ]
