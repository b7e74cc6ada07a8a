"""Reads of panels for the pages: a cycle's panels per stage, an expert's assignments,
what a member may see of the others' scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from qualityaward.core.links import pk_link
from qualityaward.cycles.models import Cycle
from qualityaward.rulesets.enums import StageCode

from ..models import AssignmentRun, ItemScore, Panel, PanelMember
from .conflicts import conflicted_applicant_ids


def panels_base() -> QuerySet[Panel]:
    return Panel.objects.select_related(
        "application__applicant", "cycle__rule_set_version", "lead", "result"
    ).prefetch_related(
        Prefetch("members", PanelMember.objects.select_related("expert").order_by("pk"))
    )


def panels_of_stage(*, cycle: Cycle, stage_code: str) -> list[Panel]:
    return list(panels_base().filter(cycle=cycle, stage=stage_code).order_by("application_id"))


def runs_of(*, cycle: Cycle) -> QuerySet[AssignmentRun]:
    return AssignmentRun.objects.filter(cycle=cycle).select_related("created_by")


def _seats(user) -> QuerySet[PanelMember]:
    """The user's panel seats, without those of applicants they must recuse from."""
    hidden = conflicted_applicant_ids(user=user)
    return (
        PanelMember.objects.filter(expert__user=user)
        .exclude(panel__application__applicant_id__in=hidden)
        .order_by("-panel__created_at", "pk")
    )


def assignments_of(*, user) -> list[PanelMember]:
    """The user's panel seats, without those of applicants they must recuse from."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        _seats(user).select_related(
            "panel__application__applicant", "panel__cycle", "panel__result"
        )
    )


class Assignment(NamedTuple):
    """One row of the task list, as the page shows it."""

    url: str
    applicant: str
    stage: str
    cycle: str
    status: str


def assignment_list(*, user) -> list[Assignment]:
    """The task list: each seat's columns read as plain values, with the labels
    translated and the link built once, not per row."""
    if not getattr(user, "is_authenticated", False):
        return []
    stages = {value: str(label) for value, label in StageCode.choices}
    submitted, scoring, confirm = (
        _("Submitted"),
        _("Scoring"),
        _("Confirm no conflict of interest"),
    )
    link = pk_link("evaluation:member")
    rows = _seats(user).values_list(
        "pk",
        "panel__application__applicant__name",
        "panel__stage",
        "panel__cycle__name",
        "submitted_at",
        "confirmed_no_conflict_at",
    )
    return [
        Assignment(
            link(pk),
            applicant,
            stages.get(stage, stage),
            cycle,
            submitted if submitted_at else scoring if confirmed_at else confirm,
        )
        for pk, applicant, stage, cycle, submitted_at, confirmed_at in rows
    ]


@dataclass(frozen=True)
class OthersScores:
    visible: bool
    # {item id: [(expert name, percent)]}
    by_item: dict[int, list[tuple[str, int]]]


def others_scores(*, member: PanelMember) -> OthersScores:
    """Others' scores, when the rule set allows it before consensus, or once the member
    has submitted (independent scoring first)."""
    rules = member.panel.cycle.rule_set_version.rules
    allowed = bool(rules.experts_see_scores_before_consensus.value) or (
        member.submitted_at is not None
    )
    if not allowed:
        return OthersScores(False, {})
    by_item: dict[int, list[tuple[str, int]]] = {}
    for score in (
        ItemScore.objects.filter(member__panel_id=member.panel_id)
        .exclude(member=member)
        .select_related("member__expert")
        .order_by("member__expert__name")
    ):
        by_item.setdefault(score.item_id, []).append((score.member.expert.name, score.percent))
    return OthersScores(True, by_item)
