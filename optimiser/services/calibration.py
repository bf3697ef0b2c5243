"""Is the status quo believable? Each commune and the territory against the sourced aggregates.

Two kinds of indicator, each with its central value and range from ``cost_parameters.yaml``:

* **field FTE per 1,000 inhabitants** — agents of the field services run in régie (voirie,
  espaces verts, éclairage, propreté, bâtiments, garage) plus their team leaders, over the
  population. Territory: ``field_technical_fte_per_1000_hab`` (central 3.0; the territory should
  land within ``TERRITORY_TOLERANCE`` of it); commune: its size band's value (3.0 ×
  ``aggregate.field_staff_size_multiplier``), inside the sourced range 1.5–6.0;
* **€ per inhabitant per service**, where a source gives one (by size band when it does):
  voirie (routine + works) for communes under 500 and of 10,000–20,000 inhabitants; propreté for
  towns (≥ 10,000); ADS for every commune; bâtiments (patrimoine upkeep) under 500 — a central
  value only.

A commune whose figures came from the inventory (not estimated) and that sits **far outside** a
range (below half its low end or above twice its high end) gets a warning naming its inventory
rows: the data may be wrong, or the commune exceptional — either way a planner should look.
Warnings never stop a run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .parameters import entry

#: The territory's field FTE per 1,000 inhabitants should be within this share of the central value.
TERRITORY_TOLERANCE = 0.25
#: "Far outside": below low × FAR or above high ÷ FAR.
FAR = 0.5

CHECK_COLUMNS = ["scope", "name", "population", "size_band", "indicator", "value", "central", "low", "high", "status",
                 "source", "inventoried"]


@dataclass(frozen=True)
class Reference:
    central: float
    low: float | None
    high: float | None
    source: str


def size_band(population: float) -> str:
    """The size band of aggregate.field_staff_size_multiplier."""
    if population < 2000:
        return "lt_2k"
    if population < 10_000:
        return "2k_10k"
    if population < 50_000:
        return "10k_50k"
    return "gt_50k"


def field_fte_reference(population: float | None) -> Reference:
    """Central and range of field FTE per 1,000 inhabitants: the territory's (``None``) or a
    commune's size band's (the central value × the band multiplier; the sourced range)."""
    e = entry("field_technical_fte_per_1000_hab")
    low, high = e["range"]
    if population is None:
        return Reference(e["value"], e["value"] * (1 - TERRITORY_TOLERANCE), e["value"] * (1 + TERRITORY_TOLERANCE),
                         "field_technical_fte_per_1000_hab (± 25 %)")
    multiplier = entry("aggregate.field_staff_size_multiplier")["value"][size_band(population)]
    return Reference(e["value"] * multiplier, low, high,
                     "field_technical_fte_per_1000_hab × aggregate.field_staff_size_multiplier")


def spend_references(population: float) -> dict[str, Reference]:
    """€ per inhabitant a year by service where a source gives one for a commune of this size."""
    out = {}
    voirie = entry("aggregate.voirie_and_patrimoine_spend_per_hab_by_size")
    if population < 500:
        out["voirie"] = Reference(voirie["value"]["voirie_lt_500_hab"], *voirie["range"]["voirie_lt_500_hab"],
                                  "aggregate.voirie_and_patrimoine_spend_per_hab_by_size.voirie_lt_500_hab")
        out["batiments"] = Reference(voirie["value"]["patrimoine_upkeep_lt_500_hab"], None, None,
                                     "aggregate.voirie_and_patrimoine_spend_per_hab_by_size.patrimoine_upkeep_lt_500_hab")
    elif 10_000 <= population <= 20_000:
        out["voirie"] = Reference(voirie["value"]["voirie_10k_20k_hab"], *voirie["range"]["voirie_10k_20k_hab"],
                                  "aggregate.voirie_and_patrimoine_spend_per_hab_by_size.voirie_10k_20k_hab")
    if population >= 10_000:
        e = entry("aggregate.street_cleaning_cost_per_hab")
        out["proprete"] = Reference(e["value"], *e["range"], "aggregate.street_cleaning_cost_per_hab")
    e = entry("ads.cost_per_inhabitant")
    out["ads"] = Reference(e["value"], *e["range"], "ads.cost_per_inhabitant")
    return out


#: Services whose € per inhabitant is compared together with another's (voirie = routine + works).
SPEND_GROUPS = {"voirie": ("voirie", "voirie_travaux"), "proprete": ("proprete",), "ads": ("ads",), "batiments": ("batiments",)}


def _status(x: float, ref: Reference) -> str:
    if ref.low is None or ref.high is None:
        return "no range"
    if x < ref.low * FAR or x > ref.high / FAR:
        return "far below" if x < ref.low else "far above"
    if x < ref.low:
        return "below"
    if x > ref.high:
        return "above"
    return "inside"


def status_quo_check(status_quo: pd.DataFrame, population: dict[str, float], names: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """``status_quo_check.csv`` and the warnings on inventoried communes far outside a range.

    ``status_quo`` is the table of ``status_quo.csv`` (member, service, mode, fte, supervision_fte,
    field, total_eur, estimated); ``population`` maps commune codes (not the EPCI) to inhabitants.
    """
    rows, warnings = [], []
    sq = status_quo[status_quo["member"].isin(population)]
    is_field = (sq["field"].astype(str).str.lower() == "true").to_numpy()
    field = sq[is_field]
    # Each commune's rows, read once as arrays in the table's order (a commune's filters and
    # iterations over the whole table were most of the time: 1 CPU-s for 65 communes). The sums
    # are pandas' own: the rows' values with NaN as 0, added by numpy in the same order.
    staff = (sq["fte"] + sq["supervision_fte"]).to_numpy(dtype=float)
    spend = sq["total_eur"].to_numpy(dtype=float)
    services = [str(v) for v in sq["service"].tolist()]
    given_by_row = [f"{m}/{v}" if "fte" not in str(e).split(";") or "contract_eur" not in str(e).split(";") else None
                    for m, v, e in zip(sq["member"].tolist(), sq["service"].tolist(), sq["estimated"].tolist())]
    rows_of_member = {str(m): list(k) for m, k in sq.groupby("member", sort=False).indices.items()}

    def total(values, where: list[int]) -> float:
        part = values[where]
        return float(np.where(np.isnan(part), 0.0, part).sum())

    def inventoried(where: list[int]) -> list[str]:
        return [given_by_row[k] for k in where if given_by_row[k] is not None]

    def add(scope, name, pop, indicator, x, ref, given):
        status = _status(x, ref)
        rows.append({"scope": scope, "name": name, "population": int(pop), "size_band": size_band(pop) if scope != "territory" else "",
                     "indicator": indicator, "value": round(x, 3), "central": round(ref.central, 3),
                     "low": ref.low, "high": ref.high, "status": status, "source": ref.source, "inventoried": ";".join(given)})
        if status.startswith("far") and given and scope != "territory":
            warnings.append(f"{name} ({scope}): {indicator} {x:,.2f} is {status} its sourced range "
                            f"{ref.low:g}–{ref.high:g} ({ref.source}); check inventory rows {', '.join(given)}")

    for code in sorted(population, key=lambda c: -population[c]):
        pop = population[code]
        if pop <= 0:
            continue
        rows_of = sorted(rows_of_member.get(code, []))
        mine = [k for k in rows_of if is_field[k]]
        fte = total(staff, mine)
        add(code, names.get(code, code), pop, "field_fte_per_1000_hab", 1000 * fte / pop, field_fte_reference(pop), inventoried(mine))
        for group, ref in spend_references(pop).items():
            part = [k for k in rows_of if services[k] in SPEND_GROUPS[group]]
            if not part:
                continue
            add(code, names.get(code, code), pop, f"eur_per_hab.{group}", total(spend, part) / pop, ref, inventoried(part))
    total_pop = sum(population.values())
    if total_pop > 0:
        fte = float((field["fte"] + field["supervision_fte"]).sum())
        add("territory", "territory", total_pop, "field_fte_per_1000_hab", 1000 * fte / total_pop, field_fte_reference(None), [])
    return pd.DataFrame(rows, columns=CHECK_COLUMNS), warnings


@dataclass(frozen=True)
class Headline:
    """The figures of the one-line status quo check: the territory's field FTE per 1,000
    inhabitants against its :class:`Reference`, and € per inhabitant per service (net of the
    FCTVA, in the order of ``status_quo.csv``) with their total."""

    field_fte_per_1000: float
    reference: Reference
    eur_per_hab: dict[str, float]

    @property
    def total_eur_per_hab(self) -> float:
        return sum(self.eur_per_hab.values())


def headline_figures(status_quo: pd.DataFrame, population: dict[str, float]) -> Headline | None:
    """The :class:`Headline` of a status quo (``None`` without population or rows); the report
    and the CLI word it in their language."""
    total_pop = sum(population.values())
    if total_pop <= 0 or status_quo.empty:
        return None
    sq = status_quo[status_quo["member"].isin(population)]
    per_service = sq.groupby("service", sort=False)["total_eur"].sum() / total_pop
    return Headline(territory_field_fte(status_quo, population), field_fte_reference(None),
                    {str(s): float(v) for s, v in per_service.items()})


def headline(status_quo: pd.DataFrame, population: dict[str, float]) -> str:
    """One line (English, for ``summary.json``): the territory's field FTE per 1,000 inhabitants
    against the source, and € per inhabitant per service (status quo, net of the FCTVA)."""
    h = headline_figures(status_quo, population)
    if h is None:
        return ""
    ref = h.reference
    money = ", ".join(f"{s} {v:,.0f}" for s, v in h.eur_per_hab.items())
    return (f"status quo: {h.field_fte_per_1000:.2f} field FTE per 1,000 inhabitants (sourced {ref.central:g}, "
            f"{ref.low:g}–{ref.high:g} for a territory); € per inhabitant: {money} (total {h.total_eur_per_hab:,.0f})")


def territory_field_fte(status_quo: pd.DataFrame, population: dict[str, float]) -> float:
    """Field FTE (agents and team leaders) per 1,000 inhabitants of the whole territory."""
    total_pop = sum(population.values())
    sq = status_quo[status_quo["member"].isin(population)]
    field = sq[sq["field"].astype(str).str.lower() == "true"]
    return 1000 * float((field["fte"] + field["supervision_fte"]).sum()) / total_pop if total_pop else 0.0


__all__ = ["status_quo_check", "headline", "headline_figures", "Headline", "SPEND_GROUPS", "FAR", "size_band",
           "field_fte_reference", "spend_references", "territory_field_fte"]
