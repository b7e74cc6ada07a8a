"""Helpers shared by the services: permission checks, recording cycle stages, and
checking free text."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.cycles import services as cycle_services
from qualityaward.cycles.models import CycleStage


def require(actor, perm: str, obj=None) -> None:
    """Users must hold the permission; system actors (commands, tests) are trusted."""
    if getattr(actor, "is_authenticated", False) and not actor.has_perm(perm, obj):
        raise NotAllowed()


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def stage_started(*, cycle, code: str, on: datetime.date, actor) -> None:
    """Record the stage's start on the cycle's timeline unless it is recorded already."""
    if CycleStage.objects.filter(cycle=cycle, code=code, started_on__isnull=True).exists():
        cycle_services.stage_start(cycle=cycle, code=code, on=on, actor=actor)


def stage_ended(*, cycle, code: str, on: datetime.date, actor) -> None:
    """Record the stage's end unless it is recorded already (cycles refuses an early end)."""
    if CycleStage.objects.filter(cycle=cycle, code=code, ended_on__isnull=True).exists():
        cycle_services.stage_end(cycle=cycle, code=code, on=on, actor=actor)


def clean_text(value: str, *, label: str, limit: int, required: bool) -> str:
    """`value` stripped; refused, naming the field, when empty (if required) or over `limit`."""
    value = (value or "").strip()
    if required and not value:
        raise QualityAwardError(_("%(field)s is required.") % {"field": label}, code="required")
    if len(value) > limit:
        raise QualityAwardError(
            _("%(field)s is too long: at most %(max)s characters (it has %(length)s).")
            % {"field": label, "max": limit, "length": len(value)},
            code="too_long",
        )
    return value
