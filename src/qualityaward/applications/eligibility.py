"""Who may apply (A10, A11, A12, A28), checked from plain facts. No database, no request.

`check_organisation(facts, numbers, on)` and `check_individual(facts, numbers, on)`
return one `Finding` per condition, in the order of the measures:

- kind CHECK: an objective condition the system decides (passed True/False);
- kind ATTESTATION: a judgement condition the applicant attests in the application
  form and the office confirms in the qualification review (passed is False until
  then, so `all(f.passed for f in findings)` is never true by accident).

Counting conventions (Civil Code; spec "Counting conventions"):

- "N年以上" includes N (art. 1259): operating since 2022-06-01 is 3 years on
  2025-06-01; on 2025-05-31 it is one day short.
- "近N年" is the N years before the reference date `on` (the call's date), both ends
  included: a record dated exactly N years before `on` (same day and month) still
  counts; one dated the day before that does not. We read 近3年 as 3年以内, and 以内
  includes the number (art. 1259), so an exclusion is not shortened by a day.
  Records dated after `on` are outside the window (the qualification review can run
  the check again with a later date).
- The no-loss condition reads the last N complete fiscal (calendar) years before `on`
  (on 2025-06-01: 2024, 2023, 2022); figures for every one of them must be present.
- A list entry counts when `listed_on <= on < removed_on`.
- A fraud ban (A28, "5年内") is in force from its start through the same day N years
  later, unless lifted on or before `on`.
- An earlier winner sits out the next `winner_reapply_after_cycles` cycles of the award
  (0: none). A win in a cycle run here is `cycles_ago` = the difference of the cycle
  numbers; an imported win (award year Y) applying to a cycle starting in year C is
  `(C - Y) // cycle_years` cycles ago, at least 1 (the adapter counts it). A win revoked
  on or before `on` no longer counts (its fraud ban does).
- A person's quality work "since year Y" counts from 1 January of Y (the adapter turns
  the year into that date; the form asks only for the year).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .enums import ComplianceKind, ListKind
from .periods import (
    add_years,
    complete_fiscal_years,
    full_years_between,
    in_lookback,
    lookback_start,
)

# --- plain inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Articles:
    """The articles the conditions rest on: Erenhot's by default; the adapter takes them
    from the rule set (the article each condition's number cites)."""

    organisation: int = 10
    individual: int = 11
    exclusions: int = 12
    fraud_ban: int = 28


@dataclass(frozen=True)
class EligibilityNumbers:
    """The rule set's numbers (never constants in code): build with
    `applications.selectors.eligibility.eligibility_numbers(version=...)`."""

    org_min_operating_years: int
    org_no_loss_years: int
    individual_min_quality_years: int
    lookback_years: int
    fraud_ban_years: int
    # Later cycles an earlier winner sits out, and the article (clause) that says so.
    winner_reapply_after_cycles: int = 0
    winner_reapply_article: int = 12
    winner_reapply_clause: int | None = None
    articles: Articles = Articles()


@dataclass(frozen=True)
class RecordFact:
    kind: str  # ComplianceKind value
    occurred_on: datetime.date
    description: str = ""
    source_document: str = ""


@dataclass(frozen=True)
class ListingFact:
    list_kind: str  # ListKind value
    listed_on: datetime.date
    removed_on: datetime.date | None = None
    authority: str = ""


@dataclass(frozen=True)
class BanFact:
    started_on: datetime.date
    years: int
    revocation_reference: str = ""
    lifted_on: datetime.date | None = None


@dataclass(frozen=True)
class WinFact:
    """An earlier win of the award: in a cycle run here (its number and name), or imported
    from the office's history (its award date and commendation document)."""

    cycles_ago: int  # counted back from the cycle applied to
    awarded_on: datetime.date
    reference: str = ""  # certificate number or commendation document
    revoked_on: datetime.date | None = None
    cycle_number: int | None = None  # None: imported from the history
    cycle_name: str = ""


@dataclass(frozen=True)
class OrgFacts:
    name: str
    established_on: datetime.date | None
    in_jurisdiction: bool
    is_for_profit: bool
    profits: Mapping[int, Decimal] = field(default_factory=dict)  # fiscal year → profit
    records: Sequence[RecordFact] = ()
    listings: Sequence[ListingFact] = ()
    bans: Sequence[BanFact] = ()
    earlier_wins: Sequence[WinFact] = ()


@dataclass(frozen=True)
class IndividualFacts:
    name: str
    quality_work_since: datetime.date | None
    is_top_manager: bool
    # The employer as a registered Organisation (None: given as text only).
    employer_name: str = ""
    employer_registered: bool = False
    employer_records: Sequence[RecordFact] = ()
    records: Sequence[RecordFact] = ()
    bans: Sequence[BanFact] = ()
    earlier_wins: Sequence[WinFact] = ()


# --- findings --------------------------------------------------------------------------


class FindingKind:
    CHECK = "check"
    ATTESTATION = "attestation"


_ZH_DIGITS = "零一二三四五六七八九"


def _zh_number(number: int) -> str:
    tens, units = divmod(number, 10)
    text = ("" if tens <= 1 else _ZH_DIGITS[tens]) + ("十" if tens else "")
    return text + (_ZH_DIGITS[units] if units else "")


def clause_zh(article: int, item: int | None = None) -> str:
    """第十条, 第十二条第（三）项 (full-width brackets, as the measures write it)."""
    text = f"第{_zh_number(article)}条"
    if item:
        text += f"第（{_zh_number(item)}）项"
    return text


def clause_display(article: int, item: int | None = None) -> str:
    """The citation in the current language: 第十条第（一）项 or “Article 10(1)”."""
    if (get_language() or "").lower().startswith("zh"):
        return clause_zh(article, item)
    if item:
        return _("Article %(article)s(%(item)s)") % {"article": article, "item": item}
    return _("Article %(article)s") % {"article": article}


@dataclass(frozen=True)
class Finding:
    code: str
    kind: str  # FindingKind
    passed: bool
    message: str  # translated, starts with the clause it rests on
    clause: str  # 第十条第（一）项: the measures' own citation, whatever the language
    article: int
    item: int | None = None

    @property
    def is_check(self) -> bool:
        return self.kind == FindingKind.CHECK

    @property
    def is_attestation(self) -> bool:
        return self.kind == FindingKind.ATTESTATION


def _finding(
    code: str, article: int, item: int | None, passed: bool, text: str, *, kind=FindingKind.CHECK
) -> Finding:
    message = _("%(clause)s: %(text)s") % {"clause": clause_display(article, item), "text": text}
    return Finding(
        code=code,
        kind=kind,
        passed=passed,
        message=message,
        clause=clause_zh(article, item),
        article=article,
        item=item,
    )


def _attestation(code: str, article: int, item: int | None, text: str) -> Finding:
    return _finding(code, article, item, False, text, kind=FindingKind.ATTESTATION)


def objective_passed(findings: Sequence[Finding]) -> bool:
    """Every objective condition is met (attestations are left to the form and review)."""
    return all(f.passed for f in findings if f.is_check)


def failures(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_check and not f.passed]


def attestations(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_attestation]


# --- the conditions --------------------------------------------------------------------

# A12 items checked from the office's records, and the kinds that bar under each.
A12_RECORD_KINDS: dict[int, frozenset[str]] = {
    1: frozenset({ComplianceKind.POLICY}),
    2: frozenset({ComplianceKind.LICENCE}),
    3: frozenset(
        {ComplianceKind.ACCIDENT, ComplianceKind.QUALITY_PROBLEM, ComplianceKind.VIOLATION}
    ),
    4: frozenset({ComplianceKind.AWARD_FRAUD}),
    5: frozenset({ComplianceKind.TAX_SOCIAL_INSURANCE}),
}
A12_CODES = {
    1: "a12_1_policy",
    2: "a12_2_licence",
    3: "a12_3_accident_or_violation",
    4: "a12_4_award_fraud",
    5: "a12_5_tax_social_insurance",
}
# A11(4): what of the top manager's organisation bars the individual: a record of a major
# accident or complaint (A11.4), and any violation of law (“无违法违规不良记录”).
A11_4_EMPLOYER_KINDS = frozenset({ComplianceKind.ORGANISATION_INCIDENT, ComplianceKind.VIOLATION})


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _describe_records(records: Sequence[RecordFact]) -> str:
    labels = dict(ComplianceKind.choices)
    parts = []
    for record in sorted(records, key=lambda r: r.occurred_on):
        text = f"{labels.get(record.kind, record.kind)} {_iso(record.occurred_on)}"
        if record.source_document:
            text += f" ({record.source_document})"
        parts.append(text)
    return "; ".join(parts)


def _record_findings(
    records: Sequence[RecordFact], bans: Sequence[BanFact], numbers: EligibilityNumbers, on
) -> list[Finding]:
    years = numbers.lookback_years
    article = numbers.articles.exclusions
    since = lookback_start(on, years)
    window = {"years": years, "since": _iso(since), "on": _iso(on)}
    findings = []
    for item, kinds in A12_RECORD_KINDS.items():
        hits = [r for r in records if r.kind in kinds and in_lookback(r.occurred_on, on, years)]
        revocations = []
        if item == 4:
            # A revocation of this award for fraud is fraud in a government award too.
            revocations = [b for b in bans if in_lookback(b.started_on, on, years)]
        if hits or revocations:
            found = _describe_records(hits)
            if revocations:
                revoked = "; ".join(
                    _("award revoked for fraud %(date)s (%(reference)s)")
                    % {"date": _iso(b.started_on), "reference": b.revocation_reference}
                    for b in revocations
                )
                found = f"{found}; {revoked}" if found else revoked
            text = _(
                "in the %(years)s years from %(since)s to %(on)s there is a record that bars "
                "the application: %(found)s."
            ) % {**window, "found": found}
            findings.append(_finding(A12_CODES[item], article, item, False, text))
        else:
            text = _("no record in the %(years)s years from %(since)s to %(on)s.") % window
            findings.append(_finding(A12_CODES[item], article, item, True, text))
    return findings


def _listing_findings(listings: Sequence[ListingFact], on, article: int) -> list[Finding]:
    findings = []
    for list_kind, code in (
        (ListKind.ABNORMAL_OPERATIONS, "a12_6_abnormal_operations"),
        (ListKind.SERIOUS_DISHONESTY, "a12_6_serious_dishonesty"),
    ):
        label = str(ListKind(list_kind).label)
        label = label[:1].lower() + label[1:]  # "the abnormal-operations list"
        current = [
            entry
            for entry in listings
            if entry.list_kind == list_kind
            and entry.listed_on <= on
            and (entry.removed_on is None or on < entry.removed_on)
        ]
        if current:
            entry = min(current, key=lambda e: e.listed_on)
            text = _("on the %(list)s on %(on)s (listed on %(listed_on)s by %(authority)s).") % {
                "list": label,
                "on": _iso(on),
                "listed_on": _iso(entry.listed_on),
                "authority": entry.authority,
            }
            findings.append(_finding(code, article, 6, False, text))
        else:
            text = _("not on the %(list)s on %(on)s.") % {"list": label, "on": _iso(on)}
            findings.append(_finding(code, article, 6, True, text))
    return findings


def ban_in_force(ban: BanFact, on: datetime.date) -> bool:
    if ban.lifted_on is not None and ban.lifted_on <= on:
        return False
    return ban.started_on <= on <= add_years(ban.started_on, ban.years)


def _ban_finding(bans: Sequence[BanFact], on, article: int) -> Finding:
    current = [b for b in bans if ban_in_force(b, on)]
    if current:
        ban = max(current, key=lambda b: add_years(b.started_on, b.years))
        text = _(
            "the award was revoked for fraud (%(reference)s); no application until "
            "%(until)s inclusive."
        ) % {
            "reference": ban.revocation_reference,
            "until": _iso(add_years(ban.started_on, ban.years)),
        }
        return _finding("a28_fraud_ban", article, None, False, text)
    return _finding("a28_fraud_ban", article, None, True, _("no ban for fraud in force."))


def _reapply_findings(
    wins: Sequence[WinFact], numbers: EligibilityNumbers, on: datetime.date
) -> list[Finding]:
    """A winner sits out the next N cycles of the same award (none when N is 0); a win
    revoked by the reference date does not count, whether won here or imported."""
    wait = numbers.winner_reapply_after_cycles
    if not wait:
        return []
    article, clause = numbers.winner_reapply_article, numbers.winner_reapply_clause
    recent = [
        win
        for win in wins
        if 0 < win.cycles_ago <= wait and (win.revoked_on is None or on < win.revoked_on)
    ]
    if recent:
        win = min(recent, key=lambda w: w.cycles_ago)
        if win.cycle_number is None:
            text = _(
                "won the award on %(date)s (%(reference)s); a winner sits out the next "
                "%(wait)s cycles and this is cycle %(ago)s after the award."
            ) % {
                "date": _iso(win.awarded_on),
                "reference": win.reference,
                "ago": win.cycles_ago,
                "wait": wait,
            }
        else:
            text = _(
                "won the award in %(cycle)s; a winner sits out the next %(wait)s cycles and may "
                "apply again from cycle %(next)s on."
            ) % {"cycle": win.cycle_name, "wait": wait, "next": win.cycle_number + wait + 1}
        return [_finding("winner_reapply_wait", article, clause, False, text)]
    text = _("no award won in the last %(wait)s cycles.") % {"wait": wait}
    return [_finding("winner_reapply_wait", article, clause, True, text)]


def check_organisation(
    facts: OrgFacts, numbers: EligibilityNumbers, on: datetime.date
) -> list[Finding]:
    """Every condition of A10, A12 and A28 for an organisation on the reference date, and
    the rule set's wait for earlier winners."""
    findings: list[Finding] = []
    article = numbers.articles.organisation
    # A10(1): registered in the city, operating 3 years or more.
    if facts.in_jurisdiction:
        findings.append(
            _finding("org_registered_in_city", article, 1, True, _("registered in the city."))
        )
    else:
        findings.append(
            _finding(
                "org_registered_in_city",
                article,
                1,
                False,
                _("the organisation has not stated that it is registered in the city."),
            )
        )
    required = numbers.org_min_operating_years
    if facts.established_on is None:
        findings.append(
            _finding(
                "org_operating_years",
                article,
                1,
                False,
                _(
                    "the date of establishment is missing; at least %(required)s years of "
                    "operation are required."
                )
                % {"required": required},
            )
        )
    else:
        operated = full_years_between(facts.established_on, on)
        due = add_years(facts.established_on, required)
        if operated >= required:
            text = _(
                "operating for %(years)s full years on %(on)s (established on %(since)s); "
                "at least %(required)s are required."
            )
            passed = True
        else:
            text = _(
                "operating for %(years)s full years on %(on)s (established on %(since)s); at "
                "least %(required)s are required, reached on %(due)s."
            )
            passed = False
        findings.append(
            _finding(
                "org_operating_years",
                article,
                1,
                passed,
                text
                % {
                    "years": operated,
                    "on": _iso(on),
                    "since": _iso(facts.established_on),
                    "required": required,
                    "due": _iso(due),
                },
            )
        )
    findings.append(
        _attestation(
            "org_policy_and_licences",
            article,
            1,
            _(
                "to be attested: independent legal person; complies with industry, "
                "environmental, energy, safety and quality law and policy; holds the "
                "required licences."
            ),
        )
    )
    # A10(2): judgement.
    findings.append(
        _attestation(
            "org_quality_system",
            article,
            2,
            _(
                "to be attested: an effective quality-management system, the "
                "performance-excellence model in use, continuous improvement, leading "
                "in its sector in the city."
            ),
        )
    )
    # A10(3): no operating loss (for-profit), results among the best.
    if facts.is_for_profit:
        findings.extend(_loss_findings(facts.profits, numbers.org_no_loss_years, on, article))
        results_text = _(
            "to be attested: outstanding quality, innovation, brand and results; quality "
            "level and main economic and technical indicators among the best in its "
            "sector in the city."
        )
    else:
        results_text = _(
            "to be attested (non-profit organisation): social contribution among the "
            "best in its sector in the city."
        )
    findings.append(_attestation("org_results", article, 3, results_text))
    # A12(1)–(5) from records, A12(6) from the lists, A28 from bans.
    findings.extend(_record_findings(facts.records, facts.bans, numbers, on))
    findings.extend(_listing_findings(facts.listings, on, numbers.articles.exclusions))
    findings.append(_ban_finding(facts.bans, on, numbers.articles.fraud_ban))
    findings.extend(_reapply_findings(facts.earlier_wins, numbers, on))
    return findings


def _loss_findings(profits: Mapping[int, Decimal], count: int, on, article: int) -> list[Finding]:
    years = complete_fiscal_years(on, count)
    if not years:
        return [_finding("org_no_loss", article, 3, True, _("no loss period is required."))]
    span = {"count": count, "first": min(years), "last": max(years)}
    missing = sorted(year for year in years if year not in profits)
    losses = sorted(year for year in years if year in profits and profits[year] < 0)
    findings = []
    if missing:
        findings.append(
            _finding(
                "org_loss_figures_missing",
                article,
                3,
                False,
                _(
                    "missing figures: the operating result of each of the last %(count)s "
                    "complete fiscal years (%(first)s–%(last)s) is needed; missing: %(missing)s."
                )
                % {**span, "missing": ", ".join(str(y) for y in missing)},
            )
        )
    if losses:
        findings.append(
            _finding(
                "org_no_loss",
                article,
                3,
                False,
                _(
                    "an operating loss in %(losses)s; none is allowed in the last %(count)s "
                    "complete fiscal years (%(first)s–%(last)s)."
                )
                % {**span, "losses": ", ".join(str(y) for y in losses)},
            )
        )
    elif not missing:
        findings.append(
            _finding(
                "org_no_loss",
                article,
                3,
                True,
                _(
                    "no operating loss in the last %(count)s complete fiscal years "
                    "(%(first)s–%(last)s)."
                )
                % span,
            )
        )
    return findings


def check_individual(
    facts: IndividualFacts, numbers: EligibilityNumbers, on: datetime.date
) -> list[Finding]:
    """Every condition of A11, A12 and A28 for an individual on the reference date."""
    findings: list[Finding] = []
    article = numbers.articles.individual
    required = numbers.individual_min_quality_years
    if facts.quality_work_since is None:
        findings.append(
            _finding(
                "ind_quality_years",
                article,
                1,
                False,
                _("the start of quality work is missing; at least %(required)s years are required.")
                % {"required": required},
            )
        )
    else:
        worked = full_years_between(facts.quality_work_since, on)
        values = {
            "years": worked,
            "on": _iso(on),
            "since": _iso(facts.quality_work_since),
            "required": required,
            "due": _iso(add_years(facts.quality_work_since, required)),
        }
        if worked >= required:
            text = _(
                "%(years)s full years of quality work in the city on %(on)s (since "
                "%(since)s); at least %(required)s are required."
            )
        else:
            text = _(
                "%(years)s full years of quality work in the city on %(on)s (since "
                "%(since)s); at least %(required)s are required, reached on %(due)s."
            )
        findings.append(
            _finding("ind_quality_years", article, 1, worked >= required, text % values)
        )
    findings.append(
        _attestation(
            "ind_innovation",
            article,
            2,
            _(
                "to be attested: innovation and improvement, advanced quality methods, "
                "results showing craftsmanship."
            ),
        )
    )
    findings.append(
        _attestation(
            "ind_quality_activities",
            article,
            3,
            _(
                "to be attested: leads or takes part in group quality activities and "
                "builds quality culture, with clear benefit."
            ),
        )
    )
    findings.append(
        _attestation(
            "ind_ethics_and_credit",
            article,
            4,
            _("to be attested: professional ethics and a good personal credit record."),
        )
    )
    findings.append(_employer_finding(facts, numbers, on))
    findings.extend(_record_findings(facts.records, facts.bans, numbers, on))
    findings.append(
        _attestation(
            "a12_6_lists",
            numbers.articles.exclusions,
            6,
            _(
                "to be attested: not on the abnormal-operations list or the "
                "serious-dishonesty list (the lists name organisations by credit code)."
            ),
        )
    )
    findings.append(_ban_finding(facts.bans, on, numbers.articles.fraud_ban))
    findings.extend(_reapply_findings(facts.earlier_wins, numbers, on))
    return findings


def _employer_finding(facts: IndividualFacts, numbers: EligibilityNumbers, on) -> Finding:
    code = "ind_employer_record"
    article = numbers.articles.individual
    if not facts.is_top_manager:
        return _finding(
            code, article, 4, True, _("not the top manager of an organisation: does not apply.")
        )
    if not facts.employer_registered:
        return _attestation(
            code,
            article,
            4,
            _(
                "to be attested: %(employer)s, of which the applicant is the top manager, "
                "had no major accident, major complaint or violation in the last %(years)s years."
            )
            % {
                "employer": facts.employer_name or _("the organisation"),
                "years": numbers.lookback_years,
            },
        )
    years = numbers.lookback_years
    since = lookback_start(on, years)
    hits = [
        r
        for r in facts.employer_records
        if r.kind in A11_4_EMPLOYER_KINDS and in_lookback(r.occurred_on, on, years)
    ]
    values = {"employer": facts.employer_name, "years": years, "since": _iso(since), "on": _iso(on)}
    if hits:
        text = _(
            "%(employer)s, of which the applicant is the top manager, has a record in the "
            "%(years)s years from %(since)s to %(on)s: %(found)s."
        ) % {**values, "found": _describe_records(hits)}
        return _finding(code, article, 4, False, text)
    text = (
        _(
            "%(employer)s, of which the applicant is the top manager, has no major accident, "
            "complaint or violation on record from %(since)s to %(on)s."
        )
        % values
    )
    return _finding(code, article, 4, True, text)
