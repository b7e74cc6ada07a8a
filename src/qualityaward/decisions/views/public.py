"""Public pages (no login): published results with the comment form (A19, A27),
publicity with the objection form (A22), the archive of winners and certificate
verification. They read only the public snapshot and the awards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import StageCode, stage_article
from qualityaward.cycles.selectors import cycle_timeline, cycles_with_stages
from qualityaward.rulesets.schema import citation
from qualityaward.rulesets.selectors import category_names

from .. import clock, ratelimit
from ..enums import PUBLIC_FORM_LIMIT, WinnerStatus
from ..forms import CommentForm, ObjectionForm
from ..models import Publicity
from ..selectors.public import archive, award_by_serial, result_publications
from ..selectors.ranking import sector_label
from ..services import publication as publication_services
from ..services import publicity as publicity_services


def _named_scores(scores: dict[str, str], names: dict[str, str]) -> str:
    """Published scores by name, in the rule set's order ("领导：80.00；结果：300.00")."""
    codes = [code for code in names if code in scores] + [c for c in scores if c not in names]
    return pgettext("list separator", "; ").join(
        _("%(category)s: %(points)s") % {"category": names.get(code, code), "points": scores[code]}
        for code in codes
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "decisions/public/too_many.html",
        {"limit": PUBLIC_FORM_LIMIT},
        status=429,
    )


def _results_not_published(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """A cycle's results before their publication: say so and when they are expected
    (404 only for a cycle that does not exist)."""
    cycle = get_object_or_404(cycles_with_stages(), pk=cycle_pk)
    row = next(
        row
        for row in cycle_timeline(cycle=cycle, today=clock.today())
        if row.code == StageCode.PUBLIC_COMMENT
    )
    return render(
        request,
        "decisions/public/results_not_published.html",
        {
            "cycle": cycle,
            "expected": row.start,
            "article": citation(
                stage_article(cycle.rule_set_version.rules, StageCode.PUBLIC_COMMENT)
            ),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    publication = result_publications().filter(cycle_id=cycle_pk).first()
    if publication is None:
        return _results_not_published(request, cycle_pk)
    rules = publication.cycle.rule_set_version.rules
    is_open = publication.is_open_on(clock.today())
    form = CommentForm(
        request.POST or None,
        request.FILES or None,
        entries=publication.entries,
        contact_required=bool(rules.comment_contact_required.value),
    )
    if request.method == "POST":
        if not is_open:
            form.add_error(None, _("The comment period is closed."))
        elif not ratelimit.hit(form="comment", scope=publication.pk, request=request):
            return _too_many(request)
        elif form.is_valid():
            try:
                publication_services.comment_submit(
                    publication=publication,
                    application_id=form.cleaned_data["application"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                    evidence=form.cleaned_data["evidence"],
                )
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Thank you. Your comment was received; the office will look into it."),
                )
                return redirect("decisions:public_results", cycle_pk=cycle_pk)
    names: dict[str, str] = {}
    if "category_scores" in publication.fields:
        names = category_names(framework_id=publication.cycle.rule_set_version.framework_id)
    stage_names = {stage.code: str(stage.name) for stage in rules.stages.value}
    entries = [
        {
            **entry,
            "sector_label": sector_label(entry["sector"]) if "sector" in entry else "",
            "categories": _named_scores(entry.get("category_scores", {}), names),
            "stages": _named_scores(entry.get("stage_totals", {}), stage_names),
        }
        for entry in publication.entries
    ]
    return render(
        request,
        "decisions/public/results.html",
        {
            "publication": publication,
            "fields": publication.fields,
            "organisations": [e for e in entries if e["kind"] == "organisation"],
            "individuals": [e for e in entries if e["kind"] == "individual"],
            "form": form,
            "is_open": is_open,
            "rules": rules,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def publicity(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Publicity.objects.select_related("cycle"), pk=pk)
    winners = list(
        item.winners.exclude(status=WinnerStatus.CANCELLED).select_related("application__applicant")
    )
    is_open = item.is_open_on(clock.today())
    form = ObjectionForm(request.POST or None, request.FILES or None, winners=winners)
    if request.method == "POST":
        if not is_open:
            form.add_error(None, _("The publicity period is over."))
        elif not ratelimit.hit(form="objection", scope=item.pk, request=request):
            return _too_many(request)
        elif form.is_valid():
            try:
                publicity_services.objection_submit(
                    publicity=item,
                    winner_id=form.cleaned_data["winner"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["evidence"],
                )
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your objection was received. The office investigates every objection."),
                )
                return redirect("decisions:public_publicity", pk=item.pk)
    return render(
        request,
        "decisions/public/publicity.html",
        {"publicity": item, "winners": winners, "form": form, "is_open": is_open},
    )


@login_not_required
@require_GET
def archive_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "decisions/public/archive.html", {"cycles": archive(), "today": clock.today()}
    )


@login_not_required
@require_GET
def verify(request: HttpRequest, serial: str = "") -> HttpResponse:
    serial = serial or request.GET.get("serial", "").strip()
    if not serial:
        return render(request, "decisions/public/verify_form.html")
    award = award_by_serial(serial)
    if award is None:
        return render(
            request, "decisions/public/verify_not_found.html", {"serial": serial[:60]}, status=404
        )
    today = clock.today()
    return render(
        request,
        "decisions/public/verify.html",
        {"award": award, "status": award.status_on(today), "today": today},
    )
