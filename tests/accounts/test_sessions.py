"""Session and account controls (GB/T 22239 level 3): idle timeout, one session per staff
account, password expiry for staff, and the supervisor's security log."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityaward.accounts.controls import LAST_SEEN_SESSION_KEY
from qualityaward.accounts.enums import Role
from qualityaward.core.models import AuditRecord

from ..factories import TEST_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("notifications:list")
LOGIN = reverse("accounts:login")


def idle_for(client, minutes: int) -> None:
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = time.time() - minutes * 60
    session.save()


def test_a_session_idle_past_the_timeout_ends(client, settings):
    settings.QA_IDLE_TIMEOUT_MINUTES = 30
    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    idle_for(client, 29)
    assert client.get(NOTIFICATIONS).status_code == 200
    idle_for(client, 31)
    response = client.get(NOTIFICATIONS)
    assert response["Location"].startswith(LOGIN)
    assert client.get(NOTIFICATIONS)["Location"].startswith(LOGIN)  # logged out
    assert AuditRecord.objects.filter(action="accounts.session_timeout", actor=user).exists()


def test_the_idle_timeout_is_on_by_default():
    from django.conf import settings

    assert 0 < settings.QA_IDLE_TIMEOUT_MINUTES <= 30


def full_login(client, username, device) -> None:
    client.post(LOGIN, {"username": username, "password": TEST_PASSWORD})
    device.refresh_from_db()  # the code of the last login cannot be used again
    client.post(reverse("accounts:mfa_verify"), {"token": totp_code(device)})


def test_a_new_login_ends_the_staff_accounts_other_session():
    office = UserFactory(username="wang", roles=[Role.OFFICE])
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    first, second, thief = Client(), Client(), Client()
    full_login(first, "wang", device)
    assert first.get(NOTIFICATIONS).status_code == 200
    # The password alone does not end the session: the login is not complete.
    thief.post(LOGIN, {"username": "wang", "password": TEST_PASSWORD})
    assert first.get(NOTIFICATIONS).status_code == 200
    full_login(second, "wang", device)
    assert second.get(NOTIFICATIONS).status_code == 200
    assert first.get(NOTIFICATIONS)["Location"].startswith(LOGIN)
    record = AuditRecord.objects.get(action="accounts.session_ended")
    assert (record.actor, record.changes) == (office, {"reason": "new_login"})


def test_an_applicant_may_keep_two_sessions():
    UserFactory(username="firm", roles=[Role.APPLICANT])
    first, second = Client(), Client()
    for client in (first, second):
        client.post(LOGIN, {"username": "firm", "password": TEST_PASSWORD})
    assert first.get(NOTIFICATIONS).status_code == 200
    assert second.get(NOTIFICATIONS).status_code == 200


def test_an_expired_staff_password_must_be_changed_before_anything_else(client, settings):
    settings.QA_PASSWORD_MAX_AGE_DAYS = 90
    old = timezone.now() - datetime.timedelta(days=91)
    user = UserFactory(username="wang", roles=[Role.OFFICE], password_changed_at=old)
    client.force_login(user)
    change = reverse("accounts:password_change")
    assert client.get(NOTIFICATIONS)["Location"] == change
    assert client.get(change).status_code == 200
    same = {"old_password": TEST_PASSWORD, "new_password1": TEST_PASSWORD}
    same["new_password2"] = TEST_PASSWORD
    assert client.post(change, same).status_code == 200  # the same password is refused
    new = "Another-horse-77"
    changed = client.post(
        change, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    assert client.get(NOTIFICATIONS).status_code == 200  # the session stayed
    user.refresh_from_db()
    assert user.password_changed_at > timezone.now() - datetime.timedelta(minutes=1)
    assert AuditRecord.objects.filter(action="accounts.password_change", actor=user).exists()


def test_an_applicants_old_password_does_not_expire(client):
    old = timezone.now() - datetime.timedelta(days=400)
    client.force_login(UserFactory(roles=[Role.APPLICANT], password_changed_at=old))
    assert client.get(NOTIFICATIONS).status_code == 200


def test_passwords_expire_after_90_days_by_default():
    from django.conf import settings

    assert settings.QA_PASSWORD_MAX_AGE_DAYS == 90
    assert settings.QA_SINGLE_SESSION is True


def test_the_supervisor_reads_the_security_log_by_kind_and_user(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="firm", roles=[Role.APPLICANT])
    visitor = Client()
    for _ in range(2):
        visitor.post(LOGIN, {"username": "firm", "password": "Wrong-pass-1"})
    supervisor = UserFactory(username="zhou", roles=[Role.SUPERVISOR])
    client.force_login(supervisor)
    url = reverse("accounts:security_log")

    def shown(**query) -> list[str]:
        page = client.get(url, query).context["page"]
        return [record.action for record in page.object_list]

    everything = shown()
    assert {"accounts.login", "accounts.login_failed", "accounts.lockout"} <= set(everything)
    assert shown(kind="login_failed") == ["accounts.login_failed"] * 2
    assert shown(kind="lockout") == ["accounts.lockout"]
    assert set(shown(user="zhou")) == {"accounts.login"}
    assert client.post(url).status_code == 405  # read-only


def test_the_security_log_is_the_supervisors_alone(client):
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    assert client.get(reverse("accounts:security_log")).status_code == 403
