"""Independent re-derivation of the régie and délégation unit rates (the "one basis" rules), of the
status quo and of the reorganised-alone counterfactual, for
the verifier and the brute-force tests.

Written from the README's rules, reading only the catalogue's sourced values (never its pricing
methods), so an error in :mod:`optimiser.services.catalogue` shows up as a disagreement:

* one régie FTE = (grade's loaded cost + team leader's cost ÷ agents per team leader, for field
  services + crew vehicles, for crew services: investment × (1 + VAT)(1 − FCTVA) + running ×
  (1 + VAT)) × (1 + depot/overhead share);
* supplies per unit = supplies HT × (1 + VAT) × (1 + overhead share);
* contract per unit = price HT × (1 + the service's contract VAT) × (1 − FCTVA × eligible share);
* a machine a year = purchase ÷ life × (1 + VAT)(1 − FCTVA) + running × (1 + VAT);
* machines for D machine-days a year = the more of ⌈D ÷ capacity days⌉ and, for a machine whose
  work peaks in one month, ⌈peak share × D ÷ working days of that month⌉ (README, "the peak rule").

On the HT basis every tax factor is 1.
"""

from __future__ import annotations

import math


def _taxes(cat):
    r = cat.regie
    if r is None or cat.basis == "ht":
        return 1.0, 1.0
    return (1 + r.vat_rate.value) * (1 - r.fctva_rate.value), 1 + r.vat_rate.value


def fte_rate(cat, s: str) -> float:
    """€/yr of one régie FTE of service *s*."""
    spec, r = cat.services[s], cat.regie
    rate = cat.staff_cost[spec.grade].value
    if r is None:
        return rate
    invest, running = _taxes(cat)
    if spec.field:
        rate += cat.staff_cost["agent_de_maitrise"].value / r.agents_per_team_leader.value
    if spec.crew:
        rate += r.vehicle_investment_per_fte.value * invest + r.vehicle_running_per_fte.value * running
    return rate * (1 + r.overhead_share.value)


def supplies_rate(cat, s: str) -> float:
    """€ of régie supplies per unit of workload of *s*."""
    r = cat.regie
    if r is None:
        return cat.services[s].supplies.value
    return cat.services[s].supplies.value * _taxes(cat)[1] * (1 + r.overhead_share.value)


def contract_rate(cat, s: str) -> float:
    """Net € per € HT of a contract for *s*."""
    r, spec = cat.regie, cat.services[s]
    if r is None or cat.basis == "ht":
        return 1.0
    return (1 + spec.contract_vat.value) * (1 - r.fctva_rate.value * spec.contract_fctva.value)


def machine_year(cat, q: str) -> float:
    """€/yr of one machine of type *q*."""
    e = cat.equipment[q]
    invest, running = _taxes(cat)
    return e.purchase_eur.value / e.life_years.value * invest + e.running_eur_yr.value * running


def units_needed(cat, q: str, days: float) -> int:
    """Whole machines of type *q* for ``days`` machine-days a year: enough for the year and for
    the peak month (0 without work)."""
    if days <= 1e-9:
        return 0
    e = cat.equipment[q]
    yearly = math.ceil(days / e.capacity_days.value - 1e-9)
    share = e.peak_share.value
    peak = math.ceil(share * days / e.peak_days.value - 1e-9) if share > 0 else 0
    return max(yearly, peak)


def peak_machine_days(cat, q: str, days: float) -> float:
    """Machine-days of type *q* needed in its peak month (0 for a machine without a season)."""
    return cat.equipment[q].peak_share.value * days


def day_rate(cat, q: str) -> float:
    """Internal price of one machine-day (€): a machine-year over the days one unit can deliver,
    the yearly capacity or, when its peak month binds, working days of that month ÷ peak share."""
    e = cat.equipment[q]
    share = e.peak_share.value
    days = min(e.capacity_days.value, e.peak_days.value / share) if share > 0 else e.capacity_days.value
    return machine_year(cat, q) / days


def retained_share(terms) -> float:
    """Average share of today's agents still employed over the horizon, posts freed at the end of
    each year: mean over t = 1..H of max(0, 1 − α (t − 1)), H the horizon in whole years."""
    years = max(1, int(round(terms.horizon_years.value)))
    return sum(max(0.0, 1 - terms.attrition_per_year.value * t) for t in range(years)) / years


def polyvalent_time(agents, i: str, s: str) -> float:
    """FTE that *i*'s agents working in more than one service give to *s*."""
    return sum(a.split.get(s, 0.0) for a in agents if a.member == i and sum(1 for f in a.split.values() if f > 0) > 1)


def retained(si, i: str, s: str) -> float:
    """Agents of *i*'s service *s* who stay employed when it leaves the commune: under the attrition
    rule, the régie's agents kept on (average over the horizon); in any case the time of its
    polyvalent agents, kept for the member's other services (README, "indivisible people")."""
    row = si.inventory.services[(i, s)]
    kept = retained_share(si.terms) * row.fte if (si.econ.attrition_rule and row.mode == "regie") else 0.0
    return max(kept, polyvalent_time(getattr(si.inventory, "agents", ()), i, s))


def status_quo(si, i: str, s: str, cat=None) -> dict:
    """Today's cost of *i*'s service *s*: FTE × the régie rate, supplies in régie, the contract
    (HT in the inventory) at its net rate, owned machines."""
    cat = cat or si.catalogue
    row, spec = si.inventory.services[(i, s)], cat.services[s]
    staff = row.fte * fte_rate(cat, s)
    supplies = row.workload * supplies_rate(cat, s) if row.mode == "regie" else 0.0
    contract = row.contract_eur * contract_rate(cat, s)
    machines = sum(si.inventory.units.get((i, q), 0) * machine_year(cat, q) for q in spec.equipment_days)
    return {"option": "as-is", "mode": row.mode, "fte": row.fte, "staff": staff, "supplies": supplies, "contract": contract,
            "machines": machines, "total": staff + supplies + contract + machines}


def alone(si, i: str, s: str, option: str | None = None, cat=None) -> dict:
    """What *i* pays for *s* reorganised alone (README, "reorganised alone"): the cheapest of
    today's organisation, régie at the norm (FTE max(specialist minimum, workload ÷ productivity,
    agents kept on), supplies, ⌈own days ÷ capacity⌉ machines) and délégation at the catalogue's
    price (agents kept on still paid); ``option`` prices that one instead. Machines are
    :func:`units_needed`: the year and the season's peak."""
    cat = cat or si.catalogue
    spec, w = cat.services[s], si.inventory.services[(i, s)].workload
    today = status_quo(si, i, s, cat)
    kept_on = retained(si, i, s)
    options = {"as-is": today}
    if "regie" in spec.modes:
        fte = max(spec.specialist_min_fte.value if w > 0 else 0.0, w / spec.productivity.value, kept_on)
        machines = 0.0
        for q, per in spec.equipment_days.items():
            machines += units_needed(cat, q, w * per.value) * machine_year(cat, q)
        staff, supplies = fte * fte_rate(cat, s), w * supplies_rate(cat, s)
        options["regie"] = {"option": "regie", "mode": "regie", "fte": fte, "staff": staff, "supplies": supplies, "contract": 0.0,
                            "machines": machines, "total": staff + supplies + machines}
    if "delegation" in spec.modes:
        staff = kept_on * fte_rate(cat, s)
        contract = w * spec.delegated_price.value * contract_rate(cat, s)
        options["delegation"] = {"option": "delegation", "mode": "delegation", "fte": kept_on, "staff": staff, "supplies": 0.0,
                                 "contract": contract, "machines": 0.0, "total": staff + contract}
    if option is not None:
        return options[option]
    best = today
    for key in ("regie", "delegation"):
        if key in options and options[key]["total"] < best["total"] - 1e-6:
            best = options[key]
    return best


def ri_rate(cat, terms, s: str) -> float:
    """€/yr per FTE of a pooled régie team for the régime indemnitaire harmonisation: uplift ×
    (grade's loaded cost + team leader's cost ÷ agents per team leader, for field services)."""
    spec, r = cat.services[s], cat.regie
    pay = cat.staff_cost[spec.grade].value
    if r is not None and spec.field:
        pay += cat.staff_cost["agent_de_maitrise"].value / r.agents_per_team_leader.value
    return terms.ri_harmonisation_uplift.value * pay
