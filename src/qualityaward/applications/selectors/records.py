"""The office's records about one applicant, and the lists."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import (
    AnnualResult,
    Applicant,
    Ban,
    ComplianceRecord,
    HistoryImport,
    ListEntry,
    ListImport,
)


def compliance_records_of(*, applicant: Applicant) -> QuerySet[ComplianceRecord]:
    return ComplianceRecord.objects.filter(applicant=applicant).select_related("recorded_by")


def bans_of(*, applicant: Applicant) -> QuerySet[Ban]:
    return Ban.objects.filter(applicant=applicant)


def annual_results_of(*, applicant: Applicant) -> QuerySet[AnnualResult]:
    return AnnualResult.objects.filter(organisation_id=applicant.pk).order_by("-fiscal_year")


def list_entries_for(*, credit_code: str) -> QuerySet[ListEntry]:
    return ListEntry.objects.filter(credit_code=credit_code).order_by("-listed_on")


def list_entries(*, kind: str | None = None, query: str = "") -> QuerySet[ListEntry]:
    entries = ListEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if query:
        entries = entries.filter(credit_code__icontains=query) | entries.filter(
            name__icontains=query
        )
    return entries.order_by("-listed_on", "credit_code")


def list_imports() -> QuerySet[ListImport]:
    return ListImport.objects.select_related("imported_by")


def history_imports() -> QuerySet[HistoryImport]:
    return HistoryImport.objects.select_related("imported_by")
