"""The expert's pages (A18, A25, A30): my assignments; per seat, the "no conflict of
interest" confirmation, then the materials, the scoring form (htmx autosave) and the
submission. Evidence is read through `evidence_read`: trade secrets only by the office
and assigned, unconflicted, confirmed experts, each read recorded, PDFs watermarked.

An expert sees only applications of their own panels; a user who must recuse from the
applicant gets 404 on all of it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.accounts.enums import Role
from qualityaward.accounts.rules import is_office
from qualityaward.applications.models import Application, Evidence
from qualityaward.applications.selectors.applications import self_evaluation_table
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.downloads import file_response, secret_file_response, stamp_values
from qualityaward.rulesets.enums import CategoryKind

from ..models import ItemScore, PanelMember
from ..rules import has_conflict
from ..selectors.panels import assignment_list, others_scores
from ..services import panels as panel_services
from ..services import scoring as services

PERCENT_CHOICES = list(range(0, 101, 5))


def own_member(request: HttpRequest, pk: int) -> PanelMember:
    """The user's own seat, 404 for anyone else and for a conflicted expert."""
    member = (
        PanelMember.objects.select_related(
            "expert",
            "panel__application__applicant",
            "panel__cycle__rule_set_version__framework",
            "panel__lead",
        )
        .filter(pk=pk)
        .first()
    )
    if member is None or not request.user.has_perm("evaluation.act_as_member", member):
        raise Http404
    return member


@require_GET
def my_assignments(request: HttpRequest) -> HttpResponse:
    has_role = getattr(request.user, "has_role", None)
    if has_role is None or not has_role(Role.EXPERT):
        raise Http404
    return render(
        request, "evaluation/my_assignments.html", {"seats": assignment_list(user=request.user)}
    )


def _bands(framework) -> dict:
    """{kind: {"dimensions": [...], "bands": [...]}} from the framework's JSON."""
    bands = framework.bands or {}
    return {kind: bands.get(kind, {}) for kind in CategoryKind.values}


def _score_rows(member: PanelMember) -> list[dict]:
    items = services.framework_items(member.panel)
    scores = {s.item_id: s for s in ItemScore.objects.filter(member=member)}
    others = others_scores(member=member)
    return [
        {
            "item": item,
            "score": scores.get(item.pk),
            "others": others.by_item.get(item.pk, []),
        }
        for item in items
    ]


@require_GET
def member_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = own_member(request, pk)
    context: dict[str, object] = {
        "member": member,
        "panel": member.panel,
        "application": member.panel.application,
    }
    if member.confirmed_no_conflict_at is None:
        return render(request, "evaluation/member_confirm.html", context)
    application = member.panel.application
    others = others_scores(member=member)
    context.update(
        {
            "table": self_evaluation_table(application=application),
            "evidence": application.evidence.select_related("stored_file"),
            "rows": _score_rows(member),
            "bands": _bands(member.panel.cycle.rule_set_version.framework),
            "others_visible": others.visible,
            "percent_choices": PERCENT_CHOICES,
            "editable": member.submitted_at is None,
            "is_lead": request.user.has_perm("evaluation.lead_panel", member.panel),
        }
    )
    return render(request, "evaluation/member_page.html", context)


@require_POST
def member_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    member = own_member(request, pk)
    try:
        panel_services.member_confirm_no_conflict(member=member, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. The materials are open to you now."))
    return redirect("evaluation:member", pk=member.pk)


def _entries(request: HttpRequest) -> dict[int, services.ScoreEntry]:
    entries = {}
    for key in request.POST:
        if key.startswith("item-") and key.endswith("-percent"):
            try:
                item_id = int(key.split("-")[1])
            except ValueError:
                continue
            entries[item_id] = services.ScoreEntry(
                percent=request.POST.get(key, ""),
                strengths=request.POST.get(f"item-{item_id}-strengths", ""),
                opportunities=request.POST.get(f"item-{item_id}-opportunities", ""),
            )
    return entries


@require_POST
def member_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft scores (htmx autosave, or a plain post)."""
    member = own_member(request, pk)
    error, errors = "", {}
    try:
        errors = services.scores_save(member=member, entries=_entries(request), actor=request.user)
    except QualityAwardError as problem:
        error = problem.message
    if errors and not error:
        error = " ".join(sorted(set(errors.values())))
    if getattr(request, "htmx", False):
        return render(
            request,
            "evaluation/_scores_saved.html",
            {"error": error, "saved_at": None if error else timezone.localtime()},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your scores are saved."))
    return redirect("evaluation:member", pk=member.pk)


@require_POST
def member_submit(request: HttpRequest, pk: int) -> HttpResponse:
    member = own_member(request, pk)
    try:
        services.scores_save(member=member, entries=_entries(request), actor=request.user)
        services.scores_submit(member=member, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your scores are submitted."))
    return redirect("evaluation:member", pk=member.pk)


# --- evidence (A30) ---------------------------------------------------------------------


def may_read_evidence(user, application: Application) -> bool:
    """The office, and experts on a panel of the application who confirmed they have no
    conflict; nobody who must recuse from the applicant."""
    if not getattr(user, "is_authenticated", False) or has_conflict(user, application.applicant_id):
        return False
    if is_office(user, application):
        return True
    return PanelMember.objects.filter(
        panel__application=application,
        expert__user=user,
        confirmed_no_conflict_at__isnull=False,
    ).exists()


@require_GET
def evidence_read(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    application = get_object_or_404(Application.objects.select_related("applicant"), pk=pk)
    if not may_read_evidence(request.user, application):
        raise Http404
    evidence = get_object_or_404(
        Evidence.objects.select_related("stored_file"), pk=evidence_pk, application=application
    )
    stored = evidence.stored_file
    if not (evidence.is_trade_secret or stored.is_trade_secret):
        return file_response(stored_file=stored)
    stamp = _("%(reader)s %(time)s for evaluation only") % stamp_values(request.user)
    return secret_file_response(stored_file=stored, reader=request.user, stamp=stamp)
