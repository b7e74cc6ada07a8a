"""Two-way feedback and oversight (A26, A8): after a stage, the applicant's users rate
each expert's conduct and each expert rates the applicant's cooperation
(`ConductRating`); the office records an expert's misconduct (`ExpertMisconduct`),
which suspends the expert. Change them only through `evaluation.services.feedback`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .experts import Expert
from .panels import PanelMember


class RatingDirection(models.TextChoices):
    APPLICANT_TO_EXPERT = "applicant_to_expert", _("Applicant rates the expert's conduct")
    EXPERT_TO_APPLICANT = "expert_to_applicant", _("Expert rates the applicant's cooperation")


class ConductRating(models.Model):
    panel_member = models.ForeignKey(
        PanelMember,
        verbose_name=_("panel member"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    direction = models.CharField(_("direction"), max_length=30, choices=RatingDirection.choices)
    score = models.PositiveSmallIntegerField(_("rating (1-5)"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        ordering = ["-rated_at", "-pk"]
        verbose_name = _("conduct rating")
        verbose_name_plural = _("conduct ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member", "direction", "rated_by"],
                name="evaluation_one_rating_per_member_direction",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="evaluation_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel_member} · {self.get_direction_display()}: {self.score}"


class ExpertMisconduct(models.Model):
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="misconduct"
    )
    description = models.TextField(_("what happened"))
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("expert misconduct")
        verbose_name_plural = _("expert misconduct records")

    def __str__(self) -> str:
        return f"{self.expert} · {self.recorded_at:%Y-%m-%d}"
