"""Evaluation results per application of a cycle, for the decisions app (A19, A20).

`application_results(*, cycle)` reads in a constant number of queries (the cycle's rule
set, the applications with their panels and results) whatever the number of
applications."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.cycles.models import Cycle
from qualityaward.rulesets.enums import StageCode

from ..models import Panel
from ..scoring import StageLine, standing


@dataclass(frozen=True)
class ApplicationResult:
    application: Application
    # {stage code: total of 1000} for the stages with a result
    stage_totals: dict[str, Decimal]
    # Σ weight * total over the stages the application reached; None until every stage
    # it reached has a result
    weighted_total: Decimal | None
    # {category code: points} of the last stage with a result
    category_scores: dict[str, Decimal]
    advanced_to_site_visit: bool
    # the stage after which it stopped (below the next stage's threshold), else None
    stopped_at: str | None


def stages_of(cycle: Cycle) -> list[StageLine]:
    return [
        StageLine(stage.code, stage.weight, stage.advance_threshold)
        for stage in cycle.rule_set_version.rules.stages.value
    ]


def application_results(
    *, cycle: Cycle, application_ids: Collection[int] | None = None
) -> list[ApplicationResult]:
    """The qualified applications of the cycle (and any with a panel), ordered by
    weighted total (highest first; those without one last), then by id. With
    `application_ids`, only those (one application's report reads one row, not the
    cycle's thousands)."""
    cycle = Cycle.objects.select_related("rule_set_version").get(pk=cycle.pk)
    stage_lines = stages_of(cycle)
    # No DISTINCT over the wide application rows, and the panels prefetched into a list
    # (to_attr): a prefetch queryset per application costs more than the rows (bench/).
    with_panel = Panel.objects.filter(cycle=cycle).values("application_id")
    applications = (
        Application.objects.filter(cycle=cycle)
        .filter(Q(state=ApplicationState.QUALIFIED) | Q(pk__in=with_panel))
        .select_related("applicant")
        .defer("snapshot")
        .prefetch_related(
            Prefetch(
                "panels",
                Panel.objects.filter(cycle=cycle).select_related("result"),
                to_attr="cycle_panels",
            )
        )
        .order_by("pk")
    )
    if application_ids is not None:
        applications = applications.filter(pk__in=application_ids)
    rows = []
    for application in applications:
        results = {p.stage: p.result for p in application.cycle_panels if hasattr(p, "result")}
        totals = {stage: result.total for stage, result in results.items()}
        its = standing(
            stage_lines, totals, {stage: r.category_scores for stage, r in results.items()}
        )
        rows.append(
            ApplicationResult(
                application=application,
                stage_totals=totals,
                weighted_total=its.weighted_total,
                category_scores=its.category_scores,
                advanced_to_site_visit=StageCode.SITE_VISIT in its.reached,
                stopped_at=its.stopped_at,
            )
        )
    rows.sort(key=lambda r: (r.weighted_total is None, -(r.weighted_total or 0), r.application.pk))
    return rows
