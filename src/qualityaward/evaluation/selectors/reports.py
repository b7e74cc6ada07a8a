"""What the outputs read (A26, A8): the evaluation report of one application, the score
sheets of a cycle, the conduct ratings and the leniency of the experts.

Each reads in a constant number of queries whatever the number of applications,
members or items."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from qualityaward.accounts.scoping import CYCLE_AWARD, scope
from qualityaward.applications.models import Application, SelfEvaluation
from qualityaward.cycles.models import Cycle
from qualityaward.rulesets.models import FrameworkCategory, FrameworkItem

from ..charts import radar_svg
from ..leniency import Leniency, leniency, leniency_by
from ..models import ConductRating, ConsensusScore, ExpertMisconduct, ItemScore, Panel
from .results import ApplicationResult, application_results

HUNDRED = Decimal(100)


# --- the evaluation report of one application -----------------------------------------


@dataclass
class ItemRow:
    item: object
    consensus: int | None
    self_percent: int | None
    strengths: list[str] = field(default_factory=list)
    opportunities: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def difference(self) -> int | None:
        """Panel's consensus minus the applicant's self-score (percentage points)."""
        if self.consensus is None or self.self_percent is None:
            return None
        return self.consensus - self.self_percent


@dataclass
class CategoryRow:
    category: FrameworkCategory
    score: Decimal | None
    items: list[ItemRow]

    @property
    def percent(self) -> Decimal | None:
        if self.score is None or not self.category.points:
            return None
        return (self.score * HUNDRED / self.category.points).quantize(Decimal("0.1"))


@dataclass
class StageRow:
    code: str
    name: str
    weight: Decimal
    total: Decimal | None
    reached: bool
    stopped_here: bool


@dataclass
class Report:
    application: Application
    result: ApplicationResult | None
    stages: list[StageRow]
    categories: list[CategoryRow]
    scored_stage: str  # the name of the stage whose consensus the items show, or ""
    radar: str  # inline SVG, "" without scores


def _result_of(application: Application) -> ApplicationResult | None:
    results = application_results(cycle=application.cycle, application_ids=[application.pk])
    return results[0] if results else None


def application_report(*, application: Application) -> Report:
    application = Application.objects.select_related(
        "applicant", "cycle__rule_set_version__framework"
    ).get(pk=application.pk)
    version = application.cycle.rule_set_version
    stages = list(version.rules.stages.value)
    result = _result_of(application)
    totals = result.stage_totals if result else {}
    panels = {
        p.stage: p for p in Panel.objects.filter(application=application).select_related("result")
    }
    # the last stage with a result: its categories and consensus are the report's
    scored = next(
        (s for s in reversed(stages) if getattr(panels.get(s.code), "result", None)), None
    )
    stage_rows: list[StageRow] = []
    for stage in stages:
        before = stage_rows[-1] if stage_rows else None
        reached = before is None or (
            before.reached and before.total is not None and not before.stopped_here
        )
        stage_rows.append(
            StageRow(
                code=stage.code,
                name=stage.name,
                weight=stage.weight,
                total=totals.get(stage.code),
                reached=reached,
                stopped_here=bool(result and result.stopped_at == stage.code),
            )
        )
    consensus: dict[int, ConsensusScore] = {}
    texts: dict[int, tuple[list[str], list[str]]] = {}
    if scored is not None:
        panel = panels[scored.code]
        consensus = {c.item_id: c for c in ConsensusScore.objects.filter(panel=panel)}
        for score in ItemScore.objects.filter(
            member__panel=panel, member__submitted_at__isnull=False
        ).order_by("member_id"):
            strengths, opportunities = texts.setdefault(score.item_id, ([], []))
            if score.strengths.strip():
                strengths.append(score.strengths.strip())
            if score.opportunities.strip():
                opportunities.append(score.opportunities.strip())
    self_scores = dict(
        SelfEvaluation.objects.filter(application=application).values_list("item_id", "percent")
    )
    category_scores = (
        {code: Decimal(value) for code, value in panels[scored.code].result.category_scores.items()}
        if scored
        else {}
    )
    categories = []
    for category in (
        FrameworkCategory.objects.filter(framework=version.framework)
        .prefetch_related("items")
        .order_by("order")
    ):
        items = []
        for item in sorted(category.items.all(), key=lambda i: i.order):
            agreed = consensus.get(item.pk)
            strengths, opportunities = texts.get(item.pk, ([], []))
            items.append(
                ItemRow(
                    item=item,
                    consensus=agreed.percent if agreed else None,
                    self_percent=self_scores.get(item.pk),
                    strengths=strengths,
                    opportunities=opportunities,
                    reason=agreed.reason if agreed and not (strengths or opportunities) else "",
                )
            )
        categories.append(
            CategoryRow(category=category, score=category_scores.get(category.code), items=items)
        )
    radar = ""
    if scored is not None:
        radar = radar_svg(
            [c.category.name for c in categories], [c.percent or 0 for c in categories]
        )
    return Report(
        application=application,
        result=result,
        stages=stage_rows,
        categories=categories,
        scored_stage=scored.name if scored else "",
        radar=radar,
    )


# --- score sheets (xlsx) -----------------------------------------------------------------


def submitted_item_scores(*, cycle: Cycle, hidden_applicant_ids=frozenset()) -> QuerySet[ItemScore]:
    """The submitted item scores of the cycle: the rows of the score sheets' second sheet."""
    return ItemScore.objects.filter(
        member__panel__cycle=cycle, member__submitted_at__isnull=False
    ).exclude(member__panel__application__applicant_id__in=list(hidden_applicant_ids))


def score_sheets(*, cycle: Cycle, with_names: bool, hidden_applicant_ids=frozenset()) -> list:
    """Two sheets: the totals per application in rank order, and every member's item
    scores (expert names only `with_names`; otherwise "Member 1", "Member 2" per panel)."""
    cycle = Cycle.objects.select_related("rule_set_version").get(pk=cycle.pk)
    stages = list(cycle.rule_set_version.rules.stages.value)
    results = [
        r
        for r in application_results(cycle=cycle)
        if r.application.applicant_id not in hidden_applicant_ids
    ]
    totals_header = [
        _("Rank"),
        _("Receipt number"),
        _("Applicant"),
        *[stage.name for stage in stages],
        _("Weighted total"),
        _("Stopped after"),
    ]
    names = {stage.code: stage.name for stage in stages}
    totals_rows = [
        [
            rank,
            r.application.receipt_number,
            r.application.applicant.name,
            *[r.stage_totals.get(stage.code) for stage in stages],
            r.weighted_total,
            names.get(r.stopped_at, "") if r.stopped_at else "",
        ]
        for rank, r in enumerate(results, start=1)
    ]
    scores = (
        submitted_item_scores(cycle=cycle, hidden_applicant_ids=hidden_applicant_ids)
        .order_by(
            "member__panel__application__receipt_number",
            "member__panel__application_id",
            "member__panel__stage",
            "member_id",
            "item__category__order",
            "item__order",
        )
        .values_list(
            "member__panel_id",
            "member_id",
            "member__panel__application__receipt_number",
            "member__panel__application__applicant__name",
            "member__panel__stage",
            "member__expert__name",
            "item_id",
            "percent",
        )
    )
    # The framework's few items, each named once in the active language.
    items = {
        item.pk: (item.code, item.name)
        for item in FrameworkItem.objects.filter(
            category__framework=cycle.rule_set_version.framework_id
        )
    }

    def score_rows():
        # Plain tuples read in chunks: a provincial cycle has a quarter of a million scores.
        positions: dict[int, dict[int, int]] = {}
        for (
            panel_id,
            member_id,
            receipt,
            applicant,
            stage,
            expert,
            item_id,
            percent,
        ) in scores.iterator(chunk_size=5000):
            code, name = items[item_id]
            seats = positions.setdefault(panel_id, {})
            seat = seats.setdefault(member_id, len(seats) + 1)
            who = expert if with_names else _("Member %(n)d") % {"n": seat}
            yield [receipt, applicant, names.get(stage, stage), who, code, name, percent]

    scores_header = [
        _("Receipt number"),
        _("Applicant"),
        _("Stage"),
        _("Expert") if with_names else _("Member"),
        _("Item"),
        _("Item name"),
        _("Percentage"),
    ]
    return [
        (_("Totals"), totals_header, totals_rows),
        (_("Item scores"), scores_header, score_rows()),
    ]


# --- ratings, misconduct, leniency --------------------------------------------------------


def ratings_list(*, user) -> QuerySet[ConductRating]:
    """The applicants' ratings of the experts, of the awards the user serves."""
    ratings = ConductRating.objects.select_related(
        "panel_member__expert",
        "panel_member__panel__application__applicant",
        "panel_member__panel__cycle",
        "rated_by",
    ).order_by("-rated_at", "-pk")
    return scope(ratings, user, f"panel_member__panel__cycle__{CYCLE_AWARD}")


def misconduct_list() -> QuerySet[ExpertMisconduct]:
    return ExpertMisconduct.objects.select_related("expert", "recorded_by").order_by(
        "-recorded_at", "-pk"
    )


def leniency_rows(*, user, expert_id: int | None = None) -> list[dict]:
    """One query: every submitted item score with its panel's agreed percentage, of the
    awards the user serves."""
    agreed = ConsensusScore.objects.filter(
        panel=OuterRef("member__panel"), item=OuterRef("item")
    ).values("percent")[:1]
    rows = (
        ItemScore.objects.filter(member__submitted_at__isnull=False)
        .annotate(agreed=Subquery(agreed))
        .filter(agreed__isnull=False)
    )
    rows = scope(rows, user, f"member__panel__cycle__{CYCLE_AWARD}")
    if expert_id is not None:
        rows = rows.filter(member__expert_id=expert_id)
    return list(
        rows.order_by(
            "member__expert__name",
            "member__expert_id",
            "member__panel__cycle_id",
            "member__panel__application_id",
            "member__panel__stage",
            "item__category__order",
            "item__order",
        ).values(
            "member__expert_id",
            "member__expert__name",
            "member__panel__cycle_id",
            "member__panel__cycle__name",
            "member__panel__application__applicant_id",
            "member__panel__application__applicant__name",
            "member__panel__stage",
            "item__code",
            "percent",
            "agreed",
        )
    )


@dataclass
class ExpertLeniency:
    expert_id: int
    name: str
    overall: Leniency
    # [(cycle name, Leniency)] in cycle order
    cycles: list[tuple[str, Leniency]]


def leniency_report(rows: list[dict]) -> list[ExpertLeniency]:
    """Per expert (in the rows' order): overall and per cycle."""

    def pair(r):
        return (r["percent"], r["agreed"])

    overall = leniency_by(rows, lambda r: r["member__expert_id"], pair)
    by_cycle = leniency_by(
        rows, lambda r: (r["member__expert_id"], r["member__panel__cycle__name"]), pair
    )
    names = {r["member__expert_id"]: r["member__expert__name"] for r in rows}
    return [
        ExpertLeniency(
            expert_id=expert_id,
            name=names[expert_id],
            overall=stats,
            cycles=[(cycle, s) for (eid, cycle), s in by_cycle.items() if eid == expert_id],
        )
        for expert_id, stats in overall.items()
    ]


__all__ = ["leniency", "leniency_report", "leniency_rows"]
