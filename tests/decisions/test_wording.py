""""Approved" has two meanings: a candidate carried by the working group's vote (通过) and
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
