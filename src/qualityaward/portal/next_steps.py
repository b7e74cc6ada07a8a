"""What each role must do now, and by when: the first thing its dashboard shows.

Each step names the work, links to the screen that does it, and carries its deadline,
counted in official working days."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import in_scope, scope
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.selectors.applicants import applicants_of_user
from qualityaward.applications.selectors.applications import applications_of_user, review_rows
from qualityaward.applications.selectors.calls import open_calls
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import Cycle
from qualityaward.cycles.selectors import cycle_timeline, open_cycles_with_timelines
from qualityaward.cycles.timeline import TimelineRow
from qualityaward.decisions.enums import MeetingStatus
from qualityaward.decisions.models import Meeting
from qualityaward.evaluation.selectors.panels import assignments_of
from qualityaward.workdays import calendar


@dataclass(frozen=True)
class NextStep:
    text: str  # what to do
    url: str  # the screen that does it
    action: str  # the label of the link to it
    due: datetime.date | None = None  # the last day allowed
    workdays_left: int | None = None  # working days from today to `due` (None: not known)
    overdue: bool = False
    fix_url: str = ""  # for a stage: where its end is recorded


def _step(
    text: str,
    url: str,
    action: str,
    *,
    due: datetime.date | None,
    today: datetime.date,
    fix_url: str = "",
) -> NextStep:
    """A step with its deadline counted in working days (left, or late when overdue)."""
    if due is None:
        return NextStep(text, url, action)
    overdue = due < today
    try:
        count = (
            calendar.working_days_between(due, today)
            if overdue
            else calendar.working_days_between(today, due)
        )
    except calendar.MissingCalendarYear:
        count = None
    return NextStep(text, url, action, due, count, overdue, fix_url)


# Where each stage's work is done; the later stages are on the decisions page.
STAGE_PAGES: dict[str, tuple[str, bool]] = {
    StageCode.CALL: ("applications:call_manage", False),
    StageCode.QUALIFICATION_REVIEW: ("applications:review_list", False),
    StageCode.EVALUATION: ("evaluation:cycle_panels", True),
}


def _stage_page(cycle: Cycle, code: str) -> str:
    name, per_cycle = STAGE_PAGES.get(code, ("decisions:cycle", True))
    return reverse(name, args=[cycle.pk]) if per_cycle else reverse(name)


def _stage_record_url(cycle: Cycle, code: str) -> str:
    return reverse("cycles:detail", args=[cycle.pk]) + f"#stage-{code}"


def _office_cycle_step(cycle: Cycle, rows: list[TimelineRow], today: datetime.date):
    row = next((row for row in rows if row.ended_on is None), None)
    if row is None:
        return None
    stage = row.label
    if row.code == StageCode.CALL and row.started_on is None:
        return _step(
            _("%(cycle)s: publish the call for applications.") % {"cycle": cycle.name},
            _stage_page(cycle, row.code),
            _("Publish the call"),
            due=None,
            today=today,
        )
    if row.started_on is None:
        return _step(
            _("%(cycle)s: start %(stage)s.") % {"cycle": cycle.name, "stage": stage},
            _stage_page(cycle, row.code),
            pgettext("link to a page", "Open"),
            due=None,
            today=today,
        )
    if row.earliest_end is not None and row.earliest_end > today:
        return _step(
            _("%(cycle)s: %(stage)s is running; record its end when the period is over.")
            % {"cycle": cycle.name, "stage": stage},
            _stage_page(cycle, row.code),
            pgettext("link to a page", "Open"),
            due=None,
            today=today,
        )
    return _step(
        _("%(cycle)s: complete %(stage)s and record its end.")
        % {"cycle": cycle.name, "stage": stage},
        _stage_page(cycle, row.code),
        pgettext("link to a page", "Open"),
        due=row.latest_end,
        today=today,
        fix_url=_stage_record_url(cycle, row.code),
    )


def _office(user, today: datetime.date, cycles=None) -> list[NextStep]:
    if cycles is None:
        cycles = open_cycles_with_timelines(user=user, role=Role.OFFICE, today=today)
    steps = [
        step
        for cycle, rows in cycles
        if (step := _office_cycle_step(cycle, rows, today)) is not None
    ]
    under_review = review_rows(user=user, today=today)
    if under_review:
        deadlines = [row.deadline for row in under_review if row.deadline is not None]
        steps.append(
            _step(
                ngettext(
                    "Decide the qualification of %(count)s submitted application.",
                    "Decide the qualification of %(count)s submitted applications.",
                    len(under_review),
                )
                % {"count": len(under_review)},
                reverse("applications:review_list"),
                _("Review"),
                due=min(deadlines) if deadlines else None,
                today=today,
            )
        )
    return steps


def _working_group(user, today: datetime.date) -> list[NextStep]:
    meetings = scope(
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED).select_related("cycle"),
        user,
        roles=[Role.WORKING_GROUP],
    )
    return [
        _step(
            _("%(cycle)s: the working group meets on %(date)s; study the candidates and vote.")
            % {"cycle": meeting.cycle.name, "date": date_format(meeting.held_on)},
            reverse("decisions:meeting", args=[meeting.pk]),
            _("Open the meeting"),
            due=meeting.held_on,
            today=today,
        )
        for meeting in meetings.order_by("held_on", "pk")
    ]


def _evaluation_rows(cycles: list[Cycle], today: datetime.date) -> dict[int, TimelineRow]:
    """The evaluation stage of each cycle, by cycle id."""
    return {
        cycle.pk: next(
            row
            for row in cycle_timeline(cycle=cycle, today=today)
            if row.code == StageCode.EVALUATION
        )
        for cycle in cycles
    }


def _agency(user, today: datetime.date) -> list[NextStep]:
    steps = []
    for cycle, rows in open_cycles_with_timelines(user=user, role=Role.AGENCY, today=today):
        row = next(row for row in rows if row.code == StageCode.EVALUATION)
        if row.started_on is not None and row.ended_on is None:
            steps.append(
                _step(
                    _("%(cycle)s: form the panels and follow the scoring.") % {"cycle": cycle.name},
                    reverse("evaluation:cycle_panels", args=[cycle.pk]),
                    _("Open the panels"),
                    due=row.latest_end,
                    today=today,
                )
            )
    return steps


def _expert(user, today: datetime.date) -> list[NextStep]:
    seats = [seat for seat in assignments_of(user=user) if seat.submitted_at is None]
    cycles = {seat.panel.cycle_id: seat.panel.cycle for seat in seats}
    evaluation = _evaluation_rows(list(cycles.values()), today)
    steps = []
    for seat in seats:
        name = seat.panel.application.applicant.name
        text = (
            _("Score %(applicant)s (%(stage)s).")
            if seat.confirmed_no_conflict_at
            else _("Confirm you have no conflict of interest with %(applicant)s, then score it.")
        ) % {"applicant": name, "stage": seat.panel.get_stage_display()}
        steps.append(
            _step(
                text,
                reverse("evaluation:member", args=[seat.pk]),
                _("Score"),
                due=evaluation[seat.panel.cycle_id].latest_end,
                today=today,
            )
        )
    return steps


def _applicant(user, today: datetime.date) -> list[NextStep]:
    applications = list(
        applications_of_user(user=user)
        .filter(state__in=[ApplicationState.DRAFT, ApplicationState.SUPPLEMENT_REQUESTED])
        .select_related("call", "applicant")
    )
    steps = [
        _step(
            (
                _("Complete and submit your application (%(applicant)s).")
                if application.state == ApplicationState.DRAFT
                else _("Supply the materials the office asked for (%(applicant)s).")
            )
            % {"applicant": application.applicant.name},
            reverse("applications:application", args=[application.pk]),
            _("Open the application"),
            due=application.call.deadline if application.state == ApplicationState.DRAFT else None,
            today=today,
        )
        for application in applications
    ]
    applied = set(applications_of_user(user=user).values_list("call_id", flat=True))
    has_applicant = applicants_of_user(user=user).exists()
    for call in open_calls():
        if call.pk in applied:
            continue
        steps.append(
            _step(
                _("%(call)s is open: start your application.") % {"call": call.title},
                reverse("applications:mine") if has_applicant else reverse("applications:register"),
                _("Apply") if has_applicant else _("Register first"),
                due=call.deadline,
                today=today,
            )
        )
    return steps


def _department(user, today: datetime.date) -> list[NextStep]:
    return [
        _step(
            _("%(call)s is open: encourage the organisations and people of your sector to apply.")
            % {"call": call.title},
            reverse("applications:list"),
            _("Applicants"),
            due=call.deadline,
            today=today,
        )
        for call in open_calls()
        if in_scope(user, call, [Role.DEPARTMENT])
    ]


def _supervisor(user, today: datetime.date) -> list[NextStep]:
    steps = [
        _step(
            _("%(cycle)s: %(stage)s is past its time limit.")
            % {"cycle": cycle.name, "stage": row.label},
            reverse("cycles:detail", args=[cycle.pk]),
            _("Open the timeline"),
            due=row.latest_end,
            today=today,
        )
        for cycle, rows in open_cycles_with_timelines(user=user, role=Role.SUPERVISOR, today=today)
        for row in rows
        if row.is_overdue
    ]
    steps.append(
        _step(
            _("Read the audit trail and verify that its chain is intact."),
            reverse("core:audit"),
            _("Audit trail"),
            due=None,
            today=today,
        )
    )
    return steps


NEXT_STEPS: dict[Role, Callable[..., list[NextStep]]] = {
    Role.OFFICE: _office,
    Role.WORKING_GROUP: _working_group,
    Role.AGENCY: _agency,
    Role.EXPERT: _expert,
    Role.APPLICANT: _applicant,
    Role.DEPARTMENT: _department,
    Role.SUPERVISOR: _supervisor,
}


def next_steps(role: Role, user, today: datetime.date, *, office_cycles=None) -> list[NextStep]:
    """The role's steps, overdue ones first, then by deadline (undated ones last).
    `office_cycles`: the office's open cycles with their timelines, when already read."""
    if role == Role.OFFICE and office_cycles is not None:
        steps = _office(user, today, office_cycles)
    else:
        steps = NEXT_STEPS[role](user, today) if role in NEXT_STEPS else []
    return sorted(
        steps,
        key=lambda step: (not step.overdue, step.due is None, step.due or datetime.date.max),
    )
