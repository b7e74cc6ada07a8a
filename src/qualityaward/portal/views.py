from typing import cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from qualityaward.accounts.enums import Role
from qualityaward.accounts.models import User

from .dashboards import dashboard_context


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send the user to the dashboard of their first role, or explain they have none."""
    user = cast(User, request.user)  # login is required for this view
    for role in Role:
        if user.has_role(role):
            return redirect("portal:role_dashboard", role=role.value)
    return render(request, "portal/no_role.html")


@require_GET
def role_dashboard(request: HttpRequest, role: str) -> HttpResponse:
    if role not in Role.values:
        raise Http404
    if not request.user.has_perm(f"accounts.dashboard_{role}"):
        raise PermissionDenied
    return render(
        request,
        f"portal/dashboard/{role}.html",
        {"role": Role(role), **dashboard_context(Role(role), request.user)},
    )
