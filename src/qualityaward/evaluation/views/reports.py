"""Outputs (A26): the evaluation report of an application as PDF, the score sheets of a
cycle as xlsx, the applicant's feedback page and the two-way conduct ratings.

The report: office staff and the supervisor at any time; the applicant's users once the
cycle's results are published (404 before, and for anyone else); a user who must recuse
from the applicant gets 404."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from qualityaward.accounts.models import User
from qualityaward.applications.models import Application
from qualityaward.applications.rules import is_application_owner
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.downloads import private_download

from .. import report_pdfs as pdfs
from ..models import ConductRating, PanelMember, RatingDirection
from ..rules import has_conflict, results_published
from ..services import feedback as services


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("applicant", "cycle__rule_set_version__framework"), pk=pk
    )


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not request.user.has_perm("evaluation.view_report", application):
        raise Http404
    return private_download(
        HttpResponse(pdfs.report_pdf(application), content_type="application/pdf"),
        pdfs.report_file_name(application),
    )


@require_GET
def application_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's page: the experts of its panels to rate, and the report."""
    application = _application(request, pk)
    user = cast(User, request.user)  # every page requires login
    if not (user.has_role("applicant") and is_application_owner(user, application)):
        raise Http404
    members = list(
        PanelMember.objects.filter(panel__application=application)
        .select_related("expert", "panel__result")
        .order_by("panel__stage", "expert__name", "pk")
    )
    given = {
        r.panel_member_id: r
        for r in ConductRating.objects.filter(
            panel_member__in=members,
            direction=RatingDirection.APPLICANT_TO_EXPERT,
            rated_by=user,
        )
    }
    rows = [
        {
            "member": m,
            "open": m.submitted_at is not None or hasattr(m.panel, "result"),
            "rating": given.get(m.pk),
        }
        for m in members
    ]
    return render(
        request,
        "evaluation/feedback.html",
        {
            "application": application,
            "rows": rows,
            "published": results_published(application.cycle),
            "may_download": user.has_perm("evaluation.view_report", application),
        },
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        help_text=gettext_lazy("5 is the best."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@require_http_methods(["GET", "POST"])
def member_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """One rating per member, direction and rater: the member's expert rates the
    applicant's cooperation; a user of the applicant rates the expert's conduct."""
    member = get_object_or_404(
        PanelMember.objects.select_related("expert", "panel__application__applicant"), pk=pk
    )
    user = cast(User, request.user)  # every page requires login
    if member.expert.user_id == user.pk:
        direction = RatingDirection.EXPERT_TO_APPLICANT
    else:
        direction = RatingDirection.APPLICANT_TO_EXPERT
    if has_conflict(user, member.panel.application.applicant_id) or not services.may_rate(
        member=member, direction=direction, user=user
    ):
        raise Http404
    existing = ConductRating.objects.filter(
        panel_member=member, direction=direction, rated_by=user
    ).first()
    form = RatingForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.conduct_rate(
                member=member,
                direction=direction,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                actor=user,
            )
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            if direction == RatingDirection.APPLICANT_TO_EXPERT:
                return redirect("evaluation:application_feedback", pk=member.panel.application_id)
            return redirect("evaluation:member", pk=member.pk)
    return render(
        request,
        "evaluation/rate.html",
        {
            "member": member,
            "direction": RatingDirection(direction),
            "form": form,
            "existing": existing,
            "status": 400 if request.method == "POST" else 200,
        },
        status=400 if request.method == "POST" else 200,
    )
