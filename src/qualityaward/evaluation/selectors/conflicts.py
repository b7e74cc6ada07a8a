"""The adapter between the database and the pure conflict check, and reads of conflicts.

`conflicted_applicant_ids(*, user)` is what every view of an application uses to
answer 404 to a user who must recuse (A25)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from qualityaward.accounts.scoping import awards_of
from qualityaward.applications.models import Applicant
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import CycleStatus
from qualityaward.cycles.models import Cycle
from qualityaward.rulesets.enums import VersionStatus
from qualityaward.rulesets.models import RuleSetVersion

from ..conflicts import (
    ApplicantFacts,
    EmploymentFact,
    ExpertDeclarationFact,
    ExpertFacts,
    GroupFacts,
)
from ..models import (
    Conflict,
    ConflictDeclaration,
    Employment,
    Expert,
    OrganisationGroup,
    StaffConflict,
)

# --- the recusal period ----------------------------------------------------------------


def recusal_years(*, on: datetime.date) -> int:
    """`recusal_employment_years` in force: the largest (strictest) value among the rule
    set versions of open cycles, else among the active versions in effect on `on`, else
    among all active versions. Conflicts are per expert and applicant, not per cycle,
    so the strictest period wins."""
    versions = RuleSetVersion.objects.filter(
        pk__in=Cycle.objects.filter(status=CycleStatus.OPEN).values("rule_set_version")
    )
    if not versions.exists():
        active = RuleSetVersion.objects.filter(status=VersionStatus.ACTIVE)
        in_effect = active.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )
        versions = in_effect if in_effect.exists() else active
    values = [int(version.rules.recusal_employment_years.value) for version in versions]
    if not values:
        raise QualityAwardError(
            _(
                "No active rule set gives the recusal period for former employers: load or "
                "activate a rule set first."
            ),
            code="no_rule_set",
        )
    return max(values)


# --- facts -----------------------------------------------------------------------------


def expert_facts(experts: QuerySet[Expert]) -> list[ExpertFacts]:
    """Two queries beyond the experts: employments and live declarations."""
    experts = experts.prefetch_related(
        Prefetch("employments", Employment.objects.select_related("organisation")),
        Prefetch("declarations", ConflictDeclaration.objects.filter(withdrawn_at__isnull=True)),
    )
    return [
        ExpertFacts(
            id=expert.pk,
            name=expert.name,
            employments=[
                EmploymentFact(
                    id=job.pk,
                    organisation_name=job.organisation.name
                    if job.organisation
                    else job.organisation_name,
                    credit_code=job.organisation.credit_code
                    if job.organisation
                    else job.credit_code,
                    start=job.start_date,
                    end=job.end_date,
                    position=job.position,
                )
                for job in expert.employments.all()
            ],
            declarations=[
                ExpertDeclarationFact(
                    id=declaration.pk,
                    kind=declaration.kind,
                    applicant_id=declaration.applicant_id,
                    name=declaration.name,
                    credit_code=declaration.credit_code,
                    description=declaration.description,
                )
                for declaration in expert.declarations.all()
            ],
        )
        for expert in experts
    ]


def applicant_facts(applicants: QuerySet[Applicant]) -> list[ApplicantFacts]:
    facts = []
    for applicant in applicants.select_related("organisation", "individual__employer"):
        if applicant.is_individual:
            person = applicant.individual
            facts.append(
                ApplicantFacts(
                    id=applicant.pk,
                    name=applicant.name,
                    is_individual=True,
                    employer_name=person.employer_display,
                    employer_credit_code=person.employer.credit_code if person.employer else "",
                )
            )
        else:
            facts.append(
                ApplicantFacts(
                    id=applicant.pk,
                    name=applicant.name,
                    credit_code=applicant.organisation.credit_code,
                )
            )
    return facts


def group_facts() -> list[GroupFacts]:
    return [
        GroupFacts(
            id=group.pk,
            name=group.name,
            credit_codes=frozenset(member.credit_code for member in group.members.all()),
        )
        for group in OrganisationGroup.objects.prefetch_related("members")
    ]


# --- reads -----------------------------------------------------------------------------


def conflicted_applicant_ids(*, user) -> set[int]:
    """The applicants the user must recuse from: as an expert (active conflicts) or as
    staff (recorded interests). Two small queries."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(
        Conflict.objects.filter(expert__user=user, active=True).values_list(
            "applicant_id", flat=True
        )
    )
    ids.update(
        StaffConflict.objects.filter(user=user, active=True).values_list("applicant_id", flat=True)
    )
    return ids


def conflict_pairs(
    *, expert_ids: Iterable[int] | None = None, applicant_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """Active conflicts as (expert id, applicant id) pairs: the solvers' conflict set
    (the panels part maps applicant ids to application ids)."""
    conflicts = Conflict.objects.filter(active=True)
    if expert_ids is not None:
        conflicts = conflicts.filter(expert_id__in=list(expert_ids))
    if applicant_ids is not None:
        conflicts = conflicts.filter(applicant_id__in=list(applicant_ids))
    return set(conflicts.values_list("expert_id", "applicant_id"))


def _of_visible_applicants(conflicts: QuerySet, user) -> QuerySet:
    """Staff limited to awards read the conflicts with their awards' applicants only."""
    if user is None or awards_of(user) is None:
        return conflicts
    from qualityaward.applications.selectors.applicants import applicants_visible_to

    return conflicts.filter(applicant__in=applicants_visible_to(user=user).values("pk"))


def conflicts_list(
    *, active: bool | None = True, expert=None, applicant=None, user=None
) -> QuerySet[Conflict]:
    conflicts = _of_visible_applicants(Conflict.objects.select_related("expert", "applicant"), user)
    if active is not None:
        conflicts = conflicts.filter(active=active)
    if expert is not None:
        conflicts = conflicts.filter(expert=expert)
    if applicant is not None:
        conflicts = conflicts.filter(applicant=applicant)
    return conflicts.order_by("applicant__name", "expert__name", "kind", "pk")


def staff_conflicts_list(*, active: bool | None = True, user=None) -> QuerySet[StaffConflict]:
    conflicts = _of_visible_applicants(
        StaffConflict.objects.select_related("user", "applicant", "recorded_by"), user
    )
    if active is not None:
        conflicts = conflicts.filter(active=active)
    return conflicts


def declarations_of(*, expert: Expert) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(expert=expert).select_related("applicant")


def groups_list() -> QuerySet[OrganisationGroup]:
    return OrganisationGroup.objects.prefetch_related("members")
