"""The ranking page (A20) at any size: each kind paged, read from the stored standings,
and the proposal form only while a quota is open."""

from dataclasses import replace

import pytest
from django.urls import reverse

from qualityaward.decisions.services import meetings as meeting_services

from .conftest import store_standing
from .flow import CLOSED, PUBLISHED, hold_meeting, propose, publish_and_close

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]

ORG_A, ORG_B = "二连浩特市甲口岸物流有限公司", "二连浩特市乙商贸有限公司"
IND_A, IND_B = "巴特尔", "乌云其其格"


def ranking_page(client, cycle, query=""):
    response = client.get(reverse("decisions:cycle", args=[cycle.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_each_kind_is_paged_on_its_own(client, office, evaluated_cycle, fake_results, monkeypatch):
    monkeypatch.setattr("qualityaward.decisions.views.office.RANKING_PAGE_SIZE", 1)
    client.force_login(office)

    first = ranking_page(client, evaluated_cycle)
    assert ORG_A in first and IND_A in first
    assert ORG_B not in first and IND_B not in first
    assert "organisation_page=2" in first and "individual_page=2" in first

    second = ranking_page(client, evaluated_cycle, "?organisation_page=2&individual_page=1")
    assert ORG_B in second and IND_A in second
    assert ORG_A not in second and IND_B not in second
    # The other kind's link keeps this kind's page.
    assert "organisation_page=2&amp;individual_page=2" in second


def test_a_page_past_the_end_shows_the_last_page(
    client, office, evaluated_cycle, fake_results, monkeypatch
):
    monkeypatch.setattr("qualityaward.decisions.views.office.RANKING_PAGE_SIZE", 1)
    client.force_login(office)
    body = ranking_page(client, evaluated_cycle, "?organisation_page=9&individual_page=x")
    assert ORG_B in body and ORG_A not in body
    assert IND_A in body and IND_B not in body
    body = ranking_page(client, evaluated_cycle, f"?organisation_page=-1&individual_page={10**30}")
    assert ORG_B in body and ORG_A not in body
    assert IND_B in body and IND_A not in body


def test_unranked_applicants_follow_the_ranked_ones_across_pages(
    client, office, evaluated_cycle, fake_results, monkeypatch
):
    """Organisation A has no weighted total yet and B stopped below a threshold: both
    are listed after the ranked ones, without a rank, by id."""
    monkeypatch.setattr("qualityaward.decisions.views.office.RANKING_PAGE_SIZE", 1)
    client.force_login(office)
    store_standing(replace(fake_results["org_a"], weighted_total=None))
    store_standing(replace(fake_results["org_b"], stopped_at="document_review"))

    first = ranking_page(client, evaluated_cycle)
    assert ORG_A in first and ORG_B not in first
    second = ranking_page(client, evaluated_cycle, "?organisation_page=2")
    assert ORG_B in second and ORG_A not in second
    assert "790.10" in second  # its total is shown, it has no rank
    individuals = ranking_page(client, evaluated_cycle, "?individual_page=2")
    assert IND_B in individuals and "<td>2</td>" in individuals


def test_candidates_only_of_a_kind_whose_quota_is_open(
    client, office, members, evaluated_cycle, applications, fake_results
):
    client.force_login(office)
    publish_and_close(evaluated_cycle, office)
    a = applications
    candidate_list = propose(evaluated_cycle, office, [a["org_a"]])
    body = ranking_page(client, evaluated_cycle)
    assert f'value="{a["org_b"].pk}"' in body and f'value="{a["ind_a"].pk}"' in body

    meeting = hold_meeting(candidate_list, office, members, votes={a["org_a"]: "for"})
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)

    # The organisation's quota (1) is taken; individuals can still be proposed.
    body = ranking_page(client, evaluated_cycle)
    assert f'value="{a["org_b"].pk}"' not in body
    assert f'value="{a["ind_a"].pk}"' in body
    assert "Propose the ticked candidates" in body


def test_no_proposal_form_once_every_quota_is_taken(
    client, office, members, evaluated_cycle, applications, fake_results
):
    client.force_login(office)
    publish_and_close(evaluated_cycle, office)
    a = applications
    candidate_list = propose(evaluated_cycle, office, [a["org_a"], a["ind_a"]])
    meeting = hold_meeting(
        candidate_list, office, members, votes={a["org_a"]: "for", a["ind_a"]: "for"}
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)

    body = ranking_page(client, evaluated_cycle)
    assert 'name="application"' not in body
    assert "Propose the ticked candidates" not in body
    assert ORG_A in body and IND_A in body


def test_no_proposal_form_before_there_is_anyone_to_rank(client, office, evaluated_cycle):
    client.force_login(office)
    body = ranking_page(client, evaluated_cycle)
    assert "Propose the ticked candidates" not in body


def test_each_row_names_the_comments_about_it_except_rejected_ones(
    client, office, evaluated_cycle, applications, fake_results, set_today
):
    from qualityaward.decisions.services import publication as publication_services

    publication = publication_services.results_publish(
        cycle=evaluated_cycle, on=PUBLISHED, actor=office
    )
    set_today(PUBLISHED)
    about_a = [
        publication_services.comment_submit(
            publication=publication,
            application_id=applications["org_a"].pk,
            name="张三",
            contact="13800000000",
            text=text,
        )
        for text in ("该公司产品质量投诉较多", "广告")
    ]
    publication_services.comment_moderate(comment=about_a[1], status="rejected_spam", actor=office)
    client.force_login(office)

    body = ranking_page(client, evaluated_cycle)
    comments_list, ranking = body.split("2. Ranking and candidate list")
    assert "广告" in comments_list and "Rejected as spam" in comments_list
    rows = {name: row for row in ranking.split("<tr>") for name in (ORG_A, ORG_B) if name in row}
    assert "Awaiting moderation" in rows[ORG_A] and "Rejected as spam" not in rows[ORG_A]
    assert "Awaiting moderation" not in rows[ORG_B]


def test_rows_seen_before_show_a_comment_handled_since(
    client, office, evaluated_cycle, applications, fake_results, set_today
):
    """The rows are kept between views: a comment accepted and handled after a view
    shows in the next one (the comments list above them is read on every view)."""
    from qualityaward.decisions.services import publication as publication_services

    publication = publication_services.results_publish(
        cycle=evaluated_cycle, on=PUBLISHED, actor=office
    )
    set_today(PUBLISHED)
    comment = publication_services.comment_submit(
        publication=publication,
        application_id=applications["org_a"].pk,
        name="张三",
        contact="13800000000",
        text="该公司产品质量投诉较多",
    )
    client.force_login(office)

    def row_of_org_a() -> str:
        ranking = ranking_page(client, evaluated_cycle).split("2. Ranking and candidate list")[1]
        return next(row for row in ranking.split("<tr>") if ORG_A in row)

    assert "Awaiting moderation" in row_of_org_a()
    publication_services.comment_moderate(comment=comment, status="accepted", actor=office)
    publication_services.comment_handle(
        comment=comment, outcome="verified_concern", outcome_text="已核实", actor=office
    )
    row = row_of_org_a()
    assert "Verified concern" in row and "Awaiting moderation" not in row
