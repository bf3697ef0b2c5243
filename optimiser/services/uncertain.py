"""The uncertain parameters: what the cost model reads from ``cost_parameters.yaml``, with ranges.

A parameter is named as the cost model reads it: ``key`` for a plain value
(``loaded_cost_technicien``), ``key.field`` for one field of a structured value
(``equipment.sweeper_compact.purchase_price``). Its range is the file's ``range`` (for a
structured value, the field's); a range given as ``multiplier_on_result`` makes the key one
parameter, a multiplier on every field the model reads (``road_km_communal_formula``).
A parameter whose range is a single point (or absent) is certain.

The scenario's ``uncertainty`` block may replace a range, choose a distribution, and put
parameters in correlation groups. Every name it uses must be a parameter the cost model reads:
a typo is an input error with a "did you mean".
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..scenario.schema import UncertaintyConfig
from ..text import did_you_mean
from .parameters import entries

MULTIPLIER = "multiplier_on_result"


@dataclass(frozen=True)
class Uncertain:
    """One uncertain parameter.

    ``nominal`` is the sourced value (the mode of a triangular law), ``low``/``high`` its range;
    ``targets`` the values the cost model reads that it sets, each with its nominal value: one
    (itself) for a plain parameter, every read field for a multiplier (nominal 1).
    """

    name: str
    nominal: float
    low: float
    high: float
    distribution: str
    group: str | None
    confidence: str
    unit: str
    targets: tuple[tuple[str, float], ...]
    multiplier: bool = False

    @property
    def certain(self) -> bool:
        return self.low == self.high

    def values(self, x) -> dict:
        """What :func:`optimiser.services.parameters.drawn_values` takes for drawn value(s) ``x``."""
        if self.multiplier:
            return {t: nominal * x for t, nominal in self.targets}
        return {self.name: x}


def _range_of(entry: dict, field: str | None):
    r = entry.get("range")
    if field is None:
        return r if isinstance(r, list) and len(r) == 2 else None
    if isinstance(r, dict) and isinstance(r.get(field), list) and len(r[field]) == 2:
        return r[field]
    return None


def _unit(entry: dict, field: str | None) -> str:
    unit = entry.get("unit", "")
    if isinstance(unit, dict):
        return str(unit.get(field, ""))
    return str(unit or "")


def read_parameters(read: set[str]) -> list[Uncertain]:
    """The parameters behind the values ``read`` (``key`` / ``key.field``), with sourced ranges,
    before the scenario's adjustments (every one triangular, ungrouped)."""
    table = entries()
    out: dict[str, Uncertain] = {}
    multipliers: dict[str, list[tuple[str, float]]] = {}
    for name in sorted(read):
        key, field = (name, None) if name in table else name.rsplit(".", 1)
        e = table[key]
        raw = e["value"]
        nominal = float(raw if field is None else raw[field])
        if field is not None and isinstance(e.get("range"), dict) and MULTIPLIER in e["range"]:
            multipliers.setdefault(key, []).append((name, nominal))
            continue
        r = _range_of(e, field)
        low, high = (float(r[0]), float(r[1])) if r else (nominal, nominal)
        out[name] = Uncertain(name, nominal, min(low, nominal), max(high, nominal), "triangular", None,
                              str(e.get("confidence", "low")), _unit(e, field), ((name, nominal),))
    for key, targets in multipliers.items():
        e = table[key]
        low, high = (float(v) for v in e["range"][MULTIPLIER])
        out[key] = Uncertain(key, 1.0, min(low, 1.0), max(high, 1.0), "triangular", None, str(e.get("confidence", "low")),
                             "× sourced value", tuple(targets), multiplier=True)
    return list(out.values())


def apply_config(params: list[Uncertain], config: UncertaintyConfig | None, label: str,
                 lines: dict[str, int]) -> list[Uncertain]:
    """The parameters as the scenario's ``uncertainty`` block sets them (see module docstring).

    Raises :class:`InputError` naming the file and key for an unknown parameter (with a "did you
    mean"), a group pattern that matches nothing, a parameter in two groups, a lognormal law on a
    range that is not positive, or a range that leaves out the sourced value under a triangular law.
    """
    config = config or UncertaintyConfig()
    by_name = {p.name: p for p in params}
    names = list(by_name)
    problems: list[Problem] = []

    def problem(path: str, message: str, value=None, hint=None, show=True):
        problems.append(Problem(label, path, message, value, hint=hint, show_value=show, line=lines.get(path)))

    group_of: dict[str, str] = {}
    for gname, group in config.groups.items():
        for k, pattern in enumerate(group.parameters):
            path = f"uncertainty.groups.{gname}.parameters[{k}]"
            matched = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
            if not matched:
                problem(path, "matches no parameter the cost model reads", pattern,
                        hint=did_you_mean(pattern, names) or "see parameters.csv of a result folder for the names")
            for n in matched:
                if n in group_of and group_of[n] != gname:
                    problem(path, f"{n} is already in group {group_of[n]}; a parameter belongs to one group", pattern)
                group_of[n] = gname
    changed = dict(by_name)
    for n, group in group_of.items():
        p = changed[n]
        changed[n] = Uncertain(p.name, p.nominal, p.low, p.high, config.groups[group].distribution or p.distribution, group,
                               p.confidence, p.unit, p.targets, p.multiplier)
    for n, p in list(changed.items()):
        if p.group is None or config.groups[p.group].distribution is None:
            changed[n] = _with(p, distribution=config.distribution)
    for n, over in config.parameters.items():
        path = f"uncertainty.parameters.{n}"
        if n not in changed:
            hint = did_you_mean(n, names)
            known = n in entries() or n.rsplit(".", 1)[0] in entries()
            problem(path, "is not a parameter the cost model reads" + (" in this scenario" if known else
                    " (not in cost_parameters.yaml)"), n, hint=hint, show=False)
            continue
        p = changed[n]
        if over.range is not None:
            p = _with(p, low=float(over.range[0]), high=float(over.range[1]))
        if over.distribution is not None:
            p = _with(p, distribution=over.distribution)
        changed[n] = p
    for n, p in changed.items():
        path = f"uncertainty.parameters.{n}" if n in config.parameters else (
            f"uncertainty.groups.{p.group}" if p.group else "uncertainty.distribution")
        if p.certain:
            continue
        if p.distribution == "lognormal" and p.low <= 0:
            problem(path, f"{n} cannot be lognormal: its range [{p.low:g}, {p.high:g}] is not positive",
                    hint="use triangular or uniform", show=False)
        if p.distribution == "triangular" and not (p.low <= p.nominal <= p.high):
            problem(path, f"{n} cannot be triangular on [{p.low:g}, {p.high:g}]: its sourced value {p.nominal:g} "
                    "is outside the range", hint="widen the range or use uniform", show=False)
    if problems:
        raise InputError(problems, title=f"Invalid uncertainty in {label}")
    return list(changed.values())


def _with(p: Uncertain, **changes) -> Uncertain:
    fields = {f: getattr(p, f) for f in Uncertain.__dataclass_fields__}
    fields.update(changes)
    return Uncertain(**fields)
