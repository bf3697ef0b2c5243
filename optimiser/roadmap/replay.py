"""A roadmap re-computed from its result folder, for ``optimiser verify``.

From the folder's own inputs (``scenario.resolved.yaml``, ``inputs/``) the service inputs are
prepared again; the phases and their start years are read from ``phases.csv``, each pole
service re-priced by the one cost formula (:func:`optimiser.services.economics.pole_service_cost`)
from its users and mode, the steady-state payments read from ``shares.csv``; then the yearly
cost table (:mod:`.yearly`) and every table (:mod:`.tables`) are computed again, so each year's
cost in ``roadmap.csv`` and ``trajectory.csv`` can be compared with what the formula gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..results.records import row_tuples
from ..services.economics import pole_service_cost
from .phases import Phase
from .timing import NEVER
from .yearly import yearly_costs


@dataclass
class _Design:
    pole_services: dict


def replay(folder: Path, loaded, inputs, summary: dict):
    """The :class:`~optimiser.roadmap.plan.Roadmap` of ``folder`` re-computed (tables filled)."""
    from .plan import Roadmap, _resolve
    from .tables import tabulate

    folder = Path(folder)
    road = loaded.scenario.roadmap
    si = inputs.services
    phases_csv = pd.read_csv(folder / "phases.csv", dtype={"seat_insee_code": str, "user_codes": str, "pole": str})
    shares = pd.read_csv(folder / "shares.csv", dtype={"member": str})
    services_csv = pd.read_csv(folder / "services.csv", dtype={"seat_insee_code": str, "poolers_codes": str, "borrowers_codes": str})
    split = {(r.seat_insee_code, r.service): (_codes(r.poolers_codes), _codes(r.borrowers_codes)) for r in row_tuples(services_csv)}
    phases, starts, pole_services = [], {}, {}
    for r in row_tuples(phases_csv, index=False):
        users = _codes(r.user_codes)
        if r.kind == "alone":
            poolers, borrowers = users, ()
        else:
            poolers, borrowers = split.get((r.seat_insee_code, r.service), (users, ()))
            mode = None if r.mode == "lending" else r.mode
            pole_services[(r.seat_insee_code, r.service)] = pole_service_cost(si.econ, r.seat_insee_code, r.service, poolers, borrowers, mode)
        forced = any(si.forced.get((u, r.service)) is True for u in users)
        phases.append(Phase(r.phase, r.kind, r.pole, r.seat_insee_code, r.service, r.mode, tuple(poolers), tuple(borrowers), forced))
        starts[r.phase] = NEVER if pd.isna(r.start_year) else int(r.start_year)
    joins, _, _, transfer = _resolve(loaded, inputs.territory, road, None)
    pays = {(r.member, r.service): float(r.pays_eur) for r in row_tuples(shares)}
    recorded = summary["roadmap"]
    resale = recorded["resale_share"]["value"]
    costs = yearly_costs(si, _Design(pole_services), phases, road.years, joins, resale, pays)
    rate = recorded["discount_rate"]["value"]
    discount = {t: (1.0 + rate) ** -(t - road.years[0]) for t in road.years}
    names = {c: inputs.territory.name_of(c) for c in inputs.territory.codes}
    names["EPCI"] = si.epci_name or "EPCI"
    pole_names = dict(zip(phases_csv["pole"], phases_csv["pole_name"]))
    r = Roadmap(config=road, phases=phases, costs=costs, starts=starts, status=recorded["status"],
                objective_eur=recorded.get("net_present_cost_eur"), bound_eur=recorded.get("bound_eur"), gap=recorded.get("gap"),
                runtime_s=recorded.get("runtime_s", 0.0), discount=discount,
                provenance={"discount_rate": recorded["discount_rate"], "resale_share": recorded["resale_share"]},
                names=names, pole_names=pole_names, steady_state=recorded.get("steady_state", {}), transfer_year=transfer,
                joins=joins, modes_today={k: row.mode for k, row in si.inventory.services.items()},
                status_quo_parts={k: {"keep": c.keep_eur, "staff": c.staff_eur} for k, c in si.econ.status_quo.items()},
                pole_ratio={(s.member, s.service): (float(s.pays_pole_eur) / float(s.pays_eur) if float(s.pays_eur) else 0.0)
                            for s in row_tuples(shares) if "pays_pole_eur" in shares.columns},
                institutions=inputs.institutions)
    tabulate(r)
    return r


def _codes(text) -> tuple[str, ...]:
    if not isinstance(text, str) or not text:
        return ()
    return tuple(c for c in text.split(";") if c)

