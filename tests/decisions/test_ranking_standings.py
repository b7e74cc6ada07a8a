"""The ranking page reads the standings the scoring services store with each stage result
(no fake results here): after any sequence of completed consensuses it shows the same
ranking as one computed from scratch from every panel's result."""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qualityaward.applications.enums import ApplicationState
from qualityaward.applications.models import Application, Call
from qualityaward.decisions.selectors.ranking import cycle_ranking, ranking_pages
from qualityaward.evaluation.services import scoring
from qualityaward.evaluation.services.standings import standings_rebuild

from ..applications.factories import IndividualFactory, OrganisationFactory, published_call
from ..evaluation.factories import ExpertFactory, make_panel, score_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]

STAGES = ("document_review", "site_visit", "presentation")  # the demo rule set's order
RECEIVED = timezone.make_aware(datetime.datetime(2026, 9, 20, 9, 0))


def qualified(cycle, applicant, *, minute: int) -> Application:
    call = Call.objects.filter(cycle=cycle).first() or published_call(cycle)
    return Application.objects.create(
        call=call,
        cycle=cycle,
        applicant=applicant,
        state=ApplicationState.QUALIFIED,
        submitted_at=RECEIVED + datetime.timedelta(minutes=minute),
        receipt_number=f"R-{applicant.pk:04d}",
    )


def complete_stage(application, stage: str, percent: int, results_percent: int) -> None:
    """One expert scores every item at `percent` (the results items, 4.7, at
    `results_percent`); the lead records those as the consensus and completes it."""
    panel = make_panel(application, [ExpertFactory()], stage=stage)
    items = scoring.framework_items(panel)
    score_member(
        panel.members.select_related("expert__user").get(),
        {item.code: results_percent for item in items if item.category.code == "4.7"},
        default=percent,
    )
    scoring.consensus_save(
        panel=panel,
        entries={
            row.item.pk: scoring.ConsensusEntry(percent=row.default, reason="评审组一致意见")
            for row in scoring.consensus_rows(panel=panel)
        },
        actor=panel.lead.user,
        complete=True,
    )


def from_scratch(cycle) -> dict[str, list[tuple]]:
    """The ranking computed from every panel's result (what the page showed before it
    read the standings)."""
    return {
        kind: [
            (
                row.application.pk,
                row.rank,
                row.ranked.entry.weighted_total,
                row.ranked.entry.results_category,
                row.ranked.entry.site_visit,
            )
            for row in rows
        ]
        for kind, rows in cycle_ranking(cycle=cycle, with_comments=False).items()
    }


def shown(cycle, per_page: int) -> dict[str, list[tuple]]:
    """Every row of the ranking page, page after page of each kind."""
    rows: dict[str, list[tuple]] = {}
    for kind in ("organisation", "individual"):
        rows[kind], number = [], 1
        while True:
            page = ranking_pages(cycle=cycle, page_numbers={kind: number}, per_page=per_page)[kind]
            rows[kind] += [
                (
                    line.application_id,
                    line.rank,
                    None if line.weighted_total is None else Decimal(line.weighted_total),
                    Decimal(line.results_category),
                    Decimal(line.site_visit),
                )
                for line in page
            ]
            if not page.has_next():
                break
            number += 1
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_the_page_equals_a_ranking_from_scratch_after_any_sequence_of_results(cycle, seed):
    rng = random.Random(seed)
    applicants = [OrganisationFactory() for _ in range(4)] + [IndividualFactory() for _ in range(3)]
    # Equal receipt times for some, so that the receipt and the id break ties too.
    applications = [qualified(cycle, a, minute=rng.choice([0, 0, 1, 2])) for a in applicants]
    plans = {}
    for application in applications:
        # 40 % everywhere is 400 points: below the site visit's threshold (500), it stops.
        percents = [rng.choice([40, 50, 60]), rng.choice([50, 60]), rng.choice([50, 60])]
        stages = 1 if percents[0] == 40 else rng.choice([1, 2, 3, 3, 3])
        plans[application] = [(stage, percents[i]) for i, stage in enumerate(STAGES[:stages])]
    events = []
    while any(plans.values()):
        application = rng.choice([a for a, plan in plans.items() if plan])
        stage, percent = plans[application].pop(0)
        events.append((application, stage, percent, rng.choice([percent, 70])))

    for application, stage, percent, results_percent in events:
        complete_stage(application, stage, percent, results_percent)
        expected = from_scratch(cycle)
        assert shown(cycle, per_page=3) == expected
        assert shown(cycle, per_page=100) == expected
    assert any(rank for rows in expected.values() for _, rank, *_ in rows)
    assert any(rank is None for rows in expected.values() for _, rank, *_ in rows)

    # Rebuilding the standings from every result (as after a bulk load) changes nothing.
    standings_rebuild(cycle=cycle)
    assert shown(cycle, per_page=100) == expected


def test_the_order_in_sql_is_the_order_of_rank_through_every_tie(cycle):
    """Standings stored directly with few distinct values, so that totals, results
    scores, site-visit totals and receipt times tie often."""
    from qualityaward.decisions.ranking import RankInput, rank
    from qualityaward.evaluation.models import ApplicationStanding

    rng = random.Random(7)
    inputs = []
    for n in range(60):
        applicant = OrganisationFactory() if n % 3 else IndividualFactory()
        application = qualified(cycle, applicant, minute=rng.choice([0, 1]))
        total = rng.choice([None, Decimal("700.00"), Decimal("710.00")])
        results = rng.choice([Decimal(30), Decimal(40)])
        site_visit = rng.choice([Decimal(0), Decimal(600)])
        stopped = rng.choice(["", "", "", "document_review"])
        ApplicationStanding.objects.create(
            application=application,
            weighted_total=total,
            results_score=results,
            site_visit_total=site_visit,
            stopped_at=stopped,
        )
        inputs.append(
            RankInput(
                application_id=application.pk,
                kind=applicant.kind,
                name=applicant.name,
                weighted_total=total,
                results_category=results,
                site_visit=site_visit,
                received_at=application.submitted_at,
                stopped_at=stopped or None,
            )
        )
    expected = {
        kind: [
            (
                e.entry.application_id,
                e.rank,
                e.entry.weighted_total,
                e.entry.results_category,
                e.entry.site_visit,
            )
            for e in entries
        ]
        for kind, entries in rank(inputs).items()
    }
    ties = [e.tie_break for entries in rank(inputs).values() for e in entries]
    assert {"results_category", "site_visit", "receipt", "id"} <= set(ties)
    assert shown(cycle, per_page=7) == expected


def test_a_completed_consensus_reorders_the_ranking_page(client, cycle):
    from qualityaward.accounts.enums import Role

    from ..factories import UserFactory

    first = qualified(cycle, OrganisationFactory(name="二连浩特市先到物流有限公司"), minute=0)
    second = qualified(cycle, OrganisationFactory(name="二连浩特市后来商贸有限公司"), minute=1)
    for stage in STAGES:
        complete_stage(first, stage, 60, 60)
    for stage in STAGES[:2]:
        complete_stage(second, stage, 70, 70)
    client.force_login(UserFactory(roles=[Role.OFFICE]))
    url = reverse("decisions:cycle", args=[cycle.pk])

    body = client.get(url).content.decode()
    # The second has no weighted total until its presentation is scored.
    assert body.index("先到物流") < body.index("后来商贸")
    assert "600.00" in body

    complete_stage(second, STAGES[2], 70, 70)
    body = client.get(url).content.decode()
    assert body.index("后来商贸") < body.index("先到物流")
    assert "700.00" in body
