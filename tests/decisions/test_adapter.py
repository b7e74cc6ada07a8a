"""The one adapter to the evaluation app's results (its real `application_results`)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

pytest.importorskip(
    "qualityaward.evaluation.selectors.results",
    reason="the evaluation app does not provide application_results yet",
)

from qualityaward.decisions.selectors.ranking import cycle_ranking
from qualityaward.decisions.services import publication as publication_services
from qualityaward.evaluation.models import Panel, StageResult

pytestmark = pytest.mark.django_db


def stage(application, code, total, categories=None):
    panel = Panel.objects.create(cycle=application.cycle, application=application, stage=code)
    StageResult.objects.create(
        panel=panel,
        total=Decimal(total),
        category_scores=categories or {"4.7": "300.00"},
        completed_at=timezone.now(),
    )


def full(application, totals, results_category):
    stage(application, "document_review", totals[0])
    stage(application, "site_visit", totals[1])
    stage(application, "presentation", totals[2], {"4.7": results_category})


def test_ranking_reads_the_evaluation_results_and_breaks_ties_by_category_4_7(applications):
    a = applications
    # Same weighted total (0.5*600 + 0.3*700 + 0.2*800 = 670): 4.7 decides.
    full(a["org_a"], ("600", "700", "800"), "300.00")
    full(a["org_b"], ("600", "700", "800"), "320.00")
    full(a["ind_a"], ("700", "700", "700"), "300.00")
    stage(a["ind_b"], "document_review", "450")  # stops below the site-visit threshold
    ranking = cycle_ranking(cycle=a["org_a"].cycle)
    assert [(r.application, r.rank, r.ranked.tie_break) for r in ranking["organisation"]] == [
        (a["org_b"], 1, "results_category"),
        (a["org_a"], 2, ""),
    ]
    assert [(r.application, r.rank) for r in ranking["individual"]] == [
        (a["ind_a"], 1),
        (a["ind_b"], None),
    ]
    assert ranking["organisation"][0].result.weighted_total == Decimal("670.00")


def test_published_snapshot_from_real_results_holds_only_public_fields(applications, office):
    a = applications
    full(a["org_a"], ("600", "700", "800"), "300.00")
    publication = publication_services.results_publish(
        cycle=a["org_a"].cycle, on=datetime.date(2026, 10, 20), actor=office
    )
    by_id = {e["application_id"]: e for e in publication.entries}
    assert by_id[a["org_a"].pk] == {
        "application_id": a["org_a"].pk,
        "kind": "organisation",
        "name": "二连浩特市甲口岸物流有限公司",
        "total": "670.00",
        "rank": 1,
    }
