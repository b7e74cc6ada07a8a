# ruff: noqa: RUF001, RUF002, RUF003 (Chinese notice numbers 〔〕 and date ranges with –)
"""A year's holiday arrangement as plain rows: validation and the CSV format.

The CSV format (README, "Working-day calendar CSV"):

    # year=2027 notice=国办发明电〔2026〕X号
    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-06,workday,春节

UTF-8 (with or without BOM; GB18030 as saved by Excel on Chinese Windows is read too).
Lines starting with "#" are comments; the first one may carry `year=` and `notice=`
(notice runs to the end of the line). Blank lines are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.textfiles import decode_text, match_date

from .enums import DayKind

HEADER = ["date", "kind", "name"]
NAME_MAX_LENGTH = 100
NOTICE_MAX_LENGTH = 200
MIN_YEAR, MAX_YEAR = 2000, 2100
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_META = re.compile(r"^#\s*year\s*=\s*(?P<year>\S+)(?:\s+notice\s*=\s*(?P<notice>.*?))?\s*$")


@dataclass(frozen=True)
class SpecialDayRow:
    date: dt.date
    kind: str  # DayKind value
    name: str = ""
    line: int | None = None  # where it came from, for messages


@dataclass(frozen=True)
class ParsedArrangement:
    year: int
    notice: str
    rows: list[SpecialDayRow]


class ArrangementError(QualityAwardError):
    """An arrangement that cannot be taken: every problem found, one per entry."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors), code="invalid_arrangement")

    def __reduce__(self):
        return (type(self), (self.errors,))


def _where(row: SpecialDayRow) -> str:
    return _("line %(line)s: ") % {"line": row.line} if row.line else ""


def _weekday_name(day: dt.date) -> str:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ][day.weekday()]


def check_year(year: int) -> list[str]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return [
            _("The year must be between %(min)s and %(max)s, not %(year)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR, "year": year}
        ]
    return []


def check_notice(notice: str) -> list[str]:
    if not notice.strip():
        return [_("Give the notice that publishes the arrangement, e.g. 国办发明电〔2025〕7号.")]
    if len(notice) > NOTICE_MAX_LENGTH:
        return [_("The notice is longer than %(max)s characters.") % {"max": NOTICE_MAX_LENGTH}]
    return []


def check_day(year: int, row: SpecialDayRow) -> list[str]:
    """Problems of one day on its own."""
    errors = []
    where = _where(row)
    if row.kind not in DayKind.values:
        errors.append(
            where + _("kind “%(kind)s” is neither “holiday” nor “workday”.") % {"kind": row.kind}
        )
    if row.date.year != year:
        errors.append(
            where + _("%(date)s is not in %(year)s.") % {"date": row.date.isoformat(), "year": year}
        )
    if row.kind == DayKind.WORKDAY and row.date.weekday() < 5:
        errors.append(
            where
            + _(
                "%(date)s is a %(weekday)s: only a Saturday or Sunday can be swapped into a "
                "working day."
            )
            % {"date": row.date.isoformat(), "weekday": _weekday_name(row.date)}
        )
    if len(row.name) > NAME_MAX_LENGTH:
        errors.append(
            where + _("the name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH}
        )
    return errors


def check_rows(year: int, rows: Iterable[SpecialDayRow]) -> list[str]:
    """Every problem of a whole year's rows (empty when they can be taken)."""
    errors = check_year(year)
    seen: dict[dt.date, SpecialDayRow] = {}
    count = 0
    for row in rows:
        count += 1
        errors += check_day(year, row)
        earlier = seen.get(row.date)
        if earlier is None:
            seen[row.date] = row
            continue
        params = {
            "date": row.date.isoformat(),
            "line": earlier.line if earlier.line else "?",
        }
        if earlier.kind != row.kind:
            errors.append(
                _where(row)
                + _(
                    "%(date)s is listed both as a holiday and as a working day (see line %(line)s)."
                )
                % params
            )
        else:
            errors.append(_where(row) + _("%(date)s is listed twice (see line %(line)s).") % params)
    if count == 0:
        errors.append(_("The arrangement lists no days."))
    return errors


def validate_arrangement(*, year: int, notice: str, rows: Sequence[SpecialDayRow]) -> None:
    """Raise ArrangementError listing every problem, or return."""
    errors = check_notice(notice) + check_rows(year, rows)
    if errors:
        raise ArrangementError(errors)


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030 (Excel's "CSV" on Chinese Windows)."""
    text = decode_text(data)
    if text is None:
        raise ArrangementError([_("The file is not text in UTF-8 or GB18030.")])
    return text


def parse_csv(text: str, *, year: int | None = None, notice: str = "") -> ParsedArrangement:
    """Parse and validate an arrangement CSV. `year`/`notice`, when given, stand in
    for (and must agree with) the comment line. Raises ArrangementError."""
    errors: list[str] = []
    meta_year: int | None = None
    meta_notice = ""
    rows: list[SpecialDayRow] = []
    header_seen = False
    reader = csv.reader(io.StringIO(text))
    for fields in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in fields]
        if not any(cells):
            continue
        if cells[0].startswith("#"):
            match = _META.match(",".join(fields).strip())
            if match and meta_year is None and not header_seen:
                if not match["year"].isdigit():
                    errors.append(
                        _("line %(line)s: year “%(year)s” is not a number.")
                        % {"line": line, "year": match["year"]}
                    )
                else:
                    meta_year = int(match["year"])
                    meta_notice = (match["notice"] or "").strip()
            continue
        if not header_seen:
            if [cell.lower() for cell in cells] != HEADER:
                errors.append(
                    _("line %(line)s: the header must be “date,kind,name”, not “%(found)s”.")
                    % {"line": line, "found": ",".join(cells)}
                )
                break
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            errors.append(
                _("line %(line)s: expected 3 fields (date,kind,name), found %(count)s.")
                % {"line": line, "count": len(cells)}
            )
            continue
        day = match_date(_DATE, cells[0])
        if day is None:
            errors.append(
                _("line %(line)s: “%(text)s” is not a date (write YYYY-MM-DD).")
                % {"line": line, "text": cells[0]}
            )
            continue
        rows.append(SpecialDayRow(day, cells[1].lower(), cells[2], line))
    if not header_seen and not errors:
        errors.append(_("The file has no header line “date,kind,name”."))

    if year is not None and meta_year is not None and year != meta_year:
        errors.append(
            _("The file says year %(file)s but %(given)s was given.")
            % {"file": meta_year, "given": year}
        )
    if notice and meta_notice and notice.strip() != meta_notice:
        errors.append(
            _("The file says notice %(file)s but %(given)s was given.")
            % {"file": meta_notice, "given": notice.strip()}
        )
    final_year = year if year is not None else meta_year
    final_notice = notice.strip() or meta_notice
    if final_year is None:
        errors.append(
            _("The year is missing: start the file with “# year=2027 notice=…” or give it.")
        )
    else:
        errors += check_notice(final_notice)
        errors += check_rows(final_year, rows) if header_seen else []
    if errors:
        raise ArrangementError(errors)
    assert final_year is not None
    return ParsedArrangement(final_year, final_notice, rows)


def to_csv(*, year: int, notice: str, rows: Iterable[tuple[dt.date, str, str]]) -> str:
    """The CSV text of one year (the format parse_csv reads)."""
    out = io.StringIO()
    out.write(f"# year={year} notice={notice}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for day, kind, name in rows:
        writer.writerow([day.isoformat(), kind, name])
    return out.getvalue()
