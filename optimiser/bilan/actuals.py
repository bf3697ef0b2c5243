"""The actuals workbook: what really happened, next to the plan, for ``optimiser bilan``.

``optimiser template actuals RESULT_DIR --out actuals.xlsx`` writes three sheets:

``README``    what each column means, its unit, and the rules below;
``poles``     one row per pole × service × period, the plan's figures in ``plan_*`` columns and
              blank actual columns: workload delivered, FTE, hours, machine days and units, and the
              cost by category (:data:`optimiser.bilan.plan.CATEGORIES`), € a year TTC net of the
              FCTVA as the plan;
``communes``  one row per commune × service × period: the plan's workload and what it was to
              pay, and blank actual columns: workload delivered, what it paid, and three
              service-level indicators (response time to a request, share of the planned mowing
              passes done, complaints), with the year before the pole for comparison.

Every header carries its unit, ``staff_eur (€/yr)``; ``workload`` is in the row's ``unit``.
Blank cells are allowed (that actual is missing: the bilan names it and keeps the plan's figure
in the totals). Reading checks, each reported with file, sheet, row and column: a period outside
the plan, a pole, commune or service not in the plan, a negative or implausible number, a share
above 1, a header unit or a row unit that does not match the plan's, an unknown column, a row
given twice — all together, exit 2.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..files import TABLE_MAX_BYTES, check_zip, read_bytes
from ..text import did_you_mean, fold
from .plan import CATEGORIES, Plan

#: Actual columns of the ``poles`` sheet and their unit (``None``: the row's workload unit).
POLE_COLUMNS: dict[str, str | None] = {"workload": None, "fte": "FTE", "hours": "h", "machine_days": "days",
                                       "machine_units": "units", **{c: "€/yr" for c in CATEGORIES}}
#: Actual columns of the ``communes`` sheet and their unit.
COMMUNE_COLUMNS: dict[str, str | None] = {"workload": None, "paid_eur": "€/yr", "response_time_days": "days",
                                          "response_time_days_before": "days", "mowing_passes_done_share": "share 0-1",
                                          "complaints": "number", "complaints_before": "number"}
#: Columns that name a row (checked against the plan) and free columns (read, not checked).
POLE_KEYS = ("period", "pole", "service", "unit")
COMMUNE_KEYS = ("period", "insee_code", "service", "unit")
FREE_COLUMNS = ("seat_insee_code", "mode", "commune", "choice", "note")
#: Spellings of a unit that mean the same (French and English headers both read).
UNIT_SPELLINGS = {"€/yr": ("€/yr", "€/an", "eur/yr", "eur/an", "€"), "FTE": ("fte", "etp"), "h": ("h", "hours", "heures"),
                  "days": ("days", "jours", "d", "j"), "units": ("units", "unites", "unités"),
                  "share 0-1": ("share 0-1", "part 0-1", "share", "part"), "number": ("number", "nombre", "n")}
#: Largest plausible actual, by unit (a typing slip beyond it, cents for euros, is refused).
PLAUSIBLE_MAX = {"€/yr": 1e9, "FTE": 100_000, "h": 1.5e8, "days": 1e6, "units": 10_000, "share 0-1": 1.0,
                 "number": 1e7, None: 1e9}
SHEETS = ("poles", "communes")

_HEADER = re.compile(r"^\s*([A-Za-z_]+)\s*(?:\((.*)\))?\s*$")


@dataclass(frozen=True)
class Actuals:
    """The actuals read and checked: ``poles`` and ``communes`` keyed as the plan's rows, one
    column per actual (NaN: not given); ``sha256`` of the file."""

    path: Path
    sha256: str
    poles: pd.DataFrame
    communes: pd.DataFrame
    example: bool = False
    """The workbook says its figures are made up (a README row ``EXAMPLE``): the report says so."""


def header(name: str, unit: str | None) -> str:
    return f"{name} ({unit or 'unit'})" if unit else name


# -------------------------------------------------------------------------------------- template


def template_sheets(plan: Plan, readme: list[tuple[str, str]]) -> dict[str, pd.DataFrame]:
    """The three sheets of the template for ``plan`` (see module docstring)."""
    poles = []
    for _, r in plan.poles.iterrows():
        row = {"period": r["period"], "pole": r["pole"], "seat_insee_code": r["seat_insee_code"], "service": r["service"],
               "mode": r["mode"], "unit": r["unit"]}
        for c, unit in POLE_COLUMNS.items():
            row[header("plan_" + c, unit)] = round(float(r[c]), 3)
        row[header("plan_total_eur", "€/yr")] = round(float(r["total_eur"]), 2)
        row.update({header(c, unit): None for c, unit in POLE_COLUMNS.items()})
        row["note"] = None
        poles.append(row)
    communes = []
    for _, r in plan.communes.iterrows():
        row = {"period": r["period"], "insee_code": r["insee_code"], "commune": r["commune"], "service": r["service"],
               "choice": r["choice"], "unit": r["unit"], header("plan_workload", None): round(float(r["workload"]), 3),
               header("plan_paid_eur", "€/yr"): round(float(r["pays_eur"]), 2)}
        row.update({header(c, unit): None for c, unit in COMMUNE_COLUMNS.items()})
        row["note"] = None
        communes.append(row)
    # the headers even when a sheet has no row (a roadmap year before any pole service has started)
    pole_columns = ["period", "pole", "seat_insee_code", "service", "mode", "unit",
                    *[header("plan_" + c, u) for c, u in POLE_COLUMNS.items()], header("plan_total_eur", "€/yr"),
                    *[header(c, u) for c, u in POLE_COLUMNS.items()], "note"]
    commune_columns = ["period", "insee_code", "commune", "service", "choice", "unit", header("plan_workload", None),
                       header("plan_paid_eur", "€/yr"), *[header(c, u) for c, u in COMMUNE_COLUMNS.items()], "note"]
    return {"README": pd.DataFrame(readme, columns=["column", "meaning"]), "poles": pd.DataFrame(poles, columns=pole_columns),
            "communes": pd.DataFrame(communes, columns=commune_columns)}


#: The meaning of each column of the actuals workbook, in French and English (its README sheet).
COLUMN_MEANINGS = {
    "workload": ("charge réalisée, dans l'unité de la ligne", "workload delivered, in the row's unit"),
    "fte": ("ETP travaillés (ou donner les heures)", "FTE worked (or give hours)"),
    "hours": ("heures travaillées (ETP = heures ÷ heures productives par an)", "hours worked (FTE = hours / productive hours a year)"),
    "machine_days": ("jours-machine travaillés, tous types", "machine days worked, all types"),
    "machine_units": ("machines utilisées", "machines used"),
    "staff_eur": ("personnel, régime indemnitaire compris", "staff, incl. régime indemnitaire"),
    "supplies_eur": ("fournitures", "supplies"), "vehicles_eur": ("véhicules des équipes", "crew vehicles"),
    "machines_eur": ("machines (annualisées) et leurs transferts", "machines (annualised) and their transfers"),
    "contract_eur": ("marchés et leurs procédures", "contracts and their procedures"),
    "coordination_eur": ("coordination du service du pôle", "coordination of the pole service"),
    "paid_eur": ("ce que la commune a payé pour ce service", "what the commune paid for this service"),
    "response_time_days": ("délai moyen de réponse à une demande", "mean time to answer a request"),
    "response_time_days_before": ("le même, l'année avant le pôle", "the same, the year before the pole"),
    "mowing_passes_done_share": ("part des tontes prévues réalisées (0-1 ou %)", "share of the planned mowing passes done (0-1 or %)"),
    "complaints": ("plaintes reçues", "complaints received"),
    "complaints_before": ("les mêmes, l'année avant le pôle", "the same, the year before the pole"),
    "plan_*": ("le chiffre prévu, pour mémoire (non lu)", "the plan's figure, for reference (not read)"),
    "keys": ("la ligne du plan : vérifiée, ne pas modifier", "which row of the plan this is: checked against the plan, do not change"),
}


def readme_rows() -> list[tuple[str, str]]:
    """One line per column of the actuals workbook: its name with its unit, and its meaning in the
    language being written."""
    from ..results.i18n import current

    k = 0 if current() == "fr" else 1
    rows = [(f"poles: {header(c, u)}", COLUMN_MEANINGS[c][k]) for c, u in POLE_COLUMNS.items()]
    rows += [(f"communes: {header(c, u)}", COLUMN_MEANINGS[c][k]) for c, u in COMMUNE_COLUMNS.items()]
    rows += [("plan_*", COLUMN_MEANINGS["plan_*"][k]), ("period, pole, service, insee_code, unit", COLUMN_MEANINGS["keys"][k])]
    return rows


# --------------------------------------------------------------------------------------- reading


def read_actuals(path: Path, plan: Plan, label: str = "ACTUALS") -> Actuals:
    """The actuals of ``path`` checked against ``plan`` (see module docstring)."""
    path = Path(path)
    if not path.is_file() and not path.exists():
        raise InputError([Problem(label, str(path), "not found", show_value=False,
                                  hint="write one with optimiser template actuals RESULT_DIR --out actuals.xlsx")])
    content = read_bytes(path, str(path), TABLE_MAX_BYTES, what="actuals workbook")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError([Problem(str(path), "", "expected an Excel workbook (.xlsx) with sheets poles and communes",
                                  path.name, hint="write one with optimiser template actuals")])
    check_zip(content, str(path), what="actuals workbook")
    try:
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, dtype=str)
    except Exception as exc:  # openpyxl raises several types on damaged files
        raise InputError([Problem(str(path), "", f"cannot read the workbook ({exc.__class__.__name__})",
                                  show_value=False)]) from None
    names = {fold(k): k for k in sheets}
    problems = [Problem(str(path), f"sheet {s}", "missing sheet", show_value=False,
                        hint=did_you_mean(s, list(sheets)) or f"sheets found: {list(sheets)}") for s in SHEETS if s not in names]
    if problems:
        raise InputError(problems, title=f"Invalid actuals {path}")
    from ..services.inventory import formulas_without_results

    problems += formulas_without_results(content, {names[s]: f"{path}[{s}]" for s in SHEETS})
    poles = _read_sheet(sheets[names["poles"]], f"{path}[poles]", POLE_COLUMNS, POLE_KEYS, _pole_index(plan), plan, problems)
    communes = _read_sheet(sheets[names["communes"]], f"{path}[communes]", COMMUNE_COLUMNS, COMMUNE_KEYS,
                           _commune_index(plan), plan, problems)
    if problems:
        raise InputError(problems, title=f"Invalid actuals {path}")
    readme = sheets.get(names.get("readme", ""), pd.DataFrame())
    example = bool(len(readme.columns)) and readme.iloc[:, 0].astype(str).str.strip().str.upper().eq("EXAMPLE").any()
    return Actuals(path, hashlib.sha256(content).hexdigest(), poles, communes, example)


def _pole_index(plan: Plan) -> dict:
    return {(r["period"], r["pole"], r["service"]): r["unit"] for _, r in plan.poles.iterrows()}


def _commune_index(plan: Plan) -> dict:
    return {(r["period"], r["insee_code"], r["service"]): r["unit"] for _, r in plan.communes.iterrows()}


def _columns(frame, label, spec, keys, problems) -> dict[str, str]:
    """Header → column name, each unit checked; plan_* columns are the plan's (not read)."""
    out = {}
    for raw in frame.columns:
        text = str(raw)
        match = _HEADER.match(text)
        name = match.group(1) if match else text.strip()
        if name.startswith("plan_") or name.startswith("Unnamed"):
            continue
        if name in keys or name in FREE_COLUMNS:
            out[raw] = name
            continue
        if name not in spec:
            problems.append(Problem(label, f"column {text!r}", "unknown column", show_value=False,
                                    hint=did_you_mean(name, list(spec) + list(keys)) or f"columns: {', '.join(spec)}"))
            continue
        unit = match.group(2) if match else None
        expected = spec[name]
        if unit is not None and expected is not None and fold(unit.strip()) not in {fold(u) for u in UNIT_SPELLINGS[expected]}:
            problems.append(Problem(label, f"column {text!r}", f"the unit {unit.strip()!r} does not match the plan's "
                                    f"({expected}); convert the figures and write the header {header(name, expected)!r}",
                                    show_value=False))
            continue
        out[raw] = name
    for key in keys:
        if key not in out.values():
            problems.append(Problem(label, f"column {key}", "missing column: it says which row of the plan this is",
                                    show_value=False))
    return out


def _cell(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _read_sheet(frame: pd.DataFrame, label, spec, keys, index, plan: Plan, problems) -> pd.DataFrame:
    columns = _columns(frame, label, spec, keys, problems)
    if any(k not in columns.values() for k in keys):
        return pd.DataFrame()
    periods = sorted({k[0] for k in index})
    rows, seen = [], {}
    for n, record in enumerate(frame.to_dict(orient="records")):
        where = f"row {n + 2}"  # 1-based, after the header, as a spreadsheet shows it
        cells = {name: _cell(record[raw]) for raw, name in columns.items()}
        period = cells.get("period")
        period = str(int(float(period))) if period and re.fullmatch(r"\d+(\.0+)?", period) else period
        if all(cells.get(c) is None for c in spec) and (period is None or period in periods):
            continue  # nothing reported on this row: missing actuals, allowed (a wrong period is not: another plan's workbook)
        if period not in periods:
            problems.append(Problem(label, f"{where}.period", f"outside the plan (its periods: {', '.join(periods)})",
                                    period, hint=did_you_mean(str(period), periods)))
            continue
        name_key = keys[1]
        who, service = cells.get(name_key), cells.get("service")
        known = {k[1] for k in index}
        if who not in known:
            problems.append(Problem(label, f"{where}.{name_key}", f"not in the plan (plan: {', '.join(sorted(known))})", who,
                                    hint=did_you_mean(str(who), sorted(known))))
            continue
        offered = sorted(k[2] for k in index if k[1] == who and k[0] == period)
        if (period, who, service) not in index:
            problems.append(Problem(label, f"{where}.service", f"{who} has no such service in the plan "
                                    f"(its services: {', '.join(offered)})", service, hint=did_you_mean(str(service), offered)))
            continue
        unit = index[(period, who, service)]
        if cells.get("unit") is not None and fold(cells["unit"]) != fold(unit):
            problems.append(Problem(label, f"{where}.unit", f"does not match the plan's unit for {service} ({unit}); "
                                    f"convert the workload to {unit}", cells["unit"]))
            continue
        if (period, who, service) in seen:
            problems.append(Problem(label, where, f"{who} / {service} / {period} appears twice (also {seen[period, who, service]})",
                                    show_value=False, hint="give one row per plan row"))
            continue
        seen[(period, who, service)] = where
        row = {"period": period, name_key: who, "service": service, "row": n + 2}
        for column, unit_of in spec.items():
            row[column] = _number(cells.get(column), label, f"{where}.{column}", unit_of, problems)
        rows.append(row)
    return pd.DataFrame(rows, columns=["period", keys[1], "service", "row", *spec])


def _number(text, label, where, unit, problems) -> float:
    """The number in a cell (blank: NaN), from 0 to the plausible bound of its unit."""
    if text is None:
        return math.nan
    raw = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%")
    try:
        number = float(raw) / (100 if text.endswith("%") else 1)
    except ValueError:
        problems.append(Problem(label, where, "expected a number", text))
        return math.nan
    maximum = PLAUSIBLE_MAX.get(unit, 1e9)
    if not math.isfinite(number) or number < 0:
        problems.append(Problem(label, where, "expected a number >= 0 (an actual amount cannot be negative)", text))
        return math.nan
    if number > maximum:
        what = "a share from 0 to 1 (or a percentage)" if unit == "share 0-1" else f"at most {maximum:,.0f} (a plausible bound)"
        problems.append(Problem(label, where, f"expected {what}", text))
        return math.nan
    return number
