import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.accounts.services import user_create

from ..factories import TEST_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_right_password_and_code_lands_on_role_dashboard(client):
    user = UserFactory(username="wang", roles=[Role.OFFICE])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = login(client, "wang", TEST_PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"])
    response = client.post(response["Location"], {"token": totp_code(device)})
    response = client.get(response["Location"], follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain[-1][0] == reverse("portal:role_dashboard", args=["office"])
    assert '<h1 class="qa-page-title">Award office</h1>' in response.content.decode()


def test_login_with_wrong_password_shows_error_and_stays_anonymous(client):
    UserFactory(username="wang")
    response = login(client, "wang", "wrong-password-1")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert response.context["form"].non_field_errors()


def test_five_failures_lock_the_account_even_for_the_right_password(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="wang")
    for _ in range(4):
        assert login(client, "wang", "wrong-password-1").status_code == 200
    locked = login(client, "wang", "wrong-password-1")
    assert locked.status_code == 429
    again = login(client, "wang", TEST_PASSWORD)
    assert again.status_code == 429
    assert again.wsgi_request.user.is_anonymous


@pytest.mark.real_hasher
def test_passwords_are_stored_with_argon2():
    user = user_create(username="li", password="Quality-2026-ok", display_name="李")
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1A", "too short"),
        ("12345678901234", "digits only"),
        ("onlyletterspassword", "no digit"),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    with pytest.raises(ValidationError):
        user_create(username="li", password=password)
    assert not User.objects.filter(username="li").exists(), reason


def test_login_writes_an_audit_record(client):
    from qualityaward.core.models import AuditRecord

    user = UserFactory(username="wang", roles=[Role.EXPERT])
    login(client, "wang", TEST_PASSWORD)
    record = AuditRecord.objects.get(action="accounts.login")
    assert record.actor == user
