# ruff: noqa: RUF001 (Chinese document numbers)
"""A28, A29: revocation cases — the A29 window, the decision's effects (award revoked on
its verification page, return items, the fraud ban refused by the intake), publication."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qualityaward.accounts.enums import Role
from qualityaward.applications.eligibility import failures
from qualityaward.applications.selectors.eligibility import eligibility_for
from qualityaward.core.errors import Conflict, NotAllowed, QualityAwardError
from qualityaward.cycles.models import Cycle
from qualityaward.decisions.enums import AwardStatus
from qualityaward.supervision.enums import (
    CaseDecision,
    CaseStatus,
    ReturnItemKind,
    ReturnItemStatus,
    RevocationKind,
)
from qualityaward.supervision.services import revocation

from .factories import award_for, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


def open_fraud_case(award, office):
    return revocation.case_open(
        award=award,
        kind=RevocationKind.FRAUD,
        event_on=timezone.localdate(),
        summary="申报材料中的检测报告系伪造",
        actor=office,
    )


def decide(case, office, decision=CaseDecision.REVOKE):
    today = timezone.localdate()
    return revocation.case_decide(
        case=case,
        decision=decision,
        meeting_on=today,
        decision_reference="二政发〔2026〕9号",
        decision_text="撤销其市长质量奖称号",
        upload=pdf_upload("decision.pdf"),
        actor=office,
    )


def test_a29_case_outside_the_window_is_refused_citing_article_29(cycle, office):
    award = award_for(cycle, awarded_on=datetime.date(2022, 1, 10))
    with pytest.raises(QualityAwardError) as caught:
        revocation.case_open(
            award=award,
            kind=RevocationKind.ACCIDENT_OR_VIOLATION,
            event_on=datetime.date(2025, 1, 11),
            summary="较大安全事故",
            actor=office,
        )
    assert caught.value.code == "outside_window"
    assert caught.value.message.startswith("第二十九条")
    assert "2025-01-10" in caught.value.message
    assert not award.revocation_cases.exists()


def test_a29_window_includes_its_last_day_and_excludes_the_award_day(cycle, office):
    award = award_for(cycle, awarded_on=datetime.date(2022, 1, 10))
    with pytest.raises(QualityAwardError):
        revocation.case_open(
            award=award,
            kind=RevocationKind.ACCIDENT_OR_VIOLATION,
            event_on=datetime.date(2022, 1, 10),
            summary="事故",
            actor=office,
        )
    case = revocation.case_open(
        award=award,
        kind=RevocationKind.ACCIDENT_OR_VIOLATION,
        event_on=datetime.date(2025, 1, 10),
        summary="事故",
        actor=office,
    )
    assert (case.status, case.event_on) == (CaseStatus.OPEN, datetime.date(2025, 1, 10))


def test_only_office_opens_a_case(cycle, user_with_role):
    award = award_for(cycle)
    with pytest.raises(NotAllowed):
        open_fraud_case(award, user_with_role(Role.SUPERVISOR))


def test_revoked_awards_verification_page_says_revoked(cycle, office, media_root):
    award = award_for(cycle)
    decide(open_fraud_case(award, office), office)
    award.refresh_from_db()
    today = timezone.localdate()
    assert award.status_on(today) == AwardStatus.REVOKED
    assert award.revocation_reason.startswith("第二十八条：二政发〔2026〕9号")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("decisions:verify", args=[award.serial]))
    text = page.content.decode()
    assert f"This award was revoked on {today:%Y-%m-%d}." in text
    assert "撤销其市长质量奖称号" in text


def test_cached_verification_and_archive_show_a_revocation(cycle, office, media_root):
    award = award_for(cycle)
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    verify_url = reverse("decisions:verify", args=[award.serial])
    assert "This award is valid until" in visitor.get(verify_url).content.decode()
    assert "Revoked" not in visitor.get(reverse("decisions:archive")).content.decode()
    decide(open_fraud_case(award, office), office)
    assert "This award was revoked on" in visitor.get(verify_url).content.decode()
    assert "Revoked" in visitor.get(reverse("decisions:archive")).content.decode()


def test_fraud_ban_fails_eligibility_in_the_next_cycle_citing_article_28(cycle, office, media_root):
    award = award_for(cycle)
    case = decide(open_fraud_case(award, office), office)
    assert case.ban.years == 5
    assert case.ban.revocation_reference == "二政发〔2026〕9号"
    next_cycle = Cycle.objects.create(
        rule_set_version=cycle.rule_set_version,
        number=4,
        name="第四届市长质量奖",
        start_date=datetime.date(2028, 9, 11),
    )
    findings = eligibility_for(
        applicant=award.applicant, cycle=next_cycle, on=next_cycle.start_date
    )
    ban_findings = [f for f in failures(findings) if f.code == "a28_fraud_ban"]
    assert [(f.clause, f.article) for f in ban_findings] == [("第二十八条", 28)]
    assert "二政发〔2026〕9号" in ban_findings[0].message


def test_a29_revocation_records_no_ban(cycle, office, media_root):
    award = award_for(cycle, awarded_on=datetime.date(2025, 3, 1))
    case = revocation.case_open(
        award=award,
        kind=RevocationKind.ACCIDENT_OR_VIOLATION,
        event_on=datetime.date(2026, 6, 1),
        summary="较大质量事故",
        actor=office,
    )
    case = decide(case, office)
    assert case.ban is None
    assert award.applicant.bans.count() == 0


def test_case_closes_only_when_every_return_is_done_or_waived_and_published(
    cycle, office, media_root
):
    award = award_for(cycle)
    case = decide(open_fraud_case(award, office), office)
    items = {item.kind: item for item in case.returns.all()}
    assert sorted(items) == sorted(ReturnItemKind.values)
    assert {item.status for item in items.values()} == {ReturnItemStatus.PENDING}
    today = timezone.localdate()
    revocation.return_item_settle(
        item=items["certificate"], status="done", on=today, note="", actor=office
    )
    revocation.return_item_settle(
        item=items["plaque"], status="done", on=today, note="", actor=office
    )
    with pytest.raises(QualityAwardError) as caught:
        revocation.case_close(case=case, actor=office)
    assert caught.value.code == "pending"
    with pytest.raises(QualityAwardError) as caught:
        revocation.return_item_settle(
            item=items["money"], status="waived", on=today, note="", actor=office
        )
    assert caught.value.code == "reason"
    revocation.return_item_settle(
        item=items["money"], status="waived", on=today, note="企业已破产清算", actor=office
    )
    with pytest.raises(QualityAwardError) as caught:
        revocation.case_close(case=case, actor=office)
    assert caught.value.code == "unpublished"
    revocation.case_publish(case=case, public_text="撤销某公司市长质量奖称号", actor=office)
    case = revocation.case_close(case=case, actor=office)
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, today)


def test_dismissed_case_leaves_the_award_valid(cycle, office, media_root):
    award = award_for(cycle)
    case = decide(open_fraud_case(award, office), office, decision=CaseDecision.DISMISS)
    award.refresh_from_db()
    assert (case.status, award.revoked_on, case.returns.count()) == (CaseStatus.DISMISSED, None, 0)
    with pytest.raises(Conflict):
        decide(case, office)


def test_published_revocation_is_listed_publicly_without_login(cycle, office, media_root):
    award = award_for(cycle)
    case = decide(open_fraud_case(award, office), office)
    url = reverse("supervision:public_revocations")
    assert award.serial not in Client().get(url).content.decode()
    revocation.case_publish(case=case, public_text="予以通报：撤销其称号", actor=office)
    page = Client().get(url).content.decode()
    assert award.serial in page
    assert "予以通报：撤销其称号" in page
    assert award.applicant.name in page


def test_case_pages_are_404_for_applicants_and_departments(cycle, office, user_with_role, client):
    case = open_fraud_case(award_for(cycle), office)
    for role in (Role.APPLICANT, Role.DEPARTMENT):
        client.force_login(user_with_role(role))
        assert client.get(reverse("supervision:case", args=[case.pk])).status_code == 404
        assert client.get(reverse("supervision:cases")).status_code == 404
    client.force_login(user_with_role(Role.SUPERVISOR))
    page = client.get(reverse("supervision:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "申报材料中的检测报告系伪造" in page.content.decode()
    assert "Record the decision" not in page.content.decode()
