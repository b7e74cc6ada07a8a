"""The office's agency pages (A17: record the procurement) and the agency's own page,
where its coordinators see their pool."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import scope, scoped_or_404
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.downloads import file_response

from ..forms.agency import AgencyForm, ProcurementForm, UserByNameForm
from ..forms.experts import NewExpertForm
from ..models import Agency, AgencyCoordinator, Procurement
from ..selectors.agency import agencies_visible_to, agency_with_details
from ..selectors.experts import experts_base
from ..services import agency as services
from ..services.experts import expert_create


def visible_agency(request: HttpRequest, pk: int) -> Agency:
    """The agency if the user may see it; 404 otherwise."""
    if not agencies_visible_to(user=request.user).filter(pk=pk).exists():
        raise Http404
    agency = agency_with_details(pk=pk)
    if agency is None:  # pragma: no cover - deleted in between
        raise Http404
    return agency


@require_http_methods(["GET", "POST"])
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = agencies_visible_to(user=request.user)
    may_manage = request.user.has_perm("evaluation.manage_agencies")
    if not request.user.has_perm("evaluation.list_agencies"):
        raise PermissionDenied
    if not may_manage and len(agencies) == 1:
        return redirect("evaluation:agency", pk=agencies[0].pk)
    form = AgencyForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                agency = services.agency_create(actor=request.user, **form.cleaned_data)
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The agency is recorded."))
                return redirect("evaluation:agency", pk=agency.pk)
    return render(
        request,
        "evaluation/agency_list.html",
        {"agencies": agencies, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = visible_agency(request, pk)
    may_manage_experts = request.user.has_perm("evaluation.manage_agency_experts", agency)
    expert_form = NewExpertForm(request.POST or None) if may_manage_experts else None
    if request.method == "POST":
        if expert_form is None:
            raise PermissionDenied
        if expert_form.is_valid():
            data = dict(expert_form.cleaned_data)
            username = data.pop("username")
            user_form = UserByNameForm({"username": username}, role=Role.EXPERT)
            if not user_form.is_valid():
                for error in user_form.errors["username"]:
                    expert_form.add_error("username", error)
            else:
                try:
                    expert = expert_create(
                        agency=agency, user=user_form.user, actor=request.user, **data
                    )
                except QualityAwardError as error:
                    expert_form.add_error(None, error.message)
                else:
                    messages.success(request, _("The expert is added to the pool."))
                    return redirect("evaluation:expert", pk=expert.pk)
    return render(
        request,
        "evaluation/agency_detail.html",
        {
            "agency": agency,
            # The agency serves several awards; each reader sees its awards' procurements.
            "procurements": scope(
                agency.procurements.select_related("cycle").prefetch_related("documents"),
                request.user,
            ),
            "experts": experts_base().filter(agency=agency),
            "expert_form": expert_form,
            "may_manage": request.user.has_perm("evaluation.manage_agencies"),
            "coordinator_form": UserByNameForm(role=Role.AGENCY),
        },
        status=400 if expert_form is not None and expert_form.errors else 200,
    )


def _require_manage(request: HttpRequest) -> None:
    if not request.user.has_perm("evaluation.manage_agencies"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    agency = get_object_or_404(Agency, pk=pk)
    initial = {key: getattr(agency, key) for key in services.AGENCY_FIELDS}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(agency=agency, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The agency is saved."))
            return redirect("evaluation:agency", pk=agency.pk)
    return render(
        request,
        "evaluation/form_page.html",
        {
            "form": form,
            "title": _("Edit the agency"),
            "agency": agency,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def coordinator_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    agency = get_object_or_404(Agency, pk=pk)
    form = UserByNameForm(request.POST, role=Role.AGENCY)
    if not form.is_valid():
        for error in form.errors.get("username", []):
            messages.error(request, str(error))
    else:
        try:
            services.coordinator_add(agency=agency, user=form.user, actor=request.user)
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The coordinator is added."))
    return redirect("evaluation:agency", pk=agency.pk)


@require_POST
def coordinator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    membership = get_object_or_404(AgencyCoordinator.objects.select_related("user"), pk=pk)
    services.coordinator_remove(membership=membership, actor=request.user)
    messages.success(request, _("The coordinator is removed."))
    return redirect("evaluation:agency", pk=membership.agency_id)


@require_http_methods(["GET", "POST"])
def procurement_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    agency = get_object_or_404(Agency, pk=pk)
    form = ProcurementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.procurement_record(
                agency=agency,
                method=data["method"],
                procured_on=data["procured_on"],
                contract_number=data["contract_number"],
                cycle=data["cycle"],
                notes=data["notes"],
                uploads=data["documents"],
                actor=request.user,
            )
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The procurement is recorded."))
            return redirect("evaluation:agency", pk=agency.pk)
    return render(
        request,
        "evaluation/form_page.html",
        {"form": form, "title": _("Record the procurement"), "agency": agency},
        status=400 if form.errors else 200,
    )


@require_GET
def procurement_document(request: HttpRequest, pk: int) -> FileResponse:
    """One of the procurement's documents: ?id=<stored file id>."""
    procurement = scoped_or_404(Procurement.objects.all(), request.user, pk=pk)
    visible_agency(request, procurement.agency_id)
    try:
        file_id = uuid.UUID(request.GET.get("id", ""))
    except ValueError:
        raise Http404 from None
    stored = procurement.documents.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    return file_response(stored_file=stored)
