r"""Decision stability: the model re-solved in M sampled worlds, and how often each decision holds.

World *w* (1-based, drawn with the scenario's seed — the same world the fixed-design re-pricing
prices as its *w*-th) is the scenario with ``uncertainty.world: w``: every uncertain parameter
at its draw, the model built and solved as a normal run. The M worlds are the points of one
sweep (:mod:`optimiser.sweeps`), so ``--jobs`` and ``--backend dask`` apply, finished worlds are
kept when a run is interrupted and the next run resumes them. Each world's solve is capped at
``uncertainty.world_time_limit_s`` (or the scenario's own limit, if smaller).

Over the worlds that have a design (proven optimal or feasible within their time limit; the
others are counted, never silently dropped), for decisions :math:`D_w`:

* per member *i* and service *s*: :math:`f^{pool}_{is} = \frac{1}{|W|}\sum_{w\in W} [\,i \text{ pools } s \text{ in } D_w]`,
  likewise for borrowing machines, and the share of worlds that agree with the nominal design;
* per seat *j* and service *s*: the share of worlds running *s* at *j* and, among those, the share
  delegating it;
* per pair of communes :math:`\{i, k\}`: the share of worlds where they belong to the same pole.

A **reference** point is solved with them: the sourced values (no draw) under the same time limit.
How far its decisions are from the nominal design's is what the time limit alone changes; the
worlds' differences of that size are the solver's, not the world's.
"""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError
from .repricing import FixedDesign

#: Statuses of a world with a design, and the word for "proven".
SOLVED = ("optimal", "feasible")
#: Folder of the world sweep inside a robustness folder.
WORLDS_FOLDER = "worlds"


@dataclass
class WorldOutcome:
    """One re-solved world: its number, the solver's word, and where its result folder is."""

    world: int
    status: str
    objective: float | None = None
    gap: float | None = None
    time_s: float = 0.0
    error: str | None = None
    folder: str | None = None

    @property
    def solved(self) -> bool:
        return self.status in SOLVED


@dataclass
class Stability:
    """The re-solved worlds and the nominal design they are compared with."""

    worlds: list[WorldOutcome]
    designs: dict[int, FixedDesign]
    nominal: FixedDesign
    members: list[str]
    services: list[str]
    communes: list[str]
    seed: int
    time_limit_s: float
    sweep_scenario: str = ""
    """The sweep file the worlds were solved from (YAML text), kept in the folder."""
    reference: WorldOutcome | None = None
    """The sourced values re-solved under the same time limit (world 0)."""
    reference_design: FixedDesign | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.counts = {"worlds": len(self.worlds), "optimal": sum(w.status == "optimal" for w in self.worlds),
                       "feasible": sum(w.status == "feasible" for w in self.worlds),
                       "failed": sum(not w.solved for w in self.worlds)}

    @property
    def solved(self) -> list[int]:
        return sorted(self.designs)

    # ----------------------------------------------------------------------------- tables
    def pooling_table(self) -> pd.DataFrame:
        """Per member and service: share of solved worlds pooling, borrowing, agreeing with the nominal design."""
        n = len(self.designs)
        rows = []
        for i, s in itertools.product(self.members, self.services):
            nominal = _choice(self.nominal, i, s)
            choices = [_choice(d, i, s) for d in self.designs.values()]
            pooled, borrowed = choices.count("pool"), choices.count("borrow")
            if not pooled and not borrowed and nominal == "keep":
                continue  # kept everywhere: nothing to show
            rows.append({"member": i, "service": s, "nominal_choice": nominal, "worlds_solved": n,
                         "share_pooling": pooled / n if n else None, "share_borrowing": borrowed / n if n else None,
                         "share_as_nominal": choices.count(nominal) / n if n else None})
        return pd.DataFrame(rows, columns=["member", "service", "nominal_choice", "worlds_solved", "share_pooling",
                                           "share_borrowing", "share_as_nominal"])

    def modes_table(self) -> pd.DataFrame:
        """Per seat and service run there in some world: share of worlds running it, share delegated among those."""
        n = len(self.designs)
        keys = sorted({k for d in self.designs.values() for k in _active(d)} | set(_active(self.nominal)))
        rows = []
        for j, s in keys:
            modes = [_active(d).get((j, s)) for d in self.designs.values()]
            running = [m for m in modes if m is not None]
            delegated = sum(m == "delegation" for m in running)
            rows.append({"seat": j, "service": s, "nominal_mode": _active(self.nominal).get((j, s)) or "",
                         "worlds_solved": n, "share_running": len(running) / n if n else None,
                         "share_delegated": delegated / len(running) if running else None})
        return pd.DataFrame(rows, columns=["seat", "service", "nominal_mode", "worlds_solved", "share_running",
                                           "share_delegated"])

    def pairs_table(self) -> pd.DataFrame:
        """Per pair of communes: share of solved worlds in which they belong to the same pole."""
        n = len(self.designs)
        rows = []
        for i, k in itertools.combinations(self.communes, 2):
            together = sum(_same_pole(d, i, k) for d in self.designs.values())
            nominal = _same_pole(self.nominal, i, k)
            if not together and not nominal:
                continue
            rows.append({"commune_a": i, "commune_b": k, "nominal_same_pole": nominal, "worlds_solved": n,
                         "share_same_pole": together / n if n else None})
        return pd.DataFrame(rows, columns=["commune_a", "commune_b", "nominal_same_pole", "worlds_solved",
                                           "share_same_pole"])

    def worlds_table(self) -> pd.DataFrame:
        """One row per re-solved world; world 0 is the reference (the sourced values, same limit)."""
        rows = [self.reference] if self.reference is not None else []
        return pd.DataFrame([{"world": w.world, "status": w.status, "objective": w.objective, "gap": w.gap,
                              "time_s": round(w.time_s, 2), "error": (w.error or "").splitlines()[0] if w.error else "",
                              "folder": w.folder or ""} for w in rows + self.worlds])


def _choice(d: FixedDesign, i: str, s: str) -> str:
    if (i, s) in d.pooled:
        return "pool"
    if (i, s) in d.borrowed:
        return "borrow"
    return "keep"


def _active(d: FixedDesign) -> dict:
    """(seat, service) → mode of every pole service with poolers in ``d``."""
    seats = {(j, s) for (_i, s), j in d.pooled.items()}
    return {k: d.modes.get(k) for k in seats}


def _same_pole(d: FixedDesign, i: str, k: str) -> bool:
    a, b = d.assignment.get(i), d.assignment.get(k)
    return a is not None and a == b


# --------------------------------------------------------------------------------- solving


def sweep_scenario(loaded, worlds: int, seed: int, time_limit_s: float) -> dict:
    """The scenario as a sweep over ``uncertainty.world`` = 1..``worlds`` (files by absolute path,
    no map drawn, each world's solve capped at ``time_limit_s``)."""
    from ..api import resolved_scenario

    data = resolved_scenario(loaded)
    scenario = loaded.scenario
    data["territory"]["communes"] = str(loaded.path(scenario.territory.communes))
    if scenario.roads.network is not None:
        data["roads"]["network"]["path"] = str(loaded.path(scenario.roads.network.path))
    if scenario.services is not None and scenario.services.inventory is not None:
        data["services"]["inventory"] = str(loaded.path(scenario.services.inventory))
    block = dict(data.get("uncertainty") or {})
    block.update({"seed": seed, "world": None})
    data["uncertainty"] = block
    if "robust" in data:
        data["robust"] = None  # each world is solved for itself
    data["solver"]["time_limit_s"] = min(float(data["solver"]["time_limit_s"]), float(time_limit_s))
    data["outputs"]["map"] = False
    data["name"] = f"{scenario.name}-worlds"
    # null first: the reference, the sourced values under the same time limit
    data["sweep"] = {"grid": {"uncertainty.world": [None, *range(1, worlds + 1)]}}
    return data


def design_of(folder: Path) -> FixedDesign:
    """The decisions of a world's result folder (a design that shares nothing has no services.csv)."""
    folder = Path(folder)
    if (folder / "services.csv").exists():
        return FixedDesign.from_folder(folder)
    from ..results.reading import read_csv

    communes = read_csv(folder / "communes.csv", dtype=str, keep_default_na=False, required=("insee_code", "seat_insee_code"))
    return FixedDesign({}, {}, {}, {r["insee_code"]: (r["seat_insee_code"] or None) for _, r in communes.iterrows()})


def solve_worlds(loaded, nominal: FixedDesign, inputs, worlds: int, seed: int, time_limit_s: float, staging: Path,
                 run_sweep, jobs: int = 1, backend: str = "process", scheduler: str | None = None, echo=None) -> Stability:
    """Re-solve ``worlds`` sampled worlds as one sweep into ``staging`` (see module docstring).

    ``run_sweep`` is :func:`optimiser.sweeps.runner.run_sweep`, passed in by the command: the sweeps
    solve robust designs through this package, which therefore does not import them.

    Raises :class:`KeyboardInterrupt` when the sweep was interrupted (finished worlds are kept in
    ``staging``: the same command resumes them)."""
    data = sweep_scenario(loaded, worlds, seed, time_limit_s)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    with tempfile.TemporaryDirectory(prefix="optimiser-worlds-") as tmp:
        path = Path(tmp) / "worlds.yaml"
        path.write_text(text, encoding="utf-8")
        report = run_sweep(path, staging, jobs=jobs, backend=backend, scheduler=scheduler, echo=echo)
    if report.interrupted:
        raise KeyboardInterrupt
    outcomes, designs = [], {}
    for w, o in enumerate(report.outcomes):
        outcome = WorldOutcome(world=w, status=o.status, objective=o.objective, gap=o.gap, time_s=o.time_s, error=o.error,
                               folder=None)
        if o.solved and o.folder:
            try:
                designs[w] = design_of(Path(o.folder))
                outcome.folder = f"{WORLDS_FOLDER}/{Path(o.folder).name}"
            except InputError as exc:  # a damaged world folder is that world's failure, said so
                outcome.status, outcome.error = "error", str(exc)
        outcomes.append(outcome)
    si = inputs.services
    reference, reference_design = outcomes.pop(0), designs.pop(0, None)
    return Stability(worlds=outcomes, designs=designs, nominal=nominal, members=list(si.members), services=list(si.services),
                     communes=list(inputs.territory.codes), seed=seed, time_limit_s=float(data["solver"]["time_limit_s"]),
                     sweep_scenario=text, reference=reference, reference_design=reference_design)
