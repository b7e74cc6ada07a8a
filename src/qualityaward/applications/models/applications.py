"""An application (A15): the form, the self-evaluation against the cycle's framework,
evidence (with the A30 trade-secret mark), declarations and declared interests.

A draft changes section by section with optimistic concurrency (`version`); submission
freezes it (snapshot JSON, PDF, receipt number). After that only a supplement the office
asked for (A16) changes the listed sections. Change it only through
`applications.services.applications`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualityaward.core.fields import EncryptedTextField
from qualityaward.core.models import TimeStampedModel

from ..enums import ApplicationState
from ..validators import NAME_MAX_LENGTH
from .applicants import Applicant
from .calls import Call

CONTACT_MAX = 100
PHONE_MAX = 30
ACHIEVEMENTS_MAX = 5000
KEY_FIGURES_MAX = 2000
ITEM_TEXT_MAX = 3000
RELATION_MAX = 200


class Application(TimeStampedModel):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        Applicant,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(
        _("state"), max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # The form (kept simple: the fields every call asks for).
    contact_person = models.CharField(_("contact person"), max_length=CONTACT_MAX, blank=True)
    contact_phone = EncryptedTextField(_("telephone"), max_length=PHONE_MAX, blank=True)
    achievements = models.TextField(_("summary of quality achievements"), blank=True)
    key_figures = models.TextField(_("key figures"), blank=True)
    # Declarations (A28 pledge, the eligibility attestations by finding code).
    pledge = models.BooleanField(_("truthfulness pledge"), default=False)
    attested = models.JSONField(_("attested conditions"), default=list, blank=True)
    # Submission.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    receipt_seq = models.PositiveIntegerField(_("receipt serial"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    snapshot_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("application PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "applicant"], name="applications_one_per_cycle"
            ),
            models.UniqueConstraint(
                fields=["cycle", "receipt_seq"],
                condition=Q(receipt_seq__isnull=False),
                name="applications_receipt_seq_unique",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="applications_receipt_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["state"], name="application_state_idx"),
            # The review list's latest decisions: 26 ms sorting 20,000 rows without it.
            models.Index(fields=["-decided_at", "-id"], name="application_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("applications:application", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == ApplicationState.DRAFT


class SelfEvaluation(models.Model):
    """The applicant's text and self-score (a percentage in steps of 5) for one item."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="self_evaluations",
    )
    item = models.ForeignKey(
        "rulesets.FrameworkItem",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("description"), blank=True)
    percent = models.PositiveSmallIntegerField(_("self-score (%)"), null=True, blank=True)

    class Meta:
        ordering = ["application", "item__category__order", "item__order"]
        verbose_name = _("self-evaluation item")
        verbose_name_plural = _("self-evaluation items")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="applications_one_score"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="applications_percent_max_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.item.code}"


def item_score(points: int, percent: int | None) -> Decimal:
    """points * percent / 100 (0 when not scored)."""
    if percent is None:
        return Decimal(0)
    return (Decimal(points) * percent / 100).quantize(Decimal("0.1"))


class Evidence(models.Model):
    """An uploaded evidence file; A30: the applicant marks trade or technical secrets."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    stored_file = models.OneToOneField(
        "documents.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    is_trade_secret = models.BooleanField(_("trade or technical secret"), default=False)
    supplement = models.ForeignKey(
        "applications.SupplementRequest",
        verbose_name=_("added in the supplement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class DeclaredInterest(models.Model):
    """A person or organisation the applicant has ties with (used for recusal, A25)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    person_name = models.CharField(_("person"), max_length=NAME_MAX_LENGTH, blank=True)
    organisation = models.CharField(
        _("organisation name or credit code"), max_length=NAME_MAX_LENGTH, blank=True
    )
    relation = models.CharField(_("relation"), max_length=RELATION_MAX)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["application", "order", "pk"]
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")

    def __str__(self) -> str:
        return f"{self.person_name or self.organisation} ({self.relation})"
