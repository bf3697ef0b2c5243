r"""The "reorganised alone" counterfactual: every member free to change its own mode and staffing,
with nobody to pool with.

For a member *i* and a service *s* (€/yr on the catalogue's basis, :math:`w` the workload,
:math:`\pi` the productivity, :math:`\rho` the share of today's agents still employed on average
over the horizon when only attrition may shed them — :attr:`PoolingTerms.retained_share` — and
:math:`R_{is}` the agents who stay employed when *s* leaves *i*: the more of
:math:`\rho\,\text{FTE}^0_{is}` for a service run in régie today when the scenario lets staff go
only by attrition, and the time :math:`P_{is}` of its polyvalent agents, who stay whatever the
scenario says since *i* keeps their other services (:mod:`.agents`)):

* **as-is**: today's organisation (:mod:`optimiser.services.standalone`);
* **régie**: FTE :math:`=\max(F^{spec}, w/\pi, R_{is})` at the régie rate of an FTE, supplies
  :math:`w\,m_s`, and the :math:`\lceil w\,n_q / K^{eff}_q \rceil` machines its own work needs, its
  season's peak included (:attr:`EquipmentSpec.effective_capacity`; it sells or buys the
  difference with today's fleet);
* **délégation**: the catalogue's price :math:`w\,p\,\tau_s` bought alone (no groupement
  discount, no extra procedure: today's contracts have none), plus the retained agents
  :math:`R_{is}` still paid (they stay employed).

The member takes the cheapest of the three (ties keep today's organisation). The counterfactual
is what each member pays *alone*: pooling is judged against it (individual rationality, shares,
savings by source), and the status quo against it shows what reorganising alone would save.
"""

from __future__ import annotations

import numpy as np

from .catalogue import Catalogue
from .inventory import Inventory, alone_fte
from .standalone import StandaloneCost, standalone_costs
from .terms import PoolingTerms

#: Options of a member alone, in the order ties are broken.
OPTIONS = ("as-is", "regie", "delegation")


def retained_fte(inventory: Inventory, terms: PoolingTerms, attrition_rule: bool, i: str, s: str) -> float:
    """FTE of *i*'s service *s* that stay employed when the service leaves the commune (pooled,
    delegated, reorganised): under the attrition rule, today's régie agents on average over the
    horizon; in any case, the time of its polyvalent agents — indivisible people the commune keeps
    for their other services, whose time here is put at the pool's disposal or redeployed, never
    deleted in part."""
    row = inventory.services[(i, s)]
    kept = terms.retained_share * row.fte if (attrition_rule and row.mode == "regie") else 0.0
    if not row.polyvalent_fte:
        return kept
    both = np.maximum(kept, row.polyvalent_fte)  # np: a value per sampled world under uncertainty
    return both if np.ndim(both) else float(both)


def alone_option_cost(inventory: Inventory, catalogue: Catalogue, terms: PoolingTerms, attrition_rule: bool,
                      i: str, s: str, option: str, as_is: StandaloneCost | None = None) -> StandaloneCost:
    """What member *i* pays for *s* alone under ``option`` (see the module docstring)."""
    row = inventory.services[(i, s)]
    spec = catalogue.services[s]
    if option == "as-is":
        return as_is if as_is is not None else standalone_costs(inventory, catalogue, only=(i, s))[(i, s)]
    retained = retained_fte(inventory, terms, attrition_rule, i, s)
    w = row.workload
    if option == "regie":
        if not spec.regie_allowed:
            raise ValueError(f"{s} cannot run in régie")
        fte = np.maximum(alone_fte(spec, w), retained)  # np: a value per sampled world under uncertainty
        fte = fte if np.ndim(fte) else float(fte)
        machines = sum(catalogue.equipment[q].units_for(w * per.value) * catalogue.equipment[q].annual_eur
                       for q, per in spec.equipment_days.items())
        return StandaloneCost(i, s, w, "regie", fte * catalogue.staff_eur(s), 0.0, machines, w * catalogue.supplies_eur(s),
                              fte=fte, option="regie")
    if option == "delegation":
        if "delegation" not in spec.modes:
            raise ValueError(f"{s} cannot be delegated")
        return StandaloneCost(i, s, w, "delegation", retained * catalogue.staff_eur(s), w * catalogue.delegated_eur(s), 0.0, 0.0,
                              fte=retained, option="delegation")
    raise ValueError(f"option must be one of {', '.join(OPTIONS)}, not {option!r}")


def reorganised_alone(inventory: Inventory, catalogue: Catalogue, terms: PoolingTerms, attrition_rule: bool,
                      as_is: dict[tuple[str, str], StandaloneCost],
                      options: dict[tuple[str, str], str] | None = None) -> dict[tuple[str, str], StandaloneCost]:
    """Each member's cheapest organisation alone; with ``options`` given, those options priced
    instead (the same choices on another basis, e.g. HT)."""
    out = {}
    for (i, s), today in as_is.items():
        if options is not None:
            out[(i, s)] = alone_option_cost(inventory, catalogue, terms, attrition_rule, i, s, options[(i, s)], today)
            continue
        spec = catalogue.services[s]
        best = today
        for option in OPTIONS[1:]:
            if option == "regie" and not spec.regie_allowed or option not in spec.modes:
                continue
            cost = alone_option_cost(inventory, catalogue, terms, attrition_rule, i, s, option, today)
            if cost.total_eur < best.total_eur - 1e-6:
                best = cost
        out[(i, s)] = best
    return out
