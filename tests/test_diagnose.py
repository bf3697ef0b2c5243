"""Pre-solve diagnoses: an infeasible scenario is explained in plain words before solving."""

from __future__ import annotations

import pytest

from helpers import SCENARIOS
from optimiser.api import solve
from optimiser.scenario.load import load_scenario


def diagnosis(*overrides):
    result = solve(load_scenario(SCENARIOS / "laval-2016.yaml", list(overrides)))
    assert result.status == "infeasible"
    return result.summary["diagnosis"], result


def test_unreachable_commune_names_the_nearest_seat():
    lines, result = diagnosis("poles.max_travel_min=15", "poles.candidate_seats=[Entrammes, L'Huisserie, Argentré]")
    line = next(l for l in lines if "Montflours" in l)
    assert "cannot reach any seat within 15 min" in line and "nearest allowed seat is" in line
    minutes = float(line.split(" at ")[1].split(" min")[0])
    assert minutes > 15
    assert result.summary["solve_s"] == 0  # proven before any solver ran


def test_population_totals():
    lines, _ = diagnosis("poles.count.min=6", "poles.population.min=8000")
    assert any("fewer than 6 poles × 8,000" in l for l in lines)


def test_too_many_fixed_seats():
    lines, _ = diagnosis("poles.count.max=1", "poles.fixed_seats=[Changé, Entrammes]")
    assert any("2 fixed seats but at most 1" in l for l in lines)


def test_commune_bigger_than_a_pole():
    lines, _ = diagnosis("poles.population={min: 0, max: 5000}", "service_commun=null")
    assert any("Laval (53130) has 49,400 inhabitants" in l for l in lines)


def test_pole_too_small_within_reach():
    lines, _ = diagnosis("poles.population.min=30000")
    assert lines and all("none of them can gather 30,000 inhabitants" in l for l in lines)


def test_solver_proven_infeasibility_is_explained_by_relaxation():
    # One proximity pole must hold all 18 communes, but two of them must be apart: no pre-solve
    # check sees it; the solver proves it, and lifting one family at a time shows which clash.
    lines, result = diagnosis("poles.count=1", "poles.max_travel_min=60", "poles.apart=[[Changé, Entrammes]]")
    assert result.summary["solve_s"] > 0
    assert any("without the number of poles" in l and "a design exists" in l for l in lines), lines
    assert any("without the 'apart' pairs" in l for l in lines), lines
    assert not any("without the population bounds" in l for l in lines), lines
