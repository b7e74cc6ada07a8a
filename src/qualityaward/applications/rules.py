"""Who may see and change applicants and the office's records (django-rules).

Object-level predicates take the Applicant (or an Organisation/Individual, which are
Applicants)."""

from __future__ import annotations

import rules

from qualityaward.accounts.enums import Role
from qualityaward.accounts.rules import is_applicant, is_department, is_office

from .enums import Area, Sector


def department_scope(user) -> tuple[str, str]:
    """(sector, area) of the user's department grant, as Sector/Area values ("" if none).

    Read once per user object. RoleGrant may hold the value or its Chinese name."""
    cached = user.__dict__.get("_applications_department_scope")
    if cached is None:
        grant = (
            user.role_grants.filter(role=Role.DEPARTMENT).values_list("sector", "area").first()
            if user.is_authenticated and user.has_role(Role.DEPARTMENT)
            else None
        )
        cached = (Sector.of(grant[0]), Area.of(grant[1])) if grant else ("", "")
        user.__dict__["_applications_department_scope"] = cached
    return cached


@rules.predicate
def is_own_applicant(user, applicant) -> bool:
    if applicant is None or not getattr(user, "is_authenticated", False):
        return False
    return any(linked.pk == user.pk for linked in applicant.users.all())


@rules.predicate
def is_department_of_applicant(user, applicant) -> bool:
    if applicant is None or not is_department(user):
        return False
    sector, area = department_scope(user)
    return bool((sector and applicant.sector == sector) or (area and applicant.area == area))


rules.add_perm("applications.list_applicants", is_office | is_department)
rules.add_perm(
    "applications.view_applicant", is_office | is_own_applicant | is_department_of_applicant
)
rules.add_perm("applications.change_applicant", is_office | (is_applicant & is_own_applicant))
rules.add_perm("applications.view_full_id_number", is_office)
rules.add_perm("applications.view_eligibility", is_office | is_own_applicant)
rules.add_perm("applications.change_annual_results", is_office | (is_applicant & is_own_applicant))
rules.add_perm("applications.manage_records", is_office)
rules.add_perm("applications.link_applicant_user", is_office)


# --- applications (A15, A16): predicates take the Application ---------------------------


@rules.predicate
def is_application_owner(user, application) -> bool:
    return application is not None and is_own_applicant(user, application.applicant)


@rules.predicate
def is_department_of_application(user, application) -> bool:
    return (
        application is not None
        and is_department(user, application)
        and is_department_of_applicant(user, application.applicant)
    )


@rules.predicate
def has_conflict_with_application(user, application) -> bool:
    """A25: an expert or staff member with an interest in the applicant recuses and gets
    404 on everything of the application (evaluation.rules.has_conflict)."""
    from qualityaward.evaluation.rules import has_conflict

    return application is not None and has_conflict(user, application.applicant_id)


rules.add_perm("applications.manage_calls", is_office)
rules.add_perm(
    "applications.view_application",
    (is_office | is_application_owner | is_department_of_application)
    & ~has_conflict_with_application,
)
rules.add_perm("applications.act_for_application", is_applicant & is_application_owner)
rules.add_perm("applications.review_application", is_office)
rules.add_perm("applications.list_applications", is_office | is_department)
