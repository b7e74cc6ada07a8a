"""Registering and editing applicants. Each function checks, writes and audits in one
transaction; errors are QualityAwardError with a message for the user."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.accounts.services import role_grant, user_create
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, NotAllowed, QualityAwardError

from ..enums import Area, OwnershipType, Sector
from ..models import Applicant, Individual, Organisation
from ..models.applicants import id_number_index
from ..validators import clean_name, validate_credit_code, validate_id_number

ORGANISATION_EDITABLE = (
    "name",
    "registered_address",
    "in_jurisdiction",
    "established_on",
    "ownership",
    "sector",
    "area",
    "is_for_profit",
)
INDIVIDUAL_EDITABLE = (
    "name",
    "employer",
    "employer_name",
    "position",
    "is_top_manager",
    "quality_work_since",
    "sector",
    "area",
)


def _invalid(error: ValidationError) -> QualityAwardError:
    return QualityAwardError(" ".join(error.messages), code="invalid")


def _audit_value(value: Any) -> Any:
    if isinstance(value, Applicant):
        return value.pk
    return value


def _check_choices(*, sector: str, area: str, ownership: str | None = None) -> None:
    if sector not in Sector.values:
        raise QualityAwardError(_("Choose a sector from the list."), code="invalid_sector")
    if area not in Area.values:
        raise QualityAwardError(_("Choose an area from the list."), code="invalid_area")
    if ownership is not None and ownership not in OwnershipType.values:
        raise QualityAwardError(_("Choose an ownership type from the list."), code="invalid")


def _check_established_on(established_on: datetime.date) -> None:
    if established_on > timezone.localdate():
        raise QualityAwardError(
            _("The date of establishment cannot be in the future."), code="invalid_date"
        )


def _check_quality_year(year: int) -> None:
    if not 1950 <= year <= timezone.localdate().year:
        raise QualityAwardError(
            _("Enter the year quality work began, between 1950 and this year."),
            code="invalid_year",
        )


@transaction.atomic
def organisation_create(
    *,
    user,
    credit_code: str,
    name: str,
    registered_address: str,
    in_jurisdiction: bool,
    established_on: datetime.date,
    ownership: str,
    sector: str,
    area: str,
    is_for_profit: bool,
    actor: object = None,
) -> Organisation:
    """An organisation's profile, linked to `user` (who holds or gets the applicant role)."""
    try:
        code = validate_credit_code(credit_code)
        name = clean_name(name)
    except ValidationError as error:
        raise _invalid(error) from None
    if not in_jurisdiction:
        raise QualityAwardError(
            _("Only organisations registered in the city may apply (Article 10(1))."),
            code="not_in_jurisdiction",
        )
    if not registered_address.strip():
        raise QualityAwardError(_("Enter the registered address."), code="required")
    _check_choices(sector=sector, area=area, ownership=ownership)
    _check_established_on(established_on)
    if Organisation.objects.filter(credit_code=code).exists():
        raise Conflict(
            _("An organisation with this credit code is already registered."), code="duplicate"
        )
    organisation = Organisation(
        credit_code=code,
        name=name,
        registered_address=registered_address.strip(),
        in_jurisdiction=True,
        established_on=established_on,
        ownership=ownership,
        sector=sector,
        area=area,
        is_for_profit=is_for_profit,
    )
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise Conflict(
            _("An organisation with this credit code is already registered."), code="duplicate"
        ) from None
    organisation.users.add(user)
    role_grant(user=user, role=Role.APPLICANT, actor=actor or user)
    audit_append(
        actor=actor or user,
        action="applications.organisation_create",
        obj=organisation,
        changes={
            "credit_code": code,
            "name": name,
            "sector": sector,
            "area": area,
            "ownership": ownership,
            "established_on": established_on,
            "user": user.pk,
        },
    )
    return organisation


@transaction.atomic
def individual_create(
    *,
    user,
    id_number: str,
    name: str,
    position: str,
    quality_work_since: int,
    sector: str,
    area: str,
    employer: Organisation | None = None,
    employer_name: str = "",
    is_top_manager: bool = False,
    actor: object = None,
) -> Individual:
    try:
        number = validate_id_number(id_number)
        name = clean_name(name)
        employer_name = clean_name(employer_name) if employer_name.strip() else ""
    except ValidationError as error:
        raise _invalid(error) from None
    if employer is None and not employer_name:
        raise QualityAwardError(_("Enter the employer."), code="required")
    if not position.strip():
        raise QualityAwardError(_("Enter the position."), code="required")
    _check_choices(sector=sector, area=area)
    _check_quality_year(quality_work_since)
    duplicate = _("A person with this identity number is already registered.")
    if Individual.objects.filter(id_number_index=id_number_index(number)).exists():
        raise Conflict(duplicate, code="duplicate")
    individual = Individual(
        id_number=number,
        name=name,
        employer=employer,
        employer_name="" if employer else employer_name,
        position=position.strip(),
        is_top_manager=is_top_manager,
        quality_work_since=quality_work_since,
        sector=sector,
        area=area,
    )
    try:
        with transaction.atomic():
            individual.save()
    except IntegrityError:
        raise Conflict(duplicate, code="duplicate") from None
    individual.users.add(user)
    role_grant(user=user, role=Role.APPLICANT, actor=actor or user)
    audit_append(
        actor=actor or user,
        action="applications.individual_create",
        obj=individual,
        # The identity number is personal data: the audit trail keeps it masked.
        changes={
            "id_number": individual.masked_id_number,
            "name": name,
            "employer": employer.pk if employer else employer_name,
            "is_top_manager": is_top_manager,
            "quality_work_since": quality_work_since,
            "sector": sector,
            "area": area,
            "user": user.pk,
        },
    )
    return individual


def _signup_user(*, username: str, password: str, email: str, display_name: str):
    try:
        return user_create(
            username=username,
            password=password,
            email=email,
            display_name=display_name[:100],
            roles=[Role.APPLICANT],
        )
    except ValidationError as error:
        raise _invalid(error) from None


@transaction.atomic
def organisation_register(
    *, username: str, password: str, email: str = "", contact_name: str = "", **profile: Any
) -> Organisation:
    """Sign-up: a user with the applicant role and the organisation, all or nothing.
    `profile` takes the keyword arguments of `organisation_create` (without user)."""
    user = _signup_user(
        username=username,
        password=password,
        email=email,
        display_name=contact_name or profile.get("name", ""),
    )
    return organisation_create(user=user, actor=user, **profile)


@transaction.atomic
def individual_register(
    *, username: str, password: str, email: str = "", **profile: Any
) -> Individual:
    """Sign-up of an individual: the user and the profile, all or nothing."""
    user = _signup_user(
        username=username, password=password, email=email, display_name=profile.get("name", "")
    )
    return individual_create(user=user, actor=user, **profile)


def _apply_changes(obj: Applicant, allowed: tuple[str, ...], fields: dict[str, Any]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise QualityAwardError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_editable",
        )
    changes = {}
    for name, value in fields.items():
        before = getattr(obj, name)
        if before != value:
            changes[name] = [_audit_value(before), _audit_value(value)]
            setattr(obj, name, value)
    return changes


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, **fields: Any) -> Organisation:
    """Change the editable profile fields (not the credit code: that is the identity)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    try:
        if "name" in fields:
            fields["name"] = clean_name(fields["name"])
    except ValidationError as error:
        raise _invalid(error) from None
    if "in_jurisdiction" in fields and not fields["in_jurisdiction"]:
        raise QualityAwardError(
            _("Only organisations registered in the city may apply (Article 10(1))."),
            code="not_in_jurisdiction",
        )
    if "registered_address" in fields:
        fields["registered_address"] = fields["registered_address"].strip()
        if not fields["registered_address"]:
            raise QualityAwardError(_("Enter the registered address."), code="required")
    if "established_on" in fields:
        _check_established_on(fields["established_on"])
    changes = _apply_changes(organisation, ORGANISATION_EDITABLE, fields)
    _check_choices(
        sector=organisation.sector, area=organisation.area, ownership=organisation.ownership
    )
    if changes:
        organisation.save(update_fields=[*changes, "updated_at"])
        audit_append(
            actor=actor,
            action="applications.organisation_update",
            obj=organisation,
            changes=changes,
        )
    return organisation


@transaction.atomic
def individual_update(*, individual: Individual, actor, **fields: Any) -> Individual:
    """Change the editable profile fields (not the identity number)."""
    individual = Individual.objects.select_for_update().get(pk=individual.pk)
    try:
        if "name" in fields:
            fields["name"] = clean_name(fields["name"])
        if fields.get("employer_name", "").strip():
            fields["employer_name"] = clean_name(fields["employer_name"])
    except ValidationError as error:
        raise _invalid(error) from None
    if "quality_work_since" in fields:
        _check_quality_year(fields["quality_work_since"])
    if fields.get("employer") is not None:
        fields["employer_name"] = ""
    changes = _apply_changes(individual, INDIVIDUAL_EDITABLE, fields)
    if individual.employer_id is None and not individual.employer_name:
        raise QualityAwardError(_("Enter the employer."), code="required")
    if not individual.position.strip():
        raise QualityAwardError(_("Enter the position."), code="required")
    _check_choices(sector=individual.sector, area=individual.area)
    if changes:
        individual.save(update_fields=[*changes, "updated_at"])
        audit_append(
            actor=actor, action="applications.individual_update", obj=individual, changes=changes
        )
    return individual


@transaction.atomic
def applicant_user_link(*, applicant: Applicant, user, actor) -> None:
    """Give another user account access to an applicant: the office, once it has checked
    the person's authority (a claim of an organisation registered already)."""
    if getattr(actor, "is_authenticated", False) and not actor.has_perm(
        "applications.link_applicant_user"
    ):
        raise NotAllowed()
    if applicant.users.filter(pk=user.pk).exists():
        return
    applicant.users.add(user)
    role_grant(user=user, role=Role.APPLICANT, actor=actor)
    audit_append(
        actor=actor,
        action="applications.applicant_user_link",
        obj=applicant,
        changes={"user": user.pk},
    )


@transaction.atomic
def id_number_reveal(*, individual: Individual, actor) -> str:
    """The full resident identity number, for the office only; every read is recorded
    (PIPL: identity numbers are sensitive personal information)."""
    if not actor.has_perm("applications.view_full_id_number"):
        raise NotAllowed(_("Only the office may read an identity number in full."))
    audit_append(
        actor=actor,
        action="applications.id_number_revealed",
        obj=individual,
        changes={"id_number": individual.masked_id_number},
    )
    return individual.id_number
