"""The fairness constraints are built in one pass (``fairness._chain``): the expressions must be
the very ones PuLP's operators build — same variables in the same order, same coefficients and
constant bit for bit — on the expressions of a real service model (Laval 2016, à la carte)."""

from __future__ import annotations

import dataclasses

import pulp
from helpers import SCENARIOS

from optimiser.inputs.preparation import prepare
from optimiser.model.assembly import add_services
from optimiser.model.candidates import CandidatePairs, candidate_pairs
from optimiser.model.fairness import IndividualRationality, _chain
from optimiser.model.poles import build_pole_model
from optimiser.model.services import Formulation, K
from optimiser.scenario.load import load_scenario


def _same(a: pulp.LpAffineExpression, b: pulp.LpAffineExpression) -> bool:
    return list(a.items()) == list(b.items()) and a.constant == b.constant


def test_one_pass_expressions_equal_pulp_operators():
    inputs = prepare(load_scenario(SCENARIOS / "laval-2016-lending.yaml"))
    rules = dataclasses.replace(inputs.rules, count_min=None, count_max=None, together=(), apart=(), allow_alone=(), max_alone=None)
    pairs = candidate_pairs(inputs.territory, inputs.matrix, rules)
    seat = max(pairs.members_of, key=lambda j: (len(pairs.members_of[j]), j))
    members = (seat,) + tuple(i for i in pairs.members_of[seat] if i != seat)
    one = CandidatePairs(seats=(seat,), seats_of={i: (seat,) for i in members}, members_of={seat: members}, group_of={})
    model = build_pole_model(inputs.territory, inputs.matrix, dataclasses.replace(rules, allow_alone=members[1:]), one)
    m, _ = add_services(model, inputs, Formulation(lazy_fairness=True))
    fairness = IndividualRationality(m)
    compared = 0
    for (j, s), cost in m.pole_cost.items():
        ps = fairness._prepare(j, s)
        for i in ps.members:
            for c, d in ((0.37, 12.5), (0.0, 3.0), (1e-3, 0.0)):  # scales, zeros included
                z = pulp.LpAffineExpression([(v, 1) for v in m.pooled_vars(i, j, s)])
                expected = cost - m.payments[j, s] - c / K * ps.key_total + d / K * z
                assert _same(_chain([(cost, None, 1), (m.payments[j, s], None, -1), (ps.key_total, c / K, -1), (z, d / K, 1)]), expected)
                if (i, j, s) in m.bb:
                    relax = pulp.LpAffineExpression([(m.h[j, s], -d / K)] if (j, s) in m.h else [])
                    expected = cost - c / K * ps.lent + d / K * m.bb[i, j, s] + relax
                    got = _chain([(cost, None, 1), (ps.lent, c / K, -1), (pulp.LpAffineExpression(m.bb[i, j, s]), d / K, 1), (relax, None, 1)])
                    assert _same(got, expected)
                compared += 1
    assert compared > 50 and any(ps.borrowers for ps in fairness.prepared.values())
