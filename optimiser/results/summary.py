"""``summary.json`` as a typed record: :class:`Summary`, read and written without changing a byte.

The file stays what it was (a flat JSON object of about 40 keys, nested objects for the solver
options, the territory, the roads and, with services, the cost figures); this module gives its
readers names and types instead of string keys:

>>> summary = Summary.from_dict(json.loads(path.read_text()))
>>> summary.status, summary.n_poles, summary.services.savings if summary.services else None

* :meth:`Summary.from_dict` checks every known key's type (a number where a number is written,
  ``null`` only where the writer puts one) and raises :class:`SummaryError` naming the key;
* the cost figures of a scenario with services are one :class:`ServiceFigures` (``None``
  without services: the file then has none of their keys);
* keys this version does not know (a newer writer's) are kept in :attr:`Summary.extra`, and the
  file's key order, so ``Summary.from_dict(d).to_dict() == d`` key
  for key and in the same order: a result folder re-written from its summary is the same file.

Reading from a folder, bounded and with a damaged file an ``InputError``:
:func:`optimiser.results.reading.load_summary`.
"""

from __future__ import annotations

import dataclasses
import numbers
import types
import typing
from dataclasses import dataclass, field
from typing import Any


class SummaryError(ValueError):
    """A ``summary.json`` key missing or of the wrong type (``key`` is its dotted path)."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True, kw_only=True)
class SolverSettings:
    """``solver_options``: what the run asked the solver for (s; relative gap)."""

    name: str
    time_limit_s: float | None = None
    gap: float
    threads: int | None = None


@dataclass(frozen=True, kw_only=True)
class TerritoryInfo:
    """``territory``: the territory's name, file, SHA-256 and the repairs made to its geometry."""

    name: str
    file: str | None = None
    sha256: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class RoadsInfo:
    """``roads``: how travel was computed (method, circuity, km/h, network hash, extra links)."""

    method: str | None = None
    circuity: float | None = None
    speed_kmh: float | None = None
    network_sha256: str | None = None
    n_extra_links: int | None = None


@dataclass(frozen=True, kw_only=True)
class ServiceFigures:
    """The cost figures of a design with services, € per year (TTC net of the FCTVA unless said)."""

    total_cost: float
    status_quo_cost: float
    alone_cost: float | None = None
    savings_alone: float | None = None
    savings_pooling: float | None = None  # None: pooling disabled (the status quo itself)
    savings: float
    savings_pct: float  # share of the status quo, 0.05 = 5 %
    services_pooled: int
    single_member_pole_services: int | None = None
    services_borrowed: int
    pole_services: int
    fairness_key: str | None = None
    voluntary_members_paying_more: int
    forced_members_paying_more: int
    blocking_coalitions: int
    blocking_coalitions_material: int
    largest_blocking_gain_eur: float
    core_check_complete: bool | None = None
    estimated_fields: int
    cost_unit: str | None = None
    status_quo_cost_ht: float | None = None
    savings_by_source: dict[str, float] | None = None
    attrition: dict[str, Any] | None = None
    status_quo_headline: str | None = None
    status_quo_field_fte_per_1000: float | None = None
    status_quo_outside_range: int | None = None
    status_quo_warnings: list[str] | None = None


@dataclass(frozen=True, kw_only=True)
class Summary:
    """The content of ``summary.json`` (see :mod:`optimiser.api` ``build_summary`` for each key)."""

    scenario: str
    status: str  # optimal, feasible, infeasible, time_limit or error
    objective: float | None = None  # in objective_unit
    bound: float | None = None
    gap: float | None = None  # relative, 0.01 = 1 %
    objective_unit: str | None = None
    solver: str | None = None
    solver_options: SolverSettings
    formulation: str | None = None
    mode: str
    contiguity: str
    runtime_s: float | None = None
    build_s: float | None = None
    solve_s: float | None = None
    rounds: int | None = None
    n_variables: int | None = None
    n_constraints: int | None = None
    constraint_families: dict[str, int] | None = None
    n_communes: int
    population: int
    n_poles: int
    n_alone: int | None = None
    mean_travel_min: float | None = None
    diagnosis: list[str] | None = None
    messages: list[str] | None = None
    territory: TerritoryInfo
    roads: RoadsInfo | None = None
    overrides: list[str] | None = None
    scenario_file: str | None = None
    created_utc: str | None = None
    versions: dict[str, str | None] | None = None
    services: ServiceFigures | None = None  # the cost figures, with services only
    composition: dict[str, Any] | None = None  # parents, variant, sweep values, input hash
    institutions_parameters: list[dict[str, Any]] | None = None  # the institutional parameters used, with sources
    #: Keys this version does not know, as read (a newer writer's), kept for the round trip.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def has_design(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def total_cost(self) -> float | None:
        """The yearly cost of the design (€), ``None`` without services."""
        return self.services.total_cost if self.services is not None else None

    @classmethod
    def from_dict(cls, data: dict) -> Summary:
        """The record of a ``summary.json`` object; :class:`SummaryError` for a missing or mistyped key."""
        if not isinstance(data, dict):
            raise SummaryError("summary.json", "expected a JSON object")
        service_keys = {f.name for f in dataclasses.fields(ServiceFigures)}
        own = {f.name for f in dataclasses.fields(cls)} - {"services", "extra"}
        services = _build(ServiceFigures, {k: v for k, v in data.items() if k in service_keys}, "") \
            if "total_cost" in data else None
        known = {k: v for k, v in data.items() if k in own}
        extra = {k: v for k, v in data.items() if k not in own and (services is None or k not in service_keys)}
        record = _build(cls, known, "", services=services, extra=extra)
        object.__setattr__(record, "_keys", tuple(data))  # the file's order, service keys and extra ones included
        return record

    def to_dict(self) -> dict:
        """The ``summary.json`` object: the keys as read (or as written by ``build_summary``), in order."""
        out = _plain(self, skip=("services", "extra"))
        if self.services is not None:
            out.update(_plain(self.services))
        out.update(self.extra)
        return _in_order(out, self.__dict__.get("_keys", ()))


def _in_order(out: dict, keys: tuple[str, ...]) -> dict:
    """``out`` with the keys read first, in the order read, then any other."""
    order = [k for k in keys if k in out]
    return {k: out[k] for k in [*order, *(k for k in out if k not in keys)]}


def _plain(record, skip=()) -> dict:
    """A record's fields as JSON values (nested records as objects); unset optional keys left out
    when the file had them absent (see :meth:`Summary.to_dict`)."""
    out = {}
    for f in dataclasses.fields(record):
        if f.name in skip or f.name in _absent(record):
            continue
        value = getattr(record, f.name)
        out[f.name] = _plain(value) if dataclasses.is_dataclass(value) else value
    return _in_order(out, record.__dict__.get("_keys", ()))


def _absent(record) -> frozenset[str]:
    return record.__dict__.get("_absent", frozenset())


def _build(cls, data: dict, prefix: str, **given):
    """``cls(**data)`` with each value checked against its field's annotation; keys absent from
    ``data`` that have a default are remembered as absent, so the round trip leaves them out."""
    hints = typing.get_type_hints(cls)
    values, absent = dict(given), set()
    for f in dataclasses.fields(cls):
        if f.name in given:
            continue
        path = f"{prefix}{f.name}"
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SummaryError(path, f"missing; expected {_describe(hints[f.name])}")
            absent.add(f.name)
            continue
        values[f.name] = _check(data[f.name], hints[f.name], path)
    record = cls(**values)
    object.__setattr__(record, "_absent", frozenset(absent))
    object.__setattr__(record, "_keys", tuple(data))
    return record


def _check(value, hint, path: str):
    """``value`` if it fits ``hint`` (a nested record is built from its object), else SummaryError."""
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None:
        if type(None) in options:
            return None
        raise SummaryError(path, f"expected {_describe(hint)}, not null")
    for option in options:
        if dataclasses.is_dataclass(option) and isinstance(value, dict):
            return _build(option, value, path + ".")
        if _fits(value, option):
            return value
    raise SummaryError(path, f"expected {_describe(hint)}, got {type(value).__name__} {str(value)[:60]!r}")


def _fits(value, hint) -> bool:
    origin = typing.get_origin(hint) or hint
    if hint is Any:
        return True
    if origin is bool:
        return isinstance(value, bool)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is float:  # JSON writes 2.0 as 2.0 but a hand-edited file may say 2
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    return origin in (str, list, dict) and isinstance(value, origin)


def _describe(hint) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list",
             dict: "an object", type(None): "null"}
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    return " or ".join(names.get(typing.get_origin(o) or o, "an object") for o in options)
