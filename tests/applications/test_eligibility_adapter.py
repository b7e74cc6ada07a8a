"""The adapter gathers facts from the database in one query per kind; the pre-check page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.applications.eligibility import EligibilityNumbers, failures
from qualityaward.applications.enums import ComplianceKind, ListKind
from qualityaward.applications.models import Applicant
from qualityaward.applications.selectors.eligibility import eligibility_for, eligibility_numbers
from qualityaward.cycles.models import Cycle

from .factories import (
    AnnualResultFactory,
    BanFactory,
    ComplianceRecordFactory,
    IndividualFactory,
    ListEntryFactory,
    OrganisationFactory,
    applicant_user,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)


@pytest.fixture
def cycle(open_cycle):
    return Cycle.objects.select_related("rule_set_version").get(pk=open_cycle.pk)


def clean_organisation(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    for year in (2022, 2023, 2024):
        AnnualResultFactory(organisation=organisation, fiscal_year=year)
    return organisation


def test_numbers_come_from_the_cycles_rule_set(rule_version):
    assert eligibility_numbers(version=rule_version) == EligibilityNumbers(
        org_min_operating_years=3,
        org_no_loss_years=3,
        individual_min_quality_years=5,
        lookback_years=3,
        fraud_ban_years=5,
    )


def test_clean_organisation_in_the_database_passes(cycle):
    organisation = clean_organisation()
    assert failures(eligibility_for(applicant=organisation, cycle=cycle, on=ON)) == []


def test_database_facts_reach_the_check(cycle):
    organisation = clean_organisation()
    AnnualResultFactory(organisation=organisation, fiscal_year=2021, profit=Decimal("-1"))
    ComplianceRecordFactory(applicant=organisation, kind=ComplianceKind.ACCIDENT)
    ListEntryFactory(credit_code=organisation.credit_code, kind=ListKind.SERIOUS_DISHONESTY)
    ListEntryFactory(  # another company's listing does not count
        kind=ListKind.ABNORMAL_OPERATIONS
    )
    BanFactory(applicant=organisation, started_on=datetime.date(2019, 1, 1))  # ended 2024-01-01
    findings = eligibility_for(applicant=organisation, cycle=cycle, on=ON)
    assert [(f.code, f.clause) for f in failures(findings)] == [
        ("a12_3_accident_or_violation", "第十二条第（三）项"),
        ("a12_6_serious_dishonesty", "第十二条第（六）项"),
    ]


def test_withdrawn_record_is_ignored(cycle):
    organisation = clean_organisation()
    record = ComplianceRecordFactory(applicant=organisation, kind=ComplianceKind.VIOLATION)
    assert failures(eligibility_for(applicant=organisation, cycle=cycle, on=ON))
    record.withdrawn_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    record.save()
    assert failures(eligibility_for(applicant=organisation, cycle=cycle, on=ON)) == []


def test_top_managers_employer_record_bars_the_individual(cycle):
    employer = clean_organisation()
    person = IndividualFactory(employer=employer, employer_name="", is_top_manager=True)
    ComplianceRecordFactory(applicant=employer, kind=ComplianceKind.ORGANISATION_INCIDENT)
    ComplianceRecordFactory(applicant=person, kind=ComplianceKind.TAX_SOCIAL_INSURANCE)
    findings = eligibility_for(applicant=person, cycle=cycle, on=ON)
    assert [f.code for f in failures(findings)] == [
        "ind_employer_record",
        "a12_5_tax_social_insurance",
    ]


def test_quality_work_since_the_year_counts_from_1_january(cycle):
    person = IndividualFactory(quality_work_since=2020)
    assert failures(eligibility_for(applicant=person, cycle=cycle, on=ON)) == []
    person.quality_work_since = 2021
    person.save()
    assert [f.code for f in failures(eligibility_for(applicant=person, cycle=cycle, on=ON))] == [
        "ind_quality_years"
    ]


def making_winners_wait(cycle, cycles: int) -> None:
    """The cycle's version, in memory, with winners sitting out `cycles` cycles."""
    version = cycle.rule_set_version
    entry = {"value": cycles, "article": 12, "clause": None, "note": "", "basis": "measures"}
    version.values = {**version.values, "winner_reapply_after_cycles": entry}
    version.__dict__.pop("rules", None)


# Earlier wins (here and imported) are two more queries, only when winners must wait.
WAIT_QUERIES = [(0, 0), (3, 2)]


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize(("wait", "extra"), WAIT_QUERIES)
def test_organisation_facts_take_one_query_per_kind(
    cycle, django_assert_num_queries, size, wait, extra
):
    making_winners_wait(cycle, wait)
    organisation = clean_organisation()
    for day in range(size):
        ComplianceRecordFactory(applicant=organisation)
        ListEntryFactory(
            credit_code=organisation.credit_code,
            listed_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=day),
        )
        BanFactory(applicant=organisation, started_on=datetime.date(2010, 1, 1))
    applicant = Applicant.objects.select_related("organisation").get(pk=organisation.pk)
    with django_assert_num_queries(5 + extra):  # results, records, listings, bans (x2)
        eligibility_for(applicant=applicant, cycle=cycle, on=ON)


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize(("wait", "extra"), WAIT_QUERIES)
def test_individual_facts_take_one_query_per_kind(
    cycle, django_assert_num_queries, size, wait, extra
):
    making_winners_wait(cycle, wait)
    employer = OrganisationFactory()
    person = IndividualFactory(employer=employer, is_top_manager=True)
    for _ in range(size):
        ComplianceRecordFactory(applicant=person)
        ComplianceRecordFactory(applicant=employer)
        BanFactory(applicant=person, started_on=datetime.date(2010, 1, 1))
    applicant = Applicant.objects.select_related("individual__employer").get(pk=person.pk)
    with django_assert_num_queries(3 + extra):  # records (own and employer's), bans (x2)
        eligibility_for(applicant=applicant, cycle=cycle, on=ON)


# --- the pre-check page ------------------------------------------------------------------


def test_applicant_sees_pass_and_fail_per_clause(client, cycle):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user], established_on=datetime.date(2023, 1, 1))
    client.force_login(user)
    response = client.get(
        reverse("applications:eligibility", args=[organisation.pk]),
        {"cycle": cycle.pk, "on": "2025-06-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "2 conditions are not met." in page
    assert (
        "Article 10(1): operating for 2 full years on 2025-06-01 (established on 2023-01-01); "
        "at least 3 are required, reached on 2026-01-01."
    ) in page
    assert "Article 10(3): missing figures" in page
    assert "第十条第（一）项" in page
    assert "Article 28: no ban for fraud in force." in page
    assert "To be attested in the application form" in page


def test_page_says_when_no_cycle_is_open(client):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    client.force_login(user)
    page = client.get(
        reverse("applications:eligibility", args=[organisation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "No cycle is open" in page


def test_department_cannot_see_the_pre_check(client, user_with_role, cycle):
    from qualityaward.accounts.models import RoleGrant

    organisation = OrganisationFactory(sector="manufacturing")
    user = user_with_role(Role.EXPERT)
    RoleGrant.objects.create(user=user, role=Role.DEPARTMENT, sector="manufacturing")
    client.force_login(user)
    assert client.get(reverse("applications:detail", args=[organisation.pk])).status_code == 200
    url = reverse("applications:eligibility", args=[organisation.pk])
    assert client.get(url).status_code == 404
