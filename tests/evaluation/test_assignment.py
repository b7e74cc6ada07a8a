"""The pure assignment solvers: optimal (min-cost flow) and random draw (capped pair
probability, dependent rounding)."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualityaward.core.errors import QualityAwardError
from qualityaward.evaluation.assignment import (
    OPTIMAL,
    RANDOM_DRAW,
    ApplicationInput,
    ExpertInput,
    _Network,
    assign_optimal,
    assign_random_draw,
    assignment_cost,
    certified_lower_bound,
    dependent_rounding,
    fractional_assignment,
    load_cost,
    pair_reason,
)

SECTORS = ["manufacturing", "trade_logistics", "port_services", "energy", "construction"]


def generated(n_apps: int, n_experts: int, seed: int, conflict_rate: float = 0.05):
    rng = random.Random(seed)
    apps = [ApplicationInput(i, rng.choice(SECTORS)) for i in range(1, n_apps + 1)]
    experts = [
        ExpertInput(
            1000 + j,
            frozenset(rng.sample(SECTORS, rng.randint(1, 3))),
            rng.randint(0, 4),
            rng.randint(0, 2),
        )
        for j in range(n_experts)
    ]
    conflicts = {(e.id, a.id) for a in apps for e in experts if rng.random() < conflict_rate}
    return apps, experts, conflicts


def assert_valid(result, apps, experts, conflicts, k, cap):
    assert set(result.panels) == {a.id for a in apps}
    expert_by_id = {e.id: e for e in experts}
    for app_id, panel in result.panels.items():
        assert len(panel) == k
        assert len(set(panel)) == k
        for expert_id in panel:
            assert (expert_id, app_id) not in conflicts
    for expert_id, load in result.loads().items():
        assert expert_by_id[expert_id].current_load + load <= cap
    assert result.total_cost == assignment_cost(result.panels, apps, experts)


def brute_force_min(apps, experts, conflicts, k, cap):
    """Least cost over every assignment (None when there is none)."""
    costs = all_assignment_costs(apps, experts, conflicts, k, cap)
    return min(costs, default=None)


def all_assignment_costs(apps, experts, conflicts, k, cap):
    """{cost: one assignment of that cost} over every valid assignment."""
    room = {e.id: cap - e.current_load for e in experts}
    options = [
        [
            combo
            for combo in itertools.combinations(sorted(e.id for e in experts), k)
            if all((expert_id, a.id) not in conflicts for expert_id in combo)
        ]
        for a in apps
    ]
    found = {}
    for choice in itertools.product(*options):
        loads = Counter(expert_id for combo in choice for expert_id in combo)
        if any(loads[e] > room[e] for e in loads):
            continue
        panels = {a.id: combo for a, combo in zip(apps, choice, strict=True)}
        found.setdefault(assignment_cost(panels, apps, experts), panels)
    return found


# --- optimal ---------------------------------------------------------------------------


def test_optimal_generated_200_applications_is_valid():
    apps, experts, conflicts = generated(200, 300, seed=20261125)
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=conflicts, panel_size=5, load_cap=10
    )
    assert result.method == OPTIMAL
    assert_valid(result, apps, experts, conflicts, 5, 10)
    assert sum(len(p) for p in result.panels.values()) == 1000
    # every chosen pair carries its reason
    assert set(result.reasons) == result.pairs()
    some_pair = next(iter(result.reasons.values()))
    app = next(a for a in apps if a.id == some_pair.application_id)
    expert = next(e for e in experts if e.id == some_pair.expert_id)
    assert some_pair == pair_reason(app, expert)


def test_optimal_prefers_sector_match_and_higher_qualification():
    apps = [ApplicationInput(1, "energy")]
    experts = [
        ExpertInput(10, frozenset({"energy"}), 1),
        ExpertInput(11, frozenset({"energy"}), 4),
        ExpertInput(12, frozenset({"construction"}), 4),
        ExpertInput(13, frozenset({"energy"}), 0),
    ]
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=set(), panel_size=2, load_cap=5
    )
    assert result.panels == {1: (10, 11)}
    assert result.reasons[(1, 11)].sector_match is True
    assert result.reasons[(1, 11)].qualification_level == 4
    assert result.reasons[(1, 11)].score == 140
    assert result.total_cost == -(110 + 140)


def test_optimal_balances_load_between_equal_experts():
    apps = [ApplicationInput(i, "energy") for i in range(1, 5)]
    experts = [ExpertInput(10, frozenset({"energy"})), ExpertInput(11, frozenset({"energy"}))]
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=set(), panel_size=1, load_cap=4
    )
    assert result.loads() == {10: 2, 11: 2}
    # 4 x -100 for the sector, loads 0+1 on each expert x weight 5
    assert result.total_cost == -400 + 2 * load_cost(0, 2)


def test_optimal_counts_current_load_against_the_cap():
    apps = [ApplicationInput(1, "energy"), ApplicationInput(2, "energy")]
    experts = [
        ExpertInput(10, frozenset({"energy"}), 4, current_load=3),
        ExpertInput(11, frozenset({"energy"}), 0, current_load=0),
    ]
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=set(), panel_size=1, load_cap=4
    )
    assert result.loads() == {10: 1, 11: 1}


@pytest.mark.parametrize("seed", range(6))
def test_optimal_cost_equals_exhaustive_search_on_6_by_4(seed):
    rng = random.Random(seed)
    apps = [ApplicationInput(i, rng.choice(SECTORS[:3])) for i in range(1, 7)]
    experts = [
        ExpertInput(
            10 + j, frozenset(rng.sample(SECTORS[:3], 2)), rng.randint(0, 4), rng.randint(0, 1)
        )
        for j in range(4)
    ]
    conflicts = {(e.id, a.id) for a in apps for e in experts if rng.random() < 0.1}
    expected = brute_force_min(apps, experts, conflicts, 2, 4)
    if expected is None:
        with pytest.raises(QualityAwardError):
            assign_optimal(
                applications=apps, experts=experts, conflicts=conflicts, panel_size=2, load_cap=4
            )
        return
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=conflicts, panel_size=2, load_cap=4
    )
    assert_valid(result, apps, experts, conflicts, 2, 4)
    assert result.total_cost == expected
    assert result.lower_bound == expected
    assert result.optimality_gap == 0


def test_optimal_cost_equals_exhaustive_search_with_tight_load():
    """Six applications, four experts, panels of two, cap three: every place is needed."""
    apps = [ApplicationInput(i, SECTORS[i % 3]) for i in range(1, 7)]
    experts = [ExpertInput(10 + j, frozenset({SECTORS[j % 3]}), j) for j in range(4)]
    conflicts = {(10, 1), (11, 2)}
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=conflicts, panel_size=2, load_cap=3
    )
    assert_valid(result, apps, experts, conflicts, 2, 3)
    assert result.loads() == {10: 3, 11: 3, 12: 3, 13: 3}
    assert result.total_cost == brute_force_min(apps, experts, conflicts, 2, 3)


def test_optimal_refuses_an_application_with_too_few_unconflicted_experts():
    apps = [ApplicationInput(1, "energy"), ApplicationInput(7, "energy")]
    experts = [ExpertInput(10 + j, frozenset({"energy"})) for j in range(5)]
    conflicts = {(10, 7), (11, 7)}
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        assign_optimal(
            applications=apps, experts=experts, conflicts=conflicts, panel_size=5, load_cap=10
        )
    assert caught.value.code == "infeasible"
    assert caught.value.message == (
        "No panel can be formed: application 7 has only 3 unconflicted experts available, needs 5."
    )


def test_optimal_refuses_when_the_load_cap_cannot_serve_everyone():
    apps = [ApplicationInput(i, "energy") for i in (1, 2, 3)]
    experts = [ExpertInput(10, frozenset({"energy"})), ExpertInput(11, frozenset({"energy"}))]
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        assign_optimal(
            applications=apps, experts=experts, conflicts=set(), panel_size=1, load_cap=1
        )
    assert caught.value.code == "infeasible"
    assert caught.value.message == (
        "No assignment gives every application 1 experts with at most 1 applications per "
        "expert: application 3 cannot be served (the experts it may have are needed "
        "elsewhere). Add experts or raise the load cap."
    )


def test_optimal_without_applications_is_empty():
    result = assign_optimal(
        applications=[], experts=[ExpertInput(1)], conflicts=set(), panel_size=3, load_cap=2
    )
    assert result.panels == {}
    assert result.total_cost == 0


def test_optimal_reports_gap_zero_and_a_bound_no_assignment_beats():
    apps, experts, conflicts = generated(200, 300, seed=20261203)
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=conflicts, panel_size=5, load_cap=10
    )
    assert result.optimality_gap == 0
    assert result.lower_bound == result.total_cost
    assert result.candidate_pairs < 200 * 300


@pytest.mark.parametrize("seed", range(4))
def test_certified_lower_bound_is_exact_for_the_optimum_only(seed):
    """The dual bound of the best assignment equals its cost; the bound computed from a
    worse assignment's prices stays at or below the true optimum (weak duality)."""
    rng = random.Random(100 + seed)
    apps = [ApplicationInput(i, rng.choice(SECTORS[:3])) for i in range(1, 6)]
    experts = [
        ExpertInput(
            10 + j, frozenset(rng.sample(SECTORS[:3], 2)), rng.randint(0, 4), rng.randint(0, 1)
        )
        for j in range(4)
    ]
    conflicts = {(e.id, a.id) for a in apps for e in experts if rng.random() < 0.1}
    costs = all_assignment_costs(apps, experts, conflicts, 2, 4)
    best, worst = min(costs), max(costs)
    assert best < worst
    kwargs = {
        "applications": apps,
        "experts": experts,
        "conflicts": conflicts,
        "panel_size": 2,
        "load_cap": 4,
    }
    assert certified_lower_bound(costs[best], **kwargs) == best
    assert certified_lower_bound(costs[worst], **kwargs) <= best


def test_optimal_stays_exact_when_the_first_candidates_are_too_few(monkeypatch):
    """One candidate per application and one added pair per round: the pricing rounds
    must find every pair the optimum needs."""
    monkeypatch.setattr(_Network, "CANDIDATES", 1)
    monkeypatch.setattr(_Network, "ADDED_PER_ROUND", 1)
    apps, experts, conflicts = generated(5, 5, seed=3, conflict_rate=0.1)
    expected = brute_force_min(apps, experts, conflicts, 2, 4)
    assert expected is not None
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=conflicts, panel_size=2, load_cap=4
    )
    assert result.pricing_rounds > 1
    assert result.total_cost == expected
    assert result.optimality_gap == 0


# --- random draw -----------------------------------------------------------------------


SMALL_APPS = [ApplicationInput(i, SECTORS[i % 2]) for i in range(1, 7)]
SMALL_EXPERTS = [
    ExpertInput(10 + j, frozenset({SECTORS[j % 2]}), j % 3, current_load=j % 2) for j in range(8)
]
SMALL_CONFLICTS = {(10, 1), (13, 2), (14, 5), (17, 6)}


def test_random_draw_pair_frequencies_stay_within_the_cap_over_2000_draws():
    q = Fraction(1, 2)
    k, cap, draws = 2, 3, 2000
    counts: Counter = Counter()
    probabilities = None
    for seed in range(draws):
        result = assign_random_draw(
            applications=SMALL_APPS,
            experts=SMALL_EXPERTS,
            conflicts=SMALL_CONFLICTS,
            panel_size=k,
            load_cap=cap,
            max_pair_probability="0.5",
            seed=seed,
        )
        assert result.method == RANDOM_DRAW
        assert result.seed == seed
        assert_valid(result, SMALL_APPS, SMALL_EXPERTS, SMALL_CONFLICTS, k, cap)
        counts.update(result.pairs())
        probabilities = result.probabilities
    assert probabilities is not None
    assert max(probabilities.values()) <= q
    for app in SMALL_APPS:
        assert sum(p for (a, _e), p in probabilities.items() if a == app.id) == k
    # Hoeffding: P(frequency - p > t) <= exp(-2 N t^2) = exp(-10) for t = 0.05.
    tolerance = 0.05
    assert math.exp(-2 * draws * tolerance**2) < 1e-4
    for pair, count in counts.items():
        frequency = count / draws
        assert frequency <= q + tolerance
        assert abs(frequency - probabilities[pair]) <= tolerance
    # pairs never given a probability are never drawn
    assert set(counts) <= set(probabilities)


def test_random_draw_replays_from_its_seed():
    kwargs = {
        "applications": SMALL_APPS,
        "experts": SMALL_EXPERTS,
        "conflicts": SMALL_CONFLICTS,
        "panel_size": 2,
        "load_cap": 3,
        "max_pair_probability": "0.5",
    }
    first = assign_random_draw(seed=987654321, **kwargs)
    again = assign_random_draw(seed=987654321, **kwargs)
    assert first.panels == again.panels
    assert first.seed == 987654321
    others = {tuple(assign_random_draw(seed=s, **kwargs).panels.items()) for s in range(20)}
    assert len(others) > 1


def test_random_draw_generated_200_applications_is_valid():
    apps, experts, conflicts = generated(200, 300, seed=7)
    result = assign_random_draw(
        applications=apps,
        experts=experts,
        conflicts=conflicts,
        panel_size=5,
        load_cap=10,
        max_pair_probability="0.5",
        seed=2026,
    )
    assert_valid(result, apps, experts, conflicts, 5, 10)
    assert max(result.probabilities.values()) <= Fraction(1, 2)


def test_random_draw_refuses_when_the_cap_needs_more_experts():
    apps = [ApplicationInput(1, "energy")]
    experts = [ExpertInput(10 + j, frozenset({"energy"})) for j in range(5)]
    with translation.override("en"), pytest.raises(QualityAwardError) as caught:
        assign_random_draw(
            applications=apps,
            experts=experts,
            conflicts=set(),
            panel_size=3,
            load_cap=5,
            max_pair_probability="0.5",
            seed=1,
        )
    assert caught.value.message == (
        "No panel can be formed: application 1 has only 5 unconflicted experts available, "
        "needs 6. A random draw in which no pair is drawn with a probability above 0.5 "
        "needs at least 6 experts per application."
    )


def test_fractional_assignment_is_exact_with_a_decimal_cap():
    numerators, denominator = fractional_assignment(
        applications=SMALL_APPS,
        experts=SMALL_EXPERTS,
        conflicts=SMALL_CONFLICTS,
        panel_size=2,
        load_cap=3,
        max_pair_probability="0.4",
    )
    assert denominator == 5
    assert max(numerators.values()) <= 2
    for app in SMALL_APPS:
        assert sum(n for (a, _e), n in numerators.items() if a == app.id) == 2 * 5


def test_dependent_rounding_keeps_marginals_and_integer_sums():
    # A 3 x 3 doubly stochastic matrix in thirds, plus an expert with a lone half edge.
    numerators = {
        (1, 10): 2, (1, 11): 1,
        (2, 11): 2, (2, 12): 1,
        (3, 12): 2, (3, 10): 1,
    }  # fmt: skip
    draws = 3000
    counts: Counter = Counter()
    for seed in range(draws):
        chosen = dependent_rounding(numerators, 3, random.Random(seed))
        per_app = Counter(a for a, _e in chosen)
        per_expert = Counter(e for _a, e in chosen)
        assert per_app == {1: 1, 2: 1, 3: 1}
        assert per_expert == {10: 1, 11: 1, 12: 1}
        counts.update(chosen)
    for pair, n in numerators.items():
        assert abs(counts[pair] / draws - n / 3) <= 0.05


# --- properties ------------------------------------------------------------------------


@st.composite
def instances(draw):
    n_apps = draw(st.integers(1, 4))
    n_experts = draw(st.integers(1, 5))
    k = draw(st.integers(1, 2))
    cap = draw(st.integers(1, 4))
    apps = [ApplicationInput(i, draw(st.sampled_from(SECTORS[:3]))) for i in range(1, n_apps + 1)]
    experts = [
        ExpertInput(
            10 + j,
            frozenset(draw(st.sets(st.sampled_from(SECTORS[:3]), max_size=2))),
            draw(st.integers(0, 4)),
            draw(st.integers(0, 2)),
        )
        for j in range(n_experts)
    ]
    pairs = [(e.id, a.id) for a in apps for e in experts]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 3)))
    return apps, experts, conflicts, k, cap


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_optimal_property_valid_and_least_cost_or_refused(instance):
    apps, experts, conflicts, k, cap = instance
    expected = brute_force_min(apps, experts, conflicts, k, cap)
    if expected is None:
        with pytest.raises(QualityAwardError):
            assign_optimal(
                applications=apps, experts=experts, conflicts=conflicts, panel_size=k, load_cap=cap
            )
        return
    result = assign_optimal(
        applications=apps, experts=experts, conflicts=conflicts, panel_size=k, load_cap=cap
    )
    assert_valid(result, apps, experts, conflicts, k, cap)
    assert result.total_cost == expected
    assert result.lower_bound == expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["1", "0.5", "0.75", "0.34"]), st.integers(0, 2**31))
def test_random_draw_property_valid_and_capped(instance, q, seed):
    apps, experts, conflicts, k, cap = instance
    try:
        result = assign_random_draw(
            applications=apps,
            experts=experts,
            conflicts=conflicts,
            panel_size=k,
            load_cap=cap,
            max_pair_probability=q,
            seed=seed,
        )
    except QualityAwardError as error:
        assert error.code == "infeasible"
        return
    assert_valid(result, apps, experts, conflicts, k, cap)
    assert all(p <= Fraction(q) for p in result.probabilities.values())
    assert result.pairs() <= set(result.probabilities)
