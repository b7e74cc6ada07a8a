"""Two-way conduct ratings, misconduct (suspends the expert), the leniency report and
the read-only supervisor (A26, A8)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import award_limits
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.evaluation.leniency import Leniency, leniency, leniency_by
from qualityaward.evaluation.models import (
    ConductRating,
    Conflict,
    Expert,
    ExpertMisconduct,
    RatingDirection,
)
from qualityaward.evaluation.selectors.reports import leniency_report, leniency_rows
from qualityaward.evaluation.services.feedback import conduct_rate, misconduct_record

from ..factories import UserFactory
from .factories import ExpertFactory, make_panel, qualified_application
from .outputs import agreed_panel

pytestmark = pytest.mark.django_db
TO_EXPERT = RatingDirection.APPLICANT_TO_EXPERT
TO_APPLICANT = RatingDirection.EXPERT_TO_APPLICANT


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def owner_of(application):
    user = UserFactory(roles=[Role.APPLICANT])
    application.applicant.users.add(user)
    return user


# --- leniency: pure --------------------------------------------------------------------


def test_leniency_of_a_hand_made_example():
    """Differences +10, -10, +25: mean 25/3 = 8.33, mean absolute 45/3 = 15."""
    assert leniency([(60, 50), (40, 50), (75, 50)]) == Leniency(
        3, Decimal("8.33"), Decimal("15.00")
    )
    assert leniency([]) == Leniency(0, Decimal(0), Decimal(0))
    assert leniency([(45, 50), (50, 50)]) == Leniency(2, Decimal("-2.50"), Decimal("2.50"))
    grouped = leniency_by(
        [("a", 70, 50), ("b", 50, 50), ("a", 30, 50)], lambda r: r[0], lambda r: (r[1], r[2])
    )
    assert grouped == {
        "a": Leniency(2, Decimal("0.00"), Decimal("20.00")),
        "b": Leniency(1, Decimal("0.00"), Decimal("0.00")),
    }


def test_leniency_from_the_database_in_one_query_per_expert_and_cycle(
    cycle, django_assert_num_queries, user_with_role
):
    """A scored 4.1.2 at 60 and B at 70, agreed 65; the other 22 items 40 by both and
    agreed 40: A is -5/23 = -0.22 (absolute 0.22), B +0.22."""
    _application, _panel, _result, (first, second) = agreed_panel(cycle)
    office = user_with_role(Role.OFFICE)
    award_limits(office)  # the user's grants are read once per request
    with django_assert_num_queries(1):
        rows = leniency_rows(user=office)
    experts = {e.expert_id: e for e in leniency_report(rows)}
    assert experts[first.expert_id].overall == Leniency(23, Decimal("-0.22"), Decimal("0.22"))
    assert experts[second.expert_id].overall == Leniency(23, Decimal("0.22"), Decimal("0.22"))
    assert experts[first.expert_id].cycles == [(cycle.name, experts[first.expert_id].overall)]
    drill = leniency_rows(user=office, expert_id=second.expert_id)
    assert len(drill) == 23
    row = next(r for r in drill if r["item__code"] == "4.1.2")
    assert (row["percent"], row["agreed"]) == (70, 65)


# --- ratings -----------------------------------------------------------------------------


def test_ratings_are_1_to_5_once_per_member_and_direction_after_the_stage(cycle):
    application, _panel, _result, (first, _second) = agreed_panel(cycle)
    owner = owner_of(application)
    for bad in (0, 6, "x", "", True):
        with pytest.raises(QualityAwardError) as error:
            conduct_rate(member=first, direction=TO_EXPERT, score=bad, actor=owner)
        assert error.value.code == "invalid_score"
    rating = conduct_rate(
        member=first, direction=TO_EXPERT, score="4", comment=" 准时、公正 ", actor=owner
    )
    assert (rating.score, rating.comment, rating.rated_by) == (4, "准时、公正", owner)
    with pytest.raises(QualityAwardError) as error:
        conduct_rate(member=first, direction=TO_EXPERT, score=5, actor=owner)
    assert error.value.code == "rated"
    # the expert rates the applicant's cooperation: another direction, allowed once too
    conduct_rate(member=first, direction=TO_APPLICANT, score=5, actor=first.expert.user)
    with pytest.raises(NotAllowed):  # an expert cannot rate on another's seat
        conduct_rate(member=first, direction=TO_APPLICANT, score=5, actor=_second.expert.user)
    assert list(
        ConductRating.objects.order_by("pk").values_list("direction", "score", "rated_by")
    ) == [(TO_EXPERT, 4, owner.pk), (TO_APPLICANT, 5, first.expert.user_id)]
    assert AuditRecord.objects.filter(action="evaluation.conduct_rate").count() == 2


def test_no_rating_before_the_member_has_submitted(cycle):
    application = qualified_application(cycle)
    panel = make_panel(application, [ExpertFactory(), ExpertFactory()])
    member = panel.members.select_related("expert__user").first()
    owner = owner_of(application)
    with pytest.raises(NotAllowed):
        conduct_rate(member=member, direction=TO_EXPERT, score=3, actor=owner)
    with pytest.raises(NotAllowed):
        conduct_rate(member=member, direction=TO_APPLICANT, score=3, actor=member.expert.user)
    assert (
        client_for(owner).get(reverse("evaluation:member_rate", args=[member.pk])).status_code
        == 404
    )
    assert not ConductRating.objects.exists()


def test_rating_pages_for_the_applicant_and_the_expert_and_404_for_others(cycle):
    application, _panel, _result, (first, second) = agreed_panel(cycle)
    owner = owner_of(application)
    url = reverse("evaluation:member_rate", args=[first.pk])
    feedback = client_for(owner).get(
        reverse("evaluation:application_feedback", args=[application.pk])
    )
    assert url in feedback.content.decode()
    response = client_for(owner).post(url, {"score": "2", "comment": "迟到半小时"})
    assert response.status_code == 302
    page = client_for(owner).get(url).content.decode()
    assert "You rated 2 / 5" in page
    expert = client_for(first.expert.user)
    page = expert.get(reverse("evaluation:member", args=[first.pk])).content.decode()
    assert f'<a href="{url}">Rate the applicant\'s cooperation</a>' in page
    assert expert.post(url, {"score": "5"}).status_code == 302
    assert expert.post(url, {"score": "1"}).status_code == 400  # once only
    assert list(
        ConductRating.objects.order_by("pk").values_list("direction", "score", "comment")
    ) == [(TO_EXPERT, 2, "迟到半小时"), (TO_APPLICANT, 5, "")]
    stranger = owner_of(qualified_application(cycle))
    assert client_for(stranger).post(url, {"score": "1"}).status_code == 404
    Conflict.objects.create(
        expert=second.expert,
        applicant=application.applicant,
        kind="consulting",
        source="declaration",
        basis="咨询",
        explanation="曾提供咨询",
        detected_at=timezone.now(),
    )
    conflicted = client_for(second.expert.user)
    assert conflicted.get(reverse("evaluation:member_rate", args=[second.pk])).status_code == 404
    assert ConductRating.objects.count() == 2


# --- misconduct and the supervisor ---------------------------------------------------------


def test_misconduct_suspends_the_expert_in_the_same_transaction(cycle):
    office = UserFactory(roles=[Role.OFFICE])
    expert = ExpertFactory()
    with pytest.raises(QualityAwardError):
        misconduct_record(expert=expert, description="  ", actor=office)
    assert Expert.objects.get(pk=expert.pk).status == "active"
    record = misconduct_record(
        expert=expert, description="收受申报单位礼品", evidence="照片两张", actor=office
    )
    expert.refresh_from_db()
    assert (expert.status, record.evidence) == ("suspended", "照片两张")
    assert "收受申报单位礼品" in expert.status_reason
    actions = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["evaluation.misconduct_record", "evaluation.expert_suspend"]
    # a second record keeps the expert suspended
    misconduct_record(expert=expert, description="再次违规", actor=office)
    assert ExpertMisconduct.objects.filter(expert=expert).count() == 2
    with pytest.raises(NotAllowed):
        misconduct_record(
            expert=expert, description="x", actor=UserFactory(roles=[Role.SUPERVISOR])
        )


def test_office_records_misconduct_on_the_oversight_page(cycle):
    office = UserFactory(roles=[Role.OFFICE])
    expert = ExpertFactory()
    client = client_for(office)
    assert "Record and suspend" in client.get(reverse("evaluation:oversight")).content.decode()
    response = client.post(
        reverse("evaluation:misconduct_new"), {"expert": expert.pk, "description": "泄露评分"}
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.status == "suspended"
    assert "泄露评分" in client.get(reverse("evaluation:oversight")).content.decode()


def test_supervisor_reads_the_oversight_pages_and_no_post_succeeds(cycle):
    application, _panel, _result, (first, _second) = agreed_panel(cycle)
    owner = owner_of(application)
    conduct_rate(member=first, direction=TO_EXPERT, score=3, comment="基本准时", actor=owner)
    supervisor = client_for(UserFactory(roles=[Role.SUPERVISOR]))
    page = supervisor.get(reverse("evaluation:oversight")).content.decode()
    assert "基本准时" in page and first.expert.name in page
    assert "Record and suspend" not in page
    leniency_page = supervisor.get(reverse("evaluation:leniency")).content.decode()
    assert first.expert.name in leniency_page and "-0.22" in leniency_page
    drill = supervisor.get(reverse("evaluation:leniency_expert", args=[first.expert_id]))
    assert "4.1.2" in drill.content.decode()
    assert supervisor.get(reverse("evaluation:conflicts")).status_code == 200
    records, ratings = AuditRecord.objects.count(), ConductRating.objects.count()
    statuses = [
        supervisor.post(
            reverse("evaluation:misconduct_new"), {"expert": first.expert_id, "description": "x"}
        ).status_code,
        supervisor.post(reverse("evaluation:oversight")).status_code,
        supervisor.post(reverse("evaluation:leniency")).status_code,
        supervisor.post(reverse("evaluation:leniency_expert", args=[first.expert_id])).status_code,
        supervisor.post(
            reverse("evaluation:member_rate", args=[first.pk]), {"score": "1"}
        ).status_code,
    ]
    assert statuses == [403, 405, 405, 405, 404]
    assert (AuditRecord.objects.count(), ConductRating.objects.count()) == (records, ratings)
    assert not ExpertMisconduct.objects.exists()
    assert Expert.objects.get(pk=first.expert_id).status == "active"


def test_oversight_is_refused_to_experts_and_applicants(cycle):
    for role in (Role.EXPERT, Role.APPLICANT, Role.WORKING_GROUP):
        client = client_for(UserFactory(roles=[role]))
        assert client.get(reverse("evaluation:oversight")).status_code == 403
        assert client.get(reverse("evaluation:leniency")).status_code == 403
