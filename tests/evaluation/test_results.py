"""application_results: stage totals, the weighted total, where an application stopped,
and a constant number of queries whatever the number of applications."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from qualityaward.evaluation.models import Panel, StageResult
from qualityaward.evaluation.selectors.results import application_results

from .factories import ExpertFactory, qualified_application

pytestmark = pytest.mark.django_db


def result(application, stage, total, categories=None):
    panel = Panel.objects.create(cycle=application.cycle, application=application, stage=stage)
    return StageResult.objects.create(
        panel=panel,
        total=Decimal(total),
        category_scores=categories or {"4.1": "55.00"},
        completed_at=timezone.now(),
    )


def test_results_weigh_the_stages_and_say_where_an_application_stopped(cycle):
    """Erenhot demo rule set: weights 0.5 / 0.3 / 0.2, site visit from 500 points."""
    full = qualified_application(cycle)
    result(full, "document_review", "600.00")
    result(full, "site_visit", "700.00")
    result(full, "presentation", "800.00", {"4.1": "88.00", "4.7": "320.00"})
    stopped = qualified_application(cycle)
    result(stopped, "document_review", "450.00")
    waiting = qualified_application(cycle)
    result(waiting, "document_review", "500.00")
    fresh = qualified_application(cycle)
    rows = {r.application.pk: r for r in application_results(cycle=cycle)}
    assert rows[full.pk].stage_totals == {
        "document_review": Decimal("600.00"),
        "site_visit": Decimal("700.00"),
        "presentation": Decimal("800.00"),
    }
    assert rows[full.pk].weighted_total == Decimal("670.00")
    assert rows[full.pk].category_scores == {"4.1": Decimal("88.00"), "4.7": Decimal("320.00")}
    assert rows[full.pk].advanced_to_site_visit is True
    assert rows[full.pk].stopped_at is None
    assert rows[stopped.pk].weighted_total == Decimal("225.00")
    assert rows[stopped.pk].advanced_to_site_visit is False
    assert rows[stopped.pk].stopped_at == "document_review"
    assert rows[waiting.pk].weighted_total is None  # reached the site visit, no result yet
    assert rows[waiting.pk].advanced_to_site_visit is True
    assert rows[fresh.pk].stage_totals == {} and rows[fresh.pk].weighted_total is None
    assert [r.application.pk for r in application_results(cycle=cycle)][:2] == [
        full.pk,
        stopped.pk,
    ]


def make(cycle, n):
    for i in range(n):
        application = qualified_application(cycle)
        result(application, "document_review", f"{400 + 20 * i}.00")
        if 400 + 20 * i >= 500:
            result(application, "site_visit", "650.00")


def test_results_take_the_same_number_of_queries_for_2_and_12_applications(
    cycle, django_assert_max_num_queries, django_assert_num_queries
):
    ExpertFactory()
    make(cycle, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(application_results(cycle=cycle)) == 2
    make(cycle, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        rows = application_results(cycle=cycle)
    assert len(rows) == 12
    with django_assert_max_num_queries(4):
        application_results(cycle=cycle)
