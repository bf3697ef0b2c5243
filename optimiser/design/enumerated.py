"""A services design proven optimal by enumeration, when its candidate poles can be listed.

Every candidate pole is listed (:mod:`.pole_enumeration`), priced exactly without a solver
(:mod:`.configurations`), and the best partition chosen by a set-partitioning MILP
(:mod:`.set_partitioning`). Its optimum is the full problem's when every rule is replicated
(:func:`.pole_enumeration.enumerable`, :func:`.configurations.unsupported`: the service commun's
pole, the EPCI in it, is one more column family); the chosen poles are then priced
again by their own MILP (:class:`.pole_pricing.PerPoleValue`), which gives the full model's
variable values for the outputs and checks the closed-form prices: any disagreement, a rule not
replicated, too many poles or configurations, and the run keeps its other method (``None``
returned, with a message saying why).

A budget or a travel cap (:func:`.pole_pricing.coupling_rules`) are rows of the master: each pole
is priced, and re-priced, without them, at its cheapest configuration — the smallest cost it can
add to the capped total, its travel fixed by its members — so the master's optimum is the full
problem's (:mod:`.set_partitioning`).
"""

from __future__ import annotations

import dataclasses
import math
import time

from ..inputs import Inputs
from ..model.candidates import CandidatePairs
from ..model.services import K
from ..solvers import SolverOptions, Status
from .configurations import price_columns, unsupported
from .loop import Incumbent, LoopEnd
from .pole_enumeration import enumerable, enumerate_poles
from .pole_pricing import PerPoleValue, without_coupling_rules
from .set_partitioning import CouplingRows, solve_master

#: Share of the remaining time the set-partitioning master may take (at least 5 s).
MASTER_SHARE = 0.3

#: Relative (and absolute, k€/yr) agreement asked between a column's closed-form price and its MILP's.
AGREEMENT = 1e-6


@dataclasses.dataclass
class EnumeratedDesign:
    """What the enumeration gave: a proven design (``incumbent`` and ``end``) or only
    ``messages`` saying why the run falls back; ``columns`` = how many poles were listed."""

    incumbent: Incumbent | None
    end: LoopEnd | None
    columns: int
    messages: list[str]

    @property
    def proven(self) -> bool:
        return self.end is not None


def design_by_enumeration(inputs: Inputs, options: SolverOptions, pairs: CandidatePairs, nbrs: dict[str, list[str]],
                          value_of, deadline: float) -> EnumeratedDesign:
    """The proven design, or the reason there is none (see module docstring); ``value_of`` (the
    run's valuation) gets the proven pole prices when it is a :class:`PerPoleValue`."""
    reason = enumerable(inputs) or unsupported(inputs)
    if reason is not None:
        return EnumeratedDesign(None, None, 0, [f"poles not enumerated ({reason}): the MILP path is used"])
    start = time.perf_counter()
    columns = enumerate_poles(inputs, pairs, nbrs)
    if columns is None:
        return EnumeratedDesign(None, None, 0, ["poles not enumerated (too many candidate poles): the MILP path is used"])
    prices = price_columns(inputs, pairs, columns)
    if prices is None:
        return EnumeratedDesign(None, None, len(columns),
                                [f"{len(columns):,} candidate poles, but too many service configurations to price them "
                                 "without a solver: the MILP path is used"])
    priced_s = time.perf_counter() - start
    master_options = dataclasses.replace(options, gap=min(options.gap, 1e-6))
    remaining = deadline - time.perf_counter()  # the master gets a share: a fall-back keeps the rest
    constant = sum(c.total_eur for c in inputs.services.standalone.values()) / K
    coupling = CouplingRows(prices.delta - prices.travel, prices.person_travel)
    master = solve_master(inputs, columns, prices.delta, constant, master_options,
                          max(1.0, min(remaining, max(5.0, MASTER_SHARE * remaining))), coupling)
    if master.status is not Status.OPTIMAL:
        return EnumeratedDesign(None, None, len(columns),
                                [f"set partitioning over {len(columns):,} enumerated poles ended {master.status.value}: "
                                 "the MILP path is used"])
    # Each chosen pole solved to a zero gap (the run's gap would let a pole's MILP stop short of
    # the exact price and fail the comparison); proven poles join the run's cache.
    # Without the budget and travel cap: the master holds them (module docstring).
    exact = PerPoleValue(without_coupling_rules(inputs), dataclasses.replace(options, gap=0.0), pairs)
    value, values = exact(master.assignment, deadline)
    if isinstance(value_of, PerPoleValue):
        value_of.cache.update({k: v for k, v in exact.cache.items() if v.proven})
    for c in master.chosen:
        seat, members = columns[c]
        priced = exact.pole(seat, members, deadline)
        if not priced.proven or not math.isclose(priced.delta, prices.delta[c], rel_tol=AGREEMENT, abs_tol=AGREEMENT):
            return EnumeratedDesign(None, None, len(columns),
                                    [f"pole {seat} {list(members)}: closed-form price {prices.delta[c]:,.6f} k€/yr, "
                                     f"its MILP {priced.delta:,.6f}{'' if priced.proven else ' (not proven)'}: "
                                     "the enumeration is not trusted, the MILP path is used"])
    if values is None:
        return EnumeratedDesign(None, None, len(columns), ["the enumerated design could not be priced: the MILP path is used"])
    incumbent = Incumbent()
    incumbent.offer(master.assignment, value, values)
    message = (f"poles enumerated: {len(columns):,} candidate poles priced exactly in {priced_s:.2f} s "
               f"({prices.configurations:,} service configurations), set partitioning solved in {master.seconds:.2f} s; "
               f"the {len(master.chosen)} chosen poles re-priced by their own MILP agree")
    end = LoopEnd(Status.OPTIMAL, master.bound, None, 0, master.seconds, [message])
    return EnumeratedDesign(incumbent, end, len(columns), [])
