"""A24: fund-use reports, the permitted uses, totals against the prize, ratings and the
overdue reminder."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.notifications.models import Notification
from qualityaward.supervision.enums import FundReportStatus, PerformanceRating
from qualityaward.supervision.jobs import remind_overdue_fund_reports
from qualityaward.supervision.models import Expense
from qualityaward.supervision.selectors.awards import fund_summary
from qualityaward.supervision.services import funds

from ..factories import UserFactory
from .factories import award_for, pdf_upload

pytestmark = pytest.mark.django_db
AWARDED = datetime.date(2024, 10, 20)  # budget year 2025


@pytest.fixture
def winner_user(db):
    return UserFactory(roles=[Role.APPLICANT])


@pytest.fixture
def award(cycle, winner_user, media_root):
    return award_for(cycle, users=[winner_user], awarded_on=AWARDED)


def add(report, user, *, use="training", amount="1000.00", on=datetime.date(2025, 5, 6)):
    return funds.expense_add(
        report=report,
        use_code=use,
        amount=amount,
        spent_on=on,
        description="全员质量培训",
        upload=pdf_upload(),
        actor=user,
    )


def test_expense_outside_the_permitted_uses_is_refused_citing_article_24(award, winner_user):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    with pytest.raises(QualityAwardError) as caught:
        add(report, winner_user, use="office_party")
    assert caught.value.code == "use_not_permitted"
    assert "第二十四条" in caught.value.message
    assert "人员培训" in caught.value.message
    assert Expense.objects.count() == 0


def test_expense_within_a_permitted_use_counts_towards_its_total(award, winner_user):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    add(report, winner_user, use="training", amount="1200.50")
    add(report, winner_user, use="laboratory", amount="50000")
    summary = fund_summary(award=award, today=datetime.date(2026, 1, 5))
    totals = {row.code: row.total for row in summary.by_use}
    assert totals["training"] == Decimal("1200.50")
    assert totals["laboratory"] == Decimal("50000.00")
    assert totals["publicity"] == Decimal(0)
    assert summary.spent == Decimal("51200.50")
    assert summary.remaining == Decimal("148799.50")
    assert Expense.objects.get(use_code="training").evidence.original_name == "invoice.pdf"


def test_expense_beyond_the_prize_is_refused(award, winner_user):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    add(report, winner_user, amount="199999.99")
    with pytest.raises(QualityAwardError) as caught:
        add(report, winner_user, amount="0.02")
    assert caught.value.code == "over_prize"
    assert Expense.objects.count() == 1


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc"])
def test_expense_amount_must_be_positive_yuan_and_fen(award, winner_user, amount):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    with pytest.raises(QualityAwardError) as caught:
        add(report, winner_user, amount=amount)
    assert caught.value.code == "amount"


def test_expense_of_another_year_is_refused(award, winner_user):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    with pytest.raises(QualityAwardError) as caught:
        add(report, winner_user, on=datetime.date(2026, 2, 1))
    assert caught.value.code == "date"


def test_other_applicants_user_cannot_file_and_gets_404(award, client):
    stranger = UserFactory(roles=[Role.APPLICANT])
    with pytest.raises(NotAllowed):
        funds.fund_report_open(award=award, budget_year=2025, actor=stranger)
    client.force_login(stranger)
    assert client.get(reverse("supervision:funds", args=[award.pk])).status_code == 404


def test_submitted_report_is_closed_to_new_expenses(award, winner_user):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    add(report, winner_user)
    report = funds.fund_report_submit(report=report, summary="", actor=winner_user)
    assert report.status == FundReportStatus.SUBMITTED
    with pytest.raises(QualityAwardError) as caught:
        add(report, winner_user)
    assert caught.value.code == "submitted"


def test_winner_adds_expense_through_the_page(award, winner_user, client):
    client.force_login(winner_user)
    url = reverse("supervision:funds", args=[award.pk])
    response = client.post(
        url,
        {
            "budget_year": 2025,
            "use_code": "innovation",
            "amount": "3000",
            "spent_on": "2025-03-01",
            "description": "攻关项目",
            "evidence": pdf_upload(),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "攻关项目" in page
    assert '<td class="text-end" id="fund-spent">3000.00</td>' in page
    assert '<td class="text-end" id="fund-remaining">197000.00</td>' in page


def test_office_rates_performance_of_a_year(award, user_with_role):
    office = user_with_role(Role.OFFICE)
    review = funds.performance_rate(
        award=award, year=2025, rating=PerformanceRating.GOOD, comments="使用规范", actor=office
    )
    review = funds.performance_rate(
        award=award,
        year=2025,
        rating=PerformanceRating.EXCELLENT,
        comments="成效显著",
        actor=office,
    )
    assert (review.year, review.rating, review.comments) == (2025, "excellent", "成效显著")
    assert award.performance_reviews.count() == 1


def test_winner_cannot_rate_itself(award, winner_user):
    with pytest.raises(NotAllowed):
        funds.performance_rate(
            award=award,
            year=2025,
            rating=PerformanceRating.EXCELLENT,
            comments="",
            actor=winner_user,
        )


def test_overdue_report_is_reminded_once_a_week(award, winner_user):
    assert remind_overdue_fund_reports(day=datetime.date(2026, 3, 31)) == 0  # due that day
    assert remind_overdue_fund_reports(day=datetime.date(2026, 4, 1)) == 1
    assert remind_overdue_fund_reports(day=datetime.date(2026, 4, 2)) == 0  # same week
    notification = Notification.objects.get(recipient=winner_user)
    assert notification.kind == "fund_report_overdue"
    assert "2025" in notification.subject
    assert notification.url == reverse("supervision:funds", args=[award.pk])


def test_submitted_report_stops_the_reminder(award, winner_user):
    report = funds.fund_report_open(award=award, budget_year=2025, actor=winner_user)
    add(report, winner_user)
    funds.fund_report_submit(report=report, summary="", actor=winner_user)
    assert remind_overdue_fund_reports(day=datetime.date(2026, 4, 1)) == 0
    # The prize is not spent yet: the report of 2026 falls due on 31 March 2027.
    assert remind_overdue_fund_reports(day=datetime.date(2027, 4, 1)) == 1
