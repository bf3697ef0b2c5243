"""Read the service decisions back from a solved model, priced by the one cost formula.

Each pole's service is re-priced with :func:`optimiser.services.economics.pole_service_cost`
from the decisions alone (members, borrowers, mode); :func:`check_consistency` compares that
with the model's own cost expressions, so a gap between the MILP and the formula cannot hide.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..services.economics import PoleServiceCost, pole_service_cost
from .services import K, ServiceModel


@dataclass
class ServiceDesign:
    """Service decisions of a design.

    ``pooled[(member, service)] = seat``; ``borrowed[(member, service)] = seat``;
    ``pole_services[(seat, service)]`` the priced pole service; ``total_eur`` the whole
    territory's yearly cost (kept services + pole services), ``status_quo_eur`` every member alone.
    """

    pooled: dict[tuple[str, str], str]
    borrowed: dict[tuple[str, str], str]
    pole_services: dict[tuple[str, str], PoleServiceCost]
    kept_eur: dict[tuple[str, str], float]
    total_eur: float
    status_quo_eur: float
    model_total_eur: float
    inputs: object


def extract_services(m: ServiceModel) -> ServiceDesign:
    si, econ = m.si, m.si.econ
    pooled, borrowed, modes = {}, {}, {}
    for (i, j, s), var in m.zr.items():
        if (var.value() or 0) > 0.5:
            pooled[(i, s)] = j
            modes[(j, s)] = "regie"
    for (i, j, s), var in m.zd.items():
        if (var.value() or 0) > 0.5:
            pooled[(i, s)] = j
            modes[(j, s)] = "delegation"
    for (i, j, s), var in m.bb.items():
        if (var.value() or 0) > 0.5:
            borrowed[(i, s)] = j
    users: dict[tuple[str, str], tuple[list, list]] = {}
    for (i, s), j in pooled.items():
        users.setdefault((j, s), ([], []))[0].append(i)
    for (i, s), j in borrowed.items():
        users.setdefault((j, s), ([], []))[1].append(i)
    priced = {(j, s): pole_service_cost(econ, j, s, sorted(p), sorted(b), modes.get((j, s)))
              for (j, s), (p, b) in users.items()}
    kept = {}
    for (i, s), c in si.standalone.items():
        if (i, s) in pooled:
            kept[(i, s)] = 0.0
        elif (i, s) in borrowed:
            kept[(i, s)] = c.keep_eur
        else:
            kept[(i, s)] = c.total_eur
    total = sum(kept.values()) + sum(p.total_eur for p in priced.values())
    model_total = m.total_cost.value() * K if m.total_cost is not None else total
    return ServiceDesign(pooled, borrowed, priced, kept, total, si.status_quo_eur, model_total, si)


def check_consistency(design: ServiceDesign, tolerance_eur: float = 1.0) -> list[str]:
    """Differences between the MILP's cost and the formula's (empty when they agree). At a
    solution proven with gap 0 they must be equal; within a gap the formula may be lower (the
    solver can leave integer slack, such as a spare lot, that re-pricing removes)."""
    gap = abs(design.total_eur - design.model_total_eur)
    if gap > max(tolerance_eur, 1e-6 * design.total_eur):
        return [f"model total {design.model_total_eur:,.2f} € vs formula {design.total_eur:,.2f} €"]
    return []
