"""The pure conflict check (A25) on plain facts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from qualityaward.evaluation.conflicts import (
    ApplicantFacts,
    ConflictFinding,
    DeclaredInterest,
    EmploymentFact,
    ExpertDeclarationFact,
    ExpertFacts,
    GroupFacts,
    find_conflicts,
)
from qualityaward.evaluation.enums import ConflictKind, ConflictSource

ON = datetime.date(2026, 6, 1)
ACME = "91152501MA0000001X"
ACME_SUB = "91152501MA0000002X"
OTHER = "91152501MA0000009X"
CONSULTANT = "91152501MA0000077X"

ORG = ApplicantFacts(id=1, name="二连浩特市阿克米有限公司", credit_code=ACME)
PERSON = ApplicantFacts(
    id=2,
    name="巴特尔",
    is_individual=True,
    employer_name="二连浩特市阿克米有限公司",
    employer_credit_code=ACME,
)
UNRELATED = ApplicantFacts(id=3, name="二连浩特市无关有限公司", credit_code=OTHER)
SUBSIDIARY = ApplicantFacts(id=4, name="阿克米物流有限公司", credit_code=ACME_SUB)


def check(expert, applicants=(ORG, PERSON, UNRELATED), **kwargs):
    with translation.override("en"):
        return find_conflicts(
            experts=[expert],
            applicants=list(applicants),
            on=ON,
            employment_years=kwargs.pop("years", 3),
            **kwargs,
        )


def job(end, code=ACME, name="阿克米", start=datetime.date(2015, 3, 1), id=7):
    return EmploymentFact(id=id, organisation_name=name, credit_code=code, start=start, end=end)


def test_current_employer_is_the_applicant_and_the_individuals_employer():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(None, name="二连浩特市阿克米有限公司")]
    )
    findings = check(expert)
    assert findings == [
        ConflictFinding(
            10,
            1,
            ConflictKind.EMPLOYMENT,
            ConflictSource.DERIVED,
            "The expert works at the applicant, 二连浩特市阿克米有限公司 (2015-03-01 – now).",
            "employment:7:applicant",
        ),
        ConflictFinding(
            10,
            2,
            ConflictKind.EMPLOYMENT,
            ConflictSource.DERIVED,
            "The expert works at 二连浩特市阿克米有限公司 (2015-03-01 – now), the applicant's "
            "employer.",
            "employment:7:employer",
        ),
    ]


def test_former_employer_ending_on_the_first_day_of_the_window_counts():
    expert = ExpertFacts(id=10, name="张三", employments=[job(datetime.date(2023, 6, 1))])
    findings = check(expert, applicants=[ORG])
    assert [(f.applicant_id, f.kind) for f in findings] == [(1, ConflictKind.EMPLOYMENT)]
    assert findings[0].explanation == (
        "The expert worked at the applicant, 二连浩特市阿克米有限公司 (2015-03-01 – 2023-06-01), "
        "within the last 3 years."
    )


def test_former_employer_ending_the_day_before_the_window_does_not_count():
    expert = ExpertFacts(id=10, name="张三", employments=[job(datetime.date(2023, 5, 31))])
    assert check(expert) == []


def test_employment_window_follows_the_rule_set_years():
    expert = ExpertFacts(id=10, name="张三", employments=[job(datetime.date(2023, 5, 31))])
    assert [f.applicant_id for f in check(expert, years=5)] == [1, 2]


def test_employer_matched_by_name_when_the_expert_gave_no_code():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(None, code="", name="二连浩特市 阿克米有限公司")]
    )
    assert [f.applicant_id for f in check(expert)] == [1, 2]


def test_same_name_with_a_different_code_is_not_the_same_organisation():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(None, code=OTHER[:-1] + "Y", name=ORG.name)]
    )
    assert check(expert) == []


def test_same_group_of_companies_is_a_conflict():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(None, code=ACME_SUB, name="阿克米物流")]
    )
    group = GroupFacts(id=3, name="阿克米集团", credit_codes=frozenset({ACME, ACME_SUB}))
    findings = check(expert, applicants=[ORG, PERSON, UNRELATED, SUBSIDIARY], groups=[group])
    assert [(f.applicant_id, f.kind, f.basis) for f in findings] == [
        (1, ConflictKind.GROUP, "group:3:employment:7:applicant"),
        (2, ConflictKind.GROUP, "group:3:employment:7:employer"),
        (4, ConflictKind.EMPLOYMENT, "employment:7:applicant"),
    ]
    assert findings[0].explanation == (
        "阿克米物流, where the expert works or worked (2015-03-01 – now), and "
        "二连浩特市阿克米有限公司 are in the same group, 阿克米集团."
    )


def test_group_membership_of_a_former_employer_outside_the_window_does_not_count():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(datetime.date(2020, 1, 1), code=ACME_SUB)]
    )
    group = GroupFacts(id=3, name="阿克米集团", credit_codes=frozenset({ACME, ACME_SUB}))
    assert check(expert, groups=[group]) == []


@pytest.mark.parametrize("kind", ConflictKind.values)
def test_each_relation_declared_by_the_expert_about_an_applicant(kind):
    expert = ExpertFacts(
        id=10,
        name="张三",
        declarations=[ExpertDeclarationFact(id=5, kind=kind, applicant_id=3)],
    )
    findings = check(expert)
    with translation.override("en"):
        label = str(ConflictKind(kind).label)
    assert findings == [
        ConflictFinding(
            10,
            3,
            kind,
            ConflictSource.DECLARED_BY_EXPERT,
            f"The expert declared: {label} with 二连浩特市无关有限公司.",
            "declaration:5",
        )
    ]


@pytest.mark.parametrize(
    "kind", [ConflictKind.COMPETITOR, ConflictKind.CUSTOMER, ConflictKind.SUPPLIER]
)
def test_declared_relation_with_an_organisation_reaches_its_employees(kind):
    """The expert's employer's main competitor, customer or supplier, declared by code:
    the organisation and an individual employed there are both conflicted."""
    expert = ExpertFacts(
        id=10,
        name="张三",
        declarations=[
            ExpertDeclarationFact(id=5, kind=kind, name="阿克米", credit_code=ACME, description="")
        ],
    )
    findings = check(expert)
    assert [(f.applicant_id, f.kind, f.source) for f in findings] == [
        (1, kind, ConflictSource.DECLARED_BY_EXPERT),
        (2, kind, ConflictSource.DECLARED_BY_EXPERT),
    ]


def test_declared_relative_by_name_matches_an_individual_applicant():
    expert = ExpertFacts(
        id=10,
        name="张三",
        declarations=[
            ExpertDeclarationFact(
                id=5, kind=ConflictKind.RELATIVE, name="巴特尔", description="表兄弟。"
            )
        ],
    )
    findings = check(expert)
    assert [(f.applicant_id, f.kind) for f in findings] == [(2, ConflictKind.RELATIVE)]
    assert findings[0].explanation == "The expert declared: Relative with 巴特尔. 表兄弟。"


def test_declared_by_the_applicant_naming_the_experts_employer():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(None, code=CONSULTANT, name="某咨询公司")]
    )
    interest = DeclaredInterest(
        applicant_id=1, relation=ConflictKind.CONSULTING, credit_code=CONSULTANT, ref="a:1"
    )
    findings = check(expert, interests=[interest])
    assert findings == [
        ConflictFinding(
            10,
            1,
            ConflictKind.CONSULTING,
            ConflictSource.DECLARED_BY_APPLICANT,
            f"The applicant declared: Consulting relation with {CONSULTANT}.",
            "interest:a:1",
        )
    ]


def test_declared_by_the_applicant_naming_the_expert():
    expert = ExpertFacts(id=10, name="张 三")
    by_name = DeclaredInterest(applicant_id=3, relation=ConflictKind.PERSONAL, name="张三", ref="n")
    by_id = DeclaredInterest(applicant_id=1, relation=ConflictKind.FINANCIAL, expert_id=10, ref="i")
    findings = check(expert, interests=[by_name, by_id])
    assert [(f.applicant_id, f.kind, f.source) for f in findings] == [
        (1, ConflictKind.FINANCIAL, ConflictSource.DECLARED_BY_APPLICANT),
        (3, ConflictKind.PERSONAL, ConflictSource.DECLARED_BY_APPLICANT),
    ]


def test_applicant_interest_in_a_former_employer_outside_the_window_does_not_count():
    expert = ExpertFacts(
        id=10, name="张三", employments=[job(datetime.date(2020, 1, 1), code=OTHER)]
    )
    interest = DeclaredInterest(applicant_id=1, relation=ConflictKind.COMPETITOR, credit_code=OTHER)
    assert check(expert, interests=[interest]) == []


def test_no_relation_no_conflict():
    expert = ExpertFacts(
        id=10,
        name="张三",
        employments=[job(None, code="91152501MA0000055X", name="别的公司")],
    )
    assert check(expert) == []
