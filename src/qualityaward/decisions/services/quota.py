"""The quotas of Article 3 as shown beside the ranking."""

from __future__ import annotations

from ..enums import WinnerStatus
from ..models import Winner
from .ranking import quota_of


def quotas(cycle) -> list[dict]:
    rules = cycle.rule_set_version.rules
    rows = []
    for kind in ("organisation", "individual"):
        rows.append(
            {
                "kind": kind,
                "quota": quota_of(rules, kind),
                "winners": Winner.objects.filter(
                    cycle=cycle,
                    kind=kind,
                    status__in=[WinnerStatus.PROPOSED, WinnerStatus.APPROVED],
                ).count(),
                "vacancy_allowed": bool(rules.vacancy_allowed.value),
            }
        )
    return rows
