import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant
from qualityaward.applications.enums import CallStatus
from qualityaward.applications.models import Call, CallTemplate
from qualityaward.applications.services import calls as services
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.models import CycleStage
from qualityaward.documents.models import StoredFile
from qualityaward.notifications.models import Notification

from ..factories import UserFactory
from .factories import published_call

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SEP_14 = datetime.date(2026, 9, 14)


def make_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_call_draft_prefills_award_conditions_deadline_and_where_to_submit(cycle):
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    # Ten working days from Monday 14 September 2026, Sunday the 20th being a working day
    # (National Day arrangement): the 24th is the earliest deadline.
    assert call.deadline == datetime.date(2026, 9, 24)
    assert call.status == CallStatus.DRAFT
    assert "二连浩特市市长质量奖" in call.title
    assert "2026-09-24" in call.text
    assert call.where_to_submit in call.text
    # The text is in the site's language (Chinese) and cites the measures.
    assert "（第十条第（一）项）" in call.text
    assert "（第二十八条）" in call.text


def test_call_publish_with_short_deadline_is_refused_citing_the_rule(cycle):
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    call.deadline = datetime.date(2026, 9, 23)
    call.save(update_fields=["deadline"])
    with translation.override("zh-hans"), pytest.raises(QualityAwardError) as raised:
        services.call_publish(call=call, actor="test", on=SEP_14)
    assert "不少于 10 个工作日（第十四条）" in raised.value.message
    assert "2026-09-24" in raised.value.message
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert CycleStage.objects.get(cycle=cycle, code="call").started_on is None


def test_call_publish_records_stage_start_and_notifies_every_department_user(
    cycle, django_capture_on_commit_callbacks
):
    department = UserFactory(roles=[Role.DEPARTMENT])
    RoleGrant.objects.filter(user=department).update(sector="manufacturing")
    other = UserFactory(roles=[Role.APPLICANT])
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    with django_capture_on_commit_callbacks(execute=True):
        services.call_publish(call=call, actor="test", on=SEP_14)
    call.refresh_from_db()
    assert (call.status, call.published_on) == (CallStatus.PUBLISHED, SEP_14)
    assert CycleStage.objects.get(cycle=cycle, code="call").started_on == SEP_14
    assert list(Notification.objects.values_list("recipient", flat=True)) == [department.pk]
    assert not Notification.objects.filter(recipient=other).exists()


def test_call_publish_twice_is_refused(cycle):
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    services.call_publish(call=call, actor="test", on=SEP_14)
    with translation.override("en"), pytest.raises(QualityAwardError, match="already published"):
        services.call_publish(call=call, actor="test", on=SEP_14)


def test_call_pages_office_drafts_and_publish_refusal_is_shown(client, cycle, user_with_role):
    office = user_with_role(Role.OFFICE)
    client.force_login(office)
    response = client.post(reverse("applications:call_create", args=[cycle.pk]), **EN)
    call = Call.objects.get(cycle=cycle)
    assert response.url == reverse("applications:call_edit", args=[call.pk])
    response = client.post(
        reverse("applications:call_edit", args=[call.pk]),
        {
            "title": call.title,
            "text": call.text,
            "where_to_submit": call.where_to_submit,
            "deadline": "2026-11-26",
        },
        **EN,
    )
    call.refresh_from_db()
    assert call.deadline == datetime.date(2026, 11, 26)
    # Published today (2026-11-25 or later), a deadline of 26 November is too short.
    response = client.post(reverse("applications:call_publish", args=[call.pk]), follow=True, **EN)
    assert "working days (Article 14)" in response.content.decode()
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_call_page_gives_the_earliest_deadline_only_while_the_call_is_a_draft(
    client, cycle, user_with_role
):
    client.force_login(user_with_role(Role.OFFICE))
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    url = reverse("applications:call_edit", args=[call.pk])
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    draft = client.get(url, **zh).content.decode()
    # One Chinese sentence: full-width colon and full stop, no English full stop after it.
    assert "申报公告期限：<span" in draft and "</span></span>。</p>" in draft
    assert "</span></span>." not in draft
    assert "如今天发布，截止日期最早为" in draft
    services.call_publish(call=call, actor="test", on=SEP_14)
    published = client.get(url, **zh).content.decode()
    assert "申报公告期限：" in published
    assert "如今天发布" not in published


def test_call_pages_refuse_non_office(client, cycle, user_with_role):
    client.force_login(user_with_role(Role.APPLICANT))
    response = client.post(reverse("applications:call_create", args=[cycle.pk]), **EN)
    assert response.status_code == 403
    assert not Call.objects.exists()


def test_public_calls_list_open_call_with_deadline_and_template_download(client, cycle, media_root):
    call = published_call(cycle)
    services.call_template_add(
        call=call,
        upload=SimpleUploadedFile("申报书模板.pdf", make_pdf()),
        title="申报书模板",
        actor="test",
    )
    response = client.get(reverse("applications:public_calls"), **EN)
    page = response.content.decode()
    assert call.title in page
    assert f"Deadline: {call.deadline:%Y-%m-%d}, 24:00 Beijing time" in page
    template = CallTemplate.objects.get()
    download = client.get(reverse("applications:call_template", args=[call.pk, template.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_portal_home_shows_open_calls_and_hides_closed_ones(client, cycle, demo_version):
    open_call = published_call(cycle)
    response = client.get(reverse("portal:home"), **EN)
    assert open_call.title in response.content.decode()
    Call.objects.filter(pk=open_call.pk).update(deadline=datetime.date(2026, 9, 30))
    response = client.get(reverse("portal:home"), **EN)
    assert open_call.title not in response.content.decode()
    assert "No call for applications is open" in response.content.decode()


def test_call_template_of_a_draft_is_hidden_from_the_public(client, cycle, media_root):
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    services.call_template_add(
        call=call, upload=SimpleUploadedFile("t.pdf", make_pdf()), title="t", actor="test"
    )
    template = CallTemplate.objects.get()
    response = client.get(reverse("applications:call_template", args=[call.pk, template.pk]))
    assert response.status_code == 404


def test_call_template_upload_html_named_pdf_is_refused_and_nothing_stored(
    client, cycle, media_root, user_with_role
):
    call = services.call_draft(cycle=cycle, actor="test", today=SEP_14)
    client.force_login(user_with_role(Role.OFFICE))
    response = client.post(
        reverse("applications:call_template_upload", args=[call.pk]),
        {"title": "x", "file": SimpleUploadedFile("form.pdf", b"<html><body>hi</body></html>")},
        follow=True,
        **EN,
    )
    assert "form.pdf" in response.content.decode()
    assert not StoredFile.objects.exists()
    assert not list(media_root.rglob("*.*"))
