# ruff: noqa: RUF001 (Chinese document numbers)
"""A second award, as data only: the Inner Mongolia Chairman's Quality Award preset runs
a whole cycle through the service functions, from the call to the certificates, with no
code of its own. What differs from Erenhot is asserted where it shows: quota 5,
organisations only, five years of operation, document review then site visit (600 to go
on), 15 working days of comment, 10 of publicity, NMQA numbers, winners sit out 3 cycles."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _

from qualityaward.accounts.enums import Role
from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.selectors.eligibility import eligibility_for
from qualityaward.applications.services import applications as application_services
from qualityaward.applications.services import calls as call_services
from qualityaward.applications.services import reviews as review_services
from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import CycleStage
from qualityaward.cycles.services import cycle_open, stage_end, stage_start
from qualityaward.decisions.enums import WinnerStatus
from qualityaward.decisions.models import Winner
from qualityaward.decisions.selectors.ranking import cycle_ranking
from qualityaward.decisions.services import awards as award_services
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publication as publication_services
from qualityaward.decisions.services import publicity as publicity_services
from qualityaward.decisions.services import ranking as ranking_services
from qualityaward.evaluation.models import Panel
from qualityaward.evaluation.selectors.results import application_results
from qualityaward.evaluation.services import panels as panel_services
from qualityaward.evaluation.services import scoring
from qualityaward.rulesets.models import RuleSet, RuleSetVersion
from qualityaward.rulesets.presets import preset_read
from qualityaward.rulesets.schema import RuleValuesInvalid, validate_values
from qualityaward.rulesets.services import (
    framework_load,
    preset_load,
    ruleset_version_activate,
    ruleset_version_clone,
    ruleset_version_update,
)

from ..applications.factories import (
    IndividualFactory,
    OrganisationFactory,
    applicant_user,
    published_call,
    ready_application,
)
from ..evaluation.factories import make_panel, procured_agency, qualified_application, score_member
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PRESET = "inner-mongolia-2025"
CALL_PUBLISHED = D(2026, 9, 14)
ESTABLISHED = D(2015, 5, 20)
# Document-review percentages of the six qualified organisations: the last stays below
# the 600 points the site visit needs.
PERCENTS = [80, 75, 70, 65, 60, 55]


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def set_today(monkeypatch):
    def set_to(day: datetime.date) -> None:
        monkeypatch.setattr("qualityaward.decisions.clock.today", lambda: day)

    return set_to


@pytest.fixture
def version(db):
    return preset_load(name=PRESET, actor="test").version


def test_load_preset_command_loads_the_second_award_once(db, capsys):
    call_command("load_preset", PRESET)
    first = capsys.readouterr().out
    call_command("load_preset", PRESET)
    again = capsys.readouterr().out
    assert "Loaded" in first
    assert "nothing changed" in again
    rule_set = RuleSet.objects.get(code="inner-mongolia-chairman")
    assert rule_set.award_name_zh == "内蒙古自治区主席质量奖"
    assert RuleSetVersion.objects.filter(rule_set=rule_set).count() == 1
    # Both awards side by side, each with its own rule set, on the same framework.
    call_command("load_preset", "erenhot-2021")
    versions = RuleSetVersion.objects.select_related("framework", "rule_set")
    assert {v.rule_set.code: v.framework.code for v in versions} == {
        "erenhot-mayor": "gbt19580-2012",
        "inner-mongolia-chairman": "gbt19580-2012",
    }


def test_the_preset_says_its_values_are_the_offices_choices_and_invents_no_number(version):
    assert version.document_number == ""
    assert "实施细则" in version.notes
    assert all(rule.from_detailed_rules for rule in version.rules)


def test_the_erenhot_preset_bars_no_earlier_winner(preset_version):
    assert preset_version.rules.winner_reapply_after_cycles.value == 0


def ready(call, name: str, percent: int, *, established_on: datetime.date = ESTABLISHED):
    """An organisation's application, ready to submit (the intake's own helper)."""
    user = applicant_user()
    organisation = OrganisationFactory(name=name, users=[user], established_on=established_on)
    application, _ = ready_application(call, user=user, organisation=organisation, percent=percent)
    return application, user


def run_stage(cycle, stage_code: str, coordinator, percents_by_application) -> dict:
    """The agency forms the stage's panels; every member confirms, scores every item at
    the application's percentage and submits; the lead completes the consensus."""
    outcome = panel_services.panels_assign(
        cycle=cycle, stage_code=stage_code, actor=coordinator, on=CALL_PUBLISHED
    )
    assert outcome.run is not None
    totals = {}
    for panel in Panel.objects.filter(cycle=cycle, stage=stage_code).select_related("lead__user"):
        percent = percents_by_application[panel.application_id]
        for member in panel.members.select_related("expert__user", "panel"):
            panel_services.member_confirm_no_conflict(member=member, actor=member.expert.user)
            score_member(member, default=percent)
        entries = {
            row.item.pk: scoring.ConsensusEntry(percent=row.default, reason="")
            for row in scoring.consensus_rows(panel=panel)
        }
        result = scoring.consensus_save(
            panel=panel, entries=entries, actor=panel.lead.user, complete=True
        )
        totals[panel.application_id] = result.total
    return totals


def test_a_whole_cycle_of_the_second_award_through_the_services(
    version, media_root, set_today, english
):
    rules = version.rules
    office = UserFactory(roles=[Role.OFFICE])
    cycle = cycle_open(
        version=version,
        number=1,
        name="第一届内蒙古自治区主席质量奖",
        start_date=CALL_PUBLISHED,
        actor=office,
    )

    # The call, drafted from the rule set: organisations only, the five years, the wait.
    deadline = datetime.date.today() + datetime.timedelta(days=40)
    call = call_services.call_draft(cycle=cycle, actor=office, deadline=deadline)
    with translation.override("zh-hans"):  # the call is written in the site's language
        lines = call.text.splitlines()
        assert lines[2] == _("Under %(title)s (%(number)s), organisations may apply.") % {
            "title": version.title,
            "number": version,
        }
        assert (
            "- "
            + _(
                "Organisations: operating in the city for %(years)s; no operating loss in %(loss)s."
            )
            % {
                "years": rules.org_min_operating_years.with_source(),
                "loss": rules.org_no_loss_years.with_source(),
            }
            in lines
        )
        assert (
            "- "
            + _("Earlier winners may apply again after %(cycles)s.")
            % {"cycles": rules.winner_reapply_after_cycles.with_source()}
            in lines
        )
        assert not any(
            line.startswith("- " + _("Individuals: quality work in the city for %(years)s.")[:3])
            for line in lines
        )
    call = call_services.call_publish(call=call, actor=office, on=CALL_PUBLISHED)
    # Refusals cite this award's articles: its qualification review is Article 13.
    with pytest.raises(QualityAwardError, match=r"comes after .* \(Article 13\)"):
        stage_start(
            cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=D(2026, 10, 15), actor=office
        )

    # An individual is refused at the start, naming the rule.
    person = applicant_user()
    individual = IndividualFactory(users=[person])
    with pytest.raises(QualityAwardError, match="makes no awards to individuals") as refused:
        application_services.application_start(call=call, applicant=individual, actor=person)
    assert "Awards to individuals per cycle (at most): at most 0 (Article 3)" in str(refused.value)

    # Four years of operation pass Erenhot's three but not this award's five.
    young, young_user = ready(call, "内蒙古年轻科技有限公司", 80, established_on=D(2022, 6, 1))
    with pytest.raises(
        QualityAwardError, match=r"Article 8\(1\): operating .* at least 5 are required"
    ):
        application_services.application_submit(application=young, actor=young_user)

    # Six organisations apply and pass the qualification review.
    applications = []
    for n, percent in enumerate(PERCENTS):
        application, user = ready(call, f"内蒙古测试制造有限公司{n + 1}", percent)
        application_services.application_submit(application=application, actor=user)
        application.refresh_from_db()
        assert application.receipt_number == f"NMQA-2026-01-{n + 1:04d}"
        applications.append(
            review_services.review_pass(application=application, actor=office, on=D(2026, 10, 16))
        )
    assert all(a.state == ApplicationState.QUALIFIED for a in applications)
    percent_of = {a.pk: p for a, p in zip(applications, PERCENTS, strict=True)}
    for code, start, end in [
        (StageCode.CALL, None, D(2026, 10, 15)),
        (StageCode.QUALIFICATION_REVIEW, D(2026, 10, 15), D(2026, 10, 16)),
        (StageCode.EVALUATION, D(2026, 10, 16), None),
    ]:
        if start:
            stage_start(cycle=cycle, code=code, on=start, actor=office)
        if end:
            stage_end(cycle=cycle, code=code, on=end, actor=office)

    # Evaluation in the rule set's own stages: document review, then site visit; no
    # presentation. Panels of 5, then 3.
    assert [stage.code for stage in rules.stages.value] == ["document_review", "site_visit"]
    _agency, coordinator, _experts = procured_agency(cycle, experts=8)
    document = run_stage(cycle, "document_review", coordinator, percent_of)
    assert sorted(document.values(), reverse=True) == [
        Decimal(p * 10) for p in PERCENTS
    ]  # every member agreed: the stage total is the percentage of 1000
    assert {p.members.count() for p in Panel.objects.filter(stage="document_review")} == {5}
    with pytest.raises(QualityAwardError, match="no such stage"):
        panel_services.panels_assign(
            cycle=cycle, stage_code="presentation", actor=coordinator, on=CALL_PUBLISHED
        )
    site = run_stage(cycle, "site_visit", coordinator, percent_of)
    stopped = applications[-1]
    assert stopped.pk not in site  # 550 points: below the 600 the site visit needs
    assert len(site) == 5
    assert {p.members.count() for p in Panel.objects.filter(stage="site_visit")} == {3}
    results = {r.application.pk: r for r in application_results(cycle=cycle)}
    assert results[stopped.pk].stopped_at == "document_review"
    first = applications[0]
    assert results[first.pk].weighted_total == Decimal("0.4") * 800 + Decimal("0.6") * 800
    stage_end(cycle=cycle, code=StageCode.EVALUATION, on=D(2026, 10, 19), actor=office)

    # Public comment: at least 15 working days (Erenhot: 30).
    publication = publication_services.results_publish(
        cycle=cycle, on=D(2026, 10, 20), actor=office
    )
    assert (publication.first_day, publication.last_day) == (D(2026, 10, 20), D(2026, 11, 9))
    assert publication.fields == ["name", "sector", "total", "rank"]
    publication_services.results_close(publication=publication, on=D(2026, 11, 10), actor=office)

    # Ranking: five ranked candidates, the one stopped at the document review unranked.
    ranking = cycle_ranking(cycle=cycle)
    assert ranking["individual"] == []
    ranked = [row for row in ranking["organisation"] if row.rank is not None]
    assert [row.application.pk for row in ranked] == [a.pk for a in applications[:5]]
    assert [row.rank for row in ranked] == [1, 2, 3, 4, 5]

    # The working group decides five winners: within this award's quota of 5.
    members = [UserFactory(roles=[Role.WORKING_GROUP]) for _ in range(3)]
    candidate_list = ranking_services.candidate_list_propose(
        cycle=cycle,
        application_ids=[row.application.pk for row in ranked],
        on=D(2026, 11, 10),
        actor=office,
    )
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list,
        held_on=D(2026, 11, 11),
        agenda="审议主席质量奖候选名单",
        actor=office,
    )
    meeting_services.attendance_record(meeting=meeting, present=members, actor=office)
    for member in members:
        for row in ranked:
            meeting_services.vote_cast(
                meeting=meeting,
                member=member,
                application=row.application,
                choice="for",
                actor=member,
            )
    meeting_services.minutes_record(meeting=meeting, minutes="全票通过5个组织。", actor=office)
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=D(2026, 11, 11))
    winners = Winner.objects.filter(cycle=cycle)
    assert winners.count() == rules.quota_organisation.value == 5
    assert {w.status for w in winners} == {WinnerStatus.PROPOSED}

    # Publicity: 10 working days (Erenhot: 7).
    publicity = publicity_services.publicity_publish(cycle=cycle, on=D(2026, 11, 12), actor=office)
    assert (publicity.first_day, publicity.last_day) == (D(2026, 11, 12), D(2026, 11, 25))
    set_today(D(2026, 11, 25))
    with pytest.raises(QualityAwardError, match="ends on 2026-11-25"):
        award_services.approval_record(
            cycle=cycle,
            document_number="内政字〔2026〕1号",
            approved_on=D(2026, 11, 25),
            actor=office,
        )

    # Approval and certificates: the award's own name, prefix, prize and validity.
    set_today(D(2026, 11, 27))
    award_services.approval_record(
        cycle=cycle, document_number="内政字〔2026〕1号", approved_on=D(2026, 11, 26), actor=office
    )
    awards = award_services.awards_issue(cycle=cycle, on=D(2026, 11, 30), actor=office)
    assert sorted(a.serial for a in awards) == [f"NMQA-2026-O-{n:02d}" for n in range(1, 6)]
    assert {a.plaque_text for a in awards} == {"内蒙古自治区主席质量奖（2026年）"}
    assert {(a.prize_yuan, a.prize_budget_year) for a in awards} == {(500000, 2027)}
    assert {a.valid_until for a in awards} == {D(2029, 11, 29)}
    assert all(a.certificate.file.read().startswith(b"%PDF") for a in awards)
    stages = {s.code: (s.started_on, s.ended_on) for s in CycleStage.objects.filter(cycle=cycle)}
    assert stages[StageCode.PUBLIC_COMMENT] == (D(2026, 10, 20), D(2026, 11, 10))
    assert stages[StageCode.PUBLICITY] == (D(2026, 11, 12), D(2026, 11, 25))
    assert stages[StageCode.AWARD] == (D(2026, 11, 30), D(2026, 11, 30))

    # A winner sits out the next three cycles and may apply again from the fifth on;
    # the applicant that did not win may apply in the next one.
    winner = first.applicant
    later = {
        number: cycle_open(
            version=version,
            number=number,
            name=f"第{number}届",
            start_date=D(2027, number, 1),
            actor=office,
        )
        for number in (2, 3, 4, 5)
    }

    def barred(applicant, number):
        findings = eligibility_for(applicant=applicant, cycle=later[number], on=D(2027, 6, 1))
        return [f.message for f in findings if f.code == "winner_reapply_wait" and not f.passed]

    assert [bool(barred(winner, n)) for n in (2, 3, 4, 5)] == [True, True, True, False]
    assert barred(winner, 4) == [
        "Article 10: won the award in 第一届内蒙古自治区主席质量奖; a winner sits out the next "
        "3 cycles and may apply again from cycle 5 on."
    ]
    assert barred(stopped.applicant, 2) == []


def small_framework() -> dict:
    """A framework of 500 points in two categories: the weights of an award that does
    not use GB/T 19580's 1000 (the bands are GB/T 19580's)."""
    gbt = preset_read("gbt19580-2012")
    return {
        "code": "test-500",
        "name_zh": "测试评价框架",
        "name_en": "Test framework",
        "edition": "test",
        "total_points": 500,
        "note": "",
        "bands": gbt["bands"],
        "categories": [
            {
                "code": "P",
                "name_zh": "过程",
                "name_en": "Processes",
                "points": 300,
                "kind": "process",
                "items": [
                    {"code": "P.1", "name_zh": "领导", "name_en": "Leadership", "points": 200},
                    {"code": "P.2", "name_zh": "战略", "name_en": "Strategy", "points": 100},
                ],
            },
            {
                "code": "R",
                "name_zh": "结果",
                "name_en": "Results",
                "points": 200,
                "kind": "results",
                "items": [{"code": "R.1", "name_zh": "结果", "name_en": "Results", "points": 200}],
            },
        ],
    }


def test_a_framework_of_other_totals_loads_and_scores_by_its_own_points(version, english):
    framework, created = framework_load(data=small_framework(), actor="test")
    assert created and framework.total_points == 500
    draft = ruleset_version_clone(version=version, actor="test")
    stages = [dict(stage) for stage in version.values["stages"]["value"]]
    stages[1]["advance_threshold"] = 600
    with pytest.raises(RuleValuesInvalid, match="exceeds the framework's 500 points"):
        ruleset_version_update(
            version=draft,
            actor="test",
            framework=framework,
            values={"stages": {**version.values["stages"], "value": stages}},
        )
    stages[1]["advance_threshold"] = 300
    draft = ruleset_version_update(
        version=draft,
        actor="test",
        framework=framework,
        effective_from=D(2030, 1, 1),
        effective_to=None,
        values={"stages": {**version.values["stages"], "value": stages}},
    )
    draft = ruleset_version_activate(version=draft, actor="test")
    cycle = cycle_open(
        version=draft, number=1, name="第一届", start_date=D(2030, 3, 1), actor="test"
    )
    application = qualified_application(cycle)
    _agency, _coordinator, experts = procured_agency(cycle, experts=5)
    panel = make_panel(application, experts)
    percents = {"P.1": 80, "P.2": 60, "R.1": 50}
    for member in panel.members.all():
        score_member(member, percents)
    entries = {
        row.item.pk: scoring.ConsensusEntry(percent=row.default, reason="")
        for row in scoring.consensus_rows(panel=panel)
    }
    assert len(entries) == 3  # the framework's own items, not GB/T 19580's 23
    result = scoring.consensus_save(
        panel=panel, entries=entries, actor=panel.lead.user, complete=True
    )
    # 80 % of 200 + 60 % of 100 + 50 % of 200, of 500.
    assert result.total == Decimal("320.00")
    assert result.category_scores == {"P": "220.00", "R": "100.00"}
    site_visit = panel_services.stage_applications(cycle=cycle, stage_code="site_visit")
    assert site_visit == [application]  # 320 reaches this version's 300


def test_a_version_recorded_before_the_reapply_rule_reads_it_as_zero(preset_version):
    values = dict(preset_version.values)
    del values["winner_reapply_after_cycles"]
    RuleSetVersion.objects.filter(pk=preset_version.pk).update(values=values)
    recorded = RuleSetVersion.objects.get(pk=preset_version.pk)
    assert recorded.rules.winner_reapply_after_cycles.value == 0
    assert validate_values(values)["winner_reapply_after_cycles"]["value"] == 0
    assert not preset_load(name="erenhot-2021", actor="test").changed  # not a conflict


def test_receipt_numbers_of_two_awards_with_the_same_cycle_number_do_not_collide(
    version, demo_version, media_root
):
    receipts = []
    for award_version in (demo_version, version):
        cycle = cycle_open(
            version=award_version, number=1, name="第一届", start_date=CALL_PUBLISHED, actor="test"
        )
        application, user = ready(published_call(cycle), "内蒙古某有限公司", 80)
        application_services.application_submit(application=application, actor=user)
        application.refresh_from_db()
        receipts.append(application.receipt_number)
    assert receipts == ["QA-2026-01-0001", "NMQA-2026-01-0001"]
