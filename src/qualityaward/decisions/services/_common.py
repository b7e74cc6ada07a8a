"""Helpers shared by the services: permission checks and recording cycle stages."""

from __future__ import annotations

import datetime

from qualityaward.core.errors import NotAllowed
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
