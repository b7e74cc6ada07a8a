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
assignment; OR-Tools' `SimpleMinCostFlow` solves it. A national cycle (20,000
applications x 3,000 experts) has 60 M pairs, so the flow is solved on a few candidate
pairs per application and every other pair is priced with the flow's dual prices
(column generation, `_Network`): a pair that could lower the cost joins the candidates
and the flow is solved again; when none can, the dual prices prove the flow optimal
for all pairs, and the dual objective computed from them over every arc is returned as
`lower_bound` (`optimality_gap` = total_cost - lower_bound = 0).

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
    # optimal only: a lower bound on the cost of every assignment, proved by dual prices
    # checked on every allowed pair; how many pairs the flow was solved on, in how many
    # pricing rounds
    lower_bound: int | None = None
    candidate_pairs: int | None = None
    pricing_rounds: int | None = None

    @property
    def optimality_gap(self) -> int | None:
        """total_cost - lower_bound: 0 proves the assignment optimal."""
        return None if self.lower_bound is None else self.total_cost - self.lower_bound

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
    """The assignment of least cost (see the module docstring), with its proof: the
    result's `lower_bound` comes from dual prices checked on every allowed pair, and
    `optimality_gap` = total_cost - lower_bound is 0.

    `conflicts` holds (expert_id, application_id) pairs that must not be assigned.
    Raises QualityAwardError (code "infeasible") naming the applications that cannot
    get `panel_size` experts."""
    _check_inputs(applications, experts, panel_size, load_cap)
    network = _Network(applications, experts, conflicts, panel_size, load_cap, weights)
    short = network.short_applications()
    if short:
        raise QualityAwardError(_short_message(short, panel_size), code="infeasible")
    if not applications:
        return AssignmentResult(OPTIMAL, panel_size, load_cap, {}, {}, 0, lower_bound=0)
    solution = network.solve()
    if solution.unserved:
        served = {a.id: panel_size for a in applications}
        for app_id in solution.unserved:
            served[app_id] = 0
        raise _infeasible(applications, served, panel_size, panel_size, load_cap)
    return _result(
        OPTIMAL,
        solution.pairs,
        applications,
        experts,
        panel_size,
        load_cap,
        weights,
        cost=solution.cost,
        lower_bound=solution.lower_bound,
        candidate_pairs=solution.candidate_pairs,
        pricing_rounds=solution.rounds,
    )


def certified_lower_bound(
    panels: Mapping[int, Iterable[int]],
    *,
    applications: Sequence[ApplicationInput],
    experts: Sequence[ExpertInput],
    conflicts: Collection[tuple[int, int]],
    panel_size: int,
    load_cap: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> int:
    """A lower bound on the cost of every assignment, from the dual prices of the given
    one (shortest distances in its residual graph over all allowed pairs). It equals
    the given assignment's cost exactly when that assignment is optimal; for any
    other assignment it is still a valid bound, below its cost. Dense: small inputs."""
    _check_inputs(applications, experts, panel_size, load_cap)
    network = _Network(applications, experts, conflicts, panel_size, load_cap, weights)
    app_index = {a.id: i for i, a in enumerate(applications)}
    expert_index = {expert_id: j for j, expert_id in enumerate(network.expert_ids.tolist())}
    chosen = np.array(
        sorted(
            app_index[app_id] * network.m + expert_index[expert_id]
            for app_id, expert_ids in panels.items()
            for expert_id in expert_ids
        ),
        dtype=np.int64,
    )
    every = np.arange(network.n * network.m, dtype=np.int64)
    allowed = np.setdiff1d(every, network.conflict_keys, assume_unique=True)
    flows = np.isin(allowed, chosen).astype(np.int64)
    distances = network.distances(allowed, flows, np.zeros(network.n, dtype=np.int64))
    lower_bound, _violations = network.price(distances, chosen)
    return lower_bound


@dataclass(frozen=True)
class _Solution:
    pairs: set[tuple[int, int]]
    cost: int
    lower_bound: int
    unserved: list[int]
    candidate_pairs: int
    rounds: int


class _Network:
    """The flow network of the optimal assignment as arrays, with all of its
    application-expert arcs kept implicit: a pair's cost depends only on the
    application's sector and the expert, so the costs are one row per sector.

    Nodes: applications 0..n-1, open experts n..n+m-1 (room under the cap), source,
    sink. A pair is the key i * m + j. Solving (column generation, `solve`):

    1. Candidate pairs: for each application the pairs of a greedy assignment plus
       its `CANDIDATES` cheapest pairs at the experts' greedy loads (ties broken at
       random, so the applications of a sector spread over equal experts).
    2. Min-cost flow on the candidate pairs only, with a slack arc per application
       (source -> application -> sink at cost BIG) so it always has a full flow.
    3. Prices: shortest distances d from a virtual root in the residual graph
       (Bellman-Ford; they exist because the flow is optimal on its network: no
       negative cycle). Every pair (i, j) of the full problem is priced:
       reduced cost c_ij + d_i - d_j. A pair outside the candidates with a negative
       reduced cost could improve the flow: those are added (the most negative per
       application first) and the flow is solved again.
    4. When no pair has a negative reduced cost, d are feasible dual prices of the
       full problem: the flow is optimal for it (LP optimality conditions), and the
       dual objective (weak duality: a bound for any prices),
           k n (d_sink - d_source) - sum over arcs of capacity * max(0, -reduced cost),
       is computed over every arc of the full network as an independent lower bound.
       Slack still used then means the load cap cannot serve everyone.
    """

    CANDIDATES = 24
    ADDED_PER_ROUND = 12
    CHUNK_CELLS = 4_000_000  # pairs priced at once (int64: 32 MB per array)

    def __init__(
        self,
        applications: Sequence[ApplicationInput],
        experts: Sequence[ExpertInput],
        conflicts: Collection[tuple[int, int]],
        panel_size: int,
        load_cap: int,
        weights: Weights,
    ) -> None:
        self.k = panel_size
        self.weights = weights
        self.app_ids = np.array([a.id for a in applications], dtype=np.int64)
        open_experts = [e for e in sorted(experts, key=lambda e: e.id) if _room(e, load_cap) > 0]
        self.expert_ids = np.array([e.id for e in open_experts], dtype=np.int64)
        self.n, self.m = len(applications), len(open_experts)
        self.current_load = np.array([e.current_load for e in open_experts], dtype=np.int64)
        self.room = np.array([_room(e, load_cap) for e in open_experts], dtype=np.int64)
        sectors = sorted({a.sector for a in applications})
        sector_index = {s: i for i, s in enumerate(sectors)}
        self.sector_of = np.array([sector_index[a.sector] for a in applications], dtype=np.int64)
        levels = np.array([max(e.qualification_level, 0) for e in open_experts], dtype=np.int64)
        match = np.array(
            [[s in e.sectors for e in open_experts] for s in sectors], dtype=np.int64
        ).reshape(len(sectors), self.m)
        self.cost_rows = -(weights.sector_match * match + weights.qualification_level * levels)
        app_index = {a.id: i for i, a in enumerate(applications)}
        expert_index = {expert_id: j for j, expert_id in enumerate(self.expert_ids.tolist())}
        self.conflict_keys = np.unique(
            np.array(
                [
                    app_index[app_id] * self.m + expert_index[expert_id]
                    for expert_id, app_id in conflicts
                    if app_id in app_index and expert_id in expert_index
                ],
                dtype=np.int64,
            )
        )
        self.source, self.sink = self.n + self.m, self.n + self.m + 1
        largest = int(np.abs(self.cost_rows).max(initial=0)) + weights.load * (
            int((self.current_load + self.room).max(initial=0))
        )
        # More than any path of real arcs can cost: slack is used only when unavoidable.
        self.big = (largest + 1) * (self.n + self.m + 2) + 1

    # --- checks ------------------------------------------------------------------------

    def short_applications(self) -> list[tuple[int, int]]:
        """(application id, experts it may have) for those with fewer than k."""
        conflicted = np.bincount(self.conflict_keys // max(self.m, 1), minlength=self.n)
        available = self.m - conflicted
        return [
            (int(self.app_ids[i]), int(available[i])) for i in np.flatnonzero(available < self.k)
        ]

    # --- solving ---------------------------------------------------------------------

    def solve(self) -> _Solution:
        greedy = self._greedy()
        loads = np.bincount(greedy % self.m, minlength=self.m)
        candidates = np.union1d(greedy, self._cheapest(loads))
        rounds = 0
        while True:
            rounds += 1
            flows, slack, cost = self._flow(candidates)
            distances = self.distances(candidates, flows, slack)
            chosen = candidates[flows > 0]
            lower_bound, violations = self.price(distances, chosen)
            if violations.size == 0:
                break
            added = np.setdiff1d(violations, candidates, assume_unique=True)
            if added.size == 0:  # pragma: no cover - prices that contradict the flow
                raise AssertionError("a candidate pair left out of the flow prices negative")
            candidates = np.union1d(candidates, added)
        pairs = {
            (int(self.app_ids[key // self.m]), int(self.expert_ids[key % self.m]))
            for key in chosen.tolist()
        }
        unserved = [int(self.app_ids[i]) for i in np.flatnonzero(slack)]
        return _Solution(
            pairs=pairs,
            cost=cost - self.big * int(slack.sum()),
            lower_bound=lower_bound,
            unserved=unserved,
            candidate_pairs=int(candidates.size),
            rounds=rounds,
        )

    def _row_costs(self, rows: np.ndarray) -> np.ndarray:
        return self.cost_rows[self.sector_of[rows]]

    def _conflicts_in(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """(row offset, column) of the conflicts of applications first..last-1."""
        lo, hi = np.searchsorted(self.conflict_keys, [first * self.m, last * self.m])
        keys = self.conflict_keys[lo:hi]
        return keys // self.m - first, keys % self.m

    def _chunks(self):
        rows = max(1, self.CHUNK_CELLS // max(self.m, 1))
        for first in range(0, self.n, rows):
            yield first, min(first + rows, self.n)

    def _greedy(self) -> np.ndarray:
        """Each application in turn takes the k experts cheapest at their loads so far."""
        loads = np.zeros(self.m, dtype=np.int64)
        marginal = self.weights.load * self.current_load
        keys = []
        conflicts_of: dict[int, list[int]] = defaultdict(list)
        for key in self.conflict_keys.tolist():
            conflicts_of[key // self.m].append(key % self.m)
        for i in range(self.n):
            costs = self.cost_rows[self.sector_of[i]] + marginal
            costs = np.where(loads < self.room, costs, np.iinfo(np.int64).max)
            if conflicts_of[i]:
                costs[conflicts_of[i]] = np.iinfo(np.int64).max
            k = min(self.k, self.m)
            picked = np.argpartition(costs, k - 1)[:k]
            picked = picked[costs[picked] < np.iinfo(np.int64).max]
            loads[picked] += 1
            marginal[picked] += self.weights.load
            keys.append(i * self.m + picked)
        return np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)

    def _cheapest(self, loads: np.ndarray) -> np.ndarray:
        """Each application's CANDIDATES cheapest pairs at the experts' `loads`."""
        count = min(self.CANDIDATES, self.m)
        price = self.weights.load * (self.current_load + loads)
        rng = np.random.default_rng(0)
        keys = []
        for first, last in self._chunks():
            rows = np.arange(first, last)
            costs = (self._row_costs(rows) + price).astype(np.float64)
            costs += rng.random(costs.shape)  # costs are integers: this only breaks ties
            offsets, columns = self._conflicts_in(first, last)
            costs[offsets, columns] = np.inf
            best = np.argpartition(costs, count - 1, axis=1)[:, :count]
            picked = np.isfinite(np.take_along_axis(costs, best, axis=1))
            keys.append((rows[:, None] * self.m + best)[picked])
        return np.unique(np.concatenate(keys))

    def _flow(self, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """Min-cost flow on the candidate pairs plus slack: (flow per candidate, slack
        per application, cost)."""
        n, m = self.n, self.m
        rows, columns = candidates // m, candidates % m
        sink_expert = np.repeat(np.arange(m), self.room)
        sink_step = np.arange(sink_expert.size) - np.repeat(
            np.cumsum(self.room) - self.room, self.room
        )
        tails = np.concatenate([np.full(n, self.source), rows, np.arange(n), n + sink_expert])
        heads = np.concatenate(
            [np.arange(n), n + columns, np.full(n, self.sink), np.full(sink_expert.size, self.sink)]
        )
        capacities = np.concatenate(
            [
                np.full(n, self.k),
                np.ones(candidates.size),
                np.full(n, self.k),
                np.ones(sink_expert.size),
            ]
        )
        costs = np.concatenate(
            [
                np.zeros(n, dtype=np.int64),
                self.cost_rows[self.sector_of[rows], columns],
                np.full(n, self.big),
                self.weights.load * (self.current_load[sink_expert] + sink_step),
            ]
        )
        solver = min_cost_flow.SimpleMinCostFlow()
        solver.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32),
            heads.astype(np.int32),
            capacities.astype(np.int64),
            costs.astype(np.int64),
        )
        solver.set_node_supply(self.source, self.k * n)
        solver.set_node_supply(self.sink, -self.k * n)
        status = solver.solve()
        if status != solver.OPTIMAL:  # pragma: no cover - bad input ranges only
            raise QualityAwardError(
                _("The assignment could not be computed (solver status %(status)s).")
                % {"status": status},
                code="solver_failed",
            )
        first = n
        flows = solver.flows(np.arange(first, first + candidates.size))
        slack = solver.flows(np.arange(first + candidates.size, first + candidates.size + n))
        return flows.astype(np.int64), slack.astype(np.int64), int(solver.optimal_cost())

    def distances(self, candidates: np.ndarray, flows: np.ndarray, slack: np.ndarray) -> np.ndarray:
        """Shortest distances from a virtual root (an arc of cost 0 to every node) in
        the residual graph of the flow: Bellman-Ford, all arcs relaxed at once per
        round. Stops after as many rounds as nodes when there is a negative cycle (the
        flow is not optimal): the distances are then only an estimate."""
        n, m, k = self.n, self.m, self.k
        rows, columns = candidates // m, candidates % m
        pair_costs = self.cost_rows[self.sector_of[rows], columns]
        used = flows > 0
        loads = np.bincount(columns[used], minlength=m)
        served = np.bincount(rows[used], minlength=n) + slack
        apps, experts = np.arange(n), n + np.arange(m)
        not_full, has_room, has_load = served < k, loads < self.room, loads > 0
        slack_open, slack_used = slack < k, slack > 0

        def each(node: int, mask: np.ndarray) -> np.ndarray:
            return np.full(int(mask.sum()), node)

        # (tails, heads, costs) of each kind of residual arc
        arcs = [
            # application -> expert on the pairs not used; back along the pairs used
            (rows[~used], n + columns[~used], pair_costs[~used]),
            (n + columns[used], rows[used], -pair_costs[used]),
            # back from every application to the source; on to those not full
            (apps, each(self.source, apps >= 0), 0 * apps),
            (each(self.source, not_full), apps[not_full], 0 * apps[not_full]),
            # expert -> sink at the cost of its next place; back at its last place's
            (
                experts[has_room],
                each(self.sink, has_room),
                self.weights.load * (self.current_load + loads)[has_room],
            ),
            (
                each(self.sink, has_load),
                experts[has_load],
                -self.weights.load * (self.current_load + loads - 1)[has_load],
            ),
            # slack: on while below k, back while used
            (apps[slack_open], each(self.sink, slack_open), each(self.big, slack_open)),
            (each(self.sink, slack_used), apps[slack_used], each(-self.big, slack_used)),
        ]
        tail, head, cost = (
            np.concatenate([arc[part] for arc in arcs]).astype(np.int64) for part in range(3)
        )
        order = np.argsort(head, kind="stable")
        tail, head, cost = tail[order], head[order], cost[order]
        targets, starts = np.unique(head, return_index=True)
        distance = np.zeros(n + m + 2, dtype=np.int64)
        for _round in range(n + m + 2):
            best = np.minimum.reduceat(distance[tail] + cost, starts)
            improved = best < distance[targets]
            if not improved.any():
                break
            distance[targets[improved]] = best[improved]
        return distance

    def price(self, distance: np.ndarray, chosen: np.ndarray) -> tuple[int, np.ndarray]:
        """(the dual lower bound over every arc of the full network, the pairs not
        chosen whose reduced cost is negative: up to ADDED_PER_ROUND per application)."""
        n, m, k = self.n, self.m, self.k
        d_apps, d_experts = distance[:n], distance[n : n + m]
        d_source, d_sink = distance[self.source], distance[self.sink]
        # source -> application (capacity k, cost 0)
        bound = k * n * (d_sink - d_source)
        bound -= k * int(np.maximum(d_apps - d_source, 0).sum())
        # expert -> sink, the u-th arc (capacity 1, cost load * (current load + u))
        steps = np.arange(int(self.room.max(initial=0)))
        arc_costs = self.weights.load * (self.current_load[:, None] + steps[None, :])
        reduced = arc_costs + d_experts[:, None] - d_sink
        exists = steps[None, :] < self.room[:, None]
        bound -= int(np.where(exists, np.maximum(-reduced, 0), 0).sum())
        # application -> expert: every allowed pair
        violations = []
        for first, last in self._chunks():
            rows = np.arange(first, last)
            reduced = self._row_costs(rows) + d_apps[rows, None] - d_experts[None, :]
            offsets, columns = self._conflicts_in(first, last)
            reduced[offsets, columns] = 0  # not an arc
            bound -= int(np.maximum(-reduced, 0).sum())
            lo, hi = np.searchsorted(chosen, [first * m, last * m])
            reduced.reshape(-1)[chosen[lo:hi] - first * m] = 0  # in the flow already
            negative_rows = np.flatnonzero((reduced < 0).any(axis=1))
            if negative_rows.size:
                block = reduced[negative_rows]
                count = min(self.ADDED_PER_ROUND, m)
                best = np.argpartition(block, count - 1, axis=1)[:, :count]
                keep = np.take_along_axis(block, best, axis=1) < 0
                keys = (rows[negative_rows, None] * m + best)[keep]
                violations.append(keys)
        found = np.unique(np.concatenate(violations)) if violations else np.zeros(0, np.int64)
        return int(bound), found


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
