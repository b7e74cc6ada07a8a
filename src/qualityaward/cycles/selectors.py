from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from qualityaward.accounts.scoping import CYCLE_AWARD, scope
from qualityaward.workdays import calendar

from .enums import STAGE_LIMITS, CycleStatus, LimitKind, StageCode
from .models import Cycle
from .timeline import StageLimit, TimelineRow, build_timeline


def cycles_with_stages() -> QuerySet[Cycle]:
    return Cycle.objects.select_related("rule_set_version__rule_set").prefetch_related("stages")


def stage_limits(cycle: Cycle) -> dict[str, StageLimit]:
    rules = cycle.rule_set_version.rules
    return {
        code: StageLimit(workdays=int(getattr(rules, key).value), kind=kind)
        for code, (key, kind) in STAGE_LIMITS.items()
    }


def cycle_timeline(*, cycle: Cycle, today: date | None = None) -> list[TimelineRow]:
    """The cycle's stages with statutory and actual dates (stages must be prefetched)."""
    return build_timeline(
        cycle_start=cycle.start_date,
        actual={stage.code: (stage.started_on, stage.ended_on) for stage in cycle.stages.all()},
        limits=stage_limits(cycle),
        today=today or timezone.localdate(),
        action_deadline=calendar.action_deadline,
        publication_period=calendar.publication_period,
    )


def open_cycles_with_timelines(
    *, user, role: str, today: date | None = None
) -> list[tuple[Cycle, list]]:
    """The open cycles of the awards the user serves in `role`, with their timelines."""
    cycles = scope(cycles_with_stages(), user, CYCLE_AWARD, [role]).filter(status=CycleStatus.OPEN)
    return [(cycle, cycle_timeline(cycle=cycle, today=today)) for cycle in cycles]


def limit_text(kind: LimitKind, days: int) -> str:
    """A stage's time limit as one phrase, e.g. "at least 10 working days"."""
    phrases = {
        LimitKind.MIN_PERIOD: ngettext(
            "at least %(days)d working day", "at least %(days)d working days", days
        ),
        LimitKind.MAX_ACTION: ngettext(
            "within %(days)d working day", "within %(days)d working days", days
        ),
        LimitKind.EXACT_PERIOD: ngettext(
            "for %(days)d working day", "for %(days)d working days", days
        ),
    }
    return phrases[kind] % {"days": days}


def timeline_with_rules(*, cycle: Cycle, today: date | None = None) -> list[dict]:
    """Timeline rows paired with the rule that limits each stage, for display."""
    rules = cycle.rule_set_version.rules
    rows = []
    previous_ended = True
    for row in cycle_timeline(cycle=cycle, today=today):
        key, kind = STAGE_LIMITS.get(row.code, (None, None))
        rule = getattr(rules, key) if key else None
        rows.append(
            {
                "row": row,
                "rule": rule,
                "limit": limit_text(kind, int(rule.value)) if rule and kind else "",
                "can_start": row.started_on is None and previous_ended,
                "can_end": row.started_on is not None and row.ended_on is None,
                **_stage_action(row),
            }
        )
        previous_ended = row.ended_on is not None
    return rows


def _stage_action(row: TimelineRow) -> dict:
    """The call stage starts when the call is published: its step is on the calls page."""
    if row.code == StageCode.CALL and row.started_on is None:
        return {
            "action_url": reverse("applications:call_manage"),
            "action_label": _("Publish the call"),
        }
    return {}


# The pages where each stage's work is done, with the permission each needs
# (perms of the later apps; their views check them again).
CYCLE_WORK_PAGES = [
    (_("Calls for applications"), "applications:call_manage", False, "applications.manage_calls"),
    (
        _("Qualification review"),
        "applications:review_list",
        False,
        "applications.list_applications",
    ),
    (_("Evaluation panels"), "evaluation:cycle_panels", True, "evaluation.view_panels"),
    (_("Evaluation results"), "evaluation:cycle_results", True, "evaluation.view_results"),
    (
        _("Publication, ranking, meetings and awards"),
        "decisions:cycle",
        True,
        "decisions.view_cycle",
    ),
    (_("Statistics"), "supervision:statistics", False, "supervision.view_statistics"),
]


def cycle_work_links(*, cycle: Cycle, user) -> list[tuple[str, str]]:
    """Links to the pages of a cycle's stages that this user may open."""
    return [
        (str(label), reverse(name, args=[cycle.pk]) if per_cycle else reverse(name))
        for label, name, per_cycle, perm in CYCLE_WORK_PAGES
        if user.has_perm(perm)
    ]
