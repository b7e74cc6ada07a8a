"""Who sees which applicant (A9) and the masking of identity numbers."""

import pytest
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant
from qualityaward.applications.rules import is_department_of_applicant, is_own_applicant
from qualityaward.applications.selectors.applicants import applicants_visible_to
from qualityaward.core.models import AuditRecord

from ..factories import UserFactory
from .factories import IndividualFactory, OrganisationFactory, applicant_user

pytestmark = pytest.mark.django_db


def department(*, sector="", area=""):
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.DEPARTMENT, sector=sector, area=area)
    return user


@pytest.fixture
def population():
    return {
        "factory": OrganisationFactory(name="制造厂", sector="manufacturing", area="urban"),
        "herder": OrganisationFactory(
            name="牧业合作社", sector="agriculture", area="gerileaodu_sumu"
        ),
        "porter": IndividualFactory(name="口岸人", sector="port_services", area="border_zone"),
    }


def names(user) -> set[str]:
    return set(applicants_visible_to(user=user).values_list("name", flat=True))


def test_office_sees_every_applicant(population, user_with_role):
    assert names(user_with_role(Role.OFFICE)) == {"制造厂", "牧业合作社", "口岸人"}


def test_sector_department_sees_only_its_sector(population):
    assert names(department(sector="manufacturing")) == {"制造厂"}


def test_department_grant_may_name_the_sector_in_chinese(population):
    assert names(department(sector="农牧业")) == {"牧业合作社"}


def test_sumu_government_sees_only_its_area(population):
    assert names(department(area="gerileaodu_sumu")) == {"牧业合作社"}


def test_department_with_sector_and_area_sees_both(population):
    assert names(department(sector="port_services", area="urban")) == {"制造厂", "口岸人"}


def test_department_without_sector_or_area_sees_nothing(population):
    assert names(department()) == set()


def test_applicant_sees_only_its_own(population):
    user = applicant_user()
    population["herder"].users.add(user)
    assert names(user) == {"牧业合作社"}


@pytest.mark.parametrize("role", [Role.EXPERT, Role.AGENCY, Role.WORKING_GROUP, Role.SUPERVISOR])
def test_other_roles_see_no_applicant(population, user_with_role, role):
    assert names(user_with_role(role)) == set()


def test_object_predicates(population):
    owner = applicant_user()
    population["factory"].users.add(owner)
    assert is_own_applicant(owner, population["factory"]) is True
    assert is_own_applicant(owner, population["herder"]) is False
    manufacturing = department(sector="manufacturing")
    assert is_department_of_applicant(manufacturing, population["factory"]) is True
    assert is_department_of_applicant(manufacturing, population["herder"]) is False
    assert is_department_of_applicant(owner, population["factory"]) is False


def test_department_page_lists_only_its_sector(client, population):
    client.force_login(department(sector="manufacturing"))
    page = client.get(reverse("applications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Applicants in my sector or area" in page
    assert "制造厂" in page
    assert "牧业合作社" not in page
    assert "口岸人" not in page


def test_department_of_another_sector_gets_404_on_an_applicants_page(client, population):
    client.force_login(department(sector="energy"))
    for name in ("detail", "eligibility", "edit", "results"):
        url = reverse(f"applications:{name}", args=[population["factory"].pk])
        assert client.get(url).status_code == 404, name


def test_department_of_the_sector_reads_but_cannot_edit(client, population):
    client.force_login(department(sector="manufacturing"))
    detail = client.get(reverse("applications:detail", args=[population["factory"].pk]))
    assert "制造厂" in detail.content.decode()
    assert reverse("applications:edit", args=[population["factory"].pk]) not in (
        detail.content.decode()
    )
    edit = client.get(reverse("applications:edit", args=[population["factory"].pk]))
    assert edit.status_code == 403


def test_applicant_cannot_list_applicants(client):
    client.force_login(applicant_user())
    assert client.get(reverse("applications:list")).status_code == 403


# --- masking -----------------------------------------------------------------------------


def test_pages_show_identity_numbers_masked_to_everyone(client, user_with_role):
    person = IndividualFactory(id_number="15250119850312123X", sector="port_services")
    url = reverse("applications:detail", args=[person.pk])
    for user in (user_with_role(Role.OFFICE), department(sector="port_services")):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "152501********123X" in page
        assert "15250119850312123X" not in page


def test_the_office_reads_the_full_number_on_request_and_the_read_is_recorded(
    client, user_with_role
):
    person = IndividualFactory(id_number="15250119850312123X")
    office = user_with_role(Role.OFFICE)
    client.force_login(office)
    response = client.post(reverse("applications:reveal_id_number", args=[person.pk]))
    assert "15250119850312123X" in response.content.decode()
    record = AuditRecord.objects.get(action="applications.id_number_revealed")
    assert (record.actor, record.object_id) == (office, str(person.pk))
    assert record.changes == {"id_number": "152501********123X"}


def test_nobody_else_can_read_the_full_number(client):
    person = IndividualFactory(id_number="15250119850312123X", sector="port_services")
    client.force_login(department(sector="port_services"))
    response = client.post(reverse("applications:reveal_id_number", args=[person.pk]))
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(action="applications.id_number_revealed").exists()


def test_expert_cannot_open_an_individuals_page(client, user_with_role):
    person = IndividualFactory()
    client.force_login(user_with_role(Role.EXPERT))
    assert client.get(reverse("applications:detail", args=[person.pk])).status_code == 404


def test_contact_phones_are_masked_and_the_office_reads_one_on_request_recorded(
    client, user_with_role, media_root, cycle
):
    from ..applications.factories import published_call, ready_application

    application, owner = ready_application(published_call(cycle))
    application.contact_phone = "13800138000"
    application.save(update_fields=["contact_phone"])
    url = reverse("applications:application", args=[application.pk])
    office = user_with_role(Role.OFFICE)
    client.force_login(office)
    page = client.get(url).content.decode()
    assert "138****8000" in page and "13800138000" not in page
    revealed = client.post(reverse("applications:reveal_phone", args=[application.pk]))
    assert "13800138000" in revealed.content.decode()
    record = AuditRecord.objects.get(action="applications.contact_phone_revealed")
    assert (record.actor, record.changes) == (office, {"contact_phone": "138****8000"})
    # The applicant reads its own number in full, and nobody is recorded for that.
    client.force_login(owner)
    assert "13800138000" in client.get(url).content.decode()
    assert AuditRecord.objects.filter(action="applications.contact_phone_revealed").count() == 1
