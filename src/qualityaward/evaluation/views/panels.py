"""The agency coordinator's panel pages (A18): per stage, the applications with their
panels and why each expert was chosen; assign (htmx progress), override, schedule, the
site visit checklist, and the lead's consensus page. A user with a conflict of interest
with the applicant gets 404 on every page of its panels (A25)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.accounts.scoping import cycle_or_404, scoped_or_404
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.models import Cycle
from qualityaward.cycles.selectors import cycle_timeline, cycles_with_stages
from qualityaward.rulesets.enums import StageCode

from ..forms.panels import MemberAddForm, MemberRemoveForm, MemberReplaceForm, ScheduleForm
from ..models import AssignmentRun, Expert, Panel, PanelMember, SiteVisitCheck
from ..selectors.panels import panels_base, panels_of_stage, runs_of
from ..services import panels as services
from ..services import scoring as scoring_services


def visible_panel(request: HttpRequest, pk: int, perm: str = "evaluation.view_panel") -> Panel:
    panel = panels_base().filter(pk=pk).first()
    if panel is None or not request.user.has_perm(perm, panel):
        raise Http404
    return panel


def member_of_visible_panel(request: HttpRequest, pk: int) -> PanelMember:
    member = get_object_or_404(PanelMember.objects.select_related("expert"), pk=pk)
    member.panel = visible_panel(request, member.panel_id, "evaluation.change_panel")
    return member


def _cycle(request: HttpRequest, cycle_pk: int) -> Cycle:
    cycle = cycle_or_404(request.user, cycle_pk, cycles_with_stages())
    if not request.user.has_perm("evaluation.view_panels", cycle):
        raise PermissionDenied
    return cycle


def _stage_rows(cycle: Cycle, hidden: set[int]) -> list[dict]:
    rows = []
    for stage in services.cycle_stages(cycle):
        panels = {p.application_id: p for p in panels_of_stage(cycle=cycle, stage_code=stage.code)}
        try:
            taking_part = services.stage_applications(cycle=cycle, stage_code=stage.code)
        except QualityAwardError:
            taking_part = []
        applications = {a.pk: a for a in taking_part}
        for panel in panels.values():
            applications.setdefault(panel.application_id, panel.application)
        entries = [
            {"application": a, "panel": panels.get(a.pk)}
            for pk, a in sorted(applications.items())
            if a.applicant_id not in hidden
        ]
        rows.append(
            {
                "stage": stage,
                "entries": entries,
                "missing": sum(1 for e in entries if e["panel"] is None),
            }
        )
    return rows


@require_GET
def cycle_panels(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    from ..selectors.conflicts import conflicted_applicant_ids

    cycle = _cycle(request, cycle_pk)
    deadline = next((row for row in cycle_timeline(cycle=cycle) if row.code == "evaluation"), None)
    return render(
        request,
        "evaluation/cycle_panels.html",
        {
            "cycle": cycle,
            "stages": _stage_rows(cycle, conflicted_applicant_ids(user=request.user)),
            "may_manage": request.user.has_perm("evaluation.manage_panels", cycle),
            "may_see_results": request.user.has_perm("evaluation.view_results", cycle),
            "evaluation_row": deadline,
            "runs": runs_of(cycle=cycle)[:20],
            "method": cycle.rule_set_version.rules.assignment_method.display,
        },
    )


@require_POST
def panels_assign(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle(request, cycle_pk)
    if not request.user.has_perm("evaluation.manage_panels", cycle):
        raise PermissionDenied
    stage = request.POST.get("stage", "")
    if stage not in StageCode.values:
        raise Http404
    error, outcome = "", None
    try:
        outcome = services.panels_assign(cycle=cycle, stage_code=stage, actor=request.user)
    except QualityAwardError as problem:
        error = problem.message
    if outcome is not None and outcome.run is None:
        text = _("Every application of this stage has its panel already.")
    elif outcome is not None:
        text = _("%(n)d panels formed.") % {"n": len(outcome.panels)}
    else:
        text = ""
    if getattr(request, "htmx", False):
        return render(
            request,
            "evaluation/_assign_result.html",
            {"error": error, "text": text, "cycle": cycle},
            status=200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, text)
    return redirect("evaluation:cycle_panels", cycle_pk=cycle.pk)


@require_GET
def run_replay(request: HttpRequest, pk: int) -> HttpResponse:
    run = scoped_or_404(AssignmentRun.objects.select_related("cycle"), request.user, pk=pk)
    if not request.user.has_perm("evaluation.view_panels", run.cycle):
        raise PermissionDenied
    outcome = services.panel_draw_replay(run=run)
    return render(request, "evaluation/run_replay.html", {"run": run, "outcome": outcome})


@require_GET
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = visible_panel(request, pk)
    may_change = request.user.has_perm("evaluation.change_panel", panel)
    is_lead = request.user.has_perm("evaluation.lead_panel", panel)
    pool = services.cycle_pool(cycle=panel.cycle, on=timezone.localdate()).exclude(
        pk__in=[m.expert_id for m in panel.members.all()]
    )
    return render(
        request,
        "evaluation/panel_detail.html",
        {
            "panel": panel,
            "members": panel.members.all(),
            "may_change": may_change,
            "is_lead": is_lead,
            "add_form": MemberAddForm(experts=pool) if may_change else None,
            "replace_form": MemberReplaceForm(experts=pool) if may_change else None,
            "remove_form": MemberRemoveForm() if may_change else None,
            "schedule_form": ScheduleForm(
                initial={"scheduled_at": panel.scheduled_at, "place": panel.place}
            )
            if may_change or is_lead
            else None,
            "checks": panel.checks.select_related("item", "evidence"),
            "result": getattr(panel, "result", None),
        },
    )


def _back(panel_pk: int) -> HttpResponse:
    return redirect("evaluation:panel", pk=panel_pk)


@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    panel = visible_panel(request, pk, "evaluation.change_panel")
    form = MemberAddForm(request.POST, experts=Expert.objects.all())
    if not form.is_valid():
        messages.error(request, _("Choose the expert and say why."))
        return _back(panel.pk)
    try:
        services.member_add(
            panel=panel,
            expert=form.cleaned_data["expert"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The expert is added to the panel."))
    return _back(panel.pk)


@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_of_visible_panel(request, pk)
    form = MemberRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return _back(member.panel_id)
    try:
        services.member_remove(
            member=member, reason=form.cleaned_data["reason"], actor=request.user
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The expert is removed from the panel."))
    return _back(member.panel_id)


@require_POST
def member_replace(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_of_visible_panel(request, pk)
    form = MemberReplaceForm(request.POST, experts=Expert.objects.all())
    if not form.is_valid():
        messages.error(request, _("Choose the expert and give the reason."))
        return _back(member.panel_id)
    try:
        services.member_replace(
            member=member,
            expert=form.cleaned_data["expert"],
            reason=form.cleaned_data["note"],
            actor=request.user,
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The expert is replaced."))
    return _back(member.panel_id)


@require_POST
def panel_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    panel = visible_panel(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date, time and place."))
        return _back(panel.pk)
    try:
        services.panel_schedule(panel=panel, actor=request.user, **form.cleaned_data)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The schedule is saved."))
    return _back(panel.pk)


@require_POST
def panel_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the site visit checklist, or record one check's finding."""
    panel = visible_panel(request, pk)
    try:
        check_id = request.POST.get("check")
        if check_id:
            check = get_object_or_404(SiteVisitCheck, pk=check_id, panel=panel)
            services.site_visit_check_record(
                check=check,
                verified=request.POST.get("verified") == "on",
                finding=request.POST.get("finding", ""),
                actor=request.user,
            )
            messages.success(request, _("The finding is saved."))
        else:
            services.site_visit_checklist_create(panel=panel, actor=request.user)
            messages.success(request, _("The checklist is ready."))
    except QualityAwardError as error:
        messages.error(request, error.message)
    return redirect(f"{panel_url(panel)}#checks")


def panel_url(panel: Panel) -> str:
    from django.urls import reverse

    return reverse("evaluation:panel", args=[panel.pk])


@require_http_methods(["GET", "POST"])
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    panel = visible_panel(request, pk)
    is_lead = request.user.has_perm("evaluation.lead_panel", panel)
    ready = scoring_services.panel_complete_for_consensus(panel)
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        entries = {}
        for key in request.POST:
            if key.startswith("item-") and key.endswith("-percent"):
                try:
                    item_id = int(key.split("-")[1])
                except ValueError:
                    continue
                entries[item_id] = scoring_services.ConsensusEntry(
                    percent=request.POST.get(key, ""),
                    reason=request.POST.get(f"item-{item_id}-reason", ""),
                )
        try:
            result = scoring_services.consensus_save(
                panel=panel,
                entries=entries,
                actor=request.user,
                complete=request.POST.get("complete") == "1",
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            # A completed consensus is announced by the page itself, with the total.
            if result is None:
                messages.success(request, _("The consensus is saved."))
        return redirect("evaluation:consensus", pk=panel.pk)
    rows = scoring_services.consensus_rows(panel=panel) if ready else []
    first_stage = services.cycle_stages(panel.cycle)[0]
    return render(
        request,
        "evaluation/consensus.html",
        {
            "panel": panel,
            "rows": rows,
            "baseline_stage": first_stage if panel.stage != first_stage.code else None,
            "ready": ready,
            "is_lead": is_lead,
            "result": getattr(panel, "result", None),
            "threshold": panel.cycle.rule_set_version.rules.consensus_spread_threshold.value,
            "percent_choices": list(range(0, 101, 5)),
        },
    )


@require_GET
def cycle_results(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    from ..selectors.conflicts import conflicted_applicant_ids
    from ..selectors.results import application_results

    if not request.user.has_perm("evaluation.view_results"):
        raise PermissionDenied
    cycle = cycle_or_404(request.user, cycle_pk)
    if not request.user.has_perm("evaluation.view_results", cycle):
        raise Http404
    hidden = conflicted_applicant_ids(user=request.user)
    return render(
        request,
        "evaluation/cycle_results.html",
        {
            "cycle": cycle,
            "results": [
                r
                for r in application_results(cycle=cycle)
                if r.application.applicant_id not in hidden
            ],
            "stages": services.cycle_stages(cycle),
        },
    )
