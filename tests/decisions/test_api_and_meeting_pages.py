"""The API (public results, verification, ranking, votes) and the meeting page."""

import lxml.html
import pytest

from qualityaward.accounts.enums import Role
from qualityaward.decisions.models import Vote
from qualityaward.decisions.services import meetings as meeting_services

from ..factories import UserFactory
from .flow import CLOSED, PUBLISHED, propose, publish_and_close

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]


@pytest.fixture
def meeting(evaluated_cycle, applications, fake_results, office, members):
    publish_and_close(evaluated_cycle, office)
    candidate_list = propose(evaluated_cycle, office, [applications["org_a"]])
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list, held_on=CLOSED, agenda="审议候选名单", actor=office
    )
    meeting_services.attendance_record(meeting=meeting, present=members[:5], actor=office)
    return meeting


def test_api_public_results_hold_only_public_fields(
    evaluated_cycle, applications, fake_results, office, client
):
    from qualityaward.decisions.services import publication as publication_services

    publication_services.results_publish(cycle=evaluated_cycle, on=PUBLISHED, actor=office)
    data = client.get(f"/api/v1/decisions/results/{evaluated_cycle.pk}/").json()
    assert data["fields"] == ["name", "total", "rank"]
    assert data["first_day"] == "2026-10-20" and data["last_day"] == "2026-11-30"
    assert {tuple(sorted(e)) for e in data["entries"]} == {
        ("application_id", "kind", "name", "rank", "total")
    }


def test_api_ranking_is_for_office_and_working_group_only(
    evaluated_cycle, applications, fake_results, office, members, client
):
    path = f"/api/v1/decisions/cycles/{evaluated_cycle.pk}/ranking/"
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    assert client.get(path).status_code == 404
    client.force_login(members[0])
    rows = client.get(path).json()
    assert [(r["name"], r["rank"]) for r in rows if r["kind"] == "organisation"] == [
        ("二连浩特市甲口岸物流有限公司", 1),
        ("二连浩特市乙商贸有限公司", 2),
    ]


def test_api_member_casts_own_vote_and_office_records_one(meeting, members, office, client):
    application_id = meeting.candidates.get().application_id
    path = f"/api/v1/decisions/meetings/{meeting.pk}/votes/"
    client.force_login(members[0])
    data = client.post(path, {"application": application_id, "choice": "for"}).json()
    assert data["votes"] == [
        {"member": members[0].pk, "application": application_id, "choice": "for"}
    ]
    client.force_login(office)
    client.post(
        path,
        {"application": application_id, "choice": "against", "member": members[1].pk},
        content_type="application/json",
    )
    assert Vote.objects.get(member=members[1]).recorded_by == office
    # A member cannot vote for another member.
    client.force_login(members[2])
    response = client.post(
        path,
        {"application": application_id, "choice": "for", "member": members[3].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Vote.objects.filter(member=members[3]).exists()


def test_api_verification_unknown_serial_is_404(client, db):
    response = client.get("/api/v1/decisions/verify/EHQA-2026-O-77/")
    assert response.status_code == 404 and "detail" in response.json()


def test_meeting_page_member_votes_and_recuses(meeting, members, client):
    client.force_login(members[0])
    page = client.get(f"/decisions/meetings/{meeting.pk}/").content.decode()
    assert "审议候选名单" in page and "二连浩特市甲口岸物流有限公司" in page
    application_id = meeting.candidates.get().application_id
    client.post(
        f"/decisions/meetings/{meeting.pk}/vote/", {"application": application_id, "choice": "for"}
    )
    assert Vote.objects.get(member=members[0]).choice == "for"
    client.force_login(members[1])
    client.post(
        f"/decisions/meetings/{meeting.pk}/recusal/",
        {"application": application_id, "reason": "亲属在该公司任职"},
    )
    assert meeting.recusals.get().member == members[1]
    response = client.post(
        f"/decisions/meetings/{meeting.pk}/vote/",
        {"application": application_id, "choice": "for"},
        follow=True,
    )
    assert "recused" in response.content.decode() or "回避" in response.content.decode()
    assert not Vote.objects.filter(member=members[1]).exists()


def vote_forms(client, meeting) -> dict[str, list[str]]:
    """The vote forms of the meeting page by whose they are ("own" or the member's id),
    each with the choice it shows selected."""
    page = lxml.html.fromstring(client.get(f"/decisions/meetings/{meeting.pk}/").content)
    forms: dict[str, list[str]] = {}
    for form in page.xpath(f'//form[@action="/decisions/meetings/{meeting.pk}/vote/"]'):
        member = form.xpath('.//input[@name="member"]/@value')
        forms.setdefault(member[0] if member else "own", []).extend(
            form.xpath('.//select[@name="choice"]/option[@selected]/@value') or ["(first)"]
        )
    return forms


def test_meeting_page_shows_the_vote_cast_and_no_form_after_a_recusal(
    meeting, members, office, client
):
    application_id = meeting.candidates.get().application_id
    vote = f"/decisions/meetings/{meeting.pk}/vote/"
    client.force_login(members[0])
    assert vote_forms(client, meeting)["own"] == ["(first)"]
    client.post(vote, {"application": application_id, "choice": "abstain"})
    assert vote_forms(client, meeting)["own"] == ["abstain"]
    client.post(vote, {"application": application_id, "choice": "against"})
    assert vote_forms(client, meeting)["own"] == ["against"]

    # The office records votes on the members' behalf: each form shows the vote recorded.
    client.force_login(office)
    forms = vote_forms(client, meeting)
    assert forms[str(members[0].pk)] == ["against"]
    assert forms[str(members[1].pk)] == ["(first)"]

    # A member who recused sees that instead of a form the service would refuse.
    client.force_login(members[1])
    client.post(
        f"/decisions/meetings/{meeting.pk}/recusal/",
        {"application": application_id, "reason": "亲属在该公司任职"},
    )
    assert "own" not in vote_forms(client, meeting)


def test_meeting_page_is_404_for_applicants_and_experts(meeting, client):
    for role in (Role.APPLICANT, Role.EXPERT):
        client.force_login(UserFactory(roles=[role]))
        response = client.get(f"/decisions/meetings/{meeting.pk}/")
        assert response.status_code == 404 and "审议候选名单" not in response.content.decode()


def test_portal_home_links_open_results_archive_and_verification(
    evaluated_cycle, applications, fake_results, office, client, set_today
):
    from qualityaward.decisions.services import publication as publication_services

    publication_services.results_publish(cycle=evaluated_cycle, on=PUBLISHED, actor=office)
    set_today(PUBLISHED)
    body = client.get("/").content.decode()
    assert f'href="/decisions/public/results/{evaluated_cycle.pk}/"' in body
    assert 'href="/decisions/public/archive/"' in body
    assert 'action="/decisions/public/verify/"' in body
    set_today(CLOSED)
    assert (
        f"/decisions/public/results/{evaluated_cycle.pk}/" not in client.get("/").content.decode()
    )
