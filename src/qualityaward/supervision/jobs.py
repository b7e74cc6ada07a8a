"""Daily check of the supervision stage (run by notifications.services.run_daily_jobs)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from qualityaward.cycles.enums import CycleStatus
from qualityaward.decisions.models import Award
from qualityaward.notifications.services import notify

from .enums import FundReportStatus
from .models import FundReport
from .periods import overdue_report_years, report_due_on


def remind_overdue_fund_reports(*, day: datetime.date) -> int:
    """Remind a winner's users of every fund-use report past its due date (31 March of
    the year after the budget year), once a week per award and year. Returns reminders."""
    awards = (
        Award.objects.filter(revoked_on__isnull=True, prize_yuan__gt=0)
        .exclude(prize_budget_year__isnull=True)
        .exclude(cycle__status=CycleStatus.CLOSED)
        .select_related("applicant")
        .prefetch_related("applicant__users")
    )
    submitted: dict[int, dict[int, Decimal]] = {}
    for award_id, year, total in (
        FundReport.objects.filter(status=FundReportStatus.SUBMITTED, award__in=awards)
        .values_list("award_id", "budget_year")
        .annotate(total=Sum("expenses__amount"))
    ):
        submitted.setdefault(award_id, {})[year] = total or Decimal(0)
    week = day.isocalendar()
    sent = 0
    for award in awards:
        reported = submitted.get(award.pk, {})
        years = overdue_report_years(
            first_budget_year=award.prize_budget_year,
            prize=Decimal(award.prize_yuan),
            spent_by_year=reported,
            submitted_years=reported.keys(),
            on=day,
        )
        users = [u for u in award.applicant.users.all() if u.is_active]
        for year in years:
            sent += len(
                notify(
                    recipients=users,
                    kind="fund_report_overdue",
                    subject=_("The report on the use of the prize money for %(year)s is overdue")
                    % {"year": year},
                    body=_("It was due by %(date)s (Article 24).")
                    % {"date": report_due_on(year).isoformat()},
                    url=reverse("supervision:funds", args=[award.pk]),
                    dedupe_key=f"fund_report_overdue:{award.pk}:{year}:{week[0]}-{week[1]}",
                )
            )
    return sent
