"""Reading uploaded text files (CSV lists, history files and arrangements)."""

from __future__ import annotations

import datetime
import re

# UTF-8 with or without a BOM, else GB18030 (Excel's "CSV" on Chinese Windows).
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> str | None:
    """The text of an uploaded file in the first of TEXT_ENCODINGS that fits; None when
    none does (the caller says so in its own words)."""
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def match_date(pattern: re.Pattern[str], text: str) -> datetime.date | None:
    """The day `text` writes as year, month and day (the three groups of `pattern`);
    None when it does not match or names no real day."""
    match = pattern.match(text.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
