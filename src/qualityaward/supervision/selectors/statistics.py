"""A6 and the cycle's report: who applied (sector, ownership, area), how many passed
each stage, and how the scores are spread per category."""

from __future__ import annotations

import statistics as stats
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualityaward.applications.enums import (
    ApplicantKind,
    ApplicationState,
    Area,
    OwnershipType,
    Sector,
)
from qualityaward.applications.models import Application, Organisation
from qualityaward.cycles.models import Cycle
from qualityaward.decisions.enums import WinnerStatus
from qualityaward.decisions.models import Award, Winner
from qualityaward.rulesets.enums import StageCode as EvaluationStage
from qualityaward.rulesets.models import FrameworkCategory

HISTOGRAM_STEP = 100  # points of 1000
LABELS = {
    "submitted": gettext_lazy("Submitted"),
    "qualified": gettext_lazy("Qualified"),
    "winners": gettext_lazy("Winners"),
}


@dataclass
class StageRow:
    label: str
    count: int
    rate: Decimal | None  # of the previous row, in percent


@dataclass
class CategoryRow:
    code: str
    name: str
    points: int
    count: int
    minimum: Decimal
    mean: Decimal
    median: Decimal
    maximum: Decimal


@dataclass
class CycleStatistics:
    cycle: Cycle
    submitted: int
    by_sector: list[tuple[str, int]]
    by_ownership: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    stages: list[StageRow]
    results_available: bool
    categories: list[CategoryRow] = field(default_factory=list)
    totals_histogram: list[tuple[str, int]] = field(default_factory=list)


def _evaluation_results(cycle: Cycle) -> list | None:
    """The evaluation app's results when it provides them, else None."""
    try:
        from qualityaward.evaluation.selectors.results import application_results
    except ImportError:
        return None
    try:
        return application_results(cycle=cycle)
    except Exception:
        return None


def _counts(rows, choices) -> list[tuple[str, int]]:
    counted = Counter(dict(rows))
    return [(str(label), counted.get(value, 0)) for value, label in choices]


def _rate(count: int, previous: int | None) -> Decimal | None:
    if not previous:
        return None
    return (Decimal(count) * 100 / previous).quantize(Decimal("0.1"))


def cycle_statistics(*, cycle: Cycle) -> CycleStatistics:
    submitted = Application.objects.filter(cycle=cycle, submitted_at__isnull=False)
    total = submitted.count()
    by_sector = _counts(
        submitted.values_list("applicant__sector").annotate(n=Count("pk")), Sector.choices
    )
    by_area = _counts(
        submitted.values_list("applicant__area").annotate(n=Count("pk")), Area.choices
    )
    by_kind = _counts(
        submitted.values_list("applicant__kind").annotate(n=Count("pk")), ApplicantKind.choices
    )
    ownership_rows = (
        Organisation.objects.filter(applications__in=submitted)
        .values_list("ownership")
        .annotate(n=Count("applications", distinct=True))
    )
    by_ownership = _counts(ownership_rows, OwnershipType.choices)

    qualified = submitted.filter(state=ApplicationState.QUALIFIED).count()
    stages = [StageRow(str(LABELS["submitted"]), total, None)]
    stages.append(StageRow(str(LABELS["qualified"]), qualified, _rate(qualified, total)))
    results = _evaluation_results(cycle) or []
    previous = qualified
    categories: list[CategoryRow] = []
    histogram: list[tuple[str, int]] = []
    available = bool(results) and any(r.stage_totals for r in results)
    if available:
        codes = [s.code for s in cycle.rule_set_version.rules.stages.value]
        names = dict(EvaluationStage.choices)
        for code in codes:
            count = sum(1 for r in results if code in r.stage_totals)
            stages.append(StageRow(str(names.get(code, code)), count, _rate(count, previous)))
            previous = count
        categories = _category_rows(cycle, results)
        histogram = _histogram([r.weighted_total for r in results if r.weighted_total is not None])
    winners = (
        Award.objects.filter(cycle=cycle).count()
        or Winner.objects.filter(cycle=cycle).exclude(status=WinnerStatus.CANCELLED).count()
    )
    stages.append(StageRow(str(LABELS["winners"]), winners, _rate(winners, previous)))
    return CycleStatistics(
        cycle=cycle,
        submitted=total,
        by_sector=by_sector,
        by_ownership=by_ownership,
        by_area=by_area,
        by_kind=by_kind,
        stages=stages,
        results_available=available,
        categories=categories,
        totals_histogram=histogram,
    )


def _category_rows(cycle: Cycle, results) -> list[CategoryRow]:
    categories = FrameworkCategory.objects.filter(
        framework_id=cycle.rule_set_version.framework_id
    ).order_by("order")
    rows = []
    for category in categories:
        values = [
            Decimal(r.category_scores[category.code])
            for r in results
            if category.code in r.category_scores
        ]
        if not values:
            continue
        rows.append(
            CategoryRow(
                code=category.code,
                name=category.name,
                points=category.points,
                count=len(values),
                minimum=min(values),
                mean=(sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1")),
                median=Decimal(stats.median(values)).quantize(Decimal("0.1")),
                maximum=max(values),
            )
        )
    return rows


def _histogram(totals: list[Decimal]) -> list[tuple[str, int]]:
    if not totals:
        return []
    buckets = Counter(min(int(t) // HISTOGRAM_STEP, 9) for t in totals)
    low, high = min(buckets), max(buckets)
    return [
        (
            f"{b * HISTOGRAM_STEP}–{b * HISTOGRAM_STEP + HISTOGRAM_STEP - (0 if b == 9 else 1)}",
            buckets.get(b, 0),
        )
        for b in range(low, high + 1)
    ]


def statistics_sheets(data: CycleStatistics) -> list:
    """The same figures as worksheets for documents.xlsx.workbook_response."""
    sheets = [
        (_("By sector"), [_("Sector"), _("Applications")], data.by_sector),
        (_("By ownership"), [_("Ownership type"), _("Organisations")], data.by_ownership),
        (_("By area"), [_("Area"), _("Applications")], data.by_area),
        (_("By kind"), [_("Kind"), _("Applications")], data.by_kind),
        (
            _("Stages"),
            [_("Stage"), _("Count"), _("Pass rate (%)")],
            [(row.label, row.count, row.rate) for row in data.stages],
        ),
    ]
    if data.results_available:
        sheets.append(
            (
                _("Scores by category"),
                [
                    _("Code"),
                    _("Category"),
                    _("Points"),
                    _("Count"),
                    _("Minimum"),
                    _("Mean"),
                    _("Median"),
                    _("Maximum"),
                ],
                [
                    (r.code, r.name, r.points, r.count, r.minimum, r.mean, r.median, r.maximum)
                    for r in data.categories
                ],
            )
        )
        sheets.append((_("Total scores"), [_("Range"), _("Applications")], data.totals_histogram))
    else:
        sheets.append((_("Scores by category"), [_("Not yet available")], []))
    return sheets
