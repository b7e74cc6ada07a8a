"""The calendar page for office staff: which years are covered and from where, each
year's special days, CSV import, adding and removing a day, and a calculator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.core.errors import QualityAwardError

from . import services
from .arrangements import ArrangementError, decode_csv, parse_csv
from .calendar import current_calendar, deadline_end, package_data
from .enums import DayKind
from .forms import CalculatorForm, ImportForm, RemoveDayForm, SpecialDayForm
from .selectors import calendar_years_overview, special_days_of

PERM = "workdays.manage_calendar"


def _require_office(request: HttpRequest) -> None:
    if not request.user.has_perm(PERM):
        raise PermissionDenied


def _selected_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _page_url(year: int) -> str:
    return f"{reverse('workdays:calendar')}?year={year}"


def _calculation(form: CalculatorForm) -> dict[str, Any] | None:
    if not form.is_bound or not form.is_valid():
        return None
    day, n = form.cleaned_data["date"], form.cleaned_data["n"]
    calendar = current_calendar()
    try:
        deadline = calendar.action_deadline(day, n)
        first, last = calendar.publication_period(day, n)
    except QualityAwardError as error:
        return {"error": error.message}
    return {
        "date": day,
        "n": n,
        "deadline": deadline,
        "deadline_end": deadline_end(deadline),
        "first": first,
        "last": last,
        "last_end": deadline_end(last),
    }


def _render(
    request: HttpRequest,
    *,
    year: int | None = None,
    import_form: ImportForm | None = None,
    import_errors: list[str] | None = None,
    day_form: SpecialDayForm | None = None,
    day_error: str = "",
    status: int = 200,
) -> HttpResponse:
    year = year or _selected_year(request)
    today = timezone.localdate()
    calculator = CalculatorForm(request.GET if "n" in request.GET else None)
    overview = calendar_years_overview()
    covered = {row.year for row in overview}
    recent = [r for r in overview if r.year >= today.year - 2 or r.source == "database"]
    earlier = [r for r in overview if r not in recent]
    source, days = special_days_of(year)
    kind_labels = dict(DayKind.choices)
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            # Recent years and every database year first; older built-in ones folded away.
            "years": recent,
            "earlier_years": earlier,
            "earlier_first": earlier[-1].year if earlier else None,
            "earlier_last": earlier[0].year if earlier else None,
            "source": source,
            "days": [
                {
                    "date": d.date,
                    "kind": d.kind,
                    "kind_label": kind_labels.get(d.kind, d.kind),
                    "name": d.name,
                }
                for d in days
            ],
            "uncovered": [y for y in (today.year, today.year + 1) if y not in covered],
            "package": package_data(),
            "calculator": calculator,
            "calculation": _calculation(calculator),
            "import_form": import_form or ImportForm(),
            "import_errors": import_errors or [],
            "day_form": day_form or SpecialDayForm(initial={"date": None}),
            "day_error": day_error,
        },
        status=status,
    )


@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    return _render(request)


@require_POST
def import_year(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, import_form=form, status=400)
    try:
        parsed = parse_csv(
            decode_csv(form.cleaned_data["file"].read()),
            year=form.cleaned_data["year"],
            notice=form.cleaned_data["notice"] or "",
        )
        calendar_year = services.calendar_year_import(
            year=parsed.year, rows=parsed.rows, notice=parsed.notice, actor=request.user
        )
    except ArrangementError as error:
        return _render(request, import_form=form, import_errors=error.errors, status=400)
    except QualityAwardError as error:
        return _render(request, import_form=form, import_errors=[error.message], status=400)
    messages.success(
        request,
        _("Imported the arrangement for %(year)s (%(notice)s): %(count)s days.")
        % {
            "year": calendar_year.year,
            "notice": calendar_year.source_notice,
            "count": len(parsed.rows),
        },
    )
    return redirect(_page_url(calendar_year.year))


@require_POST
def add_day(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = SpecialDayForm(request.POST)
    if not form.is_valid():
        return _render(request, day_form=form, status=400)
    day: dt.date = form.cleaned_data["date"]
    try:
        services.special_day_add(
            day=day,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            notice=form.cleaned_data["notice"],
            actor=request.user,
        )
    except QualityAwardError as error:
        return _render(request, year=day.year, day_form=form, day_error=error.message, status=400)
    messages.success(
        request,
        _("Added %(date)s. The database now holds the whole of %(year)s.")
        % {"date": day.isoformat(), "year": day.year},
    )
    return redirect(_page_url(day.year))


@require_POST
def remove_day(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = RemoveDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day to remove."))
        return redirect("workdays:calendar")
    day: dt.date = form.cleaned_data["date"]
    try:
        services.special_day_remove(day=day, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed %(date)s.") % {"date": day.isoformat()})
    return redirect(_page_url(day.year))
