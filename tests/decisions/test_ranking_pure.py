import datetime
from decimal import Decimal

from qualityaward.decisions.ranking import (
    RankInput,
    approved_by_vote,
    next_candidate,
    quorum_needed,
    rank,
)

T0 = datetime.datetime(2026, 9, 20, 9, 0, tzinfo=datetime.UTC)


def entry(pk, kind="organisation", total="800", results="300", site="700", minutes=0):
    return RankInput(
        application_id=pk,
        kind=kind,
        name=f"A{pk}",
        weighted_total=None if total is None else Decimal(total),
        results_category=Decimal(results),
        site_visit=Decimal(site),
        received_at=T0 + datetime.timedelta(minutes=minutes),
    )


def test_rank_orders_by_weighted_total_separately_per_kind():
    ranked = rank(
        [entry(1, total="700"), entry(2, total="810"), entry(3, "individual", total="650")]
    )
    assert [(r.entry.application_id, r.rank) for r in ranked["organisation"]] == [(2, 1), (1, 2)]
    assert [(r.entry.application_id, r.rank) for r in ranked["individual"]] == [(3, 1)]


def test_rank_tie_broken_by_results_category_then_site_visit_then_receipt():
    ranked = rank(
        [
            entry(1, results="300", site="700", minutes=0),
            entry(2, results="320", site="600", minutes=5),
            entry(3, results="300", site="750", minutes=9),
            entry(4, results="300", site="700", minutes=-3),
        ]
    )["organisation"]
    assert [r.entry.application_id for r in ranked] == [2, 3, 4, 1]
    assert [r.tie_break for r in ranked] == ["results_category", "site_visit", "receipt", ""]


def test_rank_puts_applicants_without_total_last_without_rank():
    ranked = rank([entry(1, total=None), entry(2, total="500")])["organisation"]
    assert [(r.entry.application_id, r.rank) for r in ranked] == [(2, 1), (1, None)]


def test_next_candidate_skips_excluded_and_unranked():
    ranked = rank([entry(1, total="900"), entry(2, total="800"), entry(3, total=None)])[
        "organisation"
    ]
    assert next_candidate(ranked, excluded={1}).entry.application_id == 2
    assert next_candidate(ranked, excluded={1, 2}) is None


def test_approved_by_vote_needs_more_than_half_of_present_not_recused():
    assert approved_by_vote(votes_for=3, present_not_recused=5) is True
    assert approved_by_vote(votes_for=2, present_not_recused=4) is False
    assert approved_by_vote(votes_for=0, present_not_recused=0) is False


def test_quorum_needed_rounds_up_the_fraction():
    assert quorum_needed(members=6, fraction="2/3") == 4
    assert quorum_needed(members=5, fraction="2/3") == 4
    assert quorum_needed(members=9, fraction="2/3") == 6


def test_rank_leaves_applicants_stopped_below_a_threshold_unranked():
    stopped = RankInput(
        application_id=9,
        kind="organisation",
        name="A9",
        weighted_total=Decimal("225"),
        stopped_at="document_review",
    )
    ranked = rank([stopped, entry(2, total="200")])["organisation"]
    assert [(r.entry.application_id, r.rank) for r in ranked] == [(2, 1), (9, None)]
