"""Scoring on a panel: the no-conflict confirmation, 5% steps, autosave, submission
(once), independence, the consensus flag and the stage result."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from qualityaward.core.errors import NotAllowed, QualityAwardError
from qualityaward.core.models import AuditRecord
from qualityaward.evaluation.models import ConsensusScore, ItemScore, StageResult
from qualityaward.evaluation.services import panels as panel_services
from qualityaward.evaluation.services import scoring

from .factories import (
    ExpertFactory,
    make_panel,
    qualified_application,
    score_member,
    set_rule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """Pages in English, so the tests read fixed text."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def panel(cycle):
    application = qualified_application(cycle)
    return make_panel(application, [ExpertFactory() for _ in range(3)])


def members(panel):
    return list(panel.members.select_related("expert__user").order_by("pk"))


def item_ids(panel):
    return {item.code: item.pk for item in scoring.framework_items(panel)}


def test_expert_sees_only_the_confirmation_until_confirming(cycle, client):
    application = qualified_application(cycle)
    panel = make_panel(application, [ExpertFactory()], confirmed=False)
    member = panel.members.get()
    client.force_login(member.expert.user)
    url = reverse("evaluation:member", args=[member.pk])
    page = client.get(url).content.decode()
    assert "I confirm that I have no conflict of interest" in page
    assert "My scores" not in page and "4.1.2 自评" not in page
    client.post(reverse("evaluation:member_confirm", args=[member.pk]))
    member.refresh_from_db()
    assert member.confirmed_no_conflict_at is not None
    record = AuditRecord.objects.get(action="evaluation.no_conflict_confirmed")
    assert record.changes == {"panel": panel.pk, "application": application.pk}
    page = client.get(url).content.decode()
    assert "My scores" in page and "4.1.2 自评" in page
    assert "Approach" in page and "No systematic approach" in page  # band guidance
    again = client.post(reverse("evaluation:member_confirm", args=[member.pk]), follow=True)
    assert "You have confirmed this already." in again.content.decode()
    assert AuditRecord.objects.filter(action="evaluation.no_conflict_confirmed").count() == 1


def test_scores_must_be_whole_percentages_in_steps_of_5(panel):
    member = members(panel)[0]
    ids = item_ids(panel)
    errors = scoring.scores_save(
        member=member,
        entries={
            ids["4.1.2"]: scoring.ScoreEntry(percent="52"),
            ids["4.1.3"]: scoring.ScoreEntry(percent="105"),
            ids["4.1.4"]: scoring.ScoreEntry(percent="55", strengths="清晰的社会责任体系"),
        },
        actor=member.expert.user,
    )
    assert errors == {
        ids["4.1.2"]: "A percentage goes in steps of 5 (0, 5, 10 … 100).",
        ids["4.1.3"]: "Give a percentage from 0 to 100.",
    }
    assert list(ItemScore.objects.filter(member=member).values_list("percent", "strengths")) == [
        (55, "清晰的社会责任体系")
    ]


def test_autosave_with_htmx_answers_saved_and_stores(panel, client):
    member = members(panel)[0]
    ids = item_ids(panel)
    client.force_login(member.expert.user)
    response = client.post(
        reverse("evaluation:member_scores", args=[member.pk]),
        {
            f"item-{ids['4.2.2']}-percent": "65",
            f"item-{ids['4.2.2']}-opportunities": "加强战略评估",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Saved" in response.content.decode()
    score = ItemScore.objects.get(member=member)
    assert (score.percent, score.opportunities) == (65, "加强战略评估")
    bad = client.post(
        reverse("evaluation:member_scores", args=[member.pk]),
        {f"item-{ids['4.2.2']}-percent": "63"},
        HTTP_HX_REQUEST="true",
    )
    assert "steps of 5" in bad.content.decode()
    assert ItemScore.objects.get(member=member).percent == 65


def test_unconfirmed_member_cannot_score(cycle):
    panel = make_panel(qualified_application(cycle), [ExpertFactory()], confirmed=False)
    member = panel.members.get()
    with pytest.raises(QualityAwardError) as error:
        scoring.scores_save(
            member=member, entries={1: scoring.ScoreEntry(percent=50)}, actor=member.expert.user
        )
    assert error.value.code == "not_confirmed"


def test_submit_needs_every_item_and_locks_and_a_second_submit_is_refused(panel):
    member = members(panel)[0]
    score_member(member, submit=False)
    ItemScore.objects.filter(member=member, item__code="4.7.7").delete()
    with pytest.raises(QualityAwardError) as error:
        scoring.scores_submit(member=member, actor=member.expert.user)
    assert "missing: 4.7.7" in error.value.message
    score_member(member)
    member.refresh_from_db()
    submitted_at = member.submitted_at
    assert submitted_at is not None
    with pytest.raises(QualityAwardError) as error:
        scoring.scores_submit(member=member, actor=member.expert.user)
    assert error.value.code == "already_submitted"
    assert error.value.message == "Your scores were submitted already; they cannot change."
    member.refresh_from_db()
    assert member.submitted_at == submitted_at
    assert AuditRecord.objects.filter(action="evaluation.scores_submit").count() == 1
    with pytest.raises(QualityAwardError):
        scoring.scores_save(
            member=member,
            entries={item_ids(panel)["4.1.2"]: scoring.ScoreEntry(percent=100)},
            actor=member.expert.user,
        )


def test_double_clicked_submit_on_the_page_changes_once(panel, client):
    member = members(panel)[0]
    score_member(member, submit=False)
    client.force_login(member.expert.user)
    url = reverse("evaluation:member_submit", args=[member.pk])
    first = client.post(url, follow=True).content.decode()
    second = client.post(url, follow=True).content.decode()
    assert "Your scores are submitted." in first
    assert "Your scores were submitted already; they cannot change." in second
    assert AuditRecord.objects.filter(action="evaluation.scores_submit").count() == 1


def test_two_experts_submit_their_own_scores(panel):
    a, b, _c = members(panel)
    score_member(a, submit=False)
    score_member(b, submit=False)
    scoring.scores_submit(member=a, actor=a.expert.user)
    scoring.scores_submit(member=b, actor=b.expert.user)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.submitted_at and b.submitted_at


def test_an_expert_cannot_score_for_another(panel):
    a, b, _c = members(panel)
    with pytest.raises(NotAllowed):
        scoring.scores_save(member=a, entries={}, actor=b.expert.user)


def test_others_scores_are_hidden_until_submitting(panel, client):
    a, b, _c = members(panel)
    score_member(b, {"4.1.2": 85})
    score_member(a, submit=False)
    client.force_login(a.expert.user)
    url = reverse("evaluation:member", args=[a.pk])
    assert f"{b.expert.name} 85%" not in client.get(url).content.decode()
    scoring.scores_submit(member=a, actor=a.expert.user)
    assert f"{b.expert.name} 85%" in client.get(url).content.decode()


def test_others_scores_are_shown_when_the_rule_set_allows(panel, client):
    set_rule(panel.cycle.rule_set_version, "experts_see_scores_before_consensus", True)
    a, b, _c = members(panel)
    score_member(b, {"4.1.2": 85})
    client.force_login(a.expert.user)
    assert (
        f"{b.expert.name} 85%"
        in client.get(reverse("evaluation:member", args=[a.pk])).content.decode()
    )


def test_consensus_flags_above_the_threshold_and_writes_the_stage_result(panel):
    """Threshold 20: 4.1.3 at 50/70/50 (spread 20) is not flagged; 4.1.2 at 40/65/50
    (spread 25) is. The lead agrees 55 on 4.1.2; every other item stays at 50."""
    a, b, c = members(panel)
    score_member(a, {"4.1.2": 40, "4.1.3": 50})
    score_member(b, {"4.1.2": 65, "4.1.3": 70})
    score_member(c, {"4.1.2": 50, "4.1.3": 50})
    rows = {row.item.code: row for row in scoring.consensus_rows(panel=panel)}
    assert (rows["4.1.2"].spread, rows["4.1.2"].flagged) == (25, True)
    assert (rows["4.1.3"].spread, rows["4.1.3"].flagged) == (20, False)
    assert rows["4.1.2"].default == 50  # trimmed mean of 40, 50, 65
    assert sum(row.flagged for row in rows.values()) == 1
    lead = panel.lead.user
    entries = {row.item.pk: scoring.ConsensusEntry(percent=row.default) for row in rows.values()}
    with pytest.raises(QualityAwardError) as error:
        scoring.consensus_save(panel=panel, entries=entries, actor=lead, complete=True)
    assert error.value.message == "4.1.2: give the reason for the agreed percentage."
    assert not StageResult.objects.exists()
    entries[rows["4.1.2"].item.pk] = scoring.ConsensusEntry(percent=55, reason="现场资料充分")
    with pytest.raises(NotAllowed):
        scoring.consensus_save(panel=panel, entries=entries, actor=b.expert.user)
    result = scoring.consensus_save(panel=panel, entries=entries, actor=lead, complete=True)
    # all at 50 % = 500; 4.1.2 (50 points) at 55 % adds 2.5
    assert result.total == Decimal("502.50")
    assert result.category_scores["4.1"] == "57.50"
    assert result.category_scores["4.7"] == "200.00"
    assert sum(Decimal(v) for v in result.category_scores.values()) == result.total
    flagged = ConsensusScore.objects.get(panel=panel, item__code="4.1.2")
    assert (flagged.percent, flagged.reason, flagged.flagged) == (55, "现场资料充分", True)
    assert ConsensusScore.objects.filter(panel=panel).count() == 23
    assert AuditRecord.objects.get(action="evaluation.stage_result").changes["total"] == "502.50"
    with pytest.raises(QualityAwardError) as error:
        scoring.consensus_save(panel=panel, entries={}, actor=lead, complete=True)
    assert error.value.code == "completed"


def test_consensus_waits_for_every_member(panel, client):
    a, _b, _c = members(panel)
    score_member(a)
    with pytest.raises(QualityAwardError) as error:
        scoring.consensus_save(panel=panel, entries={}, actor=panel.lead.user)
    assert error.value.code == "not_ready"
    client.force_login(panel.lead.user)
    page = client.get(reverse("evaluation:consensus", args=[panel.pk])).content.decode()
    assert "The consensus starts when every member has submitted." in page


def test_consensus_page_shows_the_flag_and_completes(panel, client):
    a, b, c = members(panel)
    score_member(a, {"4.2.2": 30})
    score_member(b, {"4.2.2": 80})
    score_member(c)
    client.force_login(panel.lead.user)
    url = reverse("evaluation:consensus", args=[panel.pk])
    page = client.get(url).content.decode()
    assert page.count("Discuss</span>") == 1
    data = {}
    for row in scoring.consensus_rows(panel=panel):
        data[f"item-{row.item.pk}-percent"] = str(row.default)
        data[f"item-{row.item.pk}-reason"] = "合议" if row.flagged else ""
    response = client.post(url, {**data, "complete": "1"}, follow=True)
    # Said once, by the page (not again by a message).
    assert response.content.decode().count("The consensus is complete") == 1
    assert "The consensus is complete: 500.00 points of 1000." in response.content.decode()


def test_site_visit_checklist_and_findings(cycle):
    application = qualified_application(cycle)
    panel = make_panel(application, [ExpertFactory()], stage="site_visit")
    lead = panel.lead.user
    checks = panel_services.site_visit_checklist_create(panel=panel, actor=lead)
    assert len(checks) == 23
    assert checks[0].text.startswith("4.1.2 ")
    panel_services.site_visit_check_record(
        check=checks[0], verified=True, finding="高层领导访谈记录完整", actor=lead
    )
    checks[0].refresh_from_db()
    assert (checks[0].verified, checks[0].finding) == (True, "高层领导访谈记录完整")


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_on_postgresql_change_once_and_each_expert_succeeds(cycle):
    """Real concurrency needs row locks: PostgreSQL only (SQLite serialises writers)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    panel = make_panel(qualified_application(cycle), [ExpertFactory() for _ in range(2)])
    a, b = members(panel)
    score_member(a, submit=False)
    score_member(b, submit=False)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def submit(member):
        try:
            barrier.wait()
            scoring.scores_submit(member=member, actor=member.expert.user)
            outcomes.append(f"{member.pk} ok")
        except QualityAwardError as error:
            outcomes.append(f"{member.pk} {error.code}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(m,)) for m in (a, a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([f"{a.pk} ok", f"{a.pk} already_submitted", f"{b.pk} ok"])
    assert AuditRecord.objects.filter(action="evaluation.scores_submit").count() == 2


def test_site_visit_adjustment_of_the_document_review_needs_a_reason(cycle):
    application = qualified_application(cycle)
    review = make_panel(application, [ExpertFactory()])
    score_member(members(review)[0], default=50)
    rows = scoring.consensus_rows(panel=review)
    scoring.consensus_save(
        panel=review,
        entries={r.item.pk: scoring.ConsensusEntry(percent=r.default) for r in rows},
        actor=review.lead.user,
        complete=True,
    )
    visit = make_panel(application, [ExpertFactory()], stage="site_visit")
    score_member(members(visit)[0], {"4.7.2": 70}, default=50)
    rows = {r.item.code: r for r in scoring.consensus_rows(panel=visit)}
    assert (rows["4.7.2"].baseline, rows["4.7.2"].default) == (50, 70)
    entries = {r.item.pk: scoring.ConsensusEntry(percent=r.default) for r in rows.values()}
    with pytest.raises(QualityAwardError) as error:
        scoring.consensus_save(panel=visit, entries=entries, actor=visit.lead.user)
    assert error.value.message == "4.7.2: give the reason for the agreed percentage."
    entries[rows["4.7.2"].item.pk] = scoring.ConsensusEntry(percent=70, reason="现场核实产品合格率")
    result = scoring.consensus_save(
        panel=visit, entries=entries, actor=visit.lead.user, complete=True
    )
    assert result.total == Decimal("516.00")  # 500 + 80 points x 20 %
