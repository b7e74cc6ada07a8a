"""The ranking of a cycle (A20) from the evaluation results and the comments, and the
public snapshot of it (A19: only the rule set's `public_result_fields`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber

from qualityaward.applications.enums import Sector

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
    """One row of the ranking page."""

    application_id: int
    name: str
    rank: int | None
    # the scores as text, as the page shows them
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


REJECTED = (CommentStatus.REJECTED_IRRELEVANT, CommentStatus.REJECTED_SPAM)

# `rank`'s order in SQL, over the stored standings: ranked entries by the key of
# `ranking._key`, then the unranked ones by id (their keys are NULL here). A ranked
# entry's place in its kind's list is its rank.
_RANKED = Q(rank_total__isnull=False, rank_stopped="")


def _if_ranked(name: str) -> Case:
    return Case(When(_RANKED, then=F(name)))


_ORDER = [
    F("rank_unranked").asc(),
    _if_ranked("rank_total").desc(nulls_last=True),
    _if_ranked("rank_results").desc(nulls_last=True),
    _if_ranked("rank_site_visit").desc(nulls_last=True),
    _if_ranked("rank_received_at").asc(nulls_last=True),
    F("pk").asc(),
]


def _page_rows(cycle, places: dict[str, tuple[int, int]]) -> list[tuple]:
    """The rows at `places` {kind: (start, stop)} (0-based, stop excluded) of each kind's
    list, numbered in SQL: (id, kind, name, unranked, place from 1, entries of the kind,
    total, results score, site-visit total)."""
    wanted = Q(pk__in=[])
    for kind, (start, stop) in places.items():
        wanted |= Q(rank_kind=kind, rank_place__gt=start, rank_place__lte=stop)
    return list(
        results_adapter.standings(cycle=cycle)
        .annotate(
            rank_unranked=Case(When(_RANKED, then=Value(0)), default=Value(1)),
            rank_place=Window(RowNumber(), partition_by=[F("rank_kind")], order_by=_ORDER),
            rank_count=Window(Count("pk"), partition_by=[F("rank_kind")]),
        )
        .filter(wanted)
        .values_list(
            "pk",
            "rank_kind",
            "rank_name",
            "rank_unranked",
            "rank_place",
            "rank_count",
            "rank_total",
            "rank_results",
            "rank_site_visit",
        )
        .order_by("rank_kind", "rank_place")
    )


def page_number(value: Any) -> int:
    """The page asked for, as Paginator.get_page reads it: not a number is page 1, a
    number below 1 or past the end the last page (kept within what SQL can count)."""
    try:
        return max(0, min(int(value), 10**6))
    except (TypeError, ValueError):
        return 1


def ranking_pages(
    *,
    cycle,
    page_numbers: dict[str, Any],
    per_page: int,
    comments: Iterable[tuple[int, str, str]] = (),
) -> dict[str, Page]:
    """One page of each kind's ranking, read from the stored standings, ordered, numbered
    and counted in SQL: one query whatever the number of applications, two more when a
    page asked for does not exist. `comments`: (application id, status, outcome) of the
    cycle's comments in the order received; the rows show those not rejected."""
    numbers = {kind: page_number(page_numbers.get(kind)) for kind in KINDS}
    rows = _page_rows(cycle, {k: ((n - 1) * per_page, n * per_page) for k, n in numbers.items()})
    totals = {row[1]: row[5] for row in rows}
    # No row: an empty kind (page 1), or a page past the end that shows the last one.
    missing = [k for k in KINDS if k not in totals and numbers[k] != 1]
    if missing:
        totals.update(
            results_adapter.standings(cycle=cycle)
            .filter(rank_kind__in=missing)
            .values("rank_kind")
            .annotate(total=Count("pk"))
            .order_by()
            .values_list("rank_kind", "total")
        )
    pages = {
        kind: Paginator(range(totals.get(kind, 0)), per_page).get_page(numbers[kind])
        for kind in KINDS
    }
    if missing:
        places = {
            k: ((pages[k].number - 1) * per_page, pages[k].number * per_page) for k in missing
        }
        rows = [row for row in rows if row[1] not in missing] + _page_rows(cycle, places)
    shown = {row[0] for row in rows}
    labels: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for application_id, status, outcome in comments:
        if application_id in shown and status not in REJECTED:
            labels[application_id].append((status, outcome))
    lines = [
        RankingLine(
            application_id=pk,
            name=name,
            rank=None if unranked else place,
            weighted_total=None if total is None else str(total),
            results_category=str(results),
            site_visit=str(site_visit),
            comments=tuple(labels.get(pk, ())),
        )
        for pk, _kind, name, unranked, place, _count, total, results, site_visit in rows
    ]
    return {
        kind: Page(
            [line for line, row in zip(lines, rows, strict=True) if row[1] == kind],
            page.number,
            page.paginator,
        )
        for kind, page in pages.items()
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
