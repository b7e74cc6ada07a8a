"""Awards, their fund use, visits and revocation cases, as each user may see them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db.models import Prefetch, Q, QuerySet, Sum

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import CYCLE_AWARD, award_filter, awards_of, scope
from qualityaward.applications.rules import department_scope
from qualityaward.decisions.models import Award

from ..enums import CaseStatus, FundReportStatus, VisitStatus
from ..models import (
    Expense,
    FollowUpVisit,
    FundReport,
    MisuseReport,
    PerformanceReview,
    RevocationCase,
)
from ..periods import award_citation, overdue_report_years, report_due_on


def awards_visible_to(*, user) -> QuerySet[Award]:
    """Office and supervisor: all. Department: its sector's or area's winners. A
    winner's users: their own. Anyone else: none. Staff limited to awards: of those,
    their awards' winners."""
    awards = Award.objects.select_related(
        "applicant", "cycle__rule_set_version__rule_set"
    ).order_by("-awarded_on", "serial")
    if not getattr(user, "is_authenticated", False):
        return awards.none()
    readers = [Role.OFFICE, Role.SUPERVISOR]
    if any(user.has_role(role) for role in readers) and awards_of(user, readers) is None:
        return awards
    condition = Q(pk__in=[])
    if any(user.has_role(role) for role in readers):
        condition |= award_filter(user, readers)
    if user.has_role(Role.DEPARTMENT):
        sector, area = department_scope(user)
        of_awards = award_filter(user, [Role.DEPARTMENT])
        if sector:
            condition |= Q(applicant__sector=sector) & of_awards
        if area:
            condition |= Q(applicant__area=area) & of_awards
    condition |= Q(applicant__users=user)
    return awards.filter(condition).distinct()


@dataclass
class WinnerRow:
    award: Award
    status: str
    citation: str
    last_visit: FollowUpVisit | None
    visit_count: int
    open_case: RevocationCase | None

    @property
    def follow_up(self) -> str:
        return self.last_visit.status if self.last_visit else ""

    @property
    def needs_attention(self) -> bool:
        return self.follow_up in (VisitStatus.NEEDS_ATTENTION, VisitStatus.SERIOUS_CONCERN)


def winner_rows(*, user, today: datetime.date) -> list[WinnerRow]:
    """The winners' status list (A33): award status, the last visit, an open case.
    Three queries whatever the number of awards."""
    awards = awards_visible_to(user=user).prefetch_related(
        Prefetch(
            "follow_up_visits",
            FollowUpVisit.objects.order_by("-visited_on", "-pk"),
            to_attr="visits",
        ),
        Prefetch(
            "revocation_cases",
            RevocationCase.objects.filter(status__in=[CaseStatus.OPEN, CaseStatus.REVOKED]),
            to_attr="active_cases",
        ),
    )
    return [
        WinnerRow(
            award=award,
            status=award.status_on(today),
            citation=award_citation(
                year=award.awarded_on.year,
                award_name=award.cycle.rule_set_version.rule_set.award_name_zh,
            ),
            last_visit=cast(FollowUpVisit, award.visits[0]) if award.visits else None,
            visit_count=len(award.visits),
            open_case=cast(RevocationCase, award.active_cases[0]) if award.active_cases else None,
        )
        for award in awards
    ]


@dataclass
class UseRow:
    code: str
    name: str
    total: Decimal


@dataclass
class FundSummary:
    award: Award
    prize: Decimal
    spent: Decimal
    remaining: Decimal
    by_use: list[UseRow]
    reports: Sequence[FundReport]
    reviews: list[PerformanceReview]
    overdue_years: list[int] = field(default_factory=list)

    def due_on(self, year: int) -> datetime.date:
        return report_due_on(year)


def fund_summary(*, award: Award, today: datetime.date) -> FundSummary:
    """Totals per permitted use and against the prize; reports; ratings; overdue years."""
    uses = award.cycle.rule_set_version.rules.fund_uses.value
    totals = dict(
        Expense.objects.filter(report__award=award)
        .values_list("use_code")
        .annotate(total=Sum("amount"))
        .values_list("use_code", "total")
    )
    by_use = [
        UseRow(code=u.code, name=u.name, total=totals.get(u.code) or Decimal(0)) for u in uses
    ]
    reports = list(
        FundReport.objects.filter(award=award)
        .prefetch_related("expenses__evidence")
        .annotate(total=Sum("expenses__amount"))
        .order_by("budget_year")
    )
    spent = sum((row.total for row in by_use), Decimal(0))
    prize = Decimal(award.prize_yuan)
    submitted = [r for r in reports if r.status == FundReportStatus.SUBMITTED]
    overdue = (
        []
        if award.revoked_on is not None
        else overdue_report_years(
            first_budget_year=award.prize_budget_year,
            prize=prize,
            spent_by_year={r.budget_year: r.total or Decimal(0) for r in submitted},
            submitted_years=[r.budget_year for r in submitted],
            on=today,
        )
    )
    return FundSummary(
        award=award,
        prize=prize,
        spent=spent,
        remaining=prize - spent,
        by_use=by_use,
        reports=reports,
        reviews=list(PerformanceReview.objects.filter(award=award).order_by("year")),
        overdue_years=overdue,
    )


def cases_visible_to(*, user) -> QuerySet[RevocationCase]:
    cases = RevocationCase.objects.select_related("award__applicant", "award__cycle").order_by(
        "-opened_on", "-pk"
    )
    if user.has_perm("supervision.view_all"):
        return scope(cases, user, f"award__cycle__{CYCLE_AWARD}")
    return cases.none()


def misuse_reports_visible_to(*, user) -> QuerySet[MisuseReport]:
    """Reports of misuse of the honour: staff limited to awards see those of their
    awards' cycles and winners, and those that name neither (a forgery by a non-winner)."""
    reports = MisuseReport.objects.select_related("award__applicant", "evidence")
    if awards_of(user) is None:
        return reports
    return reports.filter(
        Q(award__isnull=True, cycle__isnull=True)
        | award_filter(user)
        | award_filter(user, award=f"award__cycle__{CYCLE_AWARD}")
    )


def published_revocations() -> QuerySet[RevocationCase]:
    """What the public portal lists: published revocations, newest first."""
    return (
        RevocationCase.objects.filter(published_on__isnull=False)
        .select_related("award__applicant", "award__cycle__rule_set_version__rule_set")
        .order_by("-published_on", "-pk")
    )
