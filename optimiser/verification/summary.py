"""``summary.json`` as the verifier reads it: which keys must be there, of which type.

A key that is missing or of the wrong type makes the folder unreadable (exit 2, the key named);
a key whose value is wrong is a violation found by the checks. Keys the verifier does not check
(times, versions, messages, ...) are not required.
"""

from __future__ import annotations

import numbers

from ..errors import Problem
from .files import ResultFolder, UnreadableResult

#: The statuses a result can have (``optimal`` and ``feasible`` come with a design).
STATUSES = ("optimal", "feasible", "infeasible", "time_limit", "error")
WITH_DESIGN = ("optimal", "feasible")

#: key → kind, for every result. Kinds: ``text``, ``number`` (int or float, not bool), ``int``,
#: ``bool``, ``object``; ``?`` accepts null.
ALWAYS = {
    "scenario": "text", "status": "text", "objective": "number?", "bound": "number?", "gap": "number?",
    "solver_options": "object", "mode": "text", "contiguity": "text", "n_communes": "int", "population": "int",
    "n_poles": "int", "territory": "object",
}
#: Inside ``territory`` and ``solver_options``.
NESTED = {("territory", "sha256"): "text", ("territory", "name"): "text", ("solver_options", "gap"): "number"}
#: With a design.
DESIGN = {"n_alone": "int", "mean_travel_min": "number?"}
#: With a design of a scenario that has services (the cost figures).
SERVICES = {
    "total_cost": "number", "status_quo_cost": "number", "savings": "number", "savings_pct": "number",
    "services_pooled": "int", "services_borrowed": "int", "pole_services": "int", "fairness_key": "text?",
    "voluntary_members_paying_more": "int", "forced_members_paying_more": "int", "blocking_coalitions": "int",
    "blocking_coalitions_material": "int", "largest_blocking_gain_eur": "number", "core_check_complete": "bool?",
    "estimated_fields": "int",
}


def read_summary(folder: ResultFolder) -> dict:
    """``summary.json`` with at least a text ``status`` (the other keys: :func:`require_keys`)."""
    summary = folder.json("summary.json")
    require_keys(folder, summary, {"status": "text"})
    return summary


def require_keys(folder: ResultFolder, summary: dict, keys: dict[str, str]) -> None:
    """Raise :class:`UnreadableResult` naming every key of ``keys`` missing or of the wrong kind."""
    problems = []
    label = folder.label("summary.json")
    for key, kind in keys.items():
        if key not in summary:
            problems.append(Problem(label, key, f"missing; expected {_expected(kind)}", show_value=False))
        elif not is_kind(summary[key], kind):
            problems.append(Problem(label, key, f"expected {_expected(kind)}", summary[key]))
    for (outer, key), kind in NESTED.items():
        if outer in keys and isinstance(summary.get(outer), dict):
            value = summary[outer].get(key)
            if not is_kind(value, kind):
                problems.append(Problem(label, f"{outer}.{key}", f"expected {_expected(kind)}", value, show_value=key in summary[outer]))
    if problems:
        raise UnreadableResult(problems)


def is_kind(value, kind: str) -> bool:
    if kind.endswith("?") and value is None:
        return True
    kind = kind.rstrip("?")
    if kind == "text":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return kind == "number" or float(value).is_integer()


def _expected(kind: str) -> str:
    text = {"text": "text", "number": "a number", "int": "a whole number", "bool": "true or false",
            "object": "an object"}[kind.rstrip("?")]
    return text + (" or null" if kind.endswith("?") else "")
