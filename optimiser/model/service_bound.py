r"""A lower bound on the total cost of any design, from each member and service on its own.

It needs no solve, so a run always has a proven bound even when the MILP's root relaxation does
not finish in time (large EPCIs). It relaxes the service model (:mod:`.services`) by keeping only
inequalities that hold in its LP relaxation:

* staff :math:`F_{js} \ge \max(F^{spec}_s, T)` with :math:`T = \sum_i zr_{ijs}\,\text{fte}_{ijs}
  \le T^{max}_{js}` (every member that may join *j*), hence
  :math:`F_{js} \ge T \max(1, F^{spec}_s / T^{max}_{js})`: each régie pooler bears at least its
  FTE times that factor;
* machines :math:`U_{jsq} \ge \max(1, D / K^{eff}_q)` (the capacity with the season's peak,
  :mod:`.season`) for :math:`D = \sum_i (zr + bb)_{ijs}\, w_{is}
  n_{qs} \le D^{max}_{jsq}`, hence :math:`U_{jsq} \ge D \max(1/K^{eff}_q, 1/D^{max}_{jsq})`
  (these two hold for every design, not for the LP relaxation);
* lots :math:`\bar L L_{js} \ge \sum_i zd_{ijs}\, c^{del}_{is}`,
* coordination: a pole service with :math:`N_j` possible users pays :math:`f \ge f \sum_i
  \text{use}_{ijs} / N_j` (as :math:`\text{use}_{ijs} \le a_{js}`),

so each pole's cost is at least the sum of its users' linear costs, and each member pools or
borrows a service in at most one pole. The total is therefore at least

.. math:: \sum_{i,s} \min\Big(\text{standalone}_{is},\; \min_j \text{pool}_{ijs},\;
   \text{standalone}_{is} - \text{equip}_{is} + \min_j \text{borrow}_{ijs}\Big)

(priced travel, being non-negative, is dropped). It ignores fairness, pole sizes and the
rounding of staff and machines, so it is loose (a few per cent of the bill): it stands in only
when the MILP has proven nothing better. **It mirrors the cost terms of**
:func:`optimiser.model.services.add_cost_expressions`: a change there must be reflected here
(the test comparing it with the LP relaxation fails otherwise).
"""

from __future__ import annotations

from ..inputs.service_inputs import ServiceInputs
from ..services.economics import EPCI
from .services import K


def member_service_bound_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                              members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None) -> float:
    """The bound above in k€/yr; ``seats_of``/``members_of`` are the candidate pairs (the EPCI of
    a service commun may only join ``sc_seat``)."""
    if not si.enabled:
        return si.status_quo_eur / K
    standalone = sum(c.total_eur for c in si.standalone.values()) / K
    return standalone - sum(member_savings_keur(si, seats_of, members_of, sc_seat).values())


def member_savings_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                        members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None) -> dict[str, float]:
    """Each member's term of the bound above as a saving (k€/yr, ≥ 0): Σ over its services of
    standalone − its cheapest option; the bound is Σ standalone − Σ savings. Any pole *M* thus
    changes the cost by at least −Σ_{i∈M} saving_i (the start of :mod:`optimiser.design.lagrangian`)."""
    savings: dict[str, float] = {}
    for i in si.members:
        total = 0.0
        for s in si.services:
            alone = si.standalone[(i, s)].total_eur
            total += alone - min([alone, *_cheapest_by_seat(si, i, s, seats_of, members_of, sc_seat).values()])
        savings[i] = total / K
    return savings


def member_savings_by_seat_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                                members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None
                                ) -> dict[str, dict[str, float]]:
    r"""Member → seat → its saving (k€/yr, ≥ 0) in a pole seated there: Σ over its services of
    standalone − its cheapest option at that seat. A pole (*j*, *M*) changes the cost by at least
    :math:`-\sum_{i \in M} s_{ij}` (the same argument as the bound, one seat at a time); the
    saving of :func:`member_savings_keur` is at least each of these."""
    out: dict[str, dict[str, float]] = {}
    for i in si.members:
        by_seat: dict[str, float] = {}
        for s in si.services:
            alone = si.standalone[(i, s)].total_eur
            for j, cost in _cheapest_by_seat(si, i, s, seats_of, members_of, sc_seat).items():
                by_seat[j] = by_seat.get(j, 0.0) + max(0.0, alone - cost) / K
        out[i] = by_seat
    return out


def _cheapest_by_seat(si: ServiceInputs, i: str, s: str, seats_of: dict[str, tuple[str, ...]],
                      members_of: dict[str, tuple[str, ...]], sc_seat: str | None) -> dict[str, float]:
    """Seat → the cheapest linear cost (€/yr) of member *i*'s service *s* in a pole seated there
    (pooled in régie or délégation, or borrowing machines), with the pole's shared costs spread
    over its whole reach; empty when *i* may not share *s*."""
    econ, catalogue = si.econ, si.catalogue
    seats = ([sc_seat] if sc_seat else []) if i == EPCI else list(seats_of.get(i, ()))
    alone = si.standalone[(i, s)]
    w = econ.workload(i, s)
    forced = si.forced.get((i, s))
    if w <= 0 or forced is False or not seats:
        return {}
    spec = catalogue.services[s]
    out: dict[str, float] = {}
    for j in seats:
        reach = _reach(members_of, sc_seat, j)
        share = econ.pole_fixed_eur() / max(2, len(reach)) + econ.member_eur()
        machines = 0.0
        for q in spec.equipment_days:
            e = catalogue.equipment[q]
            most = sum(econ.machine_days(k, s, q) for k in reach)
            if most > 0:
                machines += econ.machine_days(i, s, q) * e.annual_eur * max(1.0 / e.effective_capacity, 1.0 / most)
        options = []
        if "regie" in si.modes[s]:
            most = sum(econ.regie_fte(k, j, s) for k in reach)
            factor = max(1.0, spec.specialist_min_fte.value / most)
            options.append(econ.regie_fte(i, j, s) * factor * econ.pooled_staff_eur(s) + econ.supplies_eur(i, s)
                           + econ.vehicle_eur(i, j, s) + econ.transfer_eur(i, j, s) + machines)
        if "delegation" in si.modes[s]:
            contract = econ.contract_eur(i, s)
            options.append(contract * (1 + econ.terms.lot_cost_eur.value / econ.terms.max_lot_eur.value)
                           + econ.retained_fte(i, s) * catalogue.staff_eur(s))
        if si.lend_equipment and spec.equipment_days:
            options.append(alone.total_eur - alone.equipment_eur + econ.transfer_eur(i, j, s) + machines)
        if options:
            out[j] = min(options) + share
    return out


def _reach(members_of: dict[str, tuple[str, ...]], sc_seat: str | None, j: str) -> list[str]:
    """Every member that may use pole *j*: the communes that may join it, and the EPCI at the
    service commun's seat."""
    return list(members_of.get(j, ())) + ([EPCI] if sc_seat == j else [])
