"""Run a pole design: pre-solve checks, build, solve (with the contiguity cut loop), honest status.

The status rules:

* ``optimal`` — the solver proved the last model optimal within the gap, and that model is the
  full problem (every pole connected for ``exact``; no commune beyond its seat list for p-median).
* ``feasible`` — we hold a design that obeys every rule, with a proven lower bound and a gap.
* ``infeasible`` — a pre-solve check or the solver proved that no design obeys the rules.
* ``time_limit`` — the time ran out before any design obeying every rule was found.
* ``error`` — the solver failed.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..prepare import Inputs
from ..solve import SolveOutcome, SolverOptions, Status, relative_gap, solve_milp
from .candidates import CandidatePairs, candidate_pairs
from .contiguity import (
    add_neighbour_cuts,
    add_separator_cuts,
    add_shortest_path_contiguity,
    disconnected_poles,
    neighbour_lists,
)
from .diagnose import presolve_findings
from .extract import ServiceDesign, extract_services
from .fairness import IndividualRationality, add_budget, add_travel_limit
from .pmedian import solve_pmedian
from .poles import PoleModel, build_pole_model, travel_expression
from .repair import improve_design, repair_design
from .services import FORMULATION, Formulation, build_service_model, set_cost_objective


@dataclass
class PoleDesign:
    """The outcome of a pole design.

    ``assignment`` maps every commune to its pole's seat (``None``: alone). ``objective`` and
    ``bound`` are population-weighted travel (person-minutes, or person-km with the distance
    objective), or with service sharing the total yearly cost in k€; ``gap`` is relative.
    Times are seconds.
    """

    assignment: dict[str, str | None]
    status: Status
    objective: float | None
    bound: float | None
    solver: str
    formulation: str
    build_s: float
    solve_s: float
    runtime_s: float
    rounds: int = 1
    n_variables: int = 0
    n_constraints: int = 0
    families: dict[str, int] = field(default_factory=dict)
    diagnosis: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    services: object | None = None  # optimiser.model.extract.ServiceDesign with service sharing

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def design_poles(inputs: Inputs, options: SolverOptions, explain: bool = True,
                 formulation: Formulation = FORMULATION) -> PoleDesign:
    """Design the poles of ``inputs`` with ``options``; never raises for an infeasible scenario.
    ``formulation`` switches the service model's strengthenings (for the benchmark)."""
    if inputs.rules.mode == "p-median":
        return _design_pmedian(inputs, options)
    if inputs.services is not None and not inputs.services.enabled:
        return _status_quo(inputs, options)
    return _design_poles(inputs, options, explain, formulation)


def _status_quo(inputs: Inputs, options: SolverOptions) -> PoleDesign:
    """Pooling disabled: every commune alone, as inventoried — nothing to optimise."""
    start = time.perf_counter()
    si = inputs.services
    assignment = {c: None for c in inputs.territory.codes}
    services = ServiceDesign(pooled={}, borrowed={}, pole_services={},
                             kept_eur={k: c.total_eur for k, c in si.standalone.items()},
                             total_eur=si.status_quo_eur, status_quo_eur=si.status_quo_eur,
                             model_total_eur=si.status_quo_eur, inputs=si)
    value = si.status_quo_eur / 1000.0
    return PoleDesign(assignment, Status.OPTIMAL, value, value, options.label, "status quo (no pooling)",
                      0.0, 0.0, time.perf_counter() - start, rounds=0, services=services,
                      messages=["pooling disabled: every member alone, as inventoried"])


def formulation_name(inputs: Inputs) -> str:
    rules = inputs.rules
    if rules.mode == "p-median":
        return "p-median (nearest-seat lists widened until exact)"
    return {
        "exact": "poles, exact contiguity (separator cut loop)",
        "shortest-path": "poles, shortest-path contiguity (Zoltners-Sinha)",
        "none": "poles, no contiguity",
    }[rules.contiguity]


def _objective_of(model: PoleModel, assignment: dict[str, str | None]) -> float:
    total = 0.0
    for i, j in assignment.items():
        if j is None:
            total += model.population[i] * model.rules.alone_penalty
        elif i != j:
            total += model.population[i] * model.travel[i, j]
    return total


class _TravelValue:
    """Values a connected design by its travel objective (the pole model's own objective)."""

    def __init__(self, model: PoleModel):
        self.model = model

    def __call__(self, assignment, deadline):
        return _objective_of(self.model, assignment), self.model.values_for(assignment)


class _FixedPolesValue:
    """Values a connected design by solving its services with its poles fixed: a small model
    (one seat per commune) holding every fairness constraint, so its solution obeys every rule."""

    def __init__(self, inputs: Inputs, options: SolverOptions, pairs: CandidatePairs):
        self.inputs, self.options, self.pairs = inputs, options, pairs

    def __call__(self, assignment, deadline):
        remaining = deadline - time.perf_counter()
        if remaining < 1.0:
            return math.inf, None
        seats = tuple(j for j in self.pairs.seats if assignment.get(j) == j)
        members = {j: tuple([j] + sorted(i for i, k in assignment.items() if k == j and i != j)) for j in seats}
        fixed = CandidatePairs(seats=seats, seats_of={i: ((j,) if j is not None else ()) for i, j in assignment.items()},
                               members_of=members, group_of=self.pairs.group_of)
        # The poles are fixed as given: only communes the design leaves alone may stay alone, or
        # the solution could drop members (breaking contiguity) and disagree with `assignment`.
        rules = dataclasses.replace(self.inputs.rules, allow_alone=tuple(
            i for i in self.inputs.rules.allow_alone if assignment.get(i) is None))
        model = build_pole_model(self.inputs.territory, self.inputs.matrix, rules, fixed)
        # Solved once, with no check-and-cut loop: every fairness constraint must be in it from
        # the start, whatever the default formulation says.
        add_services(model, self.inputs, Formulation(lazy_fairness=False))
        outcome = solve_milp(model.problem, self.options, min(remaining, max(5.0, remaining / 4)))
        if not outcome.status.has_solution:
            return math.inf, None
        return outcome.objective, outcome.values


def _design_poles(inputs: Inputs, options: SolverOptions, explain: bool, formulation: Formulation = FORMULATION) -> PoleDesign:
    start = time.perf_counter()
    rules = inputs.rules
    pairs = candidate_pairs(inputs.territory, inputs.matrix, rules)
    findings = presolve_findings(inputs.territory, inputs.matrix, rules, pairs)
    label = formulation_name(inputs)
    if findings:
        return PoleDesign({}, Status.INFEASIBLE, None, None, options.label, label,
                          time.perf_counter() - start, 0.0, time.perf_counter() - start, rounds=0, diagnosis=findings)
    model = build_pole_model(inputs.territory, inputs.matrix, rules, pairs)
    nbrs = neighbour_lists(inputs.territory, inputs.road)
    index = inputs.matrix.index()
    if rules.contiguity == "shortest-path":
        add_shortest_path_contiguity(model, nbrs, inputs.matrix.time_min, index)
    elif rules.contiguity == "exact":
        add_neighbour_cuts(model, nbrs)
    service_model, fairness = add_services(model, inputs, formulation) if inputs.services is not None else (None, None)
    value_of = _FixedPolesValue(inputs, options, pairs) if service_model is not None else _TravelValue(model)
    build_s = time.perf_counter() - start
    n_vars, n_cons = len(model.problem.variables()), len(model.problem.constraints())

    deadline = start + options.time_limit_s
    incumbent: dict[str, str | None] | None = None
    incumbent_value = math.inf
    incumbent_values: dict[str, float] | None = None
    if service_model is not None:
        # A design that obeys every rule before the big solve starts: the travel-optimal poles,
        # their services then chosen with the poles fixed (keeping everything alone is always
        # fair, so this exists whenever the poles do). It bounds the search and is what a run
        # stopped by its time limit falls back on.
        incumbent, incumbent_value, incumbent_values = _starting_design(inputs, options, value_of, deadline)
    lower = -math.inf
    rounds = 0
    messages: list[str] = []
    solve_s = 0.0
    last: SolveOutcome | None = None
    status = Status.ERROR
    while True:
        rounds += 1
        remaining = deadline - time.perf_counter()
        if remaining < 0.5:
            status = Status.FEASIBLE if incumbent else Status.TIME_LIMIT
            messages.append(f"time limit reached after {rounds - 1} rounds of contiguity cuts")
            break
        # Keep a little time back with services: a design the solver leaves broken at the time
        # limit is repaired and re-priced with its poles fixed, which takes a few seconds.
        reserve = min(15.0, 0.1 * options.time_limit_s) if service_model is not None else 0.0
        last = solve_milp(model.problem, options, max(1.0, remaining - reserve), warm_start=incumbent_values)
        solve_s += last.runtime_s
        if last.bound is not None:
            lower = max(lower, last.bound)
        if last.status in (Status.INFEASIBLE, Status.ERROR):
            status = last.status
            messages.append(last.message)
            break
        if not last.status.has_solution:
            status = Status.FEASIBLE if incumbent else Status.TIME_LIMIT
            messages.append(last.message)
            break
        assignment = model.assignment()
        broken = disconnected_poles(assignment, nbrs) if rules.contiguity == "exact" else {}
        unfair = fairness.violations() if fairness is not None else []
        if unfair:
            added = fairness.add_for(unfair)
            model.count("individual rationality", added)
            if not added:
                # Every fairness constraint is already in the model: what remains is the solver's
                # feasibility tolerance, not a rule broken (the verifier checks shares to 1 €).
                messages.append(f"{len(unfair)} share(s) above the standalone cost within solver tolerance")
                unfair = []
        if not broken and not unfair:
            if last.objective < incumbent_value:
                incumbent, incumbent_value, incumbent_values = assignment, last.objective, dict(last.values)
            status = last.status  # optimal, or feasible on the time limit
            messages.append(last.message)
            break
        repaired = None
        if broken:
            add_separator_cuts(model, assignment, nbrs, rounds)
            repaired = repair_design(assignment, pairs, rules, nbrs, model.travel, model.population)
        elif unfair:
            repaired = assignment  # connected: only its service choices must change
        if repaired is not None:
            if service_model is None:
                repaired = improve_design(repaired, pairs, rules, nbrs, model.travel, model.population)
            value, values = value_of(repaired, deadline)
            if value < incumbent_value:
                incumbent, incumbent_value, incumbent_values = repaired, value, values
        if last.status is not Status.OPTIMAL:
            # stopped on time with a disconnected design: the repaired one is the best we hold
            status = Status.FEASIBLE if incumbent else Status.TIME_LIMIT
            what = "a disconnected pole" if broken else "a member paying more than alone"
            messages.append(last.message + f"; its best design had {what}"
                            + (", repaired" if repaired is not None and incumbent is not None else ""))
            break
    n_cons = len(model.problem.constraints())
    bound = None if not math.isfinite(lower) else min(lower, incumbent_value) if incumbent else lower
    if status is Status.OPTIMAL and last is not None:
        bound = last.bound
    services = None
    if service_model is not None and incumbent_values is not None:
        for var in model.problem.variables():
            var.varValue = incumbent_values.get(var.name, 0.0)
        services = extract_services(service_model)
    design = PoleDesign(
        assignment=incumbent or {},
        status=status,
        objective=incumbent_value if incumbent else None,
        bound=bound if status.has_solution or status is Status.TIME_LIMIT else None,
        solver=options.label,
        formulation=label + (f", {rounds} round{'s' if rounds != 1 else ''}" if rules.contiguity == "exact" else "")
        + (", with service sharing (cost in k€)" if service_model is not None else ""),
        build_s=build_s,
        solve_s=solve_s,
        runtime_s=time.perf_counter() - start,
        rounds=rounds,
        n_variables=n_vars,
        n_constraints=n_cons,
        families=dict(model.families),
        messages=messages,
        services=services,
    )
    if services is not None and design.objective is not None:
        # Re-priced from the decisions alone, the design can only be cheaper than the solver's
        # value (integer slack within the gap, e.g. a spare lot): report what it really costs.
        design.objective = min(design.objective, services.total_eur / 1000.0 + _travel_term(inputs, model))
    if design.status is Status.OPTIMAL and design.gap is not None and design.gap > options.gap + 1e-9:
        design.status = Status.FEASIBLE
    if design.status is Status.INFEASIBLE and explain:
        design.diagnosis = explain_infeasibility(inputs, options)
    return design


def _starting_design(inputs: Inputs, options: SolverOptions, value_of, deadline: float):
    """(assignment, value, variable values) of a first complete design, or (None, inf, None)."""
    budget = min(30.0, max(2.0, 0.15 * (deadline - time.perf_counter())))
    poles = _design_poles(dataclasses.replace(inputs, services=None), dataclasses.replace(options, time_limit_s=budget),
                          explain=False)
    if not poles.status.has_solution:
        return None, math.inf, None
    value, values = value_of(poles.assignment, deadline)
    if values is None:
        return None, math.inf, None
    return poles.assignment, value, values


def _travel_term(inputs: Inputs, model: PoleModel) -> float:
    """The priced travel part of a cost objective (k€), at the current design."""
    weight = inputs.loaded.scenario.objective.travel_weight_eur
    if weight <= 0:
        return 0.0
    return sum(coef * weight / 1000.0 for var, coef in travel_expression(model).items() if (var.value() or 0) > 0.5)


def add_services(model: PoleModel, inputs: Inputs, formulation: Formulation = FORMULATION):
    """The service model on top of the pole model, with its fairness, budget and objective.

    Returns the service model and its :class:`IndividualRationality` (``None`` when fairness
    is off), which checks every solution (and adds the missing constraints when lazy).
    """
    scenario = inputs.loaded.scenario
    service_model = build_service_model(model, inputs.services, formulation)
    model.count("service sharing", len(service_model.zr) + len(service_model.zd) + len(service_model.bb))
    fairness = None
    if inputs.services.enabled and inputs.services.individual_rationality:
        fairness = IndividualRationality(service_model, tight_big_m=formulation.tight_big_m)
        if formulation.coalition_cuts:
            model.count("coalition cuts", fairness.add_coalition_cuts())
        if not formulation.lazy_fairness:
            model.count("individual rationality", fairness.add_all())
    add_budget(service_model)
    if scenario.objective.max_travel_total is not None:
        add_travel_limit(service_model, scenario.objective.max_travel_total)
    # With a services block the scenario minimises cost: the schema rejects objective.minimise = travel.
    set_cost_objective(service_model, scenario.objective.travel_weight_eur)
    return service_model, fairness


def explain_infeasibility(inputs: Inputs, options: SolverOptions) -> list[str]:
    """Which single family of rules, once lifted, makes the scenario feasible (a deletion filter).

    Each trial is a full solve with a short time limit; a trial that times out proves nothing
    and is reported as such.
    """
    rules = inputs.rules
    trials = []
    if rules.contiguity != "none":
        trials.append(("contiguity", dataclasses.replace(rules, contiguity="none")))
    if rules.count_min is not None or rules.count_max is not None:
        trials.append(("the number of poles (poles.count)", dataclasses.replace(rules, count_min=None, count_max=None)))
    if rules.population_min is not None or rules.population_max is not None:
        trials.append(("the population bounds (poles.population)", dataclasses.replace(rules, population_min=None, population_max=None)))
    if rules.communes_min is not None or rules.communes_max is not None:
        trials.append(("the commune-count bounds (poles.communes)", dataclasses.replace(rules, communes_min=None, communes_max=None)))
    if rules.apart:
        trials.append(("the 'apart' pairs", dataclasses.replace(rules, apart=())))
    if rules.together:
        trials.append(("the 'together' groups", dataclasses.replace(rules, together=())))
    if rules.fixed_seats:
        trials.append(("the fixed seats", dataclasses.replace(rules, fixed_seats=())))
    out = []
    budget = max(2.0, min(20.0, options.time_limit_s / max(1, len(trials))))
    quick = dataclasses.replace(options, time_limit_s=budget)
    for label, relaxed in trials:
        trial = _design_poles(dataclasses.replace(inputs, rules=relaxed), quick, explain=False)
        if trial.status.has_solution:
            out.append(f"the rules cannot all hold together; without {label} a design exists")
        elif trial.status is Status.TIME_LIMIT:
            out.append(f"without {label}: undecided within {budget:.0f} s")
    if not any("a design exists" in line for line in out):
        out.insert(0, "the solver proved that no design satisfies the rules; no single family of rules is the cause alone")
    return out


def _design_pmedian(inputs: Inputs, options: SolverOptions) -> PoleDesign:
    start = time.perf_counter()
    rules = inputs.rules
    territory, matrix = inputs.territory, inputs.matrix
    index = matrix.index()
    cost = matrix.time_min if rules.travel_metric == "time" else matrix.km
    weights = territory.communes["population"].to_numpy(dtype=float)
    from .candidates import seat_candidates

    seats = [index[c] for c in seat_candidates(territory, rules)]
    fixed = [index[c] for c in rules.fixed_seats]
    p = int(rules.count_min)
    if p > len(seats) or len(fixed) > p:
        reason = (f"p = {p} poles but only {len(seats)} candidate seats" if p > len(seats)
                  else f"{len(fixed)} fixed seats but p = {p}")
        return PoleDesign({}, Status.INFEASIBLE, None, None, options.label, formulation_name(inputs),
                          0.0, 0.0, time.perf_counter() - start, rounds=0, diagnosis=[reason])
    solution = solve_pmedian(cost, weights, p, seats, fixed, options, options.time_limit_s)
    codes = territory.codes
    assignment = {codes[i]: codes[int(j)] for i, j in enumerate(solution.assignment)} if solution.seats else {}
    outcome = solution.outcome
    return PoleDesign(
        assignment=assignment,
        status=outcome.status,
        objective=solution.objective,
        bound=solution.bound,
        solver=options.label,
        formulation=formulation_name(inputs) + f", {solution.rounds} round{'s' if solution.rounds != 1 else ''}, "
                                               f"lists of {int(np.median(solution.list_sizes))} seats (median)",
        build_s=time.perf_counter() - start - solution.solve_s,
        solve_s=solution.solve_s,
        runtime_s=time.perf_counter() - start,
        rounds=solution.rounds,
        n_variables=solution.n_variables,
        n_constraints=solution.n_constraints,
        messages=[outcome.message],
    )
