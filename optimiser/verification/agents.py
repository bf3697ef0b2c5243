"""Indivisible people: the agents of the inventory, re-read from the folder's own ``inputs/``.

The verifier reads the inventory's ``agents`` and ``services`` tables itself (a few lines of
pandas, not the engine's reader) and checks ``status_quo.csv`` against them (README, "Indivisible
people"):

* each (member, service)'s ``polyvalent_fte`` is the time its agents of several services give it;
* its ``fte`` holds its agents' time — and is exactly that time where the ``services`` row leaves
  ``fte`` blank, so every agent is counted once, never twice across services nor on top of a total;
* a member's agents' time in the study's services is at most its status quo FTE in them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..results.records import row_tuples
from ..text import fold

#: FTE a check tolerates (the tables are written rounded to 3 decimals; typed shares to 0.01).
TOLERANCE_FTE = 0.011


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    """The inventory's ``services`` and ``agents`` tables as text (missing ones empty)."""
    out = {}
    if path.is_dir():
        for name in ("services", "agents"):
            file = path / f"{name}.csv"
            out[name] = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""]) if file.is_file() else pd.DataFrame()
        return out
    sheets = pd.read_excel(io.BytesIO(path.read_bytes()), sheet_name=None, dtype=str)
    by_name = {fold(k): v for k, v in sheets.items()}
    return {name: by_name.get(name, pd.DataFrame()) for name in ("services", "agents")}


def _number(text) -> float:
    if text is None or (isinstance(text, float) and text != text) or not str(text).strip():
        return 0.0
    return float(str(text).strip().replace("\u202f", "").replace(" ", "").replace(",", "."))


def _code(row, territory, epci_name) -> str | None:
    """The member a row names: its INSEE code, else its commune name (the EPCI by its name)."""
    code = row.get("insee_code")
    if isinstance(code, str) and code.strip():
        ref = code.strip()
    else:
        ref = str(row.get("commune") or "").strip()
    if epci_name and fold(ref) in (fold(epci_name), "epci"):
        return "EPCI"
    if ref in set(territory.codes):
        return ref
    names = {fold(territory.name_of(c)): c for c in territory.codes}
    return names.get(fold(ref))


def agent_time(path: Path, territory, services: list[str], epci_name: str | None = None):
    """(time, polyvalent time, given): FTE by (member, service) of the listed agents, and of those
    who work in more than one service; the (member, service) whose services row gives an fte."""
    tables = _tables(Path(path))
    time: dict[tuple[str, str], float] = {}
    polyvalent: dict[tuple[str, str], float] = {}
    agents = tables["agents"]
    for row in agents.to_dict(orient="records"):
        member = _code(row, territory, epci_name)
        split = {s: _number(row.get(s)) for s in services if s in agents.columns}
        split = {s: f for s, f in split.items() if f > 0}
        # every column of the catalogue counts for polyvalence, in the study or not
        others = [c for c in agents.columns if c not in ("insee_code", "commune", "agent", "fte") and not str(c).startswith(("estimate", "note"))]
        n_services = sum(1 for c in others if _number(row.get(c)) > 0)
        for s, f in split.items():
            time[(member, s)] = time.get((member, s), 0.0) + f
            if n_services > 1:
                polyvalent[(member, s)] = polyvalent.get((member, s), 0.0) + f
    given = set()
    for row in tables["services"].to_dict(orient="records"):
        fte = row.get("fte")
        if not (fte is None or (isinstance(fte, float) and fte != fte) or not str(fte).strip()):
            given.add((_code(row, territory, epci_name), str(row.get("service") or "").strip()))
    return time, polyvalent, given


def agent_problems(status_quo: pd.DataFrame, inventory_path: Path | None, territory, services: list[str],
                   epci_name: str | None = None) -> list[str]:
    """``status_quo.csv`` against the inventory's agents (see the module docstring)."""
    if inventory_path is None:
        time, polyvalent, given = {}, {}, set()
    else:
        time, polyvalent, given = agent_time(inventory_path, territory, services, epci_name)
    out = []
    for r in row_tuples(status_quo):
        k = (r.member, r.service)
        where = f"{r.member}/{r.service}"
        want = polyvalent.get(k, 0.0)
        if abs(r.polyvalent_fte - want) > TOLERANCE_FTE:
            out.append(f"{where}: polyvalent_fte {r.polyvalent_fte} but its agents of several services give it {want:.3f} FTE")
        listed = time.get(k, 0.0)
        if r.fte + TOLERANCE_FTE < listed:
            out.append(f"{where}: {r.fte} FTE, fewer than the {listed:.3f} FTE of its agents")
        elif listed > 0 and k not in given and abs(r.fte - listed) > TOLERANCE_FTE:
            out.append(f"{where}: {r.fte} FTE, but the inventory gives no fte for it and its agents work {listed:.3f} FTE in it "
                       "(each agent counted once)")
    return out
