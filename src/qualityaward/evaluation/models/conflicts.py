"""Conflicts of interest (A25): what experts declare, the groups of companies the office
keeps, the conflicts found, and office staff's own conflicts.

Change them only through `evaluation.services.conflicts`; read through
`evaluation.selectors.conflicts` and `evaluation.rules.has_conflict`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import ConflictKind, ConflictSource
from .experts import Expert


class OrganisationGroup(TimeStampedModel):
    """A group of companies (集团): its members, by credit code, conflict together."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group of companies")
        verbose_name_plural = _("groups of companies")

    def __str__(self) -> str:
        return self.name


class OrganisationGroupMember(models.Model):
    group = models.ForeignKey(
        OrganisationGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "name", "credit_code"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "credit_code"], name="evaluation_group_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.name or self.credit_code}"


class ConflictDeclaration(TimeStampedModel):
    """A relation an expert declares: with an applicant, or with an organisation or a
    person by credit code or name. Withdrawn, never deleted."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="declarations"
    )
    kind = models.CharField(_("relation"), max_length=20, choices=ConflictKind.choices)
    applicant = models.ForeignKey(
        "applications.Applicant",
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("organisation or person"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    description = models.TextField(_("description"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant__isnull=False) | ~Q(name="") | ~Q(credit_code=""),
                name="evaluation_declaration_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.get_kind_display()} · {self.name or self.credit_code}"


class Conflict(models.Model):
    """A conflict found between an expert and an applicant. Kept when it no longer holds
    (`active` False, `cleared_at` set), so the record of recusals stays complete.

    Written only by `services.conflicts.conflicts_refresh`."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="conflicts"
    )
    applicant = models.ForeignKey(
        "applications.Applicant",
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="expert_conflicts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConflictKind.choices)
    source = models.CharField(_("source"), max_length=30, choices=ConflictSource.choices)
    basis = models.CharField(_("basis"), max_length=300)
    explanation = models.TextField(_("explanation"))
    detected_at = models.DateTimeField(_("detected"))
    active = models.BooleanField(_("active"), default=True)
    cleared_at = models.DateTimeField(_("no longer holds since"), null=True, blank=True)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "applicant", "kind", "source", "basis"],
                name="evaluation_conflict_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["expert", "active"], name="evaluation_conflict_expert_idx"),
            models.Index(fields=["applicant", "active"], name="evaluation_conflict_appl_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.applicant} · {self.get_kind_display()}"


class StaffConflict(TimeStampedModel):
    """An office staff member (or any other user) with an interest in an applicant: they
    recuse too (A25)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="staff_conflicts",
    )
    applicant = models.ForeignKey(
        "applications.Applicant",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="staff_conflicts",
    )
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("staff conflict of interest")
        verbose_name_plural = _("staff conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "applicant"],
                condition=Q(active=True),
                name="evaluation_one_active_staff_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.applicant}"
