"""Role grants limited to one award (issue 16): who may grant them, how they combine, and
what an award-limited staff member reads. The URL-by-URL proof is tests/authz."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant
from qualityaward.accounts.scoping import award_limits, awards_of, covers, holders
from qualityaward.accounts.services import role_grant
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed
from qualityaward.rulesets.models import RuleSet

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _award(code: str) -> RuleSet:
    return RuleSet.objects.create(
        code=code,
        award_name_zh=f"{code}质量奖",
        award_name_en=f"{code} quality award",
        issuing_authority="某市人民政府",
        jurisdiction="某市",
    )


@pytest.fixture
def awards():
    return _award("award-a"), _award("award-b")


def test_a_user_may_hold_office_for_two_awards_but_each_grant_once(awards):
    award_a, award_b = awards
    user = UserFactory()
    role_grant(user=user, role=Role.OFFICE, award=award_a)
    role_grant(user=user, role=Role.OFFICE, award=award_b)
    role_grant(user=user, role=Role.OFFICE, award=award_a)  # already held: unchanged
    assert RoleGrant.objects.filter(user=user, role=Role.OFFICE).count() == 2
    assert awards_of(user) == {award_a.pk, award_b.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=Role.OFFICE, award=award_a)


def test_one_site_wide_grant_per_role_and_it_covers_every_award(awards):
    award_a, _award_b = awards
    user = UserFactory(roles=[Role.SUPERVISOR])
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=Role.SUPERVISOR)
    role_grant(user=user, role=Role.SUPERVISOR, award=award_a)
    assert award_limits(user) == {Role.SUPERVISOR: None}
    assert awards_of(user) is None


def test_each_role_reaches_only_the_awards_it_was_granted_for(awards, demo_version):
    """Office for A and supervisor for B: office staff on A's objects, not on B's."""
    award_a = demo_version.rule_set
    _unused, award_b = awards
    user = UserFactory()
    role_grant(user=user, role=Role.OFFICE, award=award_a)
    role_grant(user=user, role=Role.SUPERVISOR, award=award_b)
    assert covers(user, Role.OFFICE, demo_version) is True
    assert covers(user, Role.SUPERVISOR, demo_version) is False
    assert user.has_perm("rulesets.manage", demo_version) is True
    other = UserFactory()
    role_grant(user=other, role=Role.OFFICE, award=award_b)
    assert other.has_perm("rulesets.manage") is True  # a role page: office staff
    assert other.has_perm("rulesets.manage", demo_version) is False  # not of its award


def test_an_award_limited_office_grants_roles_for_its_own_award_only(awards):
    award_a, award_b = awards
    office = UserFactory()
    role_grant(user=office, role=Role.OFFICE, award=award_a)
    user = UserFactory()
    role_grant(user=user, role=Role.WORKING_GROUP, award=award_a, actor=office)
    for award in (award_b, None):
        with pytest.raises(NotAllowed):
            role_grant(user=user, role=Role.SUPERVISOR, award=award, actor=office)
    assert list(user.role_grants.values_list("role", "award")) == [(Role.WORKING_GROUP, award_a.pk)]


def test_the_office_grants_a_limited_role_on_the_account_page(awards, client: Client):
    award_a, award_b = awards
    office = UserFactory()
    role_grant(user=office, role=Role.OFFICE, award=award_a)
    member = UserFactory(username="li.member")
    client.force_login(office)
    url = reverse("accounts:role_grant")
    page = client.get(reverse("accounts:user_security"), HTTP_ACCEPT_LANGUAGE="en")
    assert award_a.award_name_zh in page.content.decode()
    assert award_b.award_name_zh not in page.content.decode()
    post = {"username": "li.member", "role": Role.WORKING_GROUP}
    client.post(url, {**post, "award": award_b.pk})  # not a choice it has
    client.post(url, post)  # an award is required of an award-limited office
    assert not member.role_grants.exists()
    client.post(url, {**post, "award": award_a.pk})
    assert list(member.role_grants.values_list("role", "award")) == [
        (Role.WORKING_GROUP, award_a.pk)
    ]


def test_an_award_limited_office_does_not_list_the_other_awards_staff(awards, client: Client):
    award_a, award_b = awards
    office = UserFactory()
    role_grant(user=office, role=Role.OFFICE, award=award_a)
    own, other = UserFactory(username="own.staff"), UserFactory(username="other.staff")
    role_grant(user=own, role=Role.SUPERVISOR, award=award_a)
    role_grant(user=other, role=Role.SUPERVISOR, award=award_b)
    UserFactory(username="some.applicant", roles=[Role.APPLICANT])
    client.force_login(office)
    html = client.get(reverse("accounts:user_security")).content.decode()
    assert "own.staff" in html and "some.applicant" in html
    assert "other.staff" not in html
    assert client.post(reverse("accounts:unlock", args=[other.pk])).status_code == 404


def test_create_user_limits_the_staff_roles_to_the_award(awards, monkeypatch):
    award_a, _award_b = awards
    monkeypatch.setattr("sys.stdin", io.StringIO("Zhiliang-2026!\n"))
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "create_user", "zhao.office", "--role", "office", "--award", "award-a", stdout=out
        )
    assert "for award-a" in out.getvalue()
    grant = RoleGrant.objects.get(user__username="zhao.office")
    assert (grant.role, grant.award) == (Role.OFFICE, award_a)


def test_create_user_refuses_an_unknown_award_and_creates_nothing(awards, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Zhiliang-2026!\n"))
    with pytest.raises(CommandError, match="award-a"):
        call_command("create_user", "zhao.office", "--role", "office", "--award", "no-such")
    assert not RoleGrant.objects.exists()


def test_holders_of_a_role_for_an_award_include_the_site_wide_ones(awards, demo_version):
    award_a = demo_version.rule_set
    _unused, award_b = awards
    own, site_wide, other = UserFactory(), UserFactory(), UserFactory()
    role_grant(user=own, role=Role.WORKING_GROUP, award=award_a)
    role_grant(user=site_wide, role=Role.WORKING_GROUP)
    role_grant(user=other, role=Role.WORKING_GROUP, award=award_b)
    assert set(holders(Role.WORKING_GROUP, demo_version)) == {own, site_wide}


def test_the_audit_trail_shows_an_award_limited_reader_its_awards_records(
    awards, demo_version, client: Client
):
    _unused, award_b = awards
    supervisor = UserFactory()
    role_grant(user=supervisor, role=Role.SUPERVISOR, award=award_b)
    with transaction.atomic():
        record = audit_append(actor="test", action="test.touch", obj=demo_version)
    assert record.award_id == demo_version.rule_set_id
    client.force_login(supervisor)
    html = client.get(reverse("core:audit")).content.decode()
    assert "test.touch" not in html
    role_grant(user=supervisor, role=Role.SUPERVISOR, award=demo_version.rule_set)
    html = client.get(reverse("core:audit")).content.decode()
    assert "test.touch" in html
