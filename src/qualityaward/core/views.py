"""The audit trail viewer: office staff and the supervisor read the trail (newest first,
50 a page, filters) and verify the chain. Read-only: nothing here writes."""

from __future__ import annotations

import datetime
import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.accounts.scoping import scope

from .audit import verify_chain
from .models import AuditRecord

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_records(*, filters: dict, user) -> QuerySet[AuditRecord]:
    """The records the user may read: staff limited to awards read their awards' only."""
    records = scope(AuditRecord.objects.select_related("actor"), user, "award_id").order_by("-seq")
    if filters.get("action"):
        records = records.filter(action__startswith=filters["action"].strip())
    if filters.get("actor"):
        records = records.filter(actor_label=filters["actor"].strip())
    if filters.get("object_type"):
        records = records.filter(object_type=filters["object_type"].strip().lower())
    if filters.get("date_from"):
        records = records.filter(created_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        end = filters["date_to"] + datetime.timedelta(days=1)
        records = records.filter(created_at__lt=_day_start(end))
    return records


def _guard(request: HttpRequest) -> None:
    if not request.user.has_perm("core.view_audit_trail"):
        raise PermissionDenied


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(audit_records(filters=filters, user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for record in page.object_list:
        record.changes_pretty = json.dumps(record.changes, ensure_ascii=False, indent=2)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Walk the whole chain; writes nothing."""
    _guard(request)
    checked, broken = verify_chain()
    context = {"checked": checked, "broken": broken}
    if getattr(request, "htmx", False):
        return render(request, "core/_verify_result.html", context)
    form = AuditFilterForm()
    page = Paginator(audit_records(filters={}, user=request.user), PER_PAGE).get_page(1)
    for record in page.object_list:
        record.changes_pretty = json.dumps(record.changes, ensure_ascii=False, indent=2)
    return render(
        request, "core/audit_list.html", {"form": form, "page": page, "query": "", **context}
    )
