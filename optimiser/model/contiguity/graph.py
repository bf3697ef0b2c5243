"""The adjacency graph contiguity is checked on: shared borders plus the scenario's extra links."""

from __future__ import annotations

from collections import deque

from ...territory import Territory
from ...territory.roads import RoadGraph


def neighbour_lists(territory: Territory, road: RoadGraph) -> dict[str, list[str]]:
    """Adjacency of communes: shared borders, plus the scenario's extra links."""
    nbrs = {c: set() for c in territory.codes}
    for a, b in zip(territory.adjacency["code_a"], territory.adjacency["code_b"]):
        nbrs[a].add(b)
        nbrs[b].add(a)
    for u, v, kind in road.graph.edges(data="kind"):
        if kind == "link":
            a = u if road.method == "adjacency" else u[1]
            b = v if road.method == "adjacency" else v[1]
            nbrs[a].add(b)
            nbrs[b].add(a)
    return {c: sorted(v) for c, v in nbrs.items()}


def pieces(members: list[str], nbrs: dict[str, list[str]]) -> list[list[str]]:
    """Connected pieces of the graph induced by ``members``."""
    inside = set(members)
    seen: set[str] = set()
    out = []
    for start in members:
        if start in seen:
            continue
        piece = []
        queue = deque([start])
        seen.add(start)
        while queue:
            u = queue.popleft()
            piece.append(u)
            for v in nbrs[u]:
                if v in inside and v not in seen:
                    seen.add(v)
                    queue.append(v)
        out.append(piece)
    return out


def disconnected_poles(assignment: dict[str, str | None], nbrs: dict[str, list[str]]) -> dict[str, list[list[str]]]:
    """Seat → the pieces of its pole that do not hold the seat (empty when all are connected)."""
    poles: dict[str, list[str]] = {}
    for i, j in assignment.items():
        if j is not None:
            poles.setdefault(j, []).append(i)
    out = {}
    for j, members in poles.items():
        stray = [p for p in pieces(members, nbrs) if j not in p]
        if stray:
            out[j] = stray
    return out
