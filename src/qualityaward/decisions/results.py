"""The one adapter to the evaluation app: its results become the ranking's plain input.

The evaluation app provides `qualityaward.evaluation.selectors.results.application_results
(*, cycle) -> list[ApplicationResult]` (fields: application, stage_totals, weighted_total,
category_scores, advanced_to_site_visit, stopped_at), and each application's stored
standing (`evaluation.ApplicationStanding`, related name `standing`), which `standings`
names as the ranking's inputs. Everything else in this app works on `ranking.RankInput`
or those names, so it is testable without the evaluation app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
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


def standings(*, cycle) -> QuerySet:
    """The qualified applications of the cycle (A16) with the ranking's inputs as
    annotations: `rank_kind`, `rank_name`, `rank_received_at`, `rank_total` (None until
    complete), `rank_results` (the 4.7 score), `rank_site_visit`, `rank_stopped` ("" when
    it did not stop). An application without a stored standing has no results yet."""
    return Application.objects.filter(cycle=cycle, state=ApplicationState.QUALIFIED).annotate(
        rank_kind=F("applicant__kind"),
        rank_name=F("applicant__name"),
        rank_received_at=F("submitted_at"),
        rank_total=F("standing__weighted_total"),
        rank_results=Coalesce("standing__results_score", Value(Decimal(0))),
        rank_site_visit=Coalesce("standing__site_visit_total", Value(Decimal(0))),
        rank_stopped=Coalesce("standing__stopped_at", Value("")),
    )


def qualified_results(*, cycle) -> list[Any]:
    """Results of qualified applications only (A16: the others are not ranked)."""
    return [
        result
        for result in load_application_results(cycle=cycle)
        if result.application.state == ApplicationState.QUALIFIED
    ]
