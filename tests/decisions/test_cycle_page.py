"""The office's cycle page (A19–A23): each step's form only while the step can be taken."""

import pytest
from django.test import Client
from django.urls import reverse

from qualityaward.decisions.models import Winner
from qualityaward.decisions.services import awards as award_services
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publicity as publicity_services

from .flow import CLOSED, D, hold_meeting, propose, publish_and_close

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]


def cycle_page(client, cycle) -> str:
    response = client.get(reverse("decisions:cycle", args=[cycle.pk]))
    assert response.status_code == 200
    return response.content.decode()


def forms(client, cycle) -> set[str]:
    """Which of the publicity and award forms the page offers."""
    body = cycle_page(client, cycle)
    actions = {
        "publicity": reverse("decisions:publicity_publish", args=[cycle.pk]),
        "awards": reverse("decisions:awards_issue", args=[cycle.pk]),
    }
    return {name for name, action in actions.items() if f'action="{action}"' in body}


def test_publicity_and_award_forms_only_while_their_step_is_open(
    evaluated_cycle, applications, fake_results, office, members, set_today, client
):
    cycle, a = evaluated_cycle, applications
    client.force_login(office)
    publish_and_close(cycle, office)
    assert forms(client, cycle) == set()  # no proposed winner yet
    assert "Not published yet." in cycle_page(client, cycle)

    meeting = hold_meeting(
        propose(cycle, office, [a["org_a"], a["ind_a"]]),
        office,
        members,
        votes={a["org_a"]: "for", a["ind_a"]: "for"},
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    assert forms(client, cycle) == {"publicity"}
    publicity = publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 3), actor=office)
    assert forms(client, cycle) == set()

    # A substantiated objection cancels a winner; the next-ranked one needs a publicity.
    set_today(D(2026, 12, 4))
    objection = publicity_services.objection_submit(
        publicity=publicity,
        winner_id=Winner.objects.get(application=a["org_a"]).pk,
        name="张三",
        contact="13800000000",
        text="该公司有未公开的安全事故",
    )
    publicity_services.objection_decide(
        objection=objection, substantiated=True, findings="经核实属实。", actor=office
    )
    cancel = meeting_services.cancellation_meeting_schedule(
        objection=objection, held_on=D(2026, 12, 14), agenda="审议撤销拟表彰对象", actor=office
    )
    meeting_services.attendance_record(meeting=cancel, present=members, actor=office)
    for member in members:
        meeting_services.vote_cast(
            meeting=cancel, member=member, application=a["org_a"], choice="for", actor=member
        )
    meeting_services.minutes_record(meeting=cancel, minutes="同意撤销。", actor=office)
    meeting_services.meeting_decide(meeting=cancel, actor=office, on=D(2026, 12, 14))
    assert forms(client, cycle) == set()  # the remaining winner is published
    meeting = hold_meeting(
        propose(cycle, office, [a["org_b"]], on=D(2026, 12, 14)),
        office,
        members,
        votes={a["org_b"]: "for"},
        held_on=D(2026, 12, 14),
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=D(2026, 12, 14))
    assert forms(client, cycle) == {"publicity"}
    publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 14), actor=office)
    assert forms(client, cycle) == set()

    set_today(D(2026, 12, 23))
    award_services.approval_record(
        cycle=cycle, document_number="二政字第2号", approved_on=D(2026, 12, 23), actor=office
    )
    assert forms(client, cycle) == {"awards"}
    award_services.awards_issue(cycle=cycle, on=D(2026, 12, 24), actor=office)
    assert forms(client, cycle) == set()
    assert "EHQA-2026-O-01" in cycle_page(client, cycle)


def test_working_group_sees_the_steps_without_their_forms(
    evaluated_cycle, applications, fake_results, office, members, client
):
    cycle, a = evaluated_cycle, applications
    publish_and_close(cycle, office)
    meeting = hold_meeting(
        propose(cycle, office, [a["org_a"]]), office, members, votes={a["org_a"]: "for"}
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    client.force_login(members[0])
    assert forms(client, cycle) == set()
    client.force_login(office)
    assert forms(client, cycle) == {"publicity"}


def test_chinese_page_has_full_width_punctuation_around_translated_text(
    evaluated_cycle, applications, fake_results, office, members
):
    cycle, a = evaluated_cycle, applications
    publish_and_close(cycle, office)
    meeting = hold_meeting(
        propose(cycle, office, [a["org_a"], a["ind_a"]]),
        office,
        members,
        votes={a["org_a"]: "for", a["ind_a"]: "for"},
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(office)
    body = cycle_page(client, cycle)
    assert "组织：名额 1 个，已提出或已批准 1 个" in body
    assert "奖项可以空缺（第三条）" in body
    assert "巴特尔、二连浩特市甲口岸物流有限公司" in body  # the candidate list
    assert "二连浩特市甲口岸物流有限公司（组织）" in body  # the proposed winners
    for ascii_punctuation in ("组织: ", "(第三条)", " (组织)", "有限公司, "):
        assert ascii_punctuation not in body


def test_each_viewer_of_the_shared_page_gets_a_token_that_posts(
    evaluated_cycle, fake_results, office, set_today
):
    """The page's body is rendered once for every viewer with the same permissions; the
    CSRF token in its forms is still each viewer's own, and a form posts with it."""
    import re

    from qualityaward.accounts.enums import Role

    from ..factories import UserFactory

    cycle = evaluated_cycle
    first = Client(enforce_csrf_checks=True)
    first.force_login(office)
    cycle_page(first, cycle)  # the body is rendered and kept
    second = Client(enforce_csrf_checks=True)
    second.force_login(UserFactory(roles=[Role.OFFICE]))
    body = cycle_page(second, cycle)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    set_today(CLOSED)
    url = reverse("decisions:results_publish", args=[cycle.pk])
    assert second.post(url, {"on": "2026-10-20"}).status_code == 403  # no token
    assert second.post(url, {"on": "2026-10-20", "csrfmiddlewaretoken": token}).status_code == 302
    assert "2026-10-20" in cycle_page(second, cycle)  # the publication shows
