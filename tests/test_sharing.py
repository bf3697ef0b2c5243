"""Cost sharing: Shapley against textbook games, the core check on a game built to fail it."""

from __future__ import annotations

import pytest

from optimiser.services.sharing import shapley_values


def airport(costs):
    """The airport game (Littlechild & Owen 1973): a coalition pays for the longest runway it needs."""
    return lambda group: max(costs[p] for p in group)


def test_shapley_airport_game_closed_form():
    # Runway costs 30, 50, 80 for planes a, b, c: the first 30 is shared by 3, the next 20 by 2,
    # the last 30 by c alone: a = 10, b = 10 + 10 = 20, c = 10 + 10 + 30 = 50.
    values = shapley_values(["a", "b", "c"], airport({"a": 30, "b": 50, "c": 80}))
    assert {k: round(v[0], 9) for k, v in values.items()} == {"a": 10, "b": 20, "c": 50}
    assert all(se == 0 for _, se in values.values())


def test_shapley_is_efficient_and_symmetric():
    cost = lambda group: 10 * len(group) ** 0.5 + (5 if "x" in group else 0)  # noqa: E731
    values = shapley_values(["x", "y", "z", "w"], cost)
    assert sum(v for v, _ in values.values()) == pytest.approx(cost(("w", "x", "y", "z")))
    assert values["y"][0] == pytest.approx(values["z"][0]) == pytest.approx(values["w"][0])
    assert values["x"][0] == pytest.approx(values["y"][0] + 5)


def test_sampled_shapley_is_close_and_states_its_error():
    costs = {f"p{k}": 10 * (k + 1) for k in range(14)}
    exact = shapley_values(list(costs), airport(costs), exact_limit=16)
    sampled = shapley_values(list(costs), airport(costs), exact_limit=4, samples=3000, seed=1)
    for p in costs:
        value, se = sampled[p]
        assert se > 0
        assert abs(value - exact[p][0]) <= 4 * se + 1e-9
