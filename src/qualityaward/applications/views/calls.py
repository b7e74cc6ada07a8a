"""The call for applications: the office drafts, edits and publishes it; anyone reads
the open calls and downloads their templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.accounts.scoping import cycle_or_404, cycles_for, scoped_or_404
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import CycleStatus
from qualityaward.documents.downloads import file_response

from ..forms.intake import CallForm, UploadForm
from ..models import Call, CallTemplate
from ..selectors.calls import calls_base, open_calls, public_calls
from ..services import calls as services
from ..services.calls import earliest_deadline


def _require_office(request: HttpRequest, obj=None) -> None:
    """403 without the permission; 404 for another award's cycle or call."""
    if not request.user.has_perm("applications.manage_calls"):
        raise PermissionDenied
    if obj is not None and not request.user.has_perm("applications.manage_calls", obj):
        raise Http404


@login_not_required
@require_GET
def public_call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/calls/public_list.html",
        {"open_calls": open_calls(), "calls": public_calls()[:20]},
    )


@login_not_required
@require_GET
def public_call(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(public_calls(), pk=pk)
    return render(
        request,
        "applications/calls/public_detail.html",
        {"call": call, "rules": call.cycle.rule_set_version.rules},
    )


@login_not_required
@require_GET
def call_template_download(request: HttpRequest, pk: int, template_pk: int) -> HttpResponseBase:
    """Templates of a published call are public; a draft's only for the office."""
    template = get_object_or_404(
        CallTemplate.objects.select_related("call", "stored_file"), pk=template_pk, call_id=pk
    )
    if not template.call.is_published and not request.user.has_perm(
        "applications.manage_calls", template.call
    ):
        raise Http404
    return file_response(stored_file=template.stored_file)


@require_GET
def call_manage(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    cycles = (
        cycles_for(request.user)
        .filter(status=CycleStatus.OPEN)
        .select_related("rule_set_version__rule_set", "call")
        .order_by("-start_date")
    )
    return render(request, "applications/calls/manage.html", {"cycles": cycles})


@require_POST
def call_create(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    _require_office(request)
    cycle = cycle_or_404(request.user, cycle_pk)
    _require_office(request, cycle)
    try:
        call = services.call_draft(cycle=cycle, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
        return redirect("applications:call_manage")
    messages.success(request, _("The call is drafted from the rule set. Check it and publish it."))
    return redirect("applications:call_edit", pk=call.pk)


@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    call = scoped_or_404(calls_base(), request.user, pk=pk)
    _require_office(request, call)
    initial = {
        "title": call.title,
        "text": call.text,
        "where_to_submit": call.where_to_submit,
        "deadline": call.deadline,
    }
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and not call.is_published and form.is_valid():
        try:
            services.call_update(call=call, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("applications:call_edit", pk=call.pk)
    version = call.cycle.rule_set_version
    try:
        earliest = earliest_deadline(version=version, published_on=timezone.localdate())
    except QualityAwardError:
        earliest = None
    return render(
        request,
        "applications/calls/edit.html",
        {
            "call": call,
            "form": form,
            "upload_form": UploadForm(),
            "rules": version.rules,
            "earliest": earliest,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def call_template_upload(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    call = scoped_or_404(Call.objects.all(), request.user, pk=pk)
    _require_office(request, call)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.call_template_add(
                call=call,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The template is attached."))
    return redirect("applications:call_edit", pk=call.pk)


@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    call = scoped_or_404(Call.objects.all(), request.user, pk=pk)
    _require_office(request, call)
    try:
        services.call_publish(call=call, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
        return redirect("applications:call_edit", pk=call.pk)
    messages.success(
        request, _("The call is published on the portal and sent to every department.")
    )
    return redirect("applications:call_edit", pk=call.pk)
