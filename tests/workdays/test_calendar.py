# ruff: noqa: RUF002, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""The calendar against the State Council's published arrangements (no database).

2024: 国办发明电〔2023〕7号 · 2025: 国办发明电〔2024〕12号 · 2026: 国办发明电〔2025〕7号.
Each case below was checked against the notice and against the chinesecalendar package.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from qualityaward.workdays.calendar import (
    MissingCalendarYear,
    WorkdayCalendar,
    deadline_end,
    package_calendar,
    package_data,
)

D = dt.date.fromisoformat


def _span(first, last):
    day, days = D(first), []
    while day <= D(last):
        days.append(day)
        day += dt.timedelta(days=1)
    return days


# (year, festival, holiday first, holiday last, weekend days worked)
ARRANGEMENTS = [
    (2024, "Spring Festival", "2024-02-10", "2024-02-17", ["2024-02-04", "2024-02-18"]),
    (2024, "National Day", "2024-10-01", "2024-10-07", ["2024-09-29", "2024-10-12"]),
    (2025, "Spring Festival", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
    (2025, "National Day", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    (2026, "New Year's Day", "2026-01-01", "2026-01-03", ["2026-01-04"]),
    (2026, "Spring Festival", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
    (2026, "National Day", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
]


@pytest.mark.parametrize(("year", "festival", "first", "last", "worked"), ARRANGEMENTS)
def test_package_calendar_matches_the_state_council_notice(year, festival, first, last, worked):
    calendar = package_calendar()
    for day in _span(first, last):
        assert calendar.is_working_day(day) is False, day
        assert chinese_calendar.is_workday(day) is False, day
    for text in worked:
        day = D(text)
        assert day.weekday() >= 5, day
        assert calendar.is_working_day(day) is True, day
        assert chinese_calendar.is_workday(day) is True, day


def test_package_calendar_swapped_days_of_2025_are_exactly_those_of_the_notice():
    worked = sorted(d for d in package_data().workdays if d.year == 2025)
    assert worked == [
        D(x) for x in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")
    ]


def test_package_data_covers_the_years_its_data_holds():
    data = package_data()
    assert data.years.start == min(chinese_calendar.holidays).year == 2004
    assert data.years.stop - 1 == max(chinese_calendar.holidays).year
    assert {2024, 2025, 2026} <= set(data.years)


def test_package_data_names_days_in_chinese():
    days = {day: (kind, name) for day, kind, name in package_data().days_of(2025)}
    assert days[D("2025-01-28")] == ("holiday", "春节")
    assert days[D("2025-10-11")] == ("workday", "国庆节")


@pytest.mark.parametrize(
    ("start", "n", "deadline"),
    [
        ("2025-09-30", 1, "2025-10-09"),  # National Day 2025 skipped
        ("2025-09-26", 10, "2025-10-16"),  # Sun 28 Sep and Sat 11 Oct are worked
        ("2025-01-24", 5, "2025-02-07"),  # Sun 26 Jan worked, Spring Festival skipped
        ("2024-02-08", 3, "2024-02-19"),  # Fri 9 Feb, Sun 18 Feb worked, Mon 19 Feb
        ("2024-09-27", 3, "2024-10-08"),  # Sun 29 Sep worked, Mon 30 Sep, Tue 8 Oct
        ("2026-02-12", 3, "2026-02-24"),  # Fri 13, Sat 14 worked, Spring Festival skipped
        ("2026-09-30", 3, "2026-10-10"),  # Thu 8, Fri 9, Sat 10 Oct worked
        ("2025-12-31", 1, "2026-01-04"),  # New Year 2026 off, Sun 4 Jan worked
        ("2025-10-01", 1, "2025-10-09"),  # a start inside the holiday
        ("2025-09-27", 1, "2025-09-28"),  # a Saturday start; the Sunday is worked
    ],
)
def test_action_deadline_counts_from_the_day_after(start, n, deadline):
    assert package_calendar().action_deadline(D(start), n) == D(deadline)


@pytest.mark.parametrize(
    ("published", "n", "first", "last"),
    [
        ("2025-09-30", 7, "2025-09-30", "2025-10-15"),  # a working day counts itself
        ("2025-10-01", 5, "2025-10-09", "2025-10-14"),  # published in the holiday
        ("2025-09-27", 5, "2025-09-28", "2025-10-10"),  # Saturday → the worked Sunday
        ("2026-02-14", 1, "2026-02-14", "2026-02-14"),  # a worked Saturday
        ("2024-02-09", 7, "2024-02-09", "2024-02-23"),
        ("2026-09-29", 7, "2026-09-29", "2026-10-13"),
    ],
)
def test_publication_period_starts_on_the_first_working_day(published, n, first, last):
    assert package_calendar().publication_period(D(published), n) == (D(first), D(last))


def test_working_days_between_excludes_the_start_and_includes_the_end():
    calendar = package_calendar()
    assert calendar.working_days_between(D("2025-09-30"), D("2025-10-09")) == 1
    assert calendar.working_days_between(D("2025-09-26"), D("2025-10-16")) == 10
    assert calendar.working_days_between(D("2025-10-01"), D("2025-10-08")) == 0
    assert calendar.working_days_between(D("2025-10-09"), D("2025-10-01")) == 0


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_action_deadline_refuses_a_count_below_one(n):
    with pytest.raises(ValueError, match="at least 1"):
        package_calendar().action_deadline(D("2025-09-30"), n)
    with pytest.raises(ValueError, match="at least 1"):
        package_calendar().publication_period(D("2025-09-30"), n)


def test_missing_year_raises_with_the_year_and_how_to_add_it():
    with pytest.raises(MissingCalendarYear) as info:
        package_calendar().action_deadline(D("2031-03-02"), 1)
    assert info.value.year == 2031
    assert "2031" in info.value.message
    assert "working-day calendar page" in info.value.message
    assert "manage.py" not in info.value.message
    assert info.value.code == "missing_calendar_year"


def test_deadline_running_into_a_missing_year_names_that_year():
    last_year = package_data().years.stop - 1
    with pytest.raises(MissingCalendarYear) as info:
        package_calendar().action_deadline(dt.date(last_year, 12, 20), 30)
    assert info.value.year == last_year + 1


def test_missing_year_survives_pickling():
    import pickle

    error = pickle.loads(pickle.dumps(MissingCalendarYear(2031)))  # noqa: S301 (our own bytes)
    assert error.year == 2031
    assert "2031" in error.message


def test_small_calendar_from_plain_data():
    calendar = WorkdayCalendar(holidays={D("2030-01-01")}, workdays={D("2030-01-05")}, years={2030})
    assert calendar.is_working_day(D("2030-01-01")) is False  # Tuesday, holiday
    assert calendar.is_working_day(D("2030-01-05")) is True  # Saturday, worked
    assert calendar.is_working_day(D("2030-01-06")) is False  # Sunday
    assert calendar.action_deadline(D("2029-12-31"), 1) == D("2030-01-02")
    with pytest.raises(MissingCalendarYear):
        calendar.is_working_day(D("2029-12-31"))


def test_calendar_refuses_a_day_that_is_both_holiday_and_workday():
    with pytest.raises(ValueError, match="2030-01-05"):
        WorkdayCalendar(holidays={D("2030-01-05")}, workdays={D("2030-01-05")}, years={2030})


def test_aware_datetime_is_read_in_shanghai():
    # 2025-09-30 17:00 UTC is 2025-10-01 01:00 in Shanghai: a holiday.
    moment = dt.datetime(2025, 9, 30, 17, 0, tzinfo=dt.UTC)
    assert package_calendar().is_working_day(moment) is False
    assert package_calendar().action_deadline(moment, 1) == D("2025-10-09")


def test_deadline_end_is_midnight_after_the_day_in_shanghai():
    end = deadline_end(D("2025-10-09"))
    assert end == dt.datetime(2025, 10, 10, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert end.utcoffset() == dt.timedelta(hours=8)
    assert end.astimezone(dt.UTC) == dt.datetime(2025, 10, 9, 16, 0, tzinfo=dt.UTC)
