"""A33: departments visit the winners of their sector or area while the award is valid
(定期寻访, 动态管理). Change them only through `supervision.services.followup`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from ..enums import VisitStatus
from ._common import award_fk, user_fk


class FollowUpVisit(TimeStampedModel):
    award = award_fk("follow_up_visits")
    visited_on = models.DateField(_("visit date"))
    findings = models.TextField(_("findings"))
    status = models.CharField(_("status"), max_length=20, choices=VisitStatus.choices)
    recorded_by = user_fk(_("recorded by"))

    class Meta:
        ordering = ["award", "-visited_on", "-pk"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"{self.award} · {self.visited_on:%Y-%m-%d}"
