from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualityaward.accounts.scoping import CYCLE_AWARD, cycle_or_404, scope
from qualityaward.core.errors import QualityAwardError

from . import services
from .forms import CycleOpenForm, StageDateForm
from .selectors import cycle_work_links, cycles_with_stages, timeline_with_rules


def _check(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def cycle_list(request):
    _check(request, "cycles.view_timeline")
    form = None
    if request.user.has_perm("cycles.manage"):
        form = CycleOpenForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                cycle = services.cycle_open(
                    version=form.cleaned_data["version"],
                    number=form.cleaned_data["number"],
                    name=form.cleaned_data["name"],
                    start_date=form.cleaned_data["start_date"],
                    actor=request.user,
                )
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The cycle is open."))
                return redirect("cycles:detail", pk=cycle.pk)
    elif request.method == "POST":
        raise PermissionDenied
    cycles = scope(cycles_with_stages(), request.user, CYCLE_AWARD)
    return render(request, "cycles/list.html", {"cycles": cycles, "form": form})


def cycle_detail(request, pk: int):
    _check(request, "cycles.view_timeline")
    cycle = cycle_or_404(request.user, pk, cycles_with_stages())
    today = timezone.localdate()
    return render(
        request,
        "cycles/detail.html",
        {
            "cycle": cycle,
            "rows": timeline_with_rules(cycle=cycle, today=today),
            "today": today,
            "can_manage": request.user.has_perm("cycles.manage", cycle),
            "work_links": cycle_work_links(cycle=cycle, user=request.user),
        },
    )


@require_POST
def stage_record(request, pk: int, action: str):
    _check(request, "cycles.manage")
    cycle = cycle_or_404(request.user, pk, cycles_with_stages())
    if not request.user.has_perm("cycles.manage", cycle):
        raise Http404
    form = StageDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("cycles:detail", pk=pk)
    record = services.stage_start if action == "start" else services.stage_end
    try:
        record(
            cycle=cycle,
            code=form.cleaned_data["code"],
            on=form.cleaned_data["on"],
            actor=request.user,
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The date is recorded."))
    return redirect("cycles:detail", pk=pk)
