from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.core.models import TimeStampedModel

from .enums import CycleStatus, StageCode


class Cycle(TimeStampedModel):
    """One cycle (届) of an award, run under one rule-set version."""

    rule_set_version = models.ForeignKey(
        "rulesets.RuleSetVersion",
        verbose_name=_("rule set version"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    number = models.PositiveSmallIntegerField(_("cycle number"))
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-number"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name


class CycleStage(models.Model):
    """The actual dates of one stage of a cycle, as they happen."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="stages"
    )
    code = models.CharField(_("stage"), max_length=40, choices=StageCode.choices)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="one_row_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_code_display()}"
