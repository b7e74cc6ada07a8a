"""The ranking (A20), pure: plain values in, ordered lists out. No database, no request.

Order within each kind (organisations and individuals are ranked separately):
1. higher weighted total (the rule set's stage weights are already in it);
2. then the higher score of the results category (GB/T 19580 4.7);
3. then the higher site-visit score;
4. then the earlier receipt of the application;
5. then the lower application id (only so the order is always defined).

Applicants without a weighted total (results still missing) or stopped below a stage's
threshold (`stopped_at`) are listed after the ranked ones, without a rank.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

KINDS = ("organisation", "individual")


@dataclass(frozen=True)
class RankInput:
    application_id: int
    kind: str
    name: str
    weighted_total: Decimal | None
    results_category: Decimal = Decimal(0)
    site_visit: Decimal = Decimal(0)
    received_at: datetime.datetime | None = None
    stopped_at: str | None = None
    comment_outcomes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RankedEntry:
    entry: RankInput
    rank: int | None
    # Why this entry is ahead of the next one when their totals are equal.
    tie_break: str = ""


_FAR_FUTURE = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def _key(entry: RankInput) -> tuple:
    assert entry.weighted_total is not None
    return (
        -entry.weighted_total,
        -entry.results_category,
        -entry.site_visit,
        entry.received_at or _FAR_FUTURE,
        entry.application_id,
    )


def _rankable(entry: RankInput) -> bool:
    return entry.weighted_total is not None and entry.stopped_at is None


def _tie_break(first: RankInput, second: RankInput) -> str:
    if first.weighted_total != second.weighted_total:
        return ""
    if first.results_category != second.results_category:
        return "results_category"
    if first.site_visit != second.site_visit:
        return "site_visit"
    if first.received_at != second.received_at:
        return "receipt"
    return "id"


def rank_kind(entries: Iterable[RankInput]) -> list[RankedEntry]:
    """One kind's entries in ranking order; unranked (no weighted total) last."""
    entries = list(entries)
    ranked = sorted((e for e in entries if _rankable(e)), key=_key)
    unranked = sorted((e for e in entries if not _rankable(e)), key=lambda e: e.application_id)
    result = []
    for index, entry in enumerate(ranked):
        following = ranked[index + 1] if index + 1 < len(ranked) else None
        result.append(
            RankedEntry(
                entry=entry,
                rank=index + 1,
                tie_break=_tie_break(entry, following) if following else "",
            )
        )
    result.extend(RankedEntry(entry=entry, rank=None) for entry in unranked)
    return result


def rank(entries: Iterable[RankInput]) -> dict[str, list[RankedEntry]]:
    """{"organisation": [...], "individual": [...]} each in ranking order."""
    entries = list(entries)
    return {kind: rank_kind(e for e in entries if e.kind == kind) for kind in KINDS}


def next_candidate(ranked: list[RankedEntry], *, excluded: Iterable[int]) -> RankedEntry | None:
    """The best-ranked entry whose application is not in `excluded` (A22: after a
    winner is cancelled, the next-ranked candidate of that kind)."""
    excluded = set(excluded)
    for item in ranked:
        if item.rank is not None and item.entry.application_id not in excluded:
            return item
    return None


def approved_by_vote(*, votes_for: int, present_not_recused: int) -> bool:
    """A candidate is approved when more than half of the members present and not
    recused vote for it (a simple majority of those present; abstaining counts as not
    for). The measures (A21) leave the voting rule to the detailed rules; this is the
    platform's rule until a rule set says otherwise."""
    return present_not_recused > 0 and votes_for * 2 > present_not_recused


def quorum_needed(*, members: int, fraction) -> int:
    """Smallest head count that reaches `fraction` of `members` (2/3 of 9 → 6)."""
    from fractions import Fraction
    from math import ceil

    return ceil(Fraction(fraction) * members)
