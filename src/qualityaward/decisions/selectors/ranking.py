"""The ranking of a cycle (A20) from the evaluation results and the comments, and the
public snapshot of it (A19: only the rule set's `public_result_fields`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, overload

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
# Rows per cache entry: a page reads one or two entries, not the whole ranking.
RANKING_CACHE_CHUNK = 100


def _cache_key(cycle_pk: int, sequence: int, part: str) -> str:
    return f"decisions:ranking:{cycle_pk}:{sequence}:{part}"


def _ranking_store(cycle, sequence: int) -> dict[str, list[RankingLine]]:
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
    entries: dict[str, Any] = {
        _cache_key(cycle.pk, sequence, "counts"): {kind: len(rows) for kind, rows in lines.items()}
    }
    for kind, rows in lines.items():
        for start in range(0, len(rows), RANKING_CACHE_CHUNK):
            key = _cache_key(cycle.pk, sequence, f"{kind}:{start // RANKING_CACHE_CHUNK}")
            entries[key] = rows[start : start + RANKING_CACHE_CHUNK]
    cache.set_many(entries, RANKING_CACHE_SECONDS)
    return lines


class CachedRanking(Sequence[RankingLine]):
    """One kind's ranking rows for a Paginator: the count and each slice come from the
    cache, a chunk at a time; computed again if an entry is gone."""

    def __init__(self, *, cycle, sequence: int, kind: str, count: int, lines=None) -> None:
        self.cycle, self.sequence, self.kind = cycle, sequence, kind
        self._count, self._lines = count, lines

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> RankingLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[RankingLine]: ...

    def __getitem__(self, index: int | slice) -> RankingLine | list[RankingLine]:
        if isinstance(index, int):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, min(index.stop or self._count, self._count)
        if self._lines is not None or start >= stop:
            return (self._lines or [])[start:stop]
        chunks = range(start // RANKING_CACHE_CHUNK, (stop - 1) // RANKING_CACHE_CHUNK + 1)
        keys = [_cache_key(self.cycle.pk, self.sequence, f"{self.kind}:{n}") for n in chunks]
        found = cache.get_many(keys)
        if len(found) < len(keys):
            self._lines = _ranking_store(self.cycle, self.sequence)[self.kind]
            return self._lines[start:stop]
        rows = [row for key in keys for row in found[key]]
        offset = chunks.start * RANKING_CACHE_CHUNK
        return rows[start - offset : stop - offset]


def ranking_lines(*, cycle) -> dict[str, CachedRanking]:
    """`cycle_ranking` as plain rows per kind, cached until the next audited change: every
    change of state appends an audit record, so its sequence number versions all the
    data read here. It is read before the ranking, so a cached ranking is never older
    than its key."""
    sequence = audit_sequence()
    counts = cache.get(_cache_key(cycle.pk, sequence, "counts"))
    lines = None
    if counts is None:
        lines = _ranking_store(cycle, sequence)
        counts = {kind: len(rows) for kind, rows in lines.items()}
    return {
        kind: CachedRanking(
            cycle=cycle,
            sequence=sequence,
            kind=kind,
            count=count,
            lines=lines[kind] if lines is not None else None,
        )
        for kind, count in counts.items()
    }


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
