"""How lenient or strict an expert scores (A8): the distance of the expert's independent
item percentages from the panels' consensus. Pure: plain values in, numbers out.

For each scored item, difference = expert's percentage - the panel's agreed percentage
(percentage points). An expert's `mean_signed` is the mean of the differences (positive:
more lenient than the panels), `mean_abs` the mean of their absolute values; both
rounded to two decimals, halves up."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Leniency:
    items: int
    mean_signed: Decimal
    mean_abs: Decimal


def leniency(pairs: Iterable[tuple[int, int]]) -> Leniency:
    """`pairs`: (expert's percentage, consensus percentage) per item."""
    count, signed, absolute = 0, 0, 0
    for own, agreed in pairs:
        difference = int(own) - int(agreed)
        count += 1
        signed += difference
        absolute += abs(difference)
    if not count:
        return Leniency(0, Decimal(0), Decimal(0))
    return Leniency(
        items=count,
        mean_signed=(Decimal(signed) / count).quantize(CENT, rounding=ROUND_HALF_UP),
        mean_abs=(Decimal(absolute) / count).quantize(CENT, rounding=ROUND_HALF_UP),
    )


K = TypeVar("K", bound=Hashable)


def leniency_by(
    rows: Iterable[Any], key: Callable[[Any], K], pair: Callable[[Any], tuple[int, int]]
) -> dict[K, Leniency]:
    """Group `rows` by `key` (kept in first-seen order) and compute each group."""
    groups: dict[K, list[tuple[int, int]]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(pair(row))
    return {k: leniency(v) for k, v in groups.items()}
