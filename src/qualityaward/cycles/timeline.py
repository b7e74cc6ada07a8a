"""A cycle's timeline: every stage with its statutory dates and its actual dates.

Pure: takes plain values and the calendar functions, returns rows. The projection
assumes each stage starts when the one before it ended (or is expected to end).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from qualityaward.core.errors import QualityAwardError

from .enums import LimitKind, StageCode


@dataclass(frozen=True)
class StageLimit:
    workdays: int
    kind: LimitKind


@dataclass(frozen=True)
class TimelineRow:
    code: str
    started_on: date | None
    ended_on: date | None
    start: date | None  # actual start, or projected when not started
    earliest_end: date | None  # a minimum period ends no earlier than this
    latest_end: date | None  # a time limit ends no later than this
    status: str  # pending | current | overdue | done | late
    problem: str = ""  # why dates could not be computed (a calendar year missing)

    @property
    def label(self) -> str:
        return str(StageCode(self.code).label)

    @property
    def is_overdue(self) -> bool:
        return self.status == "overdue"


def build_timeline(
    *,
    cycle_start: date,
    actual: dict[str, tuple[date | None, date | None]],
    limits: dict[str, StageLimit],
    today: date,
    action_deadline: Callable[[date, int], date],
    publication_period: Callable[[date, int], tuple[date, date]],
    order: Sequence[str] = tuple(StageCode.values),
) -> list[TimelineRow]:
    rows = []
    next_start: date | None = cycle_start
    for code in order:
        started_on, ended_on = actual.get(code, (None, None))
        start = started_on or next_start
        earliest_end = latest_end = None
        problem = ""
        limit = limits.get(code)
        if limit is not None and start is not None:
            try:
                if limit.kind == LimitKind.MAX_ACTION:
                    latest_end = action_deadline(start, limit.workdays)
                else:
                    earliest_end = publication_period(start, limit.workdays)[1]
            except QualityAwardError as error:
                problem = error.message
        rows.append(
            TimelineRow(
                code=code,
                started_on=started_on,
                ended_on=ended_on,
                start=start,
                earliest_end=earliest_end,
                latest_end=latest_end,
                status=_status(started_on, ended_on, latest_end, today),
                problem=problem,
            )
        )
        next_start = ended_on or earliest_end or (start if limit is None else latest_end)
        if problem:
            next_start = None
    return rows


def _status(started_on, ended_on, latest_end, today) -> str:
    if ended_on is not None:
        return "late" if latest_end is not None and ended_on > latest_end else "done"
    if started_on is None:
        return "pending"
    if latest_end is not None and today > latest_end:
        return "overdue"
    return "current"
