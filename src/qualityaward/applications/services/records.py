"""The office's records: list imports (A12.6), compliance records (A11.4, A12.1 to
A12.5), fraud bans (A28) and annual results (A10.3). Each change is audited in its
own transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, QualityAwardError

from .. import lists
from ..enums import ComplianceKind, ListKind
from ..models import (
    AnnualResult,
    Applicant,
    Ban,
    ComplianceRecord,
    ListEntry,
    ListImport,
    Organisation,
)

MONEY_LIMIT = Decimal("1e16")


@transaction.atomic
def list_import(*, kind: str, data: bytes, filename: str = "", actor) -> ListImport:
    """Import a list CSV (see `applications.lists`): all rows or none.

    An entry is identified by list, credit code and listing date: importing the same
    file again changes nothing; a later file with a removal date updates the entry."""
    if kind not in ListKind.values:
        raise QualityAwardError(_("Choose the list the file belongs to."), code="invalid_list")
    return list_rows_import(
        kind=kind, rows=lists.parse(lists.decode(data)), filename=filename, actor=actor
    )


@transaction.atomic
def list_rows_import(*, kind: str, rows: list[lists.ListRow], filename: str, actor) -> ListImport:
    """Write checked list rows (from a CSV list or a history file) as one import."""
    existing = {
        (entry.credit_code, entry.listed_on): entry
        for entry in ListEntry.objects.select_for_update().filter(
            kind=kind, credit_code__in={row.credit_code for row in rows}
        )
    }
    batch = ListImport.record(
        filename=filename,
        actor=actor,
        kind=kind,
        row_count=len(rows),
        created_count=0,
        updated_count=0,
    )
    new, changed = [], []
    for row in rows:
        entry = existing.get((row.credit_code, row.listed_on))
        if entry is None:
            new.append(
                ListEntry(
                    kind=kind,
                    credit_code=row.credit_code,
                    name=row.name,
                    listed_on=row.listed_on,
                    removed_on=row.removed_on,
                    authority=row.authority,
                    source_import=batch,
                )
            )
        elif (entry.name, entry.removed_on, entry.authority) != (
            row.name,
            row.removed_on,
            row.authority,
        ):
            entry.name, entry.removed_on, entry.authority = row.name, row.removed_on, row.authority
            entry.source_import = batch
            changed.append(entry)
    ListEntry.objects.bulk_create(new, batch_size=1000)
    ListEntry.objects.bulk_update(
        changed, ["name", "removed_on", "authority", "source_import"], batch_size=1000
    )
    batch.created_count, batch.updated_count = len(new), len(changed)
    batch.save(update_fields=["created_count", "updated_count"])
    audit_append(
        actor=actor,
        action="applications.list_import",
        obj=batch,
        changes={
            "kind": kind,
            "filename": filename,
            "rows": len(rows),
            "created": len(new),
            "updated": len(changed),
        },
    )
    return batch


@transaction.atomic
def compliance_record_add(
    *,
    applicant: Applicant,
    kind: str,
    occurred_on: datetime.date,
    description: str,
    source_document: str,
    actor,
) -> ComplianceRecord:
    if kind not in ComplianceKind.values:
        raise QualityAwardError(_("Choose the kind of record."), code="invalid_kind")
    if kind == ComplianceKind.ORGANISATION_INCIDENT and not applicant.is_organisation:
        raise QualityAwardError(
            _("This kind of record is kept for organisations (Article 11(4))."), code="invalid_kind"
        )
    if occurred_on > timezone.localdate():
        raise QualityAwardError(_("The date cannot be in the future."), code="invalid_date")
    if not description.strip() or not source_document.strip():
        raise QualityAwardError(
            _("Describe the record and name its source document."), code="required"
        )
    record = ComplianceRecord.objects.create(
        applicant=applicant,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        source_document=source_document.strip()[:300],
        recorded_by=actor,
    )
    audit_append(
        actor=actor,
        action="applications.compliance_record_add",
        obj=record,
        changes={
            "applicant": applicant.pk,
            "kind": kind,
            "occurred_on": occurred_on,
            "source_document": record.source_document,
        },
    )
    return record


@transaction.atomic
def compliance_record_withdraw(*, record: ComplianceRecord, reason: str, actor) -> ComplianceRecord:
    """A record entered in error is withdrawn (kept, and ignored by the eligibility check)."""
    record = ComplianceRecord.objects.select_for_update().get(pk=record.pk)
    if record.withdrawn_at is not None:
        raise Conflict(_("This record has already been withdrawn."), code="withdrawn")
    if not reason.strip():
        raise QualityAwardError(_("Give the reason for the withdrawal."), code="required")
    record.withdrawn_at = timezone.now()
    record.withdrawn_reason = reason.strip()
    record.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
    audit_append(
        actor=actor,
        action="applications.compliance_record_withdraw",
        obj=record,
        changes={"reason": record.withdrawn_reason},
    )
    return record


@transaction.atomic
def ban_record(
    *,
    applicant: Applicant,
    started_on: datetime.date,
    reason: str,
    revocation_reference: str,
    rule_set_version,
    actor,
) -> Ban:
    """A28: after the award is revoked for fraud, no application for the rule set's years
    (`fraud_ban_years`, copied onto the ban so a later rule set does not change it)."""
    rule = rule_set_version.rules.fraud_ban_years
    if not reason.strip() or not revocation_reference.strip():
        raise QualityAwardError(
            _("Give the reason and the revocation decision's reference."), code="required"
        )
    ban = Ban.objects.create(
        applicant=applicant,
        started_on=started_on,
        years=int(rule.value),
        rule_source=f"{rule_set_version} {rule.source}"[:100],
        reason=reason.strip(),
        revocation_reference=revocation_reference.strip()[:300],
        recorded_by=actor,
    )
    audit_append(
        actor=actor,
        action="applications.ban_record",
        obj=ban,
        changes={
            "applicant": applicant.pk,
            "started_on": started_on,
            "years": ban.years,
            "revocation_reference": ban.revocation_reference,
        },
    )
    return ban


@transaction.atomic
def ban_lift(*, ban: Ban, on: datetime.date, reason: str, actor) -> Ban:
    """End a ban early (for example when the revocation is annulled on appeal)."""
    ban = Ban.objects.select_for_update().get(pk=ban.pk)
    if ban.lifted_on is not None:
        raise Conflict(_("This ban has already been lifted."), code="lifted")
    if on < ban.started_on:
        raise QualityAwardError(_("A ban cannot be lifted before it starts."), code="invalid_date")
    if not reason.strip():
        raise QualityAwardError(_("Give the reason for lifting the ban."), code="required")
    ban.lifted_on, ban.lifted_reason = on, reason.strip()
    ban.save(update_fields=["lifted_on", "lifted_reason", "updated_at"])
    audit_append(
        actor=actor,
        action="applications.ban_lift",
        obj=ban,
        changes={"lifted_on": on, "reason": ban.lifted_reason},
    )
    return ban


@transaction.atomic
def annual_result_set(
    *, organisation: Organisation, fiscal_year: int, revenue: Decimal, profit: Decimal, actor
) -> AnnualResult:
    """Record (or correct) one complete fiscal year's revenue and operating profit."""
    if fiscal_year >= timezone.localdate().year or fiscal_year < 1950:
        raise QualityAwardError(
            _("Enter a complete fiscal year, before this year."), code="invalid_year"
        )
    if revenue < 0:
        raise QualityAwardError(_("Revenue cannot be negative."), code="invalid_amount")
    if abs(revenue) >= MONEY_LIMIT or abs(profit) >= MONEY_LIMIT:
        raise QualityAwardError(_("The amount is too large."), code="invalid_amount")
    result = (
        AnnualResult.objects.select_for_update()
        .filter(organisation=organisation, fiscal_year=fiscal_year)
        .first()
    )
    if result is None:
        result = AnnualResult.objects.create(
            organisation=organisation, fiscal_year=fiscal_year, revenue=revenue, profit=profit
        )
        changes = {"fiscal_year": fiscal_year, "revenue": revenue, "profit": profit}
    else:
        changes = {
            name: [getattr(result, name), value]
            for name, value in (("revenue", revenue), ("profit", profit))
            if getattr(result, name) != value
        }
        if not changes:
            return result
        result.revenue, result.profit = revenue, profit
        result.save(update_fields=["revenue", "profit", "updated_at"])
        changes["fiscal_year"] = fiscal_year
    audit_append(actor=actor, action="applications.annual_result_set", obj=result, changes=changes)
    return result
