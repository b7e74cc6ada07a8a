"""Panels (A18): for each stage of a cycle, the experts who evaluate one application.

Formed by `evaluation.services.panels` (the optimal assignment or a random draw, then
manual overrides by the agency's coordinator). Every run of the solver is kept as an
`AssignmentRun` with its input and seed, so a random draw can be replayed
(`services.panels.panel_draw_replay`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityaward.rulesets.enums import StageCode

from .experts import Expert


class MemberMethod(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal assignment")
    RANDOM_DRAW = "random_draw", _("Random draw")
    MANUAL = "manual", _("Chosen by the coordinator")


class AssignmentRun(models.Model):
    """One run of the assignment for a stage: what went in, what came out, the seed."""

    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=30, choices=StageCode.choices)
    method = models.CharField(_("method"), max_length=20, choices=MemberMethod.choices)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    # {"applications": [[id, sector]], "experts": [[id, [sectors], level, load]],
    #  "conflicts": [[expert id, application id]], "panel_size", "load_cap", "q"}
    inputs = models.JSONField(_("input"), default=dict)
    # {application id: [expert ids]}
    panels = models.JSONField(_("panels"), default=dict)
    created_at = models.DateTimeField(_("run"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_stage_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class Panel(models.Model):
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="panels",
    )
    stage = models.CharField(_("stage"), max_length=30, choices=StageCode.choices)
    lead = models.ForeignKey(
        Expert,
        verbose_name=_("panel lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    run = models.ForeignKey(
        AssignmentRun,
        verbose_name=_("assignment run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Site visit and presentation: when and where.
    scheduled_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("formed"), auto_now_add=True)

    class Meta:
        ordering = ["cycle", "stage", "application", "pk"]
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage"], name="evaluation_one_panel_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_stage_display()}"


class PanelMember(models.Model):
    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="members"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="memberships"
    )
    method = models.CharField(_("chosen by"), max_length=20, choices=MemberMethod.choices)
    # Why this expert: {"sector_match": bool, "qualification_level": int, "score": int,
    # "note": str (manual choices)}
    reasons = models.JSONField(_("why chosen"), default=dict, blank=True)
    draw_seed = models.BigIntegerField(_("draw seed"), null=True, blank=True)
    confirmed_no_conflict_at = models.DateTimeField(
        _("confirmed no conflict of interest"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["panel", "expert__name", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="evaluation_one_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.expert}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_no_conflict_at is not None

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class SiteVisitCheck(models.Model):
    """One point the site visit verifies (from the self-evaluation or the evidence), and
    what the panel found."""

    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(
        "rulesets.FrameworkItem",
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.ForeignKey(
        "applications.Evidence",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(_("what to verify"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)
    finding = models.TextField(_("finding"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["panel", "order", "pk"]
        verbose_name = _("site visit check")
        verbose_name_plural = _("site visit checks")

    def __str__(self) -> str:
        return self.text
