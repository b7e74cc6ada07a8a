"""The adapter between the database and the pure eligibility check: gather the facts
(one query per kind of fact) and the rule set's numbers, then call
`eligibility.check_organisation` / `check_individual`."""

from __future__ import annotations

import datetime

from django.apps import apps

from ..eligibility import (
    AwardFact,
    BanFact,
    EligibilityNumbers,
    Finding,
    IndividualFacts,
    ListingFact,
    OrgFacts,
    RecordFact,
    check_individual,
    check_organisation,
)
from ..models import (
    AnnualResult,
    Applicant,
    Ban,
    ComplianceRecord,
    Individual,
    ListEntry,
    PastAward,
    PastBan,
)
from ..models.applicants import id_number_index


def eligibility_numbers(*, version) -> EligibilityNumbers:
    """The numbers of a rule set version (`version.rules.<key>.value`)."""
    rules = version.rules
    return EligibilityNumbers(
        org_min_operating_years=int(rules.org_min_operating_years.value),
        org_no_loss_years=int(rules.org_no_loss_years.value),
        individual_min_quality_years=int(rules.individual_min_quality_years.value),
        lookback_years=int(rules.lookback_years.value),
        fraud_ban_years=int(rules.fraud_ban_years.value),
        winner_reapply_wait_years=int(rules.winner_reapply_wait_years.value),
        winner_reapply_article=rules.winner_reapply_wait_years.article,
    )


def _record_facts(records) -> list[RecordFact]:
    return [
        RecordFact(
            kind=r.kind,
            occurred_on=r.occurred_on,
            description=r.description,
            source_document=r.source_document,
        )
        for r in records
    ]


def _identity(details) -> dict[str, str]:
    """How the office's history names this applicant: credit code or identity number."""
    if isinstance(details, Individual):
        return {"credit_code": "", "id_number_index": id_number_index(details.id_number)}
    return {"credit_code": details.credit_code, "id_number_index": ""}


def _ban_facts(details) -> list[BanFact]:
    """Two queries: the bans decided here and the bans imported from the history."""
    native = [
        BanFact(
            started_on=ban.started_on,
            years=ban.years,
            revocation_reference=ban.revocation_reference,
            lifted_on=ban.lifted_on,
        )
        for ban in Ban.objects.filter(applicant_id=details.pk)
    ]
    imported = [
        BanFact(
            started_on=ban.started_on, years=ban.years, revocation_reference=ban.decision_number
        )
        for ban in PastBan.objects.filter(**_identity(details))
    ]
    return native + imported


def _award_facts(details) -> list[AwardFact]:
    """Two queries: the awards of cycles run here and the past awards imported."""
    award_model = apps.get_model("decisions", "Award")
    native = [
        AwardFact(awarded_on=award.awarded_on, reference=award.serial, revoked_on=award.revoked_on)
        for award in award_model.objects.filter(applicant_id=details.pk)
    ]
    imported = [
        AwardFact(
            awarded_on=award.awarded_on,
            reference=award.document_number or f"{award.award_year} {award.award_name}",
            revoked_on=award.revoked_on,
        )
        for award in PastAward.objects.filter(**_identity(details))
    ]
    return native + imported


def organisation_facts(*, organisation) -> OrgFacts:
    """Seven queries: results, records, listings, bans and awards (each decided here and
    imported from the history)."""
    profits = dict(
        AnnualResult.objects.filter(organisation_id=organisation.pk).values_list(
            "fiscal_year", "profit"
        )
    )
    records = ComplianceRecord.objects.filter(
        applicant_id=organisation.pk, withdrawn_at__isnull=True
    )
    listings = [
        ListingFact(
            list_kind=entry.kind,
            listed_on=entry.listed_on,
            removed_on=entry.removed_on,
            authority=entry.authority,
        )
        for entry in ListEntry.objects.filter(credit_code=organisation.credit_code)
    ]
    return OrgFacts(
        name=organisation.name,
        established_on=organisation.established_on,
        in_jurisdiction=organisation.in_jurisdiction,
        is_for_profit=organisation.is_for_profit,
        profits=profits,
        records=_record_facts(records),
        listings=listings,
        bans=_ban_facts(organisation),
        awards=_award_facts(organisation),
    )


def individual_facts(*, individual: Individual) -> IndividualFacts:
    """Five queries: the records of the person and of the employer together, bans and
    awards (each decided here and imported from the history)."""
    ids = [individual.pk] + ([individual.employer_id] if individual.employer_id else [])
    own: list[ComplianceRecord] = []
    employer: list[ComplianceRecord] = []
    for record in ComplianceRecord.objects.filter(applicant_id__in=ids, withdrawn_at__isnull=True):
        (own if record.applicant_id == individual.pk else employer).append(record)
    return IndividualFacts(
        name=individual.name,
        quality_work_since=datetime.date(individual.quality_work_since, 1, 1),
        is_top_manager=individual.is_top_manager,
        employer_name=individual.employer_display,
        employer_registered=individual.employer_id is not None,
        employer_records=_record_facts(employer),
        records=_record_facts(own),
        bans=_ban_facts(individual),
        awards=_award_facts(individual),
    )


def eligibility_for(*, applicant: Applicant, cycle, on: datetime.date) -> list[Finding]:
    """The findings for an applicant under the cycle's rule set on the reference date.

    Pass an applicant with `organisation` / `individual` (and `individual__employer`)
    selected, as `applicants_visible_to` returns it, to avoid extra queries."""
    numbers = eligibility_numbers(version=cycle.rule_set_version)
    details = applicant.details
    if isinstance(details, Individual):
        return check_individual(individual_facts(individual=details), numbers, on)
    return check_organisation(organisation_facts(organisation=details), numbers, on)
