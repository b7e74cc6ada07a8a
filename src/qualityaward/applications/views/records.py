"""The office's record pages: the A12(6) lists, an applicant's compliance records and
bans, and an organisation's annual results (which the organisation may enter too)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualityaward.core.errors import QualityAwardError

from ..enums import ListKind
from ..forms.records import AnnualResultForm, ComplianceRecordForm, ListImportForm, WithdrawForm
from ..lists import ListFileError
from ..models import ComplianceRecord
from ..selectors.applicants import applicants_visible_to
from ..selectors.records import (
    annual_results_of,
    bans_of,
    compliance_records_of,
    list_entries,
    list_imports,
)
from ..services import records as services
from .applicants import visible_applicant


def _require_office(request: HttpRequest) -> None:
    if not request.user.has_perm("applications.manage_records"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def list_page(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = ListImportForm(request.POST or None, request.FILES or None)
    import_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.list_import(
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                filename=upload.name,
                actor=request.user,
            )
        except ListFileError as error:
            import_errors = error.errors
        except QualityAwardError as error:
            import_errors = [error.message]
        else:
            messages.success(
                request,
                _("Imported %(rows)d rows: %(new)d new, %(updated)d updated.")
                % {
                    "rows": batch.row_count,
                    "new": batch.created_count,
                    "updated": batch.updated_count,
                },
            )
            return redirect("applications:lists")
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(
        list_entries(kind=kind if kind in ListKind.values else None, query=query), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/lists.html",
        {
            "form": form,
            "import_errors": import_errors,
            "page": page,
            "imports": list_imports()[:10],
            "kinds": ListKind.choices,
            "kind": kind,
            "q": query,
        },
        status=400 if import_errors or form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def applicant_records(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    applicant = visible_applicant(request, pk)
    form = ComplianceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.compliance_record_add(
                applicant=applicant, actor=request.user, **form.cleaned_data
            )
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The record is saved."))
            return redirect("applications:records", pk=applicant.pk)
    return render(
        request,
        "applications/records.html",
        {
            "applicant": applicant,
            "records": compliance_records_of(applicant=applicant),
            "bans": bans_of(applicant=applicant),
            "form": form,
            "withdraw_form": WithdrawForm(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def record_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    record = get_object_or_404(
        ComplianceRecord, pk=pk, applicant__in=applicants_visible_to(user=request.user).values("pk")
    )
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the withdrawal."))
    else:
        try:
            services.compliance_record_withdraw(
                record=record, reason=form.cleaned_data["reason"], actor=request.user
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The record is withdrawn."))
    return redirect("applications:records", pk=record.applicant_id)


@require_http_methods(["GET", "POST"])
def annual_results(request: HttpRequest, pk: int) -> HttpResponse:
    applicant = visible_applicant(request, pk)
    if not applicant.is_organisation:
        raise Http404
    if not request.user.has_perm("applications.change_annual_results", applicant):
        raise PermissionDenied
    form = AnnualResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_result_set(
                organisation=applicant.details, actor=request.user, **form.cleaned_data
            )
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The figures are saved."))
            return redirect("applications:results", pk=applicant.pk)
    return render(
        request,
        "applications/results.html",
        {"applicant": applicant, "results": annual_results_of(applicant=applicant), "form": form},
        status=400 if form.errors else 200,
    )
