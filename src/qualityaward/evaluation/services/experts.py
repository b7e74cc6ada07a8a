"""The expert pool: profiles, qualifications, employment history, and the office's
supervision (A8: suspend, reinstate). Employment changes re-run the conflict check."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import Sector
from qualityaward.applications.models import Organisation
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError

from ..conflicts import normalise_code
from ..enums import ExpertStatus, QualificationKind
from ..models import Agency, Employment, Expert, Qualification
from ._changes import save_changed_fields
from .conflicts import conflicts_refresh

PROFILE_FIELDS = ("name", "expertise", "sectors", "available_from", "available_until")


def _clean_profile(
    *,
    name: str,
    expertise: str,
    sectors: Iterable[str],
    available_from: datetime.date | None,
    available_until: datetime.date | None,
) -> dict:
    name = (name or "").strip()
    if not name:
        raise QualityAwardError(_("Give the expert's name."), code="required")
    sector_list = sorted({s for s in sectors})
    unknown = [s for s in sector_list if s not in Sector.values]
    if unknown:
        raise QualityAwardError(
            _("Unknown sector: %(sectors)s.") % {"sectors": ", ".join(unknown)},
            code="invalid_sector",
        )
    if available_from and available_until and available_until < available_from:
        raise QualityAwardError(
            _("The end of the availability cannot come before its start."), code="invalid_dates"
        )
    return {
        "name": name[:100],
        "expertise": (expertise or "").strip(),
        "sectors": sector_list,
        "available_from": available_from,
        "available_until": available_until,
    }


@transaction.atomic
def expert_create(
    *,
    agency: Agency,
    user,
    name: str,
    expertise: str = "",
    sectors: Iterable[str] = (),
    available_from: datetime.date | None = None,
    available_until: datetime.date | None = None,
    actor,
) -> Expert:
    """Add an expert to an agency's pool. The user must hold the expert role."""
    if not user.has_role(Role.EXPERT):
        raise QualityAwardError(
            _("Only a user with the expert role can be added to the pool."), code="wrong_role"
        )
    if Expert.objects.filter(user=user).exists():
        raise QualityAwardError(_("This user has an expert profile already."), code="duplicate")
    values = _clean_profile(
        name=name,
        expertise=expertise,
        sectors=sectors,
        available_from=available_from,
        available_until=available_until,
    )
    expert = Expert.objects.create(agency=agency, user=user, **values)
    audit_append(
        actor=actor,
        action="evaluation.expert_create",
        obj=expert,
        changes={"agency": agency.pk, "user": user.pk, **values},
    )
    return expert


@transaction.atomic
def expert_update(
    *,
    expert: Expert,
    name: str,
    expertise: str,
    sectors: Iterable[str],
    available_from: datetime.date | None,
    available_until: datetime.date | None,
    actor,
) -> Expert:
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    values = _clean_profile(
        name=name,
        expertise=expertise,
        sectors=sectors,
        available_from=available_from,
        available_until=available_until,
    )
    changes = save_changed_fields(expert, values)
    if changes:
        audit_append(actor=actor, action="evaluation.expert_update", obj=expert, changes=changes)
        if "name" in changes:  # applicants may declare an interest in a person by name
            conflicts_refresh(experts=[expert], actor=actor)
    return expert


def _set_status(*, expert: Expert, status: str, reason: str, actor, action: str) -> Expert:
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    reason = (reason or "").strip()
    if not reason:
        raise QualityAwardError(_("Give the reason."), code="required")
    if expert.status == status:
        raise QualityAwardError(
            _("The expert is %(status)s already.") % {"status": ExpertStatus(status).label.lower()},
            code="unchanged",
        )
    old = expert.status
    expert.status, expert.status_reason = status, reason
    expert.status_changed_at = timezone.now()
    expert.status_changed_by = actor if getattr(actor, "is_authenticated", False) else None
    expert.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_changed_by",
            "updated_at",
        ]
    )
    audit_append(
        actor=actor,
        action=action,
        obj=expert,
        changes={"status": [old, status], "reason": reason},
    )
    return expert


@transaction.atomic
def expert_suspend(*, expert: Expert, reason: str, actor) -> Expert:
    """A8: the office suspends an expert, who is then never assigned."""
    return _set_status(
        expert=expert,
        status=ExpertStatus.SUSPENDED,
        reason=reason,
        actor=actor,
        action="evaluation.expert_suspend",
    )


@transaction.atomic
def expert_reinstate(*, expert: Expert, reason: str, actor) -> Expert:
    return _set_status(
        expert=expert,
        status=ExpertStatus.ACTIVE,
        reason=reason,
        actor=actor,
        action="evaluation.expert_reinstate",
    )


# --- qualifications --------------------------------------------------------------------


@transaction.atomic
def qualification_add(
    *,
    expert: Expert,
    kind: str,
    title: str = "",
    certificate_number: str = "",
    valid_until: datetime.date | None = None,
    actor,
) -> Qualification:
    if kind not in QualificationKind.values:
        raise QualityAwardError(_("Choose the qualification."), code="invalid_kind")
    if kind == QualificationKind.OTHER and not title.strip():
        raise QualityAwardError(_("Give the qualification's title."), code="required")
    qualification = Qualification.objects.create(
        expert=expert,
        kind=kind,
        title=title.strip()[:200],
        certificate_number=certificate_number.strip()[:100],
        valid_until=valid_until,
    )
    audit_append(
        actor=actor,
        action="evaluation.qualification_add",
        obj=expert,
        changes={
            "qualification": qualification.pk,
            "kind": kind,
            "title": qualification.title,
            "certificate_number": qualification.certificate_number,
            "valid_until": valid_until,
        },
    )
    return qualification


@transaction.atomic
def qualification_remove(*, qualification: Qualification, actor) -> None:
    audit_append(
        actor=actor,
        action="evaluation.qualification_remove",
        obj=qualification.expert,
        changes={"qualification": qualification.pk, "kind": qualification.kind},
    )
    qualification.delete()


# --- employment history ----------------------------------------------------------------


def _clean_employment(
    *,
    organisation_name: str,
    credit_code: str,
    organisation: Organisation | None,
    start_date: datetime.date,
    end_date: datetime.date | None,
    position: str,
) -> dict:
    if organisation is not None:
        organisation_name = organisation_name.strip() or organisation.name
        credit_code = credit_code.strip() or organisation.credit_code
    organisation_name = (organisation_name or "").strip()
    if not organisation_name:
        raise QualityAwardError(_("Give the organisation's name."), code="required")
    if end_date is not None and end_date < start_date:
        raise QualityAwardError(
            _("The end of the employment cannot come before its start."), code="invalid_dates"
        )
    if start_date > timezone.localdate():
        raise QualityAwardError(_("The start cannot be in the future."), code="invalid_dates")
    return {
        "organisation_name": organisation_name[:200],
        "credit_code": normalise_code(credit_code)[:18],
        "organisation": organisation,
        "start_date": start_date,
        "end_date": end_date,
        "position": (position or "").strip()[:100],
    }


def _employment_changes(values: dict) -> dict:
    return {
        **{k: v for k, v in values.items() if k != "organisation"},
        "organisation": values["organisation"].pk if values["organisation"] else None,
    }


@transaction.atomic
def employment_add(
    *,
    expert: Expert,
    organisation_name: str = "",
    credit_code: str = "",
    organisation: Organisation | None = None,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    position: str = "",
    actor,
) -> Employment:
    """Add a job to the expert's history and re-run the conflict check for the expert."""
    values = _clean_employment(
        organisation_name=organisation_name,
        credit_code=credit_code,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        position=position,
    )
    employment = Employment.objects.create(expert=expert, **values)
    audit_append(
        actor=actor,
        action="evaluation.employment_add",
        obj=employment,
        changes={"expert": expert.pk, **_employment_changes(values)},
    )
    conflicts_refresh(experts=[expert], actor=actor)
    return employment


@transaction.atomic
def employment_update(
    *,
    employment: Employment,
    organisation_name: str,
    credit_code: str,
    organisation: Organisation | None,
    start_date: datetime.date,
    end_date: datetime.date | None,
    position: str,
    actor,
) -> Employment:
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    values = _clean_employment(
        organisation_name=organisation_name,
        credit_code=credit_code,
        organisation=organisation,
        start_date=start_date,
        end_date=end_date,
        position=position,
    )
    changes = save_changed_fields(employment, values)
    if changes:
        if "organisation" in changes:
            changes["organisation"] = [getattr(o, "pk", None) for o in changes["organisation"]]
        audit_append(
            actor=actor, action="evaluation.employment_update", obj=employment, changes=changes
        )
        conflicts_refresh(experts=[employment.expert_id], actor=actor)
    return employment


@transaction.atomic
def employment_remove(*, employment: Employment, actor) -> None:
    expert_id = employment.expert_id
    audit_append(
        actor=actor,
        action="evaluation.employment_remove",
        obj=employment,
        changes={
            "expert": expert_id,
            "organisation_name": employment.organisation_name,
            "credit_code": employment.credit_code,
            "start_date": employment.start_date,
            "end_date": employment.end_date,
        },
    )
    employment.delete()
    conflicts_refresh(experts=[expert_id], actor=actor)
