"""Why a scenario is infeasible, in plain words: which single family of rules, once lifted, lets a
design exist (a deletion filter over the rule families)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..inputs import Inputs
from ..inputs.rules import PoleRules
from ..model.contiguity import NoContiguity
from ..solvers import SolverOptions, Status
from .outcome import PoleDesign

#: A design run without its own explanation (the trials must not explain themselves).
Trial = Callable[[Inputs, SolverOptions], PoleDesign]


def relaxations(rules: PoleRules) -> list[tuple[str, PoleRules]]:
    """(words for a family of rules, the rules without it), for every family the scenario uses."""
    trials = []
    if rules.contiguity != NoContiguity.name:
        trials.append(("contiguity", dataclasses.replace(rules, contiguity=NoContiguity.name)))
    if rules.count_min is not None or rules.count_max is not None:
        trials.append(("the number of poles (poles.count)", dataclasses.replace(rules, count_min=None, count_max=None)))
    if rules.population_min is not None or rules.population_max is not None:
        trials.append(("the population bounds (poles.population)", dataclasses.replace(rules, population_min=None, population_max=None)))
    if rules.communes_min is not None or rules.communes_max is not None:
        trials.append(("the commune-count bounds (poles.communes)", dataclasses.replace(rules, communes_min=None, communes_max=None)))
    if rules.apart:
        trials.append(("the 'apart' pairs", dataclasses.replace(rules, apart=())))
    if rules.together:
        trials.append(("the 'together' groups", dataclasses.replace(rules, together=())))
    if rules.fixed_seats:
        trials.append(("the fixed seats", dataclasses.replace(rules, fixed_seats=())))
    return trials


def explain_infeasibility(inputs: Inputs, options: SolverOptions, trial: Trial) -> list[str]:
    """Which single family of rules, once lifted, makes the scenario feasible.

    Each trial is a full solve (``trial``) with a short time limit; a trial that times out
    proves nothing and is reported as such.
    """
    trials = relaxations(inputs.rules)
    out = []
    budget = max(2.0, min(20.0, options.time_limit_s / max(1, len(trials))))
    quick = dataclasses.replace(options, time_limit_s=budget)
    for label, relaxed in trials:
        outcome = trial(dataclasses.replace(inputs, rules=relaxed), quick)
        if outcome.status.has_solution:
            out.append(f"the rules cannot all hold together; without {label} a design exists")
        elif outcome.status is Status.TIME_LIMIT:
            out.append(f"without {label}: undecided within {budget:.0f} s")
    if not any("a design exists" in line for line in out):
        out.insert(0, "the solver proved that no design satisfies the rules; no single family of rules is the cause alone")
    return out
