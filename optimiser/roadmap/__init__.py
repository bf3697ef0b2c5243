"""The roadmap over years: what starts when, and what each year costs.

A scenario with a ``roadmap:`` block is solved in two steps, reported as such:

1. the **steady-state design** — the single-year service model (poles, pooling, modes), solved as
   every other scenario (:mod:`optimiser.design`), its gap reported;
2. the **timing** of that design's phases over the horizon — a small MILP of start-year binaries
   (:mod:`.timing`) over yearly costs that follow staff attrition, machine renewals, contract ends,
   communes joining the perimeter and set-up costs in their year (:mod:`.yearly`); its objective is
   the net present cost. The bound it proves holds for the fixed design (the design is not
   re-optimised year by year).

Modules: :mod:`.phases` (what can start), :mod:`.yearly` (cost of each phase each year),
:mod:`.timing` (the MILP), :mod:`.plan` (the two steps together), :mod:`.files` (outputs).
"""

from .plan import Roadmap, build_roadmap, steady_state_scenario

__all__ = ["Roadmap", "build_roadmap", "steady_state_scenario"]
