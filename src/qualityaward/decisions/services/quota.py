"""The quotas of Article 3 as shown beside the ranking."""

from __future__ import annotations

from collections import Counter

from ..enums import WinnerStatus
from .ranking import quota_of


def quotas(cycle, winners) -> list[dict]:
    """Each kind's quota beside its proposed or approved winners (from the cycle's
    winners, as the cycle page has them already)."""
    rules = cycle.rule_set_version.rules
    taken = Counter(
        w.kind for w in winners if w.status in (WinnerStatus.PROPOSED, WinnerStatus.APPROVED)
    )
    return [
        {
            "kind": kind,
            "quota": quota_of(rules, kind),
            "winners": taken[kind],
            "vacancy_allowed": bool(rules.vacancy_allowed.value),
        }
        for kind in ("organisation", "individual")
    ]
