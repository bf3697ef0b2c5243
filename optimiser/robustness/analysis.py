r"""The robustness analysis of one design: fixed-design re-pricing, tornado, value of information.

**Fixed design.** N joint draws (:mod:`.sampling`) re-price the design and the status quo
(:mod:`.repricing`): :math:`P(S > 0)`, the 10th/50th/90th percentiles of the saving :math:`S`,
and per commune :math:`P(\text{pays} > \text{alone})`.

**Tornado.** Each *factor* — a parameter, or a correlation group as one — is set to its low
and then its high end, every other parameter at its sourced value; factors are ranked by the
swing :math:`|S(\text{high}) - S(\text{low})|` of the fixed design's saving.

**Value of information.** The decision is "adopt the design or keep the status quo", worth
:math:`\max(E[S], 0)` without more knowledge. Knowing factor :math:`X` first lets one decide per
value of :math:`X`: the expected value of perfect partial information is

.. math:: \text{EVPPI}_X = E_X\big[\max(E[S \mid X], 0)\big] - \max(E[S], 0)

estimated from the same samples by grouping the worlds into :data:`BINS` equal-count bins of
:math:`X`'s drawn quantile (a regression-free estimator, biased upward by at most the noise of
each bin's mean). EVPI, everything known, is :math:`E[\max(S, 0)] - \max(E[S], 0)`. A factor
worth nothing changes no decision; the ranked list says what to measure first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..services.sampling import as_drawn_values, draw, quantile, quantiles  # noqa: F401 (draw re-exported)
from ..services.uncertain import Uncertain
from .repricing import FixedDesign, Priced, price
from .worlds import priced_inputs

#: Equal-count bins of a factor's quantile for the EVPPI estimate.
BINS = 20


@dataclass
class Factor:
    """A tornado row: one parameter, or a correlation group moved as one."""

    name: str
    members: tuple[Uncertain, ...]
    saving_low: float = 0.0
    saving_high: float = 0.0
    evppi: float = 0.0
    decision_change: str = ""
    """Decisions a re-solve changes at the low / high end ("" when not re-solved)."""
    resolved: tuple = ()
    """The same per end (:class:`~optimiser.robustness.resolve.ResolvedEnd`), for the report's language."""

    @property
    def swing(self) -> float:
        return abs(self.saving_high - self.saving_low)

    @property
    def is_group(self) -> bool:
        return len(self.members) > 1 or self.members[0].group is not None

    def values(self, end: str) -> dict:
        out = {}
        for p in self.members:
            out.update(p.values(p.low if end == "low" else p.high))
        return out


@dataclass
class Analysis:
    params: list[Uncertain]
    samples: int
    seed: int
    priced: Priced
    nominal_saving: float
    factors: list[Factor]
    evpi: float
    stability: object | None = None
    """The re-solved worlds (:class:`optimiser.robustness.stability.Stability`), when asked."""

    @property
    def saving(self) -> np.ndarray:
        return self.priced.saving

    def percentiles(self) -> dict[str, float]:
        p10, p50, p90 = np.percentile(self.saving, [10, 50, 90])
        return {"p10": float(p10), "p50": float(p50), "p90": float(p90)}

    @property
    def probability_saving(self) -> float:
        return float(np.mean(self.saving > 0))

    @property
    def probability_standard_error(self) -> float:
        p = self.probability_saving
        return float(np.sqrt(p * (1 - p) / self.samples))

    def commune_probabilities(self) -> dict[str, float]:
        return {i: float(np.mean(self.priced.paid[i] > self.priced.alone[i] + 1e-6)) for i in self.priced.alone}


def factors_of(params: list[Uncertain]) -> list[Factor]:
    """One factor per ungrouped uncertain parameter and one per correlation group."""
    groups: dict[str, list[Uncertain]] = {}
    out = []
    for p in params:
        if p.certain:
            continue
        if p.group is None:
            out.append(Factor(p.name, (p,)))
        else:
            groups.setdefault(p.group, []).append(p)
    out += [Factor(f"group {g}", tuple(members)) for g, members in groups.items()]
    return out


def tornado(loaded, si, territory, design: FixedDesign, factors: list[Factor]) -> None:
    """Fill each factor's saving at its low and high end: all 2K one-at-a-time worlds in one
    vectorised pricing (world 2k: factor k low, 2k+1: high; every other parameter nominal)."""
    if not factors:
        return
    n = 2 * len(factors)
    values: dict[str, np.ndarray] = {}
    nominal_of: dict[str, float] = {}
    for f in factors:
        for p in f.members:
            for target, nominal in p.values(p.nominal).items():
                nominal_of[target] = nominal
    for target, nominal in nominal_of.items():
        values[target] = np.full(n, nominal, dtype=float)
    for k, f in enumerate(factors):
        for end, row in (("low", 2 * k), ("high", 2 * k + 1)):
            for target, v in f.values(end).items():
                values[target][row] = v
    s = price(priced_inputs(loaded, si, territory, values), design, n).saving
    for k, f in enumerate(factors):
        f.saving_low, f.saving_high = float(s[2 * k]), float(s[2 * k + 1])
    factors.sort(key=lambda f: -f.swing)


def evppi(saving: np.ndarray, u: np.ndarray, bins: int = BINS) -> float:
    """EVPPI of a factor whose drawn quantile per world is ``u`` (see module docstring)."""
    order = np.argsort(u, kind="stable")
    parts = np.array_split(saving[order], bins)
    informed = sum(len(p) * max(float(np.mean(p)), 0.0) for p in parts if len(p)) / len(saving)
    return max(0.0, informed - max(float(np.mean(saving)), 0.0))


def analyse(loaded, inputs, design: FixedDesign, params: list[Uncertain], groups: dict[str, float],
            samples: int, seed: int) -> Analysis:
    """Fixed-design re-pricing in ``samples`` worlds, the tornado and the value of information."""
    si, territory = inputs.services, inputs.territory
    population = {c: int(p) for c, p in territory.communes["population"].items()}
    nominal = price(si, design, 1, population).saving[0]
    u = quantiles(params, groups, samples, seed)
    draws = {p.name: quantile(p, u[p.name]) for p in params if p.name in u}
    priced = price(priced_inputs(loaded, si, territory, as_drawn_values(params, draws)), design, samples, population)
    factors = factors_of(params)
    tornado(loaded, si, territory, design, factors)
    s = priced.saving
    for f in factors:
        # a group moves its members together only as far as their correlation says: its
        # information is the mean quantile of its members (the common factor, for rho = 1)
        f.evppi = evppi(s, np.mean([u[p.name] for p in f.members], axis=0))
    evpi = float(np.mean(np.maximum(s, 0.0)) - max(float(np.mean(s)), 0.0))
    return Analysis(params, samples, seed, priced, float(nominal), factors, evpi)


__all__ = ["Analysis", "Factor", "analyse", "draw", "evppi", "factors_of", "tornado"]
