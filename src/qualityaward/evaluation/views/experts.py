"""Expert pages: the pool (office supervision, A8), one expert's profile with its
qualifications, employment history and declarations (A25), and the expert's own page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityaward.core.errors import QualityAwardError

from ..enums import ExpertStatus
from ..forms.conflicts import DeclarationForm
from ..forms.experts import EmploymentForm, ExpertProfileForm, QualificationForm, ReasonForm
from ..models import ConflictDeclaration, Employment, Expert, Qualification
from ..selectors.conflicts import conflicts_list
from ..selectors.experts import expert_of_user, expert_with_details, experts_visible_to
from ..services import conflicts as conflict_services
from ..services import experts as services


def visible_expert(request: HttpRequest, pk: int) -> Expert:
    """The expert if the user may see it; 404 otherwise."""
    if not experts_visible_to(user=request.user).filter(pk=pk).exists():
        raise Http404
    expert = expert_with_details(pk=pk)
    if expert is None:  # pragma: no cover
        raise Http404
    return expert


def _changeable_expert(request: HttpRequest, pk: int) -> Expert:
    expert = visible_expert(request, pk)
    if not request.user.has_perm("evaluation.change_expert", expert):
        raise PermissionDenied
    return expert


@require_GET
def expert_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("evaluation.list_experts"):
        raise PermissionDenied
    experts = experts_visible_to(user=request.user)
    status = request.GET.get("status", "")
    if status in ExpertStatus.values:
        experts = experts.filter(status=status)
    return render(
        request,
        "evaluation/expert_list.html",
        {"experts": experts, "status": status, "statuses": ExpertStatus.choices},
    )


@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    expert = expert_of_user(user=request.user)
    if expert is None:
        if not request.user.has_perm("evaluation.own_profile"):
            raise PermissionDenied
        return render(request, "evaluation/no_profile.html")
    return redirect("evaluation:expert", pk=expert.pk)


@require_GET
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = visible_expert(request, pk)
    user = request.user
    may_change = user.has_perm("evaluation.change_expert", expert)
    may_declare = user.has_perm("evaluation.declare_interest", expert)
    may_see_conflicts = may_change or user.has_perm("evaluation.view_conflicts")
    today = timezone.localdate()
    return render(
        request,
        "evaluation/expert_detail.html",
        {
            "expert": expert,
            "today": today,
            "qualification_level": expert.qualification_level_on(today),
            "may_change": may_change,
            "may_declare": may_declare,
            "may_supervise": user.has_perm("evaluation.supervise_experts"),
            "may_view_agency": user.has_perm("evaluation.view_agency", expert.agency),
            "conflicts": conflicts_list(expert=expert, user=request.user)
            if may_see_conflicts
            else None,
            "employment_form": EmploymentForm() if may_change else None,
            "qualification_form": QualificationForm() if may_change else None,
            "declaration_form": DeclarationForm() if may_declare else None,
            "reason_form": ReasonForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _changeable_expert(request, pk)
    initial = {key: getattr(expert, key) for key in services.PROFILE_FIELDS}
    form = ExpertProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update(expert=expert, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("evaluation:expert", pk=expert.pk)
    return render(
        request,
        "evaluation/form_page.html",
        {"form": form, "title": _("Edit the profile"), "expert": expert},
        status=400 if form.errors else 200,
    )


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            if label:
                error = _("%(field)s: %(error)s") % {"field": label, "error": error}
            messages.error(request, error)


@require_POST
def expert_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A8: the office suspends or reinstates an expert, with a reason."""
    if not request.user.has_perm("evaluation.supervise_experts"):
        raise PermissionDenied
    expert = get_object_or_404(Expert, pk=pk)
    form = ReasonForm(request.POST)
    action = request.POST.get("action")
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    elif action not in ("suspend", "reinstate"):
        raise Http404
    else:
        change = services.expert_suspend if action == "suspend" else services.expert_reinstate
        try:
            change(expert=expert, reason=form.cleaned_data["reason"], actor=request.user)
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The expert is suspended.")
                if action == "suspend"
                else _("The expert is reinstated."),
            )
    return redirect("evaluation:expert", pk=expert.pk)


@require_POST
def qualification_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _changeable_expert(request, pk)
    form = QualificationForm(request.POST)
    if form.is_valid():
        try:
            services.qualification_add(expert=expert, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The qualification is added."))
    else:
        _form_errors(request, form)
    return redirect("evaluation:expert", pk=expert.pk)


@require_POST
def qualification_remove(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = get_object_or_404(Qualification, pk=pk)
    _changeable_expert(request, qualification.expert_id)
    services.qualification_remove(qualification=qualification, actor=request.user)
    messages.success(request, _("The qualification is removed."))
    return redirect("evaluation:expert", pk=qualification.expert_id)


@require_POST
def employment_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _changeable_expert(request, pk)
    form = EmploymentForm(request.POST)
    if form.is_valid():
        try:
            services.employment_add(expert=expert, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The employment is added."))
    else:
        _form_errors(request, form)
    return redirect("evaluation:expert", pk=expert.pk)


@require_http_methods(["GET", "POST"])
def employment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employment = get_object_or_404(Employment, pk=pk)
    expert = _changeable_expert(request, employment.expert_id)
    initial = {
        "organisation_name": employment.organisation_name,
        "credit_code": employment.credit_code,
        "start_date": employment.start_date,
        "end_date": employment.end_date,
        "position": employment.position,
    }
    form = EmploymentForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.employment_remove(employment=employment, actor=request.user)
            messages.success(request, _("The employment is removed."))
            return redirect("evaluation:expert", pk=expert.pk)
        if form.is_valid():
            try:
                services.employment_update(
                    employment=employment, actor=request.user, **form.cleaned_data
                )
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The employment is saved."))
                return redirect("evaluation:expert", pk=expert.pk)
    return render(
        request,
        "evaluation/employment_edit.html",
        {"form": form, "expert": expert, "employment": employment},
        status=400 if form.errors else 200,
    )


@require_POST
def declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = visible_expert(request, pk)
    if not request.user.has_perm("evaluation.declare_interest", expert):
        raise PermissionDenied
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            conflict_services.declaration_add(
                expert=expert, actor=request.user, **form.cleaned_data
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The declaration is recorded."))
    else:
        _form_errors(request, form)
    return redirect("evaluation:expert", pk=expert.pk)


@require_POST
def declaration_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(ConflictDeclaration, pk=pk)
    expert = visible_expert(request, declaration.expert_id)
    if not request.user.has_perm("evaluation.declare_interest", expert):
        raise PermissionDenied
    try:
        conflict_services.declaration_withdraw(declaration=declaration, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The declaration is withdrawn."))
    return redirect("evaluation:expert", pk=expert.pk)
