"""The office's conflict pages (A25): conflicts found, staff interests, groups of
companies. Supervisors read the conflicts too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualityaward.core.errors import QualityAwardError

from ..forms.conflicts import GroupForm, GroupMemberForm, StaffConflictForm
from ..forms.experts import ReasonForm
from ..models import OrganisationGroup, OrganisationGroupMember, StaffConflict
from ..selectors.conflicts import conflicts_list, groups_list, staff_conflicts_list
from ..services import conflicts as services


@require_http_methods(["GET", "POST"])
def conflict_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("evaluation.view_conflicts"):
        raise PermissionDenied
    may_manage = request.user.has_perm("evaluation.manage_staff_conflicts")
    form = StaffConflictForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if request.POST.get("refresh"):
            try:
                result = services.conflicts_refresh(actor=request.user)
            except QualityAwardError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Check done: %(found)d found, %(cleared)d no longer hold.")
                    % {"found": len(result.found), "cleared": len(result.cleared)},
                )
            return redirect("evaluation:conflicts")
        if form.is_valid():
            user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
            if user is None:
                form.add_error("username", _("No user has this user name."))
            else:
                try:
                    services.staff_conflict_record(
                        user=user,
                        applicant=form.cleaned_data["applicant"],
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                except QualityAwardError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The interest is recorded."))
                    return redirect("evaluation:conflicts")
    return render(
        request,
        "evaluation/conflict_list.html",
        {
            "conflicts": conflicts_list(user=request.user),
            "staff_conflicts": staff_conflicts_list(user=request.user),
            "form": form,
            "may_manage": may_manage,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def staff_conflict_end(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("evaluation.manage_staff_conflicts"):
        raise PermissionDenied
    conflict = get_object_or_404(StaffConflict, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    else:
        try:
            services.staff_conflict_end(
                conflict=conflict, reason=form.cleaned_data["reason"], actor=request.user
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The interest has ended."))
    return redirect("evaluation:conflicts")


def _require_groups(request: HttpRequest) -> None:
    if not request.user.has_perm("evaluation.manage_groups"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    _require_groups(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The group is recorded."))
            return redirect("evaluation:group", pk=group.pk)
    return render(
        request,
        "evaluation/group_list.html",
        {"groups": groups_list(), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_groups(request)
    group = get_object_or_404(OrganisationGroup, pk=pk)
    form = GroupMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_add(group=group, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The member is added."))
            return redirect("evaluation:group", pk=group.pk)
    return render(
        request,
        "evaluation/group_detail.html",
        {"group": group, "members": group.members.all(), "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def group_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_groups(request)
    member = get_object_or_404(OrganisationGroupMember.objects.select_related("group"), pk=pk)
    try:
        services.group_member_remove(member=member, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member is removed."))
    return redirect("evaluation:group", pk=member.group_id)
