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
from itertools import islice
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .downloads import private_download

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
MAX_COLUMN_WIDTH = 60
WIDTH_SAMPLE_ROWS = 1000

Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]


def display_width(text: str) -> int:
    """Columns a text takes: Chinese and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(sheet: Any, value: Any, font: Font | None = None) -> tuple[Any, str]:
    """A value for a write-only row and the text it shows (for the column width): plain
    where openpyxl writes it safely, a styled cell where a format, a font or the quote
    prefix is needed."""
    if value is None:
        return None, ""
    shown = ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        shown = "yyyy-mm-dd hh:mm"
    elif isinstance(value, bool | int | float | date | time | Decimal):
        if font is None:
            return value, str(value)
        cell, shown = WriteOnlyCell(sheet, value=value), str(value)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]
        if font is None and not text.startswith(FORMULA_STARTS):
            return text, text
        cell = WriteOnlyCell(sheet)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.quotePrefix = text.startswith(FORMULA_STARTS)
        shown = text
    if font is not None:
        cell.font = font
    return cell, shown


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


def _widen(widths: dict[int, int], texts: Iterable[str]) -> None:
    for column, text in enumerate(texts, start=1):
        longest = max((display_width(line) for line in text.splitlines()), default=0)
        widths[column] = max(widths.get(column, 0), longest)


def workbook_bytes(*, sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx file: one worksheet per (title, header_row, rows). Written row by row
    (openpyxl's write-only mode), so rows may be a generator of any length; the column
    widths come from the header and the first WIDTH_SAMPLE_ROWS rows."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title, used))
        widths: dict[int, int] = {}
        header_cells = [_cell(sheet, value, bold) for value in header]
        _widen(widths, (shown for _, shown in header_cells))
        rows = iter(rows)
        sample = [[_cell(sheet, value) for value in row] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
        for row in sample:
            _widen(widths, (shown for _, shown in row))
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(
                max(width + 2, 8), MAX_COLUMN_WIDTH
            )
        if header:
            sheet.freeze_panes = "A2"
            sheet.append([cell for cell, _ in header_cells])
        for row in sample:
            sheet.append([cell for cell, _ in row])
        for values in rows:
            sheet.append([_cell(sheet, value)[0] for value in values])
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def workbook_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An HttpResponse that downloads the workbook as `filename` (.xlsx is added)."""
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    return private_download(
        HttpResponse(workbook_bytes(sheets=sheets), content_type=XLSX_CONTENT_TYPE), filename
    )
