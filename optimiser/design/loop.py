"""The solve–check–cut loop, with the incumbent it keeps.

PuLP has no callbacks, so the rules a model holds only lazily are enforced by a loop: solve;
check the solution against them (exact contiguity: is every pole connected? lazy fairness: does
any member pay more than alone?); if something is broken, add the cuts that forbid it, repair the
design into one that obeys every rule (an upper bound and the next warm start), and solve again.

The :class:`Incumbent` is the best design held so far that obeys *every* rule; it is what a run
stopped early reports, as ``feasible`` with its honest gap: on its time limit, or on Ctrl-C
(:mod:`optimiser.solvers.interrupt`: the solver is stopped at once, and the loop stops too).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.assembly import AssembledModel
from ..model.repair import RepairContext, improve_design, repair_design
from ..solvers import STOP, SolveOutcome, SolverOptions, Status, solve_milp
from .valuation import Valuation

Assignment = dict[str, "str | None"]

#: Rebuilds the model with the seat lists of the given communes widened (:mod:`optimiser.model.seat_lists`);
#: returns the new model and the valuation bound to it.
Widen = Callable[[AssembledModel, list[str]], tuple[AssembledModel, Valuation]]


@dataclass
class Incumbent:
    """The best design found so far that obeys every rule: its assignment, its value (the
    model's objective) and the full model's variable values encoding it (a warm start).

    A design offered by its price alone (:meth:`offer_priced`) is encoded when its values are
    first read: a starting design the search then improves on is never encoded (with services,
    encoding a pole priced in closed form is a MILP on its seat's model, built for it)."""

    assignment: Assignment | None = None
    value: float = math.inf
    _values: dict[str, float] | None = None
    _encode: Callable[[], dict[str, float] | None] | None = field(default=None, repr=False)

    @property
    def found(self) -> bool:
        return bool(self.assignment)

    @property
    def values(self) -> dict[str, float] | None:
        if self._encode is not None:
            encode, self._encode = self._encode, None
            self._values = encode()
        return self._values

    @values.setter
    def values(self, values: dict[str, float] | None) -> None:
        self._values, self._encode = values, None

    def offer(self, assignment: Assignment | None, value: float, values: dict[str, float] | None) -> bool:
        """Keep ``assignment`` if it is better than the incumbent; returns whether it was kept."""
        if value < self.value:
            self.assignment, self.value, self.values = assignment, value, values
            return True
        return False

    def offer_priced(self, assignment: Assignment, value: float, encode: Callable[[], dict[str, float] | None]) -> bool:
        """:meth:`offer` for a design known by its value alone; ``encode()`` gives its values
        when they are first read (it must not fail for lack of time: the run's result is written
        from them)."""
        if value < self.value:
            self.assignment, self.value, self._values, self._encode = assignment, value, None, encode
            return True
        return False


@dataclass
class LoopEnd:
    """How the loop ended: the status of the design it holds, the best proven lower bound over
    all rounds (``-inf``: none), the last solver outcome, rounds and solver seconds."""

    status: Status
    lower: float
    last: SolveOutcome | None
    rounds: int
    solve_s: float
    messages: list[str] = field(default_factory=list)


class SolveCheckCutLoop:
    """Solve, check, cut, repeat, until a solution breaks no rule or time runs out.

    ``reserve_s`` is kept back from each solve for re-pricing a repaired design (with services,
    a design the solver leaves broken at the time limit is repaired and priced with its poles
    fixed, which takes a few seconds).

    With nearest-seat lists (``widen`` given), a solution serving some commune beyond its list
    is a relaxation's, not a design: the lists of those communes are widened and the model
    solved again; every round's bound stays a valid lower bound.
    """

    def __init__(self, model: AssembledModel, value_of: Valuation, options: SolverOptions, deadline: float,
                 incumbent: Incumbent, reserve_s: float = 0.0, widen: Widen | None = None):
        self.model = model
        self.value_of = value_of
        self.options = options
        self.deadline = deadline
        self.incumbent = incumbent
        self.reserve_s = reserve_s
        self.widen = widen
        self.widenings = 0
        self.repair = RepairContext.of(model.pole, model.nbrs)
        self.lower = -math.inf
        self.rounds = 0
        self.solve_s = 0.0
        self.last: SolveOutcome | None = None
        self.messages: list[str] = []

    def run(self) -> LoopEnd:
        while True:
            self.rounds += 1
            remaining = self.deadline - time.perf_counter()
            if STOP.requested:
                self.messages.append(f"interrupted (Ctrl-C) after {self.rounds - 1} rounds")
                return self._end(self._fallback())
            if remaining < 0.5:
                self.messages.append(f"time limit reached after {self.rounds - 1} rounds of contiguity cuts")
                return self._end(self._fallback())
            last = self._solve(remaining)
            if last.status is Status.INFEASIBLE and self.incumbent.found:
                # We hold a design that obeys every rule, so the model is not infeasible: the
                # solver cut off everything no better than its warm start by the gap (CBC with
                # a large solver.gap says "infeasible" then). Keep the design we hold.
                self.messages.append(last.message + "; the design held obeys every rule, so it is kept"
                                     " (the solver found nothing better than it within the gap)")
                return self._end(Status.FEASIBLE)
            if last.status in (Status.INFEASIBLE, Status.ERROR):
                self.messages.append(last.message)
                return self._end(last.status)
            if not last.status.has_solution:
                self.messages.append(last.message)
                return self._end(self._fallback())
            beyond = self.model.pole.beyond_used()
            if beyond:
                if last.status is Status.OPTIMAL and self.widen is not None:
                    self._widen(beyond)
                    continue
                # stopped on time with a relaxed solution: send those communes to their nearest
                # open seat, repair, and fall back on the best design held
                self._offer_repaired(self._served_nearest(beyond))
                self.messages.append(last.message + f"; its best solution served {len(beyond)} commune(s) beyond their seat lists")
                return self._end(self._fallback())
            assignment = self.model.pole.assignment()
            broken, unfair = self._check(assignment)
            if not broken and not unfair:
                self.incumbent.offer(assignment, last.objective, dict(last.values))
                self.messages.append(last.message)
                return self._end(last.status)  # optimal, or feasible on the time limit
            repaired = self._cut_and_repair(assignment, broken, unfair)
            if last.status is not Status.OPTIMAL:
                # stopped on time with a broken design: the repaired one is the best we hold
                what = "a disconnected pole" if broken else "a member paying more than alone"
                self.messages.append(last.message + f"; its best design had {what}"
                                     + (", repaired" if repaired is not None and self.incumbent.found else ""))
                return self._end(self._fallback())

    def _widen(self, beyond: list[str]) -> None:
        """Rebuild the model with wider seat lists for ``beyond``; re-encode the incumbent."""
        self.model, self.value_of = self.widen(self.model, beyond)
        self.widenings += 1
        if self.incumbent.found:
            self.incumbent.values = self.model.pole.values_for(self.incumbent.assignment)

    def _served_nearest(self, beyond: list[str]) -> Assignment | None:
        """The current solution with each commune of ``beyond`` in the pole of its nearest open seat
        (``None`` when one has no open seat it may join)."""
        pole = self.model.pole
        assignment = pole.assignment()
        open_seats = {j for i, j in assignment.items() if j is not None and i == j}
        for i in beyond:
            options = [j for j in pole.reach.seats_of[i] if j in open_seats]
            if not options:
                return None
            assignment[i] = min(options, key=lambda j: pole.travel[i, j])
        return assignment

    def _offer_repaired(self, assignment: Assignment | None) -> None:
        repaired = repair_design(assignment, self.repair) if assignment is not None else None
        if repaired is not None:
            repaired = improve_design(repaired, self.repair)
            value, values = self.value_of(repaired, self.deadline)
            self.incumbent.offer(repaired, value, values)

    def _solve(self, remaining: float) -> SolveOutcome:
        last = solve_milp(self.model.pole.problem, self.options, max(1.0, remaining - self.reserve_s),
                          warm_start=self.incumbent.values)
        self.last = last
        self.solve_s += last.runtime_s
        if last.bound is not None:
            self.lower = max(self.lower, last.bound)
        return last

    def _check(self, assignment: Assignment) -> tuple[dict[str, list[list[str]]], list[tuple[str, str, str]]]:
        """(broken poles, unfair shares) of a solution, the fairness constraints it broke added."""
        broken = self.model.contiguity.broken(assignment, self.model.nbrs)
        fairness = self.model.fairness
        unfair = fairness.violations() if fairness is not None else []
        if unfair and not fairness.add_for(unfair):
            # Every fairness constraint is already in the model: what remains is the solver's
            # feasibility tolerance, not a rule broken (the verifier checks shares to 1 €).
            self.messages.append(f"{len(unfair)} share(s) above the standalone cost within solver tolerance")
            unfair = []
        return broken, unfair

    def _cut_and_repair(self, assignment: Assignment, broken, unfair) -> Assignment | None:
        """Cut off broken poles; offer the incumbent a repaired design; returns it (or ``None``)."""
        repaired = None
        if broken:
            self.model.contiguity.cut(self.model.pole, assignment, self.model.nbrs, self.rounds)
            repaired = repair_design(assignment, self.repair)
        elif unfair:
            repaired = assignment  # connected: only its service choices must change
        if repaired is not None:
            if self.model.service is None:
                repaired = improve_design(repaired, self.repair)
            value, values = self.value_of(repaired, self.deadline)
            self.incumbent.offer(repaired, value, values)
        return repaired

    def _fallback(self) -> Status:
        return Status.FEASIBLE if self.incumbent.found else Status.TIME_LIMIT

    def _end(self, status: Status) -> LoopEnd:
        if STOP.requested and status.has_solution:
            self.messages.append("interrupted (Ctrl-C): the best design found so far is reported")
        return LoopEnd(status, self.lower, self.last, self.rounds, self.solve_s, self.messages)
