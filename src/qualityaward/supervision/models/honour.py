"""A31, A32: reports of misuse or forgery of the title, certificate, plaque or emblem.
Change them only through `supervision.services.honour`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import MisuseKind, MisuseStatus
from ._common import file_fk, user_fk


class MisuseReport(TimeStampedModel):
    # Forgery is often by someone who never won: the award is optional.
    award = models.ForeignKey(
        "decisions.Award",
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="misuse_reports",
    )
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MisuseKind.choices)
    reported_on = models.DateField(_("reported on"))
    reporter = models.CharField(_("reporter"), max_length=200)
    subject = models.CharField(_("who misused it"), max_length=200)
    description = models.TextField(_("description"))
    evidence = file_fk(_("evidence"))
    status = models.CharField(
        _("status"), max_length=20, choices=MisuseStatus.choices, default=MisuseStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = user_fk(_("recorded by"))

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("misuse report")
        verbose_name_plural = _("misuse reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"
