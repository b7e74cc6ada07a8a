"""Conflicts of interest (A25) from plain facts. No database, no request.

`find_conflicts(...)` returns one `ConflictFinding` per (expert, applicant, kind,
source, basis). Organisations conflict, not only people: an applicant stands for its
own organisation and, for an individual, for the individual's employer too. An
organisation is matched by its unified social credit code when both sides have one,
otherwise by its name (compared after NFKC normalisation, without spaces).

Derived from the records (source "derived"):

- employment: the expert works, or worked within the last `employment_years` years
  before `on`, at the applicant or at an individual applicant's employer. An
  employment counts while it has no end date or its end date is on or after the same
  day `employment_years` earlier (以内 includes the number, Civil Code art. 1259: with
  3 years on 2026-06-01, an employment that ended on 2023-06-01 still counts, one
  that ended on 2023-05-31 does not);
- group: such an employer and the applicant's organisation belong to the same group
  of companies (an `OrganisationGroup` kept by the office).

Declared by the expert (source "declared_by_expert"): a typed relation (consulting,
contract, financial, competitor, customer, supplier, relative, personal, …) with a
named applicant, or with an organisation or a person by credit code or name, which
matches the applicant's organisation, its employer, or the applicant's name.

Declared by the applicant (source "declared_by_applicant"): a typed relation with a
named expert, or with a person or organisation by credit code or name, which matches
the expert's name or an employer of the expert within the window.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qualityaward.applications.periods import add_years

from .enums import ConflictKind, ConflictSource

# --- plain inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class EmploymentFact:
    id: int
    organisation_name: str
    credit_code: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None  # None: current
    position: str = ""


@dataclass(frozen=True)
class ExpertDeclarationFact:
    """A relation the expert declares (ConflictDeclaration)."""

    id: int
    kind: str  # ConflictKind value
    applicant_id: int | None = None
    name: str = ""  # an organisation's or a person's name
    credit_code: str = ""
    description: str = ""


@dataclass(frozen=True)
class ExpertFacts:
    id: int
    name: str
    employments: Sequence[EmploymentFact] = ()
    declarations: Sequence[ExpertDeclarationFact] = ()


@dataclass(frozen=True)
class ApplicantFacts:
    id: int
    name: str
    is_individual: bool = False
    credit_code: str = ""  # an organisation's own code
    employer_name: str = ""  # an individual's employer
    employer_credit_code: str = ""


@dataclass(frozen=True)
class DeclaredInterest:
    """A relation an applicant declares in its application: with an expert (by id), or
    with a person or organisation by name and/or credit code. `ref` identifies the
    record it comes from (stable across refreshes, e.g. "application:7:interest:3")."""

    applicant_id: int
    relation: str  # ConflictKind value
    name: str = ""
    credit_code: str = ""
    expert_id: int | None = None
    ref: str = ""


@dataclass(frozen=True)
class GroupFacts:
    id: int
    name: str
    credit_codes: frozenset[str]


# --- findings --------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictFinding:
    expert_id: int
    applicant_id: int
    kind: str  # ConflictKind value
    source: str  # ConflictSource value
    explanation: str
    # What the finding rests on, stable across refreshes ("employment:12",
    # "group:3:employment:12", "declaration:5", "interest:<ref>").
    basis: str

    @property
    def key(self) -> tuple[int, int, str, str, str]:
        return (self.expert_id, self.applicant_id, self.kind, self.source, self.basis)


# --- helpers ---------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def employment_window_start(on: datetime.date, years: int) -> datetime.date:
    """The first end date that still counts: the same day `years` earlier."""
    return add_years(on, -years)


def employment_counts(employment: EmploymentFact, on: datetime.date, years: int) -> bool:
    return employment.end is None or employment.end >= employment_window_start(on, years)


@dataclass(frozen=True)
class _OrgRef:
    """An organisation the applicant stands for: its own, or an individual's employer."""

    applicant_id: int
    role: str  # "applicant" or "employer"
    name: str
    code: str


def _org_refs(applicant: ApplicantFacts) -> list[_OrgRef]:
    if applicant.is_individual:
        if applicant.employer_name or applicant.employer_credit_code:
            return [
                _OrgRef(
                    applicant.id,
                    "employer",
                    applicant.employer_name,
                    normalise_code(applicant.employer_credit_code),
                )
            ]
        return []
    return [
        _OrgRef(applicant.id, "applicant", applicant.name, normalise_code(applicant.credit_code))
    ]


class _OrgIndex:
    """Finds the applicants an organisation (name, code) stands for."""

    def __init__(self, applicants: Iterable[ApplicantFacts]) -> None:
        self.by_code: dict[str, list[_OrgRef]] = defaultdict(list)
        self.by_name: dict[str, list[_OrgRef]] = defaultdict(list)
        self.person_by_name: dict[str, list[ApplicantFacts]] = defaultdict(list)
        for applicant in applicants:
            for ref in _org_refs(applicant):
                if ref.code:
                    self.by_code[ref.code].append(ref)
                if ref.name:
                    self.by_name[normalise_name(ref.name)].append(ref)
            if applicant.is_individual:
                self.person_by_name[normalise_name(applicant.name)].append(applicant)

    def match(self, name: str, code: str) -> list[_OrgRef]:
        """By code when both sides have one, else by name."""
        code, key = normalise_code(code), normalise_name(name)
        found = list(self.by_code.get(code, ())) if code else []
        if key:
            found += [ref for ref in self.by_name.get(key, ()) if not (code and ref.code)]
        return found


def _org_label(ref: _OrgRef) -> str:
    return ref.name or ref.code


def _period(employment: EmploymentFact) -> str:
    start = employment.start.isoformat() if employment.start else "…"
    end = employment.end.isoformat() if employment.end else _("now")
    return f"{start} – {end}"


def _employment_text(ref: _OrgRef, employment: EmploymentFact, years: int) -> str:
    params = {
        "org": _org_label(ref),
        "period": _period(employment),
        "years": years,
    }
    if employment.end is None:
        if ref.role == "employer":
            return _("The expert works at %(org)s (%(period)s), the applicant's employer.") % params
        return _("The expert works at the applicant, %(org)s (%(period)s).") % params
    if ref.role == "employer":
        return (
            _(
                "The expert worked at %(org)s (%(period)s), the applicant's employer, "
                "within the last %(years)s years."
            )
            % params
        )
    return (
        _(
            "The expert worked at the applicant, %(org)s (%(period)s), within the last "
            "%(years)s years."
        )
        % params
    )


def _interest_ref(interest: DeclaredInterest) -> str:
    return (
        f"{interest.relation}:{normalise_code(interest.credit_code)}:"
        f"{normalise_name(interest.name)}:{interest.expert_id or ''}"
    )


# --- the check -------------------------------------------------------------------------


def find_conflicts(
    *,
    experts: Sequence[ExpertFacts],
    applicants: Sequence[ApplicantFacts],
    on: datetime.date,
    employment_years: int,
    groups: Sequence[GroupFacts] = (),
    interests: Sequence[DeclaredInterest] = (),
) -> list[ConflictFinding]:
    """Every conflict between the given experts and applicants, sorted by key."""
    kinds = {value for value in ConflictKind.values}
    index = _OrgIndex(applicants)
    applicant_ids = {a.id for a in applicants}
    applicant_by_id = {a.id: a for a in applicants}
    group_of_code: dict[str, list[GroupFacts]] = defaultdict(list)
    for group in groups:
        for code in group.credit_codes:
            group_of_code[normalise_code(code)].append(group)
    refs_by_group: dict[int, list[_OrgRef]] = defaultdict(list)
    for applicant in applicants:
        for ref in _org_refs(applicant):
            for group in group_of_code.get(ref.code, ()) if ref.code else ():
                refs_by_group[group.id].append(ref)

    findings: dict[tuple, ConflictFinding] = {}

    def add(finding: ConflictFinding) -> None:
        findings.setdefault(finding.key, finding)

    for expert in experts:
        employments = [e for e in expert.employments if employment_counts(e, on, employment_years)]
        for employment in employments:
            for ref in index.match(employment.organisation_name, employment.credit_code):
                add(
                    ConflictFinding(
                        expert.id,
                        ref.applicant_id,
                        ConflictKind.EMPLOYMENT,
                        ConflictSource.DERIVED,
                        _employment_text(ref, employment, employment_years),
                        f"employment:{employment.id}:{ref.role}",
                    )
                )
            code = normalise_code(employment.credit_code)
            for group in group_of_code.get(code, ()) if code else ():
                for ref in refs_by_group[group.id]:
                    if ref.code == code:
                        continue  # the same organisation: an employment conflict
                    add(
                        ConflictFinding(
                            expert.id,
                            ref.applicant_id,
                            ConflictKind.GROUP,
                            ConflictSource.DERIVED,
                            _(
                                "%(employer)s, where the expert works or worked (%(period)s), "
                                "and %(org)s are in the same group, %(group)s."
                            )
                            % {
                                "employer": employment.organisation_name or code,
                                "period": _period(employment),
                                "org": _org_label(ref),
                                "group": group.name,
                            },
                            f"group:{group.id}:employment:{employment.id}:{ref.role}",
                        )
                    )
        for declaration in expert.declarations:
            kind = declaration.kind if declaration.kind in kinds else ConflictKind.OTHER
            label = str(ConflictKind(kind).label)
            matched: set[int] = set()
            if declaration.applicant_id in applicant_ids:
                matched.add(declaration.applicant_id)
            for ref in index.match(declaration.name, declaration.credit_code):
                matched.add(ref.applicant_id)
            if declaration.name and not declaration.credit_code:
                for person in index.person_by_name.get(normalise_name(declaration.name), ()):
                    matched.add(person.id)
            for applicant_id in matched:
                about = declaration.name or declaration.credit_code
                add(
                    ConflictFinding(
                        expert.id,
                        applicant_id,
                        kind,
                        ConflictSource.DECLARED_BY_EXPERT,
                        (
                            _("The expert declared: %(kind)s with %(about)s.")
                            % {"kind": label, "about": about}
                            if about
                            else _("The expert declared: %(kind)s with %(applicant)s.")
                            % {"kind": label, "applicant": applicant_by_id[applicant_id].name}
                        )
                        + (f" {declaration.description}" if declaration.description else ""),
                        f"declaration:{declaration.id}",
                    )
                )

    # Declared by applicants: index the experts by name and by employer in the window.
    experts_by_id = {e.id: e for e in experts}
    experts_by_name: dict[str, list[ExpertFacts]] = defaultdict(list)
    employers_by_code: dict[str, list[tuple[ExpertFacts, EmploymentFact]]] = defaultdict(list)
    employers_by_name: dict[str, list[tuple[ExpertFacts, EmploymentFact]]] = defaultdict(list)
    for expert in experts:
        experts_by_name[normalise_name(expert.name)].append(expert)
        for employment in expert.employments:
            if employment_counts(employment, on, employment_years):
                if employment.credit_code:
                    employers_by_code[normalise_code(employment.credit_code)].append(
                        (expert, employment)
                    )
                employers_by_name[normalise_name(employment.organisation_name)].append(
                    (expert, employment)
                )
    for interest in interests:
        if interest.applicant_id not in applicant_ids:
            continue
        kind = interest.relation if interest.relation in kinds else ConflictKind.OTHER
        label = str(ConflictKind(kind).label)
        about = interest.name or interest.credit_code
        matched_experts: dict[int, str] = {}
        if interest.expert_id in experts_by_id:
            matched_experts[interest.expert_id] = experts_by_id[interest.expert_id].name
        code, key = normalise_code(interest.credit_code), normalise_name(interest.name)
        if code:
            for expert, employment in employers_by_code.get(code, ()):
                matched_experts.setdefault(expert.id, employment.organisation_name)
        if key:
            for expert in experts_by_name.get(key, ()):
                matched_experts.setdefault(expert.id, expert.name)
            for expert, employment in employers_by_name.get(key, ()):
                if not (code and employment.credit_code):
                    matched_experts.setdefault(expert.id, employment.organisation_name)
        for expert_id, through in matched_experts.items():
            add(
                ConflictFinding(
                    expert_id,
                    interest.applicant_id,
                    kind,
                    ConflictSource.DECLARED_BY_APPLICANT,
                    _("The applicant declared: %(kind)s with %(about)s.")
                    % {"kind": label, "about": about or through},
                    f"interest:{interest.ref or _interest_ref(interest)}",
                )
            )
    return [findings[key] for key in sorted(findings)]
