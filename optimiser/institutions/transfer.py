r"""Transfer of the voirie competence to the EPCI, its charges evaluated as a CLECT would.

**Who.** A competence goes from **every** member commune at once (CGCT L5211-17; within the
intérêt communautaire): a transfer asked of part of the communes is refused
(:func:`missing_communes`). Investment and upkeep cannot be split (ministerial doctrine,
legal_instruments.md §6), so both services of the catalogue move: ``voirie`` (routine upkeep) and
``voirie_travaux`` (surface renewal).

**What the AC loses** (CGI art. 1609 nonies C IV, ``fiscal.clect_evaluation_method``), per
commune *i*, €/yr:

.. math:: \text{CLECT}_i = \frac{1}{Y}\sum_{t=T-Y+1}^{T} \text{op}_{i,t} \;+\; \text{eq}_i

* :math:`\text{op}_{i,t}` the operating expenses of past year *t* (staff, supplies, contracts),
  averaged over the *Y* years the CLECT chooses (3 by default); without a history the priced
  status quo's operating cost stands for every year (labelled ``status quo`` in ``flows.csv``);
* :math:`\text{eq}_i` the **coût moyen annualisé** of equipment: the status quo's machines
  (purchase ÷ life + running, already yearly) and the surface renewal works (``voirie_travaux``,
  a yearly renewal cost); related revenue is taken as nil.

The commune's AC falls by :math:`\text{CLECT}_i` (it may become negative: the commune then pays
the EPCI). From then on the EPCI bears what the transferred services cost in the design.

**Who does the work.** By default the communal agents working fully in voirie are transferred
(L5211-4-1 I) and join a common employer: their régime indemnitaire is harmonised upwards
(uplift *u* × their pay, :mod:`.parameters`), a cost for the EPCI. With
``maintenance_by_communal_agents`` the commune keeps its agents and makes them available to the
EPCI (mise à disposition, L5211-4-1 II): it keeps spending on the upkeep and the EPCI reimburses
it at unit cost × units (D5211-16), the commune's full cost; no change of employer, no uplift.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

#: Services the voirie competence covers (upkeep and renewal cannot be split).
VOIRIE_SERVICES = ("voirie", "voirie_travaux")
#: Of them, the one whose whole cost is an annualised renewal (equipment in the CLECT's sense).
RENEWAL_SERVICES = ("voirie_travaux",)


def missing_communes(requested: Iterable[str] | str, territory: Iterable[str]) -> list[str]:
    """Communes of ``territory`` a transfer asked of ``requested`` ("all" or codes) leaves out."""
    if requested == "all":
        return []
    asked = set(requested)
    return [c for c in territory if c not in asked]


def clect_charge(status_quo_operating_eur: float, status_quo_equipment_eur: float, years: int,
                 history: Sequence[float] | None = None) -> tuple[float, float, str]:
    """One commune's CLECT evaluation of its voirie charges (module docstring), €/yr.

    ``status_quo_operating_eur``: today's operating cost of the transferred services (staff,
    supplies, contracts, renewal works excluded); ``status_quo_equipment_eur``: the annualised
    equipment and renewal cost; ``history``: past yearly operating expenses (oldest first), of
    which the last ``years`` are averaged. Returns (operating part, equipment part, basis) where
    basis is ``history`` or ``status quo`` (today's cost taken for every past year).
    """
    if years < 1:
        raise ValueError(f"the CLECT averages at least one year (got {years})")
    if history:
        if len(history) < years:
            raise ValueError(f"an expense history of {len(history)} years cannot give a {years}-year average")
        recent = list(history)[-years:]
        return sum(recent) / years, status_quo_equipment_eur, "history"
    return status_quo_operating_eur, status_quo_equipment_eur, "status quo"


def transferred_cost_split(rows: Iterable[Mapping]) -> tuple[float, float]:
    """(operating, equipment) status-quo cost of a commune's transferred services, €/yr, from
    rows with ``service``, ``status_quo_eur`` and ``status_quo_equipment_eur``: renewal works are
    equipment whole; of upkeep, its machines."""
    operating = equipment = 0.0
    for r in rows:
        if r["service"] not in VOIRIE_SERVICES:
            continue
        total, machines = float(r["status_quo_eur"]), float(r.get("status_quo_equipment_eur", 0.0) or 0.0)
        if r["service"] in RENEWAL_SERVICES:
            equipment += total
        else:
            operating += total - machines
            equipment += machines
    return operating, equipment


def transfer_in_effect(enabled: bool, transfer_year: int | None, year: int | None) -> bool:
    """Whether the transfer applies in ``year``: enabled, and no year given (a steady-state
    result shows it done) or ``year`` at or after the transfer year."""
    if not enabled:
        return False
    return transfer_year is None or year is None or year >= transfer_year
