"""Independent re-check of a service-sharing result from its files alone.

Re-prices every pole service of ``services.csv`` and every member's status quo with a second
implementation of the README's cost rules (it shares the sourced parameters with the engine, not
its code), and checks against ``services.csv``, ``equipment.csv``, ``shares.csv``,
``status_quo.csv``, ``members.csv``, ``communes.csv`` and ``summary.json``:

* each member pools or borrows a service only in the pole it belongs to, as the rules allow
  (forced / forbidden pooling, allowed modes, lending only where it keeps a régie service);
* staff, vehicles, machines, transfers, contracts, lots, coordination and totals of each pole
  service; FTE at least the work and the specialist minimum; machines enough for the days;
* standalone costs; each member's share by the scenario's key; individual rationality of
  voluntary members; totals, savings and the budget rules.
"""

from __future__ import annotations

import math

import pandas as pd

from .services.economics import EPCI
from .verify_economics import contract_rate, fte_rate, machine_year, supplies_rate

TOLERANCE_EUR = 0.05


def _close(a, b, rel=1e-6) -> bool:
    return abs(float(a) - float(b)) <= max(TOLERANCE_EUR, rel * max(abs(float(a)), abs(float(b))))


def _codes(text) -> list[str]:
    return [c for c in str(text).split(";") if c and c != "nan"] if isinstance(text, str) else []


def _price(si, index, time_min, km, seat, s, poolers, borrowers, mode) -> dict:
    """Every cost category of one pole service, from the rules as written (€/yr)."""
    cat, terms, inv = si.catalogue, si.terms, si.inventory
    spec = cat.services[s]
    rate = fte_rate(cat, s)

    def w(i):
        return inv.services[(i, s)].workload

    def minutes(i):
        return 0.0 if i in (seat, EPCI) else float(time_min[index[i], index[seat]])

    def dist(i):
        return 0.0 if i in (seat, EPCI) else float(km[index[i], index[seat]])

    member = terms.member_fee_eur.value + terms.setup_member_eur.value / terms.horizon_years.value
    users = list(poolers) + list(borrowers)
    out = dict(fte=0.0, staff=0.0, supplies=0.0, vehicle=0.0, contract=0.0, lots=0, lots_eur=0.0, redeployed=0.0, units={}, days={})
    keep = max(0.0, 1 - terms.attrition_per_year.value * terms.horizon_years.value) if si.econ.attrition_rule else 0.0
    retained = sum(keep * inv.services[(i, s)].fte for i in poolers if inv.services[(i, s)].mode == "regie")
    machine_users = list(borrowers)
    work_fte = sum(w(i) / spec.productivity.value * (1 + 2 * minutes(i) / (60 * cat.hours_per_day.value)) for i in poolers)
    out["work_fte"] = work_fte
    if poolers and mode == "regie":
        out["fte"] = max(work_fte, spec.specialist_min_fte.value, retained)
        out["staff"] = out["fte"] * rate
        out["supplies"] = sum(w(i) for i in poolers) * supplies_rate(cat, s)
        out["vehicle"] = sum(w(i) / spec.productivity.value * cat.productive_days.value * 2 * dist(i)
                             * terms.vehicle_eur_per_km.value for i in poolers)
        machine_users = users
    elif poolers:
        out["contract"] = sum(w(i) * spec.delegated_price.value for i in poolers) * contract_rate(cat, s) * (1 - terms.joint_saving.value)
        out["lots"] = max(1, math.ceil(out["contract"] / terms.max_lot_eur.value - 1e-9))
        out["lots_eur"] = out["lots"] * terms.lot_cost_eur.value
        out["redeployed"] = retained * rate
    equipment = transfer = 0.0
    for q, per in spec.equipment_days.items():
        e = cat.equipment[q]
        days = sum(w(i) * per.value for i in machine_users)
        units = math.ceil(days / e.capacity_days.value - 1e-9) if days > 1e-9 else 0
        out["units"][q], out["days"][q] = units, days
        equipment += units * machine_year(cat, q)
        transfer += sum(w(i) * per.value * 2 * dist(i) / e.transfer_speed_kmh.value * e.transfer_eur_per_h.value for i in machine_users)
    out["equipment"], out["transfer"] = equipment, transfer
    out["coordination"] = (terms.coordination_eur.value + terms.setup_pole_eur.value / terms.horizon_years.value if users else 0.0) \
        + member * len(users)
    out["total"] = (out["staff"] + out["supplies"] + out["vehicle"] + equipment + transfer + out["contract"] + out["lots_eur"]
                    + out["redeployed"] + out["coordination"])
    # Borrowers pay their fixed price only to a pole with poolers (a lending-only bank is shared).
    out["payments"] = sum(_borrower_pays(si, index, km, seat, s, i) for i in borrowers) if poolers else 0.0
    return out


def verify_services(folder, inputs, summary, communes: pd.DataFrame, check) -> None:  # noqa: C901 - one check list
    """Run the checks above; ``check(name, problems)`` records each."""
    si = inputs.services
    index = inputs.matrix.index()
    time_min, km = inputs.matrix.time_min, inputs.matrix.km
    read = lambda name: pd.read_csv(folder / f"{name}.csv", dtype={"member": str, "seat_insee_code": str, "pole": str,  # noqa: E731
                                                                  "poolers_codes": str, "borrowers_codes": str},
                                    keep_default_na=False, na_values=[""])
    services, shares, status_quo = read("services"), read("shares"), read("status_quo")
    equipment = read("equipment")
    seat_of = {r.insee_code: (r.seat_insee_code if isinstance(r.seat_insee_code, str) else None) for r in communes.itertuples()}
    sc = inputs.rules.service_commun
    if sc is not None:
        seat_of[EPCI] = sc.seat

    # Status quo, from the inventory and the catalogue.
    problems = []
    standalone = {}
    for r in status_quo.itertuples():
        row = si.inventory.services[(r.member, r.service)]
        spec = si.catalogue.services[r.service]
        staff = row.fte * fte_rate(si.catalogue, r.service)
        supplies = row.workload * supplies_rate(si.catalogue, r.service) if row.mode == "regie" else 0.0
        contract = row.contract_eur * contract_rate(si.catalogue, r.service)
        machines = sum(si.inventory.units.get((r.member, q), 0) * machine_year(si.catalogue, q) for q in spec.equipment_days)
        total = staff + supplies + contract + machines
        standalone[(r.member, r.service)] = (total, machines, staff + supplies + contract)
        if not (_close(r.staff_eur, staff) and _close(r.equipment_eur, machines) and _close(r.total_eur, total)):
            problems.append(f"{r.member}/{r.service}: status quo {r.total_eur} but recomputed {total:.2f}")
    if len(standalone) != len(si.inventory.services):
        problems.append(f"status_quo.csv has {len(standalone)} rows, the inventory {len(si.inventory.services)}")
    check("status quo costs", problems)

    # Pole services.
    problems, sizing, membership = [], [], []
    pooled, borrowed, priced = {}, {}, {}
    for r in services.itertuples():
        s, seat = r.service, r.seat_insee_code
        poolers, borrowers = _codes(r.poolers_codes), _codes(r.borrowers_codes)
        mode = None if r.mode == "lending only" else r.mode
        for i in poolers:
            pooled[(i, s)] = seat
        for i in borrowers:
            borrowed[(i, s)] = seat
        for i in poolers + borrowers:
            if seat_of.get(i) != seat:
                membership.append(f"{i} uses {s} of the pole seated at {seat} but belongs to {seat_of.get(i)}")
        if mode is not None and mode not in si.modes[s]:
            membership.append(f"{s} run in {mode} in pole {r.pole}, but the scenario allows {'/'.join(si.modes[s])}")
        for i in borrowers:
            if si.inventory.services[(i, s)].mode != "regie":
                membership.append(f"{i} borrows machines for {s} but does not run it in régie")
        p = _price(si, index, time_min, km, seat, s, poolers, borrowers, mode)
        priced[(seat, s)] = (p, poolers, borrowers)
        for column, key in (("staff_eur", "staff"), ("supplies_eur", "supplies"), ("vehicle_eur", "vehicle"), ("equipment_eur", "equipment"),
                            ("transfer_eur", "transfer"), ("contract_eur", "contract"), ("lots_eur", "lots_eur"),
                            ("redeployed_staff_eur", "redeployed"), ("coordination_eur", "coordination"), ("total_eur", "total"),
                            ("borrower_payments_eur", "payments")):
            if not _close(getattr(r, column), p[key]):
                problems.append(f"pole {r.pole} {s}: {column} {getattr(r, column)} but recomputed {p[key]:.2f}")
        if mode == "regie" and r.fte + 1e-5 < max(p["work_fte"], si.catalogue.services[s].specialist_min_fte.value):
            sizing.append(f"pole {r.pole} {s}: {r.fte} FTE for {p['work_fte']:.3f} FTE of work")
        for e in equipment[(equipment["seat_insee_code"] == seat) & (equipment["service"] == s)].itertuples():
            cap = si.catalogue.equipment[e.equipment].capacity_days.value
            if e.units_needed * cap + 1e-6 < p["days"].get(e.equipment, 0.0):
                sizing.append(f"pole {r.pole} {e.equipment}: {e.units_needed} units for {p['days'][e.equipment]:.1f} days")
            if e.units_needed != p["units"].get(e.equipment, 0) or e.reused + e.bought != e.units_needed or e.surplus < 0:
                sizing.append(f"pole {r.pole} {e.equipment}: units {e.units_needed}, reused {e.reused}, bought {e.bought}, surplus {e.surplus}")
    for (i, s), value in si.forced.items():
        if value and (i, s) not in pooled and si.inventory.services[(i, s)].workload > 0:
            membership.append(f"{i} must pool {s} but does not")
        if value is False and ((i, s) in pooled or (i, s) in borrowed):
            membership.append(f"{i} must not pool {s} but does")
    check("pole service costs", problems)
    check("staff and machines sized for the work", sizing)
    check("who pools what, where", membership)

    # Shares, individual rationality, totals.
    key = summary.get("fairness_key") or "workload"
    population = {c: int(p) for c, p in inputs.territory.communes["population"].items()}
    problems, fairness = [], []
    pays_total = {}
    for r in shares.itertuples():
        i, s = r.member, r.service
        alone_total, alone_machines, alone_keep = standalone[(i, s)]
        if (i, s) in pooled:
            p, poolers, borrowers = priced[(pooled[(i, s)], s)]
            if key == "shapley":
                expected = r.pays_eur  # checked by efficiency below
            else:
                weights = {k: (population.get(k, 0) if key == "population" else si.inventory.services[(k, s)].workload) for k in poolers}
                expected = (p["total"] - p["payments"]) * weights[i] / sum(weights.values())
        elif (i, s) in borrowed:
            p, poolers, borrowers = priced[(borrowed[(i, s)], s)]
            if poolers:
                expected = _borrower_pays(si, index, km, borrowed[(i, s)], s, i) + alone_keep
            else:
                work = {k: si.inventory.services[(k, s)].workload for k in borrowers}
                expected = p["total"] * work[i] / sum(work.values()) + alone_keep
        else:
            expected = alone_total
        pays_total[i] = pays_total.get(i, 0.0) + r.pays_eur
        if not _close(r.pays_eur, expected):
            problems.append(f"{i}/{s}: pays {r.pays_eur} but the {key} key gives {expected:.2f}")
        if not _close(r.standalone_eur, alone_total):
            problems.append(f"{i}/{s}: standalone {r.standalone_eur} but recomputed {alone_total:.2f}")
        if si.individual_rationality and si.forced.get((i, s)) is not True and key != "shapley":
            if (i, s) in pooled and r.pays_eur > alone_total + 1.0:
                fairness.append(f"{i} pays {r.pays_eur:.2f} for {s}, {alone_total:.2f} alone")
            if (i, s) in borrowed and r.pays_eur > alone_total + 1.0:
                fairness.append(f"{i} pays {r.pays_eur:.2f} for {s} borrowing machines, {alone_total:.2f} alone")
    if key == "shapley":
        for (seat, s), (p, poolers, borrowers) in priced.items():
            if poolers:
                paid = shares[(shares["service"] == s) & shares["member"].isin(poolers)]["pays_eur"].sum()
                if not _close(paid, p["total"] - p["payments"], rel=1e-4):
                    problems.append(f"Shapley shares of {s} at {seat} sum to {paid:.2f}, the pole costs {p['total'] - p['payments']:.2f}")
    check("cost shares", problems)
    check("individual rationality", fairness)

    problems = []
    status_quo_total = sum(v[0] for v in standalone.values())
    total = sum(v for v in pays_total.values())
    kept_and_poles = sum(standalone[k][0] for k in standalone if k not in pooled and k not in borrowed) \
        + sum(standalone[k][2] for k in borrowed) + sum(p["total"] for p, _, _ in priced.values())
    for label, value, expected in (("total_cost", summary["total_cost"], kept_and_poles),
                                   ("sum of what members pay", total, kept_and_poles),
                                   ("status_quo_cost", summary["status_quo_cost"], status_quo_total),
                                   ("savings", summary["savings"], status_quo_total - kept_and_poles)):
        if not _close(value, expected, rel=1e-6):
            problems.append(f"{label} {value:.2f} but recomputed {expected:.2f}")
    weight = inputs.loaded.scenario.objective.travel_weight_eur
    travel_eur = weight * _person_travel(inputs, seat_of)
    if summary.get("objective") is not None and not _close(summary["objective"] * 1000, kept_and_poles + travel_eur, rel=1e-6):
        problems.append(f"objective {summary['objective']:.4f} k€ but costs and priced travel add up to "
                        f"{(kept_and_poles + travel_eur) / 1000:.4f} k€")
    if si.budget_max_eur is not None and kept_and_poles > si.budget_max_eur + 1.0:
        problems.append(f"total {kept_and_poles:.0f} € above the budget cap {si.budget_max_eur:.0f} €")
    if si.min_savings_eur is not None and status_quo_total - kept_and_poles < si.min_savings_eur - 1.0:
        problems.append(f"saving {status_quo_total - kept_and_poles:.0f} € below the minimum {si.min_savings_eur:.0f} €")
    if si.min_savings_pct is not None and kept_and_poles > status_quo_total * (1 - si.min_savings_pct) + 1.0:
        problems.append(f"saving below the minimum share {si.min_savings_pct:.1%}")
    check("totals, savings and budget", problems)


def _person_travel(inputs, seat_of) -> float:
    """Population-weighted travel to the seats (person-minutes or person-km)."""
    metric = inputs.matrix.time_min if inputs.rules.travel_metric == "time" else inputs.matrix.km
    index = inputs.matrix.index()
    population = inputs.territory.communes["population"]
    return sum(float(population[c]) * float(metric[index[c], index[s]]) for c, s in seat_of.items()
               if s is not None and c != s and c != EPCI)


def _borrower_pays(si, index, km, seat, s, i) -> float:
    """What borrower *i* pays pole *seat* for the machines of *s* (€/yr): fee and set-up share,
    its machine-days at the full-use day rate, and their transfers."""
    cat, terms, inv = si.catalogue, si.terms, si.inventory
    dist = 0.0 if i in (seat, EPCI) else float(km[index[i], index[seat]])
    pay = terms.member_fee_eur.value + terms.setup_member_eur.value / terms.horizon_years.value
    for q, per in cat.services[s].equipment_days.items():
        e = cat.equipment[q]
        pay += inv.services[(i, s)].workload * per.value * (machine_year(cat, q) / e.capacity_days.value
                                                            + 2 * dist / e.transfer_speed_kmh.value * e.transfer_eur_per_h.value)
    return pay
