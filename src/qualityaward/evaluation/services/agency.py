"""The evaluation agency (A17): its record, its coordinators, and how it was procured."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import QualityAwardError
from qualityaward.documents.services import stored_file_create

from ..conflicts import normalise_code
from ..enums import ProcurementMethod
from ..models import Agency, AgencyCoordinator, Procurement
from ._changes import save_changed_fields

# What a procurement's documents may be (documents.validation kinds).
PROCUREMENT_FILE_KINDS = {"pdf", "docx", "xlsx", "jpeg", "png"}
AGENCY_FIELDS = ("name", "credit_code", "contact_person", "phone", "address")


def _clean_agency(values: dict) -> dict:
    values = {key: (values.get(key) or "").strip() for key in AGENCY_FIELDS}
    values["credit_code"] = normalise_code(values["credit_code"])
    if not values["name"] or not values["credit_code"]:
        raise QualityAwardError(
            _("Give the agency's name and unified social credit code."), code="required"
        )
    return values


@transaction.atomic
def agency_create(*, actor, **values: str) -> Agency:
    values = _clean_agency(values)
    if Agency.objects.filter(credit_code=values["credit_code"]).exists():
        raise QualityAwardError(
            _("An agency with this credit code is recorded already."), code="duplicate"
        )
    agency = Agency.objects.create(**values)
    audit_append(actor=actor, action="evaluation.agency_create", obj=agency, changes=values)
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, actor, **values: str) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    values = _clean_agency(values)
    if Agency.objects.filter(credit_code=values["credit_code"]).exclude(pk=agency.pk).exists():
        raise QualityAwardError(
            _("An agency with this credit code is recorded already."), code="duplicate"
        )
    changes = save_changed_fields(agency, values)
    if changes:
        audit_append(actor=actor, action="evaluation.agency_update", obj=agency, changes=changes)
    return agency


@transaction.atomic
def coordinator_add(*, agency: Agency, user, actor) -> AgencyCoordinator:
    if not user.has_role(Role.AGENCY):
        raise QualityAwardError(
            _("Only a user with the agency coordinator role can coordinate an agency."),
            code="wrong_role",
        )
    if AgencyCoordinator.objects.filter(agency=agency, user=user).exists():
        raise QualityAwardError(_("This user coordinates the agency already."), code="duplicate")
    membership = AgencyCoordinator.objects.create(agency=agency, user=user)
    audit_append(
        actor=actor,
        action="evaluation.coordinator_add",
        obj=agency,
        changes={"user": user.pk, "username": user.get_username()},
    )
    return membership


@transaction.atomic
def coordinator_remove(*, membership: AgencyCoordinator, actor) -> None:
    audit_append(
        actor=actor,
        action="evaluation.coordinator_remove",
        obj=membership.agency,
        changes={"user": membership.user_id, "username": membership.user.get_username()},
    )
    membership.delete()


@transaction.atomic
def procurement_record(
    *,
    agency: Agency,
    method: str,
    procured_on: datetime.date,
    contract_number: str,
    cycle=None,
    notes: str = "",
    uploads: Sequence[UploadedFile] = (),
    actor,
) -> Procurement:
    """Record how and when the agency was procured (A17), with its documents."""
    if method not in ProcurementMethod.values:
        raise QualityAwardError(_("Choose the procurement method."), code="invalid_method")
    if procured_on > timezone.localdate():
        raise QualityAwardError(_("The date cannot be in the future."), code="invalid_date")
    contract_number = contract_number.strip()
    if not contract_number:
        raise QualityAwardError(_("Give the contract number."), code="required")
    procurement = Procurement.objects.create(
        agency=agency,
        cycle=cycle,
        method=method,
        procured_on=procured_on,
        contract_number=contract_number[:100],
        notes=notes.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored = [
        stored_file_create(
            upload=upload, allowed=PROCUREMENT_FILE_KINDS, uploaded_by=actor, owner=procurement
        )
        for upload in uploads
    ]
    if stored:
        procurement.documents.add(*stored)
    audit_append(
        actor=actor,
        action="evaluation.procurement_record",
        obj=procurement,
        changes={
            "agency": agency.pk,
            "cycle": cycle.pk if cycle else None,
            "method": method,
            "procured_on": procured_on,
            "contract_number": procurement.contract_number,
            "documents": [str(f.pk) for f in stored],
        },
    )
    return procurement
