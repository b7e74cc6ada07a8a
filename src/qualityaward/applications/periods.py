"""Periods counted in years, as Chinese law counts them (pure, no Django).

- Civil Code art. 202: a period of years ends on the corresponding day of the last
  year; without one (29 February), on the last day of that month (28 February).
- Civil Code art. 1259: 以上, 以下, 以内, 届满 include the number itself.
"""

from __future__ import annotations

import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The corresponding day `years` later (earlier if negative); 29 February → 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years_between(start: datetime.date, on: datetime.date) -> int:
    """Whole years from `start` to `on`: 3 on the third anniversary, 2 the day before."""
    if on < start:
        return 0
    years = on.year - start.year
    if add_years(start, years) > on:
        years -= 1
    return years


def lookback_start(on: datetime.date, years: int) -> datetime.date:
    """First day of “近N年” before `on`: the same day N years earlier, which counts."""
    return add_years(on, -years)


def in_lookback(day: datetime.date, on: datetime.date, years: int) -> bool:
    """Whether `day` falls in the N years before `on`, both ends included."""
    return lookback_start(on, years) <= day <= on


def complete_fiscal_years(on: datetime.date, count: int) -> list[int]:
    """The last `count` complete fiscal (calendar) years before `on`, latest first."""
    return [on.year - offset for offset in range(1, count + 1)]
