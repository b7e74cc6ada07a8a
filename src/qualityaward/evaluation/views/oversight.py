"""Oversight (A26, A8): the conduct ratings, the misconduct records (the office records
one and the expert is suspended) and the leniency report. Office staff and the
supervisor (纪检监督) read everything here; only the office may record misconduct: the
supervisor's POSTs are refused."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from qualityaward.core.errors import QualityAwardError

from ..leniency import leniency
from ..models import Expert
from ..selectors.conflicts import conflicts_list, staff_conflicts_list
from ..selectors.reports import leniency_report, leniency_rows, misconduct_list, ratings_list
from ..services import feedback as services


def _guard(request: HttpRequest) -> None:
    if not request.user.has_perm("evaluation.view_oversight"):
        raise PermissionDenied


class MisconductForm(forms.Form):
    expert = forms.ModelChoiceField(
        label=gettext_lazy("Expert"), queryset=Expert.objects.order_by("name", "pk")
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Documents, witnesses, dates (optional)."),
    )


@require_GET
def oversight(request: HttpRequest) -> HttpResponse:
    _guard(request)
    ratings = Paginator(ratings_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/oversight.html",
        {
            "ratings": ratings,
            "misconduct": misconduct_list()[:100],
            "conflicts": conflicts_list(active=True, user=request.user)[:200],
            "staff_conflicts": staff_conflicts_list(active=True, user=request.user)[:200],
            "form": MisconductForm()
            if request.user.has_perm("evaluation.record_misconduct")
            else None,
        },
    )


@require_POST
def misconduct_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("evaluation.record_misconduct"):
        raise PermissionDenied
    form = MisconductForm(request.POST)
    if form.is_valid():
        try:
            services.misconduct_record(
                expert=form.cleaned_data["expert"],
                description=form.cleaned_data["description"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except QualityAwardError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Misconduct recorded; the expert is suspended."))
            return redirect("evaluation:oversight")
    else:
        messages.error(request, _("Choose the expert and describe the misconduct."))
    return redirect("evaluation:oversight")


@require_GET
def leniency_page(request: HttpRequest) -> HttpResponse:
    _guard(request)
    return render(
        request,
        "evaluation/leniency.html",
        {"experts": leniency_report(leniency_rows(user=request.user))},
    )


@require_GET
def leniency_expert(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    expert = get_object_or_404(Expert, pk=pk)
    rows = leniency_rows(user=request.user, expert_id=expert.pk)
    for row in rows:
        row["difference"] = row["percent"] - row["agreed"]
    if not rows and not Expert.objects.filter(pk=pk).exists():
        raise Http404
    return render(
        request,
        "evaluation/leniency_expert.html",
        {
            "expert": expert,
            "rows": rows,
            "overall": leniency((r["percent"], r["agreed"]) for r in rows),
        },
    )
