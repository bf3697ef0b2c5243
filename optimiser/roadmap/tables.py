"""The roadmap's tables: phases, year × commune × service, the yearly trajectory, the money flows.

Every euro of a year is the cost table's (:mod:`.yearly`): a user of a phase pays its status quo
before the start and its share (steady-state proportions) of the phase's running cost after; the
set-up and the machine sales of a phase are booked in its start year, split the same way.
"""

from __future__ import annotations

import pandas as pd

from .timing import NEVER

ROADMAP_COLUMNS = ["year", "insee_code", "name", "service", "state", "delivered_by", "phase", "start_year", "cost_eur",
                   "setup_eur", "sale_eur"]
TRAJECTORY_COLUMNS = ["year", "status_quo_eur", "running_eur", "setup_eur", "sale_eur", "plan_eur", "saving_eur",
                      "cumulative_saving_eur", "discount_factor", "discounted_saving_eur", "cumulative_discounted_saving_eur",
                      "phases_started"]
PHASE_COLUMNS = ["phase", "kind", "pole", "pole_name", "seat_insee_code", "service", "mode", "users", "user_codes",
                 "earliest_year", "start_year", "setup_eur", "sale_eur", "why_not_earlier"]
FLOW_COLUMNS = ["year", "insee_code", "name", "pays_pole_eur", "pays_epci_eur", "own_services_eur", "one_off_eur", "total_eur"]


def _state(p, t: int, transfer: int | None) -> tuple[str, str]:
    if p.kind == "alone":
        return f"alone-{p.mode}", "commune"
    if transfer is not None and p.service == "voirie" and t >= transfer:
        return "transferred", "EPCI"
    if p.poolers and p.kind == "service_commun":
        return f"service-commun-{p.mode}", "service commun"
    who = "groupement de commandes" if p.mode == "delegation" else "pole"
    return (f"pooled-{p.mode}", who) if p.poolers else ("borrows-machines", "commune, machines of the pole")


def tabulate(r) -> None:
    costs, years = r.costs, r.costs.years
    phase_of = {(u, p.service): p for p in r.phases for u in p.users}
    rows = []
    for (i, s), sq in sorted(costs.status_quo.items()):
        p = phase_of.get((i, s))
        start = r.starts.get(p.id, NEVER) if p else NEVER
        for t in years:
            base = {"year": t, "insee_code": i, "name": r.names.get(i, i), "service": s, "phase": p.id if p else None,
                    "start_year": start if start != NEVER else None, "setup_eur": 0.0, "sale_eur": 0.0}
            if t < r.joins.get(i, years[0]):
                rows.append({**base, "state": "outside", "delivered_by": None, "cost_eur": 0.0})
                continue
            if p is None or start == NEVER or t < start:
                mode = _mode_today(r, i, s)
                rows.append({**base, "state": "status-quo", "delivered_by": "commune" if mode == "regie" else "contractor",
                             "cost_eur": round(sq[t], 2)})
                continue
            w = costs.weights[p.id][i]
            state, who = _state(p, t, r.transfer_year)
            if who in ("pole", "groupement de commandes", "service commun"):
                who = f"{r.pole_names.get(p.pole, p.pole)}" + (" (groupement de commandes)" if who == "groupement de commandes" else "")
            one_off = t == start
            rows.append({**base, "state": state, "delivered_by": who, "cost_eur": round(w * costs.after[p.id][start][t], 2),
                         "setup_eur": round(w * costs.setup[p.id], 2) if one_off else 0.0,
                         "sale_eur": round(w * costs.sale[p.id][start], 2) if one_off else 0.0})
    roadmap = pd.DataFrame(rows, columns=ROADMAP_COLUMNS)
    r.tables["roadmap"] = roadmap

    started = {}
    for k in r.starts.values():
        if k != NEVER:
            started[k] = started.get(k, 0) + 1
    traj = []
    cumulative = cumulative_d = 0.0
    for t in years:
        year = roadmap[roadmap["year"] == t]
        sq = sum(row[t] for row in costs.status_quo.values())
        running, setup, sale = float(year["cost_eur"].sum()), float(year["setup_eur"].sum()), float(year["sale_eur"].sum())
        plan = running + setup - sale
        saving = sq - plan
        cumulative += saving
        cumulative_d += saving * r.discount[t]
        traj.append({"year": t, "status_quo_eur": round(sq, 2), "running_eur": round(running, 2), "setup_eur": round(setup, 2),
                     "sale_eur": round(sale, 2), "plan_eur": round(plan, 2), "saving_eur": round(saving, 2),
                     "cumulative_saving_eur": round(cumulative, 2), "discount_factor": round(r.discount[t], 6),
                     "discounted_saving_eur": round(saving * r.discount[t], 2),
                     "cumulative_discounted_saving_eur": round(cumulative_d, 2), "phases_started": started.get(t, 0)})
    trajectory = pd.DataFrame(traj, columns=TRAJECTORY_COLUMNS)
    r.tables["trajectory"] = trajectory

    phase_rows = []
    for p in r.phases:
        k = r.starts.get(p.id, NEVER)
        phase_rows.append({"phase": p.id, "kind": p.kind, "pole": p.pole, "pole_name": r.pole_names.get(p.pole, r.names.get(p.pole, p.pole)),
                           "seat_insee_code": p.seat, "service": p.service, "mode": p.mode,
                           "users": "; ".join(r.names.get(u, u) for u in p.users), "user_codes": ";".join(p.users),
                           "earliest_year": costs.earliest[p.id], "start_year": None if k == NEVER else k,
                           "setup_eur": round(costs.setup[p.id], 2), "sale_eur": round(costs.sale[p.id][k], 2) if k != NEVER else 0.0,
                           "why_not_earlier": costs.why_earliest[p.id] or None})
    r.tables["phases"] = pd.DataFrame(phase_rows, columns=PHASE_COLUMNS)
    if r.institutions is not None:  # the institutions helper's money flows, year by year
        from .flows import yearly_flows

        r.tables["flows"] = yearly_flows(r)
    else:
        r.tables["flows"] = flows(r, roadmap)
    r.summary = summary(r, trajectory)


def _mode_today(r, i: str, s: str) -> str:
    return r.modes_today.get((i, s), "regie")


def flows(r, roadmap: pd.DataFrame) -> pd.DataFrame:
    """Per year and commune: what it pays a pole (or the groupement), the EPCI (service commun,
    transferred voirie), for its own services, and its one-offs (set-up less machine sales)."""
    frame = roadmap.copy()
    frame["one_off"] = frame["setup_eur"] - frame["sale_eur"]
    epci = frame["state"].str.startswith("service-commun") | (frame["state"] == "transferred")
    pole = frame["state"].str.startswith("pooled") | (frame["state"] == "borrows-machines")
    frame["pays_pole_eur"] = frame["cost_eur"].where(pole, 0.0)
    frame["pays_epci_eur"] = frame["cost_eur"].where(epci, 0.0)
    frame["own_services_eur"] = frame["cost_eur"].where(~(pole | epci), 0.0)
    out = frame.groupby(["year", "insee_code", "name"], as_index=False)[["pays_pole_eur", "pays_epci_eur", "own_services_eur", "one_off"]].sum()
    out = out.rename(columns={"one_off": "one_off_eur"})
    out["total_eur"] = out["pays_pole_eur"] + out["pays_epci_eur"] + out["own_services_eur"] + out["one_off_eur"]
    for c in FLOW_COLUMNS[3:]:
        out[c] = out[c].round(2)
    return out[FLOW_COLUMNS]


def break_even_year(trajectory: pd.DataFrame) -> int | None:
    """The first year from which the cumulative saving stays ≥ 0 (None: never within the horizon)."""
    years = list(trajectory["year"])
    cumulative = list(trajectory["cumulative_saving_eur"])
    if not any(trajectory["saving_eur"] > 0):
        return None
    for n, y in enumerate(years):
        if all(c >= 0 for c in cumulative[n:]):
            return int(y)
    return None


def summary(r, trajectory: pd.DataFrame) -> dict:
    npc_sq = float(sum(trajectory["status_quo_eur"] * trajectory["discount_factor"]))
    last = trajectory.iloc[-1]
    return {
        "status": r.status, "net_present_cost_eur": None if r.objective_eur is None else round(r.objective_eur, 2),
        "bound_eur": None if r.bound_eur is None else round(r.bound_eur, 2), "gap": r.gap, "runtime_s": round(r.runtime_s, 3),
        "status_quo_net_present_cost_eur": round(npc_sq, 2),
        "net_present_saving_eur": None if r.objective_eur is None else round(npc_sq - r.objective_eur, 2),
        "start_year": r.costs.years[0], "horizon_years": len(r.costs.years), "order": r.config.order,
        "break_even_year": break_even_year(trajectory),
        "cumulative_saving_eur": float(last["cumulative_saving_eur"]),
        "last_year_plan_eur": float(last["plan_eur"]), "last_year_running_eur": float(last["running_eur"]),
        "phases": len(r.phases), "phases_started": int(sum(1 for k in r.starts.values() if k != NEVER)),
        "starts_by_year": {str(int(y)): int(n) for y, n in zip(trajectory["year"], trajectory["phases_started"])},
        "steady_state": r.steady_state, "voirie_transfer_year": r.transfer_year, **r.provenance,
        "yearly": trajectory[["year", "status_quo_eur", "plan_eur", "saving_eur", "cumulative_saving_eur"]].to_dict(orient="records"),
        "net_cost_by_year": net_cost_by_year(r),
    }


def net_cost_by_year(r) -> list[dict]:
    """Per member, what it bears each year (``flows_by_year.csv``'s net cost with the institutions'
    flows, else pole + EPCI + own services + one-offs): the report's table of who pays what."""
    flows = r.tables.get("flows")
    if flows is None or not len(flows):
        return []
    member = "member" if "member" in flows.columns else "insee_code"
    value = "net_cost_eur" if "net_cost_eur" in flows.columns else "total_eur"
    out = []
    for code, rows in flows.groupby(member, sort=False):
        extra = rows["roadmap_one_off_eur"] if "roadmap_one_off_eur" in rows.columns else 0.0
        by_year = dict(zip(rows["year"].astype(int).astype(str), (rows[value] + extra).round(2)))
        if str(code) == "EPCI" and not any(by_year.values()):  # no EPCI in this plan: no row
            continue
        out.append({"member": str(code), "name": str(rows["name"].iloc[0]), **{y: float(v) for y, v in by_year.items()}})
    return out
