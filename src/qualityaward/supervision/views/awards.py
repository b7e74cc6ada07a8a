import uuid

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualityaward.accounts.enums import Role
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.downloads import file_response
from qualityaward.documents.models import StoredFile

from ..enums import VISIT_BADGES, FundReportStatus
from ..forms import ExpenseForm, PerformanceForm, ReportSubmitForm, VisitForm
from ..models import CaseEvidence, Expense, FundReport, MisuseReport, RevocationCase
from ..periods import award_citation
from ..selectors.awards import (
    awards_visible_to,
    cases_visible_to,
    fund_summary,
    misuse_reports_visible_to,
    winner_rows,
)
from ..services import followup, funds
from ._common import check, visible_award


def winner_list(request):
    rows = winner_rows(user=request.user, today=timezone.localdate())
    # Applicants see their own awards here, or that they have none yet.
    if not rows and not (
        request.user.has_perm("supervision.view_winner_list")
        or request.user.has_role(Role.APPLICANT)
    ):
        raise Http404
    return render(
        request,
        "supervision/winner_list.html",
        {
            "rows": rows,
            "badges": VISIT_BADGES,
            "can_manage": request.user.has_perm("supervision.manage"),
        },
    )


def award_detail(request, pk: int):
    award = visible_award(request, pk)
    user = request.user
    return render(
        request,
        "supervision/award_detail.html",
        {
            "award": award,
            "status": award.status_on(timezone.localdate()),
            "citation": _citation(award),
            "can_funds": user.has_perm("supervision.view_funds", award),
            "can_visits": user.has_perm("supervision.view_visits", award),
            "can_honour": user.has_perm("supervision.view_honour_page", award),
            "can_certificate": award.certificate_id is not None
            and user.has_perm("decisions.view_certificate", award),
            "cases": list(award.revocation_cases.all())
            if user.has_perm("supervision.view_all")
            else [],
        },
    )


def _citation(award) -> str:
    return award_citation(
        year=award.awarded_on.year, award_name=award.cycle.rule_set_version.rule_set.award_name_zh
    )


def _use_choices(award) -> list[tuple[str, str]]:
    return [(code, use.name) for code, use in funds.fund_uses(award).items()]


@require_http_methods(["GET", "POST"])
def fund_page(request, pk: int):
    award = visible_award(request, pk)
    check(request, "supervision.view_funds", award)
    can_file = request.user.has_perm("supervision.file_fund_report", award)
    can_rate = request.user.has_perm("supervision.rate_performance", award)
    expense_form = None
    if can_file and award.prize_yuan > 0:
        expense_form = ExpenseForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            uses=_use_choices(award),
            initial={"budget_year": award.prize_budget_year},
        )
    if request.method == "POST":
        if expense_form is None:
            raise Http404
        if expense_form.is_valid():
            data = expense_form.cleaned_data
            try:
                funds.expense_record(
                    award=award,
                    budget_year=data["budget_year"],
                    use_code=data["use_code"],
                    amount=data["amount"],
                    spent_on=data["spent_on"],
                    description=data["description"],
                    upload=data["evidence"],
                    actor=request.user,
                )
            except QualityAwardError as error:
                expense_form.add_error(None, error.message)
            else:
                messages.success(request, _("The expense is recorded."))
                return redirect("supervision:funds", pk=award.pk)
    summary = fund_summary(award=award, today=timezone.localdate())
    names = dict(_use_choices(award))
    return render(
        request,
        "supervision/funds.html",
        {
            "award": award,
            "summary": summary,
            "use_names": names,
            "expense_form": expense_form,
            "submit_form": ReportSubmitForm() if can_file else None,
            # The money is spent from its budget year on: rate no earlier year than that.
            "rate_form": PerformanceForm(
                initial={"year": max(award.prize_budget_year, timezone.localdate().year - 1)}
            )
            if can_rate
            else None,
            "draft": FundReportStatus.DRAFT,
        },
    )


@require_POST
def fund_report_submit(request, pk: int, year: int):
    award = visible_award(request, pk)
    check(request, "supervision.file_fund_report", award)
    report = get_object_or_404(FundReport, award=award, budget_year=year)
    form = ReportSubmitForm(request.POST)
    form.is_valid()
    try:
        funds.fund_report_submit(
            report=report, summary=form.cleaned_data.get("summary", ""), actor=request.user
        )
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report of %(year)s is submitted.") % {"year": year})
    return redirect("supervision:funds", pk=award.pk)


@require_POST
def performance_rate(request, pk: int):
    award = visible_award(request, pk)
    check(request, "supervision.rate_performance", award)
    form = PerformanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the year and choose a rating."))
        return redirect("supervision:funds", pk=award.pk)
    try:
        funds.performance_rate(award=award, actor=request.user, **form.cleaned_data)
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The rating is recorded."))
    return redirect("supervision:funds", pk=award.pk)


@require_http_methods(["GET", "POST"])
def visits(request, pk: int):
    award = visible_award(request, pk)
    check(request, "supervision.view_visits", award)
    form = None
    if request.user.has_perm("supervision.record_visit", award):
        form = VisitForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                followup.visit_record(award=award, actor=request.user, **form.cleaned_data)
            except QualityAwardError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("supervision:visits", pk=award.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "supervision/visits.html",
        {
            "award": award,
            "visits": award.follow_up_visits.select_related("recorded_by"),
            "badges": VISIT_BADGES,
            "form": form,
        },
    )


def honour(request, pk: int):
    award = visible_award(request, pk)
    check(request, "supervision.view_honour_page", award)
    rule_set = award.cycle.rule_set_version.rule_set
    return render(
        request,
        "supervision/honour.html",
        {
            "award": award,
            "citation": _citation(award),
            "wrong_citation": rule_set.award_name_zh,
            "rule": award.cycle.rule_set_version.rules.award_citation_requires_year,
        },
    )


def stored_file(request, file_id):
    """A file of the supervision stage, to whoever may see what it belongs to."""
    try:
        stored = get_object_or_404(StoredFile, pk=uuid.UUID(str(file_id)))
    except ValueError:
        raise Http404 from None
    user = request.user
    expense = (
        Expense.objects.select_related("report__award__applicant").filter(evidence=stored).first()
    )
    allowed = False
    if expense is not None:
        award = expense.report.award
        allowed = awards_visible_to(user=user).filter(pk=award.pk).exists() and user.has_perm(
            "supervision.view_funds", award
        )
    elif (
        CaseEvidence.objects.filter(stored_file=stored).exists()
        or RevocationCase.objects.filter(decision_document=stored).exists()
    ):
        cases = cases_visible_to(user=user)
        allowed = cases.filter(
            Q(evidence__stored_file=stored) | Q(decision_document=stored)
        ).exists()
    elif MisuseReport.objects.filter(evidence=stored).exists():
        allowed = user.has_perm("supervision.view_all") and (
            misuse_reports_visible_to(user=user).filter(evidence=stored).exists()
        )
    if not allowed:
        raise Http404
    return file_response(stored_file=stored)
