"""Results published for public comment (A19, A27) and the comments received.

What the public sees is a snapshot taken at publication (`entries`), holding only the
fields the rule set's `public_result_fields` lists. Change these only through
`decisions.services.publication`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityaward.core.fields import EncryptedTextField
from qualityaward.core.models import TimeStampedModel

from ..enums import CONTACT_MAX, NAME_MAX, CommentOutcome, CommentStatus


class ResultPublication(TimeStampedModel):
    cycle = models.OneToOneField(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="result_publication",
    )
    published_on = models.DateField(_("published"))
    first_day = models.DateField(_("first day of the comment period"))
    last_day = models.DateField(_("last day of the comment period"))
    fields = models.JSONField(_("published fields"), default=list)
    entries = models.JSONField(_("published results"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("published results")
        verbose_name_plural = _("published results")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"

    def is_open_on(self, day) -> bool:
        return self.closed_on is None and self.first_day <= day <= self.last_day


class PublicComment(models.Model):
    """A comment from the public on the results, about one applicant."""

    publication = models.ForeignKey(
        ResultPublication,
        verbose_name=_("published results"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("concerns"),
        on_delete=models.PROTECT,
        related_name="public_comments",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    contact = EncryptedTextField(_("contact details"), max_length=CONTACT_MAX, blank=True)
    text = models.TextField(_("comment"))
    evidence = models.OneToOneField(
        "documents.StoredFile",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=30, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=CommentOutcome.choices, blank=True
    )
    outcome_text = models.TextField(_("how it was handled"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.name} → {self.application.applicant}"
