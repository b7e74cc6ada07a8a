# ruff: noqa: RUF001 (full-width brackets in Chinese citations)
"""The eligibility matrix: every clause of A10, A11, A12 and A28 passes on clean facts
and fails on a fact that bars, citing its clause; and the counting boundaries."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from qualityaward.applications.eligibility import (
    Articles,
    BanFact,
    EligibilityNumbers,
    FindingKind,
    IndividualFacts,
    ListingFact,
    OrgFacts,
    RecordFact,
    WinFact,
    attestations,
    check_individual,
    check_organisation,
    clause_zh,
    failures,
    objective_passed,
)
from qualityaward.applications.enums import ComplianceKind, ListKind

ON = datetime.date(2025, 6, 1)
NUMBERS = EligibilityNumbers(
    org_min_operating_years=3,
    org_no_loss_years=3,
    individual_min_quality_years=5,
    lookback_years=3,
    fraud_ban_years=5,
)
CLEAN_ORG = OrgFacts(
    name="二连浩特市某商贸有限公司",
    established_on=datetime.date(2015, 1, 1),
    in_jurisdiction=True,
    is_for_profit=True,
    profits={2022: Decimal("1.00"), 2023: Decimal("2.00"), 2024: Decimal("3.00")},
)
CLEAN_PERSON = IndividualFacts(
    name="巴特尔",
    quality_work_since=datetime.date(2010, 1, 1),
    is_top_manager=True,
    employer_name="二连浩特市某口岸服务有限公司",
    employer_registered=True,
)


@pytest.fixture(autouse=True)
def _chinese():
    """Citations in messages follow the language; these tests read them in Chinese."""
    with translation.override("zh-hans"):
        yield


def record(kind, day=datetime.date(2024, 3, 1)):
    return RecordFact(kind=kind, occurred_on=day, source_document="二市监罚〔2024〕1号")


def only(findings, code):
    matches = [f for f in findings if f.code == code]
    assert len(matches) == 1, (code, [f.code for f in findings])
    return matches[0]


ORG_FAILURES = {
    "org_registered_in_city": ("第十条第（一）项", {"in_jurisdiction": False}),
    "org_operating_years": ("第十条第（一）项", {"established_on": datetime.date(2022, 6, 2)}),
    "org_no_loss": (
        "第十条第（三）项",
        {"profits": {2022: Decimal(1), 2023: Decimal("-0.01"), 2024: Decimal(1)}},
    ),
    "org_loss_figures_missing": ("第十条第（三）项", {"profits": {2023: Decimal(1)}}),
    "a12_1_policy": ("第十二条第（一）项", {"records": [record(ComplianceKind.POLICY)]}),
    "a12_2_licence": ("第十二条第（二）项", {"records": [record(ComplianceKind.LICENCE)]}),
    "a12_3_accident_or_violation": (
        "第十二条第（三）项",
        {"records": [record(ComplianceKind.ACCIDENT)]},
    ),
    "a12_4_award_fraud": ("第十二条第（四）项", {"records": [record(ComplianceKind.AWARD_FRAUD)]}),
    "a12_5_tax_social_insurance": (
        "第十二条第（五）项",
        {"records": [record(ComplianceKind.TAX_SOCIAL_INSURANCE)]},
    ),
    "a12_6_abnormal_operations": (
        "第十二条第（六）项",
        {"listings": [ListingFact(ListKind.ABNORMAL_OPERATIONS, datetime.date(2025, 1, 2))]},
    ),
    "a12_6_serious_dishonesty": (
        "第十二条第（六）项",
        {"listings": [ListingFact(ListKind.SERIOUS_DISHONESTY, datetime.date(2025, 1, 2))]},
    ),
    "a28_fraud_ban": (
        "第二十八条",
        {"bans": [BanFact(datetime.date(2021, 1, 1), 5, "二政发〔2021〕1号")]},
    ),
}

PERSON_FAILURES = {
    "ind_quality_years": ("第十一条第（一）项", {"quality_work_since": datetime.date(2021, 1, 1)}),
    "ind_employer_record": (
        "第十一条第（四）项",
        {"employer_records": [record(ComplianceKind.ORGANISATION_INCIDENT)]},
    ),
    "a12_1_policy": ("第十二条第（一）项", {"records": [record(ComplianceKind.POLICY)]}),
    "a12_2_licence": ("第十二条第（二）项", {"records": [record(ComplianceKind.LICENCE)]}),
    "a12_3_accident_or_violation": (
        "第十二条第（三）项",
        {"records": [record(ComplianceKind.VIOLATION)]},
    ),
    "a12_4_award_fraud": ("第十二条第（四）项", {"records": [record(ComplianceKind.AWARD_FRAUD)]}),
    "a12_5_tax_social_insurance": (
        "第十二条第（五）项",
        {"records": [record(ComplianceKind.TAX_SOCIAL_INSURANCE)]},
    ),
    "a28_fraud_ban": (
        "第二十八条",
        {"bans": [BanFact(datetime.date(2021, 1, 1), 5, "二政发〔2021〕1号")]},
    ),
}


def test_clean_organisation_meets_every_objective_condition():
    findings = check_organisation(CLEAN_ORG, NUMBERS, ON)
    assert failures(findings) == []
    assert objective_passed(findings) is True
    assert [f.code for f in findings if f.is_check] == [
        "org_registered_in_city",
        "org_operating_years",
        "org_no_loss",
        "a12_1_policy",
        "a12_2_licence",
        "a12_3_accident_or_violation",
        "a12_4_award_fraud",
        "a12_5_tax_social_insurance",
        "a12_6_abnormal_operations",
        "a12_6_serious_dishonesty",
        "a28_fraud_ban",
    ]


def test_clean_individual_meets_every_objective_condition():
    findings = check_individual(CLEAN_PERSON, NUMBERS, ON)
    assert failures(findings) == []
    assert [f.code for f in findings if f.is_check] == [
        "ind_quality_years",
        "ind_employer_record",
        "a12_1_policy",
        "a12_2_licence",
        "a12_3_accident_or_violation",
        "a12_4_award_fraud",
        "a12_5_tax_social_insurance",
        "a28_fraud_ban",
    ]


@pytest.mark.parametrize("code", sorted(ORG_FAILURES))
def test_organisation_clause_passes_on_clean_facts(code):
    clause, _change = ORG_FAILURES[code]
    findings = check_organisation(CLEAN_ORG, NUMBERS, ON)
    if code == "org_loss_figures_missing":
        # Reported only when figures are missing; with all three years, org_no_loss passes.
        assert "org_loss_figures_missing" not in [f.code for f in findings]
        assert only(findings, "org_no_loss").passed is True
        return
    finding = only(findings, code)
    assert finding.passed is True
    assert finding.clause == clause


@pytest.mark.parametrize("code", sorted(ORG_FAILURES))
def test_organisation_clause_fails_and_cites_its_clause(code):
    clause, change = ORG_FAILURES[code]
    findings = check_organisation(replace(CLEAN_ORG, **change), NUMBERS, ON)
    finding = only(findings, code)
    assert finding.passed is False
    assert finding.kind == FindingKind.CHECK
    assert finding.clause == clause
    assert finding.message.startswith(clause + "：")  # the Chinese interface
    assert [f.code for f in failures(findings)] == [code]
    assert objective_passed(findings) is False


@pytest.mark.parametrize("code", sorted(PERSON_FAILURES))
def test_individual_clause_passes_on_clean_facts(code):
    clause, _change = PERSON_FAILURES[code]
    finding = only(check_individual(CLEAN_PERSON, NUMBERS, ON), code)
    assert finding.passed is True
    assert finding.clause == clause


@pytest.mark.parametrize("code", sorted(PERSON_FAILURES))
def test_individual_clause_fails_and_cites_its_clause(code):
    clause, change = PERSON_FAILURES[code]
    findings = check_individual(replace(CLEAN_PERSON, **change), NUMBERS, ON)
    finding = only(findings, code)
    assert finding.passed is False
    assert finding.message.startswith(clause + "：")  # the Chinese interface
    assert [f.code for f in failures(findings)] == [code]


def test_failing_message_cites_the_clause_in_english():
    facts = replace(CLEAN_ORG, established_on=datetime.date(2023, 1, 1))
    with translation.override("en"):
        finding = only(check_organisation(facts, NUMBERS, ON), "org_operating_years")
    assert finding.message == (
        "Article 10(1): operating for 2 full years on 2025-06-01 (established on 2023-01-01); "
        "at least 3 are required, reached on 2026-01-01."
    )
    assert finding.clause == "第十条第（一）项"


def test_ban_message_cites_article_28_in_english():
    facts = replace(CLEAN_ORG, bans=[BanFact(datetime.date(2021, 1, 1), 5, "二政发〔2021〕1号")])
    with translation.override("en"):
        finding = only(check_organisation(facts, NUMBERS, ON), "a28_fraud_ban")
    assert finding.message == (
        "Article 28: the award was revoked for fraud (二政发〔2021〕1号); no application "
        "until 2026-01-01 inclusive."
    )


def test_every_clause_of_articles_10_to_12_and_28_is_covered():
    org = check_organisation(CLEAN_ORG, NUMBERS, ON)
    person = check_individual(CLEAN_PERSON, NUMBERS, ON)
    cited = {f.clause for f in org + person}
    expected = {clause_zh(10, i) for i in (1, 2, 3)} | {clause_zh(11, i) for i in (1, 2, 3, 4)}
    expected |= {clause_zh(12, i) for i in range(1, 7)} | {"第二十八条"}
    assert cited == expected


# --- judgement conditions are attestations -------------------------------------------------


def test_organisation_judgement_conditions_are_attestations():
    found = attestations(check_organisation(CLEAN_ORG, NUMBERS, ON))
    assert [(f.code, f.clause) for f in found] == [
        ("org_policy_and_licences", "第十条第（一）项"),
        ("org_quality_system", "第十条第（二）项"),
        ("org_results", "第十条第（三）项"),
    ]
    assert all(f.kind == FindingKind.ATTESTATION and f.passed is False for f in found)


def test_individual_judgement_conditions_are_attestations():
    found = attestations(check_individual(CLEAN_PERSON, NUMBERS, ON))
    assert [(f.code, f.clause) for f in found] == [
        ("ind_innovation", "第十一条第（二）项"),
        ("ind_quality_activities", "第十一条第（三）项"),
        ("ind_ethics_and_credit", "第十一条第（四）项"),
        ("a12_6_lists", "第十二条第（六）项"),
    ]


def test_non_profit_organisation_is_not_checked_for_losses_and_attests_its_contribution():
    facts = replace(CLEAN_ORG, is_for_profit=False, profits={})
    findings = check_organisation(facts, NUMBERS, ON)
    codes = [f.code for f in findings]
    assert "org_no_loss" not in codes
    assert "org_loss_figures_missing" not in codes
    with translation.override("en"):
        results = only(check_organisation(facts, NUMBERS, ON), "org_results")
    assert "non-profit organisation" in results.message


def test_top_manager_with_unregistered_employer_attests_article_11_4():
    facts = replace(CLEAN_PERSON, employer_registered=False, employer_name="某外地公司")
    finding = only(check_individual(facts, NUMBERS, ON), "ind_employer_record")
    assert finding.kind == FindingKind.ATTESTATION
    assert "某外地公司" in finding.message


def test_employer_record_does_not_bar_an_individual_who_is_not_top_manager():
    facts = replace(
        CLEAN_PERSON,
        is_top_manager=False,
        employer_records=[record(ComplianceKind.ORGANISATION_INCIDENT)],
    )
    assert only(check_individual(facts, NUMBERS, ON), "ind_employer_record").passed is True


def test_employer_violation_bars_its_top_manager_but_a_larger_accident_does_not():
    violation = replace(CLEAN_PERSON, employer_records=[record(ComplianceKind.VIOLATION)])
    accident = replace(CLEAN_PERSON, employer_records=[record(ComplianceKind.ACCIDENT)])
    assert only(check_individual(violation, NUMBERS, ON), "ind_employer_record").passed is False
    assert only(check_individual(accident, NUMBERS, ON), "ind_employer_record").passed is True


# --- boundaries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("established_on", "on", "passed"),
    [
        (datetime.date(2022, 6, 1), datetime.date(2025, 6, 1), True),  # exactly 3 years: 以上
        (datetime.date(2022, 6, 2), datetime.date(2025, 6, 1), False),  # one day short
        (datetime.date(2022, 6, 1), datetime.date(2025, 5, 31), False),  # one day short
        (datetime.date(2020, 2, 29), datetime.date(2023, 2, 28), True),  # no 29 Feb: 28 Feb
        (datetime.date(2020, 2, 29), datetime.date(2023, 2, 27), False),
        (datetime.date(2026, 1, 1), datetime.date(2025, 6, 1), False),  # not yet established
    ],
)
def test_operating_years_boundary(established_on, on, passed):
    facts = replace(CLEAN_ORG, established_on=established_on)
    assert only(check_organisation(facts, NUMBERS, on), "org_operating_years").passed is passed


def test_missing_establishment_date_fails_operating_years():
    facts = replace(CLEAN_ORG, established_on=None)
    assert only(check_organisation(facts, NUMBERS, ON), "org_operating_years").passed is False


@pytest.mark.parametrize(
    ("since", "passed"),
    [
        (datetime.date(2020, 6, 1), True),  # exactly 5 years
        (datetime.date(2020, 6, 2), False),  # one day short
        (datetime.date(2020, 1, 1), True),  # "since 2020" as the profile records it
        (datetime.date(2021, 1, 1), False),
    ],
)
def test_quality_work_years_boundary(since, passed):
    facts = replace(CLEAN_PERSON, quality_work_since=since)
    assert only(check_individual(facts, NUMBERS, ON), "ind_quality_years").passed is passed


@pytest.mark.parametrize(
    ("day", "passed"),
    [
        (datetime.date(2022, 6, 1), False),  # exactly 3 years before: inside 近3年
        (datetime.date(2022, 5, 31), True),  # one day earlier: outside
        (datetime.date(2025, 6, 1), False),  # on the reference date: inside
        (datetime.date(2025, 6, 2), True),  # after the reference date: not in the window
    ],
)
def test_lookback_window_boundary(day, passed):
    facts = replace(CLEAN_ORG, records=[record(ComplianceKind.VIOLATION, day)])
    finding = only(check_organisation(facts, NUMBERS, ON), "a12_3_accident_or_violation")
    assert finding.passed is passed


def test_lookback_boundary_applies_to_the_top_managers_organisation():
    inside = replace(
        CLEAN_PERSON,
        employer_records=[record(ComplianceKind.ORGANISATION_INCIDENT, datetime.date(2022, 6, 1))],
    )
    outside = replace(
        CLEAN_PERSON,
        employer_records=[record(ComplianceKind.ORGANISATION_INCIDENT, datetime.date(2022, 5, 31))],
    )
    assert only(check_individual(inside, NUMBERS, ON), "ind_employer_record").passed is False
    assert only(check_individual(outside, NUMBERS, ON), "ind_employer_record").passed is True


def test_lookback_message_names_the_window_and_the_record():
    facts = replace(CLEAN_ORG, records=[record(ComplianceKind.TAX_SOCIAL_INSURANCE)])
    with translation.override("en"):
        finding = only(check_organisation(facts, NUMBERS, ON), "a12_5_tax_social_insurance")
    assert finding.message == (
        "Article 12(5): in the 3 years from 2022-06-01 to 2025-06-01 there is a record that "
        "bars the application: Serious tax or social-insurance violation (A12.5) 2024-03-01 "
        "(二市监罚〔2024〕1号)."
    )


@pytest.mark.parametrize(
    ("listed_on", "removed_on", "passed"),
    [
        (datetime.date(2025, 6, 1), None, False),  # listed on the reference date
        (datetime.date(2025, 6, 2), None, True),  # listed the day after
        (datetime.date(2020, 1, 1), datetime.date(2025, 6, 1), True),  # removed that day
        (datetime.date(2020, 1, 1), datetime.date(2025, 6, 2), False),  # removed the day after
    ],
)
def test_list_membership_on_the_reference_date(listed_on, removed_on, passed):
    facts = replace(
        CLEAN_ORG, listings=[ListingFact(ListKind.SERIOUS_DISHONESTY, listed_on, removed_on)]
    )
    finding = only(check_organisation(facts, NUMBERS, ON), "a12_6_serious_dishonesty")
    assert finding.passed is passed


@pytest.mark.parametrize(
    ("started_on", "lifted_on", "passed"),
    [
        (datetime.date(2020, 6, 1), None, False),  # 5年内: the fifth anniversary still counts
        (datetime.date(2020, 5, 31), None, True),  # ended the day before
        (datetime.date(2025, 6, 2), None, True),  # not yet started
        (datetime.date(2024, 1, 1), datetime.date(2025, 6, 1), True),  # lifted
    ],
)
def test_fraud_ban_in_force_boundary(started_on, lifted_on, passed):
    facts = replace(CLEAN_ORG, bans=[BanFact(started_on, 5, "ref", lifted_on)])
    assert only(check_organisation(facts, NUMBERS, ON), "a28_fraud_ban").passed is passed


def test_revocation_for_fraud_within_the_lookback_fails_article_12_4_too():
    ban = BanFact(datetime.date(2023, 1, 1), 5, "二政发〔2023〕1号", lifted_on=None)
    findings = check_organisation(replace(CLEAN_ORG, bans=[ban]), NUMBERS, ON)
    assert only(findings, "a12_4_award_fraud").passed is False
    assert "二政发〔2023〕1号" in only(findings, "a12_4_award_fraud").message


def test_losses_are_read_from_the_last_three_complete_fiscal_years():
    old_loss = {2021: Decimal(-5), 2022: Decimal(0), 2023: Decimal(1), 2024: Decimal(1)}
    findings = check_organisation(replace(CLEAN_ORG, profits=old_loss), NUMBERS, ON)
    assert only(findings, "org_no_loss").passed is True  # 2021 is not among 2022–2024; 0 is no loss


def test_missing_figures_name_the_missing_years():
    facts = replace(CLEAN_ORG, profits={2023: Decimal(1)})
    with translation.override("en"):
        finding = only(check_organisation(facts, NUMBERS, ON), "org_loss_figures_missing")
    assert finding.message == (
        "Article 10(3): missing figures: the operating result of each of the last 3 complete "
        "fiscal years (2022–2024) is needed; missing: 2022, 2024."
    )


def test_a_loss_is_reported_even_when_other_years_are_missing():
    facts = replace(CLEAN_ORG, profits={2024: Decimal(-1)})
    codes = [f.code for f in failures(check_organisation(facts, NUMBERS, ON))]
    assert codes == ["org_loss_figures_missing", "org_no_loss"]


def test_numbers_come_from_the_rule_set_not_the_code():
    stricter = replace(NUMBERS, org_min_operating_years=10, lookback_years=5)
    facts = replace(CLEAN_ORG, records=[record(ComplianceKind.POLICY, datetime.date(2021, 1, 1))])
    findings = check_organisation(facts, stricter, ON)
    assert only(findings, "org_operating_years").passed is True  # since 2015: 10 years
    assert only(findings, "a12_1_policy").passed is False  # 2021 is within 5 years
    assert only(check_organisation(facts, NUMBERS, ON), "a12_1_policy").passed is True


# --- a rule set of another award -------------------------------------------------------


def native_win(cycles_ago: int) -> WinFact:
    """A win in the first cycle run here."""
    return WinFact(
        cycles_ago=cycles_ago,
        awarded_on=datetime.date(2021, 12, 20),
        reference="EH2021-01",
        cycle_number=1,
        cycle_name="第一届",
    )


IMPORTED_WIN = WinFact(
    cycles_ago=2, awarded_on=datetime.date(2021, 12, 20), reference="二政发〔2021〕9号"
)
WAIT_3 = replace(NUMBERS, winner_reapply_after_cycles=3)


def test_no_winner_waits_when_the_rule_set_says_zero_cycles():
    facts = replace(CLEAN_ORG, earlier_wins=[native_win(cycles_ago=1)])
    codes = [f.code for f in check_organisation(facts, NUMBERS, ON)]
    assert "winner_reapply_wait" not in codes


@pytest.mark.parametrize(
    ("cycles_ago", "passed"), [(1, False), (2, False), (3, False), (4, True), (5, True)]
)
def test_a_winner_sits_out_the_cycles_the_rule_set_names(cycles_ago, passed):
    numbers = replace(
        NUMBERS, winner_reapply_after_cycles=3, winner_reapply_article=10, winner_reapply_clause=2
    )
    win = native_win(cycles_ago=cycles_ago)
    for check, clean in ((check_organisation, CLEAN_ORG), (check_individual, CLEAN_PERSON)):
        facts = replace(clean, earlier_wins=[win])
        with translation.override("en"):
            finding = only(check(facts, numbers, ON), "winner_reapply_wait")
        assert finding.passed is passed
        assert finding.clause == "第十条第（二）项"
    if not passed:
        assert finding.message == (
            "Article 10(2): won the award in 第一届; a winner sits out the next 3 cycles and "
            "may apply again from cycle 5 on."
        )


def test_findings_cite_the_articles_of_the_rule_set():
    numbers = replace(
        NUMBERS, articles=Articles(organisation=8, individual=9, exclusions=6, fraud_ban=27)
    )
    young = replace(
        CLEAN_ORG,
        established_on=datetime.date(2023, 1, 1),
        bans=[BanFact(datetime.date(2021, 1, 1), 5, "内政发〔2021〕1号")],
        records=[record(ComplianceKind.POLICY)],
    )
    clauses = {f.code: f.clause for f in check_organisation(young, numbers, ON)}
    assert clauses["org_operating_years"] == "第八条第（一）项"
    assert clauses["org_no_loss"] == "第八条第（三）项"
    assert clauses["a12_1_policy"] == "第六条第（一）项"
    assert clauses["a12_6_abnormal_operations"] == "第六条第（六）项"
    assert clauses["a28_fraud_ban"] == "第二十七条"
    person = {f.code: f.clause for f in check_individual(CLEAN_PERSON, numbers, ON)}
    assert person["ind_quality_years"] == "第九条第（一）项"
    assert person["ind_employer_record"] == "第九条第（四）项"


def test_an_imported_win_bars_like_a_native_one_naming_its_date_and_document():
    for win in (native_win(cycles_ago=2), IMPORTED_WIN):
        facts = replace(CLEAN_ORG, earlier_wins=[win])
        assert only(check_organisation(facts, WAIT_3, ON), "winner_reapply_wait").passed is False
    facts = replace(CLEAN_ORG, earlier_wins=[IMPORTED_WIN])
    with translation.override("en"):
        finding = only(check_organisation(facts, WAIT_3, ON), "winner_reapply_wait")
    assert finding.message == (
        "Article 12: won the award on 2021-12-20 (二政发〔2021〕9号); a winner sits out the "
        "next 3 cycles and this is cycle 2 after the award."
    )


def test_a_win_revoked_by_the_reference_date_does_not_bar():
    for win in (native_win(cycles_ago=1), IMPORTED_WIN):
        revoked = replace(win, revoked_on=ON)
        facts = replace(CLEAN_ORG, earlier_wins=[revoked])
        assert only(check_organisation(facts, WAIT_3, ON), "winner_reapply_wait").passed is True
        later = replace(win, revoked_on=ON + datetime.timedelta(days=1))
        facts = replace(CLEAN_ORG, earlier_wins=[later])
        assert only(check_organisation(facts, WAIT_3, ON), "winner_reapply_wait").passed is False
