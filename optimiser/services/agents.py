r"""Agents: the people behind a commune's FTE, and how each one's time splits over services.

An inventory may hold a third, optional table ``agents`` (a sheet of the workbook, or
``agents.csv`` beside ``services.csv``): one row per agent of a commune —

=============== =========================================================================
column          meaning
=============== =========================================================================
``insee_code``  the commune (or ``commune`` by name)
``agent``       a label unique in the commune (``agent 1``, ``cantonnier``; no name needed)
``fte``         the agent's working time, at most 1 (blank: the sum of the split)
one column per  the agent's FTE in that service (blank: 0), e.g. a village's only agent:
service key     ``voirie`` 0.5, ``espaces_verts`` 0.3, ``batiments`` 0.2
=============== =========================================================================

**Counted once.** The FTE of a commune's service is its ``services`` row's ``fte`` — the
service's total, the listed agents included — or, when that cell is blank, the sum of its agents'
time. A given ``fte`` smaller than its agents' time is an error (the agents would be counted
twice, or not at all), as is a split that does not add up to the agent's ``fte``.

**Indivisible people.** An agent who works in several services (*polyvalent*) stays employed as
long as the commune keeps any of them: pooling, delegating or reorganising one of his services
frees part of his time, not a post. That time, :math:`P_{is} = \sum_{a\ \text{polyvalent}} f_{a,s}`,
is therefore never booked as a cash saving: it is *retained* like the agents kept on under the
attrition rule — put at the pool's disposal in a régie pool (mise à disposition, CGCT
L5211-4-1), paid as redeployed time when the service is delegated
(:func:`optimiser.services.alone.retained_fte`). Posts go in whole agents only: an agent of a
single service (when the service changes, or by attrition under the attrition rule).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem
from ..text import did_you_mean

#: The fixed columns of the agents table (the others are service keys).
AGENT_COLUMNS = ["insee_code", "commune", "agent", "fte"]
#: A split may miss its agent's FTE by this much (rounding of typed shares: 0.33 + 0.33 + 0.33).
SPLIT_TOLERANCE_FTE = 0.011
#: An agent is one person: at most one full-time equivalent.
AGENT_MAX_FTE = 1.0


@dataclass(frozen=True)
class Agent:
    """One person of a commune's staff: ``split`` maps each service he works in to his FTE there."""

    member: str
    label: str
    fte: float
    split: dict[str, float] = field(default_factory=dict)
    row: str = ""
    """The row of the agents table it was read from (``row 3``), for messages."""

    @property
    def polyvalent(self) -> bool:
        """Works in more than one service: indivisible across them."""
        return len(self.split) >= 2


def fte_by_service(agents) -> dict[tuple[str, str], float]:
    """(member, service) → FTE of the listed agents in it."""
    out: dict[tuple[str, str], float] = {}
    for a in agents:
        for s, f in a.split.items():
            out[(a.member, s)] = out.get((a.member, s), 0.0) + f
    return out


def polyvalent_fte_by_service(agents) -> dict[tuple[str, str], float]:
    """(member, service) → FTE of polyvalent agents in it, :math:`P_{is}` (see the module docstring)."""
    return fte_by_service(a for a in agents if a.polyvalent)


def read_agents(frame: pd.DataFrame, label: str, services: list[str], regie_services: set[str],
                member_of: Callable[[dict, str], str | None], number: Callable[..., float | None],
                problems: list[Problem]) -> list[Agent]:
    """The agents of ``frame`` (the ``agents`` table as text), bad rows recorded in ``problems``
    with their row and column: unknown columns ("did you mean" a service), negative or non-numeric
    time, an agent above 1 FTE, a split that does not add up to ``fte``, time in a service that is
    never run in régie, an agent without any time, a label given twice in a commune.

    ``services``: the service keys a column may name (the whole catalogue: time outside the study
    still makes an agent polyvalent); ``member_of(row, where)`` resolves the commune; ``number``
    parses one cell as :func:`optimiser.services.inventory._number` does.
    """
    expected = AGENT_COLUMNS + list(services)
    for column in frame.columns:
        name = str(column).strip()
        if name not in expected and not name.startswith(("estimate", "note")):
            problems.append(Problem(label, f"column {column!r}", "unknown column: the agents table has insee_code, commune, "
                                    "agent, fte and one column per service", show_value=False,
                                    hint=did_you_mean(name, expected) or f"services: {', '.join(services)}"))
    columns = {str(c).strip(): c for c in frame.columns}
    agents: list[Agent] = []
    seen: dict[tuple[str, str], str] = {}
    for k, row in enumerate(frame.to_dict(orient="records")):
        where = f"row {k + 2}"
        member = member_of(row, where)
        text = row.get(columns.get("agent", "agent"))
        tag = str(text).strip() if isinstance(text, str) and text.strip() else where
        total = number(row.get(columns.get("fte", "fte")), label, f"{where}.fte", problems)
        split = {}
        for s in services:
            if s not in columns:
                continue
            share = number(row.get(columns[s]), label, f"{where}.{s}", problems)
            if share is None or share == 0:
                continue
            if s not in regie_services:
                problems.append(Problem(label, f"{where}.{s}", f"{s} is never run by the commune's own staff (works are "
                                        "contracted in every option): no agent time in it", share))
                continue
            split[s] = share
        summed = sum(split.values())
        if total is not None and total > AGENT_MAX_FTE:
            problems.append(Problem(label, f"{where}.fte", f"an agent is one person: at most {AGENT_MAX_FTE:g} FTE", total,
                                    hint="give two people two rows"))
            continue
        if not split:
            if total:
                problems.append(Problem(label, where, f"agent {tag!r} has {total:g} FTE but no time in any service",
                                        show_value=False, hint=f"give his FTE per service in the columns {', '.join(services[:3])}, ..."))
            elif total is None:
                problems.append(Problem(label, where, f"agent {tag!r} has no time in any service", show_value=False,
                                        hint="fill in his FTE per service, or delete the row"))
            continue
        if summed > AGENT_MAX_FTE + SPLIT_TOLERANCE_FTE:
            problems.append(Problem(label, where, f"agent {tag!r} works {summed:g} FTE across services; an agent is one person: "
                                    f"at most {AGENT_MAX_FTE:g} FTE", show_value=False, hint="give two people two rows"))
            continue
        if total is not None and abs(summed - total) > SPLIT_TOLERANCE_FTE:
            shares = " + ".join(f"{s} {f:g}" for s, f in split.items())
            problems.append(Problem(label, f"{where}.fte", f"the split of agent {tag!r} adds up to {summed:g} FTE ({shares}), "
                                    f"not his fte", total, hint="correct the split or the fte (blank: the sum of the split)"))
            continue
        if member is None:
            continue
        if (member, tag) in seen:
            problems.append(Problem(label, f"{where}.agent", f"agent {tag!r} of {member} appears twice (also {seen[member, tag]})",
                                    tag, show_value=False, hint="give each agent a label of his own"))
            continue
        seen[(member, tag)] = where
        agents.append(Agent(member, tag, summed if total is None else total, split, where))
    return agents


__all__ = ["Agent", "AGENT_COLUMNS", "read_agents", "fte_by_service", "polyvalent_fte_by_service"]
