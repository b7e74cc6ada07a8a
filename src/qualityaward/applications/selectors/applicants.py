"""Which applicants a user may see, and the user's own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import award_filter, awards_of

from ..models import Applicant, Application
from ..rules import department_scope


def applicants_base() -> QuerySet[Applicant]:
    return Applicant.objects.select_related(
        "organisation", "individual", "individual__employer"
    ).prefetch_related("users")


def _of_awards(user, role: Role) -> Q:
    """Staff limited to awards see the applicants that applied to them, and those that
    have not applied yet (they may apply to any award's open call)."""
    awards = awards_of(user, [role])
    if awards is None:
        return Q()
    applied = Application.objects.filter(award_filter(user, [role]))
    return Q(pk__in=applied.values("applicant_id")) | ~Q(
        pk__in=Application.objects.values("applicant_id")
    )


def sees_every_applicant(user) -> bool:
    """The office not limited to awards: `applicants_visible_to` filters nothing."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_role(Role.OFFICE)
        and awards_of(user, [Role.OFFICE]) is None
    )


def applicants_visible_to(*, user) -> QuerySet[Applicant]:
    """Office: all. Department (A9): those of its sector or area. Applicant: its own.
    Anyone else (and a department without sector or area): none. Roles add up. Staff
    limited to awards: of those, the applicants of their awards (`_of_awards`)."""
    if sees_every_applicant(user):
        return applicants_base()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Applicant.objects.none()
    condition = Q(pk__in=[])
    if user.has_role(Role.OFFICE):
        condition |= _of_awards(user, Role.OFFICE)
    if user.has_role(Role.DEPARTMENT):
        sector, area = department_scope(user)
        if sector:
            condition |= Q(sector=sector) & _of_awards(user, Role.DEPARTMENT)
        if area:
            condition |= Q(area=area) & _of_awards(user, Role.DEPARTMENT)
    if user.has_role(Role.APPLICANT):
        condition |= Q(users=user)
    return applicants_base().filter(condition).distinct()


def applicants_of_user(*, user) -> QuerySet[Applicant]:
    """The applicants a user account acts for (usually one)."""
    if not getattr(user, "is_authenticated", False):
        return Applicant.objects.none()
    return applicants_base().filter(users=user)
