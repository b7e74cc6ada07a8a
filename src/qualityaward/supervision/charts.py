"""Small server-rendered SVG bar charts (no JavaScript). Pure: values in, markup out.

Colours are SVG presentation attributes (fill), not style attributes, so the
Content-Security-Policy (style-src 'self') allows them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#1f5fa8"
SECOND_COLOUR = "#9bb7d9"
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#dee2e6"


def _number(value) -> str:
    if isinstance(value, Decimal | float):
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def horizontal_bars(
    *,
    title: str,
    rows: Sequence[tuple[str, float | int | Decimal]],
    maximum: float | int | Decimal | None = None,
    suffix: str = "",
    width: int = 560,
    label_width: int = 190,
    bar_height: int = 22,
) -> SafeString:
    """One bar per (label, value); the value is written at the end of the bar."""
    gap = 8
    top = 8
    scale_max = float(maximum if maximum is not None else max((v for _, v in rows), default=0))
    plot = width - label_width - 70
    height = top * 2 + max(len(rows), 1) * (bar_height + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qa-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = 0.0 if scale_max <= 0 else plot * float(value) / scale_max
        middle = y + bar_height / 2 + 4
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:.1f}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{plot}" height="{bar_height}" '
            f'fill="{GRID_COLOUR}" fill-opacity="0.35"/>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {_number(value)}{escape(suffix)}'
            "</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{middle:.1f}" font-size="13" '
            f'fill="{TEXT_COLOUR}">{_number(value)}{escape(suffix)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def column_chart(
    *,
    title: str,
    columns: Sequence[tuple[str, int]],
    width: int = 560,
    height: int = 220,
) -> SafeString:
    """A histogram: one column per (label, count), labels under the columns."""
    bottom = 36
    top = 18
    count = max(len(columns), 1)
    slot = (width - 20) / count
    highest = max((v for _, v in columns), default=0)
    plot = height - bottom - top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qa-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="10" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        f'stroke="{GRID_COLOUR}"/>',
    ]
    for index, (label, value) in enumerate(columns):
        x = 10 + index * slot + slot * 0.15
        bar = 0.0 if highest <= 0 else plot * value / highest
        y = height - bottom - bar
        centre = 10 + index * slot + slot / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {value}</title></rect>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{value}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
