"""A24: fund-use reports and their expenses (by the winner), and the office's yearly
performance evaluation of the money's use."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError
from qualityaward.decisions.models import Award
from qualityaward.documents.enums import EVIDENCE_KINDS
from qualityaward.documents.services import stored_file_create
from qualityaward.rulesets.numerals import article_citation_zh

from ..enums import FundReportStatus, PerformanceRating
from ..models import Expense, FundReport, PerformanceReview
from ._common import ensure_cycle_open, require, text_optional, text_required, user_or_none


def fund_uses(award: Award) -> dict:
    """The permitted uses of the award's rule set: {code: FundUse (code, name_zh, name_en,
    name)}."""
    rule = award.cycle.rule_set_version.rules.fund_uses
    return {use.code: use for use in rule.value}


def _locked_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update()
        .select_related("cycle__rule_set_version", "applicant")
        .get(pk=award.pk)
    )


def _parse_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise QualityAwardError(_("Enter the amount in yuan."), code="amount") from None
    if not value.is_finite():
        raise QualityAwardError(_("Enter the amount in yuan."), code="amount")
    if value <= 0:
        raise QualityAwardError(_("The amount must be more than zero."), code="amount")
    # Counted on the digits, not by rounding, which fails for huge numbers; an amount
    # larger than the prize is refused by expense_add with the remaining money.
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise QualityAwardError(
            _("Enter the amount in yuan with at most two decimal places."), code="amount"
        )
    return value


@transaction.atomic
def fund_report_open(*, award: Award, budget_year: int, actor) -> FundReport:
    """The winner's report of a budget year (created as a draft when first needed)."""
    award = _locked_award(award)
    require(actor, "supervision.file_fund_report", award)
    ensure_cycle_open(award.cycle)
    if award.revoked_on is not None:
        raise QualityAwardError(_("This award is revoked."), code="revoked")
    if award.prize_yuan <= 0 or award.prize_budget_year is None:
        raise QualityAwardError(_("This award carries no prize money."), code="no_prize")
    if not award.prize_budget_year <= budget_year <= timezone.localdate().year:
        raise QualityAwardError(
            _("Reports run from the prize's budget year %(year)s to this year.")
            % {"year": award.prize_budget_year},
            code="year",
        )
    report, created = FundReport.objects.get_or_create(award=award, budget_year=budget_year)
    if created:
        audit_append(
            actor=actor,
            action="supervision.fund_report_open",
            obj=report,
            changes={"award": award.pk, "budget_year": budget_year},
        )
    return report


@transaction.atomic
def expense_add(
    *,
    report: FundReport,
    use_code: str,
    amount,
    spent_on: datetime.date,
    description: str,
    upload: UploadedFile | None,
    actor,
) -> Expense:
    """Add an expense to a draft report. Refused: a use outside the rule set's list
    (A24: 不得挪作他用), a total beyond the prize, a date outside the report's year."""
    award = _locked_award(report.award)
    report = FundReport.objects.select_for_update().get(pk=report.pk)
    require(actor, "supervision.file_fund_report", award)
    ensure_cycle_open(award.cycle)
    if report.status != FundReportStatus.DRAFT:
        raise Conflict(_("This report is submitted and can no longer change."), code="submitted")
    uses = fund_uses(award)
    rule = award.cycle.rule_set_version.rules.fund_uses
    if use_code not in uses:
        raise QualityAwardError(
            _(
                "The prize money may be used only for the purposes %(source)s permits: "
                "%(uses)s. It must not be used for anything else."
            )
            % {
                "source": article_citation_zh(rule.article),
                "uses": "、".join(u.name_zh for u in uses.values()),
            },
            code="use_not_permitted",
        )
    value = _parse_amount(amount)
    if spent_on.year != report.budget_year:
        raise QualityAwardError(
            _("The report of %(year)s lists the expenses paid in %(year)s.")
            % {"year": report.budget_year},
            code="date",
        )
    if spent_on < award.awarded_on or spent_on > timezone.localdate():
        raise QualityAwardError(
            _("The date must lie between the award day and today."), code="date"
        )
    description = text_required(description, _("Describe what the money was spent on."))
    if upload is None:
        raise QualityAwardError(_("Attach the evidence of the expense."), code="evidence")
    spent = Expense.objects.filter(report__award=award).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)
    prize = Decimal(award.prize_yuan)
    if spent + value > prize:
        raise QualityAwardError(
            _(
                "This expense would bring the total to %(total)s yuan, more than the prize "
                "of %(prize)s yuan (%(remaining)s yuan remain)."
            )
            % {"total": spent + value, "prize": prize, "remaining": prize - spent},
            code="over_prize",
        )
    expense = Expense.objects.create(
        report=report,
        use_code=use_code,
        amount=value,
        spent_on=spent_on,
        description=description,
        recorded_by=user_or_none(actor),
    )
    expense.evidence = stored_file_create(
        upload=upload, allowed=set(EVIDENCE_KINDS), uploaded_by=actor, owner=expense
    )
    expense.save(update_fields=["evidence"])
    audit_append(
        actor=actor,
        action="supervision.expense_add",
        obj=expense,
        changes={
            "report": report.pk,
            "use": use_code,
            "amount": str(value),
            "spent_on": spent_on,
            "evidence_sha256": expense.evidence.sha256,
        },
    )
    return expense


@transaction.atomic
def expense_record(
    *,
    award: Award,
    budget_year: int,
    use_code: str,
    amount,
    spent_on: datetime.date,
    description: str,
    upload: UploadedFile | None,
    actor,
) -> Expense:
    """The winner's expense in the report of its budget year, opening the report when it
    is the year's first: both or, when the expense is refused, neither."""
    report = fund_report_open(award=award, budget_year=budget_year, actor=actor)
    return expense_add(
        report=report,
        use_code=use_code,
        amount=amount,
        spent_on=spent_on,
        description=description,
        upload=upload,
        actor=actor,
    )


@transaction.atomic
def fund_report_submit(*, report: FundReport, summary: str, actor) -> FundReport:
    award = _locked_award(report.award)
    report = FundReport.objects.select_for_update().get(pk=report.pk)
    require(actor, "supervision.file_fund_report", award)
    ensure_cycle_open(award.cycle)
    if report.status != FundReportStatus.DRAFT:
        raise Conflict(_("This report is already submitted."), code="submitted")
    summary = text_optional(summary)
    if not summary and not report.expenses.exists():
        raise QualityAwardError(
            _("List the expenses of the year, or explain why there were none."), code="empty"
        )
    report.status = FundReportStatus.SUBMITTED
    report.summary = summary
    report.submitted_at = timezone.now()
    report.submitted_by = user_or_none(actor)
    report.save(update_fields=["status", "summary", "submitted_at", "submitted_by", "updated_at"])
    audit_append(
        actor=actor,
        action="supervision.fund_report_submit",
        obj=report,
        changes={"budget_year": report.budget_year, "expenses": report.expenses.count()},
    )
    return report


@transaction.atomic
def performance_rate(
    *, award: Award, year: int, rating: str, comments: str, actor
) -> PerformanceReview:
    """A24: the office rates the performance of the money's use in a year (once a year;
    a later rating of the same year replaces the earlier one, both stay in the audit)."""
    award = _locked_award(award)
    require(actor, "supervision.rate_performance", award)
    ensure_cycle_open(award.cycle)
    if rating not in PerformanceRating.values:
        raise QualityAwardError(_("Choose a rating."), code="rating")
    if award.prize_budget_year is None or year < award.prize_budget_year:
        raise QualityAwardError(
            _("There is nothing to rate before the prize's budget year."), code="year"
        )
    comments = text_optional(comments)
    review = PerformanceReview.objects.filter(award=award, year=year).first()
    before = review.rating if review else ""
    if review is None:
        review = PerformanceReview.objects.create(
            award=award, year=year, rating=rating, comments=comments, rated_by=user_or_none(actor)
        )
    else:
        review.rating, review.comments, review.rated_by = rating, comments, user_or_none(actor)
        review.save(update_fields=["rating", "comments", "rated_by", "updated_at"])
    audit_append(
        actor=actor,
        action="supervision.performance_rate",
        obj=review,
        changes={"year": year, "rating": rating, "before": before, "comments": comments},
    )
    return review
