"""Who may do what in the evaluation app (django-rules), and the recusal predicate.

`has_conflict(user, applicant)` is true when the user must recuse from the applicant
(A25): as an expert with an active conflict, or as a staff member with a recorded
interest. The applicant may be an Applicant or its id."""

from __future__ import annotations

import rules
from django.db.models import Exists

from qualityaward.accounts.rules import (
    is_agency,
    is_applicant,
    is_expert,
    is_office,
    is_supervisor,
    is_working_group,
)
from qualityaward.applications.models import Applicant

from .models import AgencyCoordinator, Conflict, PanelMember, Procurement, StaffConflict


def _applicant_id(applicant) -> int | None:
    if applicant is None:
        return None
    return applicant if isinstance(applicant, int) else applicant.pk


@rules.predicate
def has_conflict(user, applicant) -> bool:
    applicant_id = _applicant_id(applicant)
    if applicant_id is None or not getattr(user, "is_authenticated", False):
        return False
    # Both kinds of conflict in one query.
    as_expert = Conflict.objects.filter(expert__user=user, applicant_id=applicant_id, active=True)
    as_staff = StaffConflict.objects.filter(user=user, applicant_id=applicant_id, active=True)
    return Applicant.objects.filter(Exists(as_expert) | Exists(as_staff), pk=applicant_id).exists()


def coordinated_agency_ids(user) -> frozenset[int]:
    """The agencies the user coordinates, read once per user object."""
    cached = user.__dict__.get("_evaluation_agency_ids")
    if cached is None:
        cached = (
            frozenset(
                AgencyCoordinator.objects.filter(user=user).values_list("agency_id", flat=True)
            )
            if getattr(user, "is_authenticated", False)
            else frozenset()
        )
        user.__dict__["_evaluation_agency_ids"] = cached
    return cached


@rules.predicate
def is_coordinator_of_agency(user, agency) -> bool:
    return agency is not None and is_agency(user) and agency.pk in coordinated_agency_ids(user)


@rules.predicate
def is_coordinator_of_expert(user, expert) -> bool:
    return (
        expert is not None and is_agency(user) and expert.agency_id in coordinated_agency_ids(user)
    )


@rules.predicate
def is_own_expert_profile(user, expert) -> bool:
    return (
        expert is not None
        and is_expert(user)
        and getattr(user, "is_authenticated", False)
        and expert.user_id == user.pk
    )


is_any_coordinator = rules.predicate(
    lambda user: bool(is_agency(user) and coordinated_agency_ids(user)),
    name="is_any_coordinator",
)

# --- panels and scoring (A18) -------------------------------------------------------------


def cycle_agency_ids(cycle) -> frozenset[int]:
    """The agencies procured for the cycle (A17)."""
    if cycle is None:
        return frozenset()
    return frozenset(Procurement.objects.filter(cycle=cycle).values_list("agency_id", flat=True))


@rules.predicate
def is_coordinator_of_cycle(user, cycle) -> bool:
    """A coordinator of an agency procured for the cycle forms its panels."""
    return (
        cycle is not None
        and is_agency(user, cycle)
        and bool(coordinated_agency_ids(user) & cycle_agency_ids(cycle))
    )


@rules.predicate
def is_coordinator_of_panel(user, panel) -> bool:
    return panel is not None and is_coordinator_of_cycle(user, panel.cycle)


@rules.predicate
def has_application_conflict(user, application) -> bool:
    """The user must recuse from the application's applicant (A25)."""
    return application is not None and has_conflict(user, application.applicant_id)


@rules.predicate
def panel_conflicted(user, panel) -> bool:
    return panel is not None and has_conflict(user, panel.application.applicant_id)


@rules.predicate
def is_panel_member(user, panel) -> bool:
    return (
        panel is not None
        and getattr(user, "is_authenticated", False)
        and PanelMember.objects.filter(panel=panel, expert__user=user).exists()
    )


@rules.predicate
def is_panel_lead(user, panel) -> bool:
    return (
        panel is not None
        and panel.lead_id is not None
        and getattr(user, "is_authenticated", False)
        and panel.lead.user_id == user.pk
    )


@rules.predicate
def is_own_membership(user, member) -> bool:
    return (
        member is not None
        and getattr(user, "is_authenticated", False)
        and member.expert.user_id == user.pk
    )


@rules.predicate
def membership_conflicted(user, member) -> bool:
    return member is not None and has_conflict(user, member.panel.application.applicant_id)


rules.add_perm("evaluation.view_panels", is_office | is_supervisor | is_coordinator_of_cycle)
rules.add_perm("evaluation.manage_panels", is_coordinator_of_cycle)
rules.add_perm(
    "evaluation.view_panel",
    (is_office | is_supervisor | is_coordinator_of_panel | is_panel_member) & ~panel_conflicted,
)
rules.add_perm("evaluation.change_panel", is_coordinator_of_panel & ~panel_conflicted)
rules.add_perm("evaluation.lead_panel", is_panel_lead & ~panel_conflicted)
rules.add_perm("evaluation.act_as_member", is_own_membership & ~membership_conflicted)
rules.add_perm("evaluation.view_results", is_office | is_supervisor)

rules.add_perm("evaluation.manage_agencies", is_office)
rules.add_perm("evaluation.list_agencies", is_office | is_agency)
rules.add_perm("evaluation.list_experts", is_office | is_supervisor | is_agency)
rules.add_perm("evaluation.own_profile", is_expert)
rules.add_perm("evaluation.view_agency", is_office | is_coordinator_of_agency)
rules.add_perm("evaluation.manage_agency_experts", is_office | is_coordinator_of_agency)
rules.add_perm(
    "evaluation.view_expert",
    is_office | is_supervisor | is_coordinator_of_expert | is_own_expert_profile,
)
rules.add_perm(
    "evaluation.change_expert", is_office | is_coordinator_of_expert | is_own_expert_profile
)
rules.add_perm("evaluation.declare_interest", is_own_expert_profile)
rules.add_perm("evaluation.supervise_experts", is_office)
rules.add_perm("evaluation.manage_groups", is_office)
rules.add_perm("evaluation.manage_staff_conflicts", is_office)
rules.add_perm("evaluation.view_conflicts", is_office | is_supervisor)

# --- reports, feedback and oversight (A26, A8) ----------------------------------------------


def results_published(cycle) -> bool:
    """A publication of the cycle's results exists (decisions app); none: not published."""
    from django.apps import apps

    try:
        publication = apps.get_model("decisions", "ResultPublication")
    except LookupError:
        return False
    return cycle is not None and publication.objects.filter(cycle=cycle).exists()


@rules.predicate
def is_own_published_application(user, application) -> bool:
    """A user of the applicant, once the cycle's results are published."""
    from qualityaward.applications.rules import is_application_owner

    return (
        application is not None
        and is_applicant(user)
        and is_application_owner(user, application)
        and results_published(application.cycle)
    )


rules.add_perm(
    "evaluation.view_report",
    (is_office | is_supervisor | is_own_published_application) & ~has_application_conflict,
)
rules.add_perm("evaluation.download_score_sheets", is_office | is_working_group)
rules.add_perm("evaluation.score_sheets_with_names", is_office)
# All the cycle's reports at once (exports app); each report is still view_report's.
rules.add_perm("evaluation.export_reports", is_office)
rules.add_perm("evaluation.view_oversight", is_office | is_supervisor)
rules.add_perm("evaluation.record_misconduct", is_office)
