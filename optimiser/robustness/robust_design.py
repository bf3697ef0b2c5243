"""A run with a ``robust:`` block: the nominal design first, then the sample-average design over its poles.

The result folder holds the robust design priced at the sourced values like any design (every
file, ``optimiser verify``), its status and gap those of the nominal problem (a feasible design
against the nominal run's bound). ``summary.json["robust"]`` holds the sample-average solve's own
status, measure, bound and gap; ``robust.csv`` and ``robust.md`` (a report section of its own:
``report.md`` stays what ``optimiser verify`` re-renders) compare the robust and
the nominal design on the same worlds (those optimised over, and fresh ones).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..solvers import Status, solve_milp
from .repricing import FixedDesign
from .saa import RobustOutcome, choice_values, fixed_poles_model, measure, savings, solve_saa

#: Fresh worlds the two designs are compared on, after the worlds optimised over (default when
#: the scenario has no ``uncertainty.samples``).
FRESH_WORLDS = 1000

REDUCTION = ("the poles are the nominal design's (the pole partition is not re-optimised over the worlds); the bound "
             "and gap are those of this reduced problem")

TEXT = {
    "title": "Robust design (sample average over sampled worlds)",
    "asked": "Asked: the design with the largest {measure} over {worlds} sampled worlds (seed {seed}); pooling choices "
             "and modes are shared by every world, staff, machines and lots sized in each world; rules (individual "
             "rationality, budget, attrition) hold at the sourced values.",
    "status": "Sample-average solve: {status}, {measure} {value:,.0f} €/yr, bound {bound}, gap {gap}, {time:.1f} s. "
              "Reduction: {reduction}.",
    "kept": "The solver found nothing better than the nominal design within its time limit: the nominal design is kept.",
    "same": "The robust design is the nominal design: no other choice of pooling and modes does better over these worlds.",
    "compare": "Robust and nominal design on the same worlds (saving against the status quo, €/yr)",
}

MEASURES = {"expected": "expected saving", "quantile": "saving reached in all but {share:.0%} of worlds",
            "cvar": "mean saving of the worst {share:.0%} of worlds (CVaR)"}


def asks_robust(loaded) -> bool:
    """A ``robust:`` block with services, and not one sampled world of a sweep (each world is solved for itself)."""
    u = loaded.scenario.uncertainty
    return loaded.scenario.robust is not None and loaded.scenario.services is not None and (u is None or u.world is None)


def solve(loaded, inputs=None, on_interrupt: str | None = None):
    """:func:`optimiser.api.solve`, then, with a ``robust:`` block, the robust design over the
    nominal design's poles (see module docstring): the :class:`~optimiser.results.result.Result`
    of the robust design, with ``summary["robust"]``, ``robust.csv`` and ``robust.md``."""
    from ..api import solve as solve_nominal
    from ..api import solver_options, tabulate
    from ..solvers import interruptible

    result = solve_nominal(loaded, inputs, on_interrupt)
    design = result.design
    if not asks_robust(loaded) or design is None or not design.status.has_solution or design.services is None \
            or not result.inputs.services.enabled:  # pooling switched off: nothing to choose in any world
        return result
    options = solver_options(loaded)
    with interruptible(on_interrupt or options.on_interrupt):
        design, outcome = robust_design(loaded, result.inputs, design, options)
    robust = tabulate(loaded, result.inputs, design, options)
    robust.summary["robust"] = robust_summary(outcome)
    # its own report file: report.md stays what optimiser verify re-renders
    robust.extra_files = {"robust.csv": robust_table(outcome).to_csv(index=False), "robust.md": robust_markdown(outcome)}
    return robust


def measure_name(kind: str, alpha: float) -> str:
    return MEASURES[kind].format(share=alpha)


def robust_design(loaded, inputs, design, options):
    """(the design to report, the sample-average outcome) for a solved nominal ``design``."""
    config = loaded.scenario.robust
    nominal = FixedDesign.from_services(design.services, design.assignment)
    outcome = solve_saa(loaded, inputs, nominal, options, config)
    outcome.evaluation = compare(loaded, inputs, nominal, outcome)
    if outcome.design is not None and not outcome.kept_nominal and _same(outcome.design, nominal):
        outcome.same_as_nominal = True
    if outcome.design is None or outcome.kept_nominal or outcome.same_as_nominal:
        return design, outcome
    priced = _priced_at_sourced_values(inputs, outcome.design, options)
    if priced is None:  # cannot happen for a design the model held; keep the nominal one, say so
        outcome.design, outcome.kept_nominal = nominal, True
        return design, outcome
    travel = (design.objective or 0.0) - design.services.total_eur / 1000.0  # same poles: same priced travel
    return dataclasses.replace(
        design, status=Status.FEASIBLE, services=priced, objective=priced.total_eur / 1000.0 + travel,
        formulation=design.formulation + f", robust design ({config.objective} over {config.worlds} worlds)",
        messages=[*design.messages, "robust design: priced here at the sourced values; its status and gap against the "
                  "nominal run's bound (see summary.json robust for the sample-average solve)"]), outcome


def _same(a: FixedDesign, b: FixedDesign) -> bool:
    return a.pooled == b.pooled and a.borrowed == b.borrowed and \
        {k: v for k, v in a.modes.items() if k in a.users()} == {k: v for k, v in b.modes.items() if k in b.users()}


def _priced_at_sourced_values(inputs, fixed: FixedDesign, options):
    """The design's services sized and priced at the sourced values (its choices fixed)."""
    from ..model.extract import extract_services

    model, m = fixed_poles_model(inputs, fixed.assignment)
    for v, x in choice_values(m, fixed).items():
        v.lowBound = v.upBound = x
    outcome = solve_milp(model.problem, options, max(10.0, min(60.0, options.time_limit_s)))
    if not outcome.status.has_solution:
        return None
    return extract_services(m)


def _figures(s: np.ndarray, kind: str, alpha: float) -> dict:
    p10, p50, p90 = np.percentile(s, [10, 50, 90])
    return {"expected_eur": float(np.mean(s)), "p_saving_positive": float(np.mean(s > 0)), "p10_eur": float(p10),
            "p50_eur": float(p50), "p90_eur": float(p90), "measure_eur": measure(s, kind, alpha)}


def compare(loaded, inputs, nominal: FixedDesign, outcome: RobustOutcome) -> dict:
    """Both designs' figures over the worlds optimised over and over fresh worlds after them."""
    robust = outcome.design or nominal
    config = loaded.scenario.uncertainty
    fresh = config.samples if config is not None else FRESH_WORLDS
    out = {}
    for name, (n, start) in {"optimised_worlds": (outcome.worlds, 0), "fresh_worlds": (fresh, outcome.worlds)}.items():
        out[name] = {"worlds": n, "first_world": start + 1,
                     "robust": _figures(savings(loaded, inputs, robust, n, outcome.seed, start), outcome.objective_kind, outcome.alpha),
                     "nominal": _figures(savings(loaded, inputs, nominal, n, outcome.seed, start), outcome.objective_kind, outcome.alpha)}
    return out


def robust_summary(outcome: RobustOutcome) -> dict:
    """``summary.json["robust"]``."""
    return {"objective": outcome.objective_kind, "alpha": outcome.alpha, "worlds": outcome.worlds, "seed": outcome.seed,
            "measure": measure_name(outcome.objective_kind, outcome.alpha), "status": outcome.status,
            "measure_eur": outcome.value_eur, "bound_eur": outcome.bound_eur, "gap": outcome.gap,
            "time_s": round(outcome.time_s, 2), "kept_nominal": outcome.kept_nominal,
            "same_as_nominal": outcome.same_as_nominal, "reduction": REDUCTION,
            "message": outcome.message, "evaluation": outcome.evaluation}


def robust_table(outcome: RobustOutcome) -> pd.DataFrame:
    """``robust.csv``: one row per (worlds set, design)."""
    rows = []
    for worlds, block in outcome.evaluation.items():
        for design in ("robust", "nominal"):
            rows.append({"worlds": worlds, "n_worlds": block["worlds"], "first_world": block["first_world"], "design": design,
                         **{k: round(v, 4) for k, v in block[design].items()}})
    return pd.DataFrame(rows)


def robust_markdown(outcome: RobustOutcome) -> str:
    """The report section (English, as the robustness report; the figures are in robust.csv)."""
    name = measure_name(outcome.objective_kind, outcome.alpha)
    bound = f"{outcome.bound_eur:,.0f} €/yr" if outcome.bound_eur is not None else "none"
    gap = f"{100 * outcome.gap:.2f} %" if outcome.gap is not None else "unknown"
    lines = [f"## {TEXT['title']}", "", TEXT["asked"].format(measure=name, worlds=outcome.worlds, seed=outcome.seed), "",
             TEXT["status"].format(status=outcome.status, measure=name, value=outcome.value_eur or 0.0, bound=bound, gap=gap,
                                   time=outcome.time_s, reduction=REDUCTION), ""]
    if outcome.kept_nominal:
        lines += [TEXT["kept"], ""]
    elif outcome.same_as_nominal:
        lines += [TEXT["same"], ""]
    lines += [f"### {TEXT['compare']}", "",
              "| worlds | design | expected | P(saving > 0) | P10 | P50 | P90 | measure asked |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for worlds, block in outcome.evaluation.items():
        first, last = block["first_world"], block["first_world"] + block["worlds"] - 1
        label = f"{block['worlds']:,} {'optimised over' if worlds == 'optimised_worlds' else 'fresh'} ({first}–{last})"
        for design in ("robust", "nominal"):
            f = block[design]
            lines.append(f"| {label} | {design} | {f['expected_eur']:,.0f} | {f['p_saving_positive']:.3f} | {f['p10_eur']:,.0f} | "
                         f"{f['p50_eur']:,.0f} | {f['p90_eur']:,.0f} | {f['measure_eur']:,.0f} |")
    return "\n".join(lines) + "\n"
