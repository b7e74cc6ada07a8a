"""Working-day clocks that pause, such as the qualification review's 10 working days
(A16), which stop while the applicant supplements missing material.

Convention:
- The clock runs from the day after `start` (the day of receipt is not counted,
  as for `action_deadline`).
- A pause is (requested, received): the day the supplement was requested up to and
  including the day it was received. Working days in that span do not count; the
  clock runs again from the day after receipt. `received=None` means the pause is
  still open.
- Pauses may overlap or touch; they are combined. A pause must not end before it starts.
- Without pauses, `paused_deadline(start=s, n=n, pauses=[])` == `action_deadline(s, n)`.
- While a pause is open there is no deadline (None), unless the N working days had
  already run out before the pause began: then that (missed) deadline is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .calendar import ONE_DAY, WorkdayCalendar, _as_date, _check_n, current_calendar

Pause = tuple[dt.date, dt.date | None]


def _normalise(pauses: Iterable[Pause]) -> list[tuple[dt.date, dt.date | None]]:
    result = []
    for begin, end in pauses:
        begin = _as_date(begin)
        end = _as_date(end) if end is not None else None
        if end is not None and end < begin:
            raise ValueError(f"a pause cannot end ({end}) before it begins ({begin})")
        result.append((begin, end))
    return sorted(result, key=lambda p: p[0])


def _paused(day: dt.date, pauses: list[tuple[dt.date, dt.date | None]]) -> bool:
    return any(begin <= day and (end is None or day <= end) for begin, end in pauses)


def _open_from(pauses: list[tuple[dt.date, dt.date | None]]) -> dt.date | None:
    starts = [begin for begin, end in pauses if end is None]
    return min(starts) if starts else None


def paused_deadline(
    *,
    start: dt.date,
    n: int,
    pauses: Iterable[Pause] = (),
    calendar: WorkdayCalendar | None = None,
) -> dt.date | None:
    """The Nth counted working day after `start`, not counting working days inside a
    pause; None while a pause is open (see the module's convention)."""
    _check_n(n)
    cal = calendar or current_calendar()
    spans = _normalise(pauses)
    open_from = _open_from(spans)
    day = _as_date(start)
    count = 0
    while True:
        day += ONE_DAY
        if open_from is not None and day >= open_from:
            return None
        if _paused(day, spans):
            continue
        if cal.is_working_day(day):
            count += 1
            if count == n:
                return day


def elapsed_working_days(
    *,
    start: dt.date,
    until: dt.date,
    pauses: Iterable[Pause] = (),
    calendar: WorkdayCalendar | None = None,
) -> int:
    """Counted working days in (start, until], leaving out the paused ones (an open
    pause runs to `until`). 0 when `until` <= `start`."""
    cal = calendar or current_calendar()
    spans = _normalise(pauses)
    day = _as_date(start) + ONE_DAY
    until = _as_date(until)
    count = 0
    while day <= until:
        if not _paused(day, spans) and cal.is_working_day(day):
            count += 1
        day += ONE_DAY
    return count
