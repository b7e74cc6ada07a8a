from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityaward.accounts.scoping import cycles_for
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.xlsx import workbook_response

from ..charts import column_chart, horizontal_bars
from ..selectors.statistics import cycle_statistics, statistics_sheets
from ..services.archive import cycle_close
from ._common import check


def _cycles(request):
    return (
        cycles_for(request.user)
        .select_related("rule_set_version__rule_set")
        .order_by("-start_date", "-number")
    )


def statistics(request):
    check(request, "supervision.view_statistics")
    cycles = list(_cycles(request))
    if not cycles:
        return render(request, "supervision/statistics.html", {"cycles": cycles})
    wanted = request.GET.get("cycle")
    cycle = next((c for c in cycles if str(c.pk) == wanted), cycles[0])
    data = cycle_statistics(cycle=cycle)
    charts = {
        "sector": horizontal_bars(title=_("Applications by sector"), rows=data.by_sector),
        "ownership": horizontal_bars(
            title=_("Organisations by ownership type"), rows=data.by_ownership
        ),
        "area": horizontal_bars(title=_("Applications by area"), rows=data.by_area),
        "stages": horizontal_bars(
            title=_("Applications at each stage"), rows=[(r.label, r.count) for r in data.stages]
        ),
    }
    if data.results_available:
        charts["categories"] = horizontal_bars(
            # xgettext:no-python-format
            title=_("Mean score by category (% of the category's points)"),
            rows=[(f"{r.code} {r.name}", r.mean * 100 / r.points) for r in data.categories],
            maximum=100,
            suffix="%",
            label_width=230,
        )
        charts["totals"] = column_chart(
            title=_("Total scores (of 1000)"), columns=data.totals_histogram
        )
    return render(
        request,
        "supervision/statistics.html",
        {"cycles": cycles, "cycle": cycle, "data": data, "charts": charts},
    )


def statistics_export(request, pk: int):
    check(request, "supervision.view_statistics")
    cycle = get_object_or_404(_cycles(request), pk=pk)
    data = cycle_statistics(cycle=cycle)
    return workbook_response(
        filename=f"statistics-cycle-{cycle.number}.xlsx", sheets=statistics_sheets(data)
    )


@require_POST
def close_cycle(request, pk: int):
    check(request, "supervision.manage")
    cycle = get_object_or_404(_cycles(request), pk=pk)
    check(request, "supervision.manage", cycle)
    try:
        cycle_close(cycle=cycle, actor=request.user)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The cycle is closed and archived."))
    return redirect(f"{reverse('supervision:statistics')}?cycle={cycle.pk}")
