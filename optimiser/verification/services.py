"""Checks of a service-sharing result: every service file and the cost figures of
``summary.json`` and ``communes.csv``, against the verifier's own prices (:mod:`.pricing`).

* ``status_quo.csv`` — each member alone, as inventoried;
* ``services.csv`` — who pools / borrows what where (as the rules allow), every cost category,
  FTE, lots, workload, names, payments; ``equipment.csv`` — days, units, reuse of members'
  machines, capacity and use;
* ``shares.csv`` — each member's choice and what it pays by the scenario's key (exact Shapley
  values recomputed up to the scenario's exact limit), individual rationality;
* ``regie_vs_delegation.csv`` — each pooled service priced both ways; ``core.csv`` — each group
  listed pays more than it would on its own, and (up to :data:`CORE_ENUMERATION_MAX` poolers)
  no blocking group is left out;
* ``members.csv`` and the cost columns of ``communes.csv`` — per member totals;
* ``summary.json`` — totals, savings, counts, the objective and the budget rules.
"""

from __future__ import annotations

import itertools
import math

from ..results.records import row_tuples
from ..services.economics import EPCI
from .agents import agent_problems
from .design import Design
from .files import ResultFolder
from .memo import derived
from .pricing import COST_CATEGORIES, PoleService, as_is, borrower_pays, standalone
from .rates import alone as alone_option
from .rates import peak_machine_days
from .savings import SavingsChecks

TOLERANCE_EUR = 0.05
#: Pole services with at most this many poolers have every group checked against core.csv.
CORE_ENUMERATION_MAX = 8
#: A group "materially" gains at least this share of what it pays (summary.json).
MATERIAL_GAIN = 0.01
#: A member pays more than alone when it pays this much more (€/yr), as the tables count it.
PAYS_MORE_EUR = 1.0

MONEY = "float"
SERVICE_COLUMNS = {
    "pole": "code", "pole_name": "text", "seat_insee_code": "code", "service": "text", "mode": "text", "n_poolers": "int",
    "poolers": "text?", "n_borrowers": "int", "borrowers": "text?", "workload": "float", "unit": "text", "fte": "float",
    **{c.column: MONEY for c in COST_CATEGORIES}, "lots": "int", "total_eur": MONEY, "borrower_payments_eur": MONEY,
    "poolers_eur": MONEY, "unit_cost_eur": "float?", "poolers_codes": "text?", "borrowers_codes": "text?",
}
EQUIPMENT_COLUMNS = {
    "pole": "code", "seat_insee_code": "code", "service": "text", "equipment": "text", "machine_days": "float",
    "units_needed": "int", "units_owned_by_members": "int", "reused": "int", "bought": "int", "surplus": "int",
    "capacity_days": "float", "utilisation": "float?", "peak_machine_days": "float", "peak_capacity_days": "float",
    "users": "text?",
}
SHARE_COLUMNS = {
    "member": "code", "name": "text", "service": "text", "choice": "text", "pole": "code?", "standalone_eur": MONEY,
    "pays_eur": MONEY, "saving_eur": MONEY, "key": "text", "forced": "bool", "shapley_eur": "float?",
    "shapley_se_eur": "float?", "pays_more_than_alone": "bool",
}
RVD_COLUMNS = {
    "pole": "code", "seat_insee_code": "code", "service": "text", "n_poolers": "int", "workload": "float", "unit": "text",
    "regie_eur": "float?", "regie_fte": "float?", "delegation_eur": MONEY, "delegation_lots": "int", "cheaper": "text",
    "chosen": "text", "allowed": "text", "difference_eur": "float?",
}
STATUS_QUO_COLUMNS = {
    "member": "code", "name": "text", "service": "text", "workload": "float", "unit": "text", "mode": "text", "fte": "float",
    "polyvalent_fte": "float", "staff_eur": MONEY, "contract_eur": MONEY, "equipment_units": "int", "equipment_eur": MONEY, "total_eur": MONEY,
    "estimated": "text?", "alone_option": "text", "alone_eur": MONEY,
}
CORE_COLUMNS = {
    "pole": "code", "seat_insee_code": "code", "service": "text", "group": "text", "group_codes": "text",
    "pays_now_eur": MONEY, "would_pay_alone_eur": MONEY, "gain_eur": MONEY, "gain_pct": "float", "check_complete": "bool",
}
MEMBER_COLUMNS = {"member": "code", "name": "text", "standalone_cost": MONEY, "share": MONEY, "saving": MONEY}
COMMUNE_COST_COLUMNS = {
    "services_pooled": "text?", "services_borrowed": "text?", "standalone_cost": MONEY, "share": MONEY, "saving": MONEY,
    "saving_pct": "float", "pays_more_than_alone": "bool", "estimated": "text?",
}


def close(a, b, rel: float = 1e-6, eur: float = TOLERANCE_EUR) -> bool:
    """Equal to the cent (money is written rounded to 2 decimals), or to ``rel`` relative."""
    a, b = float(a), float(b)
    return abs(a - b) <= max(eur, rel * max(abs(a), abs(b)))


def _codes(text) -> list[str]:
    return [c for c in str(text).split(";") if c] if isinstance(text, str) else []


def _names(text) -> list[str]:
    return [x.strip() for x in str(text).split(";") if x.strip()] if isinstance(text, str) else []


class Travel:
    """Minutes and km between a member and a seat, from the verifier's own travel (km from the
    engine's matrix only where the verifier cannot re-derive them: a road network)."""

    def __init__(self, design: Design, matrix):
        self.design, self.matrix, self.index = design, matrix, matrix.index()

    def minutes(self, i: str, seat: str) -> float:
        return self.design.time(i, seat)

    def km(self, i: str, seat: str) -> float:
        d = self.design.distance(i, seat)
        return d if d is not None else float(self.matrix.km[self.index[i], self.index[seat]])


def _copied_prices(prices: tuple[dict, dict, dict]) -> tuple[dict, dict, dict]:
    """A copy of the members' prices kept in the memo, as ``copy.deepcopy`` gives it, at a fraction
    of its cost (it walked ~7,000 objects per verification: a tenth of a service folder's checks).

    The structure is fixed: (member, service) → a tuple of floats (immutable: shared), and twice
    (member, service) → a flat dict of numbers and words (each dict copied; no dict is shared
    between entries, so there is no aliasing for deepcopy to preserve)."""
    alone, today, choice = prices
    return dict(alone), {k: dict(v) for k, v in today.items()}, {k: dict(v) for k, v in choice.items()}


class ServiceChecks:
    """Reads the service files of ``folder`` and runs every check into ``check(name, problems)``."""

    def __init__(self, folder: ResultFolder, design: Design, inputs, check):
        self.folder, self.d, self.check = folder, design, check
        self.si = inputs.services
        self.scenario = inputs.loaded.scenario
        self.travel = Travel(design, inputs.matrix)
        self.summary = design.summary
        self.key = self.scenario.fairness.key
        self.services = folder.table("services.csv", SERVICE_COLUMNS, "a result with services holds it")
        self.equipment = folder.table("equipment.csv", EQUIPMENT_COLUMNS, "a result with services holds it")
        self.shares = folder.table("shares.csv", SHARE_COLUMNS, "a result with services holds it")
        self.rvd = folder.table("regie_vs_delegation.csv", RVD_COLUMNS, "a result with services holds it")
        self.status_quo = folder.table("status_quo.csv", STATUS_QUO_COLUMNS, "a result with services holds it")
        self.core = folder.table("core.csv", CORE_COLUMNS, "a result with services holds it")
        self.members = folder.table("members.csv", MEMBER_COLUMNS, "a result with services holds it")
        self.commune_costs = folder.table("communes.csv", {**{s: "text" for s in self.si.services}, **COMMUNE_COST_COLUMNS},
                                          "a result with services has its cost columns")
        self.seat_of = dict(design.seat_of)
        if design.rules.service_commun is not None:
            self.seat_of[EPCI] = design.rules.service_commun.seat
        self.pole_id = {s: design.pole_of[s] for s in design.members}
        # prices that depend on the inputs alone, kept per inputs' content hash (.memo): the same
        # inputs verified again (a tampering matrix, a sweep) are not priced again
        self.memo = derived(folder.inputs_fingerprint())
        if "member prices" not in self.memo:
            self.memo["member prices"] = ({k: standalone(self.si, *k) for k in self.si.inventory.services},
                                          {k: as_is(self.si, *k) for k in self.si.inventory.services},
                                          {k: alone_option(self.si, *k) for k in self.si.inventory.services})
        # each member alone, today and reorganised alone: plain data, a copy each verification
        self.alone, self.today, self.alone_choice = _copied_prices(self.memo["member prices"])
        if not self.si.enabled:  # pooling disabled: every member keeps today's organisation
            self.alone = {k: (v["total"], v["machines"], v["staff"] + v["supplies"] + v["contract"]) for k, v in self.today.items()}

    def name(self, code: str) -> str:
        if not hasattr(self, "_names"):  # asked for thousands of times: looked up in the territory once each
            self._names = {}
        if code not in self._names:
            self._names[code] = (self.si.epci_name or "EPCI") if code == EPCI else self.d.territory.name_of(code)
        return self._names[code]

    def run(self) -> None:
        self.check("status quo costs", self.status_quo_problems())
        sources = self.si.inventory.sources
        self.check("agents counted once, kept whole", agent_problems(
            self.status_quo, sources[0] if sources else None, self.d.territory, list(self.si.catalogue.services), self.si.epci_name))
        self.check("pole service costs", self.pole_service_problems())
        self.check("staff and machines sized for the work", self.sizing_problems())
        self.check("who pools what, where", self.membership_problems())
        self.check("cost shares", self.share_problems())
        self.check("individual rationality", self.rationality_problems())
        self.check("régie or délégation", self.rvd_problems())
        self.check("core check (core.csv)", self.core_problems())
        self.check("what each member pays (members.csv, communes.csv)", self.member_problems())
        self.check("totals, savings and budget", self.total_problems())
        self.check("service figures of summary.json", self.summary_problems())
        self.check("one member is not pooling", self.single_member_problems())
        SavingsChecks(self).run()

    # ------------------------------------------------------------------------------ status quo
    def status_quo_problems(self) -> list[str]:
        out = []
        inv, cat = self.si.inventory, self.si.catalogue
        listed = [(r.member, r.service) for r in row_tuples(self.status_quo)]
        if sorted(listed) != sorted(inv.services):
            missing = sorted(set(inv.services) - set(listed))
            extra = sorted(set(listed) - set(inv.services))
            dupes = sorted({k for k in listed if listed.count(k) > 1})
            return [f"status_quo.csv rows differ from the inventory: missing {missing[:5]}, unknown {extra[:5]}, repeated {dupes[:5]}"]
        for r in row_tuples(self.status_quo):
            k = (r.member, r.service)
            row, spec = inv.services[k], cat.services[r.service]
            today = self.today[k]
            total, machines, staff, contract = today["total"], today["machines"], today["staff"], today["contract"]
            units = sum(inv.units.get((r.member, q), 0) for q in spec.equipment_days)
            estimated = sorted(list(row.estimated) + [f"{q}.units" for q in spec.equipment_days if (r.member, q) in inv.estimated_units])
            where = f"{r.member}/{r.service}"
            if not (close(r.staff_eur, staff) and close(r.equipment_eur, machines) and close(r.total_eur, total)
                    and close(r.contract_eur, contract)):
                out.append(f"{where}: status quo {r.total_eur} (staff {r.staff_eur}, contract {r.contract_eur}, machines "
                           f"{r.equipment_eur}) but recomputed {total:.2f} ({staff:.2f}, {contract:.2f}, {machines:.2f})")
            choice = self.alone_choice[k]
            if hasattr(r, "alone_eur") and not (close(r.alone_eur, choice["total"]) and r.alone_option == choice["option"]):
                out.append(f"{where}: reorganised alone {r.alone_option} at {r.alone_eur} but recomputed {choice['option']} at "
                           f"{choice['total']:.2f}")
            if not (math.isclose(r.workload, row.workload, abs_tol=6e-4, rel_tol=1e-6) and math.isclose(r.fte, row.fte, abs_tol=6e-4)
                    and r.mode == row.mode and r.equipment_units == units and r.unit == spec.unit and r.name == self.name(r.member)):
                out.append(f"{where}: {r.name}, workload {r.workload} {r.unit}, mode {r.mode}, FTE {r.fte}, {r.equipment_units} machines; "
                           f"the inventory says {self.name(r.member)}, {row.workload:.3f} {spec.unit}, {row.mode}, {row.fte:.3f}, {units}")
            if sorted(_codes(r.estimated)) != estimated:
                out.append(f"{where}: estimated {r.estimated!r}, the inventory estimated {';'.join(estimated)!r}")
        return out

    # ---------------------------------------------------------------------- pole services
    def pole_services(self) -> dict[tuple[str, str], PoleService]:
        """(seat, service) → the pole service as services.csv lists it, priced by the verifier."""
        if not hasattr(self, "_priced"):
            self._priced = {}
            for r in row_tuples(self.services):
                mode = None if r.mode == "lending only" else r.mode
                self._priced[(r.seat_insee_code, r.service)] = PoleService(
                    self.si, self.travel, r.seat_insee_code, r.service, tuple(_codes(r.poolers_codes)), tuple(_codes(r.borrowers_codes)), mode)
        return self._priced

    def pole_service_problems(self) -> list[str]:
        out = []
        seen = {}
        for r in row_tuples(self.services):
            where = f"pole {r.pole} {r.service}"
            key = (r.seat_insee_code, r.service)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == 2:
                out.append(f"{where}: listed more than once")
            if r.service not in self.si.catalogue.services or r.seat_insee_code not in self.d.index:
                out.append(f"{where}: unknown service or seat {r.seat_insee_code}")
                continue
            p = self.pole_services()[key]
            if r.mode not in ("regie", "delegation", "lending only") or (r.mode == "lending only") != (not p.poolers):
                out.append(f"{where}: mode {r.mode!r} with {len(p.poolers)} poolers")
                continue
            for c in COST_CATEGORIES:
                if not close(getattr(r, c.column), p.costs[c.column]):
                    out.append(f"{where}: {c.column} {getattr(r, c.column)} but recomputed {p.costs[c.column]:.2f}")
            for column, expected in (("total_eur", p.total), ("borrower_payments_eur", p.borrower_payments),
                                     ("poolers_eur", p.poolers_pay)):
                if not close(getattr(r, column), expected):
                    out.append(f"{where}: {column} {getattr(r, column)} but recomputed {expected:.2f}")
            workload = sum(p.workload(i) for i in p.poolers)
            unit_cost = p.poolers_pay / workload if workload > 0 else None
            if not math.isclose(r.fte, p.fte, abs_tol=1e-5, rel_tol=1e-6) or r.lots != p.lots:
                out.append(f"{where}: {r.fte} FTE, {r.lots} lots; recomputed {p.fte:.6f} FTE, {p.lots} lots")
            if not math.isclose(r.workload, workload, abs_tol=1e-5, rel_tol=1e-6):
                out.append(f"{where}: workload {r.workload} but its poolers hold {workload:.6f}")
            if (unit_cost is None) != math.isnan(r.unit_cost_eur) or (unit_cost is not None
                                                                     and not math.isclose(r.unit_cost_eur, unit_cost, abs_tol=1e-3, rel_tol=1e-6)):
                out.append(f"{where}: unit_cost_eur {r.unit_cost_eur} but recomputed {unit_cost}")
            if (r.n_poolers, r.n_borrowers) != (len(p.poolers), len(p.borrowers)) or _names(r.poolers) != [self.name(i) for i in p.poolers] \
                    or _names(r.borrowers) != [self.name(i) for i in p.borrowers]:
                out.append(f"{where}: {r.n_poolers} poolers ({r.poolers}), {r.n_borrowers} borrowers ({r.borrowers}) but the codes "
                           f"name {len(p.poolers)} and {len(p.borrowers)}: {'; '.join(self.name(i) for i in p.members)}")
            if r.pole != self.pole_id.get(r.seat_insee_code) or r.unit != p.spec.unit:
                out.append(f"{where}: pole {r.pole} / unit {r.unit}, but the pole seated at {r.seat_insee_code} is "
                           f"{self.pole_id.get(r.seat_insee_code)} and the unit {p.spec.unit}")
            if r.seat_insee_code in self.d.index and r.pole_name != self._pole_name(r.seat_insee_code):
                out.append(f"{where}: pole_name {r.pole_name!r}, communes.csv says {self._pole_name(r.seat_insee_code)!r}")
        return out

    def _pole_name(self, seat: str):
        """communes.csv's pole_name on the first row seated at ``seat`` (``None`` when none is)."""
        if not hasattr(self, "_pole_names"):  # one pass over communes.csv, not a filter per pole service
            self._pole_names = {}
            for s, name in zip(self.d.communes["seat_insee_code"], self.d.communes["pole_name"]):
                if isinstance(s, str):
                    self._pole_names.setdefault(s, name)
        return self._pole_names.get(seat)

    def sizing_problems(self) -> list[str]:
        out = []
        listed = {}
        cat = self.si.catalogue
        for e in row_tuples(self.equipment):
            listed.setdefault((e.seat_insee_code, e.service, e.equipment), []).append(e)
        for (seat, s), p in self.pole_services().items():
            if s not in cat.services:
                continue
            where = f"pole {self.pole_id.get(seat)} {s}"
            if p.regie and p.fte + 1e-9 < max(p.work_fte, p.spec.specialist_min_fte.value):
                out.append(f"{where}: {p.fte} FTE for {p.work_fte:.3f} FTE of work")
            for q in p.spec.equipment_days:
                rows = listed.pop((seat, s, q), [])
                if len(rows) != 1:
                    out.append(f"{where}: equipment.csv has {len(rows)} rows for {q}, expected 1")
                    continue
                e = rows[0]
                cap = cat.equipment[q].capacity_days.value
                units, days = p.units[q], p.machine_days[q]
                stock = sum(self.si.inventory.units.get((i, q), 0) for i in p.members)
                reused = min(units, stock)
                if e.units_needed * cap + 1e-6 < days:
                    out.append(f"{where} {q}: {e.units_needed} units for {days:.1f} days")
                machine = cat.equipment[q]
                peak, peak_days = peak_machine_days(cat, q, days), machine.peak_days.value
                if e.units_needed * peak_days + 1e-6 < peak:
                    out.append(f"{where} {q}: {e.units_needed} units for {peak:.1f} machine-days in the peak month of "
                               f"{peak_days:g} working days")
                peak_capacity = units * peak_days if machine.peak_share.value > 0 else 0.0
                if not (math.isclose(e.peak_machine_days, peak, abs_tol=6e-4, rel_tol=1e-6)
                        and math.isclose(e.peak_capacity_days, peak_capacity, abs_tol=0.06)):
                    out.append(f"{where} {q}: peak month {e.peak_machine_days} machine-days, capacity {e.peak_capacity_days}; "
                               f"recomputed {peak:.3f}, {peak_capacity:.1f}")
                expected = (units, stock, reused, units - reused, stock - reused)
                if (e.units_needed, e.units_owned_by_members, e.reused, e.bought, e.surplus) != expected:
                    out.append(f"{where} {q}: units {e.units_needed}, owned {e.units_owned_by_members}, reused {e.reused}, bought "
                               f"{e.bought}, surplus {e.surplus}; recomputed {', '.join(map(str, expected))}")
                use = days / (units * cap) if units else None
                if not math.isclose(e.machine_days, days, abs_tol=6e-4, rel_tol=1e-6) \
                        or not math.isclose(e.capacity_days, units * cap, abs_tol=0.06) \
                        or (use is None) != math.isnan(e.utilisation) or (use is not None and not math.isclose(e.utilisation, use, abs_tol=6e-5)):
                    out.append(f"{where} {q}: {e.machine_days} machine-days, capacity {e.capacity_days}, use {e.utilisation}; "
                               f"recomputed {days:.3f}, {units * cap:.1f}, {use}")
                if e.pole != self.pole_id.get(seat) or _names(e.users) != [self.name(i) for i in p.machine_users]:
                    out.append(f"{where} {q}: pole {e.pole}, users {e.users!r}; expected {self.pole_id.get(seat)}, "
                               f"{'; '.join(self.name(i) for i in p.machine_users)!r}")
        for (seat, s, q) in listed:
            out.append(f"equipment.csv lists {q} of {s} at {seat}, which no pole service of services.csv uses")
        return out

    def membership_problems(self) -> list[str]:
        out = []
        pooled, borrowed = self.pooled_and_borrowed()
        for (seat, s), p in self.pole_services().items():
            if s not in self.si.catalogue.services:
                continue
            for i in p.members:
                if (i, s) not in self.si.inventory.services:
                    out.append(f"{i} uses {s} of the pole seated at {seat} but is not a member")
                elif self.seat_of.get(i) != seat:
                    out.append(f"{i} uses {s} of the pole seated at {seat} but belongs to {self.seat_of.get(i)}")
            if p.mode is not None and p.mode not in self.si.modes[s]:
                out.append(f"{s} run in {p.mode} in pole {self.pole_id.get(seat)}, but the scenario allows {'/'.join(self.si.modes[s])}")
            for i in p.borrowers:
                if (i, s) in self.si.inventory.services and self.si.inventory.services[(i, s)].mode != "regie":
                    out.append(f"{i} borrows machines for {s} but does not run it in régie")
        for k in set(pooled) & set(borrowed):
            out.append(f"{k[0]} both pools and borrows {k[1]}")
        for k, seats in {**pooled, **borrowed}.items():
            if len(seats) > 1:
                out.append(f"{k[0]} uses {k[1]} in {len(seats)} poles")
        for (i, s), value in self.si.forced.items():
            if value and (i, s) not in pooled and self.si.inventory.services[(i, s)].workload > 0:
                out.append(f"{i} must pool {s} but does not")
            if value is False and ((i, s) in pooled or (i, s) in borrowed):
                out.append(f"{i} must not pool {s} but does")
        if not self.si.enabled and self.pole_services():
            out.append("pooling is disabled, yet services.csv lists pole services")
        return out

    def pooled_and_borrowed(self):
        pooled, borrowed = {}, {}
        for (seat, s), p in self.pole_services().items():
            for i in p.poolers:
                pooled.setdefault((i, s), []).append(seat)
            for i in p.borrowers:
                borrowed.setdefault((i, s), []).append(seat)
        return pooled, borrowed

    # ----------------------------------------------------------------------------- shares
    def expected_shares(self) -> dict[tuple[str, str], dict]:
        """(member, service) → choice, pole, standalone, what it pays (by the scenario's key)."""
        if hasattr(self, "_expected"):
            return self._expected
        pooled, borrowed = self.pooled_and_borrowed()
        reported = {(r.member, r.service): r.pays_eur for r in row_tuples(self.shares)}
        shapley = self.shapley_values() if self.key == "shapley" else {}
        population = {c: int(p) for c, p in self.d.population.items()}
        out = {}
        for (i, s), _row in self.si.inventory.services.items():
            total, machines, keep = self.alone[(i, s)]
            entry = {"standalone": total, "forced": self.si.forced.get((i, s)) is True}
            if (i, s) in pooled:
                p = self.pole_services()[(pooled[(i, s)][0], s)]
                if self.key == "shapley":
                    pays = shapley.get((i, s), reported.get((i, s), math.nan))
                else:
                    weights = {k: float(population.get(k, 0)) if self.key == "population" else p.workload(k) for k in p.poolers}
                    pays = p.poolers_pay * weights[i] / sum(weights.values()) if sum(weights.values()) > 0 else p.poolers_pay / len(p.poolers)
                entry.update(choice=f"pooled-{p.mode}" if len(p.members) >= 2 else f"alone-{p.mode}", seat=p.seat, pays=pays)
            elif (i, s) in borrowed:
                p = self.pole_services()[(borrowed[(i, s)][0], s)]
                if p.poolers:
                    pays = borrower_pays(p, i) + keep
                else:
                    work = {k: p.workload(k) for k in p.borrowers}
                    pays = (p.total * work[i] / sum(work.values()) if sum(work.values()) > 0 else p.total / len(p.borrowers)) + keep
                entry.update(choice="borrows-machines", seat=p.seat, pays=pays)
            else:
                choice = self.alone_choice[(i, s)] if self.si.enabled else self.today[(i, s)]
                entry.update(choice=f"kept-{choice['mode']}" if choice["option"] == "as-is" else f"alone-{choice['mode']}", seat=None,
                             pays=total)
            out[(i, s)] = entry
        self._expected = out
        return out

    def shapley_values(self) -> dict[tuple[str, str], float]:
        """Exact Shapley values of the poolers of each pole service with at most the scenario's
        exact limit of poolers: c(S) is the cheaper allowed mode for S at the seat, the same
        borrowers paying their price (what is left to the poolers)."""
        limit = self.scenario.fairness.exact_shapley_max_members
        out = {}
        for (seat, s), p in self.pole_services().items():
            players = list(p.poolers)
            n = len(players)
            if not players or n > limit or s not in self.si.catalogue.services:
                continue
            cost = {(): 0.0}
            for k in range(1, n + 1):
                for group in itertools.combinations(players, k):
                    cost[group] = self.coalition_cost(seat, s, group, p.borrowers)
            weights = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
            for i in players:
                others = [q for q in players if q != i]
                value = 0.0
                for k in range(n):
                    for group in itertools.combinations(others, k):
                        value += weights[k] * (cost[tuple(q for q in players if q in group or q == i)] - cost[group])
                out[(i, s)] = value
        return out

    def coalition_cost(self, seat, s, group, borrowers=()) -> float:
        """What ``group`` pays running ``s`` at ``seat`` in its cheaper allowed mode."""
        known = self.memo.setdefault("coalition_cost", {})
        key = (seat, s, tuple(group), tuple(borrowers))
        if key not in known:
            known[key] = self._coalition_cost(seat, s, group, borrowers)
        return known[key]

    def _coalition_cost(self, seat, s, group, borrowers=()) -> float:
        return min(PoleService(self.si, self.travel, seat, s, tuple(group), tuple(borrowers), m).poolers_pay for m in self.si.modes[s])

    def share_problems(self) -> list[str]:
        out = []
        expected = self.expected_shares()
        listed = [(r.member, r.service) for r in row_tuples(self.shares)]
        if sorted(listed) != sorted(expected):
            return [f"shares.csv rows differ from the members × services: missing {sorted(set(expected) - set(listed))[:5]}, "
                    f"unknown {sorted(set(listed) - set(expected))[:5]}"]
        for r in row_tuples(self.shares):
            e = expected[(r.member, r.service)]
            where = f"{r.member}/{r.service}"
            if not close(r.pays_eur, e["pays"]):
                out.append(f"{where}: pays {r.pays_eur} but the {self.key} key gives {e['pays']:.2f}")
            if not close(r.standalone_eur, e["standalone"]):
                out.append(f"{where}: standalone {r.standalone_eur} but recomputed {e['standalone']:.2f}")
            if not close(r.saving_eur, e["standalone"] - e["pays"]):
                out.append(f"{where}: saving {r.saving_eur} but standalone − pays is {e['standalone'] - e['pays']:.2f}")
            if r.choice != e["choice"] or r.pole != (self.pole_id.get(e["seat"]) if e["seat"] else None):
                out.append(f"{where}: choice {r.choice} in pole {r.pole}; services.csv gives {e['choice']} in "
                           f"{self.pole_id.get(e['seat']) if e['seat'] else 'no pole'}")
            more = e["pays"] > e["standalone"] + PAYS_MORE_EUR
            if r.forced != e["forced"] or r.pays_more_than_alone != more or r.key != self.key or r.name != self.name(r.member):
                out.append(f"{where}: {r.name}, forced {r.forced}, pays_more_than_alone {r.pays_more_than_alone}, key {r.key}; "
                           f"expected {self.name(r.member)}, {e['forced']}, {more}, {self.key}")
            if self.key == "shapley" and e["choice"].startswith("pooled") and not close(r.shapley_eur, r.pays_eur):
                out.append(f"{where}: shapley_eur {r.shapley_eur} but pays {r.pays_eur} under the Shapley key")
        if self.key == "shapley":
            for (seat, s), p in self.pole_services().items():
                if p.poolers:
                    paid = self.shares[(self.shares["service"] == s) & self.shares["member"].isin(p.poolers)]["pays_eur"].sum()
                    if not close(paid, p.poolers_pay, rel=1e-4):
                        out.append(f"Shapley shares of {s} at {seat} sum to {paid:.2f}, the pole costs {p.poolers_pay:.2f}")
        return out

    def rationality_problems(self) -> list[str]:
        out = []
        if not self.si.individual_rationality or self.key == "shapley":
            return out
        for (i, s), e in self.expected_shares().items():
            if e["seat"] is not None and not e["forced"] \
                    and e["pays"] > e["standalone"] + PAYS_MORE_EUR:
                out.append(f"{i} pays {e['pays']:.2f} for {s} ({e['choice']}), {e['standalone']:.2f} alone")
        return out

    # ---------------------------------------------------------------- régie or délégation
    def rvd_problems(self) -> list[str]:
        out = []
        expected = {k: p for k, p in self.pole_services().items() if p.poolers and k[1] in self.si.catalogue.services}
        listed = [(r.seat_insee_code, r.service) for r in row_tuples(self.rvd)]
        if sorted(listed) != sorted(expected):
            return [f"regie_vs_delegation.csv lists {len(listed)} pooled services, services.csv has {len(expected)} "
                    f"(missing {sorted(set(expected) - set(listed))[:5]}, unknown {sorted(set(listed) - set(expected))[:5]})"]
        for r in row_tuples(self.rvd):
            p = expected[(r.seat_insee_code, r.service)]
            deleg = PoleService(self.si, self.travel, p.seat, p.service, p.poolers, p.borrowers, "delegation")
            where = f"pole {r.pole} {r.service}"
            workload = sum(p.workload(i) for i in p.poolers)
            if "regie" not in p.spec.modes:  # works: contracted in every option, no régie price
                if not (math.isnan(r.regie_eur) and math.isnan(r.difference_eur) and close(r.delegation_eur, deleg.total)) \
                        or r.cheaper != "delegation" or r.chosen != p.mode:
                    out.append(f"{where}: a service never run in régie must show délégation only, at {deleg.total:.2f}")
                continue
            regie = PoleService(self.si, self.travel, p.seat, p.service, p.poolers, p.borrowers, "regie")
            for column, value, want in (("regie_eur", r.regie_eur, regie.total), ("delegation_eur", r.delegation_eur, deleg.total),
                                        ("difference_eur", r.difference_eur, deleg.total - regie.total)):
                if not close(value, want):
                    out.append(f"{where}: {column} {value} but recomputed {want:.2f}")
            cheaper = "regie" if regie.total <= deleg.total else "delegation"
            if not math.isclose(r.regie_fte, regie.fte, abs_tol=6e-4) or r.delegation_lots != deleg.lots \
                    or not math.isclose(r.workload, workload, abs_tol=6e-4, rel_tol=1e-6) or r.n_poolers != len(p.poolers):
                out.append(f"{where}: régie {r.regie_fte} FTE, délégation {r.delegation_lots} lots, workload {r.workload}, "
                           f"{r.n_poolers} poolers; recomputed {regie.fte:.3f}, {deleg.lots}, {workload:.3f}, {len(p.poolers)}")
            if (r.cheaper != cheaper and not close(regie.total, deleg.total)) or r.chosen != p.mode \
                    or r.allowed != "/".join(self.si.modes[p.service]) or r.pole != self.pole_id.get(p.seat) or r.unit != p.spec.unit:
                out.append(f"{where}: cheaper {r.cheaper}, chosen {r.chosen}, allowed {r.allowed}; expected {cheaper}, {p.mode} "
                           f"(services.csv), {'/'.join(self.si.modes[p.service])}")
        return out

    # --------------------------------------------------------------------------- core.csv
    def core_problems(self) -> list[str]:
        out = []
        expected = self.expected_shares()
        limit = self.scenario.fairness.exact_shapley_max_members
        listed = set()
        for r in row_tuples(self.core):
            where = f"pole {r.pole} {r.service} group {r.group}"
            p = self.pole_services().get((r.seat_insee_code, r.service))
            group = tuple(_codes(r.group_codes))
            if p is None or not group or not set(group) < set(p.poolers):
                out.append(f"{where}: not a proper group of the poolers of a pole service of services.csv")
                continue
            listed.add((p.seat, p.service, frozenset(group)))
            pays = sum(expected[(i, p.service)]["pays"] for i in group)
            alone = self.group_alone(p, group)
            if not (close(r.pays_now_eur, pays) and close(r.would_pay_alone_eur, alone) and close(r.gain_eur, pays - alone)):
                out.append(f"{where}: pays {r.pays_now_eur}, alone {r.would_pay_alone_eur}; recomputed {pays:.2f}, {alone:.2f}")
            elif pays <= alone + PAYS_MORE_EUR:
                out.append(f"{where}: listed as blocking, but it pays {pays:.2f} together and {alone:.2f} on its own")
            if r.check_complete != (len(p.poolers) <= limit) or _names(r.group) != [self.name(i) for i in group] \
                    or r.pole != self.pole_id.get(p.seat) or not math.isclose(r.gain_pct, (pays - alone) / pays if pays > 0 else 0.0, abs_tol=1e-5):
                out.append(f"{where}: names, pole, gain_pct or check_complete do not match the group")
        for (seat, s), p in self.pole_services().items():
            n = len(p.poolers)
            if n < 2 or n > min(limit, CORE_ENUMERATION_MAX) or s not in self.si.catalogue.services:
                continue
            for k in range(1, n):
                for group in itertools.combinations(p.poolers, k):
                    pays = sum(expected[(i, s)]["pays"] for i in group)
                    alone = self.group_alone(p, group)
                    if pays > alone + PAYS_MORE_EUR + TOLERANCE_EUR * len(group) and (seat, s, frozenset(group)) not in listed:
                        out.append(f"{'; '.join(self.name(i) for i in group)} pay {pays:.2f} for {s} in pole "
                                   f"{self.pole_id.get(seat)}, {alone:.2f} on their own, but core.csv does not list them")
        return out

    def group_alone(self, p: PoleService, group) -> float:
        """The cheaper of each member alone and the group pooling by itself (at the pole's seat or
        one of its own communes, in its cheaper allowed mode)."""
        known = self.memo.setdefault("group_alone", {})
        key = (p.seat, p.service, tuple(group))
        if key not in known:
            known[key] = self._group_alone(p, group)
        return known[key]

    def _group_alone(self, p: PoleService, group) -> float:
        each = sum(self.alone[(i, p.service)][0] for i in group)
        if len(group) == 1:
            return each
        seats = [p.seat] + [g for g in group if g != EPCI and g != p.seat]
        together = min(min(PoleService(self.si, self.travel, seat, p.service, tuple(group), (), m).total for m in self.si.modes[p.service])
                       for seat in seats)
        return min(each, together)

    # ----------------------------------------------------------------- per-member totals
    def member_totals(self) -> dict[str, tuple[float, float]]:
        """member → (standalone, pays) over its services."""
        out = {}
        for (i, _service), e in self.expected_shares().items():
            alone, pays = out.get(i, (0.0, 0.0))
            out[i] = (alone + e["standalone"], pays + e["pays"])
        return out

    def member_problems(self) -> list[str]:
        out = []
        totals = self.member_totals()
        listed = list(self.members["member"])
        if sorted(listed) != sorted(totals):
            out.append(f"members.csv lists {len(listed)} members, the inventory {len(totals)} "
                       f"(missing {sorted(set(totals) - set(listed))[:5]}, unknown {sorted(set(listed) - set(totals))[:5]})")
        for r in row_tuples(self.members):
            if r.member not in totals:
                continue
            alone, pays = totals[r.member]
            if not (close(r.standalone_cost, alone) and close(r.share, pays) and close(r.saving, alone - pays)) or r.name != self.name(r.member):
                out.append(f"members.csv {r.member}: {r.name} alone {r.standalone_cost}, pays {r.share}, saves {r.saving}; "
                           f"recomputed {self.name(r.member)} {alone:.2f}, {pays:.2f}, {alone - pays:.2f}")
        expected = self.expected_shares()
        for r in row_tuples(self.commune_costs, index=False):
            c = r.insee_code
            if c not in totals:
                continue
            alone, pays = totals[c]
            pct = (alone - pays) / alone if alone > 0 else 0.0
            if not (close(r.standalone_cost, alone) and close(r.share, pays) and close(r.saving, alone - pays)
                    and math.isclose(r.saving_pct, pct, abs_tol=1e-5)) or r.pays_more_than_alone != (pays > alone + PAYS_MORE_EUR):
                out.append(f"communes.csv {self.d.territory.label(c)}: alone {r.standalone_cost}, pays {r.share}, saves {r.saving} "
                           f"({r.saving_pct}); recomputed {alone:.2f}, {pays:.2f}, {alone - pays:.2f} ({pct:.6f})")
            choices = {s: getattr(r, s) for s in self.si.services}
            want = {s: expected[(c, s)]["choice"] for s in self.si.services}
            if choices != want:
                wrong = [f"{s} {choices[s]} (expected {want[s]})" for s in self.si.services if choices[s] != want[s]]
                out.append(f"communes.csv {self.d.territory.label(c)}: {', '.join(wrong)}")
            pooled = [s for s in self.si.services if want[s].startswith("pooled")]
            borrowed = [s for s in self.si.services if want[s] == "borrows-machines"]
            if _names(r.services_pooled) != pooled or _names(r.services_borrowed) != borrowed:
                out.append(f"communes.csv {self.d.territory.label(c)}: services_pooled {r.services_pooled!r}, services_borrowed "
                           f"{r.services_borrowed!r}; expected {'; '.join(pooled)!r}, {'; '.join(borrowed)!r}")
            if sorted(_codes(r.estimated)) != self.si.inventory.estimated_fields(c):
                out.append(f"communes.csv {self.d.territory.label(c)}: estimated {r.estimated!r} differs from the inventory's estimates")
        return out

    # ------------------------------------------------------------------- totals, summary
    def totals(self) -> tuple[float, float]:
        """(status quo, the design's total), €/yr: kept services alone, borrowers' staff and
        contracts, and every pole service."""
        expected = self.expected_shares()
        status_quo = sum(v["total"] for v in self.today.values())
        kept = sum(self.alone[k][0] for k, e in expected.items() if e["seat"] is None)
        kept += sum(self.alone[k][2] for k, e in expected.items() if e["choice"] == "borrows-machines")
        return status_quo, kept + sum(p.total for p in self.pole_services().values())

    def total_problems(self) -> list[str]:
        out = []
        status_quo, total = self.totals()
        paid = sum(e["pays"] for e in self.expected_shares().values())
        s = self.summary
        for label, value, expected in (("total_cost", s["total_cost"], total), ("sum of what members pay", paid, total),
                                       ("status_quo_cost", s["status_quo_cost"], status_quo),
                                       ("savings", s["savings"], status_quo - total)):
            if not close(value, expected, rel=1e-6):
                out.append(f"{label} {value:.2f} but recomputed {expected:.2f}")
        pct = (status_quo - total) / status_quo if status_quo > 0 else 0.0
        if not math.isclose(s["savings_pct"], pct, abs_tol=1e-5):
            out.append(f"savings_pct {s['savings_pct']} but recomputed {pct:.6f}")
        weight = self.scenario.objective.travel_weight_eur
        travel_eur = weight * self.person_travel()
        if s.get("objective") is not None and not close(s["objective"] * 1000, total + travel_eur, rel=1e-6):
            out.append(f"objective {s['objective']:.4f} k€ but costs and priced travel add up to {(total + travel_eur) / 1000:.4f} k€")
        si = self.si
        if si.budget_max_eur is not None and total > si.budget_max_eur + 1.0:
            out.append(f"total {total:.0f} € above the budget cap {si.budget_max_eur:.0f} €")
        if si.min_savings_eur is not None and status_quo - total < si.min_savings_eur - 1.0:
            out.append(f"saving {status_quo - total:.0f} € below the minimum {si.min_savings_eur:.0f} €")
        if si.min_savings_pct is not None and total > status_quo * (1 - si.min_savings_pct) + 1.0:
            out.append(f"saving below the minimum share {si.min_savings_pct:.1%}")
        return out

    def single_member_problems(self) -> list[str]:
        """A pole service with one user is that member reorganising alone: never called pooled,
        and only where a member is forced in (the model asks two users of every other)."""
        out = []
        for (seat, s), p in self.pole_services().items():
            if len(p.members) < 2 and not any(self.si.forced.get((i, s)) is True for i in p.members):
                out.append(f"pole {self.pole_id.get(seat)} {s} has one member ({'; '.join(self.name(i) for i in p.members)}), "
                           "who nobody forced in: that is reorganising alone, not pooling")
        for r in row_tuples(self.shares):
            p = self.pole_services().get((self.seat_of.get(r.member), r.service))
            if r.choice.startswith("pooled") and (p is None or len(p.members) < 2):
                out.append(f"{r.member}/{r.service} is called pooled without a second member")
        return out

    def person_travel(self) -> float:
        """Population-weighted travel to the seats (person-minutes or person-km)."""
        d = self.d
        total = 0.0
        for c in d.territory.codes:
            s = d.seat_of[c]
            if s is not None and c != s:
                total += float(d.population[c]) * (self.travel.minutes(c, s) if d.rules.travel_metric == "time" else self.travel.km(c, s))
        return total

    def summary_problems(self) -> list[str]:
        s = self.summary
        pooled, borrowed = self.pooled_and_borrowed()
        expected = self.expected_shares()
        voluntary = sum(1 for e in expected.values() if not e["forced"] and e["pays"] > e["standalone"] + PAYS_MORE_EUR)
        forced = sum(1 for e in expected.values() if e["forced"] and e["pays"] > e["standalone"] + PAYS_MORE_EUR)
        gains = list(self.core["gain_eur"])
        counts = {
            "services_pooled": sum(1 for e in expected.values() if e["choice"].startswith("pooled")),
            "services_borrowed": len(borrowed), "pole_services": len(self.services),
            "single_member_pole_services": sum(1 for p in self.pole_services().values() if len(p.members) < 2),
            "fairness_key": self.key if len(self.shares) else None,
            "voluntary_members_paying_more": voluntary, "forced_members_paying_more": forced,
            "blocking_coalitions": len(self.core),
            "blocking_coalitions_material": int(sum(1 for g in self.core["gain_pct"] if g >= MATERIAL_GAIN)),
            "core_check_complete": bool(self.core["check_complete"].all()) if len(self.core) else None,
            "estimated_fields": int(sum(1 for v in self.status_quo["estimated"] if isinstance(v, str) and v)),
        }
        out = [f"{k} {s.get(k)!r} but the tables give {v!r}" for k, v in counts.items() if s.get(k) != v]
        status_quo, total = self.totals()
        alone = sum(v["total"] for v in self.alone_choice.values())
        expected_values = [("alone_cost", alone), ("savings_alone", status_quo - alone)]
        if self.si.enabled:
            expected_values.append(("savings_pooling", alone - total))
        elif s.get("savings_pooling") is not None:
            out.append(f"savings_pooling {s['savings_pooling']} but pooling is disabled")
        for key, want in expected_values:
            if not close(s.get(key, math.nan), want, rel=1e-6):
                out.append(f"{key} {s.get(key)} but recomputed {want:.2f}")
        largest = max(gains) if gains else 0.0
        if not close(s["largest_blocking_gain_eur"], largest):
            out.append(f"largest_blocking_gain_eur {s['largest_blocking_gain_eur']} but core.csv's largest gain is {largest}")
        return out
