"""The ranking of a cycle (A20) from the evaluation results and the comments, and the
public snapshot of it (A19: only the rule set's `public_result_fields`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.cache import cache

from qualityaward.applications.enums import Sector
from qualityaward.core.audit import audit_sequence

from .. import results as results_adapter
from ..enums import CommentOutcome, CommentStatus
from ..models import PublicComment
from ..ranking import KINDS, RankedEntry, rank


@dataclass
class RankingRow:
    ranked: RankedEntry
    result: Any
    comments: list[PublicComment] = field(default_factory=list)

    @property
    def application(self):
        return self.result.application

    @property
    def rank(self) -> int | None:
        return self.ranked.rank

    @property
    def open_comments(self) -> int:
        return sum(
            1
            for c in self.comments
            if c.status == CommentStatus.PENDING
            or (c.status == CommentStatus.ACCEPTED and not c.outcome)
        )


def cycle_ranking(*, cycle, with_comments: bool = True) -> dict[str, list[RankingRow]]:
    """{"organisation": [...], "individual": [...]} in ranking order, each row with the
    evaluation result and the comments about the applicant (rejected ones left out)."""
    results = results_adapter.qualified_results(cycle=cycle)
    by_application: dict[int, list[PublicComment]] = defaultdict(list)
    if with_comments:
        comments = (
            PublicComment.objects.filter(publication__cycle=cycle)
            .exclude(status__in=[CommentStatus.REJECTED_IRRELEVANT, CommentStatus.REJECTED_SPAM])
            .order_by("submitted_at", "pk")
        )
        for comment in comments:
            by_application[comment.application_id].append(comment)
    inputs = []
    result_of = {}
    for result in results:
        its_comments = by_application.get(result.application.pk, [])
        outcomes = [c.outcome for c in its_comments if c.outcome]
        inputs.append(results_adapter.to_rank_input(result, outcomes))
        result_of[result.application.pk] = result
    ranked = rank(inputs)
    return {
        kind: [
            RankingRow(
                ranked=item,
                result=result_of[item.entry.application_id],
                comments=by_application.get(item.entry.application_id, []),
            )
            for item in ranked[kind]
        ]
        for kind in KINDS
    }


class RankingLine(NamedTuple):
    """One row of the ranking page in plain values, the scores as text: cached, and read
    back quickly (a named tuple of strings unpickles several times faster than a
    dataclass of decimals)."""

    application_id: int
    name: str
    rank: int | None
    weighted_total: str | None
    results_category: str
    site_visit: str
    # (status, outcome) of each comment about the applicant, in the order received.
    comments: tuple[tuple[str, str], ...]

    def comment_labels(self) -> list[str]:
        return [
            str(CommentOutcome(outcome).label if outcome else CommentStatus(status).label)
            for status, outcome in self.comments
        ]


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


RANKING_CACHE_SECONDS = 3600


def ranking_lines(*, cycle) -> dict[str, list[RankingLine]]:
    """`cycle_ranking` as plain rows, cached until the next audited change. The audit
    sequence is read before the ranking, so a cached ranking is never older than its key."""
    key = f"decisions:ranking:{cycle.pk}:{audit_sequence()}"
    lines = cache.get(key)
    if lines is None:
        lines = {
            kind: [
                RankingLine(
                    application_id=row.ranked.entry.application_id,
                    name=row.ranked.entry.name,
                    rank=row.rank,
                    weighted_total=_text(row.ranked.entry.weighted_total),
                    results_category=str(row.ranked.entry.results_category),
                    site_visit=str(row.ranked.entry.site_visit),
                    comments=tuple((c.status, c.outcome) for c in row.comments),
                )
                for row in rows
            ]
            for kind, rows in cycle_ranking(cycle=cycle).items()
        }
        cache.set(key, lines, RANKING_CACHE_SECONDS)
    return lines


def _plain(number: Decimal | None) -> str | None:
    return None if number is None else f"{Decimal(number):.2f}"


def public_entries(ranking: dict[str, list[RankingRow]], fields: list[str]) -> list[dict]:
    """The public snapshot: per applicant only the listed fields (plus the kind, which
    the ranking is split by, and the application id the comment form refers to)."""
    entries = []
    for kind in KINDS:
        for row in ranking.get(kind, []):
            applicant = row.application.applicant
            entry: dict[str, Any] = {"application_id": row.application.pk, "kind": kind}
            if "name" in fields:
                entry["name"] = applicant.name
            if "sector" in fields:
                entry["sector"] = applicant.sector
            if "total" in fields:
                entry["total"] = _plain(row.result.weighted_total)
            if "rank" in fields:
                entry["rank"] = row.rank
            if "stage_totals" in fields:
                entry["stage_totals"] = {
                    k: _plain(v) for k, v in (row.result.stage_totals or {}).items()
                }
            if "category_scores" in fields:
                entry["category_scores"] = {
                    k: _plain(v) for k, v in (row.result.category_scores or {}).items()
                }
            entries.append(entry)
    return entries


def sector_label(value: str) -> str:
    return str(Sector(value).label) if value in Sector.values else value
