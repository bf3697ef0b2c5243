"""Pre-solve diagnoses: an infeasible scenario is explained in plain words before solving."""

from __future__ import annotations

from helpers import SCENARIOS

from optimiser.api import solve
from optimiser.scenario.load import load_scenario


def diagnosis(*overrides):
    result = solve(load_scenario(SCENARIOS / "laval-2016.yaml", list(overrides)))
    assert result.status == "infeasible"
    return result.summary["diagnosis"], result


def test_unreachable_commune_names_the_nearest_seat():
    lines, result = diagnosis("poles.max_travel_min=15", "poles.candidate_seats=[Entrammes, L'Huisserie, Argentré]")
    line = next(x for x in lines if "Montflours" in x)
    assert "cannot reach any seat within 15 min" in line and "nearest allowed seat is" in line
    minutes = float(line.split(" at ")[1].split(" min")[0])
    assert minutes > 15
    assert result.summary["solve_s"] == 0  # proven before any solver ran


def test_population_totals():
    lines, _ = diagnosis("poles.count.min=6", "poles.population.min=8000")
    assert any("fewer than 6 poles × 8,000" in x for x in lines)


def test_too_many_fixed_seats():
    lines, _ = diagnosis("poles.count.max=1", "poles.fixed_seats=[Changé, Entrammes]")
    assert any("2 fixed seats but at most 1" in x for x in lines)


def test_commune_bigger_than_a_pole():
    lines, _ = diagnosis("poles.population={min: 0, max: 5000}", "service_commun=null")
    assert any("Laval (53130) has 49,400 inhabitants" in x for x in lines)


def test_pole_too_small_within_reach():
    lines, _ = diagnosis("poles.population.min=30000")
    assert lines and all("none of them can gather 30,000 inhabitants" in x for x in lines)


def test_solver_proven_infeasibility_is_explained_by_relaxation():
    # One proximity pole must hold all 18 communes, but two of them must be apart: no pre-solve
    # check sees it; the solver proves it, and lifting one family at a time shows which clash.
    lines, result = diagnosis("poles.count=1", "poles.max_travel_min=60", "poles.apart=[[Changé, Entrammes]]")
    assert result.summary["solve_s"] > 0
    assert any("without the number of poles" in x and "a design exists" in x for x in lines), lines
    assert any("without the 'apart' pairs" in x for x in lines), lines
    assert not any("without the population bounds" in x for x in lines), lines


def test_together_group_blamed_not_the_minimum_size():
    # Montflours and Entrammes must share a pole but no seat is within 20 min of both. Every
    # seat's reach is far above 1,000 inhabitants: the minimum size is not why they have no pole.
    lines, result = diagnosis("poles.population.min=1000", "poles.together=[[Montflours, Entrammes]]",
                              "poles.max_travel_min=20")
    assert result.summary["solve_s"] == 0
    assert lines == ["the 'together' group Entrammes (53094), Montflours (53156) has no seat within 20 min of all its members"]
    assert not any("none of them can gather" in x for x in lines)


def test_apart_pair_blamed_not_the_minimum_size():
    # Changé is the only seat allowed and Louverné must be kept apart from it; Changé's reach
    # holds far more than 6,000 inhabitants, so the minimum size is not the cause.
    lines, result = diagnosis("poles.candidate_seats=[Changé]", "poles.apart=[[Louverné, Changé]]", "poles.max_travel_min=40")
    assert result.summary["solve_s"] == 0
    line = next(x for x in lines if "Louverné" in x)
    assert "apart pairs" in line
    assert not any("none of them can gather" in x for x in lines), lines


def test_too_small_quotes_the_reach_recorded_by_the_candidate_pairs():
    from optimiser.inputs.preparation import prepare
    from optimiser.model.candidates import candidate_pairs

    inputs = prepare(load_scenario(SCENARIOS / "laval-2016.yaml", ["poles.population.min=30000"]))
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    population = inputs.territory.communes["population"]
    assert pairs.too_small and not set(pairs.too_small) & set(pairs.seats)
    for j, reach in pairs.too_small.items():
        assert j in reach.communes and reach.population == sum(int(population[c]) for c in reach.communes) < 30000
    lines, _ = diagnosis("poles.population.min=30000")
    for line in lines:
        code = line.split("(")[1].split(")")[0]
        seats = [j for j, reach in pairs.too_small.items() if code in reach.communes]
        best = max((pairs.too_small[j] for j in seats), key=lambda r: (r.population, len(r.communes)))
        assert f"could hold {best.population:,} inhabitants in {len(best.communes)} communes" in line
