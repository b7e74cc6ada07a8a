"""The expert pool: experts of an agency, their qualifications and employment history.
Change them only through `evaluation.services.experts`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import QUALIFICATION_LEVELS, ExpertStatus, QualificationKind
from .agency import Agency


class Expert(TimeStampedModel):
    """An expert's profile. Suspended experts (A8: the office supervises experts) are
    never assigned."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="experts"
    )
    name = models.CharField(_("name"), max_length=100)
    expertise = models.TextField(
        _("fields of expertise"), blank=True, help_text=_("For example: food safety, logistics.")
    )
    # applications.enums.Sector values
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="evaluation_expert_availability_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="evaluation_expert_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.status == ExpertStatus.SUSPENDED

    def is_available_on(self, day: datetime.date) -> bool:
        return (self.available_from is None or self.available_from <= day) and (
            self.available_until is None or day <= self.available_until
        )

    def qualification_level_on(self, day: datetime.date) -> int:
        """The highest level of the qualifications valid on `day` (prefetch them)."""
        return max((q.level for q in self.qualifications.all() if q.is_valid_on(day)), default=0)


class Qualification(models.Model):
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("qualification"), max_length=30, choices=QualificationKind.choices)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("The exact title, for another qualification."),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["expert", "kind", "pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def level(self) -> int:
        return QUALIFICATION_LEVELS.get(self.kind, 0)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_until is None or day <= self.valid_until


class Employment(TimeStampedModel):
    """One job of an expert, current when `end_date` is empty. The conflict check reads
    these (A25): an employer of the last years may not be evaluated."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="employments"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    organisation = models.ForeignKey(
        "applications.Organisation",
        verbose_name=_("registered organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty: current."))
    position = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        ordering = ["expert", "-start_date", "-pk"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="evaluation_employment_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["credit_code"], name="evaluation_employment_code_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.start_date:%Y-%m-%d} – {self.end_date or ''})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
