"""Scoring (A13, A18): members save and submit their item scores, the panel lead records
the consensus, and the stage result is written when the consensus is complete, with the
application's standing (what the ranking reads) in the same transaction.

Every change locks the row it changes (the member for scores, the panel for the
consensus), so two experts submitting at once each succeed for their own scores and a
double-clicked submit changes once (the second call is refused: "already_submitted")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.notifications.services import notify
from qualityaward.rulesets.models import FrameworkItem

from ..models import ConsensusScore, ItemScore, Panel, PanelMember, StageResult
from ..rules import has_conflict
from ..scoring import (
    ItemLine,
    category_totals,
    check_percent,
    default_percent,
    is_flagged,
    stage_total,
)
from .panels import cycle_stages, stage_of
from .standings import standing_refresh

TEXT_MAX = 3000


def framework_items(panel: Panel) -> list[FrameworkItem]:
    framework_id = panel.cycle.rule_set_version.framework_id
    return list(
        FrameworkItem.objects.filter(category__framework_id=framework_id)
        .select_related("category")
        .order_by("category__order", "order")
    )


def _locked_member(member: PanelMember) -> PanelMember:
    return (
        PanelMember.objects.select_for_update()
        .select_related("panel__application", "panel__cycle__rule_set_version", "expert")
        .get(pk=member.pk)
    )


def _guard_member(member: PanelMember, actor) -> None:
    if not getattr(actor, "is_authenticated", False) or member.expert.user_id != actor.pk:
        raise NotAllowed()
    if has_conflict(actor, member.panel.application.applicant_id):
        raise NotAllowed(
            _("A conflict of interest is recorded: you cannot evaluate this application."),
            code="conflict",
        )
    if member.confirmed_no_conflict_at is None:
        raise QualityAwardError(
            _("Confirm that you have no conflict of interest first."), code="not_confirmed"
        )
    if member.submitted_at is not None:
        raise QualityAwardError(
            _("Your scores were submitted already; they cannot change."),
            code="already_submitted",
        )


@dataclass(frozen=True)
class ScoreEntry:
    percent: object  # "" or None: not scored yet
    strengths: str = ""
    opportunities: str = ""


@transaction.atomic
def scores_save(*, member: PanelMember, entries: Mapping[int, ScoreEntry], actor) -> dict[int, str]:
    """Save a member's draft scores (autosave). Entries without a percentage keep only
    the texts once a percentage exists. Returns {item id: error} for refused entries
    (the others are saved)."""
    member = _locked_member(member)
    _guard_member(member, actor)
    items = {item.pk: item for item in framework_items(member.panel)}
    existing = {s.item_id: s for s in ItemScore.objects.filter(member=member)}
    errors: dict[int, str] = {}
    changed = {}
    for item_id, entry in entries.items():
        if item_id not in items:
            continue
        strengths = (entry.strengths or "").strip()[:TEXT_MAX]
        opportunities = (entry.opportunities or "").strip()[:TEXT_MAX]
        row = existing.get(item_id)
        if entry.percent in ("", None):
            if row is None:
                if strengths or opportunities:
                    errors[item_id] = _("Give the percentage before the comments.")
                continue
            percent = row.percent
        else:
            try:
                percent = check_percent(entry.percent)
            except QualityAwardError as error:
                errors[item_id] = error.message
                continue
        if row is None:
            ItemScore.objects.create(
                member=member,
                item_id=item_id,
                percent=percent,
                strengths=strengths,
                opportunities=opportunities,
            )
        elif (row.percent, row.strengths, row.opportunities) != (
            percent,
            strengths,
            opportunities,
        ):
            row.percent, row.strengths, row.opportunities = percent, strengths, opportunities
            row.save(update_fields=["percent", "strengths", "opportunities", "updated_at"])
        else:
            continue
        changed[items[item_id].code] = percent
    if changed:
        audit_append(
            actor=actor, action="evaluation.scores_save", obj=member, changes={"percent": changed}
        )
    return errors


@transaction.atomic
def scores_submit(*, member: PanelMember, actor) -> PanelMember:
    """Lock the member's scores. Every item needs a percentage."""
    member = _locked_member(member)
    _guard_member(member, actor)
    items = framework_items(member.panel)
    scored = set(ItemScore.objects.filter(member=member).values_list("item_id", flat=True))
    missing = [item.code for item in items if item.pk not in scored]
    if missing:
        raise QualityAwardError(
            _("Score every item before you submit; missing: %(items)s.")
            % {"items": ", ".join(missing)},
            code="incomplete",
        )
    member.submitted_at = timezone.now()
    member.save(update_fields=["submitted_at"])
    audit_append(
        actor=actor,
        action="evaluation.scores_submit",
        obj=member,
        changes={
            "panel": member.panel_id,
            "scores": {
                s.item.code: s.percent
                for s in ItemScore.objects.filter(member=member).select_related("item")
            },
        },
    )
    panel = member.panel
    lead = panel.lead
    if (
        lead is not None
        and not PanelMember.objects.filter(panel=panel, submitted_at__isnull=True).exists()
    ):
        notify(
            recipients=[lead.user],
            kind="evaluation.consensus_ready",
            subject=_("Every member has submitted: record the consensus"),
            url=f"/evaluation/panels/{panel.pk}/consensus/",
            dedupe_key=f"evaluation.consensus_ready.{panel.pk}",
        )
    return member


# --- consensus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsensusRow:
    item: FrameworkItem
    percents: list[int]  # the members' percentages
    spread: int
    flagged: bool
    default: int  # the aggregation, rounded to 5
    recorded: ConsensusScore | None
    baseline: int | None = None  # site visit: the document review's agreed percentage


def panel_complete_for_consensus(panel: Panel) -> bool:
    members = list(PanelMember.objects.filter(panel=panel))
    return bool(members) and all(m.submitted_at for m in members)


def consensus_rows(*, panel: Panel) -> list[ConsensusRow]:
    rules = panel.cycle.rule_set_version.rules
    threshold = int(rules.consensus_spread_threshold.value)
    method = stage_of(panel.cycle, panel.stage).aggregation
    scores: dict[int, list[int]] = {}
    for score in ItemScore.objects.filter(member__panel=panel, member__submitted_at__isnull=False):
        scores.setdefault(score.item_id, []).append(score.percent)
    recorded = {c.item_id: c for c in ConsensusScore.objects.filter(panel=panel)}
    # A later stage adjusts the agreed percentages of the rule set's first stage.
    first_stage = cycle_stages(panel.cycle)[0].code
    baseline: dict[int, int] = {}
    if panel.stage != first_stage:
        baseline = dict(
            ConsensusScore.objects.filter(
                panel__application_id=panel.application_id, panel__stage=first_stage
            ).values_list("item_id", "percent")
        )
    rows = []
    for item in framework_items(panel):
        values = sorted(scores.get(item.pk, []))
        rows.append(
            ConsensusRow(
                item=item,
                percents=values,
                spread=(values[-1] - values[0]) if values else 0,
                flagged=is_flagged(values, threshold),
                default=default_percent(values, method) if values else 0,
                recorded=recorded.get(item.pk),
                baseline=baseline.get(item.pk),
            )
        )
    return rows


@dataclass(frozen=True)
class ConsensusEntry:
    percent: object
    reason: str = ""


@transaction.atomic
def consensus_save(
    *, panel: Panel, entries: Mapping[int, ConsensusEntry], actor, complete: bool = False
) -> StageResult | None:
    """The lead records the agreed percentage and the reason per item. A flagged item
    needs a reason, and so does a percentage other than the default (the panel's
    aggregation, rounded to 5) and, at the site visit and the presentation, an
    adjustment of the document review's agreed percentage; otherwise the default reason
    is recorded. With `complete`, every item must be recorded and the stage result is
    written (once)."""
    panel = (
        Panel.objects.select_for_update(of=("self",))
        .select_related("cycle__rule_set_version", "application", "lead")
        .get(pk=panel.pk)
    )
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "evaluation.lead_panel", panel
    ):
        raise NotAllowed()
    if StageResult.objects.filter(panel=panel).exists():
        raise QualityAwardError(_("The consensus is complete already."), code="completed")
    if not panel_complete_for_consensus(panel):
        raise QualityAwardError(
            _("The consensus starts when every member has submitted."), code="not_ready"
        )
    rows = {row.item.pk: row for row in consensus_rows(panel=panel)}
    problems = []
    changed = {}
    for item_id, entry in entries.items():
        row = rows.get(item_id)
        if row is None:
            continue
        try:
            percent = check_percent(entry.percent)
        except QualityAwardError as error:
            problems.append(
                _("%(field)s: %(error)s") % {"field": row.item.code, "error": error.message}
            )
            continue
        reason = (entry.reason or "").strip()
        if not reason:
            adjusted = row.baseline is not None and percent != row.baseline
            if row.flagged or percent != row.default or adjusted:
                problems.append(
                    _("%(code)s: give the reason for the agreed percentage.")
                    % {"code": row.item.code}
                )
                continue
            reason = _("The panel's scores agree (default of the aggregation).")
        current = row.recorded
        if current is None:
            ConsensusScore.objects.create(
                panel=panel,
                item_id=item_id,
                percent=percent,
                reason=reason,
                flagged=row.flagged,
                recorded_by=actor,
            )
        elif (current.percent, current.reason) != (percent, reason):
            current.percent, current.reason, current.recorded_by = percent, reason, actor
            current.save(update_fields=["percent", "reason", "recorded_by", "recorded_at"])
        else:
            continue
        changed[row.item.code] = {"percent": percent, "reason": reason, "flagged": row.flagged}
    if problems:
        raise QualityAwardError(" ".join(problems), code="invalid")
    if changed:
        audit_append(actor=actor, action="evaluation.consensus_save", obj=panel, changes=changed)
    if not complete:
        return None
    return _stage_result_write(panel=panel, actor=actor)


def _stage_result_write(*, panel: Panel, actor) -> StageResult:
    items = {item.pk: item for item in framework_items(panel)}
    agreed = {c.item_id: c.percent for c in ConsensusScore.objects.filter(panel=panel)}
    missing = [item.code for pk, item in items.items() if pk not in agreed]
    if missing:
        raise QualityAwardError(
            _("Record the consensus of every item first; missing: %(items)s.")
            % {"items": ", ".join(missing)},
            code="incomplete",
        )
    categories = category_totals(
        ItemLine(item.category.code, item.points, agreed[pk]) for pk, item in items.items()
    )
    result = StageResult.objects.create(
        panel=panel,
        total=stage_total(categories),
        category_scores={code: str(value) for code, value in categories.items()},
        completed_at=timezone.now(),
    )
    standing_refresh(application=panel.application)
    audit_append(
        actor=actor,
        action="evaluation.stage_result",
        obj=panel,
        changes={"total": str(result.total), "categories": result.category_scores},
    )
    return result
