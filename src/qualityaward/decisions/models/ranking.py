"""The candidate list the office proposes to the working group (A20) and the proposed
winners the working group decides (A21). Change them only through the services."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import WinnerStatus


class CandidateList(TimeStampedModel):
    """One proposal of candidates. A cycle may have several (after a cancellation the
    office proposes the next-ranked candidate)."""

    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    proposed_on = models.DateField(_("proposed"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    # The ranking as it stood when proposed: [{application_id, kind, name, rank, total, ...}].
    ranking_snapshot = models.JSONField(_("ranking"), default=list)

    class Meta:
        ordering = ["cycle", "number"]
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="decisions_list_number"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.number}"


class ListedCandidate(models.Model):
    candidate_list = models.ForeignKey(
        CandidateList,
        verbose_name=_("candidate list"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"))
    weighted_total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["candidate_list", "kind", "rank"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list", "application"], name="decisions_listed_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.application.applicant)


class Winner(TimeStampedModel):
    """A proposed winner decided by the working group; cancelled or approved later."""

    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"))
    weighted_total = models.DecimalField(
        _("total score"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    status = models.CharField(
        _("status"), max_length=20, choices=WinnerStatus.choices, default=WinnerStatus.PROPOSED
    )
    decided_in = models.ForeignKey(
        "decisions.Meeting",
        verbose_name=_("decided in"),
        on_delete=models.PROTECT,
        related_name="winners",
    )
    cancelled_in = models.ForeignKey(
        "decisions.Meeting",
        verbose_name=_("cancelled in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cancelled_winners",
    )
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)

    class Meta:
        ordering = ["cycle", "kind", "rank"]
        verbose_name = _("proposed winner")
        verbose_name_plural = _("proposed winners")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "application"], name="decisions_winner_once"),
        ]

    def __str__(self) -> str:
        return str(self.application.applicant)
