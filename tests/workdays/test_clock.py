# ruff: noqa: RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""The qualification review's paused clock (A16), on the package's data."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityaward.workdays.calendar import package_calendar
from qualityaward.workdays.clock import elapsed_working_days, paused_deadline

D = dt.date.fromisoformat
CAL = package_calendar()
RECEIVED = D("2025-09-22")  # a Monday, a week before National Day 2025


def test_paused_deadline_without_pauses_is_the_action_deadline():
    # Tue 23 … Fri 26, Sun 28 (worked), Mon 29, Tue 30, Thu 9, Fri 10, Sat 11 Oct (worked).
    assert paused_deadline(start=RECEIVED, n=10, pauses=[], calendar=CAL) == D("2025-10-11")
    assert CAL.action_deadline(RECEIVED, 10) == D("2025-10-11")


def test_paused_deadline_across_national_day_skips_the_pause_and_the_holiday():
    # Counted: 23, 24, 25 Sep (3). Paused from the request (Fri 26 Sep) to the receipt
    # (Thu 9 Oct), which takes in the worked Sunday 28 Sep and the whole holiday.
    # Then: Fri 10, Sat 11 (worked), 13, 14, 15, 16, 17 Oct → the 10th is Fri 17 Oct.
    pauses = [(D("2025-09-26"), D("2025-10-09"))]
    assert paused_deadline(start=RECEIVED, n=10, pauses=pauses, calendar=CAL) == D("2025-10-17")


def test_paused_deadline_pause_ending_inside_the_holiday():
    # Requested Tue 30 Sep, received Sun 5 Oct (during the holiday): only Tue 30 Sep is
    # lost; counting resumes on Thu 9 Oct. 23–26, 28, 29 Sep (6); 9, 10, 11, 13 Oct.
    pauses = [(D("2025-09-30"), D("2025-10-05"))]
    assert paused_deadline(start=RECEIVED, n=10, pauses=pauses, calendar=CAL) == D("2025-10-13")


def test_paused_deadline_request_and_receipt_days_are_not_counted():
    # One-day pause on Wed 24 Sep: that day is lost, the deadline moves by one working day.
    pauses = [(D("2025-09-24"), D("2025-09-24"))]
    assert paused_deadline(start=RECEIVED, n=10, pauses=pauses, calendar=CAL) == D("2025-10-13")


def test_paused_deadline_combines_two_pauses():
    pauses = [(D("2025-10-13"), D("2025-10-14")), (D("2025-09-24"), D("2025-09-24"))]
    # 23, 25, 26, 28, 29, 30 Sep (6); 9, 10, 11 Oct (9); 13–14 paused; 15 Oct (10).
    assert paused_deadline(start=RECEIVED, n=10, pauses=pauses, calendar=CAL) == D("2025-10-15")


def test_paused_deadline_open_pause_gives_no_deadline():
    pauses = [(D("2025-09-26"), None)]
    assert paused_deadline(start=RECEIVED, n=10, pauses=pauses, calendar=CAL) is None


def test_paused_deadline_open_pause_after_the_deadline_keeps_the_missed_deadline():
    pauses = [(D("2025-10-20"), None)]
    assert paused_deadline(start=RECEIVED, n=10, pauses=pauses, calendar=CAL) == D("2025-10-11")


def test_paused_deadline_refuses_a_pause_ending_before_it_begins():
    with pytest.raises(ValueError, match="before it begins"):
        paused_deadline(
            start=RECEIVED, n=10, pauses=[(D("2025-09-26"), D("2025-09-25"))], calendar=CAL
        )


def test_paused_deadline_refuses_n_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        paused_deadline(start=RECEIVED, n=0, pauses=[], calendar=CAL)


def test_elapsed_working_days_leaves_out_the_pause():
    pauses = [(D("2025-09-26"), D("2025-10-09"))]
    # 23, 24, 25 Sep; 10, 11, 13 Oct.
    assert (
        elapsed_working_days(start=RECEIVED, until=D("2025-10-13"), pauses=pauses, calendar=CAL)
        == 6
    )
    assert (
        elapsed_working_days(
            start=RECEIVED, until=D("2025-10-13"), pauses=[(D("2025-09-26"), None)], calendar=CAL
        )
        == 3
    )


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D("2010-01-01"), max_value=D("2026-03-31")),
    n=st.integers(min_value=1, max_value=20),
    offset=st.integers(min_value=0, max_value=30),
    length=st.integers(min_value=0, max_value=20),
)
def test_paused_deadline_agrees_with_elapsed_working_days(start, n, offset, length):
    begin = start + dt.timedelta(days=offset)
    pauses = [(begin, begin + dt.timedelta(days=length))]
    deadline = paused_deadline(start=start, n=n, pauses=pauses, calendar=CAL)
    assert deadline >= CAL.action_deadline(start, n)
    assert CAL.is_working_day(deadline)
    assert elapsed_working_days(start=start, until=deadline, pauses=pauses, calendar=CAL) == n
    assert (
        elapsed_working_days(
            start=start, until=deadline - dt.timedelta(days=1), pauses=pauses, calendar=CAL
        )
        == n - 1
    )
