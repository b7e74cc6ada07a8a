"""Panel assignment on plain data: no database, no request.

Two solvers share one model of the problem:

- applications, each with a sector, each needing exactly `panel_size` distinct experts;
- experts, each with the sectors of their expertise, a qualification level (higher is
  better: see `evaluation.enums.QUALIFICATION_LEVELS`) and the load they already carry;
- a set of forbidden (expert_id, application_id) pairs: the conflicts (A25);
- a load cap: no expert takes more than `load_cap` applications, counting the load
  already carried.

The quality of a pair is its `score`: `weights.sector_match` if the application's
sector is one of the expert's, plus `weights.qualification_level` per qualification
level. Load is balanced by a convex cost: an expert's `u`-th new assignment (counting
from 0, on top of `current_load`) costs `weights.load * (current_load + u)`, so each
further application given to the same expert costs more than the one before.

The objective (minimised) is  sum over chosen pairs of -score  +  sum over experts of
the load costs. `assignment_cost` computes it for any assignment.

Optimal assignment (`assign_optimal`) is a min-cost flow, as in HotCRP's automatic
assignment: source -> application (capacity k, cost 0) -> expert (capacity 1, cost
-score, only for allowed pairs) -> sink through parallel arcs of capacity 1 and
increasing cost (the convex load cost; as many arcs as the expert has room under the
cap). The flow polytope is integral, so the min-cost maximum flow is an optimal
assignment; OR-Tools' `SimpleMinCostFlow` solves it.

Random draw (`assign_random_draw`, 随机抽取) follows openreview-matcher's randomised
solver (Jecmen et al., "Mitigating manipulation in peer review via randomized reviewer
assignments", NeurIPS 2020): no expert-application pair may be drawn with a
probability above `q`, so nobody can steer their assignment.

1. The fractional problem: the same flow with each pair's capacity `q` instead of 1.
   With q = a/D (a fraction in lowest terms) every capacity is scaled by D and the
   problem is again an integral min-cost flow: its optimum x_ij = f_ij / D is an exact
   rational point with x_ij <= q, sum_j x_ij = k for each application and
   sum_i x_ij <= cap_j for each expert.
2. Sampling: bipartite dependent rounding (Gandhi, Khuller, Parthasarathy and
   Srinivasan, J. ACM 2006), done in exact integer arithmetic on the numerators.
   While some pair is fractional, take a cycle of fractional pairs, or a maximal path
   of them whose ends are experts with one fractional pair each; split its edges
   alternately into M1 and M2; with alpha = min(min_{M1} (1 - x), min_{M2} x) and
   beta = min(min_{M1} x, min_{M2} (1 - x)), with probability beta/(alpha+beta) add
   alpha to M1 and subtract it from M2, otherwise subtract beta from M1 and add it to
   M2. Each step keeps every expectation (E[change] = 0), keeps every inner node's
   sum, and makes at least one pair 0 or 1. Hence:
   - P(pair drawn) = x_ij <= q exactly;
   - an application's sum k is an integer, so it never has exactly one fractional pair
     and is never a path's end: every panel has exactly k experts;
   - an expert ends with floor or ceil of its fractional load, and ceil(load) <= cap
     because cap is an integer: the load cap holds in every draw.
   The random choices come from `random.Random(seed)` with integer thresholds
   (`randrange`), and nodes and edges are visited in sorted order: the same seed and
   the same input replay the same panels.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.graph.python import min_cost_flow

from qualityaward.core.errors import QualityAwardError

OPTIMAL = "optimal"
RANDOM_DRAW = "random_draw"

# --- plain inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationInput:
    id: int
    sector: str


@dataclass(frozen=True)
class ExpertInput:
    id: int
    sectors: frozenset[str] = frozenset()
    qualification_level: int = 0
    current_load: int = 0


@dataclass(frozen=True)
class Weights:
    """How a pair is scored and how strongly load is balanced (integers: costs of a
    min-cost flow). The defaults make a sector match worth ten qualification levels,
    and make an expert's sixth new application cost as much as one level (25 = 5 * 5)."""

    sector_match: int = 100
    qualification_level: int = 10
    load: int = 5


DEFAULT_WEIGHTS = Weights()


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PairReason:
    """Why a pair was chosen: what its score is made of."""

    application_id: int
    expert_id: int
    sector_match: bool
    qualification_level: int
    score: int


@dataclass(frozen=True)
class AssignmentResult:
    method: str  # OPTIMAL or RANDOM_DRAW
    panel_size: int
    load_cap: int
    # application id -> expert ids, sorted
    panels: dict[int, tuple[int, ...]]
    # (application id, expert id) -> why
    reasons: dict[tuple[int, int], PairReason]
    # the objective of the returned assignment (see `assignment_cost`)
    total_cost: int
    # random draw only: the seed that replays the draw, and each allowed pair's
    # probability of being drawn ((application id, expert id) -> x_ij, pairs with 0 left out)
    seed: int | None = None
    probabilities: dict[tuple[int, int], Fraction] = field(default_factory=dict)
    max_pair_probability: Fraction | None = None

    def loads(self) -> dict[int, int]:
        """New applications per expert in this result (experts with none left out)."""
        counts: dict[int, int] = defaultdict(int)
        for experts in self.panels.values():
            for expert_id in experts:
                counts[expert_id] += 1
        return dict(counts)

    def pairs(self) -> set[tuple[int, int]]:
        return {(app, expert) for app, experts in self.panels.items() for expert in experts}


# --- scoring ---------------------------------------------------------------------------


def pair_reason(
    application: ApplicationInput, expert: ExpertInput, weights: Weights = DEFAULT_WEIGHTS
) -> PairReason:
    match = application.sector in expert.sectors
    level = max(expert.qualification_level, 0)
    return PairReason(
        application_id=application.id,
        expert_id=expert.id,
        sector_match=match,
        qualification_level=level,
        score=(weights.sector_match if match else 0) + weights.qualification_level * level,
    )


def load_cost(current_load: int, new: int, weights: Weights = DEFAULT_WEIGHTS) -> int:
    """The convex cost of `new` further applications on an expert carrying `current_load`."""
    return weights.load * sum(current_load + u for u in range(new))


def assignment_cost(
    panels: Mapping[int, Iterable[int]],
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    weights: Weights = DEFAULT_WEIGHTS,
) -> int:
    """The objective of an assignment: -sum of scores + the experts' load costs."""
    app_by_id = {a.id: a for a in applications}
    expert_by_id = {e.id: e for e in experts}
    total = 0
    new_load: dict[int, int] = defaultdict(int)
    for app_id, expert_ids in panels.items():
        for expert_id in expert_ids:
            total -= pair_reason(app_by_id[app_id], expert_by_id[expert_id], weights).score
            new_load[expert_id] += 1
    for expert_id, count in new_load.items():
        total += load_cost(expert_by_id[expert_id].current_load, count, weights)
    return total


# --- checks shared by both solvers ---------------------------------------------------


def _check_inputs(
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    panel_size: int,
    load_cap: int,
) -> None:
    if len({a.id for a in applications}) != len(applications):
        raise ValueError("application ids must be unique")
    if len({e.id for e in experts}) != len(experts):
        raise ValueError("expert ids must be unique")
    if panel_size < 1:
        raise ValueError("panel_size must be at least 1")
    if load_cap < 0:
        raise ValueError("load_cap must not be negative")


def _room(expert: ExpertInput, load_cap: int) -> int:
    return max(load_cap - expert.current_load, 0)


def _allowed_pairs(
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    conflicts: Collection[tuple[int, int]],
    load_cap: int,
) -> dict[int, list[ExpertInput]]:
    """Application id -> the experts it may have (no conflict, room under the cap)."""
    forbidden = set(conflicts)
    open_experts = [e for e in sorted(experts, key=lambda e: e.id) if _room(e, load_cap) > 0]
    return {a.id: [e for e in open_experts if (e.id, a.id) not in forbidden] for a in applications}


def _short_message(short: list[tuple[int, int]], needed: int) -> str:
    """'application 12 has only 3 unconflicted experts available, needs 5; ...'"""
    parts = [
        ngettext(
            "application %(id)s has only %(count)d unconflicted expert available, needs %(needed)d",
            "application %(id)s has only %(count)d unconflicted experts available, needs "
            "%(needed)d",
            count,
        )
        % {"id": app_id, "count": count, "needed": needed}
        for app_id, count in short[:5]
    ]
    more = len(short) - 5
    text = "; ".join(parts)
    if more > 0:
        text += "; " + ngettext(
            "and %(n)d more application", "and %(n)d more applications", more
        ) % {"n": more}
    return _("No panel can be formed: %(details)s.") % {"details": text}


# --- the flow network ----------------------------------------------------------------


def _solve_flow(
    applications: Sequence[ApplicationInput],
    allowed: Mapping[int, list[ExpertInput]],
    experts: Sequence[ExpertInput],
    *,
    demand: int,
    pair_capacity: int,
    unit: int,
    load_cap: int,
    weights: Weights,
) -> tuple[dict[tuple[int, int], int], dict[int, int], int]:
    """Min-cost max-flow with each application asking `demand` units, each pair taking at
    most `pair_capacity` units and an expert at most `unit` units per application of
    room (`unit` units = one application). Returns (flow per (application id, expert
    id), units per application, cost)."""
    app_index = {a.id: i + 1 for i, a in enumerate(applications)}
    expert_list = sorted(experts, key=lambda e: e.id)
    expert_index = {e.id: len(applications) + 1 + i for i, e in enumerate(expert_list)}
    source, sink = 0, len(applications) + len(expert_list) + 1
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    pair_arcs: list[tuple[int, int]] = []

    def arc(tail: int, head: int, capacity: int, cost: int) -> None:
        tails.append(tail)
        heads.append(head)
        caps.append(capacity)
        costs.append(cost)

    app_by_id = {a.id: a for a in applications}
    for application in applications:
        arc(source, app_index[application.id], demand, 0)
    first_pair_arc = len(tails)
    for app_id, candidates in allowed.items():
        for expert in candidates:
            score = pair_reason(app_by_id[app_id], expert, weights).score
            arc(app_index[app_id], expert_index[expert.id], pair_capacity, -score)
            pair_arcs.append((app_id, expert.id))
    for expert in expert_list:
        for u in range(_room(expert, load_cap)):
            arc(expert_index[expert.id], sink, unit, weights.load * (expert.current_load + u))
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    solver.set_node_supply(source, demand * len(applications))
    solver.set_node_supply(sink, -demand * len(applications))
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:  # pragma: no cover - bad input ranges only
        raise QualityAwardError(
            _("The assignment could not be computed (solver status %(status)s).")
            % {"status": status},
            code="solver_failed",
        )
    flows = solver.flows(np.arange(first_pair_arc, first_pair_arc + len(pair_arcs)))
    pair_flow = {pair: int(f) for pair, f in zip(pair_arcs, flows, strict=True) if f > 0}
    per_app: dict[int, int] = defaultdict(int)
    for (app_id, _expert_id), f in pair_flow.items():
        per_app[app_id] += f
    return pair_flow, per_app, int(solver.optimal_cost())


def _infeasible(
    applications: Sequence[ApplicationInput],
    per_app: Mapping[int, int],
    demand: int,
    panel_size: int,
    load_cap: int,
) -> QualityAwardError:
    short = sorted(a.id for a in applications if per_app.get(a.id, 0) < demand)
    shown = ", ".join(str(i) for i in short[:10]) + ("…" if len(short) > 10 else "")
    return QualityAwardError(
        ngettext(
            "No assignment gives every application %(k)d experts with at most %(cap)d "
            "applications per expert: application %(ids)s cannot be served (the experts "
            "it may have are needed elsewhere). Add experts or raise the load cap.",
            "No assignment gives every application %(k)d experts with at most %(cap)d "
            "applications per expert: applications %(ids)s cannot all be served (the "
            "experts they may have are needed elsewhere). Add experts or raise the load cap.",
            len(short),
        )
        % {"k": panel_size, "cap": load_cap, "ids": shown},
        code="infeasible",
    )


# --- optimal ---------------------------------------------------------------------------


def assign_optimal(
    *,
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    conflicts: Collection[tuple[int, int]],
    panel_size: int,
    load_cap: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> AssignmentResult:
    """The assignment of least cost (see the module docstring).

    `conflicts` holds (expert_id, application_id) pairs that must not be assigned.
    Raises QualityAwardError (code "infeasible") naming the applications that cannot
    get `panel_size` experts."""
    _check_inputs(applications, experts, panel_size, load_cap)
    allowed = _allowed_pairs(applications, experts, conflicts, load_cap)
    short = [(a.id, len(allowed[a.id])) for a in applications if len(allowed[a.id]) < panel_size]
    if short:
        raise QualityAwardError(_short_message(short, panel_size), code="infeasible")
    if not applications:
        return AssignmentResult(OPTIMAL, panel_size, load_cap, {}, {}, 0)
    flow, per_app, cost = _solve_flow(
        applications,
        allowed,
        experts,
        demand=panel_size,
        pair_capacity=1,
        unit=1,
        load_cap=load_cap,
        weights=weights,
    )
    if any(per_app.get(a.id, 0) < panel_size for a in applications):
        raise _infeasible(applications, per_app, panel_size, panel_size, load_cap)
    return _result(
        OPTIMAL, set(flow), applications, experts, panel_size, load_cap, weights, cost=cost
    )


def _result(
    method: str,
    pairs: set[tuple[int, int]],
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    panel_size: int,
    load_cap: int,
    weights: Weights,
    *,
    cost: int | None = None,
    **extra,
) -> AssignmentResult:
    panels: dict[int, list[int]] = {a.id: [] for a in applications}
    for app_id, expert_id in pairs:
        panels[app_id].append(expert_id)
    frozen = {app_id: tuple(sorted(ids)) for app_id, ids in panels.items()}
    app_by_id = {a.id: a for a in applications}
    expert_by_id = {e.id: e for e in experts}
    reasons = {
        (app_id, expert_id): pair_reason(app_by_id[app_id], expert_by_id[expert_id], weights)
        for app_id, expert_id in sorted(pairs)
    }
    total = assignment_cost(frozen, applications, experts, weights)
    if cost is not None and cost != total:  # pragma: no cover - a solver bug
        raise AssertionError(f"flow cost {cost} differs from the assignment's cost {total}")
    return AssignmentResult(method, panel_size, load_cap, frozen, reasons, total, **extra)


# --- random draw -----------------------------------------------------------------------


def new_seed() -> int:
    """A fresh seed for a draw (store it with the result to replay the draw)."""
    return secrets.randbits(63)


def as_fraction(value: Fraction | Decimal | str | int | float) -> Fraction:
    """A probability as an exact fraction ("0.5", Decimal("0.5") -> 1/2)."""
    if isinstance(value, float):
        return Fraction(value).limit_denominator(10_000)
    return Fraction(str(value)) if isinstance(value, Decimal | str) else Fraction(value)


def fractional_assignment(
    *,
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    conflicts: Collection[tuple[int, int]],
    panel_size: int,
    load_cap: int,
    max_pair_probability: Fraction | Decimal | str | float,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[dict[tuple[int, int], int], int]:
    """Step 1 of the random draw: the best fractional assignment with x_ij <= q.

    Returns ({(application id, expert id): numerator}, denominator D): x_ij = n / D.
    Raises QualityAwardError when no fractional assignment exists."""
    _check_inputs(applications, experts, panel_size, load_cap)
    q = as_fraction(max_pair_probability)
    if not 0 < q <= 1:
        raise QualityAwardError(
            _("The highest pair probability must be greater than 0 and at most 1."),
            code="invalid_probability",
        )
    allowed = _allowed_pairs(applications, experts, conflicts, load_cap)
    # Each application needs at least k / q experts it may have.
    needed = math.ceil(panel_size / q)
    short = [(a.id, len(allowed[a.id])) for a in applications if len(allowed[a.id]) < needed]
    if short:
        raise QualityAwardError(
            _short_message(short, needed)
            + " "
            + _(
                "A random draw in which no pair is drawn with a probability above %(q)s "
                "needs at least %(needed)d experts per application."
            )
            % {"q": f"{float(q):g}", "needed": needed},
            code="infeasible",
        )
    if not applications:
        return {}, q.denominator
    denominator = q.denominator
    flow, per_app, _cost = _solve_flow(
        applications,
        allowed,
        experts,
        demand=panel_size * denominator,
        pair_capacity=min(q.numerator, denominator),
        unit=denominator,
        load_cap=load_cap,
        weights=weights,
    )
    if any(per_app.get(a.id, 0) < panel_size * denominator for a in applications):
        raise _infeasible(applications, per_app, panel_size * denominator, panel_size, load_cap)
    return flow, denominator


def assign_random_draw(
    *,
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    conflicts: Collection[tuple[int, int]],
    panel_size: int,
    load_cap: int,
    max_pair_probability: Fraction | Decimal | str | float,
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> AssignmentResult:
    """A random draw in which no pair has a probability above `max_pair_probability`
    (see the module docstring). The same `seed` and input give the same panels."""
    numerators, denominator = fractional_assignment(
        applications=applications,
        experts=experts,
        conflicts=conflicts,
        panel_size=panel_size,
        load_cap=load_cap,
        max_pair_probability=max_pair_probability,
        weights=weights,
    )
    pairs = dependent_rounding(numerators, denominator, random.Random(seed))  # noqa: S311
    return _result(
        RANDOM_DRAW,
        pairs,
        applications,
        experts,
        panel_size,
        load_cap,
        weights,
        seed=seed,
        probabilities={
            pair: Fraction(n, denominator) for pair, n in sorted(numerators.items()) if n
        },
        max_pair_probability=as_fraction(max_pair_probability),
    )


def dependent_rounding(
    numerators: Mapping[tuple[int, int], int], denominator: int, rng: random.Random
) -> set[tuple[int, int]]:
    """Round x_e = numerators[e] / denominator on the bipartite graph of (application,
    expert) pairs to 0 or 1 with P(e chosen) = x_e, keeping every node's sum when it
    is an integer and between its floor and ceiling otherwise (module docstring)."""
    chosen: set[tuple[int, int]] = set()
    live: dict[tuple[int, int], int] = {}
    for pair, n in numerators.items():
        if not 0 <= n <= denominator:
            raise ValueError(f"{pair}: {n}/{denominator} is not a probability")
        if n == denominator:
            chosen.add(pair)
        elif n > 0:
            live[pair] = n
    # Nodes are ("a", application id) and ("e", expert id); edges are pairs.
    adjacency: dict[tuple[str, int], set[tuple[int, int]]] = defaultdict(set)
    for pair in live:
        adjacency[("a", pair[0])].add(pair)
        adjacency[("e", pair[1])].add(pair)

    def ends(pair: tuple[int, int]) -> tuple[tuple[str, int], tuple[str, int]]:
        return ("a", pair[0]), ("e", pair[1])

    def other(pair: tuple[int, int], node: tuple[str, int]) -> tuple[str, int]:
        a, e = ends(pair)
        return e if node == a else a

    def settle(pair: tuple[int, int]) -> None:
        value = live[pair]
        if value in (0, denominator):
            del live[pair]
            for node in ends(pair):
                adjacency[node].discard(pair)
                if not adjacency[node]:
                    del adjacency[node]
            if value == denominator:
                chosen.add(pair)

    while live:
        nodes = sorted(adjacency)
        start = next((n for n in nodes if len(adjacency[n]) == 1), nodes[0])
        walk_nodes = [start]
        position = {start: 0}
        walk_edges: list[tuple[int, int]] = []
        current, previous = start, None
        while True:
            onward = sorted(p for p in adjacency[current] if p != previous)
            if not onward:
                edges = walk_edges  # a maximal path between two degree-1 nodes
                break
            step = onward[0]
            walk_edges.append(step)
            current, previous = other(step, current), step
            if current in position:
                edges = walk_edges[position[current] :]  # a cycle (even: bipartite)
                break
            position[current] = len(walk_nodes)
            walk_nodes.append(current)
        up, down = edges[0::2], edges[1::2]
        alpha = min([denominator - live[p] for p in up] + [live[p] for p in down])
        beta = min([live[p] for p in up] + [denominator - live[p] for p in down])
        if rng.randrange(alpha + beta) < beta:  # probability beta / (alpha + beta)
            delta_up, delta_down = alpha, -alpha
        else:
            delta_up, delta_down = -beta, beta
        for p in up:
            live[p] += delta_up
        for p in down:
            live[p] += delta_down
        for p in edges:
            settle(p)
    return chosen
