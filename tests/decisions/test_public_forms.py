"""The public comment and objection forms: rate limits, harmless HTML, limits, files, and
that anonymous visitors reach nothing that is not public."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from qualityaward.accounts.enums import Role
from qualityaward.decisions.models import Objection, PublicComment, Winner
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publication as publication_services
from qualityaward.decisions.services import publicity as publicity_services
from qualityaward.decisions.views import public as public_views

from ..factories import UserFactory
from .flow import CLOSED, PUBLISHED, D, hold_meeting, propose, publish_and_close

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]

SCRIPT = '<script>alert("x")</script><b>粗体</b>'


def png(name="evidence.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


@pytest.fixture
def open_publication(evaluated_cycle, applications, fake_results, office, set_today):
    publication = publication_services.results_publish(
        cycle=evaluated_cycle, on=PUBLISHED, actor=office
    )
    set_today(D(2026, 11, 2))
    return publication


def comment_data(application, **extra):
    return {
        "application": application.pk,
        "name": "李四",
        "contact": "13900000000",
        "text": "评审结果合理。",
        **extra,
    }


def url(publication):
    return f"/decisions/public/results/{publication.cycle_id}/"


def comment_url(publication):
    return f"{url(publication)}comment/"


def objection_url(publicity):
    return f"/decisions/public/publicity/{publicity.pk}/objection/"


def test_results_page_shows_only_the_public_fields(open_publication, applications, client):
    body = client.get(url(open_publication)).content.decode()
    assert "二连浩特市甲口岸物流有限公司" in body and "812.40" in body
    assert "2026-10-20" in body and "2026-11-30" in body  # first and last day
    # Not published by the rule set: stage totals, category scores, sector.
    assert "720" not in body and "4.7" not in body and "Trade and logistics" not in body
    assert open_publication.entries[0].keys() == {"application_id", "kind", "name", "total", "rank"}


def with_category_scores(publication, entries=None):
    """The publication as if the rule set published the category scores too."""
    publication.fields = [*publication.fields, "category_scores"]
    publication.entries = [
        {**entry, "category_scores": {"4.7": "300.00", "4.1": "80.00"}}
        for entry in (publication.entries if entries is None else entries)
    ]
    publication.save(update_fields=["fields", "entries"])
    return publication


@pytest.mark.parametrize(
    ("language", "shown"),
    [("zh-hans", "领导：80.00；结果：300.00"), ("en", "Leadership: 80.00; Results: 300.00")],
)
def test_results_page_names_the_categories_in_the_framework_order(
    open_publication, client, language, shown
):
    with_category_scores(open_publication)
    body = client.get(url(open_publication), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert body.count(shown) == 4
    assert "4.1" not in body and "4.7" not in body


def test_results_page_names_the_stages_in_the_rule_set_order(open_publication, client):
    open_publication.fields = [*open_publication.fields, "stage_totals"]
    open_publication.entries = [
        {**entry, "stage_totals": {"site_visit": "700.00", "document_review": "720.00"}}
        for entry in open_publication.entries
    ]
    open_publication.save(update_fields=["fields", "entries"])
    body = client.get(url(open_publication), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert body.count("材料评审：720.00；现场评审：700.00") == 4
    assert "document_review" not in body and "site_visit" not in body


def test_results_page_queries_do_not_grow_with_the_entries(
    open_publication, client, django_assert_num_queries
):
    # Built afresh each time: these writes bypass the services, whose audit record is
    # what versions the page's cache.
    entries = open_publication.entries
    with_category_scores(open_publication, entries[:1])
    client.get(url(open_publication))
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        client.get(url(open_publication))
    with_category_scores(open_publication, entries)
    cache.clear()
    with django_assert_num_queries(len(one)):
        assert "Leadership" in client.get(url(open_publication)).content.decode()


def test_results_page_shows_each_table_a_page_at_a_time(open_publication, client, monkeypatch):
    monkeypatch.setattr(public_views, "RESULTS_PAGE_SIZE", 1)
    names = [e["name"] for e in open_publication.entries if e["kind"] == "organisation"]
    individuals = [e["name"] for e in open_publication.entries if e["kind"] == "individual"]
    assert len(names) >= 2 and individuals

    def page(query=""):
        return client.get(url(open_publication) + query, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    first = page()
    assert names[0] in first and names[1] not in first and individuals[0] in first
    assert f"Page 1 of {len(names)}" in first
    assert 'href="?organisation_page=2&amp;individual_page=1">Next' in first
    second = page("?organisation_page=2")
    assert names[1] in second and names[0] not in second and individuals[0] in second
    assert 'href="?organisation_page=1&amp;individual_page=1">Previous' in second
    # Not a number: the first page; past the end: the last.
    assert names[0] in page("?organisation_page=x")
    assert names[-1] in page("?organisation_page=999")


def test_comment_is_stored_and_linked_to_the_applicant(open_publication, applications, client):
    response = client.post(
        comment_url(open_publication),
        {**comment_data(applications["org_b"]), "evidence": png()},
        follow=True,
    )
    comment = PublicComment.objects.get()
    assert (comment.application, comment.name, comment.evidence.kind) == (
        applications["org_b"],
        "李四",
        "png",
    )
    assert "Thank you" in response.content.decode() or "谢谢" in response.content.decode()


def test_comment_rate_limit_answers_429_after_five_per_hour(open_publication, applications, client):
    for _ in range(5):
        client.post(comment_url(open_publication), comment_data(applications["org_a"]))
    response = client.post(comment_url(open_publication), comment_data(applications["org_a"]))
    assert response.status_code == 429
    assert "at most 5 submissions per hour" in response.content.decode()
    assert PublicComment.objects.count() == 5
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.post(comment_url(open_publication), comment_data(applications["org_a"]))
    assert PublicComment.objects.count() == 6


def test_comment_html_is_shown_harmlessly_to_the_office(
    open_publication, applications, client, office
):
    client.post(
        comment_url(open_publication),
        comment_data(applications["org_a"], text=SCRIPT, name=SCRIPT[:90]),
    )
    assert PublicComment.objects.get().text == SCRIPT
    client.force_login(office)
    body = client.get(f"/decisions/cycles/{open_publication.cycle_id}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;粗体&lt;/b&gt;" in body
    assert "<script>alert" not in body


def test_huge_comment_is_refused_with_the_limit(open_publication, applications, client):
    response = client.post(
        comment_url(open_publication), comment_data(applications["org_a"], text="长" * 5001)
    )
    body = response.content.decode()
    assert "5000" in body and "5001" in body
    assert PublicComment.objects.count() == 0


def test_missing_contact_is_refused_when_the_rule_requires_it(
    open_publication, applications, client
):
    response = client.post(
        comment_url(open_publication), comment_data(applications["org_a"], contact="")
    )
    assert 'id="id_contact_error"' in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_bad_evidence_file_is_refused_with_a_message(open_publication, applications, client):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client.post(
        comment_url(open_publication), {**comment_data(applications["org_a"]), "evidence": fake}
    )
    assert "report.pdf" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_comments_closed_outside_the_period(open_publication, applications, client, set_today):
    set_today(D(2026, 12, 1))
    response = client.post(comment_url(open_publication), comment_data(applications["org_a"]))
    assert PublicComment.objects.count() == 0
    assert "2026-11-30" in response.content.decode() or "closed" in response.content.decode()


def test_anonymous_and_applicants_reach_no_comments_or_evidence(
    open_publication, applications, client
):
    client.post(
        comment_url(open_publication),
        {**comment_data(applications["org_a"], text="机密投诉内容"), "evidence": png()},
    )
    comment = PublicComment.objects.get()
    assert "机密投诉内容" not in client.get(url(open_publication)).content.decode()
    for path in [
        f"/decisions/cycles/{open_publication.cycle_id}/",
        f"/decisions/comments/{comment.pk}/evidence/",
    ]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    applicant = UserFactory(roles=[Role.APPLICANT])
    client.force_login(applicant)
    for path in [
        f"/decisions/cycles/{open_publication.cycle_id}/",
        f"/decisions/comments/{comment.pk}/evidence/",
    ]:
        response = client.get(path)
        assert response.status_code == 404
        assert "机密投诉内容" not in response.content.decode()


def test_working_group_sees_comments_but_not_contacts(
    open_publication, applications, client, members
):
    client.post(
        comment_url(open_publication), comment_data(applications["org_a"], contact="wx:secret-77")
    )
    client.force_login(members[0])
    body = client.get(f"/decisions/cycles/{open_publication.cycle_id}/").content.decode()
    assert "评审结果合理。" in body and "wx:secret-77" not in body


@pytest.fixture
def open_publicity(evaluated_cycle, applications, fake_results, office, members, set_today):
    a = applications
    publish_and_close(evaluated_cycle, office)
    meeting = hold_meeting(
        propose(evaluated_cycle, office, [a["org_a"], a["ind_a"]]),
        office,
        members,
        votes={a["org_a"]: "for", a["ind_a"]: "for"},
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity = publicity_services.publicity_publish(
        cycle=evaluated_cycle, on=D(2026, 12, 3), actor=office
    )
    set_today(D(2026, 12, 7))
    return publicity


def objection_data(winner, **extra):
    return {
        "winner": winner.pk,
        "name": "王五",
        "contact": "wang@example.cn",
        "text": "有异议。",
        **extra,
    }


def test_objection_with_files_is_stored(open_publicity, client):
    winner = Winner.objects.get(kind="organisation")
    body = client.get(f"/decisions/public/publicity/{open_publicity.pk}/").content.decode()
    assert "2026-12-03" in body and "2026-12-11" in body and "二连浩特市甲口岸物流有限公司" in body
    assert objection_url(open_publicity) in body
    client.post(
        objection_url(open_publicity),
        {**objection_data(winner), "evidence": [png("a.png"), png("b.png")]},
    )
    objection = Objection.objects.get()
    assert sorted(f.original_name for f in objection.evidence.all()) == ["a.png", "b.png"]
    assert objection.winner == winner


def test_objection_rate_limit_html_and_limits(open_publicity, client, office):
    winner = Winner.objects.get(kind="individual")
    path = objection_url(open_publicity)
    response = client.post(path, objection_data(winner, text="异" * 5001))
    assert "5001" in response.content.decode()
    response = client.post(path, objection_data(winner, contact=""))
    assert 'id="id_contact_error"' in response.content.decode()
    bad = SimpleUploadedFile("x.docx", b"not a zip", "application/octet-stream")
    response = client.post(path, {**objection_data(winner), "evidence": [bad]})
    assert "x.docx" in response.content.decode()
    assert Objection.objects.count() == 0
    client.post(path, objection_data(winner, text=SCRIPT))
    client.post(path, objection_data(winner))
    response = client.post(path, objection_data(winner))
    assert (
        response.status_code == 429
        and "at most 5 submissions per hour" in response.content.decode()
    )
    assert Objection.objects.count() == 2
    client.force_login(office)
    body = client.get(f"/decisions/cycles/{open_publicity.cycle_id}/").content.decode()
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body and "<script>alert" not in body
    )


def test_approval_waits_for_an_open_objection(open_publicity, client, office, set_today):
    from qualityaward.core.errors import QualityAwardError
    from qualityaward.decisions.services import awards as award_services

    winner = Winner.objects.get(kind="individual")
    client.post(objection_url(open_publicity), objection_data(winner))
    set_today(D(2026, 12, 14))
    with pytest.raises(QualityAwardError, match="under investigation"):
        award_services.approval_record(
            cycle=open_publicity.cycle,
            document_number="X1",
            approved_on=D(2026, 12, 14),
            actor=office,
        )
    publicity_services.objection_decide(
        objection=Objection.objects.get(),
        substantiated=False,
        findings="举报内容与事实不符。",
        actor=office,
    )
    approval = award_services.approval_record(
        cycle=open_publicity.cycle, document_number="X1", approved_on=D(2026, 12, 14), actor=office
    )
    assert approval.document_number == "X1"
    assert set(Winner.objects.values_list("status", flat=True)) == {"approved"}


# --- the public pages' cache ---------------------------------------------------------------


def test_results_page_is_cached_until_a_change_and_then_shows_it(
    evaluated_cycle, applications, fake_results, office, set_today, client
):
    path = f"/decisions/public/results/{evaluated_cycle.pk}/"
    last_day = D(2026, 11, 30)
    set_today(last_day)
    assert "not yet published" in client.get(path).content.decode()
    publication = publication_services.results_publish(
        cycle=evaluated_cycle, on=PUBLISHED, actor=office
    )
    body = client.get(path).content.decode()
    assert "二连浩特市甲口岸物流有限公司" in body and "Write a comment" in body
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    assert not any("resultpublication" in q["sql"] for q in queries.captured_queries)
    publication_services.results_close(publication=publication, on=last_day, actor=office)
    body = client.get(path).content.decode()
    assert "The comment period is closed." in body and "Write a comment" not in body
    body = client.get(comment_url(publication)).content.decode()
    assert "The comment period is closed." in body and "Send the comment" not in body


def test_cached_results_page_keeps_each_language(open_publication):
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url(open_publication)).content.decode()
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(url(open_publication)).content.decode()
    assert "Organisations" in english and "组织" not in english
    assert "组织" in chinese and "Organisations" not in chinese


def test_cached_results_page_gives_each_visitor_a_working_form(open_publication, applications):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(comment_url(open_publication))
    body = second.get(comment_url(open_publication)).content.decode()
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(
        comment_url(open_publication),
        {**comment_data(applications["org_a"]), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert PublicComment.objects.get().application == applications["org_a"]
    # The thanks are shown once, on the results page, to this visitor only.
    thanked = second.get(response["Location"])
    assert "您的意见已收到" in thanked.content.decode()
    assert "X-Accel-Expires" not in thanked
    refused = first.post(
        comment_url(open_publication),
        {**comment_data(applications["org_a"]), "csrfmiddlewaretoken": token},
    )
    assert refused.status_code == 403


def test_cached_publicity_page_drops_a_cancelled_winner(open_publicity, client, office, members):
    winner = Winner.objects.get(kind="organisation")
    path = f"/decisions/public/publicity/{open_publicity.pk}/"
    assert "二连浩特市甲口岸物流有限公司" in client.get(path).content.decode()
    client.post(objection_url(open_publicity), objection_data(winner))
    objection = publicity_services.objection_decide(
        objection=Objection.objects.get(), substantiated=True, findings="属实。", actor=office
    )
    meeting = meeting_services.cancellation_meeting_schedule(
        objection=objection, held_on=D(2026, 12, 7), agenda="审议撤销拟表彰对象", actor=office
    )
    meeting_services.attendance_record(meeting=meeting, present=members, actor=office)
    for member in members:
        meeting_services.vote_cast(
            meeting=meeting,
            member=member,
            application=winner.application,
            choice="for",
            actor=office,
        )
    meeting_services.minutes_record(meeting=meeting, minutes="同意撤销。", actor=office)
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=D(2026, 12, 7))
    body = client.get(path).content.decode()
    assert "二连浩特市甲口岸物流有限公司" not in body
    assert Winner.objects.get(kind="individual").application.applicant.name in body


def test_comment_form_keeps_the_chosen_applicant_and_refuses_one_not_published(
    open_publication, applications, client
):
    chosen = applications["org_b"]
    body = client.post(
        comment_url(open_publication), comment_data(chosen, name="")
    ).content.decode()
    assert f'<option value="{chosen.pk}" selected>{chosen.applicant.name}</option>' in body
    select = body.split('name="application"')[1].split("</select>")[0]
    assert select.count(" selected>") == 1
    unpublished = {**comment_data(chosen), "application": 999999}
    body = client.post(comment_url(open_publication), unpublished).content
    assert "Select a valid choice. 999999 is not one of the available choices." in body.decode()
    assert PublicComment.objects.count() == 0
