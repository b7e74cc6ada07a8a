"""What the office records about applicants: list entries (A12.6), compliance records
(A11.4, A12.1 to A12.5), fraud bans (A28); and the yearly financial results (A10.3).

Change them only through `applications.services.records`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import ComplianceKind, ListKind
from ..periods import add_years
from ..validators import NAME_MAX_LENGTH
from .applicants import Applicant, Organisation


class FileImport(models.Model):
    """One file imported by the office: who imported it, when, and how many rows it had.
    Concrete imports add their `kind` and their counts."""

    FILENAME_MAX_LENGTH = 200

    filename = models.CharField(_("file"), max_length=FILENAME_MAX_LENGTH, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    if TYPE_CHECKING:
        # Declared by every concrete import; the stubs see none of them on this class.
        objects: ClassVar[models.Manager[Self]]
        kind: str

        def get_kind_display(self) -> str: ...

    class Meta:
        abstract = True
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename or self.pk}"

    @classmethod
    def record(cls, *, filename: str, actor, **fields) -> Self:
        """Create the import, the file name cut to fit and the importer kept only when
        signed in (a management command imports with no user)."""
        return cls.objects.create(
            filename=filename[: cls.FILENAME_MAX_LENGTH],
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            **fields,
        )


class ListImport(FileImport):
    """One CSV file of a list, imported by the office."""

    kind = models.CharField(_("list"), max_length=30, choices=ListKind.choices)
    created_count = models.PositiveIntegerField(_("new entries"))
    updated_count = models.PositiveIntegerField(_("updated entries"))

    class Meta(FileImport.Meta):
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")


class ListEntry(models.Model):
    """One listing of an entity (by credit code) on one of the A12.6 lists.

    On the list from `listed_on` (inclusive) until `removed_on` (exclusive: on the day
    of removal it is no longer listed)."""

    kind = models.CharField(_("list"), max_length=30, choices=ListKind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    listed_on = models.DateField(_("listed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    authority = models.CharField(_("authority"), max_length=200)
    source_import = models.ForeignKey(
        ListImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="entries",
    )

    class Meta:
        ordering = ["kind", "credit_code", "-listed_on"]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "credit_code", "listed_on"], name="applications_listing_unique"
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("listed_on")),
                name="applications_listing_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["credit_code"], name="applications_listing_code_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.credit_code} {self.name}"

    def is_listed_on(self, day: datetime.date) -> bool:
        return self.listed_on <= day and (self.removed_on is None or day < self.removed_on)


class ComplianceRecord(TimeStampedModel):
    """A fact bearing on eligibility: an accident, a violation, fraud, a tax offence …

    Kept, never deleted: a wrong record is withdrawn (with a reason) and then ignored."""

    applicant = models.ForeignKey(
        Applicant,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="compliance_records",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ComplianceKind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    source_document = models.CharField(
        _("source document"),
        max_length=300,
        help_text=_("The decision, notice or report it comes from, with its number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("compliance record")
        verbose_name_plural = _("compliance records")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_on:%Y-%m-%d}"


class Ban(TimeStampedModel):
    """A28: after a revocation for fraud, no application for the rule set's years.

    In force from `started_on` through the same day `years` later (“5年内” includes the
    last day), unless lifted."""

    applicant = models.ForeignKey(
        Applicant, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="bans"
    )
    started_on = models.DateField(_("start date"))
    years = models.PositiveSmallIntegerField(_("years"))
    rule_source = models.CharField(
        _("rule"), max_length=100, blank=True, help_text=_("Where the number of years comes from.")
    )
    reason = models.TextField(_("reason"))
    revocation_reference = models.CharField(_("revocation decision"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("ban")
        verbose_name_plural = _("bans")

    def __str__(self) -> str:
        return f"{self.applicant} · {self.started_on:%Y-%m-%d} +{self.years}"

    @property
    def ends_on(self) -> datetime.date:
        """The last day of the ban."""
        return add_years(self.started_on, self.years)


class AnnualResult(TimeStampedModel):
    """One fiscal (calendar) year's figures of an organisation, in yuan (A10.3)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="annual_results",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    revenue = models.DecimalField(_("revenue (yuan)"), max_digits=18, decimal_places=2)
    profit = models.DecimalField(
        _("operating profit (yuan)"),
        max_digits=18,
        decimal_places=2,
        help_text=_("Negative for a loss."),
    )

    class Meta:
        ordering = ["organisation", "-fiscal_year"]
        verbose_name = _("annual result")
        verbose_name_plural = _("annual results")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="applications_one_result_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.fiscal_year}"
