"""Which applicants a user may see, and the user's own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from qualityaward.accounts.enums import Role

from ..models import Applicant
from ..rules import department_scope


def applicants_base() -> QuerySet[Applicant]:
    return Applicant.objects.select_related(
        "organisation", "individual", "individual__employer"
    ).prefetch_related("users")


def applicants_visible_to(*, user) -> QuerySet[Applicant]:
    """Office: all. Department (A9): those of its sector or area. Applicant: its own.
    Anyone else (and a department without sector or area): none. Roles add up."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Applicant.objects.none()
    if user.has_role(Role.OFFICE):
        return applicants_base()
    condition = Q(pk__in=[])
    if user.has_role(Role.DEPARTMENT):
        sector, area = department_scope(user)
        if sector:
            condition |= Q(sector=sector)
        if area:
            condition |= Q(area=area)
    if user.has_role(Role.APPLICANT):
        condition |= Q(users=user)
    return applicants_base().filter(condition).distinct()


def applicants_of_user(*, user) -> QuerySet[Applicant]:
    """The applicants a user account acts for (usually one)."""
    if not getattr(user, "is_authenticated", False):
        return Applicant.objects.none()
    return applicants_base().filter(users=user)
