"""The CSV format of the A12(6) lists, parsed and checked row by row (no database).

    credit_code,name,listed_on,removed_on,authority
    91152501MA0N00001Y,二连浩特某商贸有限公司,2024-03-01,,二连浩特市市场监督管理局

UTF-8 (with or without BOM) or GB18030 (Excel on Chinese Windows). The removed_on
column may be left empty or left out. Rows are numbered as a spreadsheet shows them
(the header is row 1)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.textfiles import decode_text, match_date

from .validators import NAME_MAX_LENGTH, validate_credit_code

REQUIRED_COLUMNS = ("credit_code", "name", "listed_on", "authority")
OPTIONAL_COLUMNS = ("removed_on",)
AUTHORITY_MAX_LENGTH = 200
MAX_ROWS = 100_000
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass(frozen=True)
class ListRow:
    row: int
    credit_code: str
    name: str
    listed_on: datetime.date
    removed_on: datetime.date | None
    authority: str


class ListFileError(QualityAwardError):
    """A list file that cannot be imported: every problem, one per entry."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors), code="invalid_list_file")


def decode(data: bytes) -> str:
    text = decode_text(data)
    if text is None:
        raise ListFileError([_("The file is not text in UTF-8 or GB18030.")])
    return text


def parse(text: str) -> list[ListRow]:
    """Every row, or ListFileError listing every problem with its row number."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ListFileError([_("The file is empty.")]) from None
    header = [column.strip().lower() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [c for c in header if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        raise ListFileError(
            [
                _(
                    "Row 1: the header must be credit_code,name,listed_on,removed_on,authority "
                    "(removed_on may be left out); missing: %(missing)s; unknown: %(unknown)s."
                )
                % {"missing": ", ".join(missing) or "-", "unknown": ", ".join(unknown) or "-"}
            ]
        )
    index = {column: header.index(column) for column in header if column}
    errors: list[str] = []
    rows: list[ListRow] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if number > MAX_ROWS:
            errors.append(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            break

        def cell(column: str, cells=cells) -> str:
            position = index.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        problems = []
        code = ""
        try:
            code = validate_credit_code(cell("credit_code"))
        except ValidationError as error:
            problems.append(_("credit_code: %(error)s") % {"error": " ".join(error.messages)})
        name = " ".join(cell("name").split())
        if not name:
            problems.append(_("name: empty."))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(
                _("name: at most %(max)d characters (this one has %(count)d).")
                % {"max": NAME_MAX_LENGTH, "count": len(name)}
            )
        listed_on = match_date(_DATE, cell("listed_on"))
        if listed_on is None:
            problems.append(
                _("listed_on: “%(value)s” is not a date such as 2024-03-01.")
                % {"value": cell("listed_on")}
            )
        removed_on = None
        if cell("removed_on"):
            removed_on = match_date(_DATE, cell("removed_on"))
            if removed_on is None:
                problems.append(
                    _("removed_on: “%(value)s” is not a date such as 2024-03-01.")
                    % {"value": cell("removed_on")}
                )
            elif listed_on is not None and removed_on < listed_on:
                problems.append(_("removed_on is before listed_on."))
        authority = cell("authority")
        if not authority:
            problems.append(_("authority: empty."))
        elif len(authority) > AUTHORITY_MAX_LENGTH:
            problems.append(
                _("authority: at most %(max)d characters.") % {"max": AUTHORITY_MAX_LENGTH}
            )
        if code and listed_on is not None:
            earlier = seen.get((code, listed_on))
            if earlier:
                problems.append(
                    _("the same code and listing date as row %(row)d.") % {"row": earlier}
                )
            seen[(code, listed_on)] = number
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s") % {"row": number, "problems": " ".join(problems)}
            )
            continue
        assert listed_on is not None
        rows.append(ListRow(number, code, name, listed_on, removed_on, authority))
    if errors:
        raise ListFileError(errors)
    if not rows:
        raise ListFileError([_("The file has a header but no rows.")])
    return rows
