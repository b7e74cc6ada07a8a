"""The office's qualification review (A16): the list with deadlines, and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.core.errors import QualityAwardError

from ..forms.intake import FailForm, SupplementRequestForm
from ..selectors.applications import latest_decided, review_rows
from ..services import reviews as services
from .applications import require_reviewer, visible_application


@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Office: every application under review, with its deadline (overdue flagged).
    Department: the applications of its sector or area, read only."""
    if not request.user.has_perm("applications.list_applications"):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "applications/intake/review_list.html",
        {
            "rows": review_rows(user=request.user, today=today),
            "decided": latest_decided(user=request.user),
            "can_review": request.user.has_perm("applications.review_application"),
            "today": today,
        },
    )


@require_POST
def review_pass(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    require_reviewer(request, application)
    try:
        services.review_pass(
            application=application, actor=request.user, note=request.POST.get("note", "")
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application passed the qualification review."))
    return redirect("applications:application", pk=pk)


@require_POST
def review_fail(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    require_reviewer(request, application)
    form = FailForm(request.POST)
    try:
        if not form.is_valid():
            raise QualityAwardError(_("Choose the clause from the list."))
        services.review_fail(
            application=application,
            actor=request.user,
            reasons=form.reasons(),
            note=form.cleaned_data["note"],
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application did not pass; the applicant is told why."))
    return redirect("applications:application", pk=pk)


@require_POST
def review_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    require_reviewer(request, application)
    form = SupplementRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise QualityAwardError(_("Enter the date the supplement is due."))
        services.supplement_request(
            application=application,
            actor=request.user,
            items=form.items(),
            due_on=form.cleaned_data["due_on"],
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The supplement is requested; the review clock is paused."))
    return redirect("applications:application", pk=pk)
