r"""Shortest-path contiguity (Zoltners & Sinha 1983): a member must have a neighbour in the same
pole that is strictly closer to the seat,

.. math:: x_{ij} \le \sum_{k \in N(i),\ t_{kj} < t_{ij}} x_{kj}  \qquad (i \ne j)

Compact and fast; every pole it allows is connected (follow strictly decreasing times to the
seat), but it forbids some connected poles, so its optimum can be worse than the exact one.
"""

from __future__ import annotations

import pulp

from ..blocks import constraint_block
from ..poles import PoleModel
from .base import ContiguityFormulation


class ShortestPathContiguity(ContiguityFormulation):
    name = "shortest-path"
    label = "shortest-path contiguity (Zoltners-Sinha)"

    def add(self, model, nbrs, matrix):
        add_shortest_path_contiguity(model, nbrs, matrix.time_min, matrix.index())


@constraint_block("shortest-path contiguity")
def add_shortest_path_contiguity(model: PoleModel, nbrs: dict[str, list[str]], time_min, index) -> list[str]:
    """Zoltners–Sinha constraints; returns their names (so they can be removed again)."""
    names = []
    for (i, j), var in model.x.items():
        if i == j:
            continue
        t_ij = time_min[index[i], index[j]]
        # h_k stands in for a closer neighbour k that may join j but does not list it (seat lists)
        closer = {v.name: v for k in nbrs[i]
                  if time_min[index[k], index[j]] < t_ij - 1e-9 and (v := model.member_var(k, j)) is not None}
        name = f"sp_{i}_{j}"
        model.problem += var - pulp.lpSum(closer.values()) <= 0, name
        names.append(name)
    return names
