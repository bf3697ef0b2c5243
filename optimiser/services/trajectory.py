r"""Staff over the horizon: posts freed year by year, in whole agents or redeployed time.

For every member and service the design changes (pooled, or reorganised alone), year
:math:`t = 1 \dots H`:

* today's FTE :math:`F^0_{is}` (the inventory's);
* FTE still needed at the norm: the member alone, :math:`\max(F^{spec}, w/\pi)` in régie, 0 delegated;
  in a pool in régie, the pool's FTE (travel included) shared by workload;
* FTE employed: what is needed, but — under "no staff reduction beyond attrition" — never fewer than
  the agents not yet gone, :math:`\max(0, 1 - \alpha (t-1))\,F^0_{is}` (posts are freed at the end of
  each year, nobody is replaced); without the rule the change is made in year 1; and never fewer
  than the time :math:`P_{is}` of its **polyvalent agents** (the inventory's ``agents``), who stay
  employed for the services the member keeps (``polyvalent_fte_kept``: put at the pool's disposal or
  redeployed, never a post freed);
* per member, the FTE freed :math:`\sum_s (F^0_{is} - \text{employed}_{ist})` splits into **whole
  agents** (its integer part: posts that can go) and **redeployed time** (the fraction: an agent who
  stays employed, part of whose time goes to other work — a saving only if that work was to be paid for).

The model books the yearly average of the agents kept on (:attr:`PoolingTerms.retained_share`);
this table shows the path behind that average.
"""

from __future__ import annotations

import math


def staff_trajectory(design) -> list[dict]:
    """Rows (year, member, FTE today / needed / employed / freed, whole agents, redeployed time)."""
    si = design.inputs
    econ, terms = si.econ, si.terms
    cat = si.catalogue
    changed: dict[tuple[str, str], float] = {}  # (member, service) → FTE needed at the norm
    for (seat, s), p in design.pole_services.items():
        if not p.poolers:
            continue
        work = sum(econ.workload(i, s) for i in p.poolers)
        base = max(cat.services[s].specialist_min_fte.value,
                   sum(econ.regie_fte(i, seat, s) for i in p.poolers)) if p.mode == "regie" else 0.0
        for i in p.poolers:
            changed[(i, s)] = base * econ.workload(i, s) / work if work > 0 else 0.0
    for (i, s), alone in (si.standalone.items() if si.enabled else ()):  # pooling disabled: nothing changes
        if (i, s) in design.pooled or (i, s) in design.borrowed or alone.option == "as-is":
            continue
        spec = cat.services[s]
        w = alone.workload
        changed[(i, s)] = max(spec.specialist_min_fte.value if w > 0 else 0.0, w / spec.productivity.value) \
            if alone.mode == "regie" else 0.0
    rows = []
    for year in range(1, terms.years + 1):
        share = terms.employed_share(year)
        per_member: dict[str, list[float]] = {}
        for (i, s), needed in sorted(changed.items()):
            row = si.inventory.services[(i, s)]
            today = row.fte
            floor = share * today if (econ.attrition_rule and row.mode == "regie") else 0.0
            floor = max(floor, row.polyvalent_fte)  # indivisible people: kept for the member's other services
            employed = min(today, max(needed, floor)) if needed < today else needed
            acc = per_member.setdefault(i, [0.0, 0.0, 0.0, 0.0])
            acc[0] += today
            acc[1] += needed
            acc[2] += employed
            acc[3] += row.polyvalent_fte
        for i, (today, needed, employed, polyvalent) in per_member.items():
            freed = today - employed
            whole = math.floor(freed + 1e-9) if freed > 0 else 0
            rows.append({"year": year, "member": i, "fte_today": round(today, 3), "fte_needed": round(needed, 3),
                         "fte_employed": round(employed, 3), "fte_freed": round(freed, 3), "whole_agents_freed": whole,
                         "redeployed_time_fte": round(max(0.0, freed - whole), 3), "polyvalent_fte_kept": round(polyvalent, 3)})
    return rows
