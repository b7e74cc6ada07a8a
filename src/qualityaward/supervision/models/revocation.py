"""A28, A29: revocation cases — evidence, the working group's decision, publication, the
return of certificate, plaque and money, and (for fraud) the ban.
Change them only through `supervision.services.revocation`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import CaseDecision, CaseStatus, ReturnItemKind, ReturnItemStatus, RevocationKind
from ._common import award_fk, file_fk, user_fk


class RevocationCase(TimeStampedModel):
    award = award_fk("revocation_cases")
    kind = models.CharField(_("kind"), max_length=30, choices=RevocationKind.choices)
    # A29: the accident or violation; A28: when the fraud came to light.
    event_on = models.DateField(_("date of the event"))
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = user_fk(_("opened by"))
    # The working group's decision.
    decision = models.CharField(
        _("decision"), max_length=20, choices=CaseDecision.choices, blank=True
    )
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    decision_reference = models.CharField(_("decision document number"), max_length=200, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    decision_document = file_fk(_("decision document"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # Publication (予以通报) on the public portal.
    published_on = models.DateField(_("published on"), null=True, blank=True)
    public_text = models.TextField(_("public notice"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    ban = models.ForeignKey(
        "applications.Ban",
        verbose_name=_("ban"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("revocation case")
        verbose_name_plural = _("revocation cases")

    def __str__(self) -> str:
        return f"{self.award} · {self.get_kind_display()}"


class CaseEvidence(models.Model):
    case = models.ForeignKey(
        RevocationCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    stored_file = models.ForeignKey(
        "documents.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    added_by = user_fk(_("added by"))
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["case", "added_at", "pk"]
        verbose_name = _("case evidence")
        verbose_name_plural = _("case evidence")

    def __str__(self) -> str:
        return self.title


class ReturnItem(models.Model):
    """One thing to recover after a revocation; the case closes when every item is done
    or waived with a reason."""

    case = models.ForeignKey(
        RevocationCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="returns"
    )
    kind = models.CharField(_("item"), max_length=20, choices=ReturnItemKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReturnItemStatus.choices,
        default=ReturnItemStatus.PENDING,
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = user_fk(_("recorded by"))

    class Meta:
        ordering = ["case", "kind"]
        verbose_name = _("return item")
        verbose_name_plural = _("return items")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="supervision_one_item_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"
