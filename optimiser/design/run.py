"""Run a pole design: pre-solve checks, build, solve (with the solve–check–cut loop), honest status.

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
import functools
import math
import time
from collections.abc import Callable

from ..inputs import Inputs
from ..model.assembly import assemble_model, complete_services, widen_model
from ..model.candidates import candidate_pairs
from ..model.diagnose import presolve_findings
from ..model.extract import ServiceDesign, extract_services
from ..model.poles import pair_travel
from ..model.repair import RepairContext
from ..model.seat_lists import SeatLists, initial_list_size, seat_lists
from ..model.service_bound import member_service_bounds_keur, seat_capacities
from ..model.services import FORMULATION, Formulation
from ..solvers import STOP, SolverOptions, Status, relative_gap, relaxation_bound
from .column_generation import ColumnGeneration, ColumnGenerationResult, design_breaks
from .compound_moves import improve_by_compound_moves
from .enumerated import design_by_enumeration
from .explain import explain_infeasibility
from .loop import Incumbent, LoopEnd, SolveCheckCutLoop
from .outcome import PoleDesign, formulation_name, written_design_objective
from .pair_repartition import improve_by_repartition
from .pmedian import design_pmedian
from .pole_pricing import PerPoleValue, separable
from .pole_search import improve_by_moves, priced_total
from .valuation import FixedPolesValue, TravelValue, Valuation, priced_travel


def design_poles(inputs: Inputs, options: SolverOptions, explain: bool = True,
                 formulation: Formulation = FORMULATION, seat_list_size: int | None = None,
                 enumeration: bool = True) -> PoleDesign:
    """Design the poles of ``inputs`` with ``options``; never raises for an infeasible scenario.
    ``formulation`` switches the service model's strengthenings (for the benchmark);
    ``seat_list_size`` overrides the first nearest-seat list length (tests, benchmarks);
    ``enumeration=False`` skips the enumerated-poles method (:mod:`.enumerated`), so tests and
    benchmarks can measure the MILP path on territories small enough to enumerate."""
    if inputs.rules.mode == "p-median":
        return design_pmedian(inputs, options)
    if inputs.services is not None and not inputs.services.enabled:
        return _status_quo(inputs, options)
    return _design_poles(inputs, options, explain, formulation, seat_list_size, enumeration=enumeration)


def _status_quo(inputs: Inputs, options: SolverOptions) -> PoleDesign:
    """Pooling disabled: every commune alone, as inventoried — nothing to optimise."""
    start = time.perf_counter()
    si = inputs.services
    assignment = {c: None for c in inputs.territory.codes}
    services = ServiceDesign(pooled={}, borrowed={}, pole_services={},
                             kept_eur={k: c.total_eur for k, c in (si.status_quo or si.standalone).items()},
                             total_eur=si.status_quo_eur, status_quo_eur=si.status_quo_eur,
                             model_total_eur=si.status_quo_eur, inputs=si)
    value = si.status_quo_eur / 1000.0
    return PoleDesign(assignment, Status.OPTIMAL, value, value, options.label, "status quo (no pooling)",
                      0.0, 0.0, time.perf_counter() - start, rounds=0, services=services,
                      messages=["pooling disabled: every member alone, as inventoried"])


#: Seconds a run stopped by Ctrl-C may spend on the LP relaxation that bounds the design it keeps.
STOPPED_BOUND_S = 10.0


def _design_poles(inputs: Inputs, options: SolverOptions, explain: bool, formulation: Formulation = FORMULATION,
                  seat_list_size: int | None = None, top_level: bool = True, enumeration: bool = True) -> PoleDesign:
    """``top_level``: the run the user asked for (not one of its starting points), the one whose
    stop by Ctrl-C must still report an honest gap."""
    start = time.perf_counter()
    rules = inputs.rules
    pairs = candidate_pairs(inputs.territory, inputs.matrix, rules)
    findings = presolve_findings(inputs.territory, inputs.matrix, rules, pairs)
    label = formulation_name(inputs)
    if findings:
        return PoleDesign({}, Status.INFEASIBLE, None, None, options.label, label,
                          time.perf_counter() - start, 0.0, time.perf_counter() - start, rounds=0, diagnosis=findings)
    lists = _seat_lists(inputs, pairs, seat_list_size)
    has_services = inputs.services is not None
    # A large separable run spends its time on the search and the column generation, which
    # need the pole model only: its compact MILP (nearly all of it the service rows) is built
    # when the run reaches it, if there is time left to solve it (:func:`_deferred_size`).
    deferred = _deferred_size(inputs, pairs) if has_services and top_level else None
    assembled = assemble_model(inputs, pairs, formulation, lists, services=deferred is None)
    model = assembled.pole
    n_model = deferred or len(model.problem.variables())  # the compact MILP's variables (estimated when deferred)
    value_of: Valuation = TravelValue(model)
    if has_services:
        # Fixed poles' services separate by pole: priced pole by pole (cached) when nothing
        # couples them, which also makes the local search below cheap.
        # (the adjacency: the seat pricings of the column generation then price connected poles only)
        value_of = (PerPoleValue(inputs, options, pairs, nbrs=assembled.nbrs) if separable(inputs)
                    else FixedPolesValue(inputs, options, pairs))
    build_s = time.perf_counter() - start

    @functools.cache
    def member_floors() -> dict[tuple, float]:
        """The member-by-member bounds of the scenario and of its restricted runs, by their modes
        (:func:`_modes_key`), computed once, in one pass, when first asked for (1.5 s on a
        65-commune EPCI at a load of 10; the restricted runs' starting points, the search's stop,
        the early end and the reported bound all read them)."""
        restrictions = [inputs.services.modes] + [r.services.modes for _, r in _restricted_runs(inputs)]
        sc = inputs.rules.service_commun
        bounds = member_service_bounds_keur(inputs.services, pairs.seats_of, pairs.members_of, sc.seat if sc else None,
                                            seat_capacities(inputs, pairs.members_of), restrictions)
        return {_modes_key(modes): bound for modes, bound in zip(restrictions, bounds)}

    def member_floor() -> float:
        """The member-by-member bound (k€/yr) of the scenario itself."""
        return member_floors()[_modes_key(inputs.services.modes)]

    deadline = start + options.time_limit_s
    incumbent = Incumbent()
    start_messages: list[str] = []
    dual = None
    enumerated = None
    if enumeration and has_services and not STOP.requested:
        # Candidate poles few enough to list: each priced exactly, the best partition proven by
        # a set-partitioning MILP (:mod:`.enumerated`); otherwise the path below, unchanged.
        _log(options, "poles enumerated, each priced exactly; set partitioning")
        enumerated = design_by_enumeration(inputs, options, pairs, assembled.nbrs, value_of, deadline)
        if enumerated.proven:
            incumbent = enumerated.incumbent
            label += f", poles enumerated ({enumerated.columns:,} columns), set partitioning"
    by_enumeration = enumerated is not None and enumerated.proven
    if has_services and not by_enumeration:
        # A design that obeys every rule before the big solve starts: the travel-optimal poles,
        # their services then chosen with the poles fixed (keeping everything alone is always
        # fair, so this exists whenever the poles do). It bounds the search and is what a run
        # stopped by its time limit falls back on.
        ctx = RepairContext.of(model, assembled.nbrs)
        searched = isinstance(value_of, PerPoleValue)
        incumbent, restricted = _starting_design(inputs, options, value_of, deadline, ctx,
                                                 lambda r: member_floors()[_modes_key(r.services.modes)], defer=searched)
        start_messages = restricted.messages
        if searched and incumbent.found:
            _search(incumbent, value_of, ctx, deadline, n_model,
                    lambda z: _gap_within(z, member_floor(), options.gap) is not None, restricted)
        else:
            restricted.run(incumbent, value_of, ctx, deadline)  # those deferred for a search that cannot start
    if by_enumeration:
        early = enumerated.end
    else:
        early = _within_gap_of_bound(member_floor, options, incumbent) if has_services else None
    if isinstance(value_of, PerPoleValue) and early is None:
        dual = _lagrangian(value_of, incumbent, deadline, n_model, options.gap,
                           RepairContext.of(model, assembled.nbrs), deferred=deferred is not None)
    # Keep a little time back with services: a design the solver leaves broken at the time
    # limit is repaired and re-priced with its poles fixed, which takes a few seconds.
    reserve = min(15.0, 0.1 * options.time_limit_s) if has_services else 0.0
    if early is None and deferred is not None:
        early = _build_deferred(assembled, inputs, formulation, options, deadline, deferred, incumbent)
    if early is not None:
        # The held design is already within the requested gap of a bound that needs no solve:
        # the compact MILP could prove nothing the user asked for (and, under load, its build
        # and presolve alone take minutes on a large EPCI).
        end = early
    else:
        if top_level:
            _log(options, f"solving the full model ({model.problem.numConstraints()} constraints)")
        loop = SolveCheckCutLoop(assembled, value_of, options, deadline, incumbent, reserve,
                                 widen=(lambda a, communes: _widened(inputs, a, communes)) if lists is not None else None)
        end = loop.run()
        assembled = loop.model  # the last round's (seat lists may have widened)
    if enumerated is not None:
        end.messages[:0] = enumerated.messages
    end.messages[:0] = start_messages
    model = assembled.pole
    service_model = assembled.service
    n_vars = len(model.problem.variables())
    if deferred is not None and service_model is None:
        end.messages.append(f"the compact MILP (about {deferred:,} variables) was never built: n_variables and "
                            f"n_constraints count what was (the pole model, {n_vars:,} variables)")

    status, last, rounds = end.status, end.last, end.rounds
    if has_services and status is not Status.OPTIMAL:
        # Whatever the MILP proved, the member-by-member bound holds (it needs no solve: large
        # models whose root relaxation does not finish in time still get an honest gap).
        floor = member_floor()
        if floor > end.lower:
            end.lower = floor
            end.messages.append(f"bound: the member-by-member bound ({floor:,.1f} k€/yr) is above the MILP's"
                                if service_model is not None
                                else f"bound: the member-by-member bound ({floor:,.1f} k€/yr)")
        if dual is not None:
            end.messages += dual.incidents  # seat pricings the watchdog stopped: named, their seats kept cheap bounds
        if dual is not None and dual.bound > end.lower:
            end.lower = dual.bound
            end.messages.append(f"bound: the column-generation bound ({dual.bound:,.1f} k€/yr, {dual.iterations} "
                                f"iterations, {dual.solves} seat pricings, {dual.columns} poles) is above the MILP's")
    if top_level and STOP.requested and options.on_interrupt == "keep" and incumbent.found and not math.isfinite(end.lower):
        end.lower = _bound_after_stop(model.problem, options, end.messages)
    bound = None if not math.isfinite(end.lower) else min(end.lower, incumbent.value) if incumbent.found else end.lower
    if status is Status.OPTIMAL and last is not None:
        bound = last.bound
    services = None
    written = model
    if has_services and incumbent.values is not None:
        if service_model is None:
            # the compact MILP was never built: the design's services are read on its own
            # fixed-pole model (small: the same variable names, one seat per commune)
            written, service_model = FixedPolesValue(inputs, options, pairs).model_for(incumbent.assignment)
        for var in written.problem.variables():
            var.varValue = incumbent.values.get(var.name, 0.0)
        services = extract_services(service_model)
    design = PoleDesign(
        assignment=incumbent.assignment or {},
        status=status,
        objective=incumbent.value if incumbent.found else None,
        bound=bound if status.has_solution or status is Status.TIME_LIMIT else None,
        solver=options.label,
        formulation=label + (f", {rounds} round{'s' if rounds != 1 else ''}"
                             if (assembled.contiguity.cut_loop or lists is not None) and not by_enumeration else "")
        + (_lists_label(assembled) if lists is not None else "")
        + (", with service sharing (cost in k€)" if has_services else ""),
        build_s=build_s,
        solve_s=end.solve_s,
        runtime_s=time.perf_counter() - start,
        rounds=rounds,
        n_variables=n_vars,
        n_constraints=model.problem.numConstraints(),
        families=model.families.as_dict(),
        messages=end.messages,
        services=services,
    )
    if services is not None and design.objective is not None:
        # What the written design really costs, re-priced from its decisions alone (see
        # written_design_objective: never the solver's value when that is another solution's).
        design.objective, note = written_design_objective(design.objective,
                                                          services.total_eur / 1000.0 + priced_travel(inputs, written))
        if note:
            design.messages.append(note)
    if design.status is Status.OPTIMAL and design.gap is not None and design.gap > options.gap + 1e-9:
        design.status = Status.FEASIBLE
    if design.status is Status.FEASIBLE and dual is not None and design.gap is not None and design.gap <= options.gap + 1e-9:
        # the column-generation bound is a Lagrangian bound on the full problem (every rule: the
        # ones it drops only remove designs, see column_generation.py), the incumbent obeys every
        # rule: within the tolerance this is a proof of optimality. The member-by-member bound is
        # one too, but a run ending on it alone (early stop, no dual) keeps its honest 'feasible'.
        design.status = Status.OPTIMAL
    if design.status is Status.INFEASIBLE and explain and not STOP.requested:
        design.diagnosis = explain_infeasibility(inputs, options, _trial)
    return design


def _modes_key(modes: dict[str, tuple[str, ...]]) -> tuple:
    """A scenario's modes (service → the modes it may take) as a dictionary key."""
    return tuple(sorted(modes.items()))


def _gap_within(z: float, floor: float, requested: float) -> float | None:
    """The gap :math:`(z - L)/|z|` of a design costing :math:`z` (k€/yr) to the bound :math:`L`
    when it is at most the ``requested`` gap, else ``None``. A design within it ends the run
    (:func:`_within_gap_of_bound`), so the search that finds one stops there too, as a MILP solver
    stops at its gap tolerance."""
    gap = relative_gap(z, floor)
    return gap if gap is not None and gap <= requested else None


def _within_gap_of_bound(member_floor, options: SolverOptions, incumbent: Incumbent) -> LoopEnd | None:
    """How the run ends without its MILP when the held design's cost :math:`z` is within the
    requested gap of the member-by-member bound :math:`L` (:mod:`optimiser.model.service_bound`,
    no solve): :math:`(z - L)/|z| \\le` ``solver.gap``. ``None`` when it is not (or nothing is
    held, or Ctrl-C stopped the run: that path reports its own bound). The status stays
    ``feasible``: no solver proved the design, a bound did (its gap is reported).
    ``member_floor()`` gives :math:`L`."""
    if not incumbent.found or STOP.requested:
        return None
    floor = member_floor()
    gap = _gap_within(incumbent.value, floor, options.gap)
    if gap is None:
        return None
    return LoopEnd(Status.FEASIBLE, floor, None, 0, 0.0,
                   [f"the design found by the pole-move search is within {gap:.2%} of the member-by-member bound "
                    f"({floor:,.1f} k€/yr), below the requested gap ({options.gap:.2%}): the MILP was not needed"])


def _bound_after_stop(problem, options: SolverOptions, messages: list[str]) -> float:
    """A lower bound for a run stopped by Ctrl-C before its own model gave one (during its
    starting points, or before the solver's root LP): the LP relaxation of the full model, within
    :data:`STOPPED_BOUND_S` — it is a relaxation of every design the rules allow, so the gap
    reported with the kept design is honest. ``-inf`` (no gap) when it does not finish in time or
    a second Ctrl-C stops it."""
    with STOP.paused():
        lp = relaxation_bound(problem, options, STOPPED_BOUND_S)
    if lp is None:
        messages.append("no lower bound: the run was stopped before its model was solved")
        return -math.inf
    messages.append("lower bound from the LP relaxation (the run was stopped before its model gave one)")
    return lp


def _seat_lists(inputs: Inputs, pairs, size: int | None = None) -> SeatLists | None:
    """Nearest-seat lists for a pole design without services, or ``None`` (every pair gets a
    variable) when they would hold every pair anyway (:mod:`optimiser.model.seat_lists`)."""
    if inputs.services is not None:
        return None
    rules = inputs.rules
    if size is None and (rules.population_min or (rules.communes_min or 0) > 1):
        # Minimum pole sizes must count the "beyond" variables, which weakens them so much that
        # the cut loop can stall (Laval 2024: 1 s proven optimal with every pair, 60 s at an 8.8 %
        # gap with lists); lists pay where contiguity is nearly free: a pole count without sizes.
        return None
    population = inputs.territory.communes["population"]
    k0 = size or initial_list_size(inputs.rules, len(inputs.territory.codes), float(population.sum()))
    lists = seat_lists(pairs, inputs.rules, pair_travel(inputs.matrix, inputs.rules, pairs),
                       dict.fromkeys(inputs.territory.codes, k0))
    return None if lists.complete else lists


def _widened(inputs: Inputs, assembled, communes):
    rebuilt = widen_model(inputs, assembled, communes)
    return rebuilt, TravelValue(rebuilt.pole)


def _lists_label(assembled) -> str:
    if assembled.lists is None:
        return ", every seat listed"
    sizes = sorted(assembled.lists.sizes.values())
    return f", nearest-seat lists of {sizes[len(sizes) // 2]} seats (median) widened until exact"


def _trial(inputs: Inputs, options: SolverOptions) -> PoleDesign:
    """One trial of the infeasibility diagnosis: a design run that does not explain itself."""
    return _design_poles(inputs, options, explain=False, top_level=False)


def _starting_design(inputs: Inputs, options: SolverOptions, value_of: Valuation, deadline: float,
                     ctx: RepairContext | None = None, floor_of: Callable[[Inputs], float] | None = None,
                     defer: bool = False) -> tuple[Incumbent, RestrictedRuns]:
    """The best of the run's starting points, each priced with its poles fixed and every mode
    open: the travel-optimal poles, then (when some service may take either mode) the designs
    of the same scenario with régie forced and with délégation forced (:class:`RestrictedRuns`:
    skipped when their bound proves them useless). A free run therefore ends no dearer than
    those restricted runs reached within their budget; empty when none obeys every rule. With
    ``defer`` (a pole-move search follows) the restricted runs are left to it: after its simple
    moves, whose design is often already below their bounds (:meth:`_search`)."""
    incumbent = Incumbent()
    budget = min(30.0, max(2.0, 0.15 * (deadline - time.perf_counter())))
    _log(options, "starting point: the travel-optimal poles, their services priced")
    poles = _design_poles(dataclasses.replace(inputs, services=None), dataclasses.replace(options, time_limit_s=budget),
                          explain=False, top_level=False)
    start = poles.assignment if poles.status.has_solution else None
    if start:
        _offer_start(incumbent, value_of, start, deadline)
    restricted = RestrictedRuns(_restricted_runs(inputs), start, floor_of, options)
    if not defer:
        restricted.run(incumbent, value_of, ctx, deadline)
    else:
        restricted.skip_useless(incumbent)  # no time is kept for a run already proven useless
    return incumbent, restricted


@dataclasses.dataclass
class RestrictedRuns:
    r"""The régie-only and délégation-only runs a free run must end no dearer than, not yet
    done (``runs``: (mode, the restricted scenario)), from the travel-optimal poles ``start``.

    :meth:`run` skips a run whose member-by-member bound :math:`L_m` (k€/yr, ``floor_of``,
    :mod:`optimiser.model.service_bound`) is not below the design held :math:`z`: every design
    with the modes so restricted costs at least :math:`L_m \ge z`, and the free run ends at most
    at :math:`z` — no dearer than the restricted run could ever be, proven, not only within a
    budget (CC du Pays Rethélois: régie only costs at least 7,415.0 k€/yr, the travel-optimal
    poles 7,284.1; délégation only at least 7,135.0, the search's simple moves reach 7,112.6).
    A run that does go ahead searches from ``start`` with the modes restricted, within a tenth
    of the time left, on the free run's seat models (:meth:`PerPoleValue.restricted`: no model
    of its own, and the seat models it builds serve the free search after it); its design is
    offered priced with every mode open — unless its own price is not below the design held,
    which then already proves the free run no dearer. ``messages`` say which runs were skipped
    and why."""

    runs: list[tuple[str, Inputs]]
    start: dict | None
    floor_of: Callable[[Inputs], float] | None
    options: SolverOptions
    messages: list[str] = dataclasses.field(default_factory=list)

    def budget(self, left: float) -> float:
        """Seconds each run gets when ``left`` seconds of the run are left: a tenth, at most 30."""
        return min(30.0, 0.1 * left)

    def skip_useless(self, incumbent: Incumbent) -> None:
        """Drop the runs whose bound is not below the design held (class docstring), saying so."""
        self.runs = [(mode, restricted) for mode, restricted in self.runs if not self._useless(mode, restricted, incumbent)]

    def _useless(self, mode: str, restricted: Inputs, incumbent: Incumbent) -> bool:
        floor = self.floor_of(restricted) if self.floor_of is not None and incumbent.found else -math.inf
        if floor < incumbent.value - 1e-6:  # (a tie to a thousandth of a euro: the sums' rounding)
            return False
        _log(self.options, f"every pooled service in {mode} costs at least {floor:,.1f} k€/yr: not needed")
        self.messages.append(f"every pooled service in {mode}: at least {floor:,.1f} k€/yr (member-by-member "
                             f"bound), not below a design held ({incumbent.value:,.1f}): the free run is no "
                             "dearer, that run is not needed")
        return True

    def run(self, incumbent: Incumbent, value_of: Valuation, ctx: RepairContext | None, deadline: float,
            budget: float | None = None) -> None:
        """Skip or run each run left (class docstring), each within ``budget`` seconds (by
        default :meth:`budget` of the time left); a run with less than 2 s is not started."""
        while self.runs and not STOP.requested:
            mode, restricted = self.runs.pop(0)
            if self._useless(mode, restricted, incumbent):
                continue
            seconds = self.budget(deadline - time.perf_counter()) if budget is None else budget
            if seconds < 2.0:
                self.runs.clear()
                return
            _log(self.options, f"starting point: every pooled service in {mode} (within {seconds:.0f} s)")
            if isinstance(value_of, PerPoleValue) and ctx is not None and self.start:
                # The restricted run's own method without its MILP (the same search from the same
                # start, priced with the modes restricted) on the free run's seat models.
                priced = value_of.restricted(restricted)
                assignment, _ = improve_by_moves(self.start, priced, ctx, time.perf_counter() + seconds)
                reached = priced_total(priced, assignment, deadline)
                if incumbent.found and reached >= incumbent.value - 1e-6:
                    # the run's own price of its design is not below the design held: the free run
                    # is already no dearer than it, and the free pricing of its poles (new MILPs:
                    # 4 s of a 60 s run on a 66-commune EPCI) could only look for a gain elsewhere
                    self.messages.append(f"every pooled service in {mode}: its search reached {reached:,.1f} k€/yr, "
                                         f"not below a design held ({incumbent.value:,.1f}): the free run is no dearer")
                    continue
            else:
                design = _design_poles(restricted, dataclasses.replace(self.options, time_limit_s=seconds),
                                       explain=False, top_level=False)
                assignment = design.assignment if design.status.has_solution else None
            if assignment:
                _offer_start(incumbent, value_of, assignment, deadline)


#: Seconds a starting design offered by its price alone may take to be encoded when its values
#: are first read (a few MILPs on seat models: the design written must have them).
ENCODE_S = 30.0


def _offer_start(incumbent: Incumbent, value_of: Valuation, assignment, deadline: float) -> None:
    """Offer a starting design to ``incumbent``. Priced pole by pole, by its price alone
    (:meth:`PerPoleValue.price`): its variable values, which only the design finally kept needs,
    are computed when first read (:meth:`Incumbent.offer_priced`) — on a 65-commune EPCI the
    travel-optimal poles cost 4 s to price and 4 more to encode at a load of 9, and the search
    nearly always moves on from them."""
    if isinstance(value_of, PerPoleValue):
        value = value_of.price(assignment, deadline)
        if math.isfinite(value):
            incumbent.offer_priced(assignment, value,
                                   lambda: value_of(assignment, max(deadline, time.perf_counter() + ENCODE_S))[1])
        return
    value, values = value_of(assignment, deadline)
    if values is not None:
        incumbent.offer(assignment, value, values)


def _log(options: SolverOptions, text: str) -> None:
    """With ``solver.log``, a line between the solver's logs saying which solve comes next."""
    if options.log:
        print(f"optimiser: {text}", flush=True)


#: Above this many variables the compact MILP rarely improves on the local search in its time
#: limit (its root LP alone can take minutes): the search and the column generation share the time.
LARGE_MODEL_VARIABLES = 15_000
#: Seconds left after the starting designs below which a large model's search keeps most of them.
SEARCH_ALONE_S = 90.0
#: Seconds of search left above which the pair re-partitions go before the compound moves (a
#: pass over every pair takes 50 s at load 12 on a 128-commune EPCI; with a few seconds left the
#: compound moves' first gains come sooner).
REPARTITION_FIRST_S = 20.0
#: Seconds before the deadline at which a large model's search stops — its simple moves and the
#: restricted runs as well as its compound moves: the column generation's share (about 16 s after
#: its reserves), in which its bound reaches its plateau on a 65-commune EPCI. CC Champagnole
#: Nozeroy Jura at 60 s (quiet, two runs each): the simple moves left to run until 45 s gave the
#: column generation 7 s, bound 5,463–5,466 k€/yr, gap 1.40–1.46 %; stopped here, 16 s, bound
#: 5,505.0 both times, design 5,555.9, gap 0.92 % (23 s: the same bound, the design 5,563–5,564
#: of a search cut at 25 s). CC du Pays Rethélois: 6,985.7 k€ at 14.8 s against 6,960–6,970
#: with the 4–5 s it had after 11 s of compound moves.
COLUMN_GENERATION_KEEP_S = 20.0
#: Seconds left before the search's stop above which a second search path runs (:func:`_search`).
SECOND_PATH_S = 10.0


def _search(incumbent: Incumbent, value_of: PerPoleValue, ctx: RepairContext, deadline: float, n_variables: int,
            enough=None, restricted: RestrictedRuns | None = None) -> None:
    """Improve the incumbent by pole moves, each re-priced exactly (:mod:`.pole_search`), until
    a design satisfies ``enough`` (the requested gap met, :func:`_gap_within`) or within
    a share of the remaining time. For a large model: most of it when little is left (on a 60 s
    run of a 65-commune EPCI the search's moves gain 0.7–0.9 % in 25–40 s; measured, two thirds
    instead cut the search short and left the column generation's rounds, 3–7 s each, too few to
    rise above the member-by-member bound: 2.42 % against 2.14 %), half of it when more than
    :data:`SEARCH_ALONE_S` is left (the column generation then gets several rounds) — and in
    either case never past :data:`COLUMN_GENERATION_KEEP_S` before the deadline, which the
    column generation keeps. Otherwise a quarter (the MILP working on the rest).

    The simple moves first, to their local optimum; then the ``restricted`` runs left
    (:class:`RestrictedRuns`: most are now proven useless by their bounds); then, from the best
    design held, two neighbouring poles re-partitioned exactly and the compound moves
    (:func:`_improve_by_large_moves`). When that has converged with more than
    :data:`SECOND_PATH_S` left before the stop, a second path: the same moves from the same
    start, each scan going back to the first move (``resume=False``, :mod:`.pole_search`), until
    converged or the stop; the cheaper design is kept. The two scans reach different local
    optima, neither always the better (Haute Saintonge: 15,857.1 k€/yr resuming, 15,831.8 going
    back; Saulnois 7,759.1 and 7,762.4), and resuming is 2–4 times faster, so it goes first and
    the second path uses time the search would otherwise leave to the column generation."""
    left = deadline - time.perf_counter()
    share = (0.85 if left < SEARCH_ALONE_S else 0.5) if n_variables > LARGE_MODEL_VARIABLES else 0.25
    stop = time.perf_counter() + share * left
    if n_variables > LARGE_MODEL_VARIABLES:
        stop = min(stop, deadline - COLUMN_GENERATION_KEEP_S)  # (binds on short runs only: 60 s)
    # the restricted runs' time (what they had as starting points) is kept for them, and used
    # by the search whenever its design proves them useless
    budget = restricted.budget(left) if restricted is not None else 0.0
    reserved = budget * len(restricted.runs) if restricted is not None else 0.0
    origin = incumbent.assignment
    improved, moves = improve_by_moves(origin, value_of, ctx, max(time.perf_counter(), stop - reserved),
                                       enough=enough)
    if moves and not design_breaks(improved, ctx, value_of.inputs):
        _offer_start(incumbent, value_of, improved, deadline)  # encoded only if it stays the incumbent
    if restricted is not None:
        restricted.run(incumbent, value_of, ctx, deadline, budget)
    met = enough is not None and incumbent.found and enough(incumbent.value)
    if not met and time.perf_counter() < stop and not STOP.requested:
        _improve_by_large_moves(incumbent, value_of, ctx, stop, deadline, enough)
    met = enough is not None and incumbent.found and enough(incumbent.value)
    if not met and stop - time.perf_counter() > SECOND_PATH_S and not STOP.requested:
        # time left before the stop: the same search again from the same start, each scan going
        # back to the first move — another path to another local optimum (module docstring of
        # .pole_search); the better design is kept
        second, moves = improve_by_moves(origin, value_of, ctx, stop, enough=enough, resume=False)
        if moves and not design_breaks(second, ctx, value_of.inputs):
            _improve_by_large_moves(incumbent, value_of, ctx, stop, deadline, enough, start=second, resume=False)
    incumbent.values  # noqa: B018 (the design held encoded now, within the run's time, if it was offered by its price)


def _improve_by_large_moves(incumbent: Incumbent, value_of: PerPoleValue, ctx: RepairContext, stop: float,
                            deadline: float, enough=None, start=None, resume: bool = True) -> None:
    """From the design held (or from ``start``), until ``stop``: the compound moves
    (:mod:`.compound_moves`, to their local optimum; ``resume``: how their simple moves scan,
    :func:`.pole_search.improve_by_moves`) and two neighbouring poles re-partitioned exactly
    (:mod:`.pair_repartition`, the larger neighbourhood, priced in closed form), in turn while
    the re-partitions pay; the re-partitions go first when more than :data:`REPARTITION_FIRST_S`
    are left. The best design is offered to ``incumbent``. CC du Saulnois (128 communes), from the simple moves' 7,802.6
    k€/yr, re-partitions first: 7,723.7 in 155 s, converged (each re-partition opens compound
    moves); the compound moves alone stop at 7,773.8 after 375 s (load 11–13). With a few
    seconds left they go first: CC du Pays Rethélois at 60 s keeps 1.4 s for them, in which the
    compound moves gain 25.7 k€/yr and a pass of re-partitions nothing. The design reached is
    offered only when it is cheaper than the one held (its values, MILPs on seat models, cost
    seconds on a large EPCI)."""
    current = incumbent.assignment if start is None else start
    tried: set = set()  # pairs found to gain nothing (or too large): not tried again after compound moves
    if stop - time.perf_counter() > REPARTITION_FIRST_S:
        current, _ = improve_by_repartition(current, value_of, ctx, stop, enough=enough, tried=tried)
    for _ in range(100):
        current, _ = improve_by_compound_moves(current, value_of, ctx, stop, enough=enough, resume=resume)
        if time.perf_counter() >= stop or STOP.requested or (enough is not None and enough(value_of.price(current, deadline))):
            break
        current, shared = improve_by_repartition(current, value_of, ctx, stop, enough=enough, tried=tried)
        if not shared:
            break
    if current != incumbent.assignment and not design_breaks(current, ctx, value_of.inputs) \
            and value_of.price(current, deadline) < incumbent.value:
        value, values = value_of(current, deadline)
        if values is not None:
            incumbent.offer(current, value, values)


#: Variables of the compact MILP per pole-model variable and service (fitted on a 65-commune
#: EPCI, 9 services: 35,229 = 1,464 × (1 + 2.56 × 9)); only to choose a path, never reported.
VARIABLES_PER_PAIR_SERVICE = 2.5
#: Variables of the compact MILP built per second (23 s for 35,000 at a load of 6, 2 cores).
BUILD_VARIABLES_PER_S = 1_500.0


def _deferred_size(inputs: Inputs, pairs) -> int | None:
    """The estimated size of the compact MILP (variables) when its build waits until the run
    reaches it — a separable run (the search and column generation then take the time) whose
    model is above :data:`LARGE_MODEL_VARIABLES` — else ``None`` (built at once, as always).
    Pole variables: one per candidate pair and one per commune left alone."""
    if not separable(inputs):
        return None
    pole_vars = sum(len(m) for m in pairs.members_of.values()) + len(inputs.territory.codes)
    estimate = int(pole_vars * (1 + VARIABLES_PER_PAIR_SERVICE * len(inputs.services.services)))
    return estimate if estimate > LARGE_MODEL_VARIABLES else None


def _build_deferred(assembled, inputs: Inputs, formulation: Formulation, options: SolverOptions, deadline: float,
                    size: int, incumbent: Incumbent) -> LoopEnd | None:
    """Build the deferred compact MILP when the time left covers twice its estimated build
    (the solve needs the rest) and return ``None`` (the loop then runs); otherwise leave it
    unbuilt and end with the held design (its bounds are added after)."""
    left = deadline - time.perf_counter()
    build_s = size / BUILD_VARIABLES_PER_S
    if left > 2 * build_s and not STOP.requested:
        _log(options, f"building the compact MILP (about {size:,} variables, ~{build_s:.0f} s)")
        complete_services(assembled, inputs, formulation)
        return None
    status = Status.FEASIBLE if incumbent.found else Status.TIME_LIMIT
    return LoopEnd(status, -math.inf, None, 0, 0.0,
                   [f"the compact MILP was not built: {left:.0f} s left, its build alone would take about {build_s:.0f} s "
                    "and its root relaxation longer; the design is the search's and column generation's"])


#: Below this many variables the compact MILP is left the whole time (the bruteforce cases: ~1,000).
LAGRANGIAN_MIN_VARIABLES = 3_000
#: Seconds kept for the integer master over the generated poles.
INTEGER_MASTER_S = 5.0
#: Seconds a large model's column generation leaves before the deadline, besides its integer
#: master, when the compact MILP is deferred (the encoding of a design the master finds, the
#: tables). CC Champagnole Nozeroy Jura at 60 s ended at 55.3 s with the repair reserve and a
#: 2 s master kept, while its bound still rose by 1–2 k€/yr a second; now at 57.4 s, bound
#: 5,500–5,503 → 5,503–5,504 k€/yr.
FINAL_S = 1.0


def _lagrangian(value_of: PerPoleValue, incumbent: Incumbent, deadline: float, n_variables: int,
                gap: float, ctx: RepairContext, deferred: bool = False) -> ColumnGenerationResult | None:
    """The column-generation bound (:mod:`.column_generation`) within a share of the remaining
    time — all of it but the repair reserve for a large model, whose compact MILP rarely proves
    anything in time (but :data:`FINAL_S` when that MILP is ``deferred``: it will not be built);
    40 % otherwise, the MILP getting the rest — then its integer master, whose designs (each
    checked against every rule) are offered to the incumbent."""
    if n_variables < LAGRANGIAN_MIN_VARIABLES:
        return None  # the MILP proves small models itself, faster than the pricing converges
    now = time.perf_counter()
    left = deadline - now
    if n_variables > LARGE_MODEL_VARIABLES and deferred:
        # nothing follows but the integer master, the encoding of a design it finds and the
        # tables: no compact MILP whose broken design would need the repair reserve
        master_s = min(INTEGER_MASTER_S, 0.05 * left)
        stop = deadline - FINAL_S - master_s
    else:
        master_s = min(INTEGER_MASTER_S, 0.1 * left)
        stop = now + (left - min(15.0, 0.1 * left) if n_variables > LARGE_MODEL_VARIABLES else 0.4 * left) - master_s
    if stop - now < 2.0 or STOP.requested:
        return None
    _log(value_of.options, f"lower bound: column generation over poles, seats priced one by one (within {stop - now:.0f} s)")

    def offer(design) -> float:
        value, values = value_of(design, deadline)
        if values is not None and incumbent.offer(design, value, values):
            _log(value_of.options, f"the integer master over the generated poles improves the design: {value:,.1f} k€/yr")
        return incumbent.value

    before = incumbent.value
    generation = ColumnGeneration(value_of, ctx)
    result = generation.run(stop, incumbent.value, tolerance=gap, incumbent=incumbent.assignment,
                            master_s=master_s, offer=offer)
    for design in result.designs:
        offer(design)
    if incumbent.value < before - 1e-6 and not STOP.requested:
        # the integer master's poles come from several seats' pricings: moves between them may
        # still pay (cheap: most poles are priced already), within a tenth of what is left
        _improve_by_large_moves(incumbent, value_of, ctx, time.perf_counter() + 0.1 * (deadline - time.perf_counter()),
                                deadline)
    return result


def _restricted_runs(inputs: Inputs) -> list[tuple[str, Inputs]]:
    """The scenario with every pooled service forced into régie, then into délégation, each with
    its mode (only when some service may take both modes: otherwise the run is already restricted)."""
    si = inputs.services
    if si is None or not any(len(m) > 1 for m in si.modes.values()):
        return []
    out = []
    for mode in ("regie", "delegation"):
        modes = {s: ((mode,) if mode in m else m) for s, m in si.modes.items()}
        out.append((mode, dataclasses.replace(inputs, services=dataclasses.replace(si, modes=modes))))
    return out
