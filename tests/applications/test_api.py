import pytest
from rest_framework.test import APIClient

from qualityaward.accounts.enums import Role
from qualityaward.applications.api import api_urlpatterns
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.applications.services import applications as services

from ..factories import UserFactory
from .factories import OrganisationFactory, applicant_user, ready_application

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.applications.api_urls")]


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_api_urlpatterns_are_under_v1():
    assert [str(p.pattern) for p in api_urlpatterns] == [
        "v1/calls/",
        "v1/applications/",
        "v1/applications/<int:pk>/",
        "v1/applications/<int:pk>/submit/",
        "v1/applications/<int:pk>/review/",
    ]


def test_api_calls_are_public(api, call):
    response = api.get("/api/v1/calls/")
    assert [c["title"] for c in response.json()] == [call.title]
    assert response.json()[0]["deadline"] == call.deadline.isoformat()


def test_api_applicant_sees_own_applications_only(api, call):
    application, user = ready_application(call)
    other = applicant_user()
    OrganisationFactory(users=[other])
    api.force_authenticate(user)
    assert [a["id"] for a in api.get("/api/v1/applications/").json()["results"]] == [application.pk]
    api.force_authenticate(other)
    assert api.get("/api/v1/applications/").json()["results"] == []
    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 404


def test_api_submit_and_review(api, call):
    application, user = ready_application(call)
    api.force_authenticate(user)
    response = api.post(f"/api/v1/applications/{application.pk}/submit/", {}, format="json")
    assert response.json()["receipt_number"] == "QA-2026-03-0001"
    again = api.post(f"/api/v1/applications/{application.pk}/submit/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_submitted"
    refused = api.post(
        f"/api/v1/applications/{application.pk}/review/", {"outcome": "pass"}, format="json"
    )
    assert refused.status_code == 403
    api.force_authenticate(UserFactory(roles=[Role.OFFICE]))
    response = api.post(
        f"/api/v1/applications/{application.pk}/review/",
        {"outcome": "fail", "reasons": [{"clause": "10.1", "text": "未在本市注册"}]},
        format="json",
    )
    assert response.json()["state"] == ApplicationState.REJECTED
    assert response.json()["decisions"][0]["reasons"] == [
        {"clause": "第十条第（一）项", "text": "未在本市注册"}
    ]


def test_api_submit_with_stale_version_is_refused(api, call):
    application, user = ready_application(call)
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/applications/{application.pk}/submit/",
        {"version": application.version - 1},
        format="json",
    )
    assert response.json() == {
        "detail": "This draft was changed in another window: reload the page.",
        "code": "stale_version",
    }
    assert Application.objects.get(pk=application.pk).state == ApplicationState.DRAFT
    assert services.editable_sections(application)
