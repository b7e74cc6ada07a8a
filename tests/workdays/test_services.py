# ruff: noqa: RUF001, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""The database arrangements: they override the package, year by year."""

import datetime as dt

import pytest

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.workdays import services
from qualityaward.workdays.arrangements import ArrangementError, SpecialDayRow, parse_csv
from qualityaward.workdays.calendar import (
    MissingCalendarYear,
    action_deadline,
    deadline_end,
    is_working_day,
    publication_period,
    working_days_between,
)
from qualityaward.workdays.clock import paused_deadline
from qualityaward.workdays.models import CalendarYear, SpecialDay

from .conftest import CSV_2027

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def office(user_with_role):
    return user_with_role(Role.OFFICE)


def _import_2027(actor):
    parsed = parse_csv(CSV_2027)
    return services.calendar_year_import(
        year=parsed.year, rows=parsed.rows, notice=parsed.notice, actor=actor
    )


def test_module_functions_use_the_package_without_database_data():
    assert is_working_day(D("2025-09-28")) is True
    assert action_deadline(D("2025-09-30"), 1) == D("2025-10-09")
    assert publication_period(D("2025-10-01"), 5) == (D("2025-10-09"), D("2025-10-14"))
    assert working_days_between(D("2025-09-30"), D("2025-10-09")) == 1
    assert deadline_end(D("2025-10-09")).isoformat() == "2025-10-10T00:00:00+08:00"


def test_missing_year_raises_from_module_functions():
    with pytest.raises(MissingCalendarYear) as info:
        action_deadline(D("2031-01-01"), 1)
    assert "2031" in str(info.value)


def test_calendar_year_import_covers_a_new_year(office):
    with pytest.raises(MissingCalendarYear):
        is_working_day(D("2027-03-01"))
    calendar_year = _import_2027(office)
    assert calendar_year.source_notice == "国办发明电〔2026〕99号"
    assert calendar_year.imported_by == office
    assert SpecialDay.objects.filter(year=calendar_year).count() == 18
    assert is_working_day(D("2027-02-05")) is False
    assert is_working_day(D("2027-02-20")) is True  # a Saturday worked
    # Thu 30 Sep 2027 + 1 → Fri 8 Oct (1–7 October off).
    assert action_deadline(D("2027-09-30"), 1) == D("2027-10-08")
    assert action_deadline(D("2026-12-31"), 1) == D("2027-01-04")
    record = AuditRecord.objects.get(action="workdays.year_imported")
    assert record.actor == office
    assert record.changes["year"] == 2027
    assert record.changes["days"][0] == ["2027-01-01", "holiday", "元旦"]
    assert record.changes["replaced"] is None


def test_calendar_year_import_again_replaces_the_year(office):
    _import_2027(office)
    rows = [SpecialDayRow(D("2027-01-01"), "holiday", "元旦")]
    services.calendar_year_import(year=2027, rows=rows, notice="更正", actor=office)
    assert list(SpecialDay.objects.values_list("date", flat=True)) == [D("2027-01-01")]
    assert CalendarYear.objects.get(year=2027).source_notice == "更正"
    assert is_working_day(D("2027-02-05")) is True  # no longer a holiday
    record = AuditRecord.objects.filter(action="workdays.year_imported").latest("seq")
    assert record.changes["replaced"]["notice"] == "国办发明电〔2026〕99号"
    assert len(record.changes["replaced"]["days"]) == 18


def test_database_year_overrides_the_package_for_the_whole_year(office):
    # A (wrong) 2025 arrangement with only New Year's Day: the database wins.
    rows = [SpecialDayRow(D("2025-01-01"), "holiday", "元旦")]
    services.calendar_year_import(year=2025, rows=rows, notice="测试", actor=office)
    assert is_working_day(D("2025-10-01")) is True
    assert is_working_day(D("2025-09-28")) is False  # the package's worked Sunday is gone
    assert action_deadline(D("2025-09-30"), 1) == D("2025-10-01")
    # Other years keep the package.
    assert action_deadline(D("2024-09-30"), 1) == D("2024-10-08")


def test_calendar_year_import_with_bad_rows_writes_nothing(office):
    rows = [
        SpecialDayRow(D("2027-01-01"), "holiday", "元旦", line=3),
        SpecialDayRow(D("2026-12-31"), "holiday", "", line=4),
        SpecialDayRow(D("2027-01-05"), "workday", "", line=5),
        SpecialDayRow(D("2027-01-01"), "holiday", "", line=6),
    ]
    with pytest.raises(ArrangementError) as info:
        services.calendar_year_import(year=2027, rows=rows, notice="x", actor=office)
    assert info.value.errors == [
        "line 4: 2026-12-31 is not in 2027.",
        "line 5: 2027-01-05 is a Tuesday: only a Saturday or Sunday can be swapped into a "
        "working day.",
        "line 6: 2027-01-01 is listed twice (see line 3).",
    ]
    assert not CalendarYear.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="workdays.").exists()


def test_calendar_year_import_replacing_with_bad_rows_keeps_the_old_data(office):
    _import_2027(office)
    rows = [
        SpecialDayRow(D("2027-02-20"), "holiday", ""),
        SpecialDayRow(D("2027-02-20"), "workday", ""),
    ]
    with pytest.raises(ArrangementError, match="both as a holiday and as a working day"):
        services.calendar_year_import(year=2027, rows=rows, notice="x", actor=office)
    assert SpecialDay.objects.count() == 18
    assert is_working_day(D("2027-02-20")) is True


def test_special_day_add_to_a_package_year_copies_the_year_first(office):
    services.special_day_add(day=D("2026-12-31"), kind="holiday", name="测试", actor=office)
    calendar_year = CalendarYear.objects.get(year=2026)
    assert calendar_year.source_notice == "chinesecalendar 1.11.0"
    days = dict(SpecialDay.objects.filter(year=calendar_year).values_list("date", "kind"))
    assert days[D("2026-02-14")] == "workday"  # copied from the package
    assert days[D("2026-10-01")] == "holiday"
    assert days[D("2026-12-31")] == "holiday"
    assert is_working_day(D("2026-12-31")) is False
    assert is_working_day(D("2026-02-14")) is True
    actions = list(
        AuditRecord.objects.filter(action__startswith="workdays.").values_list("action", flat=True)
    )
    assert actions == ["workdays.year_started", "workdays.day_added"]


def test_special_day_add_to_a_year_without_data_needs_a_notice(office):
    with pytest.raises(ArrangementError, match="Give the notice"):
        services.special_day_add(day=D("2028-01-01"), kind="holiday", actor=office)
    assert not CalendarYear.objects.exists()
    services.special_day_add(
        day=D("2028-01-01"),
        kind="holiday",
        name="元旦",
        notice="国办发明电〔2027〕1号",
        actor=office,
    )
    assert is_working_day(D("2028-01-01")) is False
    assert is_working_day(D("2028-01-03")) is True


def test_special_day_add_refuses_a_weekday_as_swapped_working_day(office):
    with pytest.raises(ArrangementError, match="only a Saturday or Sunday"):
        services.special_day_add(day=D("2026-12-30"), kind="workday", actor=office)
    assert not CalendarYear.objects.exists()


def test_special_day_add_refuses_a_day_already_listed(office):
    _import_2027(office)
    with pytest.raises(QualityAwardError, match="2027-02-20 is already listed"):
        services.special_day_add(day=D("2027-02-20"), kind="holiday", actor=office)


def test_special_day_remove_makes_the_day_ordinary(office):
    _import_2027(office)
    services.special_day_remove(day=D("2027-02-20"), actor=office)
    assert is_working_day(D("2027-02-20")) is False  # an ordinary Saturday again
    record = AuditRecord.objects.get(action="workdays.day_removed")
    assert record.changes == {"date": "2027-02-20", "kind": "workday", "name": "春节"}


def test_special_day_remove_from_a_package_year(office):
    services.special_day_remove(day=D("2026-10-10"), actor=office)
    assert is_working_day(D("2026-10-10")) is False
    assert is_working_day(D("2026-09-20")) is True  # the rest of the year is kept


def test_special_day_remove_of_an_ordinary_day_changes_nothing(office):
    with pytest.raises(QualityAwardError, match="2026-03-03 is not a holiday"):
        services.special_day_remove(day=D("2026-03-03"), actor=office)
    assert not CalendarYear.objects.exists()


def test_paused_deadline_uses_the_current_calendar(office):
    _import_2027(office)
    # Received Mon 27 Sep 2027; paused Wed 29 Sep – Fri 8 Oct: 28 Sep (1), Sat 9 Oct (2),
    # then 11, 12 Oct.
    pauses = [(D("2027-09-29"), D("2027-10-08"))]
    assert paused_deadline(start=D("2027-09-27"), n=4, pauses=pauses) == D("2027-10-12")


def test_a_request_reads_the_calendar_token_once_and_sees_its_own_change(office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qualityaward.core.request_context import begin_request, end_request

    token = begin_request("one-request")
    try:
        is_working_day(D("2025-10-01"))
        with CaptureQueriesContext(connection) as queries:
            for day in range(1, 10):
                is_working_day(D(f"2025-10-0{day}"))
        assert len(queries) == 0
        rows = [SpecialDayRow(D("2025-01-01"), "holiday", "元旦")]
        services.calendar_year_import(year=2025, rows=rows, notice="测试", actor=office)
        assert is_working_day(D("2025-10-01")) is True
    finally:
        end_request(token)
    with CaptureQueriesContext(connection) as queries:
        is_working_day(D("2025-10-01"))
    assert len(queries) == 1  # outside a request: the token every time
