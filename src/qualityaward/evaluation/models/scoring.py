"""Scores (A13, A18): each member's percentage per item, the panel's consensus, and the
stage result. Change them only through `evaluation.services.scoring`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .panels import Panel, PanelMember

_PERCENT_OK = Q(percent__gte=0) & Q(percent__lte=100)


class ItemScore(models.Model):
    member = models.ForeignKey(
        PanelMember, verbose_name=_("panel member"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        "rulesets.FrameworkItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("percentage"))
    strengths = models.TextField(_("strengths"), blank=True)
    opportunities = models.TextField(_("opportunities for improvement"), blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        ordering = ["member", "item__category__order", "item__order"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["member", "item"], name="evaluation_one_item_score"),
            models.CheckConstraint(condition=_PERCENT_OK, name="evaluation_item_score_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.item_id}: {self.percent}%"


class ConsensusScore(models.Model):
    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="consensus"
    )
    item = models.ForeignKey(
        "rulesets.FrameworkItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("agreed percentage"))
    reason = models.TextField(_("reason"))
    flagged = models.BooleanField(_("discussed (spread above the threshold)"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["panel", "item__category__order", "item__order"]
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(fields=["panel", "item"], name="evaluation_one_consensus"),
            models.CheckConstraint(condition=_PERCENT_OK, name="evaluation_consensus_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.item_id}: {self.percent}%"


class StageResult(models.Model):
    panel = models.OneToOneField(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="result"
    )
    total = models.DecimalField(_("total (of 1000)"), max_digits=7, decimal_places=2)
    # {category code: points as a string}
    category_scores = models.JSONField(_("category scores"), default=dict)
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        ordering = ["panel"]
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")

    def __str__(self) -> str:
        return f"{self.panel}: {self.total}"


class ApplicationStanding(models.Model):
    """What the ranking (A20) needs of an application's stage results, kept in step by
    `evaluation.services.standings`: written in the transaction that writes a stage
    result, so the ranking reads one row per application instead of every panel."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="standing",
    )
    # None until every stage the application reached has a result
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    # the results category (4.7) of the last stage with a result: the first tie-break
    results_score = models.DecimalField(_("results score"), max_digits=7, decimal_places=2)
    site_visit_total = models.DecimalField(_("site visit total"), max_digits=7, decimal_places=2)
    # the stage after which it stopped (below the next stage's threshold), else ""
    stopped_at = models.CharField(_("stopped after"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application standing")
        verbose_name_plural = _("application standings")

    def __str__(self) -> str:
        return f"{self.pk}: {self.weighted_total}"
