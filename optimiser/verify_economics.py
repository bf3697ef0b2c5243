"""Independent re-derivation of the régie and délégation unit rates (the "one basis" rules), for
the verifier and the brute-force tests.

Written from the README's rules, reading only the catalogue's sourced values (never its pricing
methods), so an error in :mod:`optimiser.services.catalogue` shows up as a disagreement:

* one régie FTE = (grade's loaded cost + team leader's cost ÷ agents per team leader, for field
  services + crew vehicles, for crew services: investment × (1 + VAT)(1 − FCTVA) + running ×
  (1 + VAT)) × (1 + depot/overhead share);
* supplies per unit = supplies HT × (1 + VAT) × (1 + overhead share);
* contract per unit = price HT × (1 + the service's contract VAT) × (1 − FCTVA × eligible share);
* a machine a year = purchase ÷ life × (1 + VAT)(1 − FCTVA) + running × (1 + VAT).

On the HT basis every tax factor is 1.
"""

from __future__ import annotations


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
