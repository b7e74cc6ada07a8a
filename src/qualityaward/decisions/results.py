"""The one adapter to the evaluation app: its results become the ranking's plain input.

The evaluation app provides `qualityaward.evaluation.selectors.results.application_results
(*, cycle) -> list[ApplicationResult]` (fields: application, stage_totals, weighted_total,
category_scores, advanced_to_site_visit, stopped_at). Everything else in this app works
on `ranking.RankInput`, so it is testable without the evaluation app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from qualityaward.applications.enums import ApplicationState
from qualityaward.core.errors import QualityAwardError

from .enums import RESULTS_CATEGORY, SITE_VISIT_STAGE
from .ranking import RankInput


def load_application_results(*, cycle) -> list[Any]:
    """The evaluation app's results of the cycle (refused clearly if it has none yet)."""
    try:
        from qualityaward.evaluation.selectors.results import application_results
    except ImportError:
        raise QualityAwardError(
            _("The evaluation results of this cycle are not available yet."), code="no_results"
        ) from None
    return list(application_results(cycle=cycle))


def to_rank_input(result: Any, comment_outcomes: Iterable[str] = ()) -> RankInput:
    application = result.application
    categories: Mapping[str, Decimal] = result.category_scores or {}
    stages: Mapping[str, Decimal] = result.stage_totals or {}
    return RankInput(
        application_id=application.pk,
        kind=application.applicant.kind,
        name=application.applicant.name,
        weighted_total=result.weighted_total,
        results_category=Decimal(categories.get(RESULTS_CATEGORY, 0)),
        site_visit=Decimal(stages.get(SITE_VISIT_STAGE, 0)),
        received_at=application.submitted_at,
        stopped_at=result.stopped_at,
        comment_outcomes=tuple(comment_outcomes),
    )


def qualified_results(*, cycle) -> list[Any]:
    """Results of qualified applications only (A16: the others are not ranked)."""
    return [
        result
        for result in load_application_results(cycle=cycle)
        if result.application.state == ApplicationState.QUALIFIED
    ]
