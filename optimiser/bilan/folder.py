"""``optimiser bilan``: from a result folder and an actuals workbook to a bilan folder.

=========================== ==============================================================
``bilan.json``              key figures, decision, re-planned saving, the inputs' sha256,
                            versions: the folder's marker
``poles_bilan.csv``         per pole service: every measure planned and actual, deviation,
                            indicators (cost per unit and per inhabitant, FTE per unit,
                            productivity, machine utilisation)
``deviations.csv``          per pole service × cost category, ranked by size: the deviation
                            and its exact split into volume, productivity, price, utilisation
``communes_bilan.csv``      per commune: planned and actual paid, its share of the actual
                            cost by the plan's key, per inhabitant, saving realised
``service_levels.csv``      per commune × service: workload delivered, response time,
                            mowing passes done, complaints (and the year before)
``recalibration.csv``       per parameter the actuals inform: prior and range, observations,
                            estimate and narrowed range (:mod:`.recalibration`)
``recalibrated.yaml``       the plan's scenario with the estimates (``extends`` ``plan/``)
``replan/``                 the plan re-solved with them (a result folder, no maps)
``missing.csv``             the actuals not given (the planned figure stands in for them)
``bilan.md``, ``bilan.html`` the report for élus
``plan/``                   the plan's files and inputs, as evaluated (``optimiser verify``
                            re-computes the bilan from them)
``inputs/``                 the actuals workbook
=========================== ==============================================================
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .._version import __version__
from ..results.folder import check_target, write_atomically
from ..results.i18n import resolve_lang, using
from .actuals import Actuals, read_actuals
from .compare import Bilan, compare
from .decision import Decision, decide, service_levels
from .plan import PLAN_FILES, ROADMAP_FILES, Plan, file_hashes, read_plan
from .recalibration import Estimate, recalibrate, scenario_file, table

MARKER = "bilan.json"
KIND = "a bilan folder"
PLAN_DIR = "plan"
REPLAN_DIR = "replan"
#: Why the bilan of a roadmap year re-solves the steady state rather than the roadmap's remaining
#: years: the ``roadmap:`` block has no way to say that a phase is already in place (started, its
#: set-up paid, its machines sold). A roadmap re-run from the next year would price those set-ups
#: again and let the timing postpone or drop phases already running; so ``recalibrated.yaml`` sets
#: ``roadmap: null`` and the re-plan is the steady-state year with the recalibrated parameters
#: (``bilan.json`` ``replanned.scope: steady_state``, said in the report).
STEADY_STATE_REPLAN = "steady_state"


@dataclass
class Outcome:
    """Everything the bilan computed (what :func:`write_folder` writes)."""

    plan: Plan
    actuals: Actuals
    bilan: Bilan
    estimates: pd.DataFrame
    levels: dict
    decision: Decision
    replanned: dict | None


def plan_context(plan: Plan):
    """(catalogue, resolved scenario mapping) of the plan, as it was solved."""
    from ..inputs.service_inputs import scenario_catalogue
    from ..results.reading import read_resolved
    from ..scenario.load import load_scenario

    loaded = load_scenario(plan.folder / "scenario.resolved.yaml")
    return scenario_catalogue(loaded), read_resolved(plan.folder / "scenario.resolved.yaml")


def evaluate(plan: Plan, actuals: Actuals, replanned: dict | None = None):
    """The bilan, the recalibration and the decision (``replanned``: the re-solved plan's
    summary, if it was re-solved)."""
    bilan = compare(plan, actuals)
    catalogue, resolved = plan_context(plan)
    estimates = recalibrate(plan, bilan, catalogue, resolved.get("uncertainty"))
    levels = service_levels(bilan.service_levels)
    decision = decide(bilan.key_figures, levels, None if replanned is None else replanned["savings"])
    return bilan, estimates, levels, decision


def run_bilan(result_dir: Path, actuals_path: Path, out: Path, lang: str | None = None,
              replan: bool = True, year: str | int | None = None) -> tuple[Path, Outcome]:
    """Compute and write the bilan folder ``out`` (atomic: all of it or nothing); ``year``: the
    roadmap year evaluated (a roadmap result only)."""
    out = Path(out).absolute()
    check_target(out, MARKER, KIND)
    plan = read_plan(result_dir, period=None if year is None else str(year))
    actuals = read_actuals(actuals_path, plan, label=str(actuals_path))
    bilan, estimates, levels, decision = evaluate(plan, actuals)
    lang = resolve_lang(lang)
    result: dict = {}

    def fill(folder: Path) -> None:
        _copy_plan(plan.folder, folder / PLAN_DIR)
        (folder / "inputs").mkdir()
        shutil.copy2(actuals.path, folder / "inputs" / actuals.path.name)
        (folder / "recalibrated.yaml").write_text(recalibrated_text(plan, estimates), encoding="utf-8")
        replanned = _replan(folder, lang) if replan else None
        if replanned is not None and plan.roadmap_year is not None:
            replanned["scope"] = STEADY_STATE_REPLAN
        final_decision = decide(bilan.key_figures, levels, None if replanned is None else replanned["savings"])
        outcome = Outcome(plan, actuals, bilan, table(estimates), levels, final_decision, replanned)
        write_tables(folder, outcome)
        from .report import markdown, to_html

        with using(lang):
            text = markdown(str(plan.summary.get("scenario", "")), bilan.key_figures, final_decision, bilan,
                            outcome.estimates, replanned, levels, example=actuals.example)
        (folder / "bilan.md").write_text(text, encoding="utf-8")
        (folder / "bilan.html").write_text(to_html(text, lang), encoding="utf-8")
        (folder / MARKER).write_text(json.dumps(marker(outcome, lang), indent=2, ensure_ascii=False), encoding="utf-8")
        result["outcome"] = outcome

    path = write_atomically(out, fill, marker=MARKER, kind=KIND)
    return path, result["outcome"]


def recalibrated_text(plan: Plan, estimates: list[Estimate]) -> str:
    """``recalibrated.yaml``: the plan's scenario (``extends`` the copy in ``plan/``) with the
    recalibrated estimates; ``verify`` writes it again and compares."""
    name = str(plan.summary.get("scenario") or "plan") + "-recalibrated"
    recalibrated = scenario_file(estimates, f"{PLAN_DIR}/scenario.resolved.yaml", name)
    if plan.roadmap_year is not None:
        # STEADY_STATE_REPLAN: the roadmap block cannot say a phase is already in place
        recalibrated["roadmap"] = None
    return yaml.safe_dump(recalibrated, sort_keys=False, allow_unicode=True)


def _copy_plan(source: Path, target: Path) -> None:
    target.mkdir()
    for name in PLAN_FILES + ROADMAP_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, target / name)
    if (source / "inputs").is_dir():
        shutil.copytree(source / "inputs", target / "inputs")


def _replan(folder: Path, lang: str) -> dict:
    """Solve ``recalibrated.yaml`` and write its result to ``replan/`` (no maps); its summary."""
    from ..api import solve
    from ..scenario.load import load_scenario

    loaded = load_scenario(folder / "recalibrated.yaml")
    result = solve(loaded)
    if not result.has_design:
        return {"status": result.status, "savings": math.nan, "total_cost": math.nan}
    result.to_dir(folder / REPLAN_DIR, draw=False, lang=lang)
    s = result.summary
    return {"status": s["status"], "gap": s.get("gap"), "total_cost": s["total_cost"], "status_quo_cost": s["status_quo_cost"],
            "savings": s["savings"]}


def write_tables(folder: Path, o: Outcome) -> None:
    o.bilan.poles.to_csv(folder / "poles_bilan.csv", index=False)
    o.bilan.categories.to_csv(folder / "deviations.csv", index=False)
    o.bilan.communes.to_csv(folder / "communes_bilan.csv", index=False)
    o.bilan.service_levels.to_csv(folder / "service_levels.csv", index=False)
    o.estimates.to_csv(folder / "recalibration.csv", index=False)
    pd.DataFrame({"missing": o.bilan.missing}).to_csv(folder / "missing.csv", index=False)


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def marker(o: Outcome, lang: str) -> dict:
    """``bilan.json``: what the bilan found and what it was computed from."""
    return {"kind": "bilan", "version": __version__, "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "lang": lang, "period": o.plan.period, "scenario": o.plan.summary.get("scenario"),
            "key_figures": {k: _clean(v) for k, v in o.bilan.key_figures.items()},
            "service_levels": {k: _clean(v) for k, v in o.levels.items()},
            "decision": {"outcome": o.decision.outcome, "reasons": [k for k, _ in o.decision.reasons]},
            "replanned": None if o.replanned is None else {k: _clean(v) for k, v in o.replanned.items()},
            "missing": len(o.bilan.missing),
            "inputs": {"plan": {"folder": str(o.plan.folder), "sha256": file_hashes(o.plan.folder)},
                       "actuals": {"file": o.actuals.path.name, "sha256": o.actuals.sha256}}}
