"""Check ``parameters.csv``: every number the service model used, where it came from.

1. The rows are exactly the parameters the verifier priced with (each service's productivity,
   specialist minimum, delegated price and machine-days; each machine type's prices; staff
   costs; the pooling terms), with the same value, unit, source, confidence and note.
2. A value the scenario set (``source: scenario``) is the one ``scenario.resolved.yaml`` sets
   (:data:`SCENARIO_KEYS`), and every number the scenario sets shows as ``scenario``.
3. Every other source names keys of the packaged ``cost_parameters.yaml``; a value taken from a
   single key without a note (no arithmetic) is that key's value up to a unit change by a power
   of ten (m² to ha, a share to € per k€), with that key's confidence.
"""

from __future__ import annotations

import math
from dataclasses import fields
from functools import lru_cache

import yaml

from ..results.records import row_tuples
from ..services.parameters import PARAMETER_FILE

COLUMNS = {"group": "text", "parameter": "text", "value": "float?", "unit": "text?", "source": "text?", "confidence": "text?",
           "note": "text?"}
#: Pooling keys of the scenario → the pooling term they set.
POOLING_KEYS = {"joint_saving_pct": "joint_saving", "max_lot_eur": "max_lot_eur", "lot_cost_eur": "lot_cost_eur",
                "coordination_eur": "coordination_eur", "member_fee_eur": "member_fee_eur", "setup_pole_eur": "setup_pole_eur",
                "setup_member_eur": "setup_member_eur", "horizon_years": "horizon_years", "vehicle_eur_per_km": "vehicle_eur_per_km"}
#: Service override keys → parameter names.
SERVICE_KEYS = {"productivity": "productivity", "specialist_min_fte": "specialist_min_fte", "delegated_price_eur": "delegated_price"}
EQUIPMENT_KEYS = ("purchase_eur", "life_years", "running_eur_yr", "capacity_days", "transfer_eur_per_h", "transfer_speed_kmh",
                  "peak_share", "peak_days")
UNIT_SCALES = (1.0, 10.0, 100.0, 1000.0, 10000.0)


def used_parameters(si) -> dict[tuple[str, str], object]:
    """(group, parameter) → the Sourced value the verifier priced with."""
    cat, out = si.catalogue, {}
    for s, spec in cat.services.items():
        if "regie" in spec.modes:  # works are contracted in every option: no régie parameters
            out[(s, "productivity")] = spec.productivity
            out[(s, "specialist_min_fte")] = spec.specialist_min_fte
            out[(s, "supplies")] = spec.supplies
        out[(s, "delegated_price")] = spec.delegated_price
        out[(s, "contract_vat")] = spec.contract_vat
        out[(s, "contract_fctva_eligible")] = spec.contract_fctva
        for q, days in spec.equipment_days.items():
            out[(s, f"equipment_days.{q}")] = days
    for q, e in cat.equipment.items():
        for name in EQUIPMENT_KEYS:
            out[(q, name)] = getattr(e, name)
    for grade, cost in cat.staff_cost.items():
        out[("staff", grade)] = cost
    out[("staff", "productive_days")] = cat.productive_days
    out[("staff", "hours_per_day")] = cat.hours_per_day
    if cat.regie is not None:
        for f in fields(cat.regie):
            out[("regie", f.name)] = getattr(cat.regie, f.name)
    for term in fields(si.terms):
        out[("pooling", term.name)] = getattr(si.terms, term.name)
    return out


def scenario_values(scenario) -> dict[tuple[str, str], float]:
    """(group, parameter) → the value the scenario sets (its overrides of the defaults)."""
    out = {}
    services = scenario.services
    if services is not None:
        for s, over in services.overrides.items():
            for key, name in SERVICE_KEYS.items():
                if getattr(over, key) is not None:
                    out[(s, name)] = float(getattr(over, key))
            for q, days in (over.equipment_days or {}).items():
                out[(s, f"equipment_days.{q}")] = float(days)
        for q, over in services.equipment.items():
            for key in EQUIPMENT_KEYS:
                if getattr(over, key) is not None:
                    out[(q, key)] = float(getattr(over, key))
        for grade, amount in services.staff_eur.items():
            out[("staff", grade)] = float(amount)
    for key, name in POOLING_KEYS.items():
        if getattr(scenario.pooling, key) is not None:
            out[("pooling", name)] = float(getattr(scenario.pooling, key))
    if scenario.staff.attrition_per_year is not None:
        out[("pooling", "attrition_per_year")] = float(scenario.staff.attrition_per_year)
    if scenario.staff.ri_harmonisation_uplift is not None:
        out[("pooling", "ri_harmonisation_uplift")] = float(scenario.staff.ri_harmonisation_uplift)
    return out


@lru_cache(maxsize=1)
def _packaged() -> dict[str, dict]:
    """The entries of the packaged cost_parameters.yaml by key (``meta.*`` included)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(PARAMETER_FILE.read_text(encoding="utf-8"), Loader=loader)
    entries = {e["key"]: e for e in data["parameters"]}
    for key, entry in (data.get("meta") or {}).items():
        if isinstance(entry, dict) and "value" in entry:
            entries[f"meta.{key}"] = entry
    return entries


def _yaml_entry(entries: dict, source: str):
    """(value, confidence) of ``key`` or ``key.field`` in cost_parameters.yaml; ``None`` if absent."""
    if source in entries:
        return entries[source].get("value"), entries[source].get("confidence")
    key, _, field = source.rpartition(".")
    if key in entries and isinstance(entries[key].get("value"), dict) and field in entries[key]["value"]:
        return entries[key]["value"][field], entries[key].get("confidence")
    if key in entries and field in entries[key]:  # a field beside the value (typical_need_days_yr, ...)
        return entries[key][field], entries[key].get("confidence")
    return None


def _same_text(a, b) -> bool:
    return (a or "") == (b or "")


def parameter_problems(table, si, scenario) -> list[str]:
    out = []
    used = used_parameters(si)
    rows = {}
    for r in row_tuples(table):
        if r.parameter == "workload_estimate":  # a note on where blank inventory fields come from, no number
            if r.group not in si.catalogue.services or not math.isnan(r.value):
                out.append(f"{r.group}.workload_estimate: expected a service and no value")
            continue
        key = (r.group, r.parameter)
        if key in rows:
            out.append(f"{r.group}.{r.parameter} listed twice")
        rows[key] = r
    for key in sorted(set(used) - set(rows)):
        out.append(f"{key[0]}.{key[1]} is used but not listed")
    for key in sorted(set(rows) - set(used)):
        out.append(f"{key[0]}.{key[1]} is listed but not a parameter of this scenario's service model")
    entries = _packaged()
    set_by_scenario = scenario_values(scenario)
    for key, r in rows.items():
        if key not in used:
            continue
        u = used[key]
        where = f"{key[0]}.{key[1]}"
        if not (math.isfinite(r.value) and math.isclose(r.value, u.value, rel_tol=1e-9, abs_tol=1e-12)):
            out.append(f"{where}: value {r.value} but the model used {u.value:g}")
        if not (_same_text(r.unit, u.unit) and _same_text(r.source, u.source) and _same_text(r.confidence, u.confidence)
                and _same_text(r.note, u.note)):
            out.append(f"{where}: unit {r.unit!r}, source {r.source!r}, confidence {r.confidence!r}; the model used "
                       f"{u.unit!r}, {u.source!r}, {u.confidence!r}" + ("" if _same_text(r.note, u.note) else " (and another note)"))
        source = r.source or ""
        if source == "scenario":
            if key not in set_by_scenario:
                out.append(f"{where}: marked as set by the scenario, which does not set it")
            elif not math.isclose(r.value, set_by_scenario[key], rel_tol=1e-9):
                out.append(f"{where}: value {r.value} but the scenario sets {set_by_scenario[key]:g}")
            continue
        if key in set_by_scenario:
            out.append(f"{where}: the scenario sets {set_by_scenario[key]:g}, but the row says {r.value:g} from {source!r}")
        if source == "estimate":
            continue
        keys = [k.strip() for k in source.split("+")]
        unknown = [k for k in keys if k != "estimate" and _yaml_entry(entries, k) is None]
        if unknown:
            out.append(f"{where}: source {', '.join(unknown)} is not a key of cost_parameters.yaml")
        elif len(keys) == 1 and not r.note:
            value, confidence = _yaml_entry(entries, keys[0])
            try:
                value = float(value)
            except (TypeError, ValueError):
                out.append(f"{where}: cost_parameters.yaml's {keys[0]} is not a number")
                continue
            if not any(math.isclose(r.value, value * s, rel_tol=1e-9) for s in UNIT_SCALES):
                out.append(f"{where}: value {r.value:g} but cost_parameters.yaml's {keys[0]} is {value:g}")
            if not _same_text(r.confidence, confidence):
                out.append(f"{where}: confidence {r.confidence!r} but cost_parameters.yaml says {confidence!r}")
    return out
