"""A radar chart as inline SVG, drawn on the server (no JavaScript): WeasyPrint renders
it in the PDF and browsers show it on a page. Pure: plain values in, markup out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape

SIZE = 480
CENTRE = SIZE / 2
RADIUS = 130
RINGS = (25, 50, 75, 100)


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    """Axis `index` of `count`, clockwise from the top, at `fraction` of the radius."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(CENTRE + RADIUS * fraction * math.cos(angle), 1),
        round(CENTRE + RADIUS * fraction * math.sin(angle), 1),
    )


def _points(values: Sequence[float], count: int) -> str:
    return " ".join("{:g},{:g}".format(*_point(i, count, v)) for i, v in enumerate(values))


def radar_svg(labels: Sequence[str], values_pct: Sequence[Decimal | float | int]) -> str:
    """An SVG radar of `values_pct` (0..100, one per label): rings at 25/50/75/100 %,
    one axis and label per value, the values as a filled polygon. Values outside
    0..100 are clamped. Returns "" when there are fewer than 3 axes."""
    if len(labels) != len(values_pct):
        raise ValueError("one value per label")
    count = len(labels)
    if count < 3:
        return ""
    clamped = [min(max(float(v), 0.0), 100.0) / 100 for v in values_pct]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qa-radar" width="{SIZE}" '
        f'height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img">'
    ]
    for ring in RINGS:
        parts.append(
            f'<polygon class="qa-radar-ring" points="{_points([ring / 100] * count, count)}" '
            'fill="none" stroke="#bbb" stroke-width="0.6"/>'
        )
    for index in range(count):
        x, y = _point(index, count, 1)
        parts.append(
            f'<line class="qa-radar-axis" x1="{CENTRE:g}" y1="{CENTRE:g}" x2="{x:g}" y2="{y:g}" '
            'stroke="#888" stroke-width="0.6"/>'
        )
    parts.append(
        f'<polygon class="qa-radar-value" points="{_points(clamped, count)}" '
        'fill="#1f6fb2" fill-opacity="0.35" stroke="#1f6fb2" stroke-width="1.5"/>'
    )
    for index, (label, value) in enumerate(zip(labels, values_pct, strict=True)):
        x, y = _point(index, count, 1.18)
        anchor = "middle" if abs(x - CENTRE) < 5 else ("start" if x > CENTRE else "end")
        parts.append(
            f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" dominant-baseline="middle" '
            f'font-size="13" font-family="Noto Sans SC,sans-serif">'
            f"{escape(label)} {float(value):.0f}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
