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

A pole of at most :data:`CLOSED_FORM_MAX_MEMBERS` members is priced without a solver
(:mod:`.configurations`: every service configuration, exact, checked against this MILP by
``tests/test_enumerated_poles.py``), its pole rules (sizes, seat share) checked here; its
variable values, which only a design being kept needs, come from its MILP at a zero gap when
:meth:`PerPoleValue.__call__` asks for them.

The pole rules a single pole cannot check (the pole count, 'together', 'apart') are the caller's:
:func:`pole_count_ok` checks the count; moves keep the others.
"""

from __future__ import annotations

import dataclasses
import math
import time

import pulp

from ..inputs import Inputs
from ..model.assembly import add_services
from ..model.candidates import CandidatePairs
from ..model.poles import build_pole_model, pair_travel
from ..model.problem import add_row, constraint, expression
from ..model.service_bound import member_savings_both_keur, seat_capacities
from ..model.services import Formulation, K
from ..solvers import ResolvableModel, SolverOptions, Status, solve_milp
from .configurations import PricingData, price_columns, unsupported
from .separability import separable  # noqa: F401 (re-exported: callers import it from here)

Assignment = dict[str, "str | None"]


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


@dataclasses.dataclass(frozen=True)
class MemberSavings:
    """What one pole at each seat can hold (``caps``, :func:`~optimiser.model.service_bound.seat_capacities`)
    and each member's saving (k€/yr, ≥ 0) in the member-by-member bound: its best over every seat
    (``by_member``, :func:`~optimiser.model.service_bound.member_savings_keur`) and at each seat
    (``by_seat[i][j]``, :func:`~optimiser.model.service_bound.member_savings_by_seat_keur`)."""

    caps: dict
    by_member: dict[str, float]
    by_seat: dict[str, dict[str, float]]


@dataclasses.dataclass
class PricedPole:
    """One pole priced: ``delta`` (k€/yr, its change against everyone alone as inventoried, plus
    priced travel), the variable values of its solution (full-model names) and whether the
    solver proved it optimal. ``delta`` is ``inf`` when the pole breaks a rule (size, seat share)."""

    delta: float
    values: dict[str, float] | None
    proven: bool
    #: a proven lower bound on the pole's exact Δ (k€/yr): its MILP's dual bound, Δ itself when
    #: priced in closed form; ``None``: the same as ``delta`` when proven, nothing otherwise
    bound: float | None = None

    @property
    def floor(self) -> float:
        """The proven lower bound on Δ (``-inf`` when nothing is proven)."""
        if self.bound is not None:
            return min(self.bound, self.delta)
        return self.delta if self.proven else -math.inf


#: Largest pole priced in closed form: its 3^m configurations per service (m members) take
#: less than its MILP on the seat's reused HiGHS model up to this size (65-commune EPCI, 9
#: services, load 5–7: 0.015–0.05 s against 0.1–0.2 s up to 7 members, 0.05 against 0.07 at 8,
#: 0.06 against 0.02 at 9, 4.8 s against 0.04 at 13; the pole's own model: 0.15–0.3 s).
CLOSED_FORM_MAX_MEMBERS = 8


class PerPoleValue:
    """A :class:`~optimiser.design.valuation.Valuation` that prices each pole on its own (cached).
    ``closed_form=False``: every pole by its MILP (what the closed form is checked against);
    ``reuse=False``: each MILP on the pole's own model, not on its seat's (HiGHS only);
    ``nbrs``: the adjacency a pole must be connected in, given when contiguity is required — the
    seat models then carry the connectivity rows the seat pricing switches on
    (:func:`add_connectivity`); ``None``: none."""

    def __init__(self, inputs: Inputs, options: SolverOptions, pairs: CandidatePairs, closed_form: bool = True,
                 reuse: bool = True, nbrs: dict[str, list[str]] | None = None):
        self.inputs, self.options, self.pairs = inputs, options, pairs
        # both shortcuts only where they were checked against the pole's own MILP: separable
        # runs with no member forced to pool (tests/test_enumerated_poles.py, test_pole_pricing.py)
        plain = separable(inputs) and not any(v is True for v in inputs.services.forced.values())
        self.closed_form = closed_form and plain and unsupported(inputs) is None
        self.population = {c: float(p) for c, p in inputs.territory.communes["population"].items()}
        self.solutions: dict[tuple[str, tuple[str, ...]], PricedPole] = {}  # MILP solutions of closed-form poles
        self.reuse = reuse and plain
        # a pole breaking a rule of its own (sizes, seat share) is refused before any MILP: the
        # same rows as the MILP's, checked where the closed form is (plain runs)
        self.rules_first = plain
        # Δ(j, ·) is monotone in the members where the closed form is exact (module docstring of
        # .configurations: each service's best users are a subset of the pole, priced alone), so a
        # pole losing members has a proven floor without a MILP (:meth:`subset_floor`)
        self.monotone = plain and unsupported(inputs) is None
        self._travel: dict[tuple[str, str], float] | None = None
        # seat → (members, proven floor of the services' part Δ − τ) of every pole priced or
        # bounded there: the floors of its subsets (:meth:`known_floor`)
        self.floors: dict[str, list[tuple[frozenset[str], float]]] = {}
        self.seat_models: dict[str, tuple] = {}
        si = inputs.services
        self.constant = sum(c.total_eur for c in si.standalone.values()) / K
        self.cache: dict[tuple[str, tuple[str, ...]], PricedPole] = {}
        self.at_least: dict[tuple[str, tuple[str, ...]], float] = {}  # Δ proven ≥ (pole_below)
        self.rules = dataclasses.replace(inputs.rules, count_min=None, count_max=None, together=(), apart=(),
                                         allow_alone=(), max_alone=None)
        self.solves = 0
        self.nbrs = nbrs
        self._pricing_data: PricingData | None = None  # what every closed-form pricing reads, worked out once
        self.base = self  # whose seat models this one solves on (:meth:`restricted`)
        self.closed_modes: dict[str, str] = {}  # service → the mode its seat models' bounds close
        self._member_savings: MemberSavings | None = None

    def member_savings(self) -> MemberSavings:
        """The member-by-member savings of this scenario (:class:`MemberSavings`), worked out once:
        the Lagrangian's start and the column generation's seat floors both read them."""
        if self._member_savings is None:
            pairs = self.pairs
            caps = seat_capacities(self.inputs, pairs.members_of)
            by_member, by_seat = member_savings_both_keur(self.inputs.services, pairs.seats_of, pairs.members_of,
                                                          caps=caps)
            self._member_savings = MemberSavings(caps, by_member, by_seat)
        return self._member_savings

    def restricted(self, inputs: Inputs) -> PerPoleValue:
        r"""The same pricing for ``inputs``, this scenario with fewer modes allowed (a régie-only
        or délégation-only starting run, :func:`optimiser.design.run._restricted_runs`), solving
        on **this** one's seat models with the closed mode's column fixed at 0 by its bounds
        (:math:`d_{js} = 0` for régie only, :math:`r_{js} = 0` for délégation only; the rows
        :math:`zd_{ijs} \le d_{js}`, :math:`zr_{ijs} \le r_{js}` then close every member's
        pooling in that mode). Same optimum as the restricted scenario's own seat models: both
        hold exactly the designs of the free model that use only the open modes (every row of
        the free model — fairness big-Ms, coalition cuts over the cheapest mode — holds for each
        of them; the restricted model's are the same rows, some tighter). No seat model is built
        twice; the prices (and the cache) are the restricted scenario's own."""
        closed = {}
        for s, modes in self.inputs.services.modes.items():
            kept = inputs.services.modes[s]
            gone = [m for m in modes if m not in kept]
            if len(gone) > 1 or not kept:
                raise ValueError(f"{s}: a restriction keeps at least one mode ({modes} → {kept})")
            if gone:
                closed[s] = gone[0]
        view = PerPoleValue(inputs, self.options, self.pairs, closed_form=self.closed_form, reuse=self.reuse,
                            nbrs=self.nbrs)
        view.seat_models, view.base, view.closed_modes = self.seat_models, self, closed
        return view

    def pole(self, seat: str, members: tuple[str, ...], deadline: float) -> PricedPole:
        key = (seat, members)
        if key in self.cache:
            return self.cache[key]
        remaining = deadline - time.perf_counter()
        if remaining < 0.2:
            return PricedPole(math.inf, None, False)  # not cached: it was not priced
        if any(seat not in self.pairs.seats_of.get(i, ()) for i in members) or not self._rules_may_hold(seat, members):
            priced = PricedPole(math.inf, None, True)
        elif self.closed_form and len(members) <= CLOSED_FORM_MAX_MEMBERS:
            priced = self._closed_form(seat, members)
        else:
            priced = self._solve(seat, members, remaining)
        if priced.proven or priced.values is None:
            self.cache[key] = priced
        self._remember(seat, members, priced.floor)
        return priced

    def pole_below(self, seat: str, members: tuple[str, ...], cutoff: float, deadline: float) -> PricedPole | None:
        r"""The pole priced (as :meth:`pole`) when its :math:`\Delta` is below ``cutoff`` (k€/yr),
        ``None`` when :math:`\Delta \ge` ``cutoff`` (or it could not be priced in time). A move of
        the local search needs no more: on the seat's HiGHS model the MILP then prunes every node
        whose relaxation reaches the cutoff (``objective_bound``), so a pole that does not pay is
        refused in a fraction of its exact solve; a solution it returns below the cutoff is the
        exact optimum (no node that could hold a cheaper one was pruned). The bound proven is
        kept, so the same pole is not solved again for a cutoff no higher."""
        key = (seat, members)
        if key not in self.cache and self.at_least.get(key, -math.inf) >= cutoff:
            return None
        if key not in self.cache and not self._rules_may_hold(seat, members):
            self.cache[key] = PricedPole(math.inf, None, True)  # no MILP: a rule of the pole itself breaks
            return None
        if key in self.cache or not self._reused(seat, members):
            priced = self.pole(seat, members, deadline)
            return priced if priced.delta < cutoff else None
        if self.known_floor(seat, members) >= cutoff:
            self.at_least[key] = max(self.at_least.get(key, -math.inf), cutoff)
            return None  # no MILP: a larger pole of this seat, priced, proves it
        remaining = deadline - time.perf_counter()
        if remaining < 0.2:
            return None
        priced = self._resolve(seat, members, remaining, self.options, cutoff)
        if priced is None or priced.delta >= cutoff:
            if priced is None or priced.proven:
                self.at_least[key] = max(self.at_least.get(key, -math.inf), cutoff)
                self._remember(seat, members, cutoff)  # (the nodes pruned at the cutoff prove no more)
            return None
        if priced.proven:
            self.cache[key] = priced
        self._remember(seat, members, priced.floor)
        return priced  # unproven (time limit): its solution is still a pole this cheap

    def _reused(self, seat: str, members: tuple[str, ...]) -> bool:
        """Whether :meth:`pole` would price this pole on its seat's HiGHS model."""
        if any(seat not in self.pairs.seats_of.get(i, ()) for i in members):
            return False
        if self.closed_form and len(members) <= CLOSED_FORM_MAX_MEMBERS:
            return False
        return self.reuse and self.options.name == "highs"

    def travel_keur(self, seat: str, members) -> float:
        r"""The pole's priced travel :math:`\tau(j, M) = w \sum_{i \in M, i \ne j} p_i t_{ij} / 1000`
        (k€/yr, ``objective.travel_weight_eur`` *w*), the part of Δ that is not its services'."""
        weight = self.inputs.loaded.scenario.objective.travel_weight_eur
        if weight <= 0:
            return 0.0
        if self._travel is None:
            self._travel = pair_travel(self.inputs.matrix, self.inputs.rules, self.pairs)
        return weight * sum(self.population[i] * self._travel[i, seat] for i in members if i != seat) / K

    def subset_floor(self, seat: str, members: tuple[str, ...], larger: tuple[str, ...]) -> float:
        r"""A proven lower bound on :math:`\Delta(j, M')` (k€/yr) from the priced pole
        :math:`(j, M)` of the same seat holding every member of :math:`M'` (``larger``), without
        a MILP; ``-inf`` when none is known. Where the closed form is exact (``monotone``),
        :math:`\Delta(j, M) = \tau(j, M) + \sum_s \min(0, \min_{U \subseteq M} v_s(j, U))` with
        :math:`v_s(j, U)` depending on the users *U* only (:mod:`.configurations`): the services'
        part can only rise when members leave, so

        .. math:: \Delta(j, M') \ge \underline\Delta(j, M) - \tau(j, M) + \tau(j, M'),

        :math:`\underline\Delta` the larger pole's proven floor (its MILP's dual bound). A pole
        breaking its own rules is ∞ whatever the bound says, so the bound stays valid."""
        if not self.monotone or not set(members) <= set(larger):
            return -math.inf
        priced = self.cache.get((seat, larger))
        if priced is None or not math.isfinite(priced.floor):
            return -math.inf
        return priced.floor - self.travel_keur(seat, larger) + self.travel_keur(seat, members)

    def known_floor(self, seat: str, members: tuple[str, ...]) -> float:
        """The best proven lower bound on Δ(``seat``, ``members``) (k€/yr) that the poles of the
        same seat priced or bounded so far give (:meth:`subset_floor`'s argument, over every one
        holding all of ``members``); ``-inf`` when none does."""
        held = set(members)
        best = max((f for larger, f in self.floors.get(seat, ()) if held <= larger), default=-math.inf)
        return best + self.travel_keur(seat, members) if math.isfinite(best) else best

    def _remember(self, seat: str, members: tuple[str, ...], floor: float) -> None:
        """Keep ``floor`` (a proven Δ ≥ of a pole within its own rules) for :meth:`known_floor`."""
        if self.monotone and math.isfinite(floor) and self._pole_rules_ok(seat, members):
            self.floors.setdefault(seat, []).append((frozenset(members), floor - self.travel_keur(seat, members)))

    def _rules_may_hold(self, seat: str, members: tuple[str, ...]) -> bool:
        """``False`` when the pole breaks one of its own rows (:meth:`_pole_rules_ok`) in a plain
        run — its MILP is infeasible, so Δ = ∞ needs no solve; on a 66-commune EPCI with a 10 %
        seat share, one MILP pricing in seven was such a pole, most on a seat model built for
        it alone (the compound moves try every member as the seat). ``True`` otherwise."""
        return not self.rules_first or self._pole_rules_ok(seat, members)

    def _closed_form(self, seat: str, members: tuple[str, ...]) -> PricedPole:
        """Δ without a solver (proven, no variable values); ``inf`` when a pole rule is broken."""
        if not self._pole_rules_ok(seat, members):
            return PricedPole(math.inf, None, True)
        prices = price_columns(self.inputs, self.pairs, [(seat, members)], data=self.pricing_data)
        return PricedPole(float(prices.delta[0]), None, True)

    @property
    def pricing_data(self) -> PricingData:
        """What every closed-form pricing of this run reads (:class:`.configurations.PricingData`,
        with its caches of member rows and splits), worked out at the first one."""
        if self._pricing_data is None:
            self._pricing_data = PricingData.of(self.inputs, self.pairs)
        return self._pricing_data

    def _pole_rules_ok(self, seat: str, members: tuple[str, ...]) -> bool:
        """The rows the one-pole MILP writes on the pole itself (:mod:`optimiser.model.poles`):
        commune-count and population bounds, the seat share (σ Σ_{i≠j} p_i ≤ (1 − σ) p_j)."""
        r = self.rules
        total = sum(self.population[i] for i in members)
        if r.communes_max is not None and len(members) > r.communes_max:
            return False
        if r.communes_min is not None and r.communes_min > 1 and len(members) < r.communes_min:
            return False
        if r.population_max is not None and total > r.population_max + 1e-9:
            return False
        if r.population_min is not None and r.population_min > 0 and total < r.population_min - 1e-9:
            return False
        p_j = self.population[seat]
        if r.seat_share > 0 and seat not in set(r.seat_share_exempt) and len(members) > 1:
            if r.seat_share * (total - p_j) - (1.0 - r.seat_share) * p_j > 1e-9 * max(1.0, total):
                return False
        return True

    def solution(self, seat: str, members: tuple[str, ...], deadline: float) -> PricedPole:
        """The pole with its variable values: its MILP (at a zero gap for a closed-form pole, so
        it reaches the price the search compared), cached."""
        priced = self.pole(seat, members, deadline)
        if priced.values is not None or not math.isfinite(priced.delta):
            return priced
        key = (seat, members)
        if key not in self.solutions:
            remaining = deadline - time.perf_counter()
            if remaining < 0.2:
                return PricedPole(math.inf, None, False)
            exact = dataclasses.replace(self.options, gap=0.0)
            solved = self._solve(seat, members, remaining, exact)
            if not solved.proven and solved.values is None:
                return solved  # not cached: it was not solved
            self.solutions[key] = solved
        return self.solutions[key]

    def _solve(self, seat: str, members: tuple[str, ...], remaining: float, options: SolverOptions | None = None) -> PricedPole:
        options = options or self.options
        if self.reuse and options.name == "highs":
            return self._resolve(seat, members, remaining, options)
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
        outcome = solve_milp(model.problem, options, min(remaining, max(2.0, remaining / 4)))
        if outcome.status is Status.INFEASIBLE:
            return PricedPole(math.inf, None, True)
        if not outcome.status.has_solution:
            return PricedPole(math.inf, None, False)
        # recomputed from the values (whatever offset the solver reports): the pole's change
        # against everyone alone, the constant being Σ standalone over every member
        delta = _without_constant(outcome, model.problem) + constant - self.constant
        return PricedPole(delta, dict(outcome.values), outcome.status is Status.OPTIMAL,
                          _bound(outcome, constant - self.constant))

    def _resolve(self, seat: str, members: tuple[str, ...], remaining: float, options: SolverOptions,
                 cutoff: float = math.inf) -> PricedPole | None:
        """The pole's MILP on its seat's model (every commune that may join the seat, those
        outside the pole fixed alone by their bounds): built and passed to HiGHS once per seat,
        the same optimum as the pole's own model (the fixed columns are presolved away). With a
        finite ``cutoff`` (k€/yr, :meth:`pole_below`): ``None`` when nothing below it exists."""
        if seat not in self.seat_models:
            self.seat_models[seat] = self.base._seat_model(seat)
        model, constant, candidates = self.seat_models[seat]
        inside = set(members)
        bounds = {}
        for i in candidates:
            if i != seat:
                bounds[f"x_{i}_{seat}"] = (1.0, 1.0) if i in inside else (0.0, 0.0)
                bounds[f"alone_{i}"] = (0.0, 0.0) if i in inside else (1.0, 1.0)
        for s, mode in self.closed_modes.items():  # a restricted view (:meth:`restricted`)
            name = f"{'r' if mode == 'regie' else 'd'}_{seat}_{s}"
            if name in model.position:
                bounds[name] = (0.0, 0.0)
        self.solves += 1
        outcome = model.solve(bounds, options, min(remaining, max(2.0, remaining / 4)),
                              cutoff=cutoff - constant + self.constant if math.isfinite(cutoff) else math.inf,
                              fixed_structure=True)  # every candidate's membership fixed: one pole's services left
        if outcome.status is Status.INFEASIBLE:
            return None if math.isfinite(cutoff) else PricedPole(math.inf, None, True)
        if not outcome.status.has_solution:
            return PricedPole(math.inf, None, False)
        delta = _without_constant(outcome, model.problem) + constant - self.constant
        # the full model's names only: no 'alone' (the seat model's device), no zeros (the
        # communes outside the pole belong to other poles, whose values must not be overwritten)
        values = {k: v for k, v in outcome.values.items() if v != 0.0 and not k.startswith(SEAT_MODEL_ONLY)}
        return PricedPole(delta, values, outcome.status is Status.OPTIMAL, _bound(outcome, constant - self.constant))

    def _seat_model(self, seat: str):
        """(HiGHS model, objective constant, candidates) of ``seat``: every commune that may
        join it, each but the seat free to stay alone."""
        candidates = (seat,) + tuple(i for i in self.pairs.members_of[seat] if i != seat)
        pairs = CandidatePairs(seats=(seat,), seats_of={i: (seat,) for i in candidates}, members_of={seat: candidates},
                               group_of={})
        rules = dataclasses.replace(self.rules, fixed_seats=tuple(j for j in self.inputs.rules.fixed_seats if j == seat),
                                    allow_alone=candidates[1:])
        model = build_pole_model(self.inputs.territory, self.inputs.matrix, rules, pairs)
        add_services(model, self.inputs, Formulation(lazy_fairness=False))
        if self.nbrs is not None and self.inputs.rules.contiguity != "none":
            add_connectivity(model.problem, seat, candidates, self.nbrs, {i: model.x[i, seat] for i in candidates})
        objective = model.problem.objective
        constant = objective.constant
        objective.constant = 0.0  # the solver's relative gap then applies to this pole's change alone
        return ResolvableModel(model.problem), constant, candidates

    def __call__(self, assignment: Assignment, deadline: float) -> tuple[float, dict[str, float] | None]:
        if not pole_count_ok(self.inputs, assignment):
            return math.inf, None
        total, values = self.constant, {}
        for seat, members in poles_of(assignment).items():
            priced = self.solution(seat, members, deadline)
            if priced.values is None:
                return math.inf, None
            total += priced.delta
            values.update(priced.values)
        for i in self.inputs.rules.allow_alone:
            if assignment.get(i) is None:
                values[f"alone_{i}"] = 1.0
        return total, values

    def price(self, assignment: Assignment, deadline: float) -> float:
        r"""What :meth:`__call__` values ``assignment`` at (k€/yr), :math:`C_0 + \sum \Delta`, from
        the poles' prices alone: no variable values, so a pole priced in closed form needs no
        MILP (nor its seat's model). ``inf`` when the pole count or a pole's rules are broken,
        or a pole could not be priced in time."""
        if not pole_count_ok(self.inputs, assignment):
            return math.inf
        return self.constant + sum(self.pole(j, m, deadline).delta for j, m in poles_of(assignment).items())

    def delta(self, assignment: Assignment, seats: list[str], deadline: float) -> float:
        """Σ Δ over the poles of ``assignment`` seated at ``seats`` (a move's local value)."""
        poles = poles_of(assignment)
        return sum(self.pole(j, poles[j], deadline).delta for j in seats if j in poles)


#: Prefixes of the seat model's own columns, never written into a design's values.
SEAT_MODEL_ONLY = ("alone_", "seatflow_", "seatcut_")


def add_connectivity(problem, seat: str, candidates: tuple[str, ...], nbrs: dict[str, list[str]],
                     x: dict | None = None) -> list:
    r"""Rows that hold when the members joining ``seat`` (:math:`x_i`, ``x_{i}_{seat}``) form a
    connected pole in ``nbrs``, switched on and off by column bounds: a single-commodity flow
    from the seat, each member *v* consuming :math:`x_v - c_v`,

    .. math:: \sum_{u} f_{uv} - \sum_{w} f_{vw} + c_v = x_v, \qquad
       f_{uv} \le (n - 1) x_u, \quad f_{uv} \le (n - 1) x_v, \qquad c_v \in [0, 1],

    over the arcs between candidates (*n* of them). With :math:`c = 0` a solution exists exactly
    when every member is reached from the seat through members (a spanning tree of a connected
    pole carries the flow; a member cut off from the seat can receive none); with :math:`c` free
    (its own bounds, :math:`[0, 1]`) the rows are slack (:math:`c_v = x_v`, no flow), so the
    model's pole pricing (members fixed) is unchanged. Returns the :math:`c` columns (``seatcut_``).
    ``x``: candidate → its :math:`x` column, when the caller holds them (else looked up by name,
    which walks the whole problem: a tenth of a large seat model's build)."""
    inside = set(candidates)
    n = len(candidates)
    arcs = [(u, v) for u in candidates for v in nbrs.get(u, ()) if v in inside and v != seat and u != v]
    if x is None:
        named = {v.name: v for v in problem.variables()}
        x = {i: named[f"x_{i}_{seat}"] for i in candidates}
    flow = {(u, v): problem.add_variable(f"seatflow_{u}_{v}_{seat}", 0, n - 1) for u, v in arcs}
    into: dict[str, list] = {}
    out_of: dict[str, list] = {}
    for (u, v), f in flow.items():  # each member's arcs in the order of ``flow`` (one pass, not one per member)
        into.setdefault(v, []).append(f)
        out_of.setdefault(u, []).append(f)
    cuts = []
    for v in candidates:
        if v == seat:
            continue
        cut = problem.add_variable(f"seatcut_{v}_{seat}", 0, 1)
        cuts.append(cut)
        # Σ f_in − Σ f_out + c_v − x_v = 0: the row PuLP's operators write (int coefficients, constant 0.0)
        terms = [(f, 1) for f in into.get(v, ())] + [(f, -1) for f in out_of.get(v, ())] + [(cut, 1), (x[v], -1)]
        add_row(problem, constraint(expression(terms, 0.0), pulp.LpConstraintEQ, 0), f"seatflow_{v}_{seat}")
    for (u, v), f in flow.items():  # f − (n − 1) x ≤ 0, as ``f <= (n - 1) * x`` writes it (ints, constant 0)
        add_row(problem, constraint(expression({f: 1, x[u]: -(n - 1)}, 0), pulp.LpConstraintLE, 0),
                f"seatflow_out_{u}_{v}_{seat}")
        add_row(problem, constraint(expression({f: 1, x[v]: -(n - 1)}, 0), pulp.LpConstraintLE, 0),
                f"seatflow_in_{u}_{v}_{seat}")
    return cuts


def _bound(outcome, offset: float) -> float | None:
    """The MILP's proven dual bound as a bound on Δ (its objective has no constant: Δ is it plus
    ``offset``), ``None`` when it proved none. With a cutoff the pruned nodes are at or above the
    cutoff, above the solution returned, so the bound still holds for the pole."""
    bound = outcome.bound
    return bound + offset if bound is not None and math.isfinite(bound) else None


def _without_constant(outcome, problem) -> float:
    """The solution's objective recomputed from its values, without the objective's constant."""
    return sum(coef * outcome.values.get(var.name, 0.0) for var, coef in problem.objective.items())
