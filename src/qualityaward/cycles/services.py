from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.rulesets.models import RuleSetVersion
from qualityaward.rulesets.schema import citation
from qualityaward.rulesets.selectors import version_check_in_effect
from qualityaward.rulesets.services import ruleset_version_freeze
from qualityaward.workdays import calendar

from .enums import STAGE_LIMITS, CycleStatus, LimitKind, StageCode, stage_article
from .models import Cycle, CycleStage

STAGE_ORDER = list(StageCode.values)


def _require(actor, perm: str) -> None:
    """Users must hold the permission; system actors (commands, demo data) are trusted."""
    if getattr(actor, "is_authenticated", False) and not actor.has_perm(perm):
        raise NotAllowed()


@transaction.atomic
def cycle_open(
    *, version: RuleSetVersion, number: int, name: str, start_date: date, actor
) -> Cycle:
    """Open a cycle (届) under a rule-set version in effect on its start date (A34)."""
    _require(actor, "cycles.manage")
    version = RuleSetVersion.objects.select_for_update().get(pk=version.pk)
    version_check_in_effect(version=version, on=start_date)
    if Cycle.objects.filter(
        rule_set_version__rule_set_id=version.rule_set_id, number=number
    ).exists():
        raise QualityAwardError(
            _("Cycle number %(number)s already exists for this award.") % {"number": number},
            code="duplicate_cycle",
        )
    cycle = Cycle.objects.create(
        rule_set_version=version,
        number=number,
        name=name,
        start_date=start_date,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    CycleStage.objects.bulk_create(CycleStage(cycle=cycle, code=code) for code in STAGE_ORDER)
    ruleset_version_freeze(version=version, actor=actor)
    audit_append(
        actor=actor,
        action="cycles.cycle_open",
        obj=cycle,
        changes={"version": version.pk, "number": number, "start_date": start_date},
    )
    return cycle


def _locked_stage(cycle: Cycle, code: str) -> CycleStage:
    if code not in STAGE_ORDER:
        raise QualityAwardError(_("Unknown stage."), code="unknown_stage")
    stage = (
        CycleStage.objects.select_for_update().select_related("cycle").get(cycle=cycle, code=code)
    )
    if stage.cycle.status != CycleStatus.OPEN:
        raise QualityAwardError(
            _("The cycle is closed: its stages can no longer change. Open a new cycle instead."),
            code="cycle_closed",
        )
    return stage


def _article(cycle: Cycle, code: str) -> str:
    return citation(stage_article(cycle.rule_set_version.rules, code))


@transaction.atomic
def stage_start(*, cycle: Cycle, code: str, on: date, actor) -> CycleStage:
    """Record that a stage started. The stage before it must have ended."""
    _require(actor, "cycles.manage")
    stage = _locked_stage(cycle, code)
    name = stage.get_code_display()
    if stage.started_on is not None:
        raise QualityAwardError(
            _(
                "%(stage)s already started on %(date)s. The next step is to record its end "
                "once its work is done."
            )
            % {"stage": name, "date": date_format(stage.started_on)},
            code="stage_started",
        )
    index = STAGE_ORDER.index(code)
    if index > 0:
        previous = CycleStage.objects.get(cycle=cycle, code=STAGE_ORDER[index - 1])
        if previous.ended_on is None:
            raise QualityAwardError(
                _(
                    "%(stage)s comes after %(previous)s (%(article)s). First record the end "
                    "of %(previous)s on the cycle page."
                )
                % {
                    "stage": name,
                    "previous": previous.get_code_display(),
                    "article": _article(cycle, code),
                },
                code="previous_stage_open",
            )
        if on < previous.ended_on:
            raise QualityAwardError(
                _(
                    "%(stage)s cannot start before %(previous)s ended on %(date)s: choose "
                    "%(date)s or a later day."
                )
                % {
                    "stage": name,
                    "previous": previous.get_code_display(),
                    "date": date_format(previous.ended_on),
                },
                code="stage_before_previous",
            )
    elif on < cycle.start_date:
        raise QualityAwardError(
            _(
                "The call cannot start before the cycle starts on %(date)s: choose %(date)s "
                "or a later day."
            )
            % {"date": date_format(cycle.start_date)},
            code="before_cycle",
        )
    stage.started_on = on
    stage.save(update_fields=["started_on"])
    audit_append(
        actor=actor, action="cycles.stage_start", obj=stage, changes={"code": code, "on": on}
    )
    return stage


@transaction.atomic
def stage_end(*, cycle: Cycle, code: str, on: date, actor) -> CycleStage:
    """Record that a stage ended. A minimum period (call, comment, publicity) must have run."""
    _require(actor, "cycles.manage")
    stage = _locked_stage(cycle, code)
    name = stage.get_code_display()
    if stage.started_on is None:
        raise QualityAwardError(
            _("%(stage)s has not started yet (%(article)s). Record its start first.")
            % {"stage": name, "article": _article(cycle, code)},
            code="stage_not_started",
        )
    if stage.ended_on is not None:
        raise QualityAwardError(
            _("%(stage)s already ended on %(date)s. The next stage can start now.")
            % {"stage": name, "date": date_format(stage.ended_on)},
            code="stage_ended",
        )
    if on < stage.started_on:
        raise QualityAwardError(
            _(
                "%(stage)s started on %(date)s and cannot end before it: choose %(date)s or "
                "a later day."
            )
            % {"stage": name, "date": date_format(stage.started_on)},
            code="end_before_start",
        )
    if code in STAGE_LIMITS and STAGE_LIMITS[code][1] != LimitKind.MAX_ACTION:
        rule = getattr(stage.cycle.rule_set_version.rules, STAGE_LIMITS[code][0])
        earliest_end = calendar.publication_period(stage.started_on, int(rule.value))[1]
        if on < earliest_end:
            raise QualityAwardError(
                _(
                    "%(stage)s must run for %(days)s working days from %(start)s (%(source)s): "
                    "it can end on %(date)s at the earliest. Record its end on that day or later."
                )
                % {
                    "stage": name,
                    "days": rule.value,
                    "start": date_format(stage.started_on),
                    "source": rule.source,
                    "date": date_format(earliest_end),
                },
                code="period_too_short",
            )
    stage.ended_on = on
    stage.save(update_fields=["ended_on"])
    audit_append(
        actor=actor, action="cycles.stage_end", obj=stage, changes={"code": code, "on": on}
    )
    return stage
