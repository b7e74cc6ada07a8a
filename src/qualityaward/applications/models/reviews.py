"""The qualification review (A16): decisions of the office and the one-time supplement
request (一次性告知), whose days pause the review clock. Change them only through
`applications.services.reviews`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ReviewOutcome
from .applications import Application


class SupplementRequest(models.Model):
    """Everything to supplement, told at once; received when the applicant submits it."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="supplement_requests",
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    requested_on = models.DateField(_("requested on"))
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    # [{"section": FormSection value, "note": "what to supplement"}]
    items = models.JSONField(_("items to supplement"), default=list)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    snapshot_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("supplement PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="applications_supplement_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.number}"

    @property
    def sections(self) -> list[str]:
        return [item["section"] for item in self.items]

    @property
    def is_open(self) -> bool:
        return self.received_on is None


class ReviewDecision(models.Model):
    """One decision of the qualification review, with the clauses it rests on."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    # [{"clause": "第十条第（一）项", "text": "..."}]
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "decided_at", "pk"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_outcome_display()}"
