import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import RoleGrant
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import ReviewDecision, SupplementRequest
from qualityaward.applications.selectors.applications import review_deadline, review_rows
from qualityaward.applications.services import applications as services
from qualityaward.applications.services import reviews
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.documents.models import StoredFile

from ..factories import UserFactory
from .factories import ready_application

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEP_25 = datetime.datetime(2026, 9, 25, 10, 0, tzinfo=SHANGHAI)
SEP_29 = datetime.date(2026, 9, 29)
OCT_9 = datetime.datetime(2026, 10, 9, 16, 0, tzinfo=SHANGHAI)


@pytest.fixture
def office():
    return UserFactory(roles=[Role.OFFICE])


@pytest.fixture
def submitted(call):
    application, user = ready_application(call)
    services.application_submit(application=application, actor=user, now=SEP_25)
    application.refresh_from_db()
    return application, user


def request_supplement(application, office, sections=("self_evaluation",), on=SEP_29):
    return reviews.supplement_request(
        application=application,
        actor=office,
        items=[{"section": s, "note": f"请补充{s}"} for s in sections],
        due_on=datetime.date(2026, 10, 16),
        on=on,
    )


def test_review_deadline_without_pause_is_ten_working_days_after_receipt(submitted):
    application, _user = submitted
    # Received Fri 25 Sep. Counted: 28, 29, 30 Sep; 1–7 Oct off; 8, 9 Oct; Sat 10 Oct
    # worked (调休); 12, 13, 14, 15 Oct → the 10th working day is 15 Oct.
    assert review_deadline(application=application) == datetime.date(2026, 10, 15)


def test_review_deadline_pauses_from_request_to_receipt_across_national_day(submitted, office):
    application, user = submitted
    request_supplement(application, office)
    application.refresh_from_db()
    assert review_deadline(application=application) is None  # paused: awaiting the supplement
    reviews.supplement_submit(application=application, actor=user, now=OCT_9)
    application.refresh_from_db()
    # Day 1: Mon 28 Sep. Paused 29 Sep – 9 Oct (request day to receipt day). Then Sat 10 Oct
    # (worked) is day 2; 12–16 Oct days 3–7; 19, 20, 21 Oct days 8–10.
    assert review_deadline(application=application) == datetime.date(2026, 10, 21)


def test_second_supplement_request_is_refused_citing_article_16(submitted, office):
    application, user = submitted
    request_supplement(application, office)
    reviews.supplement_submit(application=application, actor=user, now=OCT_9)
    application.refresh_from_db()
    with translation.override("zh-hans"), pytest.raises(QualityAwardError) as raised:
        request_supplement(application, office, on=datetime.date(2026, 10, 12))
    assert "第十六条" in raised.value.message
    assert raised.value.code == "supplement_limit"
    assert SupplementRequest.objects.count() == 1
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENTED


def test_supplement_items_read_with_a_chinese_colon_in_chinese(submitted, office):
    application, _user = submitted
    with translation.override("zh-hans"):
        request_supplement(application, office, sections=("self_evaluation", "evidence"))
    decision = ReviewDecision.objects.get()
    assert [reason["text"] for reason in decision.reasons] == [
        "自我评价：请补充self_evaluation",
        "证明材料：请补充evidence",
    ]
    transition = AuditRecord.objects.filter(action="applications.application_transition").last()
    assert transition.changes["reason"].startswith(
        "自我评价：请补充self_evaluation\n证明材料：请补充evidence\n"
    )


def test_supplement_request_needs_items_and_a_later_due_date(submitted, office):
    application, _user = submitted
    with translation.override("en"):
        with pytest.raises(QualityAwardError, match="List everything to supplement"):
            reviews.supplement_request(
                application=application, actor=office, items=[], due_on=datetime.date(2026, 10, 16)
            )
        with pytest.raises(QualityAwardError, match="due after today"):
            reviews.supplement_request(
                application=application,
                actor=office,
                items=[{"section": "form", "note": "电话"}],
                due_on=SEP_29,
                on=SEP_29,
            )
    assert not SupplementRequest.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_supplement_allows_only_the_listed_sections(submitted, office):
    application, user = submitted
    request_supplement(application, office, sections=("self_evaluation",))
    application.refresh_from_db()
    with translation.override("en"), pytest.raises(QualityAwardError, match="Only the items"):
        services.application_form_save(
            application=application,
            version=None,
            actor=user,
            contact_person="李四",
            contact_phone="",
            achievements="",
            key_figures="",
        )
    with pytest.raises(QualityAwardError):
        services.evidence_add(
            application=application,
            version=None,
            actor=user,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
            title="a",
            is_trade_secret=False,
        )
    row = application.self_evaluations.select_related("item").first()
    services.self_evaluation_save(
        application=application, version=None, actor=user, entries={row.item_id: ("补充说明", 80)}
    )
    row.refresh_from_db()
    assert (row.text, row.percent) == ("补充说明", 80)
    application.refresh_from_db()
    assert application.contact_person == "王经理"


def test_supplement_submit_makes_new_snapshot_pdf_and_receipt_suffix(submitted, office):
    application, user = submitted
    request_supplement(application, office)
    row = application.self_evaluations.select_related("item").first()
    services.self_evaluation_save(
        application=application, version=None, actor=user, entries={row.item_id: ("补充", 100)}
    )
    request = reviews.supplement_submit(application=application, actor=user, now=OCT_9)
    assert request.receipt_number == "QA-2026-03-0001-S1"
    assert request.received_on == datetime.date(2026, 10, 9)
    assert request.snapshot["receipt_number"] == "QA-2026-03-0001-S1"
    items = [i for c in request.snapshot["self_evaluation"]["categories"] for i in c["items"]]
    assert items[0]["percent"] == 100
    assert StoredFile.objects.filter(content_type="application/pdf").count() == 2
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENTED
    # The original snapshot is kept as it was submitted.
    original = [
        i for c in application.snapshot["self_evaluation"]["categories"] for i in c["items"]
    ]
    assert original[0]["percent"] == 50


def test_supplement_after_its_due_date_is_refused(submitted, office):
    application, user = submitted
    request_supplement(application, office)
    late = datetime.datetime(2026, 10, 17, 9, 0, tzinfo=SHANGHAI)
    with translation.override("en"), pytest.raises(QualityAwardError, match="due on 2026-10-16"):
        reviews.supplement_submit(application=application, actor=user, now=late)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUPPLEMENT_REQUESTED


def test_review_fail_needs_a_clause_and_tells_the_applicant(
    submitted, office, django_capture_on_commit_callbacks
):
    application, user = submitted
    with translation.override("en"), pytest.raises(QualityAwardError, match="with the clause"):
        reviews.review_fail(
            application=application, actor=office, reasons=[{"clause": "", "text": "材料不实"}]
        )
    with django_capture_on_commit_callbacks(execute=True):
        reviews.review_fail(
            application=application,
            actor=office,
            reasons=[{"clause": "28", "text": "提供虚假材料"}, {"clause": "", "text": "另见附件"}],
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert ReviewDecision.objects.get().reasons == [
        {"clause": "第二十八条", "text": "提供虚假材料"},
        {"clause": "", "text": "另见附件"},
    ]
    assert user.notifications.get().body == "第二十八条 提供虚假材料; 另见附件"


def test_review_pass_after_supplement(submitted, office):
    application, user = submitted
    request_supplement(application, office)
    reviews.supplement_submit(application=application, actor=user, now=OCT_9)
    reviews.review_pass(application=application, actor=office)
    application.refresh_from_db()
    assert application.state == ApplicationState.QUALIFIED
    assert list(application.decisions.values_list("outcome", flat=True)) == ["supplement", "pass"]


def test_review_list_flags_overdue(submitted, office):
    on_time = review_rows(user=office, today=datetime.date(2026, 10, 15))
    late = review_rows(user=office, today=datetime.date(2026, 10, 16))
    assert [(r.deadline, r.overdue) for r in on_time] == [(datetime.date(2026, 10, 15), False)]
    assert [(r.deadline, r.overdue) for r in late] == [(datetime.date(2026, 10, 15), True)]


def test_review_list_page_shows_deadline(client, submitted, office):
    client.force_login(office)
    page = client.get(reverse("applications:review_list"), **EN).content.decode()
    assert "QA-2026-03-0001" in page
    assert "2026-10-15" in page
    assert "Overdue" in page  # today (2026-11 or later) is after the deadline


# --- who sees what -------------------------------------------------------------------------


def department(sector="", area=""):
    user = UserFactory(roles=[Role.DEPARTMENT])
    RoleGrant.objects.filter(user=user).update(sector=sector, area=area)
    return user


def test_department_of_the_sector_sees_status_and_reasons(client, submitted, office):
    application, _user = submitted
    reviews.review_fail(
        application=application,
        actor=office,
        reasons=[{"clause": "12.6", "text": "列入经营异常名录"}],
    )
    client.force_login(department(sector="trade_logistics"))
    page = client.get(
        reverse("applications:application", args=[application.pk]), **EN
    ).content.decode()
    assert "Not qualified" in page
    assert "第十二条第（六）项" in page and "列入经营异常名录" in page
    assert 'id="review-pass"' not in page


@pytest.mark.parametrize("who", ["other_department", "other_applicant"])
def test_others_get_404(client, submitted, who):
    from .factories import OrganisationFactory, applicant_user

    application, _user = submitted
    if who == "other_department":
        user = department(sector="manufacturing")
    else:
        user = applicant_user()
        OrganisationFactory(users=[user])
    client.force_login(user)
    for name in ("application", "application_pdf"):
        response = client.get(reverse(f"applications:{name}", args=[application.pk]))
        assert response.status_code == 404
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 404


def test_department_cannot_decide(client, submitted):
    application, _user = submitted
    client.force_login(department(sector="trade_logistics"))
    response = client.post(reverse("applications:review_pass", args=[application.pk]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_office_requests_supplement_through_the_page_and_applicant_sees_items(
    client, submitted, office
):
    application, user = submitted
    client.force_login(office)
    client.post(
        reverse("applications:review_supplement", args=[application.pk]),
        {"due_on": "2099-01-01", "note_evidence": "请补充近三年审计报告", "note_form": "联系电话"},
    )
    request = SupplementRequest.objects.get()
    assert request.items == [
        {"section": "form", "note": "联系电话"},
        {"section": "evidence", "note": "请补充近三年审计报告"},
    ]
    client.force_login(user)
    page = client.get(
        reverse("applications:application", args=[application.pk]), **EN
    ).content.decode()
    assert "请补充近三年审计报告" in page
    assert "Submit the supplement" in page
