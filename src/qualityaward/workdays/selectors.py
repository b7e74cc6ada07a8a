"""Reads of the working-day calendar data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .calendar import package_data
from .models import CalendarState, CalendarYear, SpecialDay


def calendar_token() -> Any:
    """Changes whenever office staff change an arrangement (None before the first change)."""
    return CalendarState.objects.filter(pk=1).values_list("token", flat=True).first()


def calendar_overrides() -> dict[int, list[tuple[dt.date, str]]]:
    """{year: [(date, kind), ...]} for every year held in the database (even an empty one)."""
    overrides: dict[int, list[tuple[dt.date, str]]] = {
        year: [] for year in CalendarYear.objects.values_list("year", flat=True)
    }
    for year, day, kind in SpecialDay.objects.values_list("year__year", "date", "kind"):
        overrides[year].append((day, kind))
    return overrides


@dataclass(frozen=True)
class YearSummary:
    year: int
    source: str  # "database" or "package"
    calendar_year: CalendarYear | None
    holidays: int
    workdays: int
    package_also: bool  # the package carries this year too (the database overrides it)


def calendar_years_overview() -> list[YearSummary]:
    """Every covered year, latest first, with where its data comes from."""
    package = package_data()
    counts: dict[tuple[int, str], int] = {}
    for year, kind in SpecialDay.objects.values_list("year__year", "kind"):
        counts[year, kind] = counts.get((year, kind), 0) + 1
    rows = {
        cy.year: YearSummary(
            year=cy.year,
            source="database",
            calendar_year=cy,
            holidays=counts.get((cy.year, "holiday"), 0),
            workdays=counts.get((cy.year, "workday"), 0),
            package_also=cy.year in package.years,
        )
        for cy in CalendarYear.objects.select_related("imported_by")
    }
    for year in package.years:
        if year not in rows:
            rows[year] = YearSummary(
                year=year,
                source="package",
                calendar_year=None,
                holidays=sum(1 for d in package.holidays if d.year == year),
                workdays=sum(1 for d in package.workdays if d.year == year),
                package_also=True,
            )
    return [rows[year] for year in sorted(rows, reverse=True)]


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    kind: str
    name: str


def special_days_of(year: int) -> tuple[str | None, list[DayRow]]:
    """(source, days) of one year: source "database", "package" or None (no data)."""
    calendar_year = CalendarYear.objects.filter(year=year).first()
    if calendar_year is not None:
        days = [
            DayRow(d.date, d.kind, d.name)
            for d in SpecialDay.objects.filter(year=calendar_year).order_by("date")
        ]
        return "database", days
    package = package_data()
    if year in package.years:
        return "package", [DayRow(*row) for row in package.days_of(year)]
    return None, []
