"""Stored conflicts: the refresh after records change, its audit trail, staff interests,
the recusal predicate and the selector behind 404-for-conflicted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from qualityaward.accounts.enums import Role
from qualityaward.core.audit import verify_chain
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.evaluation.conflicts import DeclaredInterest
from qualityaward.evaluation.enums import ConflictKind, ConflictSource
from qualityaward.evaluation.interests import (
    register_interest_source,
    unregister_interest_source,
)
from qualityaward.evaluation.models import Conflict
from qualityaward.evaluation.rules import has_conflict
from qualityaward.evaluation.selectors.conflicts import (
    conflict_pairs,
    conflicted_applicant_ids,
    recusal_years,
)
from qualityaward.evaluation.services.conflicts import (
    conflicts_refresh,
    declaration_add,
    declaration_withdraw,
    group_create,
    group_member_add,
    staff_conflict_end,
    staff_conflict_record,
)
from qualityaward.evaluation.services.experts import (
    employment_add,
    employment_remove,
    employment_update,
)

from ..applications.factories import IndividualFactory, OrganisationFactory, credit_code
from ..factories import UserFactory
from .factories import EmploymentFactory, ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(preset_version):
    """recusal_employment_years = 3 in the shipped rule set."""
    return preset_version


@pytest.fixture
def office():
    return UserFactory(roles=[Role.OFFICE])


def active_conflicts(expert=None):
    conflicts = Conflict.objects.filter(active=True)
    if expert is not None:
        conflicts = conflicts.filter(expert=expert)
    return sorted((c.applicant_id, c.kind, c.source) for c in conflicts)


def test_recusal_years_come_from_the_rule_set(rules):
    assert recusal_years(on=timezone.localdate()) == 3


def test_refresh_without_a_rule_set_is_refused(db, office):
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        conflicts_refresh(actor=office)
    assert caught.value.message == (
        "No active rule set gives the recusal period for former employers: load or activate a "
        "rule set first."
    )


def test_employment_add_finds_the_conflict_and_audits_it(rules, office):
    applicant = OrganisationFactory()
    individual = IndividualFactory(employer=applicant)
    expert = ExpertFactory()
    before = AuditRecord.objects.count()
    employment_add(
        expert=expert,
        organisation=applicant,
        start_date=datetime.date(2018, 4, 1),
        position="质量总监",
        actor=office,
    )
    assert active_conflicts(expert) == [
        (applicant.pk, ConflictKind.EMPLOYMENT, ConflictSource.DERIVED),
        (individual.pk, ConflictKind.EMPLOYMENT, ConflictSource.DERIVED),
    ]
    records = list(AuditRecord.objects.order_by("seq")[before:])
    assert [r.action for r in records] == [
        "evaluation.employment_add",
        "evaluation.conflict_found",
        "evaluation.conflict_found",
    ]
    found = records[1]
    assert found.changes["expert"] == expert.pk
    assert found.changes["applicant"] == applicant.pk
    assert found.changes["kind"] == "employment"
    assert found.changes["source"] == "derived"
    assert verify_chain()[1] is None


def test_refresh_again_changes_nothing_and_writes_no_audit(rules, office):
    applicant = OrganisationFactory()
    expert = ExpertFactory()
    employment_add(
        expert=expert, organisation=applicant, start_date=datetime.date(2018, 4, 1), actor=office
    )
    before = AuditRecord.objects.count()
    result = conflicts_refresh(actor=office)
    assert result.found == []
    assert result.cleared == []
    assert result.active == 1
    assert AuditRecord.objects.count() == before


def test_employment_change_finds_the_new_conflict(rules, office):
    """An expert moves to the applicant's employer: the re-check finds it."""
    old_employer = OrganisationFactory()
    new_employer = OrganisationFactory()
    applicant = IndividualFactory(employer=new_employer)
    expert = ExpertFactory()
    job = EmploymentFactory(
        expert=expert,
        organisation_name=old_employer.name,
        credit_code=old_employer.credit_code,
        start_date=datetime.date(2012, 1, 1),
    )
    conflicts_refresh(actor=office)
    assert applicant.pk not in {a for a, _k, _s in active_conflicts(expert)}
    employment_update(
        employment=job,
        organisation_name=job.organisation_name,
        credit_code=job.credit_code,
        organisation=None,
        start_date=job.start_date,
        end_date=datetime.date(2025, 12, 31),
        position="",
        actor=office,
    )
    employment_add(
        expert=expert, organisation=new_employer, start_date=datetime.date(2026, 1, 1), actor=office
    )
    assert active_conflicts(expert) == sorted(
        [
            (old_employer.pk, ConflictKind.EMPLOYMENT, ConflictSource.DERIVED),
            (new_employer.pk, ConflictKind.EMPLOYMENT, ConflictSource.DERIVED),
            (applicant.pk, ConflictKind.EMPLOYMENT, ConflictSource.DERIVED),
        ]
    )
    found = AuditRecord.objects.filter(action="evaluation.conflict_found").order_by("-seq").first()
    assert found.changes["applicant"] == applicant.pk
    with translation.override("en"):
        conflict = Conflict.objects.get(expert=expert, applicant=applicant)
    assert new_employer.name in conflict.explanation


def test_employment_ending_long_ago_clears_the_conflict_and_audits_it(rules, office):
    applicant = OrganisationFactory()
    expert = ExpertFactory()
    job = employment_add(
        expert=expert, organisation=applicant, start_date=datetime.date(2005, 1, 1), actor=office
    )
    employment_update(
        employment=job,
        organisation_name=job.organisation_name,
        credit_code=job.credit_code,
        organisation=applicant,
        start_date=job.start_date,
        end_date=datetime.date(2015, 1, 1),
        position="",
        actor=office,
    )
    conflict = Conflict.objects.get(expert=expert, applicant=applicant)
    assert conflict.active is False
    assert conflict.cleared_at is not None
    cleared = AuditRecord.objects.get(action="evaluation.conflict_cleared")
    assert cleared.object_id == str(conflict.pk)
    # the stored conflict stays as a record of the recusal
    assert Conflict.objects.filter(expert=expert).count() == 1


def test_employment_remove_clears_the_conflict(rules, office):
    applicant = OrganisationFactory()
    expert = ExpertFactory()
    job = employment_add(
        expert=expert, organisation=applicant, start_date=datetime.date(2020, 1, 1), actor=office
    )
    employment_remove(employment=job, actor=office)
    assert active_conflicts(expert) == []


def test_declaration_by_the_expert_and_its_withdrawal(rules, office):
    applicant = OrganisationFactory()
    expert = ExpertFactory()
    declaration = declaration_add(
        expert=expert,
        kind=ConflictKind.SUPPLIER,
        name=applicant.name,
        credit_code=applicant.credit_code,
        description="本单位的主要供应商",
        actor=expert.user,
    )
    assert active_conflicts(expert) == [
        (applicant.pk, ConflictKind.SUPPLIER, ConflictSource.DECLARED_BY_EXPERT)
    ]
    declaration_withdraw(declaration=declaration, actor=expert.user)
    assert active_conflicts(expert) == []


def test_declaration_must_name_someone(rules, office):
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        declaration_add(expert=ExpertFactory(), kind=ConflictKind.OTHER, actor=office)
    assert (
        caught.value.message == "Name the applicant, organisation or person the relation is with."
    )


def test_group_member_added_by_the_office_finds_group_conflicts(rules, office):
    parent = OrganisationFactory()
    applicant = OrganisationFactory()
    expert = ExpertFactory()
    EmploymentFactory(expert=expert, organisation_name=parent.name, credit_code=parent.credit_code)
    group = group_create(name="某某集团", actor=office)
    group_member_add(group=group, credit_code=parent.credit_code, actor=office)
    assert applicant.pk not in {a for a, _k, _s in active_conflicts(expert)}
    group_member_add(group=group, credit_code=applicant.credit_code, actor=office)
    assert (applicant.pk, ConflictKind.GROUP, ConflictSource.DERIVED) in active_conflicts(expert)


def test_interests_declared_by_the_applicant_come_from_a_registered_source(rules, office):
    applicant = OrganisationFactory()
    expert = ExpertFactory(name="乌日娜")
    consultancy = credit_code(777)
    EmploymentFactory(expert=expert, organisation_name="某咨询公司", credit_code=consultancy)

    def source(applicant_ids):
        return [
            DeclaredInterest(
                applicant_id=applicant.pk,
                relation=ConflictKind.CONSULTING,
                name="某咨询公司",
                credit_code=consultancy,
                ref="test:1",
            )
        ]

    register_interest_source(source)
    try:
        conflicts_refresh(applicants=[applicant], actor=office)
    finally:
        unregister_interest_source(source)
    assert active_conflicts(expert) == [
        (applicant.pk, ConflictKind.CONSULTING, ConflictSource.DECLARED_BY_APPLICANT)
    ]
    # without the source the interest is gone, and so is the conflict
    conflicts_refresh(applicants=[applicant], actor=office)
    assert active_conflicts(expert) == []


def test_refresh_scoped_to_applicants_leaves_other_conflicts_alone(rules, office):
    first, second = OrganisationFactory(), OrganisationFactory()
    expert = ExpertFactory()
    EmploymentFactory(expert=expert, organisation_name=first.name, credit_code=first.credit_code)
    EmploymentFactory(expert=expert, organisation_name=second.name, credit_code=second.credit_code)
    conflicts_refresh(actor=office)
    result = conflicts_refresh(applicants=[first], actor=office, interests=[])
    assert result.cleared == []
    assert len(active_conflicts(expert)) == 2


def test_has_conflict_for_an_expert_and_conflicted_ids(rules, office):
    applicant, other = OrganisationFactory(), OrganisationFactory()
    expert = ExpertFactory()
    employment_add(
        expert=expert, organisation=applicant, start_date=datetime.date(2020, 1, 1), actor=office
    )
    assert has_conflict(expert.user, applicant) is True
    assert has_conflict(expert.user, applicant.pk) is True
    assert has_conflict(expert.user, other) is False
    assert conflicted_applicant_ids(user=expert.user) == {applicant.pk}
    assert conflict_pairs(applicant_ids=[applicant.pk, other.pk]) == {(expert.pk, applicant.pk)}


def test_office_staff_interest_makes_them_recuse(db, office):
    applicant, other = OrganisationFactory(), OrganisationFactory()
    assert has_conflict(office, applicant) is False
    recorded = staff_conflict_record(
        user=office, applicant=applicant, reason="配偶在该企业任职", actor=office
    )
    assert has_conflict(office, applicant) is True
    assert has_conflict(office, other) is False
    assert conflicted_applicant_ids(user=office) == {applicant.pk}
    assert AuditRecord.objects.filter(action="evaluation.staff_conflict_record").count() == 1
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        staff_conflict_record(user=office, applicant=applicant, reason="again", actor=office)
    assert caught.value.message == "This interest is recorded already."
    staff_conflict_end(conflict=recorded, reason="配偶已离职", actor=office)
    assert has_conflict(office, applicant) is False
    assert conflicted_applicant_ids(user=office) == set()


def test_has_conflict_is_false_for_anonymous_and_unrelated_users(db):
    from django.contrib.auth.models import AnonymousUser

    applicant = OrganisationFactory()
    assert has_conflict(AnonymousUser(), applicant) is False
    assert has_conflict(UserFactory(), applicant) is False
    assert conflicted_applicant_ids(user=AnonymousUser()) == set()
