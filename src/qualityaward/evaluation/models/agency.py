"""The evaluation agency (评审机构), chosen by government procurement (A17), and the
users who coordinate its work. Change them only through `evaluation.services.agency`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.fields import EncryptedTextField
from qualityaward.core.models import TimeStampedModel

from ..enums import ProcurementMethod


class Agency(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("evaluation agency")
        verbose_name_plural = _("evaluation agencies")

    def __str__(self) -> str:
        return self.name


class AgencyCoordinator(models.Model):
    """A user with the agency role who works for one agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="coordinators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="agency_memberships",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["agency", "pk"]
        verbose_name = _("agency coordinator")
        verbose_name_plural = _("agency coordinators")
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="evaluation_one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.user}"


class Procurement(TimeStampedModel):
    """How and when an agency was procured (A17), with the contract documents."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="procurements"
    )
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procurements",
    )
    method = models.CharField(
        _("procurement method"), max_length=40, choices=ProcurementMethod.choices
    )
    procured_on = models.DateField(_("date"))
    contract_number = models.CharField(_("contract number"), max_length=100)
    notes = models.TextField(_("notes"), blank=True)
    documents = models.ManyToManyField(
        "documents.StoredFile", verbose_name=_("documents"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-procured_on", "-pk"]
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")

    def __str__(self) -> str:
        return f"{self.agency} · {self.contract_number}"
