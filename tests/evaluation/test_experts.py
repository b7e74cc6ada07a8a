"""The expert pool: profiles, supervision (A8), and the pool as solver input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.evaluation.assignment import ExpertInput, assign_optimal
from qualityaward.evaluation.enums import ExpertStatus
from qualityaward.evaluation.selectors.experts import assignable_experts, expert_inputs
from qualityaward.evaluation.services.experts import (
    expert_create,
    expert_reinstate,
    expert_suspend,
    expert_update,
    qualification_add,
)

from ..factories import UserFactory
from .factories import AgencyFactory, ExpertFactory, QualificationFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 10, 1)


@pytest.fixture
def office():
    return UserFactory(roles=[Role.OFFICE])


def test_expert_create_needs_the_expert_role(office):
    agency = AgencyFactory()
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        expert_create(agency=agency, user=UserFactory(), name="李四", actor=office)
    assert caught.value.message == "Only a user with the expert role can be added to the pool."


def test_expert_create_stores_the_profile_and_audits(office):
    agency = AgencyFactory()
    user = UserFactory(roles=[Role.EXPERT])
    expert = expert_create(
        agency=agency,
        user=user,
        name=" 李四 ",
        expertise="食品安全",
        sectors=["energy", "manufacturing", "energy"],
        actor=office,
    )
    expert.refresh_from_db()
    assert (expert.name, expert.sectors, expert.agency_id) == (
        "李四",
        ["energy", "manufacturing"],
        agency.pk,
    )
    record = AuditRecord.objects.get(action="evaluation.expert_create")
    assert record.changes["sectors"] == ["energy", "manufacturing"]


def test_expert_update_refuses_an_unknown_sector(office):
    expert = ExpertFactory()
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        expert_update(
            expert=expert,
            name=expert.name,
            expertise="",
            sectors=["mining"],
            available_from=None,
            available_until=None,
            actor=office,
        )
    assert caught.value.message == "Unknown sector: mining."


def test_suspension_is_audited_and_excludes_the_expert_from_the_pool(office):
    kept = ExpertFactory(sectors=["energy"])
    suspended = ExpertFactory(sectors=["energy"])
    expert_suspend(expert=suspended, reason="评审中收受礼品", actor=office)
    suspended.refresh_from_db()
    assert suspended.status == ExpertStatus.SUSPENDED
    assert suspended.status_reason == "评审中收受礼品"
    assert suspended.status_changed_by == office
    record = AuditRecord.objects.get(action="evaluation.expert_suspend")
    assert record.changes == {"status": ["active", "suspended"], "reason": "评审中收受礼品"}
    assert list(assignable_experts(on=ON)) == [kept]
    assert [e.id for e in expert_inputs(on=ON)] == [kept.pk]


def test_suspended_expert_is_never_assigned(office):
    from qualityaward.evaluation.assignment import ApplicationInput

    experts = [ExpertFactory(sectors=["energy"]) for _ in range(3)]
    expert_suspend(expert=experts[1], reason="违规", actor=office)
    result = assign_optimal(
        applications=[ApplicationInput(1, "energy"), ApplicationInput(2, "energy")],
        experts=expert_inputs(on=ON),
        conflicts=set(),
        panel_size=2,
        load_cap=2,
    )
    assert result.panels == {1: (experts[0].pk, experts[2].pk), 2: (experts[0].pk, experts[2].pk)}


def test_reinstate_needs_a_suspended_expert(office):
    expert = ExpertFactory()
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        expert_reinstate(expert=expert, reason="恢复", actor=office)
    assert caught.value.message == "The expert is active already."
    expert_suspend(expert=expert, reason="暂停", actor=office)
    expert_reinstate(expert=expert, reason="调查结束", actor=office)
    assert [e.pk for e in assignable_experts(on=ON)] == [expert.pk]


def test_unavailable_expert_is_left_out_of_the_pool():
    available = ExpertFactory(available_until=ON)
    ExpertFactory(available_until=ON - datetime.timedelta(days=1))
    ExpertFactory(available_from=ON + datetime.timedelta(days=1))
    assert [e.pk for e in assignable_experts(on=ON)] == [available.pk]


def test_expert_inputs_carry_sectors_level_and_load(office):
    expert = ExpertFactory(sectors=["energy", "construction"])
    QualificationFactory(expert=expert, kind="registered_auditor")
    QualificationFactory(expert=expert, kind="national_examiner", valid_until=ON)
    QualificationFactory(
        expert=expert, kind="provincial_examiner", valid_until=ON - datetime.timedelta(days=1)
    )
    assert expert_inputs(on=ON, loads={expert.pk: 3}) == [
        ExpertInput(expert.pk, frozenset({"energy", "construction"}), 4, 3)
    ]
    after = ON + datetime.timedelta(days=1)
    assert expert_inputs(on=after)[0].qualification_level == 1


def test_another_qualification_needs_a_title(office):
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        qualification_add(expert=ExpertFactory(), kind="other", actor=office)
    assert caught.value.message == "Give the qualification's title."
