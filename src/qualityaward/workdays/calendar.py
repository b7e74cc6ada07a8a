# ruff: noqa: RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""China's official working days (工作日): the State Council's holiday arrangements
with their swapped working days (调休).

`WorkdayCalendar` is pure: it is built from plain data and answers every question
without a database. The module-level functions answer with the *current* calendar:
the `chinesecalendar` package for the years it carries, overridden year by year by
the arrangements office staff import or enter (`CalendarYear`); a process rebuilds
its cached copy when the token in `CalendarState` changes.

A question touching a year nobody has data for raises `MissingCalendarYear`; there
is never a silent weekends-only guess.

Conventions (design.md, "Working days"):
- action deadline, "within N working days of X": the Nth working day after the day
  of X; the day of X itself is not counted (Civil Code art. 201).
- publication period of N working days: starts on the publication day if that is a
  working day, otherwise on the next working day; ends at the end of its Nth working
  day. Both days count.
- a deadline ends at 24:00 Asia/Shanghai of its day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from qualityaward.core.errors import QualityAwardError

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)
HOLIDAY = "holiday"
WORKDAY = "workday"

__all__ = [
    "MissingCalendarYear",
    "PackageData",
    "WorkdayCalendar",
    "action_deadline",
    "build_calendar",
    "current_calendar",
    "deadline_end",
    "is_working_day",
    "package_calendar",
    "package_data",
    "publication_period",
    "working_days_between",
]


class MissingCalendarYear(QualityAwardError):
    """A computation needs a year for which there is no holiday arrangement."""

    def __init__(self, year: int) -> None:
        self.year = year
        message = gettext(
            "There is no working-day calendar for %(year)s. Import the State Council's "
            "holiday arrangement for %(year)s on the working-day calendar page."
        ) % {"year": year}
        super().__init__(message, code="missing_calendar_year")

    def __reduce__(self):
        return (type(self), (self.year,))


def _as_date(day: dt.date) -> dt.date:
    """Accept a date, or a datetime (aware ones are read in Asia/Shanghai)."""
    if isinstance(day, dt.datetime):
        if day.tzinfo is not None:
            return day.astimezone(SHANGHAI).date()
        return day.date()
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number of working days, at least 1 (got {n!r})")
    return n


class WorkdayCalendar:
    """Working days from plain data.

    holidays: days off (weekend days inside a holiday may be listed or not).
    workdays: Saturdays or Sundays swapped into working days.
    years: the years this data covers; any other year raises MissingCalendarYear.
    """

    __slots__ = ("holidays", "workdays", "years")

    def __init__(
        self,
        *,
        holidays: Iterable[dt.date],
        workdays: Iterable[dt.date],
        years: Iterable[int],
    ) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self.years = frozenset(years)
        both = self.holidays & self.workdays
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"days listed both as holiday and as working day: {listed}")

    def __repr__(self) -> str:
        span = f"{min(self.years)}–{max(self.years)}" if self.years else "no years"
        return f"<WorkdayCalendar {span}, {len(self.years)} years>"

    def covers(self, year: int) -> bool:
        return year in self.years

    def require_year(self, year: int) -> None:
        if year not in self.years:
            raise MissingCalendarYear(year)

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        self.require_year(day.year)
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days_after(self, day: dt.date) -> Iterator[dt.date]:
        """The working days after `day`, in order, without end (raises at a missing year)."""
        day = _as_date(day)
        while True:
            day += ONE_DAY
            if self.is_working_day(day):
                yield day

    def next_working_day(self, day: dt.date, *, inclusive: bool = False) -> dt.date:
        day = _as_date(day)
        if inclusive and self.is_working_day(day):
            return day
        return next(self.working_days_after(day))

    def action_deadline(self, start: dt.date, n: int) -> dt.date:
        """The Nth working day after `start` (`start` itself is not counted)."""
        _check_n(n)
        for count, day in enumerate(self.working_days_after(start), start=1):
            if count == n:
                return day
        raise AssertionError("unreachable")  # pragma: no cover

    def publication_period(self, published: dt.date, n: int) -> tuple[dt.date, dt.date]:
        """(first, last) working day of a period of N working days published on `published`."""
        _check_n(n)
        first = self.next_working_day(published, inclusive=True)
        last = first if n == 1 else self.action_deadline(first, n - 1)
        return first, last

    def working_days_between(self, after: dt.date, until: dt.date) -> int:
        """How many working days fall in (after, until]; 0 when `until` <= `after`."""
        after, until = _as_date(after), _as_date(until)
        count = 0
        day = after + ONE_DAY
        while day <= until:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count


def deadline_end(day: dt.date) -> dt.datetime:
    """The end of `day`: 24:00 Asia/Shanghai, i.e. the next day at 00:00, timezone-aware."""
    return dt.datetime.combine(_as_date(day) + ONE_DAY, dt.time(0), tzinfo=SHANGHAI)


# --- data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageData:
    """What the `chinesecalendar` package carries: {date: holiday name} per kind."""

    version: str
    years: range
    holidays: Mapping[dt.date, str]
    workdays: Mapping[dt.date, str]

    def days_of(self, year: int) -> list[tuple[dt.date, str, str]]:
        """(date, kind, name) of one year, in date order; names in Chinese."""
        rows = [(d, HOLIDAY, name) for d, name in self.holidays.items() if d.year == year]
        rows += [(d, WORKDAY, name) for d, name in self.workdays.items() if d.year == year]
        return sorted(rows)


@cache
def package_data() -> PackageData:
    """The package's data. Its covered years are read from the data itself (the
    package's own rule: from the first to the last year with a holiday)."""
    from importlib.metadata import PackageNotFoundError, version

    import chinese_calendar
    from chinese_calendar.constants import Holiday

    chinese_names = {member.value: member.chinese for member in Holiday}
    try:
        package_version = version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover
        package_version = "?"
    holidays = {d: chinese_names.get(n, n) for d, n in chinese_calendar.holidays.items()}
    workdays = {d: chinese_names.get(n, n) for d, n in chinese_calendar.workdays.items()}
    years = range(min(holidays).year, max(holidays).year + 1)
    return PackageData(package_version, years, holidays, workdays)


def build_calendar(overrides: Mapping[int, Iterable[tuple[dt.date, str]]]) -> WorkdayCalendar:
    """The package's calendar with whole years replaced by `overrides`
    ({year: [(date, kind), ...]}, kind "holiday" or "workday")."""
    package = package_data()
    holidays = {d for d in package.holidays if d.year not in overrides}
    workdays = {d for d in package.workdays if d.year not in overrides}
    for days in overrides.values():
        for day, kind in days:
            (holidays if kind == HOLIDAY else workdays).add(day)
    return WorkdayCalendar(
        holidays=holidays, workdays=workdays, years=set(package.years) | set(overrides)
    )


@cache
def package_calendar() -> WorkdayCalendar:
    """The package's calendar alone, without the database (for tests and comparisons)."""
    return build_calendar({})


# (token, calendar, id of the request that last read the token)
_cached: tuple[object, WorkdayCalendar, str] | None = None


def current_calendar() -> WorkdayCalendar:
    """The calendar in force: package + database overrides, rebuilt when they change.
    A request reads the token once (a dashboard asks for a dozen deadlines); outside
    a request it is read every time."""
    global _cached
    from qualityaward.core.request_context import current_request_id

    from .selectors import calendar_overrides, calendar_token

    request_id = current_request_id()
    cached = _cached
    if cached is not None and request_id and cached[2] == request_id:
        return cached[1]
    token = calendar_token()
    if cached is not None and cached[0] == token:
        _cached = (token, cached[1], request_id)
        return cached[1]
    calendar = build_calendar(calendar_overrides())
    _cached = (token, calendar, request_id)
    return calendar


def forget_calendar() -> None:
    """Drop this process's copy: the arrangements were just changed."""
    global _cached
    _cached = None


def is_working_day(day: dt.date) -> bool:
    """Whether `day` is an official working day."""
    return current_calendar().is_working_day(day)


def action_deadline(start: dt.date, n: int) -> dt.date:
    """ "Within N working days of `start`": the Nth working day after `start`."""
    return current_calendar().action_deadline(start, n)


def publication_period(published: dt.date, n: int) -> tuple[dt.date, dt.date]:
    """(first, last) day of a notice's N-working-day period published on `published`."""
    return current_calendar().publication_period(published, n)


def working_days_between(after: dt.date, until: dt.date) -> int:
    """Working days in (after, until]; 0 when `until` <= `after`."""
    return current_calendar().working_days_between(after, until)
