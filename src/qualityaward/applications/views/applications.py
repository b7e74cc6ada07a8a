"""The applicant's pages: my applications, the draft (saved section by section with
htmx), evidence, submission, supplement; and the application page everyone who may see
it reads (status, decisions, the submitted PDF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.core.errors import QualityAwardError
from qualityaward.core.versioned_cache import cached_until_change
from qualityaward.documents.downloads import file_response, secret_file_response, stamp_values
from qualityaward.documents.services import stored_file_read_record

from ..eligibility import attestations, failures
from ..enums import ApplicationState, FormSection
from ..forms.intake import EvidenceForm, FailForm, SupplementRequestForm
from ..models import Call, Evidence
from ..selectors.applicants import applicants_of_user, sees_every_applicant
from ..selectors.applications import (
    applications_of_user,
    applications_visible_to,
    review_deadline,
    self_evaluation_table,
)
from ..selectors.calls import open_calls
from ..services import applications as services
from ..services.reviews import supplement_submit

PERCENT_CHOICES = list(range(0, 101, 5))
# The hidden `version` inputs of the page, refreshed after every autosave.
VERSION_INPUTS = [*FormSection.values, "submit"]


def visible_application(request: HttpRequest, pk: int):
    """The application if the user may see it; 404 otherwise. Reads only the relations
    these pages use; the applicant's accounts only for who may act for an applicant (the
    office's rules never ask)."""
    user = request.user
    queryset = (
        applications_visible_to(user=user)
        .select_related(None)
        .select_related(
            "applicant__organisation", "applicant__individual", "call", "cycle__rule_set_version"
        )
    )
    if sees_every_applicant(user):
        queryset = queryset.prefetch_related(None).prefetch_related("supplement_requests")
    application = get_object_or_404(queryset, pk=pk)
    if not request.user.has_perm("applications.view_application", application):
        raise Http404
    return application


def own_application(request: HttpRequest, pk: int):
    application = visible_application(request, pk)
    if not request.user.has_perm("applications.act_for_application", application):
        raise Http404
    return application


@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    applicants = list(applicants_of_user(user=request.user))
    applications = list(applications_of_user(user=request.user))
    applied = {(a.applicant_id, a.cycle_id) for a in applications}
    # Each applicant not yet applied, with why it cannot (its kind is not awarded) or None.
    calls = [
        (
            call,
            [
                (a, services.kind_not_awarded(version=call.cycle.rule_set_version, applicant=a))
                for a in applicants
                if (a.pk, call.cycle_id) not in applied
            ],
        )
        for call in open_calls()
    ]
    return render(
        request,
        "applications/intake/mine.html",
        {"applications": applications, "calls": calls, "applicants": applicants},
    )


@require_POST
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    applicant = get_object_or_404(
        applicants_of_user(user=request.user), pk=request.POST.get("applicant") or 0
    )
    try:
        application = services.application_start(call=call, applicant=applicant, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
        return redirect("applications:mine")
    return redirect("applications:application", pk=application.pk)


def _context(request: HttpRequest, application) -> dict:
    user = request.user
    can_act = user.has_perm("applications.act_for_application", application)
    editable = services.editable_sections(application) if can_act else set()
    table = SimpleLazyObject(lambda: self_evaluation_table(application=application))
    read_only = FormSection.SELF_EVALUATION not in editable
    findings, findings_error = [], ""
    try:
        shared = _shared_parts(application, table, read_only=read_only)
        findings = shared["findings"]
    except QualityAwardError as error:
        findings_error, shared = error.message, {}
    supplement = services.open_supplement(application)
    try:
        deadline = review_deadline(application=application)
    except QualityAwardError:
        deadline = None
    fail_form = FailForm()
    interests = list(application.interests.all())
    return {
        "application": application,
        "call": application.call,
        "table": table,
        "self_evaluation_totals": shared.get("totals", ""),
        "self_evaluation_rows": shared.get("rows", ""),
        "evidence": application.evidence.select_related("stored_file", "supplement"),
        "interests": interests,
        "blank_interests": range(len(interests), len(interests) + 3),
        "editable": editable,
        "can_edit": {section: section in editable for section in FormSection.values},
        "sections": FormSection,
        "can_act": can_act,
        "can_review": user.has_perm("applications.review_application", application),
        "checks": [f for f in findings if f.is_check],
        "failures": failures(findings),
        "attestations": attestations(findings),
        "attested": set(application.attested or []),
        "findings_error": findings_error,
        "problems": services.submission_problems(application, findings)
        if application.is_draft and can_act and not findings_error
        else [],
        "percent_choices": PERCENT_CHOICES,
        "evidence_form": EvidenceForm(),
        "fail_form": fail_form,
        "supplement_form": SupplementRequestForm(),
        "supplement": supplement,
        "supplements": application.supplement_requests.order_by("number"),
        "decisions": application.decisions.select_related("decided_by"),
        "review_deadline": deadline,
        "deadline_passed": application.is_draft and not application.call.is_open,
        "states": ApplicationState,
        "today": timezone.localdate(),
    }


def _shared_parts(application, table, *, read_only: bool) -> dict:
    """What every reader of the page sees alike, worked out once per audited change: the
    eligibility findings (they read records, lists, bans and results, each changed only
    by an audited service) and, for a reader, the self-evaluation's totals and rows."""

    def build() -> dict:
        parts: dict = {"findings": services.findings_for(application)}
        if read_only:
            context = {"table": table, "se_editable": False}
            parts["totals"] = render_to_string("applications/intake/_totals.html", context)
            parts["rows"] = render_to_string(
                "applications/intake/_self_evaluation_rows.html", context
            )
        return parts

    today = timezone.localdate()
    parts = cached_until_change("application_page", application.pk, today, read_only, build=build)
    assert parts is not None  # build() never returns None
    return parts


@require_GET
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    return render(request, "applications/intake/application.html", _context(request, application))


@require_POST
def reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The office reads the contact phone in full; the read is recorded."""
    application = visible_application(request, pk)
    if not request.user.has_perm("applications.review_application", application):
        raise PermissionDenied
    services.contact_phone_reveal(application=application, actor=request.user)
    context = {**_context(request, application), "revealed_phone": True}
    return render(request, "applications/intake/application.html", context)


def _section_values(request: HttpRequest, section: str, application) -> dict:
    post = request.POST
    if section == FormSection.FORM:
        return {
            name: post.get(name, "")
            for name in ("contact_person", "contact_phone", "achievements", "key_figures")
        }
    if section == FormSection.SELF_EVALUATION:
        entries = {}
        for row in application.self_evaluations.all():
            key = f"item-{row.item_id}"
            if f"{key}-percent" in post or f"{key}-text" in post:
                entries[row.item_id] = (post.get(f"{key}-text", ""), post.get(f"{key}-percent", ""))
        return {"entries": entries}
    if section == FormSection.DECLARATIONS:
        return {"pledge": post.get("pledge") == "on", "attested": post.getlist("attested")}
    if section == FormSection.INTERESTS:
        rows = []
        for index in range(services.MAX_INTERESTS + 3):
            prefix = f"interest-{index}-"
            if not any(f"{prefix}{f}" in post for f in ("person_name", "organisation", "relation")):
                continue
            rows.append(
                {
                    f: post.get(f"{prefix}{f}", "")
                    for f in ("person_name", "organisation", "relation")
                }
            )
        return {"interests": rows}
    raise Http404


SECTION_SERVICES: dict[str, Callable[..., Any]] = {
    FormSection.FORM: services.application_form_save,
    FormSection.SELF_EVALUATION: services.self_evaluation_save,
    FormSection.DECLARATIONS: services.declarations_save,
    FormSection.INTERESTS: services.interests_save,
}


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@require_POST
def application_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Save one section of the draft (htmx autosave, or a plain post without JS)."""
    application = own_application(request, pk)
    save = SECTION_SERVICES.get(section)
    if save is None:
        raise Http404
    error, saved_at = "", None
    try:
        application = save(
            application=application,
            version=_version(request),
            actor=request.user,
            **_section_values(request, section, application),
        )
        saved_at = timezone.localtime()
    except QualityAwardError as problem:
        error = problem.message
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved %(time)s") % {"time": f"{saved_at:%H:%M}"})
        return redirect("applications:application", pk=pk)
    context = {
        "application": application,
        "section": section,
        "error": error,
        "saved_at": saved_at,
        "sections": FormSection,
        "version_inputs": VERSION_INPUTS,
    }
    if section == FormSection.SELF_EVALUATION and not error:
        context["table"] = self_evaluation_table(application=application)
    return render(request, "applications/intake/_saved.html", context)


@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                text = _("%(field)s: %(error)s") % {"field": label, "error": error}
                messages.error(request, text if label else str(error))
    else:
        try:
            services.evidence_add(
                application=application,
                version=_version(request),
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                is_trade_secret=form.cleaned_data["is_trade_secret"],
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The evidence is uploaded."))
    return redirect(f"{application.get_absolute_url()}#evidence")


@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    application = own_application(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, application=application)
    try:
        services.evidence_remove(evidence=evidence, version=None, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evidence is removed."))
    return redirect(f"{application.get_absolute_url()}#evidence")


@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    application = visible_application(request, pk)
    evidence = get_object_or_404(
        Evidence.objects.select_related("stored_file"), pk=evidence_pk, application=application
    )
    stored = evidence.stored_file
    if not (evidence.is_trade_secret or stored.is_trade_secret):
        return file_response(stored_file=stored)
    if request.user.has_perm("applications.act_for_application", application):
        # The applicant reads its own secret as uploaded; the read is still recorded.
        stored_file_read_record(stored_file=stored, reader=request.user)
        return file_response(stored_file=stored)
    stamp = _("%(reader)s %(time)s for official use only") % stamp_values(request.user)
    return secret_file_response(
        stored_file=stored, reader=request.user, stamp=stamp, as_attachment=True
    )


@require_GET
def application_pdf(
    request: HttpRequest, pk: int, supplement: int | None = None
) -> HttpResponseBase:
    application = visible_application(request, pk)
    if supplement is None:
        stored = application.snapshot_pdf
    else:
        request_row = get_object_or_404(application.supplement_requests, number=supplement)
        stored = request_row.snapshot_pdf
    if stored is None:
        raise Http404
    return file_response(stored_file=stored, as_attachment=False)


@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    try:
        application = services.application_submit(
            application=application, actor=request.user, version=_version(request)
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The application is submitted. Receipt number: %(receipt)s.")
            % {"receipt": application.receipt_number},
        )
    return redirect("applications:application", pk=pk)


@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    try:
        services.application_withdraw(
            application=application, actor=request.user, reason=request.POST.get("reason", "")
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("applications:application", pk=pk)


@require_POST
def application_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    try:
        request_row = supplement_submit(application=application, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The supplement is submitted. Receipt number: %(receipt)s.")
            % {"receipt": request_row.receipt_number},
        )
    return redirect("applications:application", pk=pk)


def require_reviewer(request: HttpRequest, application) -> None:
    if not request.user.has_perm("applications.review_application", application):
        raise PermissionDenied
