"""Checks of ``savings_by_source.csv``: the parts add up to the saving, and the parts the
verifier can price on its own (tax basis, joint purchasing, coordination and set-up, travel and
transfers, régime indemnitaire) are recomputed from the folder's files with its own rates
(:mod:`.rates`, :mod:`.pricing`), HT where the decomposition says so."""

from __future__ import annotations

from types import SimpleNamespace

from ..results.records import row_tuples
from .pricing import PoleService
from .rates import alone, fte_rate, status_quo

#: The parts must add up to the saving within this (€/yr): 0.1 k€.
SUM_TOLERANCE_EUR = 100.0
COLUMNS = {"stage": "text", "source": "text", "saving_eur": "float", "share_of_saving": "float?"}


class SavingsChecks:
    """Run on a :class:`.services.ServiceChecks` (its tables, prices and expected choices)."""

    def __init__(self, checks):
        self.c = checks

    def run(self) -> None:
        c = self.c
        table = c.folder.table("savings_by_source.csv", COLUMNS, "a result with services holds it")
        c.check("savings by source add up", self.sum_problems(table))
        c.check("savings by source recomputed", self.part_problems(table))

    def sum_problems(self, table) -> list[str]:
        parts = table[table["stage"] != "total"]["saving_eur"].sum()
        saving = self.c.summary["savings"]
        if abs(parts - saving) > SUM_TOLERANCE_EUR:
            return [f"the parts of savings_by_source.csv add up to {parts:,.2f} €, the saving is {saving:,.2f} €"]
        return []

    def _ht(self):
        si = self.c.si
        return SimpleNamespace(catalogue=si.catalogue.with_basis("ht"), terms=si.terms, inventory=si.inventory, econ=si.econ,
                               modes=si.modes)

    def part_problems(self, table) -> list[str]:
        c, si = self.c, self.c.si
        got = {(r.stage, r.source): r.saving_eur for r in row_tuples(table)}
        if not si.enabled:  # the status quo itself: nothing saved, by any source
            return [f"{stage}: {source} is {value:,.2f} €, but pooling is disabled" for (stage, source), value in got.items()
                    if abs(value) > 0.005]
        ht = self._ht()
        expected = c.expected_shares()
        status_quo_ht = sum(status_quo(ht, i, s)["total"] for (i, s) in si.inventory.services)
        design_ht = 0.0
        want = {("pooling", "joint purchasing"): 0.0, ("pooling", "coordination and set-up"): 0.0,
                ("pooling", "travel and transfers"): 0.0, ("pooling", "régime indemnitaire harmonisation"): 0.0}
        for (i, s), e in expected.items():
            if e["seat"] is None or e["choice"] == "borrows-machines":
                a = alone(ht, i, s, option=c.alone_choice[(i, s)]["option"])
                design_ht += a["total"] if e["seat"] is None else a["staff"] + a["supplies"] + a["contract"]
        for (seat, s), p in c.pole_services().items():
            q = PoleService(ht, c.travel, seat, s, p.poolers, p.borrowers, p.mode)
            design_ht += q.total
            costs = q.costs
            want[("pooling", "coordination and set-up")] -= costs["coordination_eur"] + costs["lots_eur"]
            want[("pooling", "régime indemnitaire harmonisation")] -= costs["ri_harmonisation_eur"]
            travel = costs["vehicle_eur"] + costs["transfer_eur"]
            if q.regie:
                kept_on = max(q.spec.specialist_min_fte.value, sum(q.workload(i) / q.spec.productivity.value for i in q.poolers),
                              q.retained_fte)
                travel += (q.fte - kept_on) * fte_rate(ht.catalogue, s)
            want[("pooling", "travel and transfers")] -= travel
            if q.delegation:
                want[("pooling", "joint purchasing")] += si.terms.joint_saving.value * sum(
                    q.workload(i) * q.spec.delegated_price.value for i in q.poolers)
        want[("both", "tax basis")] = c.summary["savings"] - (status_quo_ht - design_ht)
        out = []
        for key, value in want.items():
            if key not in got:
                out.append(f"savings_by_source.csv has no row {key[0]}: {key[1]}")
            elif abs(got[key] - value) > max(1.0, 1e-6 * abs(value)):
                out.append(f"{key[0]}: {key[1]} is {got[key]:,.2f} € but recomputed {value:,.2f} €")
        return out
