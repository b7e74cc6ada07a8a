"""A24: how the prize money is spent (reports with expenses) and the office's yearly
performance evaluation. Change them only through `supervision.services.funds`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import FundReportStatus, PerformanceRating
from ._common import award_fk, file_fk, user_fk


class FundReport(TimeStampedModel):
    """The winner's report of one budget year: the expenses paid in that year."""

    award = award_fk("fund_reports")
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FundReportStatus.choices,
        default=FundReportStatus.DRAFT,
    )
    summary = models.TextField(_("summary"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = user_fk(_("submitted by"))

    class Meta:
        ordering = ["award", "budget_year"]
        verbose_name = _("fund-use report")
        verbose_name_plural = _("fund-use reports")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "budget_year"], name="supervision_one_report_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.budget_year}"


class Expense(models.Model):
    """One payment out of the prize money, under one of the rule set's permitted uses."""

    report = models.ForeignKey(
        FundReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="expenses"
    )
    use_code = models.CharField(_("use"), max_length=50)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    spent_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    evidence = file_fk(_("evidence"))
    recorded_by = user_fk(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["report", "spent_on", "pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="supervision_expense_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.use_code} {self.amount}"


class PerformanceReview(TimeStampedModel):
    """The office's rating of the money's use in one year (专项财政资金绩效评价)."""

    award = award_fk("performance_reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=20, choices=PerformanceRating.choices)
    comments = models.TextField(_("comments"), blank=True)
    rated_by = user_fk(_("rated by"))

    class Meta:
        ordering = ["award", "year"]
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "year"], name="supervision_one_rating_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.year} · {self.get_rating_display()}"
