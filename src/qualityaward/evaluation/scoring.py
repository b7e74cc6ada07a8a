"""Score arithmetic on plain values (A13, GB/T 19580): no database, no request.

- A percentage is an integer from 0 to 100 in steps of 5 (`check_percent`).
- An item's score is its points * percentage / 100 (`item_points`), in points with two
  decimals; a category's subtotal is the sum of its items; a stage's total is the sum
  of the categories, at most the framework's total (1000).
- A panel's percentages for one item are combined by the rule set's aggregation
  (`aggregate`: mean, trimmed mean or median) and rounded to the nearest multiple of
  5, halves up (`round_to_step`): this is the default the panel lead confirms.
- The consensus flag: an item is discussed when its spread (max - min of the members'
  percentages) is strictly greater than the rule set's `consensus_spread_threshold`.
  A spread equal to the threshold is NOT flagged ("exceeds" in the rule's wording).
- The weighted total of an application is Σ weight * stage total over the stages it
  reached; a stage it did not reach (it stopped below a threshold) counts 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from qualityaward.core.errors import QualityAwardError

PERCENT_STEP = 5
MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"
MEDIAN = "median"
CENT = Decimal("0.01")


class InvalidPercent(QualityAwardError):
    pass


def check_percent(value: object) -> int:
    """The percentage as an int, or InvalidPercent: 0..100 and a multiple of 5."""
    if isinstance(value, bool):
        raise InvalidPercent(_("Give a percentage from 0 to 100."), code="invalid_percent")
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise InvalidPercent(_("Give a percentage from 0 to 100."), code="invalid_percent")
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidPercent(_("Give a percentage from 0 to 100."), code="invalid_percent")
    if value % PERCENT_STEP:
        raise InvalidPercent(
            _("A percentage goes in steps of 5 (0, 5, 10 … 100)."), code="percent_step"
        )
    return value


def round_to_step(value: Decimal | int | float, step: int = PERCENT_STEP) -> int:
    """The nearest multiple of `step`, halves up (52.5 → 55, 52.4 → 50)."""
    units = (Decimal(str(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(units) * step


def aggregate(values: Sequence[int | Decimal], method: str) -> Decimal:
    """Combine a panel's values. Trimmed mean drops one highest and one lowest value
    when there are at least 3 (otherwise it is the mean)."""
    if not values:
        raise ValueError("nothing to aggregate")
    ordered = sorted(Decimal(v) for v in values)
    if method == MEAN:
        return sum(ordered, Decimal(0)) / len(ordered)
    if method == TRIMMED_MEAN:
        kept = ordered[1:-1] if len(ordered) >= 3 else ordered
        return sum(kept, Decimal(0)) / len(kept)
    if method == MEDIAN:
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2
    raise ValueError(f"unknown aggregation {method!r}")


def spread(values: Iterable[int]) -> int:
    values = list(values)
    return max(values) - min(values) if values else 0


def is_flagged(values: Iterable[int], threshold: int) -> bool:
    """True when the spread strictly exceeds the threshold (equal is not flagged)."""
    return spread(values) > threshold


def item_points(points: int, percent: int) -> Decimal:
    return (Decimal(points) * percent / 100).quantize(CENT)


@dataclass(frozen=True)
class ItemLine:
    category: str
    points: int
    percent: int


def category_totals(lines: Iterable[ItemLine]) -> dict[str, Decimal]:
    """{category code: sum of its items' scores}, in the order categories first appear."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.category] = totals.get(line.category, Decimal(0)) + item_points(
            line.points, line.percent
        )
    return {code: value.quantize(CENT) for code, value in totals.items()}


def stage_total(categories: Mapping[str, Decimal]) -> Decimal:
    return sum(categories.values(), Decimal(0)).quantize(CENT)


def weighted_total(stage_totals: Mapping[str, Decimal], weights: Mapping[str, Decimal]) -> Decimal:
    """Σ weight * total over the stages given (missing stages count 0)."""
    return sum(
        (Decimal(weights[code]) * Decimal(total) for code, total in stage_totals.items()),
        Decimal(0),
    ).quantize(CENT)


def passes_threshold(total: Decimal, threshold: int | None) -> bool:
    """An application goes on to a stage when its previous stage total is at least the
    stage's threshold (no threshold: everyone goes on)."""
    return threshold is None or Decimal(total) >= threshold


def default_percent(values: Sequence[int], method: str) -> int:
    """What the lead is offered for an item: the aggregation, rounded to 5."""
    return round_to_step(aggregate(values, method))


# The category whose score breaks a tie of weighted totals (A20: GB/T 19580 4.7, results).
RESULTS_CATEGORY = "4.7"
SITE_VISIT_STAGE = "site_visit"


@dataclass(frozen=True)
class StageLine:
    """A stage of the rule set as the standing needs it."""

    code: str
    weight: Decimal
    advance_threshold: int | None


@dataclass(frozen=True)
class Standing:
    """Where one application stands after its stage results."""

    # the stages it reached, in order
    reached: tuple[str, ...]
    # the stage after which it stopped (below the next stage's threshold), else None
    stopped_at: str | None
    # Σ weight * total over the stages reached; None until each of them has a result
    weighted_total: Decimal | None
    # {category code: points} of the last reached stage with a result
    category_scores: dict[str, Decimal]

    @property
    def results_score(self) -> Decimal:
        return self.category_scores.get(RESULTS_CATEGORY, Decimal(0))


def standing(
    stages: Sequence[StageLine],
    totals: Mapping[str, Decimal],
    categories: Mapping[str, Mapping[str, Decimal | str]],
) -> Standing:
    """The standing from the stage results: `totals` {stage code: total}, `categories`
    {stage code: {category code: points}} of the stages with a result. An application
    reaches the first stage, and each next one while the previous total meets its
    threshold."""
    reached: list[str] = []
    stopped_at = None
    for index, stage in enumerate(stages):
        if index > 0:
            before = stages[index - 1].code
            if before not in totals:
                break
            if not passes_threshold(totals[before], stage.advance_threshold):
                stopped_at = before
                break
        reached.append(stage.code)
    last = next((code for code in reversed(reached) if code in totals), None)
    complete = all(code in totals for code in reached)
    weights = {stage.code: stage.weight for stage in stages}
    return Standing(
        reached=tuple(reached),
        stopped_at=stopped_at,
        weighted_total=weighted_total({c: totals[c] for c in reached}, weights)
        if complete
        else None,
        category_scores={k: Decimal(v) for k, v in categories[last].items()} if last else {},
    )
