r"""Exact pricing of a design pole by pole: the services of fixed poles separate.

With the poles fixed (:math:`x` given), every service constraint of the MILP reads the
variables of one pole only — membership, mode, sizing, fairness, the coalition cuts — so the
service problem is a sum of independent pole problems:

.. math:: \text{cost}(x) = C_0 + \sum_{\text{poles } (j, M)} \Delta(j, M), \qquad
   C_0 = \sum_{i, s} \text{standalone}_{is} \;(\text{k€}),

where :math:`\Delta(j, M) \le 0` is the optimal change in cost (services pooled, borrowed or kept,
priced travel) of the pole seated at *j* with members *M*, each solved as a small MILP holding
every fairness constraint. Communes left alone keep everything (:math:`\Delta = 0`).

This is exact only when nothing couples the poles: no budget rule (a cap on the total), no cap on
total travel and no service commun (the EPCI as a member); :func:`separable` says so, and the
design falls back on pricing the whole fixed-pole model otherwise. (A pole priced alone is still
exact under those rules — the caps left out, :func:`without_coupling_rules`; the service commun's
rule kept in its own pole only — which the enumerated poles use, their master holding the rest.) Each pole's value is cached
by (seat, members), so a local search that moves one commune re-prices two poles only.

The pole rules a single pole cannot check (the pole count, 'together', 'apart') are the caller's:
:func:`pole_count_ok` checks the count; moves keep the others.
"""

from __future__ import annotations

import dataclasses
import math
import time

from ..inputs import Inputs
from ..model.assembly import add_services
from ..model.candidates import CandidatePairs
from ..model.poles import build_pole_model
from ..model.services import Formulation, K
from ..solvers import SolverOptions, Status, solve_milp

Assignment = dict[str, "str | None"]


def separable(inputs: Inputs) -> bool:
    """Whether the fixed-pole service problem is a sum of pole problems (see module docstring)."""
    si = inputs.services
    if si is None or not si.enabled:
        return False
    if si.budget_max_eur is not None or si.min_savings_eur is not None or si.min_savings_pct is not None:
        return False
    if inputs.loaded.scenario.objective.max_travel_total is not None:
        return False
    return inputs.rules.service_commun is None


def coupling_rules(inputs: Inputs) -> list[str]:
    """The rules on a sum over the poles (linear: a master's rows, :mod:`.set_partitioning`)."""
    si = inputs.services
    out = [key for key, value in (("budget.max_total_eur", si.budget_max_eur), ("budget.min_savings_eur", si.min_savings_eur),
                                  ("budget.min_savings_pct", si.min_savings_pct)) if value is not None] if si else []
    if inputs.loaded.scenario.objective.max_travel_total is not None:
        out.append("objective.max_travel_total")
    return out


def without_coupling_rules(inputs: Inputs) -> Inputs:
    r"""``inputs`` without its budget and travel cap (:func:`coupling_rules`): what one pole is
    priced under when those rules are a master's rows. Each pole then takes its cheapest
    configuration, which only lowers a sum the caps bound (the services' total cost; travel is
    fixed by the members), so the poles priced alone still obey the caps whenever any
    configuration of the same poles does."""
    if not coupling_rules(inputs):
        return inputs
    scenario = inputs.loaded.scenario
    objective = scenario.objective.model_copy(update={"max_travel_total": None})
    loaded = dataclasses.replace(inputs.loaded, scenario=scenario.model_copy(update={"objective": objective}))
    services = inputs.services and dataclasses.replace(inputs.services, budget_max_eur=None, min_savings_eur=None,
                                                       min_savings_pct=None)
    return dataclasses.replace(inputs, loaded=loaded, services=services)


def poles_of(assignment: Assignment) -> dict[str, tuple[str, ...]]:
    """Seat → its members (the seat first, then sorted)."""
    out: dict[str, list[str]] = {}
    for i, j in assignment.items():
        if j is not None:
            out.setdefault(j, []).append(i)
    return {j: tuple([j] + sorted(i for i in ms if i != j)) for j, ms in sorted(out.items())}


def pole_count_ok(inputs: Inputs, assignment: Assignment) -> bool:
    """The number of proximity poles is within the rules' bounds."""
    rules = inputs.rules
    sc = rules.service_commun
    n = sum(1 for j in poles_of(assignment) if sc is None or j != sc.seat)  # proximity poles
    return (rules.count_min is None or n >= rules.count_min) and (rules.count_max is None or n <= rules.count_max)


@dataclasses.dataclass
class PricedPole:
    """One pole priced: ``delta`` (k€/yr, its change against everyone alone as inventoried, plus
    priced travel), the variable values of its solution (full-model names) and whether the
    solver proved it optimal. ``delta`` is ``inf`` when the pole breaks a rule (size, seat share)."""

    delta: float
    values: dict[str, float] | None
    proven: bool


class PerPoleValue:
    """A :class:`~optimiser.design.valuation.Valuation` that prices each pole on its own (cached)."""

    def __init__(self, inputs: Inputs, options: SolverOptions, pairs: CandidatePairs):
        self.inputs, self.options, self.pairs = inputs, options, pairs
        si = inputs.services
        self.constant = sum(c.total_eur for c in si.standalone.values()) / K
        self.cache: dict[tuple[str, tuple[str, ...]], PricedPole] = {}
        self.rules = dataclasses.replace(inputs.rules, count_min=None, count_max=None, together=(), apart=(),
                                         allow_alone=(), max_alone=None)
        self.solves = 0

    def pole(self, seat: str, members: tuple[str, ...], deadline: float) -> PricedPole:
        key = (seat, members)
        if key in self.cache:
            return self.cache[key]
        remaining = deadline - time.perf_counter()
        if remaining < 0.2:
            return PricedPole(math.inf, None, False)  # not cached: it was not priced
        if any(seat not in self.pairs.seats_of.get(i, ()) for i in members):
            priced = PricedPole(math.inf, None, True)
        else:
            priced = self._solve(seat, members, remaining)
        if priced.proven or priced.values is None:
            self.cache[key] = priced
        return priced

    def _solve(self, seat: str, members: tuple[str, ...], remaining: float) -> PricedPole:
        pairs = CandidatePairs(seats=(seat,), seats_of={i: (seat,) for i in members}, members_of={seat: members},
                               group_of={})
        # The service commun's rule only in its own pole: elsewhere it would bring the EPCI (a
        # member of the seat's pole whatever x says) into a pole this model does not hold.
        sc = self.rules.service_commun
        rules = dataclasses.replace(self.rules, fixed_seats=tuple(j for j in self.inputs.rules.fixed_seats if j == seat),
                                    service_commun=sc if sc is not None and sc.seat == seat else None)
        model = build_pole_model(self.inputs.territory, self.inputs.matrix, rules, pairs)
        add_services(model, self.inputs, Formulation(lazy_fairness=False))
        objective = model.problem.objective
        constant = objective.constant
        objective.constant = 0.0  # the solver's relative gap then applies to this pole's change alone
        self.solves += 1
        outcome = solve_milp(model.problem, self.options, min(remaining, max(2.0, remaining / 4)))
        if outcome.status is Status.INFEASIBLE:
            return PricedPole(math.inf, None, True)
        if not outcome.status.has_solution:
            return PricedPole(math.inf, None, False)
        # recomputed from the values (whatever offset the solver reports): the pole's change
        # against everyone alone, the constant being Σ standalone over every member
        delta = _without_constant(outcome, model.problem) + constant - self.constant
        return PricedPole(delta, dict(outcome.values), outcome.status is Status.OPTIMAL)

    def __call__(self, assignment: Assignment, deadline: float) -> tuple[float, dict[str, float] | None]:
        if not pole_count_ok(self.inputs, assignment):
            return math.inf, None
        total, values = self.constant, {}
        for seat, members in poles_of(assignment).items():
            priced = self.pole(seat, members, deadline)
            if priced.values is None:
                return math.inf, None
            total += priced.delta
            values.update(priced.values)
        for i in self.inputs.rules.allow_alone:
            if assignment.get(i) is None:
                values[f"alone_{i}"] = 1.0
        return total, values

    def delta(self, assignment: Assignment, seats: list[str], deadline: float) -> float:
        """Σ Δ over the poles of ``assignment`` seated at ``seats`` (a move's local value)."""
        poles = poles_of(assignment)
        return sum(self.pole(j, poles[j], deadline).delta for j in seats if j in poles)


def _without_constant(outcome, problem) -> float:
    """The solution's objective recomputed from its values, without the objective's constant."""
    return sum(coef * outcome.values.get(var.name, 0.0) for var, coef in problem.objective.items())
