"""The inventory: what each commune runs today, per service and per machine type.

Two tables, as the Laval study's questionnaire collected them:

``services``  one row per commune × service: ``insee_code`` (or ``commune`` by name),
              ``service``, ``workload`` (in the service's unit), ``fte``, ``mode``
              (``regie`` / ``delegation``), ``contract_eur`` (€/yr for a delegated service);
``equipment`` one row per commune × machine type: ``insee_code`` (or ``commune``),
              ``equipment``, ``units``, ``age_years``;
``agents``    (optional) one row per agent: ``insee_code`` (or ``commune``), ``agent``, ``fte`` and
              his FTE per service, one column per service key (:mod:`optimiser.services.agents`):
              a polyvalent agent is one person, counted once and never deleted in part.

They come as an Excel workbook with sheets ``services`` and ``equipment`` (and ``agents``), or as
CSV files in a folder.
Any blank field (or missing row) is **estimated** from the sourced ratios and flagged: workload
from population and area (:func:`optimiser.services.catalogue.estimated_workload`; the garage's
vehicles from the commune's crews in régie); mode as the service's typical mode
(``status_quo.typical_mode``: field crews in régie, works contracted) or, where none is typical,
the cheaper of régie and délégation for the commune alone; FTE as workload ÷ productivity (at least
the specialist minimum); contract (€ HT) as workload × delegated price; machines as the units the
commune's own need requires. ``optimiser template inventory`` writes a blank workbook with the
estimates alongside, for a planner to fill in.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..files import TABLE_MAX_BYTES, check_zip, read_bytes
from ..territory import CommuneLookup, Territory
from ..text import did_you_mean, fold
from .agents import AGENT_COLUMNS, SPLIT_TOLERANCE_FTE, Agent, fte_by_service, polyvalent_fte_by_service, read_agents
from .catalogue import Catalogue, ServiceSpec, default_catalogue, estimated_workload, fleet_vehicles
from .parameters import entry

SERVICE_COLUMNS = ["insee_code", "commune", "service", "workload", "fte", "mode", "contract_eur", "contract_end_year"]
EQUIPMENT_COLUMNS = ["insee_code", "commune", "equipment", "units", "age_years"]
#: The modes of a service, as folded text: "Régie" and "DÉLÉGATION" read as these.
MODES = ("regie", "delegation")


@dataclass(frozen=True)
class MemberService:
    """What one member (a commune, or the EPCI itself) runs today for one service.

    Money in €/yr. ``estimated`` lists the fields that came from ratios, not from the inventory.
    """

    member: str
    service: str
    workload: float
    mode: str
    fte: float
    contract_eur: float
    estimated: tuple[str, ...] = ()
    polyvalent_fte: float = 0.0
    """FTE of ``fte`` worked by agents who also work in other services: indivisible people who
    stay employed while the commune keeps any of their services (:mod:`.agents`)."""


@dataclass(frozen=True)
class Inventory:
    """Today's organisation: ``services[(member, service)]`` and ``units[(member, type)]``
    (machines owned)."""

    services: dict[tuple[str, str], MemberService]
    units: dict[tuple[str, str], int]
    estimated_units: frozenset = frozenset()
    sources: tuple[Path, ...] = ()
    agents: tuple[Agent, ...] = ()
    """The agents the inventory lists (its ``agents`` table), each counted once."""
    ages: dict = field(default_factory=dict)
    """``ages[(member, type)]``: age of the member's machines of that type, years (given only;
    used by a roadmap to date their renewal)."""
    contract_ends: dict = field(default_factory=dict)
    """``contract_ends[(member, service)]``: last year of today's contract (given only; a roadmap
    changes how the service is delivered only after it)."""

    def estimated_fields(self, member: str) -> list[str]:
        out = []
        for (m, s), row in self.services.items():
            if m == member:
                out += [f"{s}.{f}" for f in row.estimated]
        out += [f"{q}.units" for (m, q) in self.estimated_units if m == member]
        return sorted(out)


# --------------------------------------------------------------------------------------- reading


#: The sheets of a workbook / files of a folder, by table.
TABLES = ("services", "equipment")
#: Tables an inventory may add (a missing one is empty).
OPTIONAL_TABLES = ("agents",)


def inventory_files(path: Path) -> dict[str, Path]:
    """The files an inventory is read from, by their name in a result's ``inputs/``: the
    workbook, or a folder's ``services.csv`` and ``equipment.csv`` (those present) as
    ``FOLDER/services.csv``, ...; nothing else of a folder is read."""
    path = Path(path)
    if not path.is_dir():
        return {path.name: path}
    return {f"{path.name}/{name}.csv": path / f"{name}.csv" for name in TABLES + OPTIONAL_TABLES
            if (path / f"{name}.csv").is_file()}


def read_tables(path: Path, label: str) -> tuple[dict[str, pd.DataFrame], dict]:
    """The inventory tables (``services``, ``equipment``, ``agents``) from a workbook or a folder
    of CSV files, and the label of each for messages.

    A workbook must have both sheets and no other; a formula whose result the file does not
    hold (a workbook written by a program that does not compute formulas) is refused, since it
    would read as a blank and be estimated. A folder must hold at least one of the two files (a
    missing one is a table of blanks, all estimated)."""
    path = Path(path)
    if not path.exists():
        raise InputError([Problem(label, "", "inventory not found", show_value=False)])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, label)
    if not path.is_dir():
        raise InputError([Problem(label, "", "expected an Excel workbook (.xlsx) with sheets services and equipment, "
                                  "or a folder holding services.csv and equipment.csv", path.name)])
    files = {name: path / f"{name}.csv" for name in TABLES}
    if not any(file.exists() for file in files.values()):
        found = sorted(p.name for p in path.iterdir() if p.suffix.lower() == ".csv")
        hint = (did_you_mean(found[0], ["services.csv", "equipment.csv"]) if len(found) == 1 else None) or (
            f"CSV files found: {', '.join(found)}" if found else "write a blank one with optimiser template inventory")
        raise InputError([Problem(label, "", "this folder holds neither services.csv nor equipment.csv; an inventory "
                                  "folder needs at least one of them", show_value=False, hint=hint)])
    files["agents"] = path / "agents.csv"
    blank = {"services": SERVICE_COLUMNS, "equipment": EQUIPMENT_COLUMNS, "agents": AGENT_COLUMNS}
    tables = {}
    for name, file in files.items():
        if not file.exists():
            tables[name] = pd.DataFrame(columns=blank[name])
            continue
        content = io.BytesIO(read_bytes(file, str(file), TABLE_MAX_BYTES, what="CSV file"))
        try:
            tables[name] = pd.read_csv(content, dtype=str, keep_default_na=False, na_values=[""])
        except Exception as exc:
            raise InputError([Problem(str(file), "", f"cannot read the CSV file ({exc.__class__.__name__}: {exc})", show_value=False)]) from None
    return tables, {k: str(v) for k, v in files.items()}


def _read_workbook(path: Path, label: str) -> tuple[dict[str, pd.DataFrame], dict]:
    """The sheets of an inventory workbook (see :func:`read_tables`)."""
    # Bounded: a device or a file of gigabytes is refused before it is read.
    content = read_bytes(path, label, TABLE_MAX_BYTES, what="inventory workbook")
    check_zip(content, label, what="inventory workbook")  # and what it unzips to
    try:
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None, dtype=str)
    except Exception as exc:  # openpyxl raises several types on damaged files
        raise InputError([Problem(label, "", f"cannot read the workbook ({exc.__class__.__name__})", show_value=False)]) from None
    names = {fold(k): k for k in sheets}
    problems = []
    for wanted in TABLES:
        if wanted not in names:
            problems.append(Problem(label, f"sheet {wanted}", "missing sheet", show_value=False,
                                    hint=did_you_mean(wanted, list(sheets)) or f"sheets found: {list(sheets)}"))
    for sheet in sheets:
        if fold(sheet) not in TABLES + OPTIONAL_TABLES:
            problems.append(Problem(label, f"sheet {sheet!r}", "unknown sheet: an inventory has only the sheets services, "
                                    "equipment and agents", show_value=False,
                                    hint=did_you_mean(sheet, list(TABLES + OPTIONAL_TABLES)) or "move it to another workbook"))
    if problems:
        raise InputError(problems, title=f"Invalid inventory {label}")
    if all(sheets[names[name]].columns.empty for name in TABLES):  # as a folder with neither file: nothing read
        raise InputError([Problem(label, "", "both sheets, services and equipment, are empty (not even a header row); "
                                  "an inventory needs at least one filled in", show_value=False,
                                  hint="write a blank one with optimiser template inventory")])
    present = [name for name in TABLES + OPTIONAL_TABLES if name in names]
    labels = {name: f"{label}[{name}]" for name in TABLES + OPTIONAL_TABLES}
    problems = formulas_without_results(content, {names[name]: labels[name] for name in present})
    if problems:
        raise InputError(problems, title=f"Invalid inventory {label}")
    tables = {name: sheets[names[name]] for name in present}
    tables.setdefault("agents", pd.DataFrame(columns=AGENT_COLUMNS))
    return tables, labels


def formulas_without_results(content: bytes, labels: dict[str, str]) -> list[Problem]:
    """Formula cells of each sheet of ``labels`` (sheet name → its label in messages), in that
    order, whose computed value the file does not hold.

    Excel and LibreOffice save each formula with its last result; files written by other
    programs (pandas, scripts) often hold the formula alone, which reads as a blank. Such a
    cell is found by reading the workbook twice: as formulas, and as saved values — twice for
    all the sheets, not for each (each opening parses the whole file)."""
    from openpyxl import load_workbook

    formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    problems = []
    try:
        for sheet, label in labels.items():
            header: list = []
            for r, (cells, saved) in enumerate(zip(formulas[sheet].iter_rows(), values[sheet].iter_rows(values_only=True)), 1):
                if r == 1:
                    header = [cell.value for cell in cells]
                for c, cell in enumerate(cells):
                    if getattr(cell, "data_type", None) != "f" or (c < len(saved) and saved[c] is not None):
                        continue
                    column = header[c] if c < len(header) and header[c] is not None else f"column {c + 1}"
                    problems.append(Problem(label, f"row {r}.{column}", "a formula without a saved result (the file was "
                                            "written by a program that does not compute formulas), which would read as "
                                            "blank and be estimated", cell.value,
                                            hint="open and save the workbook in Excel or LibreOffice, or type the value"))
    finally:
        formulas.close()
        values.close()
    return problems


#: Largest plausible value of each number of the inventory (a bound, not an estimate): a
#: figure beyond it is a typing or unit slip (1e300, metres for km, cents for euros) that would
#: otherwise reach the model as an absurd cost. Workload in the service's unit (the bound of
#: ``service_commun.epci_workload``), staff in FTE, contracts in €/yr, machines in units, ages
#: in years (``services.equipment.*.life_years``).
PLAUSIBLE_MAX = {"workload": 1e9, "fte": 100_000, "contract_eur": 1e9, "units": 10_000, "age_years": 100,
                 "contract_end_year": 2200}


def _number(text, label, where, problems, integer=False, minimum=0.0):
    """The number in cell ``text`` (blank: ``None``), from ``minimum`` to the plausible bound of
    its column (:data:`PLAUSIBLE_MAX`, by the column named last in ``where``); a problem
    recorded otherwise."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return None
    raw = str(text).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        problems.append(Problem(label, where, "expected a number", text))
        return None
    maximum = PLAUSIBLE_MAX.get(where.rsplit(".", 1)[-1], math.inf)
    if not math.isfinite(number) or not minimum <= number <= maximum:
        expected = f"a number >= {minimum:g}" + ("" if maximum == math.inf else f" and <= {maximum:,.0f} (a plausible bound)")
        problems.append(Problem(label, where, f"expected {expected}", text))
        return None
    if integer and not number.is_integer():
        problems.append(Problem(label, where, "expected a whole number", text))
        return None
    return int(number) if integer else number


def _check_columns(frame, expected, label, problems):
    for column in frame.columns:
        if str(column).strip() not in expected and not str(column).startswith("estimate"):
            problems.append(Problem(label, f"column {column!r}", "unknown column", show_value=False,
                                    hint=did_you_mean(str(column), expected) or f"columns: {', '.join(expected)}"))


def _member(row, label, where, lookup: CommuneLookup, epci_name: str | None, problems):
    code = row.get("insee_code")
    name = row.get("commune")
    ref = code if isinstance(code, str) and code.strip() else name
    if not isinstance(ref, str) or not ref.strip():
        problems.append(Problem(label, where, "needs insee_code or commune", show_value=False))
        return None
    if epci_name is not None and fold(ref) in (fold(epci_name), "epci"):
        return "EPCI"
    member, message = lookup.resolve(ref)
    if member is None:
        problems.append(Problem(label, f"{where}.{'insee_code' if ref is code else 'commune'}", message, ref, show_value=False))
    elif ref is code and isinstance(name, str) and name.strip():
        _check_name(name.strip(), member, lookup, label, where, problems)
    return member


def _check_name(name: str, code: str, lookup: CommuneLookup, label: str, where: str, problems) -> None:
    """A row that gives both ``insee_code`` and ``commune`` must name the same commune: a name
    that does not match its code is a row pasted against the wrong commune."""
    territory = lookup.territory
    actual = territory.name_of(code)
    if fold(name) == fold(actual):
        return
    other, _ = lookup.resolve(name)
    if other is not None:
        hint = f"{name} is {other}: fix insee_code, or write commune {actual!r} for {code}"
    else:
        hint = did_you_mean(name, [actual]) or f"did you mean {actual!r}?"
    problems.append(Problem(label, f"{where}.commune", f"{name!r} is not the name of commune {code} ({actual})",
                            name, show_value=False, hint=hint))


def read_inventory(path: Path, label: str, territory: Territory, catalogue: Catalogue,
                   epci_name: str | None = None, timing: dict | None = None) -> tuple[dict, dict, tuple[Agent, ...]]:
    """Validated raw inventory entries: ``(services, units, agents)``, the first two keyed by
    (member, service|type).

    Unknown communes, services or machine types, bad modes and negative values are reported
    together with their file, row and column. ``age_years`` (≥ 0) and the optional
    ``contract_end_year`` (a year from 1900 to 2200) only matter to a roadmap: when ``timing`` is
    given it receives them as ``timing["ages"][(member, type)]`` and
    ``timing["contract_ends"][(member, service)]``; the steady-state year ignores them. The agents
    (:mod:`.agents`) fill a blank ``fte`` with their time and give each service its polyvalent FTE
    (``polyvalent_fte``); a given ``fte`` below its agents' time is an error.
    """
    timing = timing if timing is not None else {}
    ages, contract_ends = timing.setdefault("ages", {}), timing.setdefault("contract_ends", {})
    tables, labels = read_tables(path, label)
    services_df, equipment_df = tables["services"], tables["equipment"]
    lookup = CommuneLookup(territory)
    problems: list[Problem] = []
    _check_columns(services_df, SERVICE_COLUMNS, labels["services"], problems)
    _check_columns(equipment_df, EQUIPMENT_COLUMNS, labels["equipment"], problems)
    service_rows: dict[tuple[str, str], dict] = {}
    first_row: dict[tuple[str, str, str], str] = {}  # (table, member, service or type) → its first row
    for k, row in enumerate(services_df.to_dict(orient="records")):
        where = f"row {k + 2}"  # 1-based, after the header, as a spreadsheet shows it
        lab = labels["services"]
        member = _member(row, lab, where, lookup, epci_name, problems)
        service = str(row.get("service") or "").strip()
        if service not in catalogue.services:
            folded = {fold(s): s for s in catalogue.services} | {fold(spec.label): s for s, spec in catalogue.services.items()}
            if fold(service) in folded:
                service = folded[fold(service)]
            else:
                problems.append(Problem(lab, f"{where}.service", "unknown service", service,
                                        hint=did_you_mean(service, list(catalogue.services))))
                continue
        mode = row.get("mode")
        if isinstance(mode, str) and mode.strip():
            if fold(mode) not in MODES:
                problems.append(Problem(lab, f"{where}.mode", "expected regie or delegation", mode,
                                        hint=did_you_mean(mode, list(MODES))))
                mode = None
            elif fold(mode) not in catalogue.services[service].modes:
                problems.append(Problem(lab, f"{where}.mode", f"{service} can only be {' or '.join(catalogue.services[service].modes)} "
                                        "(works are contracted in every option)", mode))
                mode = None
            else:
                mode = fold(mode)
        else:
            mode = None
        entry = {
            "workload": _number(row.get("workload"), lab, f"{where}.workload", problems),
            "fte": _number(row.get("fte"), lab, f"{where}.fte", problems),
            "mode": mode,
            "contract_eur": _number(row.get("contract_eur"), lab, f"{where}.contract_eur", problems),
        }
        end = _number(row.get("contract_end_year"), lab, f"{where}.contract_end_year", problems, integer=True, minimum=1900)
        if member is None:
            continue
        if end is not None:
            contract_ends[(member, service)] = end
        if (member, service) in service_rows:
            problems.append(Problem(lab, where, f"{member} / {service} appears twice (also "
                                    f"{first_row['services', member, service]})", show_value=False,
                                    hint="give one row per commune and service"))
        first_row.setdefault(("services", member, service), where)
        service_rows[(member, service)] = entry
    units: dict[tuple[str, str], int] = {}
    for k, row in enumerate(equipment_df.to_dict(orient="records")):
        where = f"row {k + 2}"
        lab = labels["equipment"]
        member = _member(row, lab, where, lookup, epci_name, problems)
        kind = str(row.get("equipment") or "").strip()
        if kind not in catalogue.equipment:
            problems.append(Problem(lab, f"{where}.equipment", "unknown machine type", kind,
                                    hint=did_you_mean(kind, list(catalogue.equipment)) or f"types: {', '.join(catalogue.equipment)}"))
            continue
        n = _number(row.get("units"), lab, f"{where}.units", problems, integer=True)
        age = _number(row.get("age_years"), lab, f"{where}.age_years", problems)
        if member is None:
            continue
        life = float(catalogue.equipment[kind].life_years.value)
        if age is not None and age > 2 * life:  # twice the service life: a typo, or a machine long written off
            problems.append(Problem(lab, f"{where}.age_years", f"a {kind} of {age:g} years is older than any plausible "
                                    f"life (service life {life:g} years; at most {2 * life:g})", row.get("age_years"),
                                    hint="check the age, or give the year it was bought as age = this year − purchase year"))
        elif age is not None:
            ages[(member, kind)] = age
        if ("equipment", member, kind) in first_row:  # it would count the fleet twice
            problems.append(Problem(lab, where, f"{member} / {kind} appears twice (also "
                                    f"{first_row['equipment', member, kind]})", show_value=False,
                                    hint="give one row per commune and machine type, with the total units"))
            continue
        first_row[("equipment", member, kind)] = where
        if n is not None:
            units[(member, kind)] = n
    agents = _merge_agents(tables["agents"], labels["agents"], service_rows, first_row, catalogue,
                           lambda row, where: _member(row, labels["agents"], where, lookup, epci_name, problems), problems,
                           labels["services"])
    if problems:
        raise InputError(problems, title=f"Invalid inventory {label}")
    return service_rows, units, agents


def _merge_agents(frame, label, service_rows, first_row, catalogue, member_of, problems, services_label) -> tuple[Agent, ...]:
    """Read the agents table and fold it into ``service_rows``: a blank ``fte`` becomes the agents'
    time, a given one must hold it (each agent counted once), and every row gets its
    ``polyvalent_fte``. Time in a service outside the study only makes its agent polyvalent."""
    full = default_catalogue().services  # every service: an agent's other work need not be in the study
    agents = read_agents(frame, label, list(full), {s for s, spec in full.items() if spec.regie_allowed}, member_of, _number,
                         problems)
    polyvalent = polyvalent_fte_by_service(agents)
    for (member, s), time in fte_by_service(agents).items():
        if s not in catalogue.services:
            continue
        entry = service_rows.setdefault((member, s), {"workload": None, "fte": None, "mode": None, "contract_eur": None})
        if entry["fte"] is None:
            entry["fte"] = time
        elif entry["fte"] < time - SPLIT_TOLERANCE_FTE:
            rows = ", ".join(a.row for a in agents if a.member == member and s in a.split)
            problems.append(Problem(services_label, f"{first_row['services', member, s]}.fte",
                                    f"{member} / {s}: fte is less than the {time:g} FTE of its agents ({label} {rows}); fte is the "
                                    "service's total, its agents included, so each agent is counted once", entry["fte"],
                                    hint="leave fte blank to take the agents' time, or correct it"))
        entry["polyvalent_fte"] = polyvalent.get((member, s), 0.0)
    return tuple(agents)


# ------------------------------------------------------------------------------------ estimating


def alone_fte(spec: ServiceSpec, workload: float) -> float:
    """FTE a member needs to run a service alone in régie: workload ÷ productivity, at least the
    specialist minimum when there is any work (0 for a service that is never run in régie)."""
    if not spec.regie_allowed:
        return 0.0
    if np.ndim(workload) or np.ndim(spec.productivity.value) or np.ndim(spec.specialist_min_fte.value):
        # a value per sampled world (see optimiser.robustness): the same rule, elementwise
        floor = np.where(np.asarray(workload) > 0, spec.specialist_min_fte.value, 0.0)
        return np.maximum(floor, workload / spec.productivity.value)
    return max(spec.specialist_min_fte.value if workload > 0 else 0.0, workload / spec.productivity.value)


def alone_regie_eur(catalogue: Catalogue, service: str, workload: float) -> float:
    """€/yr of running ``service`` alone in régie: staff (:func:`alone_fte`), supplies and the
    machines its own need requires."""
    spec = catalogue.services[service]
    cost = alone_fte(spec, workload) * catalogue.staff_eur(service) + workload * catalogue.supplies_eur(service)
    for q, per_unit in spec.equipment_days.items():
        e = catalogue.equipment[q]
        cost += e.units_for(workload * per_unit.value) * e.annual_eur
    return cost


def build_inventory(members: dict[str, tuple[float, float]], catalogue: Catalogue, raw_services: dict | None = None,
                    raw_units: dict | None = None, fixed_workload: dict | None = None,
                    sources: tuple[Path, ...] = (), agents: tuple[Agent, ...] = ()) -> Inventory:
    """Complete the inventory: every (member, service) and machine count, estimates flagged.

    ``members`` maps a member code to (population, area_km2); ``fixed_workload`` gives members
    whose workload is declared rather than estimated (the EPCI's own, from the scenario).
    """
    raw_services = raw_services or {}
    raw_units = raw_units or {}
    fixed_workload = fixed_workload or {}
    services: dict[tuple[str, str], MemberService] = {}
    units: dict[tuple[str, str], int] = {}
    estimated_units = set()
    typical = entry("status_quo.typical_mode")["value"]
    # the garage's fleet follows the commune's crews: estimate it after every other service
    order = sorted(catalogue.services, key=lambda s: s == "parc_auto")
    for member, (population, area) in members.items():
        for s in order:
            spec = catalogue.services[s]
            given = raw_services.get((member, s), {})
            flags = []
            workload = given.get("workload")
            if workload is None:
                if member in fixed_workload:
                    workload = float(fixed_workload[member].get(s, 0.0))
                elif s == "parc_auto":
                    crews = sum(services[(member, k)].fte for k, other in catalogue.services.items()
                                if other.crew and (member, k) in services)
                    workload = float(fleet_vehicles(crews))
                    flags.append("workload")
                else:
                    workload = float(estimated_workload(s, population, area))
                    flags.append("workload")
            mode = given.get("mode")
            if mode is None:
                if not spec.regie_allowed:
                    mode = "delegation"
                elif given.get("contract_eur") and not given.get("fte"):
                    mode = "delegation"
                elif given.get("fte"):
                    mode = "regie"
                elif typical.get(s) in ("regie", "delegation"):
                    mode = typical[s]
                else:
                    regie = alone_regie_eur(catalogue, s, workload)
                    mode = "regie" if regie <= workload * catalogue.delegated_eur(s) else "delegation"
                flags.append("mode")
            fte = given.get("fte")
            if fte is None:
                fte = alone_fte(spec, workload) if mode == "regie" else 0.0
                flags.append("fte")
            contract = given.get("contract_eur")
            if contract is None:
                contract = workload * spec.delegated_price.value if mode == "delegation" else 0.0
                flags.append("contract_eur")
            services[(member, s)] = MemberService(member, s, float(workload), mode, float(fte), float(contract), tuple(flags),
                                                  polyvalent_fte=float(given.get("polyvalent_fte", 0.0)))
            for q, per_unit in spec.equipment_days.items():
                if (member, q) in raw_units:
                    units[(member, q)] = int(raw_units[(member, q)])
                else:
                    need = workload * per_unit.value if mode == "regie" else 0.0
                    units[(member, q)] = catalogue.equipment[q].units_for(need)  # its season's peak included
                    estimated_units.add((member, q))
    services = {(m, s): services[(m, s)] for m in members for s in catalogue.services}  # catalogue order
    return Inventory(services=services, units=units, estimated_units=frozenset(estimated_units), sources=sources,
                     agents=tuple(agents))


def reestimated(inventory: Inventory, members: dict[str, tuple[float, float]], catalogue: Catalogue) -> Inventory:
    """``inventory`` with its estimated fields computed again from ``catalogue``'s current values.

    Workload, FTE and contract flagged as estimated follow their ratios (inside
    :func:`optimiser.services.parameters.drawn_values`, one value per sampled world); the mode and
    the machines owned stay as estimated at the sourced values: they are today's organisation,
    a fact the draws do not change. Fields the inventory gave stay as given."""
    services = {}
    # the garage's fleet follows the commune's crews (as build_inventory estimates it): after them
    order = sorted(inventory.services, key=lambda key: key[1] == "parc_auto")
    for member, s in order:
        row = inventory.services[(member, s)]
        if not row.estimated:
            services[(member, s)] = row
            continue
        spec = catalogue.services[s]
        workload = row.workload
        if "workload" in row.estimated and member in members:
            if s == "parc_auto":
                workload = fleet_vehicles(sum(services[(member, k)].fte for k, other in catalogue.services.items()
                                              if other.crew and (member, k) in services))
            else:
                population, area = members[member]
                workload = estimated_workload(s, population, area)
        fte, contract = row.fte, row.contract_eur
        if "fte" in row.estimated:
            fte = alone_fte(spec, workload) if row.mode == "regie" else 0.0
        if "contract_eur" in row.estimated:
            contract = workload * spec.delegated_price.value if row.mode == "delegation" else 0.0
        services[(member, s)] = MemberService(member, s, workload, row.mode, fte, contract, row.estimated, row.polyvalent_fte)
    services = {key: services[key] for key in inventory.services}  # the inventory's order
    return Inventory(services=services, units=inventory.units, estimated_units=inventory.estimated_units, sources=inventory.sources,
                     agents=inventory.agents, ages=inventory.ages, contract_ends=inventory.contract_ends)


# ------------------------------------------------------------------------------------- template


def write_template(path: Path, territory: Territory, catalogue: Catalogue) -> Path:
    """A blank inventory for ``territory``: one row per commune × service and per commune × machine
    type, value columns empty, our estimates alongside (columns ``estimate_*``) for reference, and
    an empty ``agents`` table (its columns: ``insee_code``, ``commune``, ``agent``, ``fte`` and one
    per service) for the communes whose agents work in several services.

    ``.xlsx`` → a workbook with three sheets; any other path → a folder with three CSV files.
    """
    estimate = build_inventory(member_sizes(territory), catalogue)
    rows, machines = [], []
    for c in territory.codes:
        for s, spec in catalogue.services.items():
            e = estimate.services[(c, s)]
            rows.append({"insee_code": c, "commune": territory.name_of(c), "service": s, "workload": None, "fte": None,
                         "mode": None, "contract_eur": None, "estimate_unit": spec.unit,
                         "estimate_workload": round(e.workload, 3), "estimate_mode": e.mode,
                         "estimate_fte": round(e.fte, 3), "estimate_contract_eur": round(e.contract_eur)})
        for q in catalogue.equipment:
            machines.append({"insee_code": c, "commune": territory.name_of(c), "equipment": q, "units": None,
                             "age_years": None, "estimate_units": estimate.units.get((c, q), 0)})
    services_df, equipment_df = pd.DataFrame(rows), pd.DataFrame(machines)
    agents_df = pd.DataFrame(columns=AGENT_COLUMNS + [s for s, spec in catalogue.services.items() if spec.regie_allowed])
    from ..results.folder import check_writable, write_atomically

    path = Path(path).absolute()
    check_writable(path)
    if path.suffix.lower() == ".xlsx":
        write_workbook(path, {"services": services_df, "equipment": equipment_df, "agents": agents_df})
    else:
        def fill(folder: Path) -> None:
            services_df.to_csv(folder / "services.csv", index=False)
            equipment_df.to_csv(folder / "equipment.csv", index=False)
            agents_df.to_csv(folder / "agents.csv", index=False)

        write_atomically(path, fill, marker="services.csv", kind="an inventory folder")
    return path


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write ``sheets`` (name → table) as the workbook ``path``: built in memory, written aside and
    renamed, so a full disk or an interruption leaves nothing half-written."""
    from ..results.folder import with_path

    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    path = Path(path).absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}.xlsx")
    try:
        partial.write_bytes(book.getvalue())
        os.replace(partial, path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        raise with_path(exc, path)  # noqa: B904 (with_path re-raises exc or chains it as the cause)
    return path


def member_sizes(territory: Territory) -> dict[str, tuple[float, float]]:
    """INSEE code → (population, area in km²) of each commune, as :func:`build_inventory` takes them."""
    return {c: (float(p), float(a)) for c, p, a in zip(territory.codes, territory.communes["population"], territory.communes["area_km2"])}


__all__ = ["Inventory", "MemberService", "build_inventory", "read_inventory", "write_template", "member_sizes",
           "alone_fte", "alone_regie_eur"]
