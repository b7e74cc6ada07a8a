"""Sign-up, profiles, the department's list and the eligibility pre-check."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.accounts.services import privacy_accept
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.links import pk_link

from ..eligibility import attestations, failures, objective_passed
from ..enums import ApplicantKind, Area, Sector
from ..forms.applicants import (
    ApplicantUserLinkForm,
    IndividualProfileForm,
    IndividualRegisterForm,
    IndividualSignupForm,
    OrganisationProfileForm,
    OrganisationRegisterForm,
    OrganisationSignupForm,
)
from ..models import Individual
from ..rules import department_scope
from ..selectors.applicants import applicants_of_user, applicants_visible_to
from ..selectors.eligibility import eligibility_for
from ..services import applicants as services

_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
APPLICANTS_PER_PAGE = 100


def visible_applicant(request: HttpRequest, pk: int):
    """The applicant if the user may see it; 404 otherwise (nothing is revealed)."""
    return get_object_or_404(applicants_visible_to(user=request.user), pk=pk)


@login_not_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/register.html")


def _signup(request, form_class, register_service, template: str) -> HttpResponse:
    """A visitor registers with a new account, which is logged in afterwards."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                applicant = register_service(
                    username=data["username"],
                    password=data["password1"],
                    email=data.get("email", ""),
                    **form.profile(),
                    **({"contact_name": data["contact_name"]} if "contact_name" in data else {}),
                )
                user = applicant.users.get()
                privacy_accept(user=user)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend=_LOGIN_BACKEND)
            messages.success(request, _("You are registered. Welcome."))
            return redirect("applications:detail", pk=applicant.pk)
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def _attach(request, form_class, create_service, template: str) -> HttpResponse:
    """A logged-in user registers an organisation or themselves on their own account."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                applicant = create_service(user=request.user, actor=request.user, **form.profile())
                privacy_accept(user=request.user)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Registered on your account. You can apply now."))
            return redirect("applications:detail", pk=applicant.pk)
    return render(
        request, template, {"form": form, "attach": True}, status=400 if form.errors else 200
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def register_organisation(request: HttpRequest) -> HttpResponse:
    template = "applications/register_organisation.html"
    if request.user.is_authenticated:
        return _attach(request, OrganisationRegisterForm, services.organisation_create, template)
    return _signup(request, OrganisationSignupForm, services.organisation_register, template)


@login_not_required
@require_http_methods(["GET", "POST"])
def register_individual(request: HttpRequest) -> HttpResponse:
    template = "applications/register_individual.html"
    if request.user.is_authenticated:
        return _attach(request, IndividualRegisterForm, services.individual_create, template)
    return _signup(request, IndividualSignupForm, services.individual_register, template)


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own applicant profile (the first, if the account acts for several)."""
    applicant = applicants_of_user(user=request.user).first()
    if applicant is None:
        messages.info(
            request,
            _(
                "Your account is not linked to an organisation or a person yet: register one "
                "below. If your organisation is registered already, ask the office to link it "
                "to your account."
            ),
        )
        return redirect("applications:register")
    return redirect("applications:detail", pk=applicant.pk)


@require_GET
def applicant_list(request: HttpRequest) -> HttpResponse:
    """Office: every applicant. Department: those of its sector or area (A9)."""
    if not request.user.has_perm("applications.list_applicants"):
        raise PermissionDenied
    # One page of rows read as plain values (no applicant, organisation or individual
    # objects), the link built and each choice label translated once per page rather
    # than once per row and column (get_FOO_display translates every choice): bench/.
    page = Paginator(
        applicants_visible_to(user=request.user)
        .select_related(None)
        .prefetch_related(None)
        .values_list("pk", "name", "kind", "sector", "area"),
        APPLICANTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    kinds, sectors, areas = (
        {value: str(label) for value, label in choices}
        for choices in (ApplicantKind.choices, Sector.choices, Area.choices)
    )
    link = pk_link("applications:detail")
    rows = [
        (link(pk), name, kinds.get(kind, kind), sectors.get(sector, sector), areas.get(area, area))
        for pk, name, kind, sector, area in page
    ]
    is_department = not request.user.has_perm("applications.manage_records")
    sector, area = department_scope(request.user) if is_department else ("", "")
    return render(
        request,
        "applications/applicant_list.html",
        {
            "applicants": rows,
            "page": page,
            "is_department": is_department,
            "scope_sector": sector,
            "scope_area": area,
        },
    )


@require_GET
def applicant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _applicant_page(request, visible_applicant(request, pk))


@require_POST
def reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """The office reads an individual's full identity number; the read is recorded."""
    applicant = visible_applicant(request, pk)
    if not applicant.is_individual:
        raise Http404
    if not request.user.has_perm("applications.view_full_id_number"):
        raise PermissionDenied
    number = services.id_number_reveal(individual=applicant.details, actor=request.user)
    return _applicant_page(request, applicant, revealed_id_number=number)


def _applicant_page(request: HttpRequest, applicant, **extra) -> HttpResponse:
    user = request.user
    return render(
        request,
        "applications/applicant_detail.html",
        {
            **extra,
            "applicant": applicant,
            "details": applicant.details,
            "can_reveal_id_number": user.has_perm("applications.view_full_id_number"),
            "can_change": user.has_perm("applications.change_applicant", applicant),
            "can_check": user.has_perm("applications.view_eligibility", applicant),
            "can_manage_records": user.has_perm("applications.manage_records"),
            "can_link": user.has_perm("applications.link_applicant_user"),
            "can_change_results": applicant.is_organisation
            and user.has_perm("applications.change_annual_results", applicant),
        },
    )


@require_http_methods(["GET", "POST"])
def applicant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    applicant = visible_applicant(request, pk)
    if not request.user.has_perm("applications.change_applicant", applicant):
        raise PermissionDenied
    details = applicant.details
    form: IndividualProfileForm | OrganisationProfileForm
    if isinstance(details, Individual):
        initial = {
            "name": details.name,
            "employer_code": details.employer.credit_code if details.employer else "",
            "employer_name": details.employer_name,
            "position": details.position,
            "is_top_manager": details.is_top_manager,
            "quality_work_since": details.quality_work_since,
            "sector": details.sector,
            "area": details.area,
        }
        form = IndividualProfileForm(request.POST or None, initial=initial)
    else:
        initial = {name: getattr(details, name) for name in services.ORGANISATION_EDITABLE}
        initial["is_for_profit"] = "1" if details.is_for_profit else "0"
        form = OrganisationProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, IndividualProfileForm) and isinstance(details, Individual):
                services.individual_update(individual=details, actor=request.user, **form.profile())
            else:
                services.organisation_update(
                    organisation=details, actor=request.user, **form.cleaned_data
                )
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("applications:detail", pk=applicant.pk)
    return render(
        request,
        "applications/applicant_edit.html",
        {"applicant": applicant, "form": form},
        status=400 if form.errors else 200,
    )


def _open_cycles(user):
    """The open cycles (of the awards the user serves, for award-limited staff)."""
    from qualityaward.accounts.scoping import cycles_for
    from qualityaward.cycles.enums import CycleStatus

    return (
        cycles_for(user)
        .filter(status=CycleStatus.OPEN)
        .select_related("rule_set_version__rule_set")
    )


def _reference_date(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@require_GET
def applicant_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-check of the objective conditions, clause by clause."""
    applicant = visible_applicant(request, pk)
    if not request.user.has_perm("applications.view_eligibility", applicant):
        raise Http404
    cycles = list(_open_cycles(request.user))
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle")), None)
    cycle = cycle or (cycles[0] if cycles else None)
    on = _reference_date(request)
    findings = []
    error = ""
    if cycle is not None:
        try:
            findings = eligibility_for(applicant=applicant, cycle=cycle, on=on)
        except (QualityAwardError, KeyError) as problem:
            error = str(problem)
    return render(
        request,
        "applications/eligibility.html",
        {
            "applicant": applicant,
            "cycles": cycles,
            "cycle": cycle,
            "on": on,
            "checks": [f for f in findings if f.is_check],
            "attestations": attestations(findings),
            "failures": failures(findings),
            "all_passed": bool(findings) and objective_passed(findings),
            "error": error,
        },
    )


@require_http_methods(["POST"])
def applicant_user_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Office: give an existing account access to the applicant (a claim confirmed in
    person, e.g. against the business licence)."""
    applicant = visible_applicant(request, pk)
    if not request.user.has_perm("applications.link_applicant_user"):
        raise PermissionDenied
    form = ApplicantUserLinkForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["username"]
        services.applicant_user_link(applicant=applicant, user=user, actor=request.user)
        messages.success(
            request,
            _("%(user)s can now act for %(applicant)s.")
            % {"user": user.get_username(), "applicant": applicant.name},
        )
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["username"]))
    return redirect("applications:detail", pk=applicant.pk)
