"""The privacy notice (PIPL articles 14 and 17): public and versioned, accepted at
registration, asked for again when its version changes. The enforcement tests log in
with a password (no force_login shortcut) or save an older accepted version."""

import pytest
from django.urls import reverse

from qualityaward.accounts import middleware
from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.applications.models import Applicant
from qualityaward.core.models import AuditRecord

from ..applications.test_registration import org_form, person_form
from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NEW_VERSION = "2027-06-01"


def _counts():
    return (User.objects.count(), Applicant.objects.count(), AuditRecord.objects.count())


def _log_in(client, user) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_the_notice_is_public_with_its_version_organiser_and_retention(client, settings):
    settings.QA_PRIVACY_NOTICE_VERSION = "2026-12-01"
    settings.QA_ORGANISER = "二连浩特市市场监督管理局"
    settings.QA_RETENTION = {
        "public_contacts_years": 4,
        "application_contacts_years": 7,
        "login_records_days": 90,
    }
    chinese = client.get(reverse("portal:privacy"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200
    page = chinese.content.decode()
    assert "个人信息处理规则" in page
    assert "版本 2026-12-01" in page
    assert "二连浩特市市场监督管理局" in page
    assert "该届评审结束后 4 年" in page
    assert "7 年" in page
    assert "登录记录：90 天" in page
    assert "SM4" in page
    assert reverse("applications:my_data") in page
    english = client.get(reverse("portal:privacy"), **EN).content.decode()
    assert "Version 2026-12-01" in english
    assert "4 years after the cycle closes" in english
    assert "Login records: 90 days" in english


def test_every_footer_and_the_registration_forms_link_to_the_notice(client, settings):
    settings.QA_PRIVACY_NOTICE_VERSION = "2026-12-01"
    notice = reverse("portal:privacy")
    assert f'href="{notice}"' in client.get(reverse("portal:home")).content.decode()
    for name in ("applications:register_organisation", "applications:register_individual"):
        page = client.get(reverse(name)).content.decode()
        assert "我已阅读并同意《个人信息处理规则》（版本 2026-12-01）" in page
        assert f'href="{notice}"' in page
        assert 'name="privacy_accepted"' in page


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("applications:register_organisation", org_form),
        ("applications:register_individual", person_form),
    ],
)
def test_registration_without_the_tick_is_refused_and_creates_nothing(client, url, form):
    data = form()
    del data["privacy_accepted"]
    before = _counts()
    response = client.post(reverse(url), data, **EN)
    assert response.status_code == 400
    assert "Tick the box to accept the privacy notice" in response.content.decode()
    assert _counts() == before
    assert "_auth_user_id" not in client.session


def test_registration_with_the_tick_stores_the_version_and_time_and_audits_it(client, settings):
    settings.QA_PRIVACY_NOTICE_VERSION = "2026-12-01"
    response = client.post(reverse("applications:register_individual"), person_form(), **EN)
    assert response.status_code == 302
    user = User.objects.get(username="bateer")
    assert user.privacy_version == "2026-12-01"
    assert user.privacy_accepted_at is not None
    record = AuditRecord.objects.get(action="accounts.privacy_accept")
    assert record.actor == user
    assert record.changes == {"version": "2026-12-01"}
    # The new account goes on to its application without being asked again.
    assert client.get(response["Location"]).status_code == 200


def test_a_logged_in_user_registering_must_tick_too(client):
    user = UserFactory(username="wangjl")
    client.force_login(user)
    data = {k: v for k, v in org_form().items() if k not in {"username", "password1", "password2"}}
    del data["privacy_accepted"]
    before = _counts()
    response = client.post(reverse("applications:register_organisation"), data, **EN)
    assert response.status_code == 400
    assert _counts() == before


def test_a_new_version_sends_the_user_to_accept_it_before_going_on(client, settings):
    user = UserFactory(username="kouan", roles=[Role.APPLICANT])
    settings.QA_PRIVACY_NOTICE_VERSION = NEW_VERSION
    _log_in(client, user)
    wanted = reverse("applications:my_data")
    response = client.get(wanted, **EN)
    accept = reverse("portal:privacy_accept")
    assert response.status_code == 302
    assert response["Location"] == f"{accept}?next={wanted.replace('/', '%2F')}"
    # The notice stays readable, the accept page shows it with the new version.
    assert client.get(reverse("portal:privacy")).status_code == 200
    page = client.get(response["Location"], **EN).content.decode()
    assert f"Version {NEW_VERSION}" in page
    assert "has changed since the version you accepted" in page

    refused = client.post(response["Location"], {}, **EN)
    assert refused.status_code == 400
    assert "Tick the box to accept the privacy notice" in refused.content.decode()
    assert client.get(wanted).status_code == 302

    accepted = client.post(response["Location"], {"privacy_accepted": "on"})
    assert accepted["Location"] == wanted
    user.refresh_from_db()
    assert user.privacy_version == NEW_VERSION
    assert user.privacy_accepted_at is not None
    record = AuditRecord.objects.get(action="accounts.privacy_accept")
    assert (record.actor, record.changes) == (user, {"version": NEW_VERSION})
    assert client.get(wanted).status_code == 200


def test_staff_are_asked_too_and_the_api_refuses_on_a_session(client, settings):
    office = UserFactory(username="office", roles=[Role.OFFICE])
    client.force_login(office)
    assert client.get(reverse("notifications:list")).status_code == 200
    settings.QA_PRIVACY_NOTICE_VERSION = NEW_VERSION
    redirected = client.get(reverse("notifications:list"))
    assert redirected.status_code == 302
    assert redirected["Location"].startswith(reverse("portal:privacy_accept"))
    refused = client.get(reverse("api:me"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "privacy_notice"


def test_the_control_switched_off_lets_the_user_through(client, settings, monkeypatch):
    """What the tests above rely on: without the check, a user who accepted an older
    version reaches the page."""
    user = UserFactory(username="kouan", roles=[Role.APPLICANT])
    settings.QA_PRIVACY_NOTICE_VERSION = NEW_VERSION
    _log_in(client, user)
    monkeypatch.setattr(middleware, "privacy_acceptance_owed", lambda user: False)
    assert client.get(reverse("applications:my_data")).status_code == 200
