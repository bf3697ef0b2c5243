r"""Contiguity: every pole connected on the adjacency graph (shared borders plus extra links).

The formulations, one module each, registered in :data:`CONTIGUITY`:

* ``exact`` (:mod:`.exact`) — separator cuts in a solve–check–cut loop; connectivity itself;
* ``shortest-path`` (:mod:`.shortest_path`) — Zoltners–Sinha, compact, stricter than connectivity;
* ``none`` (:mod:`.none`).

A new formulation is one module with a :class:`ContiguityFormulation` subclass, one line in
:data:`CONTIGUITY`, and a test; the scenario schema's allowed values are tested against this
registry (``tests/test_architecture.py``).
"""

from __future__ import annotations

from ...errors import InputError, Problem
from ...text import did_you_mean
from .base import ContiguityFormulation
from .exact import ExactContiguity, add_neighbour_cuts, add_separator_cuts
from .graph import disconnected_poles, neighbour_lists, pieces
from .none import NoContiguity
from .shortest_path import ShortestPathContiguity, add_shortest_path_contiguity

#: Every contiguity formulation, by the scenario's name for it.
CONTIGUITY: dict[str, type[ContiguityFormulation]] = {
    formulation.name: formulation for formulation in (ExactContiguity, ShortestPathContiguity, NoContiguity)
}


def contiguity_formulation(name: str) -> ContiguityFormulation:
    """The registered formulation called ``name``; an unknown name is an error, never "no contiguity"."""
    try:
        return CONTIGUITY[name]()
    except KeyError:
        hint = did_you_mean(str(name), list(CONTIGUITY))
        raise InputError([Problem(None, "contiguity", "unknown contiguity formulation", name,
                                  hint=hint or f"use one of {', '.join(CONTIGUITY)}")]) from None


__all__ = [
    "CONTIGUITY",
    "ContiguityFormulation",
    "ExactContiguity",
    "NoContiguity",
    "ShortestPathContiguity",
    "add_neighbour_cuts",
    "add_separator_cuts",
    "add_shortest_path_contiguity",
    "contiguity_formulation",
    "disconnected_poles",
    "neighbour_lists",
    "pieces",
]
