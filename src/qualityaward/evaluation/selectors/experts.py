"""The expert pool: who sees which experts, and the pool as plain input for the solvers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import Prefetch, Q, QuerySet

from qualityaward.accounts.enums import Role

from ..assignment import ExpertInput
from ..enums import ExpertStatus
from ..models import ConflictDeclaration, Employment, Expert, Qualification
from ..rules import coordinated_agency_ids


def experts_base() -> QuerySet[Expert]:
    return Expert.objects.select_related("agency", "user").prefetch_related("qualifications")


def experts_visible_to(*, user) -> QuerySet[Expert]:
    """Office and supervisors: all. A coordinator: its agencies' experts. An expert: itself."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Expert.objects.none()
    if user.has_role(Role.OFFICE) or user.has_role(Role.SUPERVISOR):
        return experts_base()
    condition = Q(pk__in=[])
    if user.has_role(Role.AGENCY):
        condition |= Q(agency_id__in=coordinated_agency_ids(user))
    if user.has_role(Role.EXPERT):
        condition |= Q(user=user)
    return experts_base().filter(condition)


def expert_of_user(*, user) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return experts_base().filter(user=user).first()


def expert_with_details(*, pk: int) -> Expert | None:
    return (
        experts_base()
        .prefetch_related(
            Prefetch("employments", Employment.objects.select_related("organisation")),
            Prefetch(
                "declarations",
                ConflictDeclaration.objects.select_related("applicant"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def assignable_experts(*, on: datetime.date, agency=None) -> QuerySet[Expert]:
    """Experts who may be assigned on `on`: active (not suspended) and available."""
    experts = (
        experts_base()
        .filter(status=ExpertStatus.ACTIVE)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=on))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=on))
    )
    if agency is not None:
        experts = experts.filter(agency=agency)
    return experts


def expert_inputs(
    *, on: datetime.date, agency=None, loads: Mapping[int, int] | None = None
) -> list[ExpertInput]:
    """The assignable pool as solver input. `loads`: expert id -> applications already
    assigned in the stage (the panels part knows them)."""
    loads = loads or {}
    return [
        ExpertInput(
            id=expert.pk,
            sectors=frozenset(expert.sectors or ()),
            qualification_level=expert.qualification_level_on(on),
            current_load=loads.get(expert.pk, 0),
        )
        for expert in assignable_experts(on=on, agency=agency).order_by("pk")
    ]


def qualifications_of(*, expert: Expert) -> QuerySet[Qualification]:
    return Qualification.objects.filter(expert=expert)


def employments_of(*, expert: Expert) -> QuerySet[Employment]:
    return Employment.objects.filter(expert=expert).select_related("organisation")
