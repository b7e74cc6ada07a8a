""" "Approved" has two meanings: a candidate carried by the working group's vote (通过) and
a winner approved by the government (已批准); each reads right in Chinese."""

import pytest
from django.test import Client
from django.utils import translation

from qualityaward.decisions.enums import WinnerStatus
from qualityaward.decisions.services import meetings as meeting_services

from .flow import CLOSED, propose, publish_and_close

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]


def test_the_tally_says_carried_and_the_winner_says_approved(
    evaluated_cycle, applications, fake_results, office, members
):
    publish_and_close(evaluated_cycle, office)
    candidate_list = propose(evaluated_cycle, office, [applications["org_a"]])
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list, held_on=CLOSED, agenda="审议候选名单", actor=office
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(members[0])
    page = client.get(f"/decisions/meetings/{meeting.pk}/").content.decode()
    assert "<th>通过</th>" in page
    assert "已批准" not in page
    with translation.override("zh-hans"):
        assert str(WinnerStatus.APPROVED.label) == "已批准"
    with translation.override("en"):
        assert str(WinnerStatus.APPROVED.label) == "Approved"


def test_public_pages_put_the_kind_in_full_width_parentheses_and_count_objections(
    evaluated_cycle, applications, fake_results, office, members, set_today
):
    from qualityaward.decisions.models import Objection, Winner
    from qualityaward.decisions.services import awards as award_services
    from qualityaward.decisions.services import publicity as publicity_services

    from .flow import D, hold_meeting

    applicant = applications["ind_a"].applicant
    publish_and_close(evaluated_cycle, office)
    meeting = hold_meeting(
        propose(evaluated_cycle, office, [applications["ind_a"]]),
        office,
        members,
        votes={applications["ind_a"]: "for"},
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity = publicity_services.publicity_publish(
        cycle=evaluated_cycle, on=D(2026, 12, 3), actor=office
    )
    set_today(D(2026, 12, 7))
    with translation.override("zh-hans"):
        kind = str(applicant.get_kind_display())
    public = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = public.get(f"/decisions/public/publicity/{publicity.pk}/").content.decode()
    assert (
        f'<strong>{applicant.name}</strong><span class="text-secondary">（{kind}）</span>' in page
    )
    public.post(
        f"/decisions/public/publicity/{publicity.pk}/objection/",
        {
            "winner": Winner.objects.get().pk,
            "name": "王五",
            "contact": "wang@example.cn",
            "text": "有异议。",
        },
    )
    set_today(D(2026, 12, 14))
    with translation.override("en"):
        blockers = award_services.approval_blockers(cycle=evaluated_cycle, on=D(2026, 12, 14))
    assert blockers == ["1 objection is still under investigation."]
    publicity_services.objection_decide(
        objection=Objection.objects.get(), substantiated=False, findings="不实。", actor=office
    )
    award_services.approval_record(
        cycle=evaluated_cycle, document_number="X1", approved_on=D(2026, 12, 14), actor=office
    )
    (award,) = award_services.awards_issue(cycle=evaluated_cycle, on=D(2026, 12, 15), actor=office)
    page = public.get(f"/decisions/public/verify/{award.serial}/").content.decode()
    assert f"{applicant.name}（{kind}）" in page
    assert f"({kind})" not in page
