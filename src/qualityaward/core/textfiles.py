"""Reading uploaded text files (CSV lists and arrangements)."""

from __future__ import annotations

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
