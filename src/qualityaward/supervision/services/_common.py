"""Helpers shared by the services: permission checks and the closed-cycle freeze."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.cycles.enums import CycleStatus


def require(actor, perm: str, obj=None) -> None:
    """Users must hold the permission; system actors (commands, tests) are trusted."""
    if getattr(actor, "is_authenticated", False) and not actor.has_perm(perm, obj):
        raise NotAllowed()


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def ensure_cycle_open(cycle) -> None:
    """A closed cycle is archived: its records no longer change."""
    if cycle is not None and cycle.status == CycleStatus.CLOSED:
        raise QualityAwardError(
            _("%(cycle)s is closed and archived; its records can no longer be changed.")
            % {"cycle": cycle.name},
            code="cycle_closed",
        )


def text_optional(value: str, *, limit: int = 5000) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise QualityAwardError(
            _("The text is too long (at most %(limit)s characters).") % {"limit": limit},
            code="too_long",
        )
    return value


def text_required(value: str, message: str, *, code: str = "required", limit: int = 5000) -> str:
    value = text_optional(value, limit=limit)
    if not value:
        raise QualityAwardError(message, code=code)
    return value
