"""The adapter between the database and the pure eligibility check: gather the facts
(one query per kind of fact) and the rule set's numbers, then call
`eligibility.check_organisation` / `check_individual`."""

from __future__ import annotations

import dataclasses
import datetime

from django.apps import apps

from ..eligibility import (
    Articles,
    BanFact,
    EligibilityNumbers,
    Finding,
    IndividualFacts,
    ListingFact,
    OrgFacts,
    RecordFact,
    WinFact,
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
        winner_reapply_after_cycles=int(rules.winner_reapply_after_cycles.value),
        winner_reapply_article=rules.winner_reapply_after_cycles.article,
        winner_reapply_clause=rules.winner_reapply_after_cycles.clause,
        articles=Articles(
            organisation=rules.org_min_operating_years.article,
            individual=rules.individual_min_quality_years.article,
            exclusions=rules.lookback_years.article,
            fraud_ban=rules.fraud_ban_years.article,
        ),
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


def organisation_facts(*, organisation) -> OrgFacts:
    """Five queries: results, records, listings and bans (decided here and imported from
    the history)."""
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
    )


def individual_facts(*, individual: Individual) -> IndividualFacts:
    """Three queries: the records of the person and of the employer together, and bans
    (decided here and imported from the history)."""
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
    )


def earlier_wins(*, applicant: Applicant, cycle) -> list[WinFact]:
    """The applicant's earlier wins (two queries): the awards of earlier cycles of the same
    award run here, and the past awards imported from the office's history.

    An imported award has no cycle number: it counts as (C - Y) // cycle_years cycles
    before the cycle applied to (C the year that cycle starts, Y the award year), at least
    one; an award of 2021 is two cycles before a cycle of 2025 when cycles run every 2
    years, as a cycle run here in 2021 would be."""
    award_model = apps.get_model("decisions", "Award")
    native = [
        WinFact(
            cycles_ago=cycle.number - award.cycle.number,
            awarded_on=award.awarded_on,
            reference=award.serial,
            revoked_on=award.revoked_on,
            cycle_number=award.cycle.number,
            cycle_name=award.cycle.name,
        )
        for award in award_model.objects.filter(
            applicant_id=applicant.pk,
            cycle__rule_set_version__rule_set_id=cycle.rule_set_version.rule_set_id,
            cycle__number__lt=cycle.number,
        ).select_related("cycle")
    ]
    cycle_years = int(cycle.rule_set_version.rules.cycle_years.value)
    start_year = cycle.start_date.year
    imported = [
        WinFact(
            cycles_ago=max(1, (start_year - award.award_year) // cycle_years),
            awarded_on=award.awarded_on,
            reference=award.document_number or f"{award.award_year} {award.award_name}",
            revoked_on=award.revoked_on,
        )
        for award in PastAward.objects.filter(
            awarded_on__lt=cycle.start_date, **_identity(applicant.details)
        )
    ]
    return native + imported


def eligibility_for(*, applicant: Applicant, cycle, on: datetime.date) -> list[Finding]:
    """The findings for an applicant under the cycle's rule set on the reference date.

    Pass an applicant with `organisation` / `individual` (and `individual__employer`)
    selected, as `applicants_visible_to` returns it, to avoid extra queries. Earlier
    wins are looked up only when the rule set makes winners wait."""
    numbers = eligibility_numbers(version=cycle.rule_set_version)
    details = applicant.details
    facts = (
        individual_facts(individual=details)
        if isinstance(details, Individual)
        else organisation_facts(organisation=details)
    )
    if numbers.winner_reapply_after_cycles:
        facts = dataclasses.replace(
            facts, earlier_wins=earlier_wins(applicant=applicant, cycle=cycle)
        )
    if isinstance(facts, IndividualFacts):
        return check_individual(facts, numbers, on)
    return check_organisation(facts, numbers, on)
