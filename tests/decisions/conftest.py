"""A cycle of the demo rule set up to the end of the evaluation, four qualified
applications (two organisations, two individuals) and their evaluation results.

Results come through `fake_results`, which stands in for the evaluation app's
`application_results` (same fields) by replacing `decisions.results.load_application_results`,
and stores the standing the evaluation app keeps for each (what the ranking page reads).
`set_today` fixes the date the public forms and the approval check read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.services import stage_end, stage_start

from ..applications.factories import IndividualFactory, OrganisationFactory, published_call
from ..factories import UserFactory

D = datetime.date


@dataclass(frozen=True)
class FakeResult:
    """The evaluation contract's ApplicationResult, field for field."""

    application: Application
    stage_totals: dict = field(default_factory=dict)
    weighted_total: Decimal | None = None
    category_scores: dict = field(default_factory=dict)
    advanced_to_site_visit: bool = True
    stopped_at: str | None = None


@pytest.fixture
def set_today(monkeypatch):
    def set_to(day: datetime.date) -> None:
        monkeypatch.setattr("qualityaward.decisions.clock.today", lambda: day)

    return set_to


@pytest.fixture
def evaluated_cycle(cycle):
    """The cycle with the call, qualification review and evaluation recorded as ended."""
    for code, start, end in [
        (StageCode.CALL, D(2026, 9, 14), D(2026, 9, 30)),
        (StageCode.QUALIFICATION_REVIEW, D(2026, 9, 30), D(2026, 10, 9)),
        (StageCode.EVALUATION, D(2026, 10, 9), D(2026, 10, 19)),
    ]:
        stage_start(cycle=cycle, code=code, on=start, actor="test")
        stage_end(cycle=cycle, code=code, on=end, actor="test")
    return cycle


def qualified(call, applicant, minute: int) -> Application:
    return Application.objects.create(
        call=call,
        cycle=call.cycle,
        applicant=applicant,
        state=ApplicationState.QUALIFIED,
        submitted_at=timezone.make_aware(datetime.datetime(2026, 9, 20, 9, minute)),
        receipt_number=f"R-{minute:03d}",
    )


@pytest.fixture
def applications(evaluated_cycle, media_root):
    call = published_call(evaluated_cycle)
    org_a = qualified(call, OrganisationFactory(name="二连浩特市甲口岸物流有限公司"), 1)
    org_b = qualified(call, OrganisationFactory(name="二连浩特市乙商贸有限公司"), 2)
    ind_a = qualified(call, IndividualFactory(name="巴特尔"), 3)
    ind_b = qualified(call, IndividualFactory(name="乌云其其格"), 4)
    return {"org_a": org_a, "org_b": org_b, "ind_a": ind_a, "ind_b": ind_b}


def result(application, total, results_category="300", site_visit="700"):
    return FakeResult(
        application=application,
        stage_totals={
            "document_review": Decimal("720"),
            "site_visit": Decimal(site_visit),
            "presentation": Decimal("680"),
        },
        weighted_total=None if total is None else Decimal(total),
        category_scores={"4.1": Decimal("80"), "4.7": Decimal(results_category)},
    )


@pytest.fixture
def fake_results(monkeypatch, applications):
    """Organisation A ranks above B, individual A above B (by default)."""
    results = {
        "org_a": result(applications["org_a"], "812.40"),
        "org_b": result(applications["org_b"], "790.10"),
        "ind_a": result(applications["ind_a"], "765.00"),
        "ind_b": result(applications["ind_b"], "741.25"),
    }
    monkeypatch.setattr(
        "qualityaward.decisions.results.load_application_results",
        lambda *, cycle: [r for r in results.values() if r.application.cycle_id == cycle.pk],
    )
    for fake in results.values():
        store_standing(fake)
    return results


def store_standing(fake: FakeResult) -> None:
    from qualityaward.evaluation.models import ApplicationStanding

    ApplicationStanding.objects.update_or_create(
        application=fake.application,
        defaults={
            "weighted_total": fake.weighted_total,
            "results_score": fake.category_scores.get("4.7", Decimal(0)),
            "site_visit_total": fake.stage_totals.get("site_visit", Decimal(0)),
            "stopped_at": fake.stopped_at or "",
        },
    )


@pytest.fixture
def office(db):
    return UserFactory(roles=[Role.OFFICE])


@pytest.fixture
def members(db):
    """Six working-group members (quorum 2/3 → 4)."""
    return [UserFactory(roles=[Role.WORKING_GROUP], display_name=f"成员{i}") for i in range(6)]


@pytest.fixture(autouse=True)
def _english_messages(client):
    """These tests read the English messages; tests/test_translations.py checks the Chinese."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
