import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User
from qualityaward.applications.models import Applicant, Individual, Organisation
from qualityaward.applications.services.applicants import (
    individual_update,
    organisation_register,
    organisation_update,
)
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord

from ..factories import TEST_PASSWORD
from .factories import OrganisationFactory, applicant_user, credit_code, id_number

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def org_form(**changes):
    data = {
        "credit_code": credit_code(101),
        "name": "二连浩特市口岸物流有限公司",
        "registered_address": "二连浩特市前进路8号",
        "in_jurisdiction": "on",
        "established_on": "2018-04-01",
        "ownership": "private",
        "sector": "trade_logistics",
        "area": "urban",
        "is_for_profit": "1",
        "contact_name": "王经理",
        "username": "kouan",
        "email": "kouan@example.cn",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        "privacy_accepted": "on",
    }
    data.update(changes)
    return data


def person_form(**changes):
    data = {
        "name": "巴特尔",
        "id_number": id_number(77),
        "employer_code": "",
        "employer_name": "二连浩特市某建筑公司",
        "position": "质量总监",
        "quality_work_since": "2012",
        "sector": "construction",
        "area": "urban",
        "username": "bateer",
        "email": "",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        "privacy_accepted": "on",
    }
    data.update(changes)
    return data


def _counts():
    return (User.objects.count(), Applicant.objects.count(), AuditRecord.objects.count())


def test_register_page_is_public(client):
    page = client.get(reverse("applications:register"), **EN).content.decode()
    assert "Register an organisation" in page
    assert reverse("applications:register_individual") in page


def test_organisation_registers_and_is_logged_in(client):
    response = client.post(
        reverse("applications:register_organisation"), org_form(), follow=True, **EN
    )
    organisation = Organisation.objects.get()
    user = User.objects.get(username="kouan")
    assert organisation.credit_code == credit_code(101)
    assert organisation.established_on == datetime.date(2018, 4, 1)
    assert organisation.is_for_profit is True
    assert list(organisation.users.all()) == [user]
    assert user.has_role(Role.APPLICANT)
    assert user.display_name == "王经理"
    assert response.redirect_chain[-1][0] == reverse("applications:detail", args=[organisation.pk])
    page = response.content.decode()
    assert "You are registered. Welcome." in page
    assert "二连浩特市口岸物流有限公司" in page
    assert response.context["user"] == user
    assert set(AuditRecord.objects.values_list("action", flat=True)) == {
        "accounts.user_create",
        "accounts.role_grant",
        "applications.organisation_create",
        "accounts.privacy_accept",
        "accounts.login",
    }


def test_lower_case_credit_code_with_spaces_is_stored_normalised(client):
    code = credit_code(102)
    client.post(
        reverse("applications:register_organisation"),
        org_form(credit_code=f"{code[:6]} {code[6:]}".lower()),
    )
    assert Organisation.objects.get().credit_code == code


def test_bad_credit_code_checksum_shows_the_reason_and_writes_nothing(client):
    before = _counts()
    code = credit_code(103)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.post(
        reverse("applications:register_organisation"), org_form(credit_code=wrong), **EN
    )
    assert response.status_code == 400
    assert "The check character (the last one) does not match" in response.content.decode()
    assert _counts() == before


def test_duplicate_credit_code_is_refused_and_nothing_written(client):
    OrganisationFactory(credit_code=credit_code(104))
    before = _counts()
    response = client.post(
        reverse("applications:register_organisation"),
        org_form(credit_code=credit_code(104)),
        **EN,
    )
    assert "An organisation with this credit code is already registered." in (
        response.content.decode()
    )
    assert _counts() == before


def test_name_of_1000_characters_is_refused_and_nothing_written(client):
    before = _counts()
    response = client.post(
        reverse("applications:register_organisation"), org_form(name="测" * 1000), **EN
    )
    assert "The name may have at most 200 characters; this one has 1000." in (
        response.content.decode()
    )
    assert _counts() == before


def test_mixed_script_name_is_refused(client):
    response = client.post(
        reverse("applications:register_organisation"),
        org_form(name="二连浩特Батбаяр公司"),
        **EN,
    )
    assert "The name mixes scripts (Chinese characters, Cyrillic letters)." in (
        response.content.decode()
    )
    assert not Organisation.objects.exists()


def test_organisation_outside_the_city_cannot_register(client):
    data = org_form()
    del data["in_jurisdiction"]
    response = client.post(reverse("applications:register_organisation"), data, **EN)
    assert "Only organisations registered in the city may apply." in response.content.decode()
    assert not User.objects.exists()


def test_taken_user_name_is_refused(client):
    applicant_user(username="kouan")
    before = _counts()
    response = client.post(reverse("applications:register_organisation"), org_form(), **EN)
    assert "This user name is taken: choose another." in response.content.decode()
    assert _counts() == before


def test_service_rolls_back_the_user_when_the_profile_is_refused():
    OrganisationFactory(credit_code=credit_code(105))
    with translation.override("en"), pytest.raises(QualityAwardError, match="already registered"):
        organisation_register(
            username="late",
            password=TEST_PASSWORD,
            credit_code=credit_code(105),
            name="某公司",
            registered_address="二连浩特市",
            in_jurisdiction=True,
            established_on=datetime.date(2020, 1, 1),
            ownership="private",
            sector="energy",
            area="urban",
            is_for_profit=True,
        )
    assert not User.objects.filter(username="late").exists()


def test_individual_registers_linked_to_a_registered_employer(client):
    employer = OrganisationFactory(credit_code=credit_code(106), name="二连浩特市某建筑公司")
    response = client.post(
        reverse("applications:register_individual"),
        person_form(employer_code=credit_code(106), employer_name="", is_top_manager="on"),
        follow=True,
        **EN,
    )
    person = Individual.objects.get()
    assert person.id_number == id_number(77)
    assert person.employer == employer
    assert person.is_top_manager is True
    assert person.quality_work_since == 2012
    page = response.content.decode()
    assert person.masked_id_number == "152501********0777"[:14] + person.id_number[-4:]
    assert person.masked_id_number in page
    assert person.id_number not in page
    audit = AuditRecord.objects.get(action="applications.individual_create")
    assert audit.changes["id_number"] == person.masked_id_number


def test_individual_with_bad_identity_checksum_writes_nothing(client):
    before = _counts()
    number = id_number(78)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    response = client.post(
        reverse("applications:register_individual"), person_form(id_number=wrong), **EN
    )
    assert "The check character (the last one) does not match the rest of the number" in (
        response.content.decode()
    )
    assert _counts() == before


def test_duplicate_identity_number_is_refused(client):
    client.post(reverse("applications:register_individual"), person_form())
    client.logout()
    before = _counts()
    response = client.post(
        reverse("applications:register_individual"), person_form(username="other"), **EN
    )
    assert "A person with this identity number is already registered." in (
        response.content.decode()
    )
    assert _counts() == before


def test_individual_needs_an_employer(client):
    response = client.post(
        reverse("applications:register_individual"), person_form(employer_name=""), **EN
    )
    assert "Enter the employer&#x27;s credit code or its name." in response.content.decode()
    assert not Individual.objects.exists()


def test_applicant_edits_its_profile_and_the_change_is_audited(client):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user], name="旧名称有限公司")
    client.force_login(user)
    url = reverse("applications:edit", args=[organisation.pk])
    assert "旧名称有限公司" in client.get(url).content.decode()
    data = {
        "name": "新名称有限公司",
        "registered_address": organisation.registered_address,
        "in_jurisdiction": "on",
        "established_on": "2015-05-20",
        "ownership": "private",
        "sector": "energy",
        "area": "urban",
        "is_for_profit": "0",
    }
    client.post(url, data)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.sector, organisation.is_for_profit) == (
        "新名称有限公司",
        "energy",
        False,
    )
    audit = AuditRecord.objects.get(action="applications.organisation_update")
    assert audit.changes == {
        "name": ["旧名称有限公司", "新名称有限公司"],
        "sector": ["trade_logistics", "energy"],
        "is_for_profit": [True, False],
    }


def test_another_applicant_cannot_open_the_edit_page(client):
    organisation = OrganisationFactory(users=[applicant_user()])
    client.force_login(applicant_user())
    assert client.get(reverse("applications:edit", args=[organisation.pk])).status_code == 404


def test_update_refuses_the_credit_code():
    organisation = OrganisationFactory()
    with pytest.raises(QualityAwardError, match="credit_code"):
        organisation_update(organisation=organisation, actor=None, credit_code=credit_code(9))


def test_individual_update_links_an_employer_and_clears_the_text():
    from .factories import IndividualFactory

    person = IndividualFactory(employer_name="某公司")
    employer = OrganisationFactory()
    individual_update(individual=person, actor=None, employer=employer)
    person.refresh_from_db()
    assert (person.employer, person.employer_name) == (employer, "")


def test_profile_redirects_to_the_users_applicant(client):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    client.force_login(user)
    response = client.get(reverse("applications:profile"))
    assert response["Location"] == reverse("applications:detail", args=[organisation.pk])


# --- a logged-in user's own path: no second account, never a 404 ----------------------------


def test_logged_in_user_registers_an_organisation_on_the_same_account(client):
    user = User.objects.create_user(username="wangjl", password=TEST_PASSWORD)
    client.force_login(user)
    page = client.get(reverse("applications:register_organisation"), **EN).content.decode()
    assert 'name="password1"' not in page
    assert "no new account is needed" in page
    data = {k: v for k, v in org_form().items() if k not in {"username", "password1", "password2"}}
    response = client.post(reverse("applications:register_organisation"), data, **EN)
    organisation = Organisation.objects.get()
    assert response["Location"] == reverse("applications:detail", args=[organisation.pk])
    assert list(organisation.users.all()) == [user]
    assert User.objects.count() == 1
    assert User.objects.get(pk=user.pk).has_role(Role.APPLICANT)  # roles are cached per object
    assert AuditRecord.objects.filter(
        action="applications.organisation_create", actor=user
    ).exists()
    assert client.get(reverse("applications:profile"))["Location"] == response["Location"]


def test_logged_in_user_registers_as_an_individual_on_the_same_account(client):
    user = User.objects.create_user(username="bateer2", password=TEST_PASSWORD)
    client.force_login(user)
    data = {
        k: v for k, v in person_form().items() if k not in {"username", "password1", "password2"}
    }
    client.post(reverse("applications:register_individual"), data, **EN)
    person = Individual.objects.get()
    assert list(person.users.all()) == [user]
    assert User.objects.count() == 1


def test_a_logged_in_user_cannot_take_a_registered_organisation_by_its_code(client):
    owner = applicant_user()
    OrganisationFactory(credit_code=credit_code(101), users=[owner])
    user = User.objects.create_user(username="stranger", password=TEST_PASSWORD)
    client.force_login(user)
    data = {k: v for k, v in org_form().items() if k not in {"username", "password1", "password2"}}
    response = client.post(reverse("applications:register_organisation"), data, **EN)
    assert response.status_code == 400
    assert "ask the colleague who registered it, or the office" in response.content.decode().lower()
    assert not Applicant.objects.filter(users=user).exists()


def test_my_applications_and_my_profile_say_how_to_start_without_an_applicant(client):
    user = User.objects.create_user(username="newcomer", password=TEST_PASSWORD)
    client.force_login(user)
    response = client.get(reverse("applications:mine"), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("applications:register_organisation") in page
    assert reverse("applications:register_individual") in page
    profile = client.get(reverse("applications:profile"), follow=True, **EN)
    assert profile.redirect_chain[-1][0] == reverse("applications:register")
    assert "ask the office to link it" in profile.content.decode()


def test_office_links_an_account_to_a_registered_organisation_and_it_is_audited(
    client, user_with_role
):
    organisation = OrganisationFactory(users=[applicant_user()])
    claimant = User.objects.create_user(username="claimant", password=TEST_PASSWORD)
    url = reverse("applications:user_link", args=[organisation.pk])
    client.force_login(claimant)
    assert client.post(url, {"username": "claimant"}).status_code == 404
    assert not organisation.users.filter(pk=claimant.pk).exists()

    client.force_login(user_with_role(Role.OFFICE))
    response = client.post(url, {"username": "claimant"}, **EN)
    assert response["Location"] == reverse("applications:detail", args=[organisation.pk])
    assert organisation.users.filter(pk=claimant.pk).exists()
    claimant.refresh_from_db()
    assert User.objects.get(pk=claimant.pk).has_role(Role.APPLICANT)
    record = AuditRecord.objects.get(action="applications.applicant_user_link")
    assert record.changes == {"user": claimant.pk}
    client.post(url, {"username": "nobody"}, **EN)
    assert AuditRecord.objects.filter(action="applications.applicant_user_link").count() == 1
