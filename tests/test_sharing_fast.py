"""The core check's fast group pricing (:class:`~optimiser.services.sharing.GroupPricer`) against
the economics' own formula on real inputs: Laval 2016 with every service of its inventory.

Every group of up to six communes around three seats is priced both ways, in every allowed mode
and at every candidate seat; the figures must be equal (``==``, not approx), and the core check's
blocking groups (with what they pay and would pay) must be those of the group-by-group reference.
"""

from __future__ import annotations

import itertools

import pytest
from helpers import SCENARIOS

from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import load_scenario
from optimiser.services.economics import EPCI, best_mode_cost, pole_service_cost
from optimiser.services.sharing import GroupPricer, MemberTerms, core_check, proportional_shares


@pytest.fixture(scope="module")
def laval():
    inputs = prepare(load_scenario(SCENARIOS / "laval-2016-a-la-carte.yaml"))
    population = {c: int(p) for c, p in inputs.territory.communes["population"].items()}
    return inputs.services, population


def _poles(si, population, size: int = 6):
    """Three seats (the largest communes), each with its ``size`` nearest members."""
    econ = si.econ
    codes = sorted(c for c in si.members if c != EPCI)
    seats = sorted(codes, key=lambda c: (-population.get(c, 0), c))[:3]
    for seat in seats:
        yield seat, sorted(codes, key=lambda c: (econ.minutes(c, seat), c))[:size]


def _reference_core_check(econ, pole, shares, modes, tolerance_eur=1.0):
    """Every group priced by :func:`best_mode_cost` (the check before the fast pricing)."""
    players, blocking = list(pole.poolers), []
    for group in (g for k in range(1, len(players)) for g in itertools.combinations(players, k)):
        pays = sum(shares[i] for i in group)
        alone = sum(econ.standalone[(i, pole.service)].total_eur for i in group)
        if len(group) > 1:
            seats = [pole.seat] + [g for g in group if g != EPCI and g != pole.seat]
            alone = min([alone] + [best_mode_cost(econ, seat, pole.service, group, (), modes).total_eur for seat in seats])
        if pays > alone + tolerance_eur:
            blocking.append((tuple(group), pays, alone))
    return blocking


@pytest.mark.slow  # a reference comparison over every group (4-5 s): make test, not the edit loop
def test_group_pricer_equals_best_mode_cost_on_every_group(laval):
    (si, population), econ = laval, laval[0].econ
    services = sorted({s for (_, s) in si.standalone})
    compared = 0
    for s in services:
        members = sorted(i for i in si.members if (i, s) in si.standalone)
        for seat, near in _poles(si, population):
            near = [i for i in near if i in members]
            if len(near) < 2:
                continue
            for modes in (("regie", "delegation"), ("regie",), ("delegation",)):
                pricer = GroupPricer.of(MemberTerms(econ), s, [seat] + near, near, modes)
                assert pricer is not None
                for k in range(2, len(near) + 1):
                    for group in itertools.combinations(near, k):
                        seats = [seat] + [g for g in group if g != seat]
                        expected = [best_mode_cost(econ, j, s, group, (), modes).total_eur for j in seats]
                        assert pricer.cheapest_at(group, seats) == expected, (s, seat, group, modes)
                        compared += 1
    assert compared > 500


@pytest.mark.slow  # a reference comparison over every group (4-5 s): make test, not the edit loop
def test_core_check_verdicts_unchanged(laval):
    (si, population), econ = laval, laval[0].econ
    found = 0
    for s in sorted({s for (_, s) in si.standalone}):
        modes = tuple(m for m in ("regie", "delegation") if m in econ.catalogue.services[s].modes)
        for seat, near in _poles(si, population):
            near = [i for i in near if (i, s) in si.standalone]
            if len(near) < 2:
                continue
            pole = pole_service_cost(econ, seat, s, near, [], modes[0])
            for key in ("workload", "population"):
                shares = {x.member: x.share_eur for x in proportional_shares(econ, pole, key, population)}
                check = core_check(econ, pole, shares, modes)
                assert check.complete and check.blocking == _reference_core_check(econ, pole, shares, modes)
                found += len(check.blocking)
    assert found > 0, "the case must have blocking groups to compare"
