"""Tables of a service-sharing design (money in €/yr, TTC net of the FCTVA; HT columns say so).

* ``services.csv`` — one row per pole × service run: members, mode, workload, FTE, cost by category;
* ``equipment.csv`` — one row per pole × machine type: days, units needed, reused, bought, surplus;
* ``shares.csv`` — one row per member × service: choice, standalone cost, share (of which paid to
  the pole), saving, Shapley;
* ``regie_vs_delegation.csv`` — per pole × pooled service, both modes priced, the chosen one marked;
* ``status_quo.csv`` — every member alone, as inventoried (``estimated`` flags the guessed fields);
* ``status_quo_check.csv`` — each commune and the territory against the sourced aggregates
  (field FTE per 1,000 inhabitants, € per inhabitant per service: :mod:`optimiser.services.calibration`);
* ``savings_by_source.csv`` — the saving split exactly by source, status quo → alone → pooled
  (:mod:`optimiser.services.savings`);
* ``staff_trajectory.csv`` — per year and member, agents today, needed, employed, freed (whole
  agents and redeployed time) over the horizon (:mod:`optimiser.services.trajectory`);
* ``core.csv`` — groups of poolers that would pay less on their own (empty when the shares are in the core);
* ``parameters.csv`` — every number the service model used, with its unit, source key and confidence;
* extra columns of ``communes.csv`` — per service choice, standalone cost, share, saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ..model.extract import ServiceDesign
from ..services.calibration import status_quo_check
from ..services.catalogue import parameter_rows
from ..services.economics import EPCI, pole_service_cost
from ..services.savings import decompose
from ..services.sharing import core_check, proportional_shares, shapley
from ..services.trajectory import staff_trajectory

SERVICE_COLUMNS = ["pole", "pole_name", "seat_insee_code", "service", "mode", "n_poolers", "poolers", "n_borrowers", "borrowers",
                   "workload", "unit", "fte", "staff_eur", "supplies_eur", "vehicle_eur", "equipment_eur", "transfer_eur", "contract_eur", "lots",
                   "lots_eur", "redeployed_staff_eur", "coordination_eur", "ri_harmonisation_eur", "total_eur", "borrower_payments_eur", "poolers_eur",
                   "unit_cost_eur", "poolers_codes", "borrowers_codes"]
EQUIPMENT_COLUMNS = ["pole", "seat_insee_code", "service", "equipment", "machine_days", "units_needed", "units_owned_by_members",
                     "reused", "bought", "surplus", "capacity_days", "utilisation", "peak_machine_days", "peak_capacity_days", "users"]
TRAJECTORY_COLUMNS = ["year", "member", "fte_today", "fte_needed", "fte_employed", "fte_freed", "whole_agents_freed",
                      "redeployed_time_fte", "polyvalent_fte_kept"]
RVD_COLUMNS = ["pole", "seat_insee_code", "service", "n_poolers", "workload", "unit", "regie_eur", "regie_ht_eur", "regie_fte",
               "delegation_eur", "delegation_ht_eur", "delegation_lots", "cheaper", "chosen", "allowed", "difference_eur"]


@dataclass
class ServiceTables:
    services: pd.DataFrame
    equipment: pd.DataFrame
    shares: pd.DataFrame
    regie_vs_delegation: pd.DataFrame
    status_quo: pd.DataFrame
    core: pd.DataFrame
    commune_columns: pd.DataFrame
    members: pd.DataFrame
    parameters: pd.DataFrame
    status_quo_check: pd.DataFrame = field(default_factory=pd.DataFrame)
    savings_by_source: pd.DataFrame = field(default_factory=pd.DataFrame)
    staff_trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    """``flows.csv``: per commune, who pays whom under the institutional options (:mod:`optimiser.institutions.flows`)."""
    warnings: list[str] = field(default_factory=list)


def _name(territory, si, code: str) -> str:
    return si.epci_name or "EPCI" if code == EPCI else territory.name_of(code)


def _both_modes(econ, econ_ht, pole, seat, s, p, modes) -> dict:
    """One row of ``regie_vs_delegation.csv``: the pooled service priced in each mode the service can
    take, net of the FCTVA (the basis of every choice) and HT; works have no régie price."""
    spec = econ.catalogue.services[s]
    priced = {}
    for m in spec.modes:
        priced[m] = (pole_service_cost(econ, seat, s, p.poolers, p.borrowers, m),
                     pole_service_cost(econ_ht, seat, s, p.poolers, p.borrowers, m))
    regie, deleg = priced.get("regie"), priced.get("delegation")
    cheaper = min(priced, key=lambda m: priced[m][0].total_eur)

    def money(pair, k):
        return round(pair[k].total_eur, 2) if pair else None

    return {
        "pole": pole, "seat_insee_code": seat, "service": s, "n_poolers": len(p.poolers),
        "workload": round(p.workload, 3), "unit": spec.unit,
        "regie_eur": money(regie, 0), "regie_ht_eur": money(regie, 1), "regie_fte": round(regie[0].fte, 3) if regie else None,
        "delegation_eur": money(deleg, 0), "delegation_ht_eur": money(deleg, 1), "delegation_lots": deleg[0].lots if deleg else None,
        "cheaper": cheaper, "chosen": p.mode, "allowed": "/".join(modes),
        "difference_eur": round(deleg[0].total_eur - regie[0].total_eur, 2) if regie and deleg else None,
    }


def build_service_tables(design: ServiceDesign, territory, pole_ids: dict, population: dict, fairness_config) -> ServiceTables:
    si = design.inputs
    econ, cat = si.econ, si.catalogue
    econ_ht = econ.with_basis("ht")
    names = lambda codes: "; ".join(_name(territory, si, c) for c in codes)  # noqa: E731
    pole_of = lambda seat: pole_ids.get(seat, ("?", "?", "?"))  # noqa: E731

    service_rows, equipment_rows, rvd_rows, core_rows = [], [], [], []
    shares = {}
    for (seat, s), p in sorted(design.pole_services.items(), key=lambda kv: (pole_of(kv[0][0])[0], kv[0][1])):
        pole, pole_name, _ = pole_of(seat)
        spec = cat.services[s]
        mode = p.mode or "lending only"
        service_rows.append({
            "pole": pole, "pole_name": pole_name, "seat_insee_code": seat, "service": s, "mode": mode,
            "n_poolers": len(p.poolers), "poolers": names(p.poolers), "n_borrowers": len(p.borrowers), "borrowers": names(p.borrowers),
            "workload": round(p.workload, 6), "unit": spec.unit, "fte": round(p.fte, 6),
            "staff_eur": round(p.staff_eur, 2), "supplies_eur": round(p.supplies_eur, 2),
            "vehicle_eur": round(p.vehicle_eur, 2), "equipment_eur": round(p.equipment_eur, 2),
            "transfer_eur": round(p.transfer_eur, 2), "contract_eur": round(p.contract_eur, 2), "lots": p.lots,
            "lots_eur": round(p.lots_eur, 2), "redeployed_staff_eur": round(p.redeployed_eur, 2),
            "coordination_eur": round(p.coordination_eur, 2), "ri_harmonisation_eur": round(p.ri_eur, 2),
            "total_eur": round(p.total_eur, 2),
            "borrower_payments_eur": round(p.borrower_payments_eur, 2), "poolers_eur": round(p.poolers_eur, 2),
            "unit_cost_eur": round(p.poolers_eur / p.workload, 4) if p.workload > 0 else None,
            "poolers_codes": ";".join(p.poolers), "borrowers_codes": ";".join(p.borrowers),
        })
        users = [i for i in p.poolers if p.mode == "regie"] + list(p.borrowers)
        for q, needed in p.units.items():
            machine = cat.equipment[q]
            cap = machine.capacity_days.value
            stock = sum(si.inventory.units.get((i, q), 0) for i in list(p.poolers) + list(p.borrowers))
            reused = min(needed, stock)
            equipment_rows.append({
                "pole": pole, "seat_insee_code": seat, "service": s, "equipment": q,
                "machine_days": round(p.machine_days.get(q, 0.0), 3), "units_needed": needed,
                "units_owned_by_members": stock, "reused": reused, "bought": needed - reused, "surplus": stock - reused,
                "capacity_days": round(needed * cap, 1),
                "utilisation": round(p.machine_days.get(q, 0.0) / (needed * cap), 4) if needed else None,
                # the season's peak month: the days its members need then, and what the units give
                "peak_machine_days": round(machine.peak_machine_days(p.machine_days.get(q, 0.0)), 3),
                "peak_capacity_days": round(needed * machine.peak_days.value, 1) if machine.peak_share.value > 0 else 0.0,
                "users": names(users),
            })
        key = fairness_config.key
        for share in proportional_shares(econ, p, key, population):
            shares[(share.member, s)] = share
        if p.poolers:
            modes = si.modes[s]
            if key == "shapley":
                values = shapley(econ, p, modes, fairness_config.exact_shapley_max_members, fairness_config.shapley_samples)
                for i, (value, se) in values.items():
                    shares[(i, s)] = replace(shares[(i, s)], share_eur=value, shapley_eur=value, shapley_se_eur=se)
            pooler_shares = {i: shares[(i, s)].share_eur for i in p.poolers}
            check = core_check(econ, p, pooler_shares, modes, fairness_config.exact_shapley_max_members)
            for group, pays, alone in check.blocking:
                core_rows.append({"pole": pole, "seat_insee_code": seat, "service": s, "group": names(group),
                                  "group_codes": ";".join(group), "pays_now_eur": round(pays, 2),
                                  "would_pay_alone_eur": round(alone, 2), "gain_eur": round(pays - alone, 2),
                                  "gain_pct": round((pays - alone) / pays, 6) if pays > 0 else 0.0,
                                  "check_complete": check.complete})
            rvd_rows.append(_both_modes(econ, econ_ht, pole, seat, s, p, modes))

    status_rows, share_rows, member_rows = [], [], []
    choice_rows = {}
    for i in si.members:
        standalone_total = 0.0
        pays_total = 0.0
        pooled_list, borrowed_list = [], []
        choices = {}
        for s in si.services:
            today = econ.status_quo[(i, s)]
            alone = si.standalone[(i, s)] if si.enabled else today  # pooling disabled: the status quo itself
            row = si.inventory.services[(i, s)]
            status_rows.append({
                "member": i, "name": _name(territory, si, i), "service": s, "workload": round(row.workload, 3),
                "unit": cat.services[s].unit, "mode": row.mode, "fte": round(row.fte, 3),
                "polyvalent_fte": round(row.polyvalent_fte, 3),
                "supervision_fte": round(row.fte * cat.supervision_fte(s), 3), "field": cat.services[s].field,
                "staff_eur": round(today.staff_eur, 2), "supplies_eur": round(today.supplies_eur, 2),
                "contract_eur": round(today.contract_eur, 2),
                "equipment_units": sum(si.inventory.units.get((i, q), 0) for q in cat.services[s].equipment_days),
                "equipment_eur": round(today.equipment_eur, 2), "total_eur": round(today.total_eur, 2),
                "total_ht_eur": round(econ_ht.status_quo[(i, s)].total_eur, 2),
                "alone_option": si.standalone[(i, s)].option, "alone_fte": round(si.standalone[(i, s)].fte, 3),
                "alone_eur": round(si.standalone[(i, s)].total_eur, 2), "alone_ht_eur": round(econ_ht.standalone[(i, s)].total_eur, 2),
                "estimated": ";".join(list(row.estimated) + [f"{q}.units" for q in cat.services[s].equipment_days
                                                               if (i, q) in si.inventory.estimated_units]),
            })
            standalone_total += alone.total_eur
            pole_part = 0.0  # what goes to the pole (the rest the member spends itself)
            if (i, s) in design.pooled:
                share = shares[(i, s)]
                pays = pole_part = share.share_eur
                pole_service = design.pole_services[(design.pooled[(i, s)], s)]
                if pole_service.pooling:
                    choice = f"pooled-{pole_service.mode}"
                    pooled_list.append(s)
                else:  # a pole service of one member is that member reorganising alone (forced in)
                    choice = f"alone-{pole_service.mode}"
            elif (i, s) in design.borrowed:
                share = shares[(i, s)]
                pays = share.share_eur + alone.keep_eur
                pole_part = share.share_eur
                choice = "borrows-machines"
                borrowed_list.append(s)
            else:
                share = None
                pays = alone.total_eur
                choice = f"kept-{alone.mode}" if alone.option == "as-is" else f"alone-{alone.mode}"
            choices[s] = choice
            pays_total += pays
            seat = design.pooled.get((i, s)) or design.borrowed.get((i, s))
            share_rows.append({
                "member": i, "name": _name(territory, si, i), "service": s, "choice": choice,
                "pole": pole_of(seat)[0] if seat else None, "standalone_eur": round(alone.total_eur, 2),
                "pays_eur": round(pays, 2), "pays_pole_eur": round(pole_part, 2), "saving_eur": round(alone.total_eur - pays, 2),
                "key": fairness_config.key, "forced": si.forced.get((i, s)) is True,
                "shapley_eur": round(share.shapley_eur, 2) if share is not None and share.shapley_eur is not None else None,
                "shapley_se_eur": round(share.shapley_se_eur, 2) if share is not None and share.shapley_se_eur is not None else None,
                "pays_more_than_alone": bool(pays > alone.total_eur + 1.0),
            })
        member_rows.append({"member": i, "name": _name(territory, si, i), "standalone_cost": round(standalone_total, 2),
                            "share": round(pays_total, 2), "saving": round(standalone_total - pays_total, 2)})
        choice_rows[i] = {
            **{s: choices[s] for s in si.services},
            "services_pooled": "; ".join(pooled_list), "services_borrowed": "; ".join(borrowed_list),
            "standalone_cost": round(standalone_total, 2), "share": round(pays_total, 2),
            "saving": round(standalone_total - pays_total, 2),
            "saving_pct": round((standalone_total - pays_total) / standalone_total, 6) if standalone_total > 0 else 0.0,
            "pays_more_than_alone": bool(pays_total > standalone_total + 1.0),
            "estimated": ";".join(si.inventory.estimated_fields(i)),
        }
    status_quo = pd.DataFrame(status_rows)
    names = {c: territory.name_of(c) for c in territory.codes}
    check, warnings = status_quo_check(status_quo, {c: float(population.get(c, 0)) for c in territory.codes}, names)
    commune_columns = pd.DataFrame.from_dict(choice_rows, orient="index")
    commune_columns.index.name = "insee_code"
    return ServiceTables(
        services=pd.DataFrame(service_rows, columns=SERVICE_COLUMNS), equipment=pd.DataFrame(equipment_rows, columns=EQUIPMENT_COLUMNS),
        shares=pd.DataFrame(share_rows), regie_vs_delegation=pd.DataFrame(rvd_rows, columns=RVD_COLUMNS),
        status_quo=status_quo,
        core=pd.DataFrame(core_rows, columns=["pole", "seat_insee_code", "service", "group", "group_codes", "pays_now_eur",
                                              "would_pay_alone_eur", "gain_eur", "gain_pct", "check_complete"]
                          ).sort_values("gain_eur", ascending=False),
        commune_columns=commune_columns, members=pd.DataFrame(member_rows),
        parameters=pd.DataFrame(parameter_rows(cat, si.terms)), status_quo_check=check, warnings=warnings,
        savings_by_source=pd.DataFrame(decompose(design).rows()),
        staff_trajectory=pd.DataFrame(staff_trajectory(design), columns=TRAJECTORY_COLUMNS),
    )
