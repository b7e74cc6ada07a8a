"""The applications' standings: results loaded without the scoring services (in bulk)
count once `manage.py standings_rebuild` has run; the refresh needs the change's
transaction."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from qualityaward.evaluation.models import ApplicationStanding
from qualityaward.evaluation.services.standings import standing_refresh

from .factories import qualified_application
from .test_results import result

pytestmark = pytest.mark.django_db


def test_rebuild_stores_the_standing_of_results_loaded_in_bulk(cycle):
    full = qualified_application(cycle)
    result(full, "document_review", "600.00")
    result(full, "site_visit", "700.00")
    result(full, "presentation", "800.00", {"4.1": "88.00", "4.7": "320.00"})
    stopped = qualified_application(cycle)
    result(stopped, "document_review", "450.00", {"4.7": "90.00"})
    fresh = qualified_application(cycle)
    assert not ApplicationStanding.objects.exists()

    out = StringIO()
    call_command("standings_rebuild", str(cycle.pk), stdout=out)

    assert out.getvalue() == f"cycle {cycle.pk}: 3 standings\n"
    rows = {s.application_id: s for s in ApplicationStanding.objects.all()}
    assert (
        rows[full.pk].weighted_total,
        rows[full.pk].results_score,
        rows[full.pk].site_visit_total,
        rows[full.pk].stopped_at,
    ) == (Decimal("670.00"), Decimal("320.00"), Decimal("700.00"), "")
    assert (rows[stopped.pk].results_score, rows[stopped.pk].stopped_at) == (
        Decimal("90.00"),
        "document_review",
    )
    assert rows[fresh.pk].weighted_total is None


@pytest.mark.django_db(transaction=True)
def test_refresh_refuses_to_run_outside_the_change_s_transaction(cycle):
    with pytest.raises(RuntimeError):
        standing_refresh(application=qualified_application(cycle))
