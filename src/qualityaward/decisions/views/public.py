"""Public pages (no login): published results with the comment form (A19, A27),
publicity with the objection form (A22), the archive of winners and certificate
verification. They read only the public snapshot and the awards, and keep what every
visitor sees alike in the cache under the audit sequence number (`cached_until_change`); the
forms, with their CSRF token, are rendered for each request."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.shared_cache import shared_with_anonymous
from qualityaward.core.versioned_cache import cached_until_change
from qualityaward.cycles.enums import StageCode, stage_article
from qualityaward.cycles.selectors import cycle_timeline, cycles_with_stages
from qualityaward.rulesets.schema import citation
from qualityaward.rulesets.selectors import category_names

from .. import clock, ratelimit
from ..enums import PUBLIC_FORM_LIMIT, WinnerStatus
from ..forms import CommentForm, ObjectionForm
from ..models import Publicity, ResultPublication
from ..ranking import KINDS
from ..selectors.public import archive, award_by_serial, result_publications
from ..selectors.ranking import sector_label
from ..services import publication as publication_services
from ..services import publicity as publicity_services

# Rows of each table on one page of the published results (20,000 on a national award).
RESULTS_PAGE_SIZE = 200


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


def _published(cycle_pk: int) -> ResultPublication | None:
    return result_publications().filter(cycle_id=cycle_pk).first()


def _results_page(cycle_pk: int) -> dict | None:
    """The published results as every visitor sees them, but the tables (None before the
    publication): the period, the introduction and how many entries of each kind."""
    publication = _published(cycle_pk)
    if publication is None:
        return None
    rules = publication.cycle.rule_set_version.rules
    return {
        # Only what the period and the comment service read, not the entries.
        "publication": ResultPublication(
            pk=publication.pk,
            cycle_id=publication.cycle_id,
            first_day=publication.first_day,
            last_day=publication.last_day,
            closed_on=publication.closed_on,
        ),
        "cycle_name": publication.cycle.name,
        "intro": render_to_string(
            "decisions/public/_results_intro.html",
            {"publication": publication, "rules": rules},
        ),
        "counts": Counter(entry["kind"] for entry in publication.entries),
        "contact_required": bool(rules.comment_contact_required.value),
    }


def _results_tables(cycle_pk: int, pages: dict[str, Page]) -> str:
    """One page of each kind's table of the published results, with their pagers."""
    publication = _published(cycle_pk)
    assert publication is not None  # the page's head was found
    rules = publication.cycle.rule_set_version.rules
    names: dict[str, str] = {}
    if "category_scores" in publication.fields:
        names = category_names(framework_id=publication.cycle.rule_set_version.framework_id)
    stage_names = {stage.code: str(stage.name) for stage in rules.stages.value}
    shown = {}
    for kind, page in pages.items():
        of_kind = [entry for entry in publication.entries if entry["kind"] == kind]
        shown[kind] = [
            {
                **entry,
                "sector_label": sector_label(entry["sector"]) if "sector" in entry else "",
                "categories": _named_scores(entry.get("category_scores", {}), names),
                "stages": _named_scores(entry.get("stage_totals", {}), stage_names),
            }
            for entry in of_kind[max(page.start_index() - 1, 0) : page.end_index()]
        ]
    # The pagers' links keep the other table's page: the address, as normalised here.
    query = QueryDict(mutable=True)
    for kind, page in pages.items():
        query[f"{kind}_page"] = str(page.number)
    return render_to_string(
        "decisions/public/_results_tables.html",
        {
            "fields": publication.fields,
            "organisations": shown["organisation"],
            "individuals": shown["individual"],
            "pages": pages,
            # core/_pager.html reads the query string from the request.
            "request": SimpleNamespace(GET=query),
        },
    )


def _results_applicants(cycle_pk: int) -> list[tuple[int, str]] | None:
    """What the comment form offers: each published application and its name."""
    publication = _published(cycle_pk)
    if publication is None:
        return None
    return [(e["application_id"], e.get("name", "")) for e in publication.entries]


@login_not_required
@require_GET
@shared_with_anonymous
def results(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    page = cached_until_change("results", cycle_pk, build=lambda: _results_page(cycle_pk))
    if page is None:
        return _results_not_published(request, cycle_pk)
    pages = {
        kind: Paginator(range(page["counts"][kind]), RESULTS_PAGE_SIZE).get_page(
            request.GET.get(f"{kind}_page")
        )
        for kind in KINDS
    }
    tables = cached_until_change(
        "results_tables",
        cycle_pk,
        *(pages[kind].number for kind in KINDS),
        build=lambda: _results_tables(cycle_pk, pages),
    )
    is_open = page["publication"].is_open_on(clock.today())
    context = {"page": page, "tables": tables, "is_open": is_open}
    return render(request, "decisions/public/results.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """The comment form on a page of its own: it carries the visitor's CSRF token, so the
    results page stays the same for everyone."""
    page = cached_until_change("results", cycle_pk, build=lambda: _results_page(cycle_pk))
    if page is None:
        raise Http404
    publication = page["publication"]
    is_open = publication.is_open_on(clock.today())
    form = CommentForm(
        request.POST or None,
        request.FILES or None,
        applicants=cached_until_change(
            "results_applicants", cycle_pk, build=lambda: _results_applicants(cycle_pk)
        ),
        contact_required=page["contact_required"],
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
    return render(
        request,
        "decisions/public/comment.html",
        {"page": page, "form": form, "is_open": is_open, "cycle_pk": cycle_pk},
    )


def _publicity_page(pk: int) -> dict | None:
    """A publicity as every visitor sees it (None if there is none): the rendered list
    of proposed winners and what the objection form offers."""
    item = Publicity.objects.select_related("cycle").filter(pk=pk).first()
    if item is None:
        return None
    winners = list(
        item.winners.exclude(status=WinnerStatus.CANCELLED).select_related("application__applicant")
    )
    return {
        "publicity": item,
        "content": render_to_string(
            "decisions/public/_publicity_winners.html", {"winners": winners}
        ),
        "winners": [(winner.pk, winner.application.applicant.name) for winner in winners],
    }


@login_not_required
@require_GET
@shared_with_anonymous
def publicity(request: HttpRequest, pk: int) -> HttpResponse:
    page = cached_until_change("publicity", pk, build=lambda: _publicity_page(pk))
    if page is None:
        raise Http404
    item = page["publicity"]
    context = {"page": page, "publicity": item, "is_open": item.is_open_on(clock.today())}
    return render(request, "decisions/public/publicity.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """The objection form on a page of its own (see `comment`)."""
    page = cached_until_change("publicity", pk, build=lambda: _publicity_page(pk))
    if page is None:
        raise Http404
    item = page["publicity"]
    is_open = item.is_open_on(clock.today())
    form = ObjectionForm(request.POST or None, request.FILES or None, winners=page["winners"])
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
        "decisions/public/objection.html",
        {"page": page, "publicity": item, "form": form, "is_open": is_open},
    )


@login_not_required
@require_GET
@shared_with_anonymous
def archive_page(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    content = cached_until_change(
        "archive",
        today,
        build=lambda: render_to_string(
            "decisions/public/_archive_cycles.html", {"cycles": archive(), "today": today}
        ),
    )
    return render(request, "decisions/public/archive.html", {"content": content})


def _verify_card(serial: str, today) -> str | None:
    award = award_by_serial(serial)
    if award is None:
        return None
    return render_to_string(
        "decisions/public/_verify_card.html",
        {"award": award, "status": award.status_on(today), "today": today},
    )


@login_not_required
@require_GET
@shared_with_anonymous
def verify(request: HttpRequest, serial: str = "") -> HttpResponse:
    serial = serial or request.GET.get("serial", "").strip()
    if not serial:
        return render(request, "decisions/public/verify_form.html")
    today = clock.today()
    card = cached_until_change(
        "verify", today, serial.strip().upper(), build=lambda: _verify_card(serial, today)
    )
    if card is None:
        return render(
            request, "decisions/public/verify_not_found.html", {"serial": serial[:60]}, status=404
        )
    return render(request, "decisions/public/verify.html", {"card": card})
