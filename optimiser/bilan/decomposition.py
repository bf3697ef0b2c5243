r"""An exact split of a cost deviation into its causes.

Each cost category of a pole service is written as a product of factors, planned
:math:`x^p_k` and actual :math:`x^a_k`:

=============  ===================================================================  ==========================
category       product                                                              factors
=============  ===================================================================  ==========================
staff          :math:`W \cdot (F/W) \cdot (C/F)`                                    volume, productivity, price
machines       :math:`W \cdot (D/W) \cdot (C/N) \cdot (N/D)`                        volume, productivity, price, utilisation
others, kept   :math:`W \cdot (C/W)`                                                volume, price
coordination   :math:`C`                                                            price
=============  ===================================================================  ==========================

(:math:`W` workload delivered, :math:`F` FTE, :math:`D` machine days, :math:`N` machines,
:math:`C` the category's cost; :math:`N/D` is one over the days each machine worked, so a
fleet used less shows as a utilisation cost.) The deviation :math:`\Delta = \prod_k x^a_k -
\prod_k x^p_k` is split by the **Shapley value** of the factors: factor *k* gets its
marginal effect of switching from plan to actual, averaged over every order of switching,

.. math:: \phi_k = \sum_{S \subseteq K \setminus \{k\}} \frac{|S|!\,(n-|S|-1)!}{n!}
          \Big[f(S \cup \{k\}) - f(S)\Big], \qquad f(S) = \prod_{j \in S} x^a_j \prod_{j \notin S} x^p_j,

so :math:`\sum_k \phi_k = \Delta` exactly, whatever the order, and a zero in the plan or the
actual needs no special case (a log-based split would). For two factors it is the familiar
:math:`\phi_W = \Delta W\,(p^p + p^a)/2`.
"""

from __future__ import annotations

import itertools
import math

#: The causes, in the order reports show them.
CAUSES = ("volume", "productivity", "price", "utilisation")


def shapley_split(plan: dict[str, float], actual: dict[str, float]) -> dict[str, float]:
    """Shapley split of ``Π actual − Π plan`` among the factors (same keys in both)."""
    names = list(plan)
    n = len(names)
    out = {}
    for k in names:
        others = [j for j in names if j != k]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in itertools.combinations(others, size):
                chosen = set(subset)
                base = math.prod(actual[j] if j in chosen else plan[j] for j in others)
                total += weight * base * (actual[k] - plan[k])
        out[k] = total
    return out


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def factors(category: str, workload: float, cost: float, fte: float | None, days: float | None,
            units: float | None) -> dict[str, float]:
    """The factors of ``category``'s cost (see module docstring); their product is ``cost``
    when each driver is positive (a missing driver merges its factor into price)."""
    if category == "coordination_eur":
        return {"price": cost}
    if category == "staff_eur" and fte and workload:
        return {"volume": workload, "productivity": fte / workload, "price": _ratio(cost, fte)}
    if category == "machines_eur" and days and units and workload:
        return {"volume": workload, "productivity": days / workload, "price": cost / units, "utilisation": units / days}
    if workload:
        return {"volume": workload, "price": cost / workload}
    return {"price": cost}


def split_deviation(category: str, plan: dict, actual: dict) -> dict[str, float]:
    """The deviation of one category split by cause (:data:`CAUSES`, zeros for the causes it
    does not have). ``plan``/``actual``: ``workload``, ``cost``, ``fte``, ``machine_days``,
    ``machine_units``. Where the two sides cannot be written with the same factors (a driver
    missing on one side), the common ones are used and the rest is price."""
    p = factors(category, plan["workload"], plan["cost"], plan.get("fte"), plan.get("machine_days"), plan.get("machine_units"))
    a = factors(category, actual["workload"], actual["cost"], actual.get("fte"), actual.get("machine_days"),
                actual.get("machine_units"))
    if set(p) != set(a):  # e.g. FTE not reported: volume and price only
        p = factors(category, plan["workload"], plan["cost"], None, None, None)
        a = factors(category, actual["workload"], actual["cost"], None, None, None)
        if set(p) != set(a):
            p, a = {"price": plan["cost"]}, {"price": actual["cost"]}
    split = shapley_split(p, a)
    out = {cause: split.get(cause, 0.0) for cause in CAUSES}
    # the products equal the costs; any rounding of a zero-driver case is put on price
    out["price"] += (actual["cost"] - plan["cost"]) - sum(out.values())
    return out
