"""Publicity of the proposed winners (A22) and the objections raised in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityaward.core.fields import EncryptedTextField
from qualityaward.core.models import TimeStampedModel

from ..enums import CONTACT_MAX, NAME_MAX, ObjectionStatus


class Publicity(TimeStampedModel):
    """One publication of proposed winners for `publicity_workdays` working days. A
    winner proposed after a cancellation is published in a publicity of its own."""

    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    winners = models.ManyToManyField(
        "decisions.Winner", verbose_name=_("proposed winners"), related_name="publicities"
    )
    published_on = models.DateField(_("published"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"

    def is_open_on(self, day) -> bool:
        return self.first_day <= day <= self.last_day


class Objection(models.Model):
    publicity = models.ForeignKey(
        Publicity, verbose_name=_("publicity"), on_delete=models.PROTECT, related_name="objections"
    )
    winner = models.ForeignKey(
        "decisions.Winner",
        verbose_name=_("concerns"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    contact = EncryptedTextField(_("contact details"), max_length=CONTACT_MAX)
    text = models.TextField(_("objection"))
    evidence = models.ManyToManyField(
        "documents.StoredFile", verbose_name=_("evidence"), related_name="+", blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    findings = models.TextField(_("findings"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.name} → {self.winner}"

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.OPEN
