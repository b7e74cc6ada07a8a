import pytest
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant

from ..applications.factories import OrganisationFactory
from ..factories import UserFactory
from ..urls_helpers import concrete_paths

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = (
    "/i18n/",
    "/documents/",
    "/applications/register/",
    "/applications/public/",
    "/decisions/public/",
    "/supervision/public/",
    "/api/v1/decisions/results/",
    "/api/v1/decisions/verify/",
)
PUBLIC_PATHS = {
    "/api/v1/calls/",
    "/",
    "/healthz",
    "/privacy/",
    "/accounts/login/",
    "/api/schema/",
    "/api/docs/",
    "/applications/public/calls/",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_its_dashboard(client, user_with_role, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("portal:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:role_dashboard", args=[role.value])
    assert response.status_code == 200
    assert response.context["role"] == role


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_every_other_roles_dashboard(client, user_with_role, role):
    client.force_login(user_with_role(role))
    for other in Role:
        if other == role:
            continue
        response = client.get(reverse("portal:role_dashboard", args=[other.value]))
        assert response.status_code == 403, other


def test_user_with_two_roles_reaches_both(client, user_with_role):
    user = user_with_role(Role.EXPERT)
    RoleGrant.objects.create(user=user, role=Role.APPLICANT)
    client.force_login(user)
    for role in (Role.EXPERT, Role.APPLICANT):
        assert client.get(reverse("portal:role_dashboard", args=[role.value])).status_code == 200
    page = client.get(reverse("portal:role_dashboard", args=["expert"])).content.decode()
    assert reverse("portal:role_dashboard", args=["applicant"]) in page


def test_user_without_role_is_told_to_ask_the_office(client):
    client.force_login(UserFactory())
    response = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "no role yet" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login_from_every_non_public_page(client):
    checked = 0
    for path in concrete_paths():
        assert "<" not in path, f"add a sample value for the converter in {path}"
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            continue
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith(reverse("accounts:login")), path
        checked += 1
    assert checked >= 4


def test_public_pages_are_open_to_anonymous_visitors(client):
    for path in PUBLIC_PATHS:
        assert client.get(path).status_code == 200, path


def test_header_names_the_award_of_the_rule_set_in_use(client, demo_version):
    page = client.get("/").content.decode()
    assert "<title>" in page
    assert "二连浩特市市长质量奖" in page.split("</header>")[0]


@pytest.mark.parametrize("role", list(Role))
def test_every_shortcut_on_a_dashboard_opens_for_that_role(client, user_with_role, role):
    user = user_with_role(role)
    if role == Role.APPLICANT:
        OrganisationFactory(users=[user])
    client.force_login(user)
    page = client.get(reverse("portal:role_dashboard", args=[role.value]))
    for label, url in page.context["shortcuts"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (role, str(label), url, response.status_code)
