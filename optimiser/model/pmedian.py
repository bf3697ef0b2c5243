r"""The classic p-median, solved on nearest-seat lists that grow until they provably suffice.

Dense p-median models (one binary per commune × seat pair, as common libraries build them) grow
as n². Here each commune *i* only gets variables for its :math:`k_i` nearest candidate seats
:math:`N_i`, plus one "beyond" variable :math:`h_i` priced at :math:`D_i`, the distance to its
:math:`(k_i+1)`-th nearest seat (Church's BEAMR formulation, 2008):

.. math::

   \min \sum_i w_i \Big(\sum_{j \in N_i} d_{ij} x_{ij} + D_i h_i\Big)
   \quad\text{s.t.}\quad \sum_{j \in N_i} x_{ij} + h_i = 1,\quad x_{ij} \le y_j,\quad
   \sum_j y_j = p,\quad y \in \{0,1\},\ x, h \ge 0.

For any choice of seats *y*, serving *i* "beyond" its list costs at least :math:`D_i` in
reality, so this model's optimum is a lower bound of the true p-median. When its optimal
solution has :math:`h_i = 0` for every *i*, that solution is feasible for the true problem at
the same cost: it is optimal. Otherwise the lists of the communes with :math:`h_i > 0` are
doubled and the model solved again. The *x* are continuous: with the seats fixed, each commune
goes to its nearest open seat anyway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pulp


@dataclass
class PMedianModel:
    """The BEAMR model of one round: seats ``y[j]``, assignments ``x[i, j]`` to listed seats and
    "beyond" variables ``h[i]`` (commune and seat indices of the cost matrix)."""

    problem: pulp.LpProblem
    y: dict[int, pulp.LpVariable]
    x: dict[tuple[int, int], pulp.LpVariable]
    h: dict[int, pulp.LpVariable]


def initial_list_size(n: int, p: int) -> int:
    """Seats per commune to start with: about twice the mean pole size, at least 5."""
    return max(5, math.ceil(2 * n / max(p, 1)))


def seats_by_distance(cost: np.ndarray, seats: list[int]) -> np.ndarray:
    """Row *i*: the candidate seats from nearest to farthest from commune *i* (stable order)."""
    seats_arr = np.asarray(seats)
    order = np.argsort(cost[:, seats_arr], axis=1, kind="stable")
    return seats_arr[order]


def build_pmedian(cost, weights, p, seats, fixed, ordered, k) -> PMedianModel:
    """The model with ``k[i]`` listed seats for commune *i* (``ordered``: :func:`seats_by_distance`)."""
    problem = pulp.LpProblem("pmedian", pulp.LpMinimize)
    y = {j: problem.add_variable(f"y_{j}", cat=pulp.LpBinary) for j in seats}
    for j in fixed:
        y[j].lowBound = 1
    x, h = {}, {}
    objective = []
    link_terms = []
    n = cost.shape[0]
    for i in range(n):
        row = []
        for j in ordered[i, : k[i]]:
            j = int(j)
            var = problem.add_variable(f"x_{i}_{j}", 0, 1)
            x[i, j] = var
            row.append((var, 1))
            objective.append((var, float(weights[i] * cost[i, j])))
            link_terms.append((var, y[j]))
        if k[i] < len(seats):
            beyond_cost = float(cost[i, int(ordered[i, k[i]])])
            h[i] = problem.add_variable(f"h_{i}", 0, 1)
            row.append((h[i], 1))
            objective.append((h[i], float(weights[i] * beyond_cost)))
        problem += pulp.LpAffineExpression(row) == 1, f"assign_{i}"
    problem += pulp.LpAffineExpression(objective), "travel"
    for m, (var, seat) in enumerate(link_terms):
        problem += var - seat <= 0, f"link_{m}"
    problem += pulp.lpSum(y.values()) == p, "p"
    return PMedianModel(problem, y, x, h)
