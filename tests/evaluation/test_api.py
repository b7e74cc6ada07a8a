"""The evaluation API: my assignments, scores (save and submit), results for the office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qualityaward.accounts.enums import Role
from qualityaward.evaluation.models import ItemScore, Panel, StageResult
from qualityaward.evaluation.services import scoring

from ..factories import UserFactory
from .factories import ExpertFactory, make_panel, qualified_application

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evaluation.api_urls")]


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_expert_lists_assignments_and_submits_scores(cycle):
    application = qualified_application(cycle)
    panel = make_panel(application, [ExpertFactory()])
    member = panel.members.get()
    client = api(member.expert.user)
    [row] = client.get("/api/v1/evaluation/assignments/").json()
    assert row["confirmed_no_conflict_at"] is not None
    del row["confirmed_no_conflict_at"]
    assert row == {
        "id": member.pk,
        "panel": panel.pk,
        "application": application.pk,
        "applicant": application.applicant.name,
        "stage": "document_review",
        "submitted_at": None,
    }
    items = scoring.framework_items(panel)
    url = f"/api/v1/evaluation/members/{member.pk}/scores/"
    bad = client.post(url, {"scores": [{"item": items[0].pk, "percent": 52}]}, format="json")
    assert bad.status_code == 400
    assert "steps of 5" in bad.json()["detail"]
    payload = {
        "scores": [{"item": item.pk, "percent": 60, "strengths": "好"} for item in items],
        "submit": True,
    }
    response = client.post(url, payload, format="json")
    body = response.json()
    assert body["submitted_at"] is not None
    assert len(body["scores"]) == 23 and body["scores"][0]["percent"] == 60
    assert ItemScore.objects.filter(member=member, percent=60).count() == 23
    again = client.post(url, {"submit": True}, format="json")
    assert "submitted already" in again.json()["detail"]


def test_another_user_gets_404_on_a_seat(cycle):
    panel = make_panel(qualified_application(cycle), [ExpertFactory()])
    member = panel.members.get()
    other = ExpertFactory().user
    response = api(other).post(f"/api/v1/evaluation/members/{member.pk}/scores/", {}, format="json")
    assert response.status_code == 404
    assert not ItemScore.objects.exists()


def test_office_reads_results_and_others_are_refused(cycle):
    application = qualified_application(cycle)
    panel = Panel.objects.create(cycle=cycle, application=application, stage="document_review")
    StageResult.objects.create(
        panel=panel, total=Decimal("450.00"), category_scores={}, completed_at=timezone.now()
    )
    office = UserFactory(roles=[Role.OFFICE])
    rows = api(office).get(f"/api/v1/evaluation/cycles/{cycle.pk}/results/").json()
    assert rows == [
        {
            "application": application.pk,
            "applicant": application.applicant.name,
            "stage_totals": {"document_review": "450.00"},
            "weighted_total": "225.00",
            "category_scores": {},
            "advanced_to_site_visit": False,
            "stopped_at": "document_review",
        }
    ]
    expert = ExpertFactory().user
    assert api(expert).get(f"/api/v1/evaluation/cycles/{cycle.pk}/results/").status_code == 403
