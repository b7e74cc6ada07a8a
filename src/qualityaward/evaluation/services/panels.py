"""Panels (A18): form them per stage with the rule set's solver, replay a random draw,
override members by hand, the members' "no conflict of interest" confirmation, and the
site visit's schedule and checklist.

Every change runs in one transaction with its audit record. Conflicts (A25) are
refreshed before a run and checked again at every manual change; refusals of a
conflicted or suspended expert are audit-logged too ("evaluation.panel_member_refused")."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.cycles.models import Cycle
from qualityaward.notifications.services import notify
from qualityaward.rulesets.schema import Stage

from ..assignment import (
    OPTIMAL,
    RANDOM_DRAW,
    ApplicationInput,
    AssignmentResult,
    ExpertInput,
    assign_optimal,
    assign_random_draw,
    new_seed,
)
from ..models import (
    AssignmentRun,
    Expert,
    MemberMethod,
    Panel,
    PanelMember,
    SiteVisitCheck,
    StageResult,
)
from ..rules import cycle_agency_ids, has_conflict
from ..scoring import passes_threshold
from ..selectors.conflicts import conflict_pairs
from ..selectors.experts import assignable_experts
from .conflicts import conflicts_refresh

# --- helpers ---------------------------------------------------------------------------


def _is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _require(actor, perm: str, obj=None) -> None:
    """Users need the permission; the system (a string actor: commands, jobs) does not."""
    if _is_user(actor) and not actor.has_perm(perm, obj):
        raise NotAllowed()


def cycle_stages(cycle: Cycle) -> list[Stage]:
    return list(cycle.rule_set_version.rules.stages.value)


def stage_of(cycle: Cycle, code: str) -> Stage:
    for stage in cycle_stages(cycle):
        if stage.code == code:
            return stage
    raise QualityAwardError(
        _("The rule set of this cycle has no such stage."), code="unknown_stage"
    )


def previous_stage(cycle: Cycle, code: str) -> Stage | None:
    stages = cycle_stages(cycle)
    index = [s.code for s in stages].index(code)
    return stages[index - 1] if index else None


def stage_applications(*, cycle: Cycle, stage_code: str) -> list[Application]:
    """The applications that take part in the stage: every qualified application in the
    first stage; in a later stage those whose previous stage result reaches the
    stage's `advance_threshold`."""
    stage = stage_of(cycle, stage_code)
    qualified = Application.objects.filter(
        cycle=cycle, state=ApplicationState.QUALIFIED
    ).select_related("applicant")
    before = previous_stage(cycle, stage_code)
    if before is None:
        return list(qualified.order_by("pk"))
    results = StageResult.objects.filter(
        panel__cycle=cycle,
        panel__stage=before.code,
        panel__application__in=qualified,
    ).select_related("panel__application__applicant")
    return sorted(
        (
            r.panel.application
            for r in results
            if passes_threshold(r.total, stage.advance_threshold)
        ),
        key=lambda a: a.pk,
    )


def cycle_pool(*, cycle: Cycle, on: datetime.date):
    """Assignable experts (active, available) of the agencies procured for the cycle;
    every agency's when none is recorded yet."""
    experts = assignable_experts(on=on)
    agencies = cycle_agency_ids(cycle)
    if agencies:
        experts = experts.filter(agency_id__in=agencies)
    return experts.order_by("pk")


def stage_loads(*, cycle: Cycle, stage_code: str) -> dict[int, int]:
    rows = (
        PanelMember.objects.filter(panel__cycle=cycle, panel__stage=stage_code)
        .values("expert_id")
        .annotate(n=Count("pk"))
    )
    return {row["expert_id"]: row["n"] for row in rows}


def _sector(application: Application) -> str:
    return application.applicant.sector or ""


def _reason_dict(reason) -> dict:
    return {
        "sector_match": reason.sector_match,
        "qualification_level": reason.qualification_level,
        "score": reason.score,
    }


def _solve(inputs: dict, seed: int | None) -> AssignmentResult:
    applications = [ApplicationInput(id=a, sector=s) for a, s in inputs["applications"]]
    experts = [
        ExpertInput(id=e, sectors=frozenset(sectors), qualification_level=level, current_load=load)
        for e, sectors, level, load in inputs["experts"]
    ]
    conflicts = {(e, a) for e, a in inputs["conflicts"]}
    if inputs["method"] == RANDOM_DRAW:
        if seed is None:
            raise ValueError("a random draw needs its seed")
        return assign_random_draw(
            applications=applications,
            experts=experts,
            conflicts=conflicts,
            panel_size=inputs["panel_size"],
            load_cap=inputs["load_cap"],
            max_pair_probability=inputs["q"],
            seed=seed,
        )
    return assign_optimal(
        applications=applications,
        experts=experts,
        conflicts=conflicts,
        panel_size=inputs["panel_size"],
        load_cap=inputs["load_cap"],
    )


# --- forming panels --------------------------------------------------------------------


@dataclass(frozen=True)
class AssignOutcome:
    run: AssignmentRun | None
    panels: list[Panel]
    skipped: int  # applications that had a panel already


def panels_assign(
    *,
    cycle: Cycle,
    stage_code: str,
    actor,
    seed: int | None = None,
    on: datetime.date | None = None,
) -> AssignOutcome:
    """Form the panels of a stage for the applications that have none yet.

    Conflicts are refreshed first (their own transaction: they are facts, kept even
    if the assignment fails). Then, in one transaction with the cycle locked: the
    solver the rule set names (`assignment_method`), its `panel_size`, `expert_load_cap`
    (counting the panels the experts already sit on in this stage) and, for a random
    draw, `random_draw_max_pair_probability` and a fresh seed (or `seed`). Conflicted
    and suspended experts are never offered to the solver."""
    _require(actor, "evaluation.manage_panels", cycle)
    on = on or timezone.localdate()
    conflicts_refresh(actor=actor, on=on)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        stage = stage_of(cycle, stage_code)
        rules = cycle.rule_set_version.rules
        method = str(rules.assignment_method.value)
        taking_part = stage_applications(cycle=cycle, stage_code=stage_code)
        formed = set(
            Panel.objects.filter(cycle=cycle, stage=stage_code).values_list(
                "application_id", flat=True
            )
        )
        todo = [a for a in taking_part if a.pk not in formed]
        if not todo:
            return AssignOutcome(None, [], len(formed))
        pool = list(cycle_pool(cycle=cycle, on=on))
        loads = stage_loads(cycle=cycle, stage_code=stage_code)
        by_applicant: dict[int, list[int]] = defaultdict(list)
        for application in todo:
            by_applicant[application.applicant_id].append(application.pk)
        conflicts = sorted(
            (expert_id, app_id)
            for expert_id, applicant_id in conflict_pairs(
                expert_ids=[e.pk for e in pool], applicant_ids=list(by_applicant)
            )
            for app_id in by_applicant[applicant_id]
        )
        if method == RANDOM_DRAW and seed is None:
            seed = new_seed()
        inputs = {
            "method": method,
            "applications": [[a.pk, _sector(a)] for a in todo],
            "experts": [
                [e.pk, sorted(e.sectors or []), e.qualification_level_on(on), loads.get(e.pk, 0)]
                for e in pool
            ],
            "conflicts": [list(pair) for pair in conflicts],
            "panel_size": stage.panel_size,
            "load_cap": int(rules.expert_load_cap.value),
            "q": str(rules.random_draw_max_pair_probability.value),
        }
        result = _solve(inputs, seed if method == RANDOM_DRAW else None)
        run = AssignmentRun.objects.create(
            cycle=cycle,
            stage=stage_code,
            method=method,
            seed=seed if method == RANDOM_DRAW else None,
            inputs=inputs,
            panels={str(app): list(experts) for app, experts in result.panels.items()},
            created_by=actor if _is_user(actor) else None,
        )
        experts = {e.pk: e for e in pool}
        apps = {a.pk: a for a in todo}
        panels = []
        for app_id, expert_ids in sorted(result.panels.items()):
            reasons = {e: result.reasons[(app_id, e)] for e in expert_ids}
            lead_id = max(
                expert_ids, key=lambda e: (reasons[e].qualification_level, reasons[e].score, -e)
            )
            panel = Panel.objects.create(
                cycle=cycle, application=apps[app_id], stage=stage_code, lead_id=lead_id, run=run
            )
            PanelMember.objects.bulk_create(
                PanelMember(
                    panel=panel,
                    expert_id=e,
                    method=method if method in MemberMethod.values else OPTIMAL,
                    reasons=_reason_dict(reasons[e]),
                    draw_seed=run.seed,
                )
                for e in expert_ids
            )
            panels.append(panel)
        audit_append(
            actor=actor,
            action="evaluation.panels_assign",
            obj=run,
            changes={
                "cycle": cycle.pk,
                "stage": stage_code,
                "method": method,
                "seed": run.seed,
                "panel_size": stage.panel_size,
                "load_cap": inputs["load_cap"],
                "panels": run.panels,
            },
        )
        recipients = {experts[e].user for ids in result.panels.values() for e in ids}
        notify(
            recipients=sorted(recipients, key=lambda u: u.pk),
            kind="evaluation.panel_assigned",
            subject=_("You are on an evaluation panel"),
            body=_("Confirm that you have no conflict of interest before you open the materials."),
            url="/evaluation/assignments/",
            dedupe_key=f"evaluation.run.{run.pk}",
        )
    return AssignOutcome(run, panels, len(formed))


@dataclass(frozen=True)
class ReplayOutcome:
    run: AssignmentRun
    matches: bool
    stored: dict[int, tuple[int, ...]]
    replayed: dict[int, tuple[int, ...]]

    @property
    def differences(self) -> list[int]:
        """Application ids whose panel differs."""
        keys = set(self.stored) | set(self.replayed)
        return sorted(k for k in keys if self.stored.get(k) != self.replayed.get(k))


def panel_draw_replay(*, run: AssignmentRun) -> ReplayOutcome:
    """Recompute a run from its stored input and seed and compare with the stored
    panels (a check: nothing is changed)."""
    stored = {int(app): tuple(sorted(ids)) for app, ids in run.panels.items()}
    result = _solve(run.inputs, run.seed)
    replayed = {app: tuple(sorted(ids)) for app, ids in result.panels.items()}
    return ReplayOutcome(run=run, matches=stored == replayed, stored=stored, replayed=replayed)


# --- manual changes by the coordinator ---------------------------------------------------


def _guard_unlocked(panel: Panel) -> None:
    if StageResult.objects.filter(panel=panel).exists():
        raise QualityAwardError(
            _("The panel's result is recorded; its members cannot change."), code="completed"
        )


def _refusal(expert: Expert, panel: Panel) -> str | None:
    if expert.is_suspended:
        return _("%(expert)s is suspended and cannot sit on a panel.") % {"expert": expert.name}
    if has_conflict(expert.user, panel.application.applicant_id):
        return _("%(expert)s has a conflict of interest with this applicant.") % {
            "expert": expert.name
        }
    return None


def _refuse(*, panel: Panel, expert: Expert, message: str, actor, action: str) -> None:
    """Record the refusal in its own transaction, then raise."""
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="evaluation.panel_member_refused",
            obj=panel,
            changes={"attempt": action, "expert": expert.pk, "reason": message},
        )
    raise NotAllowed(message, code="refused")


def _check_candidate(*, panel: Panel, expert: Expert, actor, action: str) -> None:
    conflicts_refresh(experts=[expert], applicants=[panel.application.applicant_id], actor=actor)
    expert.refresh_from_db(fields=["status"])
    message = _refusal(expert, panel)
    if message:
        _refuse(panel=panel, expert=expert, message=message, actor=actor, action=action)


def _load_cap_check(panel: Panel, expert: Expert) -> None:
    cap = int(panel.cycle.rule_set_version.rules.expert_load_cap.value)
    load = PanelMember.objects.filter(
        panel__cycle=panel.cycle, panel__stage=panel.stage, expert=expert
    ).count()
    if load >= cap:
        raise QualityAwardError(
            _("%(expert)s already sits on %(n)d panels of this stage (the cap).")
            % {"expert": expert.name, "n": load},
            code="load_cap",
        )


def member_add(*, panel: Panel, expert: Expert, note: str, actor) -> PanelMember:
    """Add an expert to a panel by hand (refused for a conflicted or suspended expert)."""
    _require(actor, "evaluation.change_panel", panel)
    _check_candidate(panel=panel, expert=expert, actor=actor, action="add")
    with transaction.atomic():
        panel = Panel.objects.select_for_update().select_related("cycle").get(pk=panel.pk)
        _guard_unlocked(panel)
        if PanelMember.objects.filter(panel=panel, expert=expert).exists():
            raise QualityAwardError(_("The expert is on this panel already."), code="duplicate")
        _load_cap_check(panel, expert)
        member = PanelMember.objects.create(
            panel=panel,
            expert=expert,
            method=MemberMethod.MANUAL,
            reasons={"note": note.strip()},
        )
        if panel.lead_id is None:
            panel.lead = expert
            panel.save(update_fields=["lead"])
        audit_append(
            actor=actor,
            action="evaluation.panel_member_add",
            obj=panel,
            changes={"expert": expert.pk, "expert_name": expert.name, "note": note.strip()},
        )
    return member


def member_remove(*, member: PanelMember, reason: str, actor) -> None:
    _require(actor, "evaluation.change_panel", member.panel)
    if not reason.strip():
        raise QualityAwardError(_("Give the reason."), code="required")
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=member.panel_id)
        _guard_unlocked(panel)
        member = PanelMember.objects.select_related("expert").get(pk=member.pk)
        if member.submitted_at is not None:
            raise QualityAwardError(
                _("This member has submitted scores and cannot be removed."), code="submitted"
            )
        expert = member.expert
        member.delete()
        if panel.lead_id == expert.pk:
            successor = (
                PanelMember.objects.filter(panel=panel)
                .order_by("pk")
                .values_list("expert_id", flat=True)
            ).first()
            panel.lead_id = successor
            panel.save(update_fields=["lead"])
        audit_append(
            actor=actor,
            action="evaluation.panel_member_remove",
            obj=panel,
            changes={"expert": expert.pk, "expert_name": expert.name, "reason": reason.strip()},
        )


def member_replace(*, member: PanelMember, expert: Expert, reason: str, actor) -> PanelMember:
    """Replace a member by another expert (checked like an addition)."""
    panel = member.panel
    _require(actor, "evaluation.change_panel", panel)
    _check_candidate(panel=panel, expert=expert, actor=actor, action="replace")
    with transaction.atomic():
        was_lead = panel.lead_id == member.expert_id
        member_remove(member=member, reason=reason, actor=actor)
        added = member_add(panel=panel, expert=expert, note=reason, actor=actor)
        if was_lead:
            Panel.objects.filter(pk=panel.pk).update(lead=expert)
    return added


def lead_set(*, panel: Panel, expert: Expert, actor) -> Panel:
    _require(actor, "evaluation.change_panel", panel)
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if not PanelMember.objects.filter(panel=panel, expert=expert).exists():
            raise QualityAwardError(_("The lead must be a member of the panel."), code="invalid")
        panel.lead = expert
        panel.save(update_fields=["lead"])
        audit_append(
            actor=actor, action="evaluation.panel_lead_set", obj=panel, changes={"lead": expert.pk}
        )
    return panel


# --- the member's confirmation ---------------------------------------------------------


@transaction.atomic
def member_confirm_no_conflict(*, member: PanelMember, actor) -> PanelMember:
    """The expert confirms having no conflict of interest with the applicant; only then
    do they see the materials. Confirming twice is refused with a clear message."""
    member = (
        PanelMember.objects.select_for_update()
        .select_related("panel__application", "expert")
        .get(pk=member.pk)
    )
    if not _is_user(actor) or member.expert.user_id != actor.pk:
        raise NotAllowed()
    if has_conflict(actor, member.panel.application.applicant_id):
        raise NotAllowed(
            _("A conflict of interest is recorded: you cannot evaluate this application."),
            code="conflict",
        )
    if member.confirmed_no_conflict_at is not None:
        raise QualityAwardError(_("You have confirmed this already."), code="already_confirmed")
    member.confirmed_no_conflict_at = timezone.now()
    member.save(update_fields=["confirmed_no_conflict_at"])
    audit_append(
        actor=actor,
        action="evaluation.no_conflict_confirmed",
        obj=member,
        changes={"panel": member.panel_id, "application": member.panel.application_id},
    )
    return member


# --- schedule and site visit checklist ------------------------------------------------


@transaction.atomic
def panel_schedule(*, panel: Panel, scheduled_at: datetime.datetime, place: str, actor) -> Panel:
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if _is_user(actor) and not (
        actor.has_perm("evaluation.change_panel", panel)
        or actor.has_perm("evaluation.lead_panel", panel)
    ):
        raise NotAllowed()
    if not place.strip():
        raise QualityAwardError(_("Give the place."), code="required")
    panel.scheduled_at, panel.place = scheduled_at, place.strip()[:200]
    panel.save(update_fields=["scheduled_at", "place"])
    audit_append(
        actor=actor,
        action="evaluation.panel_schedule",
        obj=panel,
        changes={"scheduled_at": scheduled_at, "place": panel.place},
    )
    return panel


@transaction.atomic
def site_visit_checklist_create(*, panel: Panel, actor) -> list[SiteVisitCheck]:
    """What the site visit verifies: each self-evaluation item the applicant described
    and each piece of evidence. Created once; the lead records the findings."""
    panel = Panel.objects.select_for_update().select_related("application").get(pk=panel.pk)
    if _is_user(actor) and not (
        actor.has_perm("evaluation.change_panel", panel)
        or actor.has_perm("evaluation.lead_panel", panel)
    ):
        raise NotAllowed()
    if SiteVisitCheck.objects.filter(panel=panel).exists():
        raise QualityAwardError(_("The checklist exists already."), code="duplicate")
    checks = []
    order = 0
    for row in panel.application.self_evaluations.select_related("item").order_by(
        "item__category__order", "item__order"
    ):
        if not row.text.strip():
            continue
        order += 1
        checks.append(
            SiteVisitCheck(
                panel=panel,
                item=row.item,
                order=order,
                text=(
                    _("%(code)s %(name)s: verify the self-evaluation (self-score %(percent)s%%)")
                    % {"code": row.item.code, "name": row.item.name_zh, "percent": row.percent}
                )[:300],
            )
        )
    for evidence in panel.application.evidence.order_by("pk"):
        order += 1
        checks.append(
            SiteVisitCheck(
                panel=panel,
                evidence=evidence,
                order=order,
                text=(_("Evidence: %(title)s") % {"title": evidence.title})[:300],
            )
        )
    SiteVisitCheck.objects.bulk_create(checks)
    audit_append(
        actor=actor,
        action="evaluation.site_visit_checklist",
        obj=panel,
        changes={"checks": len(checks)},
    )
    return list(SiteVisitCheck.objects.filter(panel=panel))


@transaction.atomic
def site_visit_check_record(
    *, check: SiteVisitCheck, verified: bool, finding: str, actor
) -> SiteVisitCheck:
    check = SiteVisitCheck.objects.select_for_update().select_related("panel").get(pk=check.pk)
    _require(actor, "evaluation.lead_panel", check.panel)
    if StageResult.objects.filter(panel=check.panel).exists():
        raise QualityAwardError(_("The stage is completed."), code="completed")
    check.verified, check.finding = verified, finding.strip()
    check.save(update_fields=["verified", "finding"])
    audit_append(
        actor=actor,
        action="evaluation.site_visit_finding",
        obj=check.panel,
        changes={"check": check.pk, "verified": verified, "finding": check.finding},
    )
    return check
