"""Two neighbouring poles re-partitioned exactly (:mod:`optimiser.design.pair_repartition`): from
every design of a tiny territory it never ends dearer nor breaking a rule; from every design of two
poles covering the territory (the pair is then the whole territory) it reaches the enumerated
optimum; and it makes no move where none pays."""

from __future__ import annotations

import time

import pytest
from test_compound_moves import _cost, _every_design, _setup, _value

from optimiser.design.column_generation import design_breaks
from optimiser.design.pair_repartition import available, improve_by_repartition, neighbour_pairs
from optimiser.design.pole_pricing import poles_of


# seed 1 (5 communes) has designs of two poles covering every commune; seed 14 (6) none
@pytest.mark.slow  # an enumeration of every design from every start, 3 CPU-s a seed
@pytest.mark.parametrize("seed, two_pole_covers", [(1, True), (14, False)])
def test_never_dearer_never_breaking_and_exact_over_the_whole_territory(tmp_path, seed, two_pole_covers):
    inputs, pairs, ctx = _setup(tmp_path, seed)
    value = _value(inputs, pairs)
    assert available(value)
    deadline = time.perf_counter() + 300
    designs = _every_design(inputs, ctx, value, deadline)
    optimum = min(cost for cost, _ in designs)
    whole = 0
    for cost, start in designs:
        better, moves = improve_by_repartition(start, value, ctx, deadline)
        end = _cost(value, better, deadline)
        assert end <= cost + 1e-9
        assert (moves == 0) == (better == start)
        assert not design_breaks(better, ctx, inputs), (start, better)
        poles = poles_of(start)
        if len(poles) == 2 and all(j is not None for j in start.values()) and neighbour_pairs(start, ctx.nbrs):
            whole += 1
            assert end <= optimum + 1e-6, (start, better, end, optimum)
        if cost <= optimum + 1e-9:
            assert moves == 0 and better == start  # nothing pays at the optimum
    assert (whole > 0) == two_pole_covers
