"""Changes to the holiday arrangements. Each runs in one transaction, appends its
audit record there and changes the calendar token, so every process rebuilds its
cached calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError

from .arrangements import (
    ArrangementError,
    SpecialDayRow,
    check_day,
    check_notice,
    check_year,
    validate_arrangement,
)
from .calendar import forget_calendar, package_data
from .enums import DayKind
from .models import CalendarState, CalendarYear, SpecialDay


def _user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _calendar_changed() -> None:
    updated = CalendarState.objects.filter(pk=1).update(token=uuid.uuid4())
    if not updated:
        CalendarState.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4()})
    # The request that changed it may ask for deadlines next; it read the old token.
    forget_calendar()


def _days_for_audit(days) -> list[list[str]]:
    return [[d.date.isoformat(), d.kind, d.name] for d in days]


@transaction.atomic
def calendar_year_import(
    *, year: int, rows: Sequence[SpecialDayRow], notice: str, actor: Any
) -> CalendarYear:
    """Take a whole year's arrangement; it replaces what the database held for the year
    and, from now on, overrides the package for that year. Nothing is written unless
    every row is valid (ArrangementError lists every problem)."""
    notice = notice.strip()
    validate_arrangement(year=year, notice=notice, rows=rows)
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    previous: dict[str, Any] | None = None
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(
            year=year,
            source_notice=notice,
            imported_at=timezone.now(),
            imported_by=_user_or_none(actor),
        )
    else:
        previous = {
            "notice": calendar_year.source_notice,
            "days": _days_for_audit(calendar_year.days.order_by("date")),
        }
        calendar_year.days.all().delete()
        calendar_year.source_notice = notice
        calendar_year.imported_at = timezone.now()
        calendar_year.imported_by = _user_or_none(actor)
        calendar_year.save(update_fields=["source_notice", "imported_at", "imported_by"])
    days = SpecialDay.objects.bulk_create(
        [
            SpecialDay(year=calendar_year, date=row.date, kind=row.kind, name=row.name.strip())
            for row in sorted(rows, key=lambda r: r.date)
        ]
    )
    audit_append(
        actor=actor,
        action="workdays.year_imported",
        obj=calendar_year,
        changes={
            "year": year,
            "notice": notice,
            "days": _days_for_audit(days),
            "replaced": previous,
        },
    )
    _calendar_changed()
    return calendar_year


def _year_for_change(*, year: int, notice: str, actor: Any) -> CalendarYear:
    """The database year to change, locked. A year the package carries is first copied
    from the package (the database then holds the whole year); a year nobody has data
    for is started, with its notice."""
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar_year is not None:
        return calendar_year
    package = package_data()
    from_package = year in package.years
    if not from_package:
        errors = check_year(year) + check_notice(notice)
        if errors:
            raise ArrangementError(errors)
    try:
        with transaction.atomic():
            calendar_year = CalendarYear.objects.create(
                year=year,
                source_notice=notice.strip() or f"chinesecalendar {package.version}",
                imported_at=timezone.now(),
                imported_by=_user_or_none(actor),
            )
    except IntegrityError:
        raise Conflict() from None
    days = SpecialDay.objects.bulk_create(
        [
            SpecialDay(year=calendar_year, date=day, kind=kind, name=name)
            for day, kind, name in (package.days_of(year) if from_package else [])
        ]
    )
    audit_append(
        actor=actor,
        action="workdays.year_started",
        obj=calendar_year,
        changes={
            "year": year,
            "notice": calendar_year.source_notice,
            "copied_from_package": from_package,
            "days": _days_for_audit(days),
        },
    )
    return calendar_year


@transaction.atomic
def special_day_add(
    *, day: dt.date, kind: str, name: str = "", actor: Any, notice: str = ""
) -> SpecialDay:
    """Add one holiday or swapped working day. `notice` is needed only when the day's
    year has no data yet (it then starts that year in the database)."""
    row = SpecialDayRow(day, kind, name.strip())
    errors = check_day(day.year, row)
    if errors:
        raise ArrangementError(errors)
    calendar_year = _year_for_change(year=day.year, notice=notice, actor=actor)
    existing = SpecialDay.objects.filter(date=day).first()
    if existing is not None:
        raise QualityAwardError(
            _("%(date)s is already listed as %(kind)s.")
            % {"date": day.isoformat(), "kind": existing.get_kind_display()},
            code="duplicate_day",
        )
    special_day = SpecialDay.objects.create(
        year=calendar_year, date=day, kind=DayKind(kind), name=row.name
    )
    audit_append(
        actor=actor,
        action="workdays.day_added",
        obj=special_day,
        changes={"date": day.isoformat(), "kind": kind, "name": row.name},
    )
    _calendar_changed()
    return special_day


@transaction.atomic
def special_day_remove(*, day: dt.date, actor: Any) -> None:
    """Remove one special day: a holiday becomes an ordinary day again, a swapped
    working day an ordinary weekend day."""
    special_day = SpecialDay.objects.filter(date=day).first()
    if special_day is None and day.year in package_data().years:
        # The year is still the package's: copy it, then remove the day from the copy.
        _year_for_change(year=day.year, notice="", actor=actor)
        special_day = SpecialDay.objects.filter(date=day).first()
    if special_day is None:
        raise QualityAwardError(
            _("%(date)s is not a holiday or swapped working day.") % {"date": day.isoformat()},
            code="not_special",
        )
    changes = {"date": day.isoformat(), "kind": special_day.kind, "name": special_day.name}
    audit_append(actor=actor, action="workdays.day_removed", obj=special_day, changes=changes)
    special_day.delete()
    _calendar_changed()
