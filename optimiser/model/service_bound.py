r"""A lower bound on the total cost of any design, from each member and service on its own.

It needs no solve, so a run always has a proven bound even when the MILP's root relaxation does
not finish in time (large EPCIs). It relaxes the service model (:mod:`.services`) by keeping only
inequalities that hold in its LP relaxation:

* staff :math:`F_{js} \ge \max(F^{spec}_s, T)` with :math:`T = \sum_i zr_{ijs}\,\text{fte}_{ijs}
  \le T^{max}_{js}` (every member that may join *j*), hence
  :math:`F_{js} \ge T \max(1, F^{spec}_s / T^{max}_{js})`: each régie pooler bears at least its
  FTE times that factor;
* machines :math:`U_{jsq} \ge \max(1, D / K^{eff}_q)` (the capacity with the season's peak,
  :mod:`.season`) for :math:`D = \sum_i (zr + bb)_{ijs}\, w_{is}
  n_{qs} \le D^{max}_{jsq}`, hence :math:`U_{jsq} \ge D \max(1/K^{eff}_q, 1/D^{max}_{jsq})`
  (these two hold for every design, not for the LP relaxation);
* lots :math:`\bar L L_{js} \ge \sum_i zd_{ijs}\, c^{del}_{is}`,
* coordination: a pole service with :math:`N_j` possible users pays :math:`f \ge f \sum_i
  \text{use}_{ijs} / N_j` (as :math:`\text{use}_{ijs} \le a_{js}`),

so each pole's cost is at least the sum of its users' linear costs, and each member pools or
borrows a service in at most one pole. The total is therefore at least

.. math:: \sum_{i,s} \min\Big(\text{standalone}_{is},\; \min_j \text{pool}_{ijs},\;
   \text{standalone}_{is} - \text{equip}_{is} + \min_j \text{borrow}_{ijs}\Big)

(priced travel, being non-negative, is dropped).

**Pole capacities** (``caps``, :func:`seat_capacities`). A pole seated at *j* holds at most
:math:`n_j` members and its other members at most :math:`R_j` inhabitants: the population cap
(``rules.population_max``) and the seat share (:math:`\sigma \sum_{i \ne j} p_i \le (1-\sigma)
p_j`) bound :math:`R_j`, and :math:`n_j` is the most members fitting in :math:`R_j` (the smallest
populations first: exact for one knapsack row) and ``rules.communes_max``. The "whole reach" of
the three terms above may then be replaced by any upper bound over the poles *j* can hold:
:math:`N_j \to \min(N_j, n_j)` users, and :math:`T^{max}_{js}`, :math:`D^{max}_{jsq}` by the
seat's own term plus the fractional knapsack of the others' terms within :math:`R_j` (the LP
optimum, above every integer choice), capped by the :math:`n_j - 1` largest of them. Each
inequality used still holds for every design (the LP relaxation no longer: its fractional
:math:`x` spread a pole over more than :math:`n_j` members). On the CC du Pays Rethélois the
cheapest seat of most members is a village (pop. 300–500, seat share 10 %) whose reach holds
14,000 inhabitants: its pole holds at most 3,000–5,000.

It ignores fairness, pole sizes and the
rounding of staff and machines, so it is loose (a few per cent of the bill): it stands in only
when the MILP has proven nothing better. **It mirrors the cost terms of**
:func:`optimiser.model.services.add_cost_expressions`: a change there must be reflected here
(the test comparing it with the LP relaxation fails otherwise).
"""

from __future__ import annotations

import dataclasses

from ..inputs.service_inputs import ServiceInputs
from ..services.economics import EPCI
from .services import K


@dataclasses.dataclass(frozen=True)
class SeatCapacity:
    """What one pole seated at a seat can hold (module docstring, "Pole capacities"): at most
    ``count`` members (the seat included) and ``room`` inhabitants besides the seat's;
    ``population`` of every commune (the knapsack weights)."""

    count: int
    room: float
    population: dict[str, float]

    def most(self, seat: str, terms: dict[str, float]) -> float:
        """An upper bound on the sum of ``terms`` (each ≥ 0, by member) over any pole the seat
        can hold: the seat's own term plus the fractional knapsack of the others' within
        ``room``, at most the ``count`` − 1 largest of them."""
        others = [(k, v) for k, v in terms.items() if k != seat and v > 0]
        largest = sum(sorted((v for _, v in others), reverse=True)[:max(0, self.count - 1)])
        left, knapsack = self.room, 0.0
        for k, v in sorted(others, key=lambda kv: -kv[1] / max(self.population.get(kv[0], 0.0), 1e-12)):
            weight = self.population.get(k, 0.0)
            if weight <= left:
                left -= weight
                knapsack += v
            else:
                knapsack += v * max(0.0, left) / weight
                break
        return terms.get(seat, 0.0) + min(largest, knapsack)


def seat_capacities(inputs, members_of: dict[str, tuple[str, ...]]) -> dict[str, SeatCapacity]:
    """Seat → its :class:`SeatCapacity` under ``inputs.rules`` (module docstring): the
    population cap and the seat share (unless the seat is exempt) bound the others'
    inhabitants, ``communes_max`` and that bound the members. The service commun's seat has
    none (its pole has no size or seat-share rule)."""
    rules = inputs.rules
    population = {c: float(p) for c, p in inputs.territory.communes["population"].items()}
    sc = rules.service_commun
    exempt = set(rules.seat_share_exempt)
    out = {}
    for j, reach in members_of.items():
        if sc is not None and j == sc.seat:
            continue
        p_j = population.get(j, 0.0)
        room = float("inf") if rules.population_max is None else rules.population_max - p_j
        if rules.seat_share > 0 and j not in exempt:
            room = min(room, (1.0 - rules.seat_share) * p_j / rules.seat_share)
        room = max(0.0, room) * (1 + 1e-12) + 1e-9  # a hair above: rounding never cuts a pole the rules allow
        count, left = 1, room
        for p in sorted(population.get(i, 0.0) for i in reach if i != j):
            if p > left:
                break
            left -= p
            count += 1
        if rules.communes_max is not None:
            count = min(count, rules.communes_max)
        out[j] = SeatCapacity(count, room, population)
    return out


def member_service_bound_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                              members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None,
                              caps: dict[str, SeatCapacity] | None = None) -> float:
    """The bound above in k€/yr; ``seats_of``/``members_of`` are the candidate pairs (the EPCI of
    a service commun may only join ``sc_seat``); ``caps`` (:func:`seat_capacities`) tightens it."""
    if not si.enabled:
        return si.status_quo_eur / K
    standalone = sum(c.total_eur for c in si.standalone.values()) / K
    return standalone - sum(member_savings_keur(si, seats_of, members_of, sc_seat, caps).values())


def member_service_bounds_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                               members_of: dict[str, tuple[str, ...]], sc_seat: str | None,
                               caps: dict[str, SeatCapacity] | None,
                               restrictions: list[dict[str, tuple[str, ...]]]) -> list[float]:
    """:func:`member_service_bound_keur` of ``si`` with each of ``restrictions`` as its modes
    (service → the modes a pooled service may take; the scenario's own, or fewer: its régie-only
    and délégation-only runs), in one pass — each option's price is the same whatever the modes,
    only the minimum is taken over fewer of them (three bounds for about the time of 1.5)."""
    if not si.enabled:
        return [si.status_quo_eur / K] * len(restrictions)
    standalone = sum(c.total_eur for c in si.standalone.values()) / K
    saved = [0.0] * len(restrictions)
    most: dict = {}
    for i in si.members:
        for s in si.services:
            alone = si.standalone[(i, s)].total_eur
            cheapest = _cheapest_by_seat(si, i, s, seats_of, members_of, sc_seat, caps, most,
                                         [modes[s] for modes in restrictions])
            for k, by_seat in enumerate(cheapest):
                saved[k] += alone - min([alone, *by_seat.values()])
    return [standalone - total / K for total in saved]


def member_savings_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                        members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None,
                        caps: dict[str, SeatCapacity] | None = None) -> dict[str, float]:
    """Each member's term of the bound above as a saving (k€/yr, ≥ 0): Σ over its services of
    standalone − its cheapest option; the bound is Σ standalone − Σ savings. Any pole *M* thus
    changes the cost by at least −Σ_{i∈M} saving_i (the start of :mod:`optimiser.design.lagrangian`)."""
    return member_savings_both_keur(si, seats_of, members_of, sc_seat, caps)[0]


def member_savings_by_seat_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                                members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None,
                                caps: dict[str, SeatCapacity] | None = None) -> dict[str, dict[str, float]]:
    r"""Member → seat → its saving (k€/yr, ≥ 0) in a pole seated there: Σ over its services of
    standalone − its cheapest option at that seat. A pole (*j*, *M*) changes the cost by at least
    :math:`-\sum_{i \in M} s_{ij}` (the same argument as the bound, one seat at a time); the
    saving of :func:`member_savings_keur` is at least each of these."""
    return member_savings_both_keur(si, seats_of, members_of, sc_seat, caps)[1]


def member_savings_both_keur(si: ServiceInputs, seats_of: dict[str, tuple[str, ...]],
                             members_of: dict[str, tuple[str, ...]], sc_seat: str | None = None,
                             caps: dict[str, SeatCapacity] | None = None
                             ) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """(:func:`member_savings_keur`, :func:`member_savings_by_seat_keur`) in one pass: both read
    the same cheapest options (about 2 s each on a 66-commune EPCI at a load of 5, spent at the
    start of the column generation's short window)."""
    savings: dict[str, float] = {}
    out: dict[str, dict[str, float]] = {}
    most: dict = {}
    for i in si.members:
        total = 0.0
        by_seat: dict[str, float] = {}
        for s in si.services:
            alone = si.standalone[(i, s)].total_eur
            cheapest = _cheapest_by_seat(si, i, s, seats_of, members_of, sc_seat, caps, most)
            total += alone - min([alone, *cheapest.values()])
            for j, cost in cheapest.items():
                by_seat[j] = by_seat.get(j, 0.0) + max(0.0, alone - cost) / K
        savings[i] = total / K
        out[i] = by_seat
    return savings, out


def _cheapest_by_seat(si: ServiceInputs, i: str, s: str, seats_of: dict[str, tuple[str, ...]],
                      members_of: dict[str, tuple[str, ...]], sc_seat: str | None,
                      caps: dict[str, SeatCapacity] | None = None, most: dict | None = None,
                      modes: list[tuple[str, ...]] | None = None):
    """Seat → the cheapest linear cost (€/yr) of member *i*'s service *s* in a pole seated there
    (pooled in régie or délégation, or borrowing machines), with the pole's shared costs spread
    over its whole reach (within its capacity with ``caps``); empty when *i* may not share *s*.
    ``most`` caches the per-seat totals between calls. With ``modes`` (a list of the modes *s*
    may take), one such dict for each, in a list."""
    if modes is None:
        return _cheapest_by_seat(si, i, s, seats_of, members_of, sc_seat, caps, most, [si.modes[s]])[0]
    caps = caps or {}
    most = {} if most is None else most
    econ, catalogue = si.econ, si.catalogue
    seats = ([sc_seat] if sc_seat else []) if i == EPCI else list(seats_of.get(i, ()))
    alone = si.standalone[(i, s)]
    w = econ.workload(i, s)
    forced = si.forced.get((i, s))
    if w <= 0 or forced is False or not seats:
        return [{} for _ in modes]
    spec = catalogue.services[s]
    outs: list[dict[str, float]] = [{} for _ in modes]
    wanted = set().union(*modes)
    for j in seats:
        reach = _reach(members_of, sc_seat, j)
        cap = caps.get(j)
        users = len(reach) if cap is None else min(len(reach), cap.count)
        share = econ.pole_fixed_eur() / max(2, users) + econ.member_eur()
        machines = 0.0
        for q in spec.equipment_days:
            e = catalogue.equipment[q]
            key = ("machine", j, s, q)
            if key not in most:
                terms = {k: econ.machine_days(k, s, q) for k in reach}
                most[key] = sum(terms.values()) if cap is None else min(sum(terms.values()), cap.most(j, terms))
            if most[key] > 0:
                machines += econ.machine_days(i, s, q) * e.annual_eur * max(1.0 / e.effective_capacity, 1.0 / most[key])
        options = {}  # option → its cost: "regie", "delegation", "borrow"
        if "regie" in wanted:
            key = ("regie", j, s)
            if key not in most:
                terms = {k: econ.regie_fte(k, j, s) for k in reach}
                most[key] = sum(terms.values()) if cap is None else min(sum(terms.values()), cap.most(j, terms))
            factor = max(1.0, spec.specialist_min_fte.value / most[key])
            options["regie"] = (econ.regie_fte(i, j, s) * factor * econ.pooled_staff_eur(s) + econ.supplies_eur(i, s)
                                + econ.vehicle_eur(i, j, s) + econ.transfer_eur(i, j, s) + machines)
        if "delegation" in wanted:
            contract = econ.contract_eur(i, s)
            options["delegation"] = (contract * (1 + econ.terms.lot_cost_eur.value / econ.terms.max_lot_eur.value)
                                     + econ.retained_fte(i, s) * catalogue.staff_eur(s))
        if si.lend_equipment and spec.equipment_days:
            options["borrow"] = alone.total_eur - alone.equipment_eur + econ.transfer_eur(i, j, s) + machines
        for out, allowed in zip(outs, modes):
            costs = [c for option, c in options.items() if option == "borrow" or option in allowed]
            if costs:
                out[j] = min(costs) + share
    return outs


def _reach(members_of: dict[str, tuple[str, ...]], sc_seat: str | None, j: str) -> list[str]:
    """Every member that may use pole *j*: the communes that may join it, and the EPCI at the
    service commun's seat."""
    return list(members_of.get(j, ())) + ([EPCI] if sc_seat == j else [])
