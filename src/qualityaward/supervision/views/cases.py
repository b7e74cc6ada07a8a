from typing import cast

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from qualityaward.accounts.scoping import CYCLE_AWARD, scope, scoped_or_404
from qualityaward.core.errors import QualityAwardError
from qualityaward.decisions.models import Award

from ..enums import CaseStatus, ReturnItemStatus
from ..forms import (
    CaseOpenForm,
    DecisionForm,
    EvidenceForm,
    MisuseCloseForm,
    MisuseForm,
    PublishForm,
    ReturnItemForm,
)
from ..models import ReturnItem
from ..selectors.awards import cases_visible_to, misuse_reports_visible_to
from ..services import honour, revocation
from ._common import check


class CaseOpenWithAwardForm(CaseOpenForm):
    award = forms.ModelChoiceField(label=gettext_lazy("Award"), queryset=Award.objects.none())
    field_order = ["award", "kind", "event_on", "summary"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        awards = Award.objects.filter(revoked_on__isnull=True).select_related("applicant")
        cast(forms.ModelChoiceField, self.fields["award"]).queryset = scope(awards, user)


@require_http_methods(["GET", "POST"])
def case_list(request):
    check(request, "supervision.view_all")
    form = None
    if request.user.has_perm("supervision.manage"):
        form = CaseOpenWithAwardForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                case = revocation.case_open(actor=request.user, **form.cleaned_data)
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The case is open."))
                return redirect("supervision:case", pk=case.pk)
    elif request.method == "POST":
        check(request, "supervision.manage")
    return render(
        request,
        "supervision/case_list.html",
        {"cases": cases_visible_to(user=request.user), "form": form},
    )


def case_detail(request, pk: int):
    case = get_object_or_404(cases_visible_to(user=request.user), pk=pk)
    manage = request.user.has_perm("supervision.manage")
    is_open = case.status == CaseStatus.OPEN
    today = timezone.localdate()
    return render(
        request,
        "supervision/case_detail.html",
        {
            "case": case,
            "evidence": case.evidence.select_related("stored_file"),
            "returns": case.returns.all(),
            "pending": ReturnItemStatus.PENDING,
            "evidence_form": EvidenceForm() if manage and is_open else None,
            "decision_form": DecisionForm(initial={"meeting_on": today})
            if manage and is_open
            else None,
            "publish_form": PublishForm()
            if manage and case.status == CaseStatus.REVOKED and case.published_on is None
            else None,
            "return_form": ReturnItemForm(initial={"on": today})
            if manage and case.status == CaseStatus.REVOKED
            else None,
            "can_close": manage and case.status == CaseStatus.REVOKED,
        },
    )


def _case_action(request, pk: int, form_class, action, success: str, *, files=False):
    check(request, "supervision.manage")
    case = get_object_or_404(cases_visible_to(user=request.user), pk=pk)
    check(request, "supervision.manage", case)
    form = form_class(request.POST, request.FILES if files else None)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("supervision:case", pk=case.pk)
    try:
        action(case=case, actor=request.user, **form.cleaned_data)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("supervision:case", pk=case.pk)


@require_POST
def case_evidence(request, pk: int):
    return _case_action(
        request,
        pk,
        EvidenceForm,
        revocation.case_evidence_add,
        _("The evidence is added."),
        files=True,
    )


@require_POST
def case_decide(request, pk: int):
    return _case_action(
        request,
        pk,
        DecisionForm,
        revocation.case_decide,
        _("The decision is recorded."),
        files=True,
    )


@require_POST
def case_publish(request, pk: int):
    return _case_action(
        request, pk, PublishForm, revocation.case_publish, _("The revocation is published.")
    )


@require_POST
def case_close(request, pk: int):
    check(request, "supervision.manage")
    case = get_object_or_404(cases_visible_to(user=request.user), pk=pk)
    check(request, "supervision.manage", case)
    try:
        revocation.case_close(case=case, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The case is closed."))
    return redirect("supervision:case", pk=case.pk)


@require_POST
def return_item(request, pk: int):
    check(request, "supervision.manage")
    item = scoped_or_404(
        ReturnItem.objects.all(), request.user, f"case__award__cycle__{CYCLE_AWARD}", pk=pk
    )
    form = ReturnItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose done or waived and enter the date."))
    else:
        try:
            revocation.return_item_settle(item=item, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(item)s is recorded.") % {"item": item.get_kind_display()}
            )
    return redirect("supervision:case", pk=item.case_id)


@require_http_methods(["GET", "POST"])
def misuse_list(request):
    check(request, "supervision.view_all")
    form = None
    awards = scope(Award.objects.select_related("applicant"), request.user)
    if request.user.has_perm("supervision.manage"):
        form = MisuseForm(request.POST or None, request.FILES or None, awards=awards)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("evidence")
            try:
                honour.misuse_report_record(actor=request.user, upload=upload, **data)
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The report is recorded."))
                return redirect("supervision:misuse")
    elif request.method == "POST":
        check(request, "supervision.manage")
    return render(
        request,
        "supervision/misuse_list.html",
        {
            "reports": misuse_reports_visible_to(user=request.user),
            "form": form,
            "close_form": MisuseCloseForm(initial={"on": timezone.localdate()})
            if form is not None
            else None,
        },
    )


@require_POST
def misuse_close(request, pk: int):
    check(request, "supervision.manage")
    report = get_object_or_404(misuse_reports_visible_to(user=request.user), pk=pk)
    form = MisuseCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Record the outcome and the date."))
    else:
        try:
            honour.misuse_report_close(report=report, actor=request.user, **form.cleaned_data)
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The report is closed."))
    return redirect("supervision:misuse")
