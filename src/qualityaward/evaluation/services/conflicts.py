"""Conflicts of interest (A25): declarations, groups of companies, staff interests, and
the refresh that keeps the stored conflicts equal to what the records say.

Run `conflicts_refresh` whenever something it reads changes: an employment, a
declaration, an expert's name, a group, an applicant's declared interests, and before
panels are formed. The services of this app call it themselves."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.applications.models import Applicant
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError

from ..conflicts import DeclaredInterest, find_conflicts, normalise_code
from ..enums import ConflictKind
from ..interests import declared_interests
from ..models import (
    Conflict,
    ConflictDeclaration,
    Expert,
    OrganisationGroup,
    OrganisationGroupMember,
    StaffConflict,
)
from ..selectors.conflicts import applicant_facts, expert_facts, group_facts, recusal_years


@dataclass(frozen=True)
class RefreshResult:
    found: list[Conflict]  # new, or holding again
    cleared: list[Conflict]  # no longer holding
    active: int  # active conflicts in the scope after the refresh


def _ids(objects: Iterable | None) -> list[int] | None:
    if objects is None:
        return None
    return [o if isinstance(o, int) else o.pk for o in objects]


def _conflict_changes(conflict: Conflict) -> dict:
    return {
        "expert": conflict.expert_id,
        "expert_name": conflict.expert.name,
        "applicant": conflict.applicant_id,
        "applicant_name": conflict.applicant.name,
        "kind": conflict.kind,
        "source": conflict.source,
        "basis": conflict.basis,
        "explanation": conflict.explanation,
    }


@transaction.atomic
def conflicts_refresh(
    *,
    experts: Iterable[Expert | int] | None = None,
    applicants: Iterable[Applicant | int] | None = None,
    actor,
    on: datetime.date | None = None,
    interests: Iterable[DeclaredInterest] | None = None,
) -> RefreshResult:
    """Recompute the conflicts between the experts and the applicants given (all when
    None) and store the difference: each conflict found anew is created (or made active
    again) and audit-logged ("evaluation.conflict_found"); each that no longer holds is
    kept but made inactive and audit-logged ("evaluation.conflict_cleared").

    `interests`: the applicants' declared interests; when None they are read from the
    registered sources (`evaluation.interests`)."""
    on = on or timezone.localdate()
    years = recusal_years(on=on)
    expert_ids, applicant_ids = _ids(experts), _ids(applicants)
    expert_qs = Expert.objects.order_by("pk")
    applicant_qs = Applicant.objects.order_by("pk")
    if expert_ids is not None:
        expert_qs = expert_qs.filter(pk__in=expert_ids)
    if applicant_ids is not None:
        applicant_qs = applicant_qs.filter(pk__in=applicant_ids)
    applicant_list = applicant_facts(applicant_qs)
    scope_applicants = {a.id for a in applicant_list}
    if interests is None:
        interests = declared_interests(None if applicant_ids is None else scope_applicants)
    findings = find_conflicts(
        experts=expert_facts(expert_qs),
        applicants=applicant_list,
        on=on,
        employment_years=years,
        groups=group_facts(),
        interests=list(interests),
    )
    existing_qs = Conflict.objects.select_for_update().select_related("expert", "applicant")
    if expert_ids is not None:
        existing_qs = existing_qs.filter(expert_id__in=expert_ids)
    if applicant_ids is not None:
        existing_qs = existing_qs.filter(applicant_id__in=applicant_ids)
    existing = {(c.expert_id, c.applicant_id, c.kind, c.source, c.basis): c for c in existing_qs}
    now = timezone.now()
    found: list[Conflict] = []
    seen = set()
    for finding in findings:
        seen.add(finding.key)
        conflict = existing.get(finding.key)
        if conflict is None:
            conflict = Conflict.objects.create(
                expert_id=finding.expert_id,
                applicant_id=finding.applicant_id,
                kind=finding.kind,
                source=finding.source,
                basis=finding.basis[:300],
                explanation=finding.explanation,
                detected_at=now,
            )
        elif not conflict.active:
            conflict.active, conflict.cleared_at = True, None
            conflict.explanation, conflict.detected_at = finding.explanation, now
            conflict.save(update_fields=["active", "cleared_at", "explanation", "detected_at"])
        else:
            if conflict.explanation != finding.explanation:
                conflict.explanation = finding.explanation
                conflict.save(update_fields=["explanation"])
            continue
        found.append(conflict)
        audit_append(
            actor=actor,
            action="evaluation.conflict_found",
            obj=conflict,
            changes=_conflict_changes(conflict),
        )
    cleared: list[Conflict] = []
    for key, conflict in existing.items():
        if key in seen or not conflict.active:
            continue
        conflict.active, conflict.cleared_at = False, now
        conflict.save(update_fields=["active", "cleared_at"])
        cleared.append(conflict)
        audit_append(
            actor=actor,
            action="evaluation.conflict_cleared",
            obj=conflict,
            changes=_conflict_changes(conflict),
        )
    return RefreshResult(found=found, cleared=cleared, active=len(seen))


# --- declarations by experts -----------------------------------------------------------


@transaction.atomic
def declaration_add(
    *,
    expert: Expert,
    kind: str,
    applicant: Applicant | None = None,
    name: str = "",
    credit_code: str = "",
    description: str = "",
    actor,
) -> ConflictDeclaration:
    if kind not in ConflictKind.values:
        raise QualityAwardError(_("Choose the kind of relation."), code="invalid_kind")
    name, credit_code = name.strip(), normalise_code(credit_code)
    if applicant is None and not name and not credit_code:
        raise QualityAwardError(
            _("Name the applicant, organisation or person the relation is with."),
            code="required",
        )
    declaration = ConflictDeclaration.objects.create(
        expert=expert,
        kind=kind,
        applicant=applicant,
        name=name[:200],
        credit_code=credit_code[:18],
        description=description.strip(),
    )
    audit_append(
        actor=actor,
        action="evaluation.declaration_add",
        obj=declaration,
        changes={
            "expert": expert.pk,
            "kind": kind,
            "applicant": applicant.pk if applicant else None,
            "name": declaration.name,
            "credit_code": declaration.credit_code,
            "description": declaration.description,
        },
    )
    conflicts_refresh(experts=[expert], actor=actor)
    return declaration


@transaction.atomic
def declaration_withdraw(*, declaration: ConflictDeclaration, actor) -> ConflictDeclaration:
    declaration = ConflictDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.withdrawn_at is not None:
        raise QualityAwardError(_("The declaration is already withdrawn."), code="withdrawn")
    declaration.withdrawn_at = timezone.now()
    declaration.save(update_fields=["withdrawn_at", "updated_at"])
    audit_append(actor=actor, action="evaluation.declaration_withdraw", obj=declaration)
    conflicts_refresh(experts=[declaration.expert_id], actor=actor)
    return declaration


# --- groups of companies (office) ------------------------------------------------------


@transaction.atomic
def group_create(*, name: str, notes: str = "", actor) -> OrganisationGroup:
    name = name.strip()
    if not name:
        raise QualityAwardError(_("Name the group."), code="required")
    if OrganisationGroup.objects.filter(name=name).exists():
        raise QualityAwardError(_("A group with this name exists already."), code="duplicate")
    group = OrganisationGroup.objects.create(name=name, notes=notes.strip())
    audit_append(actor=actor, action="evaluation.group_create", obj=group, changes={"name": name})
    return group


@transaction.atomic
def group_member_add(
    *, group: OrganisationGroup, credit_code: str, name: str = "", actor
) -> OrganisationGroupMember:
    code = normalise_code(credit_code)
    if not code:
        raise QualityAwardError(_("Give the member's credit code."), code="required")
    if OrganisationGroupMember.objects.filter(group=group, credit_code=code).exists():
        raise QualityAwardError(_("This organisation is in the group already."), code="duplicate")
    member = OrganisationGroupMember.objects.create(
        group=group, credit_code=code[:18], name=name.strip()[:200]
    )
    audit_append(
        actor=actor,
        action="evaluation.group_member_add",
        obj=group,
        changes={"credit_code": code, "name": member.name},
    )
    conflicts_refresh(actor=actor)
    return member


@transaction.atomic
def group_member_remove(*, member: OrganisationGroupMember, actor) -> None:
    group = member.group
    audit_append(
        actor=actor,
        action="evaluation.group_member_remove",
        obj=group,
        changes={"credit_code": member.credit_code, "name": member.name},
    )
    member.delete()
    conflicts_refresh(actor=actor)


# --- staff interests -------------------------------------------------------------------


@transaction.atomic
def staff_conflict_record(*, user, applicant: Applicant, reason: str, actor) -> StaffConflict:
    """Record that a staff member has an interest in an applicant: from now on
    `has_conflict(user, applicant)` is true and the applicant is hidden from them."""
    if not reason.strip():
        raise QualityAwardError(_("Give the reason for the recusal."), code="required")
    if not isinstance(user, get_user_model()):
        raise QualityAwardError(_("Choose a user."), code="required")
    if StaffConflict.objects.filter(user=user, applicant=applicant, active=True).exists():
        raise QualityAwardError(_("This interest is recorded already."), code="duplicate")
    conflict = StaffConflict.objects.create(
        user=user, applicant=applicant, reason=reason.strip(), recorded_by=actor
    )
    audit_append(
        actor=actor,
        action="evaluation.staff_conflict_record",
        obj=conflict,
        changes={"user": user.pk, "applicant": applicant.pk, "reason": conflict.reason},
    )
    return conflict


@transaction.atomic
def staff_conflict_end(*, conflict: StaffConflict, reason: str, actor) -> StaffConflict:
    conflict = StaffConflict.objects.select_for_update().get(pk=conflict.pk)
    if not conflict.active:
        raise QualityAwardError(_("This interest has ended already."), code="ended")
    if not reason.strip():
        raise QualityAwardError(_("Give the reason."), code="required")
    conflict.active, conflict.ended_at = False, timezone.now()
    conflict.save(update_fields=["active", "ended_at", "updated_at"])
    audit_append(
        actor=actor,
        action="evaluation.staff_conflict_end",
        obj=conflict,
        changes={"reason": reason.strip()},
    )
    return conflict
