"""Excel workbooks for download: bold frozen header, sensible widths, no formulas.

Every text cell is stored as text; text that a spreadsheet would take as a formula
(starting with = + - @, a tab or a carriage return) is marked "quote prefix", so Excel
and LibreOffice show it as typed and never evaluate it (formula injection).
"""

import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .downloads import content_disposition

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
MAX_COLUMN_WIDTH = 60

Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]


def display_width(text: str) -> int:
    """Columns a text takes: Chinese and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _set_cell(cell: Cell, value: Any) -> str:
    """Write a value safely; return the text shown, for the column width."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        cell.value = value
        return str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date | time | Decimal):
        cell.value = value
        return str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return text


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip("' ")
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", cleaned)[:31] or "Sheet"
    candidate, number = cleaned, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = cleaned[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def workbook_bytes(*, sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx file: one worksheet per (title, header_row, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title, used))
        widths: dict[int, int] = {}
        for column, value in enumerate(header, start=1):
            cell = sheet.cell(row=1, column=column)
            shown = _set_cell(cell, value)
            cell.font = bold
            widths[column] = display_width(shown)
        for row_number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                shown = _set_cell(sheet.cell(row=row_number, column=column), value)
                longest = max((display_width(line) for line in shown.splitlines()), default=0)
                widths[column] = max(widths.get(column, 0), longest)
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(
                max(width + 2, 8), MAX_COLUMN_WIDTH
            )
        if header:
            sheet.freeze_panes = "A2"
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def workbook_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An HttpResponse that downloads the workbook as `filename` (.xlsx is added)."""
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    response = HttpResponse(workbook_bytes(sheets=sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
