"""Two factors: required by role (QA_MFA_REQUIRED_ROLES), optional for applicants, TOTP
with recovery codes, failed codes counted toward the lockout, the office's reset, all
audited. These tests log in with the password form, never with force_login."""

import base64
import re
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from qualityaward.accounts.enums import Role
from qualityaward.accounts.services import mfa_demo_device
from qualityaward.core.models import AuditRecord

from ..factories import TEST_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
ENROL = reverse("accounts:mfa_enrol")
VERIFY = reverse("accounts:mfa_verify")


def password_login(client, username):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302, username
    return response


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def actions(user) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_id=str(user.pk), action__startswith="accounts.mfa")
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize(
    "role",
    [Role.OFFICE, Role.WORKING_GROUP, Role.AGENCY, Role.EXPERT, Role.SUPERVISOR, Role.DEPARTMENT],
)
def test_staff_without_a_device_must_enrol_before_any_page(client, role):
    UserFactory(username="staff", roles=[role])
    password_login(client, "staff")
    for url in (DASHBOARD, reverse("notifications:list"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    assert client.get(ENROL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_enrolment_shows_the_key_confirms_a_code_and_shows_recovery_codes_once(client):
    user = UserFactory(username="wang", roles=[Role.OFFICE])
    password_login(client, "wang")
    page = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, drawn by the server
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'id="qa-mfa-secret"[^>]*>([^<]+)<', page).group(1).replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key

    wrong = client.post(ENROL, {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get(DASHBOARD)["Location"].startswith(ENROL)
    time.sleep(1.1)  # django-otp refuses any code for 1 s after a wrong one

    shown = client.post(ENROL, {"token": totp_code(device)})
    assert shown.status_code == 200
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DASHBOARD).status_code == 302  # to the role's dashboard, not 2FA
    assert not client.get(DASHBOARD)["Location"].startswith(ENROL)
    again = client.get(ENROL).content.decode()
    assert not any(code in again for code in codes)
    assert actions(user) == [
        "accounts.mfa_enrol_start",
        "accounts.mfa_failed",
        "accounts.mfa_enrol",
    ]


def test_a_user_with_a_device_gives_its_code_after_the_password(client):
    user = UserFactory(username="chen", roles=[Role.EXPERT])
    device = enrolled(user)
    password_login(client, "chen")
    response = client.get(DASHBOARD)
    assert response["Location"] == f"{VERIFY}?next=%2Fdashboard%2F"
    refused = client.post(response["Location"], {"token": "12345x"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)
    accepted = client.post(response["Location"], {"token": totp_code(device)})
    assert accepted["Location"] == DASHBOARD
    assert client.get(reverse("portal:role_dashboard", args=["expert"])).status_code == 200
    assert actions(user) == ["accounts.mfa_failed", "accounts.mfa_verify"]


def test_a_recovery_code_replaces_the_app_once(client):
    user = UserFactory(username="chen", roles=[Role.EXPERT])
    enrolled(user)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes")
    recovery.token_set.create(token="abcd2345")
    password_login(client, "chen")
    assert client.post(VERIFY, {"token": "ABCD 2345"})["Location"] == DASHBOARD
    assert actions(user) == ["accounts.mfa_recovery_code_used"]
    client.post(reverse("accounts:logout"))
    password_login(client, "chen")
    assert client.post(VERIFY, {"token": "abcd2345"}).status_code == 200
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_wrong_codes_count_toward_the_lockout_with_wrong_passwords(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="chen", roles=[Role.EXPERT])
    enrolled(user)
    wrong = client.post(reverse("accounts:login"), {"username": "chen", "password": "Wrong-pass-1"})
    assert wrong.status_code == 200
    password_login(client, "chen")  # the right password does not forgive the failure
    assert client.post(VERIFY, {"token": "000001"}).status_code == 200
    locked = client.post(VERIFY, {"token": "000002"})
    assert locked.status_code == 429
    assert client.get(DASHBOARD)["Location"].startswith(reverse("accounts:login"))
    again = client.post(reverse("accounts:login"), {"username": "chen", "password": TEST_PASSWORD})
    assert again.status_code == 429
    assert AuditRecord.objects.filter(action="accounts.lockout", object_id=str(user.pk)).exists()


def test_a_full_login_forgives_earlier_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="chen", roles=[Role.EXPERT])
    device = enrolled(user)
    client.post(reverse("accounts:login"), {"username": "chen", "password": "Wrong-pass-1"})
    password_login(client, "chen")
    assert AccessAttempt.objects.filter(username="chen").exists()
    client.post(VERIFY, {"token": totp_code(device)})
    assert not AccessAttempt.objects.filter(username="chen").exists()


def test_applicants_are_not_asked_unless_they_opt_in(client):
    user = UserFactory(username="firm", roles=[Role.APPLICANT])
    password_login(client, "firm")
    assert client.get(reverse("notifications:list")).status_code == 200
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    assert client.post(ENROL, {"token": totp_code(device)}).status_code == 200
    client.post(reverse("accounts:logout"))
    password_login(client, "firm")
    assert client.get(reverse("notifications:list"))["Location"].startswith(VERIFY)


def test_the_required_roles_are_a_setting(client, settings):
    settings.QA_MFA_REQUIRED_ROLES = []
    UserFactory(username="wang", roles=[Role.OFFICE])
    password_login(client, "wang")
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_the_api_needs_the_second_factor_on_a_session_but_not_with_a_token(client):
    user = UserFactory(username="wang", roles=[Role.OFFICE])
    enrolled(user)
    password_login(client, "wang")
    refused = client.get(reverse("api:me"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "mfa_required"
    token = Token.objects.create(user=user)
    from django.test import Client

    machine = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert machine.get(reverse("api:me")).status_code == 200


def test_the_office_resets_a_lost_device_and_the_user_enrols_again(client):
    from django.test import Client

    office = UserFactory(username="office", roles=[Role.OFFICE])
    user = UserFactory(username="chen", roles=[Role.EXPERT])
    device = enrolled(user)
    password_login(client, "chen")
    client.post(VERIFY, {"token": totp_code(device)})
    assert client.get(reverse("notifications:list")).status_code == 200

    staff = Client()
    staff.force_login(office)
    listing = staff.get(reverse("accounts:user_security"), {"q": "chen"})
    assert listing.status_code == 200
    assert reverse("accounts:mfa_reset", args=[user.pk]) in listing.content.decode()
    staff.post(reverse("accounts:mfa_reset", args=[user.pk]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    record = AuditRecord.objects.get(action="accounts.mfa_reset")
    assert (record.actor, record.object_id) == (office, str(user.pk))
    # The session of the lost phone's owner ended; the next login enrols a new device.
    assert client.get(reverse("notifications:list"))["Location"].startswith(
        reverse("accounts:login")
    )
    password_login(client, "chen")
    assert client.get(DASHBOARD)["Location"].startswith(ENROL)


def test_only_another_office_member_resets_or_unlocks(client):
    office = UserFactory(username="office", roles=[Role.OFFICE])
    enrolled(office)
    expert = UserFactory(username="chen", roles=[Role.EXPERT])
    enrolled(expert)
    client.force_login(office)
    client.post(reverse("accounts:mfa_reset", args=[office.pk]))
    assert TOTPDevice.objects.filter(user=office, name="phone").exists()
    client.force_login(expert)
    assert client.post(reverse("accounts:mfa_reset", args=[office.pk])).status_code == 403
    assert client.post(reverse("accounts:unlock", args=[office.pk])).status_code == 403
    assert client.get(reverse("accounts:user_security")).status_code == 403
    assert not AuditRecord.objects.filter(
        action__in=["accounts.mfa_reset", "accounts.unlock"]
    ).exists()


def test_the_office_unlocks_a_locked_account(client, settings):
    from django.test import Client

    settings.AXES_FAILURE_LIMIT = 2
    office = UserFactory(username="office", roles=[Role.OFFICE])
    user = UserFactory(username="firm", roles=[Role.APPLICANT])
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "firm", "password": "Wrong-pass-1"})
    assert (
        client.post(
            reverse("accounts:login"), {"username": "firm", "password": TEST_PASSWORD}
        ).status_code
        == 429
    )
    staff = Client()
    staff.force_login(office)
    assert (
        "locked"
        in staff.get(reverse("accounts:user_security"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    staff.post(reverse("accounts:unlock", args=[user.pk]))
    assert AuditRecord.objects.get(action="accounts.unlock").actor == office
    password_login(client, "firm")


def test_a_demo_device_gives_codes_from_its_printed_key(client):
    user = UserFactory(username="office", roles=[Role.OFFICE])
    device = mfa_demo_device(user=user)
    assert device.confirmed and device.config_url.startswith("otpauth://totp/")
    password_login(client, "office")
    assert client.post(VERIFY, {"token": totp_code(device)})["Location"] == DASHBOARD
