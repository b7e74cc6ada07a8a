"""The timeline computation, with a weekdays-only calendar passed in (it is pure)."""

from datetime import date, timedelta

from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import LimitKind, StageCode
from qualityaward.cycles.timeline import StageLimit, build_timeline


def weekday(day: date) -> bool:
    return day.weekday() < 5


def action_deadline(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= weekday(day)
    return day


def publication_period(published: date, n: int) -> tuple[date, date]:
    first = published
    while not weekday(first):
        first += timedelta(days=1)
    return first, action_deadline(first, n - 1) if n > 1 else first


LIMITS = {
    StageCode.CALL: StageLimit(10, LimitKind.MIN_PERIOD),
    StageCode.QUALIFICATION_REVIEW: StageLimit(10, LimitKind.MAX_ACTION),
    StageCode.EVALUATION: StageLimit(20, LimitKind.MAX_ACTION),
}


def timeline(actual, today, **kwargs):
    return {
        row.code: row
        for row in build_timeline(
            cycle_start=date(2026, 3, 2),
            actual=actual,
            limits=LIMITS,
            today=today,
            action_deadline=kwargs.get("action_deadline", action_deadline),
            publication_period=publication_period,
        )
    }


def test_projected_dates_chain_from_the_cycle_start():
    rows = timeline({}, today=date(2026, 3, 1))
    call = rows[StageCode.CALL]
    assert call.status == "pending"
    assert call.start == date(2026, 3, 2)  # a Monday
    assert call.earliest_end == date(2026, 3, 13)  # 10 working days including the 2nd
    review = rows[StageCode.QUALIFICATION_REVIEW]
    assert review.start == date(2026, 3, 13)
    assert review.latest_end == date(2026, 3, 27)


def test_stage_past_its_time_limit_is_overdue():
    actual = {
        StageCode.CALL: (date(2026, 3, 2), date(2026, 3, 16)),
        StageCode.QUALIFICATION_REVIEW: (date(2026, 3, 16), None),
    }
    rows = timeline(actual, today=date(2026, 3, 31))
    review = rows[StageCode.QUALIFICATION_REVIEW]
    assert review.latest_end == date(2026, 3, 30)
    assert review.status == "overdue"
    assert rows[StageCode.CALL].status == "done"
    assert rows[StageCode.EVALUATION].status == "pending"


def test_stage_on_its_last_day_is_not_yet_overdue():
    actual = {
        StageCode.CALL: (date(2026, 3, 2), date(2026, 3, 16)),
        StageCode.QUALIFICATION_REVIEW: (date(2026, 3, 16), None),
    }
    assert timeline(actual, today=date(2026, 3, 30))[StageCode.QUALIFICATION_REVIEW].status == (
        "current"
    )


def test_stage_finished_after_its_limit_is_marked_late():
    actual = {
        StageCode.CALL: (date(2026, 3, 2), date(2026, 3, 16)),
        StageCode.QUALIFICATION_REVIEW: (date(2026, 3, 16), date(2026, 4, 2)),
    }
    assert timeline(actual, today=date(2026, 4, 3))[StageCode.QUALIFICATION_REVIEW].status == "late"


def test_missing_calendar_year_is_shown_on_the_stage_and_stops_the_projection():
    def no_data(start, n):
        raise QualityAwardError("No working-day calendar for 2027.")

    rows = timeline({}, today=date(2026, 3, 1), action_deadline=no_data)
    assert rows[StageCode.QUALIFICATION_REVIEW].problem == "No working-day calendar for 2027."
    assert rows[StageCode.QUALIFICATION_REVIEW].latest_end is None
    assert rows[StageCode.EVALUATION].start is None
