"""Column generation over poles: its bound is valid (never above the enumerated optimum), its LP
master over every pole is the set-partitioning LP, and its integer master finds the optimum."""

from __future__ import annotations

import itertools
import math
import time

import pulp
import pytest
from test_services_bruteforce import best_service_design, case

from optimiser.design.column_generation import Column, ColumnGeneration, PartitionRows, solve_master
from optimiser.design.pole_pricing import PerPoleValue, separable
from optimiser.inputs.preparation import prepare
from optimiser.model.assembly import assemble_model
from optimiser.model.candidates import candidate_pairs
from optimiser.model.repair import RepairContext
from optimiser.model.service_bound import member_savings_by_seat_keur, member_service_bound_keur
from optimiser.model.services import FORMULATION
from optimiser.scenario.load import scenario_from_dict
from optimiser.solvers import SolverOptions


def _setup(tmp_path, seed):
    inputs = prepare(scenario_from_dict(case(tmp_path, seed), base_dir=tmp_path))
    assert separable(inputs)
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    assembled = assemble_model(inputs, pairs, FORMULATION, None)
    value_of = PerPoleValue(inputs, SolverOptions(name="highs", time_limit_s=60, gap=0.0), pairs)
    return inputs, pairs, value_of, RepairContext.of(assembled.pole, assembled.nbrs)


def _every_pole(pairs, value_of) -> list[Column]:
    """Every (seat, members) a seat may hold, priced exactly (tiny territories only)."""
    out = []
    deadline = time.perf_counter() + 60
    for j in pairs.seats:
        others = [i for i in pairs.members_of[j] if i != j]
        for k in range(len(others) + 1):
            for extra in itertools.combinations(sorted(others), k):
                members = (j,) + extra
                priced = value_of.pole(j, members, deadline)
                if math.isfinite(priced.delta):  # priced (closed form: no values)
                    out.append(Column(j, members, priced.delta, True))
    return out


def _partitioning_lp(codes, columns, constant) -> float:
    """min C₀ + Σ Δ_c y_c, each commune covered exactly once, y ≥ 0 — written with PuLP, apart
    from the module under test."""
    lp = pulp.LpProblem("sp", pulp.LpMinimize)
    y = [lp.add_variable(f"y{k}", lowBound=0) for k in range(len(columns))]
    lp += constant + pulp.lpSum(c.delta * v for c, v in zip(columns, y))
    for i in codes:
        lp += pulp.lpSum(v for c, v in zip(columns, y) if i in c.members) == 1
    lp.solve(pulp.HiGHS(msg=False) if "HiGHS" in pulp.listSolvers(onlyAvailable=True) else pulp.PULP_CBC_CMD(msg=False))
    return pulp.value(lp.objective)


@pytest.mark.slow
def test_the_bound_lies_between_the_member_bound_and_the_optimum(tmp_path):
    tighter = 0
    for seed in (9, 11, 14):  # 4, 5 and 6 communes; each proves its optimum in under 40 pricing rounds
        inputs, pairs, value_of, ctx = _setup(tmp_path, seed)
        optimum = best_service_design(inputs) / 1000.0  # k€/yr, by enumeration
        old = member_service_bound_keur(inputs.services, pairs.seats_of, pairs.members_of)
        cg = ColumnGeneration(value_of, ctx)
        cg.seed_singletons(time.perf_counter() + 30)
        result = cg.run(time.perf_counter() + 30, optimum)  # stops once it proves the optimum
        assert result.iterations >= 1
        assert old - 1e-6 <= result.bound <= optimum + 1e-6, seed
        tighter += result.bound > old + 1e-3
        for design in result.designs:  # obeys every rule, so costs at least the optimum
            assert value_of(design, time.perf_counter() + 30)[0] >= optimum - 1e-6
    assert tighter >= 2


@pytest.mark.slow  # ~2 CPU-s; the edit loop keeps the integer master's stop test
def test_master_over_every_pole_is_the_partitioning_lp_and_its_integer_version_the_optimum(tmp_path):
    inputs, pairs, value_of, ctx = _setup(tmp_path, 1)  # five communes
    columns = _every_pole(pairs, value_of)
    saving = member_savings_by_seat_keur(inputs.services, pairs.seats_of, pairs.members_of)
    for c in columns:  # the one-seat member-by-member floor the pricing skips seats with
        assert c.delta >= -sum(saving[i].get(c.seat, 0.0) for i in c.members) - 1e-6
    rows = PartitionRows(list(inputs.territory.codes), set(), None, None)
    master = solve_master(rows, columns, value_of.constant)
    expected = _partitioning_lp(inputs.territory.codes, columns, value_of.constant)
    assert abs(master.value - expected) <= 1e-6 * abs(expected)
    # the duals prove the LP value: L at the LP duals with exact pricing is the LP value itself
    cg = ColumnGeneration(value_of, ctx)
    low = {j: min(c.delta - sum(master.pi[i] for i in c.members) - master.mu for c in columns if c.seat == j)
           for j in cg.seats}
    assert abs(cg.bound_at(master.pi, master.mu, low) - master.value) <= 1e-5 * abs(expected)
    # column generation from the one-commune poles alone reaches the same LP value
    fresh = PerPoleValue(inputs, value_of.options, pairs)
    cg = ColumnGeneration(fresh, ctx)
    cg.seed_singletons(time.perf_counter() + 30)
    result = cg.run(time.perf_counter() + 60)
    assert result.bound <= expected + 1e-6
    assert abs(result.lp_value - expected) <= 1e-4 * abs(expected)
    usable = [c for c in columns if c.usable]
    whole = solve_master(rows, usable, value_of.constant, integer=True)
    assert abs(whole.value - best_service_design(inputs) / 1000.0) <= 1e-5 * abs(whole.value)


def test_a_stop_request_ends_the_integer_master_at_once():
    """Ctrl-C (a stop request) during the integer master stops HiGHS within a second or two,
    not at the master's time limit: a random set-partitioning master HiGHS does not finish in 20 s."""
    import threading

    import numpy as np

    from optimiser.solvers import STOP

    rng = np.random.default_rng(0)
    codes = [f"c{k}" for k in range(60)]
    columns = [Column(c, (c,), 0.0, True) for c in codes]
    for _ in range(4000):
        members = tuple(sorted(rng.choice(codes, size=int(rng.integers(3, 9)), replace=False)))
        columns.append(Column(members[0], members, -float(rng.uniform(0, 10)) * len(members), True))
    timer = threading.Timer(1.0, STOP.request)
    timer.start()
    try:
        start = time.perf_counter()
        solve_master(PartitionRows(codes, set(), None, 10), columns, 0.0, integer=True, time_limit=20.0)
        assert time.perf_counter() - start < 8.0
    finally:
        timer.join()
        STOP.clear()
