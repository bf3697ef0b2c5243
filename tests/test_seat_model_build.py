"""The seat models of the pole pricing (and the full service model) are built fast, and the
speed-ups change nothing: every model below must hash to the digest the plain builder gave
(constraint names in order, each row's terms in order with their coefficients bit for bit, its
sense and constant; every column's bounds and type; the objective), and the HiGHS arrays must
be the ones a plain row-by-row conversion gives.

A deliberate change of the model changes these digests: print the new ones with
``.venv/bin/python tests/test_seat_model_build.py`` and check the change is the one intended."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pulp
import pytest
from helpers import SCENARIOS

from optimiser.inputs.preparation import prepare
from optimiser.model.assembly import add_services, assemble_model
from optimiser.model.candidates import CandidatePairs, candidate_pairs
from optimiser.model.poles import build_pole_model
from optimiser.model.services import Formulation
from optimiser.scenario.load import load_scenario


def fingerprint(problem: pulp.LpProblem) -> str:
    """sha256 of the model as written: rows in order (name, sense, constant, terms in order),
    columns by name (bounds, type), the objective's terms and constant; floats by ``repr``."""
    digest = hashlib.sha256()
    for c in problem.constraints():
        terms = ",".join(f"{v.name}:{x!r}" for v, x in c.items())
        digest.update(f"{c.name}|{c.sense}|{c.constant!r}|{terms}\n".encode())
    for v in problem.variables():
        digest.update(f"{v.name}|{v.lowBound!r}|{v.upBound!r}|{v.cat}\n".encode())
    objective = ",".join(f"{v.name}:{x!r}" for v, x in problem.objective.items())
    digest.update(f"obj|{problem.objective.constant!r}|{objective}\n".encode())
    return digest.hexdigest()


def seat_model(scenario: str) -> pulp.LpProblem:
    """The largest seat's pricing model (as ``PerPoleValue._seat_model`` builds it)."""
    inputs = prepare(load_scenario(SCENARIOS / scenario))
    rules = dataclasses.replace(inputs.rules, count_min=None, count_max=None, together=(), apart=(), allow_alone=(),
                                max_alone=None)
    pairs = candidate_pairs(inputs.territory, inputs.matrix, rules)
    seat = max(pairs.members_of, key=lambda j: (len(pairs.members_of[j]), j))
    members = (seat,) + tuple(i for i in pairs.members_of[seat] if i != seat)
    one = CandidatePairs(seats=(seat,), seats_of={i: (seat,) for i in members}, members_of={seat: members}, group_of={})
    model = build_pole_model(inputs.territory, inputs.matrix, dataclasses.replace(rules, allow_alone=members[1:]), one)
    add_services(model, inputs, Formulation(lazy_fairness=False))
    return model.problem


def connected_seat_model(scenario: str) -> pulp.LpProblem:
    """The largest seat's pricing model with the connectivity rows the column generation's seat
    pricing switches on (as ``PerPoleValue._seat_model`` adds them when contiguity is required)."""
    from optimiser.design.pole_pricing import add_connectivity
    from optimiser.model.contiguity import neighbour_lists

    problem = seat_model(scenario)
    inputs = prepare(load_scenario(SCENARIOS / scenario))
    names = [v.name.split("_") for v in problem.variables() if v.name.startswith("x_")]
    seat = next(i for _, i, j in names if i == j)
    candidates = (seat,) + tuple(sorted(i for _, i, _j in names if i != seat))
    add_connectivity(problem, seat, candidates, neighbour_lists(inputs.territory, inputs.road))
    return problem


def full_model(scenario: str) -> pulp.LpProblem:
    inputs = prepare(load_scenario(SCENARIOS / scenario))
    return assemble_model(inputs, candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)).pole.problem


MODELS = {
    "seat laval-2016-lending": lambda: seat_model("laval-2016-lending.yaml"),
    "seat laval-2016-a-la-carte": lambda: seat_model("laval-2016-a-la-carte.yaml"),
    "connected seat laval-2016-lending": lambda: connected_seat_model("laval-2016-lending.yaml"),
    "connected seat laval-2016-a-la-carte": lambda: connected_seat_model("laval-2016-a-la-carte.yaml"),
    "full laval-2016-lending": lambda: full_model("laval-2016-lending.yaml"),
    "full laval-2016-service-commun-ac": lambda: full_model("laval-2016-service-commun-ac.yaml"),
}

#: The digests of the models above as the plain builder (before the speed-ups) wrote them.
DIGESTS = {
    "connected seat laval-2016-a-la-carte": "c7bf7b6e6fe9bd26a9e341cf1f75478b93d9934b87e023202d34b5c17e21c63f",
    "connected seat laval-2016-lending": "f7595c2282fae4b437aab105eb9a2a3b2ef8805a9d910ed4fe366a56603b2655",
    "full laval-2016-lending": "3b836db386be018fd7f60708b195df6ac4fe2042668d99f1f0972b6264500f59",
    "full laval-2016-service-commun-ac": "7fa78f1de7e30d3b89d27aa651df4145beda44e91502ba2d3928c90071f9cb84",
    "seat laval-2016-a-la-carte": "6a1a9d5b88624a8ad68447037f8dd3fdd5435dd61aa45ef38030bf7815a4c947",
    "seat laval-2016-lending": "db56def0708464e551040b1c57d9a41adec81d828ce6125c3bf7adb4c2c5c61c",
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_built_model_is_the_plain_builders(name):
    assert fingerprint(MODELS[name]()) == DIGESTS[name]


def plain_lp_arrays(highspy, problem, variables) -> dict:
    """The conversion row by row, as first written (what the fast one must equal)."""
    position = {v.name: k for k, v in enumerate(variables)}
    cost = np.zeros(len(variables))
    for var, coef in problem.objective.items():
        cost[position[var.name]] = coef
    starts, index, value, row_lower, row_upper = [0], [], [], [], []
    for constraint in problem.constraints():
        for var, coef in constraint.items():
            if coef != 0:
                index.append(position[var.name])
                value.append(coef)
        starts.append(len(index))
        rhs = -constraint.constant
        sense = constraint.sense
        row_lower.append(rhs if sense in (pulp.LpConstraintGE, pulp.LpConstraintEQ) else -highspy.kHighsInf)
        row_upper.append(rhs if sense in (pulp.LpConstraintLE, pulp.LpConstraintEQ) else highspy.kHighsInf)
    return {"cost": cost,
            "lower": np.array([-highspy.kHighsInf if v.lowBound is None else v.lowBound for v in variables], dtype=float),
            "upper": np.array([highspy.kHighsInf if v.upBound is None else v.upBound for v in variables], dtype=float),
            "row_lower": np.asarray(row_lower, dtype=float), "row_upper": np.asarray(row_upper, dtype=float),
            "offset": float(problem.objective.constant),
            "starts": np.asarray(starts, dtype=np.int32), "index": np.asarray(index, dtype=np.int32),
            "value": np.asarray(value, dtype=float),
            "integer": np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)}


def test_the_highs_arrays_are_the_row_by_row_conversions():
    import highspy

    from optimiser.solvers.highs import _lp_arrays

    problem = seat_model("laval-2016-lending.yaml")
    problem += pulp.LpAffineExpression([(next(iter(problem.variables())), 0.0)]) <= 0, "zero_row"  # a 0 coefficient dropped
    variables = problem.variables()
    got, expected = _lp_arrays(highspy, problem, variables), plain_lp_arrays(highspy, problem, variables)
    assert got.keys() == expected.keys()
    for key, array in expected.items():
        assert np.array_equal(got[key], array), key
        assert np.asarray(got[key]).dtype == np.asarray(array).dtype, key


def champagnole_seat_model():
    """The largest seat model of CC Champagnole Nozeroy Jura (SIREN 200069623, 66 communes) as
    the column generation builds it (``PerPoleValue._seat_model``: services, fairness, the
    connectivity rows; objective constant moved out), from what ``optimiser init`` writes with
    ``services: {}`` (benchmarks/services_epci.py's scenario). Returns the :class:`ResolvableModel`."""
    import tempfile
    from pathlib import Path

    from optimiser.design.pole_pricing import PerPoleValue
    from optimiser.model.contiguity import neighbour_lists
    from optimiser.starter import init_folder
    from optimiser.territory.france import national_data

    national = national_data()
    with tempfile.TemporaryDirectory(prefix="seat-champagnole-") as folder:
        summary = init_folder(national.select_epci("200069623"), Path(folder) / "champagnole", national)
        with open(summary.scenario, "a", encoding="utf-8") as handle:
            handle.write("\nservices: {}\n")
        inputs = prepare(load_scenario(summary.scenario))
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    value = PerPoleValue(inputs, None, pairs, nbrs=neighbour_lists(inputs.territory, inputs.road))
    seat = max(pairs.members_of, key=lambda j: (len(pairs.members_of[j]), j))
    model, _, _ = value._seat_model(seat)
    return model


#: :func:`champagnole_seat_model`'s digest as the plain builder (before the speed-ups) wrote it;
#: a change of the national data or of ``optimiser init``'s estimates changes it too.
CHAMPAGNOLE_DIGEST = "5492fe11206370c24519ef2669fbd616052a49de856df0782cab436d50fd837c"


def test_a_real_epcis_seat_model_and_its_arrays_are_the_plain_builders():
    import highspy

    model = champagnole_seat_model()
    assert fingerprint(model.problem) == CHAMPAGNOLE_DIGEST
    expected = plain_lp_arrays(highspy, model.problem, model.variables)
    for key, array in expected.items():
        assert np.array_equal(model.arrays[key], array), key


if __name__ == "__main__":
    for name in sorted(MODELS):
        print(f'    "{name}": "{fingerprint(MODELS[name]())}",')
    print(f'CHAMPAGNOLE_DIGEST = "{fingerprint(champagnole_seat_model().problem)}"')
