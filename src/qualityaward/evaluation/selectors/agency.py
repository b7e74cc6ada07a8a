"""Agencies, their coordinators and procurements."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from qualityaward.accounts.enums import Role

from ..models import Agency, AgencyCoordinator, Procurement
from ..rules import coordinated_agency_ids


def agencies_list() -> QuerySet[Agency]:
    return Agency.objects.annotate(expert_count=Count("experts", distinct=True))


def agencies_visible_to(*, user) -> QuerySet[Agency]:
    """Office: all. An agency coordinator: its agencies. Anyone else: none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if user.has_role(Role.OFFICE):
        return agencies_list()
    if user.has_role(Role.AGENCY):
        return agencies_list().filter(pk__in=coordinated_agency_ids(user))
    return Agency.objects.none()


def agency_with_details(*, pk: int) -> Agency | None:
    return (
        Agency.objects.prefetch_related(
            Prefetch("coordinators", AgencyCoordinator.objects.select_related("user")),
            Prefetch(
                "procurements",
                Procurement.objects.select_related("cycle", "recorded_by").prefetch_related(
                    "documents"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def procurements_of(*, agency: Agency) -> QuerySet[Procurement]:
    return (
        Procurement.objects.filter(agency=agency)
        .select_related("cycle", "recorded_by")
        .prefetch_related("documents")
    )
