r"""Seasonal machines: a pole's machines are sized for their season's peak, not only yearly days.

Lawns are mown weekly in May, verges all at once in June: a pole whose members together need
*D* machine-days a year of a type *q* needs, in its peak month, a share :math:`\sigma_q` of them
(``season.peak_month_share``) within that month's :math:`P_q` working days
(``season.working_days_per_month``). The yearly row of :func:`optimiser.model.services.add_machine_sizing`
(:math:`K_q U_{jsq} \ge D`) is joined by the peak row, linear in the same variables:

.. math:: P_q\, U_{jsq} \;\ge\; \sigma_q \sum_i (zr + bb)_{ijs}\, w_{is}\, n_{qs}

so :math:`U_{jsq} \ge D / K^{eff}_q` with :math:`K^{eff}_q = \min(K_q, P_q/\sigma_q)`
(:attr:`optimiser.services.catalogue.EquipmentSpec.effective_capacity`, the same rule the status
quo, the reorganised-alone counterfactual, the pricing and the verifier use). Both rows are
proportional to the same *D*, so only the binding one is kept: where the peak binds
(:math:`P_q/\sigma_q < K_q`: mowers 105 < 150 days, flail tractors 52.5 < 110) this block adds
its row and the yearly block leaves its own out; elsewhere (no season, or a mild one) this block
adds none. The model keeps one capacity row per pole service and machine type, as before.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pulp

from .blocks import constraint_block

if TYPE_CHECKING:  # the service model imports this module to list the block
    from .services import ServiceModel


def peak_binds(machine) -> bool:
    """The peak month, not the year, sizes this machine type: σ > 0 and P/σ < K."""
    share = machine.peak_share.value
    return share > 0 and machine.peak_days.value < share * machine.capacity_days.value


def machine_users(m: ServiceModel, j: str, s: str) -> list[tuple[str, pulp.LpVariable]]:
    """(member, variable) of every member that may use pole j's machines for s: régie poolers
    and borrowers."""
    return [(i, v) for i in m.members_at(j, s) for v in (m.zr.get((i, j, s)), m.bb.get((i, j, s))) if v is not None]


@constraint_block("peak machine sizing")
def add_peak_machine_sizing(m: ServiceModel) -> None:
    """P_q U_jsq ≥ σ_q Σ_i (zr + bb)_ijs w_is n_qs for every machine type whose peak binds; the
    unit variable's upper bound is raised to what the peak may need (a bound, not a row)."""
    prob, si = m.problem, m.si
    econ = si.econ
    for (j, s, q), units in sorted(m.units.items()):
        e = si.catalogue.equipment[q]
        share, days = e.peak_share.value, e.peak_days.value
        if not peak_binds(e):  # the yearly row binds (or no season): this one would be implied
            continue
        users = [(v, share * econ.machine_days(i, s, q)) for i, v in machine_users(m, j, s)]
        top = math.ceil(sum(c for _, c in users) / days - 1e-9)
        units.upBound = max(units.upBound or 0, top)
        prob += days * units - pulp.LpAffineExpression(users) >= 0, f"units_peak{m.tag}_{j}_{s}_{q}"
