"""Properties of the calendar, on the package's data (no database)."""

import datetime as dt

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityaward.workdays.calendar import package_calendar, package_data

CALENDAR = package_calendar()
FIRST = dt.date(package_data().years.start, 1, 1)
# Far enough from the end of the data that 60 working days stay inside it.
LAST = dt.date(package_data().years.stop - 1, 6, 30)

days = st.dates(min_value=FIRST, max_value=LAST)
counts = st.integers(min_value=1, max_value=60)
fast = settings(max_examples=200, deadline=None)


@fast
@given(day=days)
def test_is_working_day_agrees_with_the_package(day):
    assert CALENDAR.is_working_day(day) is chinese_calendar.is_workday(day)


@fast
@given(start=days, n=counts)
def test_action_deadline_is_a_working_day_after_the_start(start, n):
    deadline = CALENDAR.action_deadline(start, n)
    assert deadline > start
    assert CALENDAR.is_working_day(deadline)


@fast
@given(start=days, n=counts)
def test_action_deadline_grows_strictly_with_n(start, n):
    assert CALENDAR.action_deadline(start, n) < CALENDAR.action_deadline(start, n + 1)


@fast
@given(start=days, n=counts)
def test_action_deadline_agrees_with_working_days_between(start, n):
    deadline = CALENDAR.action_deadline(start, n)
    assert CALENDAR.working_days_between(start, deadline) == n
    assert CALENDAR.working_days_between(start, deadline - dt.timedelta(days=1)) == n - 1


@fast
@given(published=days, n=counts)
def test_publication_period_holds_exactly_n_working_days(published, n):
    first, last = CALENDAR.publication_period(published, n)
    assert published <= first <= last
    assert CALENDAR.is_working_day(first)
    assert CALENDAR.is_working_day(last)
    assert CALENDAR.working_days_between(first - dt.timedelta(days=1), last) == n
    # No working day is skipped between publication and the first day.
    assert CALENDAR.working_days_between(published - dt.timedelta(days=1), first) == 1


@fast
@given(start=days, a=counts, b=counts)
def test_action_deadlines_compose(start, a, b):
    assert CALENDAR.action_deadline(CALENDAR.action_deadline(start, a), b) == (
        CALENDAR.action_deadline(start, a + b)
    )
