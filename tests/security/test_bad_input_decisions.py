"""Bad input on the forms after the evaluation: the public comment and objection forms,
the moderation and handling of comments, the working group's meeting and votes, the
government's approval (A19-A23); and the supervision forms: fund-use reports and
ratings, follow-up visits, revocation cases and their steps, misuse reports (A24-A33).

Same checks as tests/security/test_bad_input.py (the `refused` fixture): a clear
message, a 4xx or the form again, rows, audit records and files as before, and nothing
typed comes back unescaped."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.services import stage_end, stage_start
from qualityaward.decisions.models import CandidateList
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publication as publication_services
from qualityaward.decisions.services import publicity as publicity_services
from qualityaward.supervision.enums import MisuseKind, RevocationKind
from qualityaward.supervision.services import funds, honour, revocation

from ..applications.factories import OrganisationFactory, published_call
from ..authz.scenario import make_pdf
from ..decisions.flow import CLOSED, PUBLISHED, hold_meeting, propose, publish_and_close
from ..factories import UserFactory
from ..supervision.factories import award_for
from .refusals import BAD_DATE, CHOICE, HUGE, REQUIRED, SCRIPT, WHOLE_NUMBER

pytestmark = pytest.mark.django_db

D = datetime.date
HTML = f"<html><body>{SCRIPT}</body></html>".encode()
NOT_A_PDF = "but its content is"  # the upload check: named like a PDF, content is not
TOO_LONG = "too long"
DATE_FORMAT = "Enter a date as YYYY-MM-DD."


def pdf(name: str = "证据.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(), "application/pdf")


def fake(name: str, data: bytes = HTML) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def login(client, *roles: Role):
    user = UserFactory(roles=list(roles))
    client.force_login(user)
    return user


# --- a cycle after the evaluation, and the steps of the decisions ----------------------


@dataclass(frozen=True)
class Result:
    """The evaluation app's ApplicationResult, as decisions.results reads it."""

    application: Application
    weighted_total: Decimal
    stage_totals: dict = field(default_factory=lambda: {"site_visit": Decimal("700")})
    category_scores: dict = field(default_factory=lambda: {"4.7": Decimal("300")})
    advanced_to_site_visit: bool = True
    stopped_at: str | None = None


@pytest.fixture
def set_today(monkeypatch):
    def set_to(day: datetime.date) -> None:
        monkeypatch.setattr("qualityaward.decisions.clock.today", lambda: day)

    return set_to


@pytest.fixture
def office(db):
    return UserFactory(roles=[Role.OFFICE])


@pytest.fixture
def members(db):
    return [UserFactory(roles=[Role.WORKING_GROUP]) for _ in range(3)]


@pytest.fixture
def ranked(cycle, monkeypatch, media_root):
    """Two qualified organisations with their results; the evaluation has ended."""
    for code, start, end in [
        (StageCode.CALL, D(2026, 9, 14), D(2026, 9, 30)),
        (StageCode.QUALIFICATION_REVIEW, D(2026, 9, 30), D(2026, 10, 9)),
        (StageCode.EVALUATION, D(2026, 10, 9), D(2026, 10, 19)),
    ]:
        stage_start(cycle=cycle, code=code, on=start, actor="test")
        stage_end(cycle=cycle, code=code, on=end, actor="test")
    call = published_call(cycle)
    applications = [
        Application.objects.create(
            call=call,
            cycle=cycle,
            applicant=OrganisationFactory(),
            state=ApplicationState.QUALIFIED,
            submitted_at=timezone.now(),
            receipt_number=f"R-{n}",
        )
        for n in (1, 2)
    ]
    results = [Result(applications[0], Decimal("812.40")), Result(applications[1], Decimal("790"))]
    monkeypatch.setattr(
        "qualityaward.decisions.results.load_application_results", lambda *, cycle: results
    )
    return applications


@pytest.fixture
def publication(cycle, ranked, office, set_today):
    """The results, open for comment (2026-10-20 to 2026-11-30)."""
    set_today(D(2026, 10, 21))
    return publication_services.results_publish(cycle=cycle, on=PUBLISHED, actor=office)


@pytest.fixture
def candidate_list(cycle, ranked, office, set_today):
    set_today(CLOSED)
    publish_and_close(cycle, office)
    return propose(cycle, office, ranked)


@pytest.fixture
def meeting(candidate_list, office, members):
    """The working group's meeting, every member present, nothing voted yet."""
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list, held_on=CLOSED, agenda="审议候选名单", actor=office
    )
    meeting_services.attendance_record(meeting=meeting, present=members, actor=office)
    return meeting


@pytest.fixture
def publicity(cycle, ranked, candidate_list, office, members, set_today):
    """The first organisation, proposed winner, in publicity from 2026-12-03 to 12-11."""
    meeting = hold_meeting(
        candidate_list, office, members, votes={ranked[0]: "for", ranked[1]: "against"}
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    item = publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 3), actor=office)
    set_today(D(2026, 12, 4))
    return item


def public_poster(refused, client, url):
    """The public forms take five posts an hour from one address: start each afresh."""

    def post(data: dict, message: str) -> None:
        cache.clear()
        refused(client, url, data, message)

    return post


# --- the public comment form (A19) ---------------------------------------------------


def test_public_comment_form_refuses_bad_input(client, refused, publication, ranked, set_today):
    post = public_poster(
        refused, client, f"/decisions/public/results/{publication.cycle_id}/comment/"
    )
    good = {"application": ranked[0].pk, "name": "张三", "contact": "13800000000", "text": "意见"}
    post({key: "" for key in good}, REQUIRED)
    post({**good, "application": "abc"}, CHOICE)
    post({**good, "application": "99999999999999999999"}, CHOICE)
    post({**good, "application": "1 OR 1=1"}, CHOICE)
    post({**good, "name": HUGE}, "at most 100")
    post({**good, "contact": HUGE}, "at most 200")
    post({**good, "text": HUGE}, "at most 5000")
    post({**good, "contact": SCRIPT, "text": ""}, REQUIRED)
    post({**good, "name": SCRIPT, "evidence": fake("意见.pdf")}, NOT_A_PDF)
    post({**good, "evidence": fake("../../../../etc/cron.d/x.pdf")}, NOT_A_PDF)
    post({**good, "evidence": fake("photo.png", b"MZ\x90\x00" + b"\0" * 64)}, "PNG")
    post({**good, "evidence": fake("empty.pdf", b"")}, "empty")
    post({**good, "evidence": fake("x.exe", b"MZ\x90\x00")}, "not accepted")
    set_today(D(2026, 12, 1))
    post(good, "The comment period is closed.")


# --- the objection form (A22) ----------------------------------------------------------


def test_objection_form_refuses_bad_input(client, refused, publicity, set_today):
    post = public_poster(refused, client, f"/decisions/public/publicity/{publicity.pk}/objection/")
    winner = publicity.winners.get()
    good = {"winner": winner.pk, "name": "李四", "contact": "13900000000", "text": "异议"}
    post({key: "" for key in good}, REQUIRED)
    post({**good, "winner": "abc"}, CHOICE)
    post({**good, "winner": "99999999999999999999"}, CHOICE)
    post({**good, "name": HUGE}, "at most 100")
    post({**good, "contact": HUGE}, "at most 200")
    post({**good, "text": HUGE}, "at most 5000")
    post({**good, "name": SCRIPT, "contact": ""}, REQUIRED)
    post({**good, "evidence": [fake("../../../../tmp/x.pdf")]}, NOT_A_PDF)
    post({**good, "evidence": [pdf(f"{n}.pdf") for n in range(6)]}, "at most 5 files")
    # A good file before a bad one: neither is kept.
    post({**good, "evidence": [pdf("good.pdf"), fake("bad.pdf")]}, NOT_A_PDF)
    post({**good, "evidence": [pdf("good.pdf"), fake("empty.pdf", b"")]}, "empty")
    set_today(D(2026, 12, 12))
    post(good, "The publicity period is over.")


# --- the office's moderation and handling of comments (A19, A20) ----------------------


def test_comment_moderation_and_handling_refuse_bad_input(client, refused, publication, ranked):
    office = login(client, Role.OFFICE)
    comment = publication_services.comment_submit(
        publication=publication,
        application_id=ranked[0].pk,
        name="张三",
        contact="13800000000",
        text="意见",
    )
    url = f"/decisions/comments/{comment.pk}/moderate/"

    def state():
        comment.refresh_from_db()
        return (comment.status, comment.outcome, comment.outcome_text, comment.moderated_at)

    moderate = "Choose accept or a reason to reject."
    refused(client, url, {"status": ""}, moderate, unchanged=state)
    refused(client, url, {"status": "pending"}, moderate, unchanged=state)
    refused(client, url, {"status": SCRIPT}, moderate, unchanged=state)
    refused(client, url, {"status": HUGE}, moderate, unchanged=state)
    # Handling: an outcome only for an accepted comment, chosen from the list, with a text.
    refused(
        client,
        url,
        {"outcome": "no_effect", "outcome_text": "已核实"},
        "accept it first",
        unchanged=state,
    )
    publication_services.comment_moderate(comment=comment, status="accepted", actor=office)
    handle = "Choose an outcome"
    refused(client, url, {"outcome": "", "outcome_text": ""}, handle, unchanged=state)
    refused(client, url, {"outcome": SCRIPT, "outcome_text": "已核实"}, handle, unchanged=state)
    refused(client, url, {"outcome": "no_effect", "outcome_text": ""}, handle, unchanged=state)
    refused(
        client, url, {"outcome": "no_effect", "outcome_text": HUGE}, "at most 5000", unchanged=state
    )


# --- the candidate list (A20) ------------------------------------------------------


def test_candidate_proposal_refuses_a_note_over_its_limit(
    client, refused, cycle, ranked, set_today
):
    office = login(client, Role.OFFICE)
    set_today(CLOSED)
    publish_and_close(cycle, office)
    url = f"/decisions/cycles/{cycle.pk}/propose/"
    good = {"application": [a.pk for a in ranked], "on": CLOSED.isoformat()}
    limit = "Note is too long: at most 2000 characters"
    refused(client, url, {**good, "note": "质" * 2001}, limit)
    refused(client, url, {**good, "note": HUGE}, limit)
    refused(client, url, {**good, "note": SCRIPT * 100}, limit)
    # At the limit the note is kept whole.
    client.post(url, {**good, "note": "质" * 2000})
    assert CandidateList.objects.get(cycle=cycle).note == "质" * 2000


def test_candidate_proposal_refuses_ids_that_are_not_applications(
    client, refused, cycle, ranked, set_today
):
    """Junk left out would propose nobody of the kind: a vacancy nobody chose."""
    office = login(client, Role.OFFICE)
    set_today(CLOSED)
    publish_and_close(cycle, office)
    url = f"/decisions/cycles/{cycle.pk}/propose/"
    bad = "an application id sent is not valid"
    for junk in ("abc", "", "-1", "²", "99999999999999999999", SCRIPT):
        refused(client, url, {"application": [junk], "on": CLOSED.isoformat()}, bad)
        refused(client, url, {"application": [ranked[0].pk, junk], "on": CLOSED.isoformat()}, bad)
    assert not CandidateList.objects.filter(cycle=cycle).exists()


# --- the working group's meeting (A21) ---------------------------------------------


def test_meeting_scheduling_refuses_bad_input(client, refused, candidate_list):
    login(client, Role.OFFICE)
    url = f"/decisions/lists/{candidate_list.pk}/meeting/"
    good = {"held_on": "2026-12-01", "agenda": "审议候选名单", "location": "第一会议室"}
    refused(client, url, {**good, "held_on": "2026-02-30"}, DATE_FORMAT)
    refused(client, url, {**good, "held_on": "yesterday"}, DATE_FORMAT)
    refused(client, url, {**good, "held_on": "2026-12-01'--"}, DATE_FORMAT)
    refused(client, url, {**good, "agenda": ""}, "Write the agenda.")
    refused(client, url, {**good, "agenda": "   "}, "Write the agenda.")
    refused(client, url, {**good, "agenda": HUGE}, "at most 20000")
    refused(client, url, {**good, "location": HUGE}, "at most 200")
    refused(client, url, {"held_on": SCRIPT, "agenda": SCRIPT}, DATE_FORMAT)


def test_votes_and_recusals_refuse_bad_input(client, refused, meeting, members, ranked):
    member = members[0]
    client.force_login(member)
    vote = f"/decisions/meetings/{meeting.pk}/vote/"
    recusal = f"/decisions/meetings/{meeting.pk}/recusal/"
    candidate = ranked[0].pk
    choose = "Vote for, against or abstain."
    refused(client, vote, {"application": candidate, "choice": ""}, choose)
    refused(client, vote, {"application": candidate, "choice": SCRIPT}, choose)
    refused(client, vote, {"application": candidate, "choice": "FOR"}, choose)
    not_found = "Page not found"
    refused(client, vote, {"application": "", "choice": "for"}, not_found)
    refused(client, vote, {"application": "abc", "choice": "for"}, not_found)
    refused(client, vote, {"application": "99999999999999999999", "choice": "for"}, not_found)
    refused(client, vote, {"application": "-1", "choice": "for"}, not_found)
    refused(client, vote, {"application": "²", "choice": "for"}, not_found)
    refused(
        client,
        vote,
        {"member": "99999999999999999999", "application": candidate, "choice": "for"},
        not_found,
    )
    outsider = OrganisationFactory()
    other = Application.objects.create(
        call=ranked[0].call, cycle=ranked[0].cycle, applicant=outsider, submitted_at=timezone.now()
    )
    refused(client, vote, {"application": other.pk, "choice": "for"}, "not on the agenda")
    refused(client, recusal, {"application": candidate, "reason": ""}, "State the interest.")
    refused(client, recusal, {"application": candidate, "reason": HUGE}, "at most 300")
    refused(client, recusal, {"application": "abc", "reason": "亲属"}, not_found)


def test_attendance_refuses_ids_that_are_not_users(client, refused, meeting, members):
    login(client, Role.OFFICE)
    url = f"/decisions/meetings/{meeting.pk}/attendance/"

    def state():
        return sorted(meeting.attendees.values_list("pk", flat=True))

    bad = "a member id sent is not valid"
    first = str(members[0].pk)
    no_such_user = str(max(m.pk for m in members) + 1000)
    refused(client, url, {"present": ["abc"]}, bad, unchanged=state)
    for junk in ("abc", "", "-1", "²", "1 OR 1=1", "99999999999999999999", SCRIPT, no_such_user):
        refused(client, url, {"present": [first, junk]}, bad, unchanged=state)


def test_minutes_refuse_files_that_are_not_pdf(client, refused, meeting):
    login(client, Role.OFFICE)
    url = f"/decisions/meetings/{meeting.pk}/minutes/"

    def state():
        meeting.refresh_from_db()
        return (meeting.minutes, meeting.minutes_file_id)

    data = {"minutes": "会议纪要"}
    refused(client, url, {**data, "minutes_file": fake("纪要.pdf")}, NOT_A_PDF, unchanged=state)
    refused(
        client,
        url,
        {**data, "minutes_file": fake("../../../纪要.pdf", b"")},
        "empty",
        unchanged=state,
    )
    refused(
        client,
        url,
        {**data, "minutes_file": fake("纪要.docx", make_pdf())},
        "not accepted",
        unchanged=state,
    )
    refused(client, url, {"minutes": HUGE}, "at most 20000", unchanged=state)


# --- the office's investigation of an objection (A22) ------------------------------


def test_objection_investigation_and_cancellation_refuse_bad_input(
    client, refused, publicity, members
):
    office = login(client, Role.OFFICE)
    objection = publicity_services.objection_submit(
        publicity=publicity,
        winner_id=publicity.winners.get().pk,
        name="李四",
        contact="13900000000",
        text="异议",
    )

    def state():
        objection.refresh_from_db()
        return (objection.status, objection.findings)

    url = f"/decisions/objections/{objection.pk}/decide/"
    choose = "Choose whether the objection is substantiated or dismissed."
    refused(client, url, {"decision": "", "findings": "经核查"}, choose, unchanged=state)
    refused(client, url, {"decision": SCRIPT, "findings": "经核查"}, choose, unchanged=state)
    refused(client, url, {"decision": "dismissed", "findings": ""}, "is required", unchanged=state)
    refused(
        client, url, {"decision": "dismissed", "findings": HUGE}, "at most 5000", unchanged=state
    )
    publicity_services.objection_decide(
        objection=objection, substantiated=True, findings="属实", actor=office
    )
    url = f"/decisions/objections/{objection.pk}/cancellation/"
    refused(client, url, {"held_on": "2026-12-32", "agenda": "撤销"}, DATE_FORMAT)
    refused(client, url, {"held_on": "2026-12-05", "agenda": ""}, "Write the agenda.")
    refused(client, url, {"held_on": "2026-12-05", "agenda": HUGE}, "at most 20000")


# --- the government's approval (A22) -------------------------------------------------


def test_approval_refuses_bad_input_and_files(client, refused, cycle, publicity, set_today):
    set_today(D(2026, 12, 15))
    login(client, Role.OFFICE)
    url = f"/decisions/cycles/{cycle.pk}/approval/"
    good = {"document_number": "二政字〔2026〕99号", "approved_on": "2026-12-14"}  # noqa: RUF001
    refused(client, url, {"document_number": "", "approved_on": ""}, "Enter the document number")
    refused(client, url, {**good, "document_number": HUGE}, "at most 100")
    refused(client, url, {**good, "approved_on": "2026-13-01"}, DATE_FORMAT)
    refused(client, url, {**good, "approved_on": SCRIPT}, DATE_FORMAT)
    refused(client, url, {**good, "document": fake("批复.pdf")}, NOT_A_PDF)
    refused(client, url, {**good, "document": fake("../../../../etc/passwd.pdf")}, NOT_A_PDF)
    refused(client, url, {**good, "document": fake("批复.pdf", b"")}, "empty")
    refused(client, url, {**good, "document": fake("批复.docx", make_pdf())}, "not accepted")


# --- fund-use reports and ratings (A24) ------------------------------------------------

AWARDED = D(2024, 10, 20)  # prize budgeted in 2025


@pytest.fixture
def winner(db):
    return UserFactory(roles=[Role.APPLICANT])


@pytest.fixture
def award(cycle, winner, media_root):
    return award_for(cycle, users=[winner], awarded_on=AWARDED)


def test_expense_form_refuses_bad_input(client, refused, award, winner):
    client.force_login(winner)
    url = f"/supervision/awards/{award.pk}/funds/"

    def post(**changes):
        data = {
            "budget_year": "2025",
            "use_code": "training",
            "amount": "1000.00",
            "spent_on": "2025-05-06",
            "description": "全员质量培训",
            "evidence": pdf("发票.pdf"),
        }
        data.update(changes)
        return data

    refused(client, url, {key: "" for key in post()}, REQUIRED)
    refused(client, url, post(budget_year="abc"), WHOLE_NUMBER)
    refused(client, url, post(budget_year="99999999999999999999"), "less than or equal to 2200")
    refused(client, url, post(budget_year="2024"), "Reports run from")
    refused(client, url, post(use_code="../../etc/passwd"), CHOICE)
    refused(client, url, post(amount="abc"), "Enter a number.")
    refused(client, url, post(amount="NaN"), "Enter a number.")
    refused(client, url, post(amount="-5"), "greater than or equal to 0")
    refused(client, url, post(amount="0"), "more than zero")
    refused(client, url, post(amount="1.005"), "2 decimal places")
    refused(client, url, post(amount="999999999999"), "no more than 10 digits")
    refused(client, url, post(amount="9999999999"), "more than the prize")
    refused(client, url, post(spent_on="2025-02-30"), BAD_DATE)
    refused(client, url, post(spent_on="2026-05-06"), "expenses paid in 2025")
    refused(client, url, post(description=HUGE), TOO_LONG)
    refused(client, url, post(description=SCRIPT, amount=""), REQUIRED)
    refused(client, url, post(evidence=fake("发票.pdf")), NOT_A_PDF)
    refused(client, url, post(evidence=fake("../../../../etc/passwd.pdf")), NOT_A_PDF)
    refused(client, url, post(evidence=fake("发票.pdf", b"")), "empty")
    refused(client, url, post(evidence=fake("发票.exe", b"MZ\x90\x00")), "not accepted")


def test_fund_report_submit_and_rating_refuse_bad_input(client, refused, award, winner):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner)

    def state():
        report.refresh_from_db()
        return (report.status, report.summary)

    client.force_login(winner)
    url = f"/supervision/awards/{award.pk}/funds/2025/submit/"
    refused(client, url, {"summary": ""}, "explain why there were none", unchanged=state)
    refused(client, url, {"summary": "   "}, "explain why there were none", unchanged=state)
    refused(client, url, {"summary": HUGE}, TOO_LONG, unchanged=state)
    refused(client, f"/supervision/awards/{award.pk}/funds/2031/submit/", {}, "Page not found")

    login(client, Role.OFFICE)
    url = f"/supervision/awards/{award.pk}/funds/rate/"
    rate = "Enter the year and choose a rating."
    refused(client, url, {"year": "", "rating": ""}, rate)
    refused(client, url, {"year": "abc", "rating": "good"}, rate)
    refused(client, url, {"year": "99999999999999999999", "rating": "good"}, rate)
    refused(client, url, {"year": "2025", "rating": SCRIPT}, rate)
    refused(client, url, {"year": "2024", "rating": "good"}, "before the prize")
    refused(client, url, {"year": "2025", "rating": "good", "comments": HUGE}, TOO_LONG)


# --- follow-up visits (A33) --------------------------------------------------------------


def test_visit_form_refuses_bad_input(client, refused, award):
    login(client, Role.OFFICE)
    url = f"/supervision/awards/{award.pk}/visits/"
    good = {"visited_on": "2025-03-01", "status": "good", "findings": "运行正常"}
    refused(client, url, {key: "" for key in good}, REQUIRED)
    refused(client, url, {**good, "visited_on": "2025-02-30"}, BAD_DATE)
    refused(client, url, {**good, "visited_on": "2999-01-01"}, "cannot be in the future")
    refused(client, url, {**good, "visited_on": "2020-01-01"}, "while the award is valid")
    refused(client, url, {**good, "status": "../../x"}, CHOICE)
    refused(client, url, {**good, "findings": HUGE}, TOO_LONG)
    refused(client, url, {**good, "findings": SCRIPT, "status": ""}, REQUIRED)


# --- revocation cases (A28, A29) and misuse reports (A31, A32) --------------------------


def test_case_opening_refuses_bad_input(client, refused, award):
    login(client, Role.OFFICE)
    url = "/supervision/cases/"
    good = {"award": award.pk, "kind": "fraud", "event_on": "2024-06-01", "summary": "弄虚作假"}
    refused(client, url, {key: "" for key in good}, REQUIRED)
    refused(client, url, {**good, "award": "abc"}, CHOICE)
    refused(client, url, {**good, "award": "99999999999999999999"}, CHOICE)
    refused(client, url, {**good, "kind": SCRIPT}, CHOICE)
    refused(client, url, {**good, "event_on": "2024-02-30"}, BAD_DATE)
    refused(client, url, {**good, "event_on": "2999-01-01"}, "cannot be in the future")
    refused(
        client,
        url,
        {**good, "kind": RevocationKind.ACCIDENT_OR_VIOLATION, "event_on": "2024-01-01"},
        "outside that period",
    )
    refused(client, url, {**good, "summary": HUGE}, TOO_LONG)
    refused(client, url, {**good, "summary": "   "}, REQUIRED)


def test_case_steps_refuse_bad_input(client, refused, award):
    office = login(client, Role.OFFICE)
    case = revocation.case_open(
        award=award, kind="fraud", event_on=D(2024, 6, 1), summary="弄虚作假", actor=office
    )

    def state():
        case.refresh_from_db()
        award.refresh_from_db()
        return (case.status, case.decision, award.revoked_on)

    url = f"/supervision/cases/{case.pk}/evidence/"
    refused(client, url, {"title": ""}, REQUIRED)
    refused(client, url, {"title": HUGE, "upload": pdf()}, "at most 200")
    refused(client, url, {"title": SCRIPT, "upload": fake("调查.pdf")}, NOT_A_PDF)
    refused(client, url, {"title": "调查", "upload": fake("../../../etc/passwd.pdf")}, NOT_A_PDF)
    refused(client, url, {"title": "调查", "upload": fake("调查.pdf", b"")}, "empty")

    url = f"/supervision/cases/{case.pk}/decide/"
    today = timezone.localdate().isoformat()
    good = {
        "decision": "revoke",
        "meeting_on": today,
        "decision_reference": "二质奖〔2026〕1号",  # noqa: RUF001
        "decision_text": "撤销奖励",
    }
    refused(client, url, {key: "" for key in good}, REQUIRED, unchanged=state)
    refused(client, url, {**good, "decision": SCRIPT}, CHOICE, unchanged=state)
    refused(client, url, {**good, "meeting_on": "2026-02-30"}, BAD_DATE, unchanged=state)
    refused(client, url, {**good, "meeting_on": "2999-01-01"}, "between", unchanged=state)
    refused(client, url, {**good, "decision_reference": HUGE}, "at most 200", unchanged=state)
    refused(client, url, {**good, "decision_text": HUGE}, TOO_LONG, unchanged=state)
    refused(client, url, {**good, "upload": fake("决定.pdf")}, NOT_A_PDF, unchanged=state)
    refused(
        client,
        url,
        {**good, "upload": fake("决定.png", make_pdf())},
        "not accepted",
        unchanged=state,
    )


def test_revoked_case_steps_refuse_bad_input(client, refused, award):
    office = login(client, Role.OFFICE)
    case = revocation.case_open(
        award=award, kind="fraud", event_on=D(2024, 6, 1), summary="弄虚作假", actor=office
    )
    case = revocation.case_decide(
        case=case,
        decision="revoke",
        meeting_on=timezone.localdate(),
        decision_reference="二质奖〔2026〕1号",  # noqa: RUF001
        decision_text="撤销奖励",
        actor=office,
    )

    def state():
        case.refresh_from_db()
        return (case.public_text, case.published_on)

    url = f"/supervision/cases/{case.pk}/publish/"
    refused(client, url, {"public_text": ""}, REQUIRED, unchanged=state)
    refused(client, url, {"public_text": HUGE}, TOO_LONG, unchanged=state)

    item = case.returns.get(kind="certificate")

    def item_state():
        item.refresh_from_db()
        return (item.status, item.done_on, item.note)

    url = f"/supervision/returns/{item.pk}/"
    settle = "Choose done or waived and enter the date."
    refused(client, url, {"status": "", "on": ""}, settle, unchanged=item_state)
    refused(client, url, {"status": SCRIPT, "on": "2026-01-01"}, settle, unchanged=item_state)
    refused(client, url, {"status": "done", "on": "2026-02-30"}, settle, unchanged=item_state)
    refused(client, url, {"status": "done", "on": "2999-01-01"}, "between", unchanged=item_state)
    today = timezone.localdate().isoformat()
    refused(
        client, url, {"status": "waived", "on": today, "note": ""}, "reason", unchanged=item_state
    )
    refused(
        client,
        url,
        {"status": "waived", "on": today, "note": HUGE},
        TOO_LONG,
        unchanged=item_state,
    )


def test_misuse_reports_refuse_bad_input(client, refused, award):
    office = login(client, Role.OFFICE)
    url = "/supervision/misuse/"
    good = {
        "kind": MisuseKind.FORGERY,
        "award": award.pk,
        "reported_on": "2025-03-01",
        "reporter": "市民王某",
        "subject": "某公司",
        "description": "伪造证书",
    }
    refused(client, url, {key: "" for key in good}, REQUIRED)
    refused(client, url, {**good, "kind": SCRIPT}, CHOICE)
    refused(client, url, {**good, "award": "abc"}, CHOICE)
    refused(client, url, {**good, "reported_on": "2025-13-01"}, BAD_DATE)
    refused(client, url, {**good, "reported_on": "2999-01-01"}, "cannot be in the future")
    refused(client, url, {**good, "reporter": HUGE}, "at most 200")
    refused(client, url, {**good, "subject": "   "}, REQUIRED)
    refused(client, url, {**good, "description": HUGE}, TOO_LONG)
    refused(client, url, {**good, "evidence": fake("证据.pdf")}, NOT_A_PDF)
    refused(client, url, {**good, "evidence": fake("../../../../etc/passwd.pdf")}, NOT_A_PDF)
    refused(client, url, {**good, "evidence": fake("证据.exe", b"MZ\x90\x00")}, "not accepted")

    report = honour.misuse_report_record(
        kind=MisuseKind.FORGERY,
        reported_on=D(2025, 3, 1),
        reporter="市民王某",
        subject="某公司",
        description="伪造证书",
        actor=office,
    )

    def state():
        report.refresh_from_db()
        return (report.status, report.outcome, report.closed_on)

    url = f"/supervision/misuse/{report.pk}/close/"
    close = "Record the outcome and the date."
    refused(client, url, {"outcome": "", "on": ""}, close, unchanged=state)
    refused(client, url, {"outcome": "已处理", "on": "2025-02-30"}, close, unchanged=state)
    refused(
        client, url, {"outcome": SCRIPT, "on": "2025-02-01"}, "before it was made", unchanged=state
    )
    refused(client, url, {"outcome": HUGE, "on": "2025-03-02"}, TOO_LONG, unchanged=state)
