r"""Recalibration: the parameters the actuals inform, re-estimated, and the scenario that uses them.

**What the actuals inform** (pole services with the actuals it needs, one observation each):

=============================================  =====================================================
parameter (scenario key)                        observation
=============================================  =====================================================
``services.overrides.S.productivity``           régie rows with workload and FTE (or hours)
``services.overrides.S.delegated_price_eur``    delegated rows with workload and contract
``services.overrides.S.equipment_days``         rows with workload and machine days (every machine
                                                type of S moves by the same ratio)
``services.staff_eur.GRADE``                    régie rows with staff cost and FTE, pooled by grade
=============================================  =====================================================

An observation is the parameter's value scaled by what was observed against what was planned:
:math:`x_i = \theta_0 \cdot r_i`, with :math:`r_i` e.g. (workload ÷ FTE actual) ÷ (workload ÷ FTE
planned) for a productivity — the plan's own overheads (crews' travel, minimum staffing) cancel
in the ratio.

**The update rule** (conjugate normal on the log scale). The prior is the value the plan used,
:math:`\theta_0`, with its range :math:`[l, h]` (the scenario's ``uncertainty`` range if it sets
one, else ``cost_parameters.yaml``'s sourced range, else :data:`DEFAULT_RELATIVE_RANGE`) read as a
90 % interval: :math:`\mu_0 = \ln\theta_0`, :math:`\sigma_0 = (\ln h - \ln l) / (2 \cdot 1.645)`.
Each observation is :math:`\ln x_i \sim N(\ln\theta, \sigma^2)` with :math:`\sigma` =
:data:`OBSERVATION_SD` (one pole-year's measurement scatters by about 15 %). With :math:`n`
observations of mean :math:`\bar y` (logs):

.. math:: \tau = \frac{1}{\sigma_0^2} + \frac{n}{\sigma^2}, \qquad
          \hat\mu = \frac{\mu_0/\sigma_0^2 + n\bar y/\sigma^2}{\tau}, \qquad
          \hat\theta = e^{\hat\mu}, \quad [\,e^{\hat\mu - 1.645/\sqrt\tau},\ e^{\hat\mu + 1.645/\sqrt\tau}\,]

so the estimate moves from the prior toward the observations by the weight
:math:`w = (n/\sigma^2)/\tau` of the evidence, and the range narrows as :math:`1/\sqrt\tau`: a
wide (uncertain) prior is moved almost all the way by one year, a tight one much less.

The result is a scenario file, ``recalibrated.yaml``, that ``extends`` the plan's resolved scenario
and sets the estimates under ``services.overrides`` / ``services.staff_eur``; where a parameter
comes from one ``cost_parameters.yaml`` key, its narrowed range goes under
``uncertainty.parameters.KEY.range``, expressed around the sourced value (× sourced ÷ estimate):
an override whose key has a range there moves with the key's draws
(:func:`optimiser.inputs.service_inputs.scenario_catalogue`), so ``optimiser robustness`` draws
the parameter over the narrowed range with its mode at the estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .compare import Bilan, _given
from .plan import Plan

#: Log-scale standard deviation of one observation (one pole service over one year): about 15 %.
OBSERVATION_SD = 0.15
#: A parameter with no sourced range is taken as known within this factor either way (90 %).
DEFAULT_RELATIVE_RANGE = 1.5
#: The two-sided 90 % normal quantile.
Z90 = 1.6448536269514722


@dataclass(frozen=True)
class Estimate:
    """One recalibrated parameter (see module docstring)."""

    key: str
    source: str
    unit: str
    prior: float
    prior_low: float
    prior_high: float
    observations: tuple[float, ...]
    estimate: float
    low: float
    high: float
    weight: float

    def row(self) -> dict:
        obs = self.observations
        return {"parameter": self.key, "source": self.source, "unit": self.unit, "prior": self.prior,
                "prior_low": self.prior_low, "prior_high": self.prior_high, "n_observations": len(obs),
                "observed": math.exp(sum(math.log(x) for x in obs) / len(obs)), "estimate": self.estimate,
                "low": self.low, "high": self.high, "weight_of_evidence": self.weight}


def update(prior: float, low: float, high: float, observations: list[float],
           observation_sd: float = OBSERVATION_SD) -> tuple[float, float, float, float]:
    """(estimate, low, high, weight of the evidence) by the rule of the module docstring."""
    low, high = min(low, prior), max(high, prior)
    mu0 = math.log(prior)
    sd0 = (math.log(high) - math.log(low)) / (2 * Z90) if high > low else 1e-9
    n = len(observations)
    mean = sum(math.log(x) for x in observations) / n
    precision = 1 / sd0**2 + n / observation_sd**2
    mu = (mu0 / sd0**2 + n * mean / observation_sd**2) / precision
    half = Z90 / math.sqrt(precision)
    return math.exp(mu), math.exp(mu - half), math.exp(mu + half), (n / observation_sd**2) / precision


def prior_range(source: str, value: float, uncertainty: dict | None) -> tuple[float, float]:
    """The range of a parameter: the scenario's ``uncertainty`` range, else the sourced one of its
    single ``cost_parameters.yaml`` key, else ``value`` ÷/× :data:`DEFAULT_RELATIVE_RANGE`."""
    from ..services.parameters import entries

    given = ((uncertainty or {}).get("parameters") or {}).get(source) or {}
    if given.get("range"):
        return float(given["range"][0]), float(given["range"][1])
    entry = entries().get(source) if "+" not in source else None
    r = entry.get("range") if isinstance(entry, dict) else None
    if isinstance(r, (list, tuple)) and len(r) == 2 and all(isinstance(v, (int, float)) for v in r) and r[0] > 0:
        return float(r[0]), float(r[1])
    return value / DEFAULT_RELATIVE_RANGE, value * DEFAULT_RELATIVE_RANGE


def _ratio(actual_num, actual_den, plan_num, plan_den) -> float | None:
    if not all(_given(v) and v > 0 for v in (actual_num, actual_den, plan_num, plan_den)):
        return None
    return (actual_num / actual_den) / (plan_num / plan_den)


def observations(plan: Plan, bilan: Bilan, catalogue) -> dict[tuple[str, str], list[float]]:
    """Observed ratios (actual ÷ planned) by (kind, service or grade); see module docstring."""
    out: dict[tuple[str, str], list[float]] = {}
    for _, r in bilan.poles.iterrows():
        s = r["service"]
        if str(r["mode"]).endswith("regie"):  # pooled, or a one-member service run alone in régie
            ratio = _ratio(r["actual_workload"], r["actual_fte"], r["plan_workload"], r["plan_fte"])
            if ratio:
                out.setdefault(("productivity", s), []).append(ratio)
            ratio = _ratio(r["actual_staff_eur"], r["actual_fte"], r["plan_staff_eur"], r["plan_fte"])
            if ratio:
                out.setdefault(("staff_eur", catalogue.services[s].grade), []).append(ratio)
        if str(r["mode"]).endswith("delegation"):
            ratio = _ratio(r["actual_contract_eur"], r["actual_workload"], r["plan_contract_eur"], r["plan_workload"])
            if ratio:
                out.setdefault(("delegated_price_eur", s), []).append(ratio)
        ratio = _ratio(r["actual_machine_days"], r["actual_workload"], r["plan_machine_days"], r["plan_workload"])
        if ratio and catalogue.services[s].equipment_days:
            out.setdefault(("equipment_days", s), []).append(ratio)
    return out


def recalibrate(plan: Plan, bilan: Bilan, catalogue, uncertainty: dict | None) -> list[Estimate]:
    """Every parameter the actuals inform, re-estimated (see module docstring)."""
    estimates = []
    for (kind, name), ratios in sorted(observations(plan, bilan, catalogue).items()):
        if kind == "staff_eur":
            params = [(f"services.staff_eur.{name}", catalogue.staff_cost[name])]
        elif kind == "equipment_days":
            params = [(f"services.overrides.{name}.equipment_days.{q}", v)
                      for q, v in catalogue.services[name].equipment_days.items()]
        elif kind == "productivity":
            params = [(f"services.overrides.{name}.productivity", catalogue.services[name].productivity)]
        else:
            params = [(f"services.overrides.{name}.delegated_price_eur", catalogue.services[name].delegated_price)]
        for key, sourced in params:
            prior = float(sourced.value)
            if prior <= 0:
                continue
            low, high = prior_range(sourced.source, prior, uncertainty)
            obs = [prior * r for r in ratios]
            estimate, lo, hi, weight = update(prior, low, high, obs)
            estimates.append(Estimate(key, sourced.source, sourced.unit, prior, low, high, tuple(obs), estimate, lo, hi, weight))
    return estimates


def table(estimates: list[Estimate]) -> pd.DataFrame:
    return pd.DataFrame([e.row() for e in estimates], columns=[
        "parameter", "source", "unit", "prior", "prior_low", "prior_high", "n_observations", "observed", "estimate",
        "low", "high", "weight_of_evidence"])


def scenario_file(estimates: list[Estimate], parent: str, name: str) -> dict:
    """``recalibrated.yaml``: the plan's scenario with the estimates (see module docstring)."""
    services: dict = {}
    uncertainty: dict = {}
    for e in estimates:
        parts = e.key.split(".")[1:]  # services.<...>
        node = services
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = round(e.estimate, 6)
        if "+" not in e.source and e.source not in ("estimate", "scenario"):
            from ..services.parameters import entries

            sourced = entries().get(e.source, {}).get("value")
            if isinstance(sourced, (int, float)) and not isinstance(sourced, bool) and sourced > 0:
                # the range around the sourced value that the override (the estimate) moves with:
                # robustness then draws the parameter over [low, high] with its mode at the estimate
                scale = float(sourced) / e.estimate
                uncertainty[e.source] = {"range": [round(e.low * scale, 6), round(e.high * scale, 6)]}
    data = {"extends": parent, "name": name,
            "description": "The plan re-run with the parameters the bilan's actuals re-estimated (optimiser bilan)."}
    if services:
        data["services"] = services
    if uncertainty:
        data["uncertainty"] = {"parameters": uncertainty}
    return data
