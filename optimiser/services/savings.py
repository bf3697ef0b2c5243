r"""Where the saving comes from: an exact decomposition of status quo → reorganised alone → pooled.

The total saving :math:`T = SQ - D` (status quo less the design, € net of the FCTVA a year) is split
by a **sequential attribution over cost components** of the priced design, every part computed from
the same formulas that price it (:mod:`.economics`, :mod:`.alone`), so the parts add up to *T*
(to rounding):

1. **tax basis** :math:`= T - T^{HT}`, the saving net less the same saving HT (the same choices
   re-priced HT): what moving money between staff (no VAT), purchases (VAT borne) and contracts
   (VAT, part recovered through the FCTVA) is worth. Every other part is HT.
2. **reorganising alone** (:math:`SQ^{HT} - A^{HT}`, for every member and service, today against
   its choice alone): *mode changes* (the whole difference where the mode changes); otherwise
   *staff to the workload norm* (today's FTE → :math:`\max(F^{spec}, w/\pi)`), *attrition* (minus
   the agents kept on until they leave, on average over the horizon), *machines right-sized*,
   *contracts and supplies* (contracts re-tendered at the catalogue's price).
3. **pooling** (:math:`A^{HT} - D^{HT}`), for each pole service, against each user's cost alone:
   *members' reorganisation to join* (a pooler alone in the pool's mode rather than its own choice
   — zero or negative), *joint purchasing* (the groupement discount), *staff scale* (the members'
   FTE at the norm, each alone, less the pool's), *attrition* (agents kept on, the pool's less the
   members'), *shared machines* (the machines users needed alone less the pool's), *travel and
   transfers* (crews' round trips in FTE, vehicle km, machine transfers — negative),
   *coordination and set-up* (coordination, member fees, procedures, set-up spread — negative),
   *régime indemnitaire harmonisation* (negative).

Kept services cost what they cost alone on both sides, so they add nothing to step 3.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .alone import alone_option_cost
from .economics import pole_service_cost

TAX = "tax basis"
#: (stage, source) in the order of ``savings_by_source.csv``.
SOURCES = (
    ("alone", "mode changes"),
    ("alone", "staff to the workload norm"),
    ("alone", "machines right-sized"),
    ("alone", "contracts and supplies"),
    ("alone", "attrition"),
    ("pooling", "joint purchasing"),
    ("pooling", "shared machines"),
    ("pooling", "staff scale"),
    ("pooling", "attrition"),
    ("pooling", "travel and transfers"),
    ("pooling", "coordination and set-up"),
    ("pooling", "régime indemnitaire harmonisation"),
    ("pooling", "members' changes to join (mode, staffing)"),
    ("both", TAX),
)


@dataclass(frozen=True)
class Decomposition:
    """The parts (€/yr, keyed by (stage, source)) and the totals they add up to."""

    parts: dict[tuple[str, str], float]
    status_quo_eur: float
    alone_eur: float
    total_eur: float

    @property
    def saving_eur(self) -> float:
        return self.status_quo_eur - self.total_eur

    def rows(self) -> list[dict]:
        saving = self.saving_eur
        rows = [{"stage": stage, "source": source, "saving_eur": round(self.parts[(stage, source)], 2),
                 "share_of_saving": round(self.parts[(stage, source)] / saving, 6) if abs(saving) > 1e-9 else None}
                for stage, source in SOURCES]
        rows.append({"stage": "total", "source": "status quo − pooled", "saving_eur": round(saving, 2),
                     "share_of_saving": 1.0 if abs(saving) > 1e-9 else None})
        return rows


def _need_fte(spec, w: float) -> float:
    """FTE the work needs in régie at the norm, with the specialist minimum (0 without work)."""
    return max(spec.specialist_min_fte.value if w > 0 else 0.0, w / spec.productivity.value)


def _own_in_mode(ht, i: str, s: str, mode: str):
    r"""Member *i* alone in the pool's ``mode``: its own choice when that is the mode; otherwise the
    pool's mode pro rata of its work — FTE :math:`\max(w/\pi, R_{is})` and machine-days at the
    full-use day rate, without the whole specialist and whole machines a member alone would need
    (those indivisibilities are the pool's: they show in staff scale and shared machines)."""
    alone = ht.standalone[(i, s)]
    if alone.mode == mode and alone.option != "as-is":
        return alone
    cost = alone_option_cost(ht.inventory, ht.catalogue, ht.terms, ht.attrition_rule, i, s, mode, ht.status_quo[(i, s)])
    if mode != "regie":
        return cost
    spec, cat = ht.catalogue.services[s], ht.catalogue
    w = alone.workload
    fte = max(w / spec.productivity.value, ht.retained_fte(i, s))
    machines = sum(w * per.value * cat.equipment[q].day_rate_eur for q, per in spec.equipment_days.items())
    return replace(cost, fte=fte, staff_eur=fte * cat.staff_eur(s), equipment_eur=machines)


def decompose(design) -> Decomposition:
    """Split the design's saving against the status quo (see the module docstring)."""
    si = design.inputs
    econ = si.econ
    parts = {key: 0.0 for key in SOURCES}
    if not si.enabled:  # pooling disabled: the design is the status quo, nothing is saved
        return Decomposition(parts, si.status_quo_eur, si.alone_eur, design.total_eur)
    ht = econ.with_basis("ht")
    cat = ht.catalogue

    # 1. Tax basis: the same choices, net and HT.
    kept_ht = 0.0
    for key, alone in ht.standalone.items():
        if key in design.pooled:
            continue
        kept_ht += alone.keep_eur if key in design.borrowed else alone.total_eur
    poles_ht = {k: pole_service_cost(ht, p.seat, p.service, p.poolers, p.borrowers, p.mode) for k, p in design.pole_services.items()}
    total_ht = kept_ht + sum(p.total_eur for p in poles_ht.values())
    status_quo_ht = sum(c.total_eur for c in ht.status_quo.values())
    saving_net = si.status_quo_eur - design.total_eur
    parts[("both", TAX)] = saving_net - (status_quo_ht - total_ht)

    # 2. Reorganising alone, member by member.
    for (i, s), today in ht.status_quo.items():
        alone = ht.standalone[(i, s)]
        if alone.option == "as-is":
            continue
        if alone.mode != today.mode:
            parts[("alone", "mode changes")] += today.total_eur - alone.total_eur
            continue
        rate = cat.staff_eur(s)
        need = _need_fte(cat.services[s], alone.workload) if alone.mode == "regie" else 0.0
        parts[("alone", "staff to the workload norm")] += today.staff_eur - need * rate
        parts[("alone", "attrition")] -= (alone.fte - need) * rate
        parts[("alone", "machines right-sized")] += today.equipment_eur - alone.equipment_eur
        parts[("alone", "contracts and supplies")] += (today.contract_eur + today.supplies_eur) - (alone.contract_eur + alone.supplies_eur)

    # 3. Pooling, pole service by pole service.
    for _key, p in poles_ht.items():
        s = p.service
        spec = cat.services[s]
        rate = cat.staff_eur(s)
        own = {i: _own_in_mode(ht, i, s, p.mode) for i in p.poolers} if p.mode else {}
        parts[("pooling", "members' changes to join (mode, staffing)")] += sum(ht.standalone[(i, s)].total_eur - own[i].total_eur for i in p.poolers)
        machines_alone = sum(own[i].equipment_eur for i in p.poolers) + sum(ht.standalone[(i, s)].equipment_eur for i in p.borrowers)
        parts[("pooling", "shared machines")] += machines_alone - p.equipment_eur
        parts[("pooling", "coordination and set-up")] -= p.coordination_eur + p.lots_eur
        parts[("pooling", "régime indemnitaire harmonisation")] -= p.ri_eur
        parts[("pooling", "travel and transfers")] -= p.vehicle_eur + p.transfer_eur
        if p.mode == "regie":
            need_each = {i: own[i].fte if ht.standalone[(i, s)].mode == "regie" else ht.workload(i, s) / spec.productivity.value
                         for i in p.poolers}
            need_each = {i: min(need_each[i], _need_fte(spec, ht.workload(i, s))) for i in p.poolers}
            need_pool = max(spec.specialist_min_fte.value, sum(ht.workload(i, s) / spec.productivity.value for i in p.poolers))
            retained = sum(ht.retained_fte(i, s) for i in p.poolers)
            kept_on = max(need_pool, retained)
            parts[("pooling", "staff scale")] += (sum(need_each.values()) - need_pool) * rate \
                + sum(own[i].supplies_eur for i in p.poolers) - p.supplies_eur
            parts[("pooling", "attrition")] += (sum(own[i].fte - need_each[i] for i in p.poolers) - (kept_on - need_pool)) * rate
            parts[("pooling", "travel and transfers")] -= (p.fte - kept_on) * rate
        elif p.mode == "delegation":
            parts[("pooling", "joint purchasing")] += sum(own[i].contract_eur for i in p.poolers) - p.contract_eur
            parts[("pooling", "attrition")] += sum(own[i].staff_eur for i in p.poolers) - p.redeployed_eur
    return Decomposition(parts, si.status_quo_eur, si.alone_eur, design.total_eur)
