r"""A lower bound on the total cost of any design, from each member and service on its own.

It needs no solve, so a run always has a proven bound even when the MILP's root relaxation does
not finish in time (large EPCIs). It relaxes the service model (:mod:`.services`) by keeping only
inequalities that hold in its LP relaxation:

* staff :math:`F_{js} \ge \sum_i zr_{ijs}\,\text{fte}_{ijs}` (the specialist minimum dropped),
* machines :math:`K_q U_{jsq} \ge \sum_i (zr + bb)_{ijs}\, w_{is} n_{qs}` (whole machines dropped),
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
    econ, catalogue = si.econ, si.catalogue
    total = 0.0
    for i in si.members:
        seats = ([sc_seat] if sc_seat else []) if i == EPCI else list(seats_of.get(i, ()))
        for s in si.services:
            alone = si.standalone[(i, s)]
            best = alone.total_eur
            w = econ.workload(i, s)
            forced = si.forced.get((i, s))
            if w <= 0 or forced is False or not seats:
                total += best
                continue
            spec = catalogue.services[s]
            machines_per_unit = sum(spec.equipment_days[q].value * catalogue.equipment[q].annual_eur
                                    / catalogue.equipment[q].capacity_days.value for q in spec.equipment_days)
            for j in seats:
                users = max(2, len(members_of.get(j, ())) + (1 if sc_seat == j else 0))
                share = econ.pole_fixed_eur() / users + econ.member_eur()
                options = []
                if "regie" in si.modes[s]:
                    options.append(econ.regie_fte(i, j, s) * econ.pooled_staff_eur(s) + econ.supplies_eur(i, s)
                                   + econ.vehicle_eur(i, j, s) + econ.transfer_eur(i, j, s) + w * machines_per_unit)
                if "delegation" in si.modes[s]:
                    contract = econ.contract_eur(i, s)
                    options.append(contract * (1 + econ.terms.lot_cost_eur.value / econ.terms.max_lot_eur.value)
                                   + econ.retained_fte(i, s) * catalogue.staff_eur(s))
                if si.lend_equipment and spec.equipment_days:
                    options.append(alone.total_eur - alone.equipment_eur + econ.transfer_eur(i, j, s) + w * machines_per_unit)
                if options:
                    best = min(best, min(options) + share)
            total += best
    return total / K
