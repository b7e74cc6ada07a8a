"""The government's approval (A22) and the awards (A23, A5, A3): certificate serial,
plaque, prize money with its budget year, validity, and revocation (A28, A29)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import AwardStatus


class Approval(TimeStampedModel):
    cycle = models.OneToOneField(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="approval"
    )
    document_number = models.CharField(_("document number"), max_length=100)
    approved_on = models.DateField(_("approved on"))
    document = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("approval document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("government approval")
        verbose_name_plural = _("government approvals")

    def __str__(self) -> str:
        return self.document_number


class Award(TimeStampedModel):
    winner = models.OneToOneField(
        "decisions.Winner", verbose_name=_("winner"), on_delete=models.PROTECT, related_name="award"
    )
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="decisions_awards",
    )
    applicant = models.ForeignKey(
        "applications.Applicant",
        verbose_name=_("winner"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    kind = models.CharField(_("kind"), max_length=20)
    serial = models.CharField(_("certificate number"), max_length=40, unique=True)
    awarded_on = models.DateField(_("awarded on"))
    valid_until = models.DateField(_("valid until"))
    certificate = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plaque_text = models.CharField(_("plaque text"), max_length=300)
    plaque_delivered_on = models.DateField(_("plaque delivered"), null=True, blank=True)
    prize_yuan = models.PositiveIntegerField(_("prize money (yuan)"), default=0)
    prize_budget_year = models.PositiveSmallIntegerField(
        _("prize budget year"), null=True, blank=True
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)

    class Meta:
        ordering = ["-awarded_on", "kind", "serial"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return self.serial

    def status_on(self, day: datetime.date) -> str:
        if self.revoked_on is not None and self.revoked_on <= day:
            return AwardStatus.REVOKED
        if day > self.valid_until:
            return AwardStatus.EXPIRED
        return AwardStatus.VALID
