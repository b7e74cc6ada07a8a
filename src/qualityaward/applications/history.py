"""The office's history files (past winners, revocations, fraud bans, the
serious-dishonesty list) read from .xlsx or CSV and checked whole, row by row. No database.

Headers are the office's Chinese column names (English aliases accepted, in any order);
rows are numbered as a spreadsheet shows them (the header is row 1). `parse()` returns
every row as a dict of clean values, or raises HistoryFileError naming the row and the
column of every problem, so a file is refused whole.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.textfiles import decode_text, match_date

from .enums import HistoryKind
from .periods import add_years
from .validators import NAME_MAX_LENGTH, validate_credit_code, validate_id_number

MAX_ROWS = 20_000
MAX_TEXT = 200
MAX_BAN_YEARS = 50
FIRST_AWARD_YEAR = 1990


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header the templates carry
    aliases: tuple[str, ...]
    kind: str  # text, date, year, years, credit_code, id_number
    required: bool = True
    past_only: bool = True  # a date that cannot lie after the day of the import

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header.lower(), *(alias.lower() for alias in self.aliases))


CREDIT_CODE = Column(
    "credit_code", "统一社会信用代码", ("信用代码", "credit_code", "uscc"), "credit_code", False
)
ID_NUMBER = Column(
    "id_number", "身份证号码", ("身份证号", "公民身份号码", "id_number"), "id_number", False
)
NAME = Column("name", "名称", ("单位名称", "姓名", "获奖者", "name"), "text")
AWARD_YEAR = Column("award_year", "获奖年度", ("年度", "award_year"), "year")
IDENTITY = (CREDIT_CODE, ID_NUMBER, NAME)

COLUMNS: dict[str, tuple[Column, ...]] = {
    HistoryKind.WINNERS: (
        *IDENTITY,
        AWARD_YEAR,
        Column("award_name", "奖项名称", ("奖项", "award_name"), "text"),
        Column("awarded_on", "授奖日期", ("表彰日期", "awarded_on"), "date"),
        Column("document_number", "表彰文号", ("文号", "document_number"), "text", False),
    ),
    HistoryKind.REVOCATIONS: (
        *IDENTITY,
        AWARD_YEAR,
        Column("revoked_on", "撤销日期", ("revoked_on",), "date"),
        Column("reason", "撤销原因", ("原因", "reason"), "text"),
        Column("decision_number", "撤销决定文号", ("决定文号", "decision_number"), "text"),
    ),
    HistoryKind.BANS: (
        *IDENTITY,
        Column("started_on", "禁止申报起始日期", ("起始日期", "started_on", "from"), "date"),
        Column(
            "ends_on", "禁止申报截止日期", ("截止日期", "ends_on", "until"), "date", False, False
        ),
        Column("years", "禁止申报年限", ("年限", "years"), "years", False),
        Column("reason", "原因", ("禁止原因", "reason"), "text"),
        Column("decision_number", "决定文号", ("撤销决定文号", "decision_number"), "text"),
    ),
    HistoryKind.DISHONESTY: (
        Column(
            "credit_code", "统一社会信用代码", ("信用代码", "credit_code", "uscc"), "credit_code"
        ),
        NAME,
        Column("listed_on", "列入日期", ("listed_on",), "date"),
        Column("removed_on", "移出日期", ("removed_on",), "date", False),
        Column("authority", "列入机关", ("作出决定机关", "authority"), "text"),
    ),
}

# Rows that describe the same fact: refused as duplicates within one file.
DUPLICATE_KEYS: dict[str, str] = {
    HistoryKind.WINNERS: "award_year",
    HistoryKind.REVOCATIONS: "award_year",
    HistoryKind.BANS: "started_on",
    HistoryKind.DISHONESTY: "listed_on",
}

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$"
)


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole
    column: str  # the header as the file has it, "" for the row as a whole
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class HistoryFileError(QualityAwardError):
    """A history file that cannot be imported: every problem, by row and column."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors), code="invalid_history")


def _file_error(message: str) -> HistoryFileError:
    return HistoryFileError([RowError(0, "", message)])


# --- reading a table -------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _file_error(_("The file is not a readable .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_text(data)
    if text is None:
        raise _file_error(_("The file is neither an .xlsx workbook nor text in UTF-8 or GB18030."))
    for cells in csv.reader(io.StringIO(text)):
        yield [" ".join(cell.split()) for cell in cells]


def read_table(data: bytes) -> list[list[str]]:
    """The cells of the first worksheet (an .xlsx file) or of a CSV file, as text."""
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    table = []
    for rows_read, cells in enumerate(rows, start=1):
        if rows_read > MAX_ROWS + 1:
            raise _file_error(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        table.append(cells)
    return table


# --- checking the rows -----------------------------------------------------------------


def _header_index(kind: str, header: list[str]) -> dict[str, tuple[int, str]]:
    """column key → (position, header as written); HistoryFileError for a wrong header."""
    columns = COLUMNS[kind]
    found: dict[str, tuple[int, str]] = {}
    unknown = []
    for position, written in enumerate(header):
        if not written:
            continue
        column = next((c for c in columns if written.lower() in c.names), None)
        if column is None:
            unknown.append(written)
        elif column.key in found:
            raise _file_error(
                _("Row 1: the column %(column)s appears twice.") % {"column": written}
            )
        else:
            found[column.key] = (position, written)
    missing = [c.header for c in columns if c.required and c.key not in found]
    if kind != HistoryKind.DISHONESTY and "credit_code" not in found and "id_number" not in found:
        missing.append(f"{CREDIT_CODE.header} / {ID_NUMBER.header}")
    if missing or unknown:
        raise _file_error(
            _(
                "Row 1: the header does not fit the template; missing: %(missing)s; "
                "unknown: %(unknown)s. Download the template for the columns."
            )
            % {"missing": "、".join(missing) or "-", "unknown": "、".join(unknown) or "-"}
        )
    return found


def _clean(column: Column, text: str, today: datetime.date) -> Any:
    """The value of one cell; ValueError with the message for the user."""
    if column.kind == "credit_code":
        try:
            return validate_credit_code(text)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
    if column.kind == "id_number":
        try:
            return validate_id_number(text)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
    if column.kind == "date":
        day = match_date(_DATE, text)
        if day is None:
            raise ValueError(_("“%(value)s” is not a date such as 2021-09-01.") % {"value": text})
        if column.past_only and day > today:
            raise ValueError(_("%(date)s is in the future.") % {"date": day.isoformat()})
        return day
    if column.kind == "year":
        if not text.isdigit() or not FIRST_AWARD_YEAR <= int(text) <= today.year:
            raise ValueError(
                _("“%(value)s” is not a year from %(first)d to %(last)d.")
                % {"value": text, "first": FIRST_AWARD_YEAR, "last": today.year}
            )
        return int(text)
    if column.kind == "years":
        if not text.isdigit() or not 1 <= int(text) <= MAX_BAN_YEARS:
            raise ValueError(
                _("“%(value)s” is not a whole number of years from 1 to %(max)d.")
                % {"value": text, "max": MAX_BAN_YEARS}
            )
        return int(text)
    limit = NAME_MAX_LENGTH if column.key == "name" else MAX_TEXT
    if len(text) > limit:
        raise ValueError(_("at most %(max)d characters.") % {"max": limit})
    return text


def _ban_years(values: dict[str, Any]) -> int | str:
    """The ban's length in years from the end date and/or the years; a message if wrong."""
    started, ends, years = values["started_on"], values.get("ends_on"), values.get("years")
    if ends is None:
        if years is None:
            return _("give the end date or the number of years of the ban.")
        return years
    counted = next((n for n in range(1, MAX_BAN_YEARS + 1) if add_years(started, n) == ends), None)
    if counted is None:
        return _(
            "the end date must fall a whole number of years after the start date "
            "(e.g. %(example)s for 5 years)."
        ) % {"example": add_years(started, 5).isoformat()}
    if years is not None and years != counted:
        return _("the end date is %(counted)d years after the start, not %(years)d.") % {
            "counted": counted,
            "years": years,
        }
    return counted


def parse(kind: str, data: bytes, *, today: datetime.date) -> list[dict[str, Any]]:
    """Every row as {"row": n, key: value, …}; HistoryFileError listing every problem."""
    if kind not in COLUMNS:
        raise _file_error(_("Choose what the file holds."))
    table = read_table(data)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise _file_error(_("The file is empty."))
    index = _header_index(kind, table[0])
    columns = [c for c in COLUMNS[kind] if c.key in index]
    errors: list[RowError] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values: dict[str, Any] = {"row": number}
        problems: list[RowError] = []
        for column in columns:
            position, written = index[column.key]
            where = f"{written} ({get_column_letter(position + 1)})"
            text = cells[position] if position < len(cells) else ""
            if not text:
                if column.required:
                    problems.append(RowError(number, where, _("empty.")))
                continue
            try:
                values[column.key] = _clean(column, text, today)
            except ValueError as error:
                problems.append(RowError(number, where, str(error)))
        if kind != HistoryKind.DISHONESTY:
            filled = [
                k for k in ("credit_code", "id_number") if k in index and _cell(cells, index[k][0])
            ]
            if not filled:
                message = _(
                    "give the credit code of an organisation or the identity number of a person."
                )
                problems.append(RowError(number, "", message))
            elif len(filled) == 2:
                message = _("give a credit code or an identity number, not both.")
                problems.append(RowError(number, "", message))
        if kind == HistoryKind.BANS and not problems:
            years = _ban_years(values)
            if isinstance(years, str):
                problems.append(RowError(number, "", years))
            else:
                values["years"] = years
        removed_on = values.get("removed_on")
        if removed_on and not problems and removed_on < values["listed_on"]:
            problems.append(RowError(number, "", _("the removal date is before the listing date.")))
        if not problems:
            identity = values.get("credit_code") or values.get("id_number")
            key = (identity, values[DUPLICATE_KEYS[kind]])
            if key in seen:
                problems.append(
                    RowError(number, "", _("the same record as row %(row)d.") % {"row": seen[key]})
                )
            else:
                seen[key] = number
        if problems:
            errors.extend(problems)
        else:
            rows.append(values)
    if errors:
        raise HistoryFileError(errors)
    if not rows:
        raise _file_error(_("The file has a header but no rows."))
    return rows


def _cell(cells: list[str], position: int) -> str:
    return cells[position] if position < len(cells) else ""


def template_header(kind: str) -> list[str]:
    return [column.header for column in COLUMNS[kind]]
