"""The office's history from before the system: past winners with their revocations, and
fraud bans, imported from its spreadsheets (`applications.history`).

Held by identity (an organisation's credit code, a person's identity number as a blind
index), as the A12(6) lists are, so a record counts for the applicant whenever it
registers; the eligibility adapter reads them into the same facts as native awards and
bans. Change them only through `applications.services.history`."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import HistoryKind
from ..periods import add_years
from ..validators import NAME_MAX_LENGTH
from .records import FileImport


class HistoryImport(FileImport):
    """One history file imported by the office: all its rows or none."""

    kind = models.CharField(_("kind"), max_length=20, choices=HistoryKind.choices)
    created_count = models.PositiveIntegerField(_("new records"))
    unchanged_count = models.PositiveIntegerField(_("already recorded"))

    class Meta(FileImport.Meta):
        verbose_name = _("history import")
        verbose_name_plural = _("history imports")


class Identified(models.Model):
    """Who a history record is about: an organisation by credit code or a person by the
    blind index of the identity number (the number itself is not kept, only masked)."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("resident identity number"), max_length=18, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)

    class Meta:
        abstract = True

    @property
    def identity(self) -> str:
        return self.credit_code or self.id_number_masked


def identity_constraints(name: str, date_field: str) -> list[models.BaseConstraint]:
    """An `Identified` record names an organisation or a person, and is recorded once per
    identity and date."""
    return [
        models.UniqueConstraint(
            fields=["credit_code", "id_number_index", date_field],
            name=f"applications_{name}_unique",
        ),
        models.CheckConstraint(
            condition=~Q(credit_code="", id_number_index=""),
            name=f"applications_{name}_identified",
        ),
    ]


def identity_indexes(name: str) -> list[models.Index]:
    """An `Identified` record is looked up by either identity."""
    return [
        models.Index(fields=["credit_code"], name=f"applications_{name}_code"),
        models.Index(fields=["id_number_index"], name=f"applications_{name}_id"),
    ]


class PastAward(Identified):
    """A winner of a past cycle, and its revocation if it was revoked."""

    award_year = models.PositiveSmallIntegerField(_("award year"))
    award_name = models.CharField(_("award"), max_length=200)
    awarded_on = models.DateField(_("awarded on"))
    document_number = models.CharField(_("commendation document"), max_length=200, blank=True)
    source_import = models.ForeignKey(
        HistoryImport, verbose_name=_("import"), on_delete=models.PROTECT, related_name="awards"
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    revocation_reference = models.CharField(_("revocation decision"), max_length=200, blank=True)
    revocation_import = models.ForeignKey(
        HistoryImport,
        verbose_name=_("revocation import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revocations",
    )

    class Meta:
        ordering = ["-award_year", "name"]
        verbose_name = _("past award")
        verbose_name_plural = _("past awards")
        constraints = identity_constraints("past_award", "award_year")
        indexes = identity_indexes("past_award")

    def __str__(self) -> str:
        return f"{self.name} · {self.award_year} {self.award_name}"


class PastBan(Identified):
    """A28: a fraud ban decided before the system, in force like a native `Ban`."""

    started_on = models.DateField(_("start date"))
    years = models.PositiveSmallIntegerField(_("years"))
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision document"), max_length=200)
    source_import = models.ForeignKey(
        HistoryImport, verbose_name=_("import"), on_delete=models.PROTECT, related_name="bans"
    )

    class Meta:
        ordering = ["-started_on", "name"]
        verbose_name = _("past ban")
        verbose_name_plural = _("past bans")
        constraints = identity_constraints("past_ban", "started_on")
        indexes = identity_indexes("past_ban")

    def __str__(self) -> str:
        return f"{self.name} · {self.started_on:%Y-%m-%d} +{self.years}"

    @property
    def ends_on(self) -> datetime.date:
        return add_years(self.started_on, self.years)
