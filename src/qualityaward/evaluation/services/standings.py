"""The applications' standings (what the ranking reads, A20), kept in step with the
stage results: `standing_refresh` rewrites one application's row in the transaction
that changed its results; `standings_rebuild` rewrites a cycle's rows from its results
(after a bulk load, or to check that the rows are right)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from qualityaward.applications.models import Application
from qualityaward.cycles.models import Cycle

from ..models import ApplicationStanding, StageResult
from ..scoring import RESULTS_CATEGORY, SITE_VISIT_STAGE, standing
from ..selectors.results import application_results, stages_of


def _row(
    application_id: int,
    *,
    weighted_total: Decimal | None,
    stage_totals: dict[str, Decimal],
    category_scores: dict[str, Decimal],
    stopped_at: str | None,
) -> ApplicationStanding:
    return ApplicationStanding(
        application_id=application_id,
        weighted_total=weighted_total,
        results_score=category_scores.get(RESULTS_CATEGORY, Decimal(0)),
        site_visit_total=stage_totals.get(SITE_VISIT_STAGE, Decimal(0)),
        stopped_at=stopped_at or "",
    )


def standing_refresh(*, application: Application) -> ApplicationStanding:
    """Write the application's standing from its stage results. Call inside the
    transaction that changed them (it is no change of its own: nothing to audit)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("standing_refresh must be called inside transaction.atomic()")
    cycle = Cycle.objects.select_related("rule_set_version").get(pk=application.cycle_id)
    results = list(
        StageResult.objects.filter(
            panel__application_id=application.pk, panel__cycle_id=cycle.pk
        ).select_related("panel")
    )
    totals = {r.panel.stage: r.total for r in results}
    its = standing(stages_of(cycle), totals, {r.panel.stage: r.category_scores for r in results})
    row = _row(
        application.pk,
        weighted_total=its.weighted_total,
        stage_totals=totals,
        category_scores=its.category_scores,
        stopped_at=its.stopped_at,
    )
    row.save()
    return row


@transaction.atomic
def standings_rebuild(*, cycle: Cycle) -> int:
    """Replace the cycle's standings with ones computed from all its stage results.
    Returns the number of rows written."""
    rows = [
        _row(
            result.application.pk,
            weighted_total=result.weighted_total,
            stage_totals=result.stage_totals,
            category_scores=result.category_scores,
            stopped_at=result.stopped_at,
        )
        for result in application_results(cycle=cycle)
    ]
    ApplicationStanding.objects.filter(application__cycle=cycle).delete()
    ApplicationStanding.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
