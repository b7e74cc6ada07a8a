import datetime
import io
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application, Evidence, SelfEvaluation
from qualityaward.applications.services import applications as services
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.documents.models import StoredFile
from qualityaward.documents.pdf import pdf_text, uncovered_characters

from .factories import (
    ComplianceRecordFactory,
    OrganisationFactory,
    applicant_user,
    ready_application,
    results_for,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}


@pytest.fixture
def en():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(call):
    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    application = services.application_start(call=call, applicant=organisation, actor=user)
    return application, user


def section_url(application, section):
    return reverse("applications:application_section", args=[application.pk, section])


def form_data(version, **changes):
    data = {
        "version": version,
        "contact_person": "王经理",
        "contact_phone": "0479-7512345",
        "achievements": "推行卓越绩效模式",
        "key_figures": "营业收入1亿元",
    }
    data.update(changes)
    return data


def make_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- start ---------------------------------------------------------------------------------


def test_start_creates_one_row_per_framework_item(draft):
    application, _user = draft
    assert application.state == ApplicationState.DRAFT
    assert SelfEvaluation.objects.filter(application=application).count() == 23


def test_start_second_application_in_the_cycle_is_refused(draft, en):
    application, user = draft
    with pytest.raises(Conflict, match="already has an application"):
        services.application_start(
            call=application.call, applicant=application.applicant, actor=user
        )
    assert Application.objects.count() == 1


def test_start_by_a_user_of_another_applicant_is_refused(call):
    organisation = OrganisationFactory(users=[applicant_user()])
    with pytest.raises(QualityAwardError):
        services.application_start(call=call, applicant=organisation, actor=applicant_user())
    assert not Application.objects.exists()


# --- autosave and optimistic concurrency -----------------------------------------------------


def test_autosave_section_saves_and_shows_the_time(client, draft):
    application, user = draft
    client.force_login(user)
    response = client.post(section_url(application, "form"), form_data(1), **HTMX)
    page = response.content.decode()
    assert "Saved " in page
    assert 'id="version-form" value="2" hx-swap-oob="true"' in page
    application.refresh_from_db()
    assert (application.contact_person, application.version) == ("王经理", 2)


def test_autosave_from_a_stale_tab_is_refused_and_changes_nothing(client, draft):
    application, user = draft
    client.force_login(user)
    client.post(section_url(application, "form"), form_data(1, key_figures="first tab"), **HTMX)
    response = client.post(
        section_url(application, "form"), form_data(1, key_figures="second tab"), **HTMX
    )
    assert "This draft was changed in another window: reload the page." in response.content.decode()
    application.refresh_from_db()
    assert (application.key_figures, application.version) == ("first tab", 2)


def test_autosave_stale_message_in_chinese(client, draft):
    application, user = draft
    client.force_login(user)
    client.post(section_url(application, "form"), form_data(1), **HTMX)
    response = client.post(
        section_url(application, "form"),
        form_data(1),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    with translation.override("zh-hans"):
        expected = translation.gettext("This draft was changed in another window: reload the page.")
    assert expected in response.content.decode()


def test_self_evaluation_scores_items_and_totals(client, draft):
    application, user = draft
    client.force_login(user)
    rows = list(
        application.self_evaluations.select_related("item").order_by(
            "item__category__order", "item__order"
        )
    )
    first, second = rows[0], rows[1]
    response = client.post(
        section_url(application, "self_evaluation"),
        {
            "version": 1,
            f"item-{first.item_id}-text": "领导作用",
            f"item-{first.item_id}-percent": "55",
            f"item-{second.item_id}-percent": "100",
        },
        **HTMX,
    )
    page = response.content.decode()
    expected_first = first.item.points * 55 / 100
    total = expected_first + second.item.points
    assert (
        f'<span id="item-score-{first.item_id}" hx-swap-oob="true">{expected_first:.1f}</span>'
        in page
    )
    assert f'<td class="text-end" id="score-total">{total:.1f}</td>' in page
    first.refresh_from_db()
    assert (first.text, first.percent) == ("领导作用", 55)


@pytest.mark.parametrize("value", ["7", "105", "-5", "abc"])
def test_self_evaluation_percent_outside_steps_of_5_is_refused(client, draft, value):
    application, user = draft
    client.force_login(user)
    row = application.self_evaluations.select_related("item").first()
    response = client.post(
        section_url(application, "self_evaluation"),
        {"version": 1, f"item-{row.item_id}-percent": value},
        **HTMX,
    )
    assert "must be a percentage from 0 to 100 in steps of 5" in response.content.decode()
    row.refresh_from_db()
    assert row.percent is None
    application.refresh_from_db()
    assert application.version == 1


def test_very_long_text_is_refused_with_the_limit(client, draft):
    application, user = draft
    client.force_login(user)
    response = client.post(
        section_url(application, "form"), form_data(1, achievements="质" * 5001), **HTMX
    )
    assert (
        "Summary of quality achievements may have at most 5000 characters; this one has 5001."
        in response.content.decode()
    )
    application.refresh_from_db()
    assert (application.achievements, application.version) == ("", 1)


def test_contact_name_mixing_scripts_is_refused(client, draft):
    application, user = draft
    client.force_login(user)
    response = client.post(
        section_url(application, "form"), form_data(1, contact_person="王Иван"), **HTMX
    )
    assert "The name mixes scripts" in response.content.decode()
    application.refresh_from_db()
    assert application.contact_person == ""


def test_mongolian_and_long_chinese_texts_are_kept(draft):
    application, user = draft
    services.application_form_save(
        application=application,
        version=1,
        actor=user,
        contact_person="ᠪᠠᠲᠤ",
        contact_phone="+976 1234 5678",
        achievements="质量 quality ᠴᠢᠨᠠᠷ 品質\n" * 100,
        key_figures="",
    )
    application.refresh_from_db()
    assert application.contact_person == "ᠪᠠᠲᠤ"
    assert application.achievements.count("ᠴᠢᠨᠠᠷ") == 100


def test_interests_are_replaced_and_validated(client, draft):
    application, user = draft
    client.force_login(user)
    response = client.post(
        section_url(application, "interests"),
        {
            "version": 1,
            "interest-0-person_name": "张三",
            "interest-0-organisation": "",
            "interest-0-relation": "股东",
            "interest-1-person_name": "",
            "interest-1-organisation": "91152501MA0000001X",
            "interest-1-relation": "供应商",
            "interest-2-person_name": "",
            "interest-2-organisation": "",
            "interest-2-relation": "",
        },
        **HTMX,
    )
    assert "Saved " in response.content.decode()
    assert list(application.interests.values_list("person_name", "organisation", "relation")) == [
        ("张三", "", "股东"),
        ("", "91152501MA0000001X", "供应商"),
    ]
    response = client.post(
        section_url(application, "interests"),
        {"version": 2, "interest-0-person_name": "李四", "interest-0-relation": ""},
        **HTMX,
    )
    assert "Interest 1: describe the relation." in response.content.decode()
    assert application.interests.count() == 2


def test_declarations_accept_only_the_eligibility_attestations(draft, en):
    application, user = draft
    codes = [f.code for f in services.attestations_for(application)]
    assert codes == ["org_policy_and_licences", "org_quality_system", "org_results"]
    with pytest.raises(QualityAwardError, match="Unknown attestation"):
        services.declarations_save(
            application=application, version=1, actor=user, pledge=True, attested=["made_up"]
        )
    services.declarations_save(
        application=application, version=1, actor=user, pledge=True, attested=codes[:1]
    )
    application.refresh_from_db()
    assert (application.pledge, application.attested) == (True, ["org_policy_and_licences"])


def test_application_page_lists_attestations_with_their_clause(client, draft):
    application, user = draft
    client.force_login(user)
    page = client.get(
        reverse("applications:application", args=[application.pk]), **EN
    ).content.decode()
    assert 'name="attested" value="org_quality_system"' in page
    assert "Article 10(2): to be attested" in page
    assert 'hx-trigger="change delay:1s"' in page


# --- evidence uploads ------------------------------------------------------------------------


def upload(client, application, name, data, **extra):
    return client.post(
        reverse("applications:evidence_upload", args=[application.pk]),
        {
            "version": application.version,
            "title": "证据",
            "file": SimpleUploadedFile(name, data),
            **extra,
        },
        follow=True,
        **EN,
    )


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/zeros.xml", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("report.pdf", b"<html><body>not a pdf</body></html>", "report.pdf"),
        ("empty.pdf", b"", "empty.pdf"),
        ("bomb.docx", None, "bomb.docx"),
    ],
    ids=["html-named-pdf", "empty", "zip-bomb"],
)
def test_evidence_refused_upload_shows_the_message_and_stores_nothing(
    client, draft, media_root, name, data, expected
):
    application, user = draft
    client.force_login(user)
    response = upload(client, application, name, zip_bomb() if data is None else data)
    alerts = [m.message for m in response.context["messages"]]
    assert len(alerts) == 1 and expected in alerts[0]
    assert alerts[0] in response.content.decode()
    assert not StoredFile.objects.exists()
    assert not Evidence.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    application.refresh_from_db()
    assert application.version == 1


def test_evidence_oversize_upload_is_refused(client, draft, media_root, settings):
    settings.QA_UPLOAD_MAX_BYTES = 1000
    application, user = draft
    client.force_login(user)
    response = upload(client, application, "big.pdf", make_pdf() + b"%" * 2000)
    alerts = [m.message for m in response.context["messages"]]
    assert len(alerts) == 1 and "big.pdf" in alerts[0]
    assert not StoredFile.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_evidence_upload_stores_with_trade_secret_mark_and_read_is_recorded(
    client, draft, media_root
):
    from qualityaward.core.models import AuditRecord

    application, user = draft
    client.force_login(user)
    response = upload(client, application, "工艺.pdf", make_pdf(), is_trade_secret="on")
    assert "The evidence is uploaded." in response.content.decode()
    evidence = Evidence.objects.get()
    assert evidence.is_trade_secret and evidence.stored_file.is_trade_secret
    assert evidence.stored_file.owner == application
    client.get(reverse("applications:evidence_download", args=[application.pk, evidence.pk]))
    assert AuditRecord.objects.filter(action="documents.file_read").count() == 1


# --- submission ------------------------------------------------------------------------------


def test_submit_makes_snapshot_pdf_with_sha256_and_receipt(call):
    application, user = ready_application(call)
    services.evidence_add(
        application=application,
        version=None,
        actor=user,
        upload=SimpleUploadedFile("质量手册.pdf", make_pdf()),
        title="质量手册",
        is_trade_secret=False,
    )
    services.application_submit(application=application, actor=user)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.receipt_number == "QA-2026-03-0001"
    snapshot = application.snapshot
    assert snapshot["self_evaluation"]["total"] == "500.0"
    assert len([i for c in snapshot["self_evaluation"]["categories"] for i in c["items"]]) == 23
    sha = Evidence.objects.get().stored_file.sha256
    assert snapshot["evidence"][0]["sha256"] == sha
    pdf = application.snapshot_pdf.file.read()
    text = pdf_text(pdf)
    assert sha in text.replace("\n", "")
    assert "QA-2026-03-0001" in text
    assert "推行卓越绩效模式" in text
    assert uncovered_characters(pdf) == set()


def test_receipt_numbers_are_sequential_per_cycle(call):
    first, _first_user = ready_application(call)
    second, second_user = ready_application(call)
    Application.objects.filter(pk=first.pk).update(receipt_seq=6, receipt_number="QA-2026-03-0006")
    services.application_submit(application=second, actor=second_user)
    second.refresh_from_db()
    assert second.receipt_number == "QA-2026-03-0007"


def test_submit_after_the_deadline_is_refused(call, en):
    application, user = ready_application(call)
    after = call.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(QualityAwardError) as raised:
        services.application_submit(application=application, actor=user, now=after)
    assert raised.value.message == (
        f"The call closed at the end of {call.deadline:%Y-%m-%d} (24:00 Beijing time): the "
        "application can no longer be submitted."
    )
    application.refresh_from_db()
    assert (application.state, application.receipt_number) == (ApplicationState.DRAFT, "")


def test_submit_one_second_before_the_deadline_succeeds(call):
    application, user = ready_application(call)
    before = call.closes_at - datetime.timedelta(seconds=1)
    services.application_submit(application=application, actor=user, now=before)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_submit_refused_when_a_check_fails_citing_the_clause(call, en):
    application, user = ready_application(call)
    ComplianceRecordFactory(applicant=application.applicant, occurred_on=datetime.date(2025, 5, 1))
    with pytest.raises(QualityAwardError) as raised:
        services.application_submit(application=application, actor=user)
    assert "Article 12(3): in the 3 years" in raised.value.message
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert not StoredFile.objects.exists()


def test_submit_refused_without_pledge_attestations_and_scores(draft, en):
    application, user = draft
    results_for(application.applicant.organisation, application.call.published_on)
    with pytest.raises(QualityAwardError) as raised:
        services.application_submit(application=application, actor=user)
    message = raised.value.message
    assert "Tick the attestation of 第十条第（二）项." in message
    assert "Tick the truthfulness pledge (第二十八条)." in message
    assert "Give a self-score for every item; missing: 4.1.2, 4.1.3, 4.1.4, 4.2.2," in message


def test_submit_page_shows_problems_before_submission(client, draft):
    application, user = draft
    client.force_login(user)
    page = client.get(
        reverse("applications:application", args=[application.pk]), **EN
    ).content.decode()
    assert "Before you can submit:" in page
    assert "Tick the truthfulness pledge" in page


def test_submitted_application_cannot_change(call, en):
    application, user = ready_application(call)
    services.application_submit(application=application, actor=user)
    with pytest.raises(QualityAwardError, match="can change only through a supplement"):
        services.application_form_save(
            application=application,
            version=None,
            actor=user,
            contact_person="李四",
            contact_phone="",
            achievements="",
            key_figures="",
        )
    application.refresh_from_db()
    assert application.contact_person == "王经理"


def test_two_submissions_of_one_application_only_one_succeeds(call, en):
    """SQLite: the second call runs after the first (the row lock serialises them)."""
    application, user = ready_application(call)
    services.application_submit(application=application, actor=user)
    stale = Application.objects.get(pk=application.pk)
    with pytest.raises(Conflict) as raised:
        services.application_submit(application=stale, actor=user)
    assert raised.value.message == (
        "This application has already been submitted (receipt QA-2026-03-0001)."
    )
    assert StoredFile.objects.count() == 1
    assert Application.objects.get(pk=application.pk).receipt_seq == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_exactly_one_succeeds(cycle, media_root):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (row locks)")
    from django.db import connections

    from .factories import published_call

    application, user = ready_application(published_call(cycle))
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            with translation.override("en"):
                services.application_submit(
                    application=Application.objects.get(pk=application.pk), actor=user
                )
            outcomes.append("ok")
        except Conflict as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "This application has already been submitted (receipt QA-2026-03-0001).",
        "ok",
    ]
    assert StoredFile.objects.filter(content_type="application/pdf").count() == 1


def test_withdraw_a_draft(draft):
    application, user = draft
    services.application_withdraw(application=application, actor=user, reason="明年再申报")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert timezone.now() >= application.updated_at
