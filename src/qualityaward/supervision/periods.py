"""Pure date rules of the supervision stage (no Django): the A29 window, the due dates
of fund-use reports and the years for which a report is due, and the A32 citation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from qualityaward.applications.periods import add_years

from .enums import FUND_REPORT_DUE_DAY, FUND_REPORT_DUE_MONTH


def in_revocation_window(*, awarded_on: datetime.date, event_on: datetime.date, years: int) -> bool:
    """A29 “获得奖励后3年内”: after the award day (Civil Code art. 201: the period runs
    from the next day) through the same day `years` later (以内 includes it)."""
    return awarded_on < event_on <= add_years(awarded_on, years)


def revocation_window_end(*, awarded_on: datetime.date, years: int) -> datetime.date:
    return add_years(awarded_on, years)


def report_due_on(budget_year: int) -> datetime.date:
    """The report of budget year Y is due by 31 March of Y + 1."""
    return datetime.date(budget_year + 1, FUND_REPORT_DUE_MONTH, FUND_REPORT_DUE_DAY)


def overdue_report_years(
    *,
    first_budget_year: int | None,
    prize: Decimal,
    spent_by_year: dict[int, Decimal],
    submitted_years: Iterable[int],
    on: datetime.date,
) -> list[int]:
    """Budget years whose report is past its due date and not submitted.

    A report is due for every year from the prize's budget year until the year in which
    the submitted reports account for the whole prize (that year included)."""
    if first_budget_year is None or prize <= 0:
        return []
    submitted = set(submitted_years)
    overdue = []
    spent = Decimal(0)
    year = first_budget_year
    while report_due_on(year) < on:
        if year not in submitted:
            overdue.append(year)
        spent += spent_by_year.get(year, Decimal(0)) if year in submitted else Decimal(0)
        if spent >= prize:
            break
        year += 1
    return overdue


def award_citation(*, year: int, award_name: str) -> str:
    """A32: the award may only be cited with its year: “2026年度二连浩特市市长质量奖”."""
    return f"{year}年度{award_name}"
