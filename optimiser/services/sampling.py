r"""Joint draws of the uncertain parameters.

Each parameter :math:`k` gets a uniform quantile :math:`u_k \in (0,1)` per world, mapped through
the inverse CDF of its law on :math:`[a, b]` with sourced value :math:`c`:

* uniform: :math:`a + u (b - a)`;
* triangular: :math:`a + \sqrt{u (b-a)(c-a)}` for :math:`u < F_c = (c-a)/(b-a)`, else
  :math:`b - \sqrt{(1-u)(b-a)(b-c)}`;
* lognormal: :math:`\exp(\mu + \sigma z)` with :math:`a, b` its 5th and 95th percentiles
  (:math:`\mu = (\ln a + \ln b)/2`, :math:`\sigma = (\ln b - \ln a) / (2 \times 1.6449)`).

A correlation group of correlation :math:`\rho` draws :math:`z_k = \sqrt\rho\, g + \sqrt{1-\rho}\, e_k`
(one common normal :math:`g` per world, independent :math:`e_k`) and :math:`u_k = \Phi(z_k)`
(a Gaussian copula); :math:`\rho = 1` moves the members as one (same quantile of their ranges).
Worlds are numbered 1..N; world *w* is the same for a given seed whatever N (one stream per
parameter, drawn in name order), so a re-solve of world 17 prices exactly what the re-pricing did.
"""

from __future__ import annotations

import math

import numpy as np

from .uncertain import Uncertain

Z95 = 1.6448536269514722


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Φ(z), standard normal CDF (erfc, vectorised; exact to machine precision)."""
    return 0.5 * _erfc(-np.asarray(z, dtype=float) / math.sqrt(2.0))


_erfc = np.vectorize(math.erfc, otypes=[float])


def normal_ppf(u: np.ndarray) -> np.ndarray:
    """Φ⁻¹(u) by bisection-free Newton steps on :func:`normal_cdf` from Acklam's start (|err| < 1e-12)."""
    u = np.clip(np.asarray(u, dtype=float), 1e-15, 1 - 1e-15)
    # Acklam's rational approximation, then two Newton steps
    a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
    c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    q = np.minimum(u, 1 - u)
    t = np.sqrt(-2 * np.log(q))
    tail = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
    r = (u - 0.5) ** 2
    mid = (u - 0.5) * (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    x = np.where(q < 0.02425, np.where(u < 0.5, tail, -tail), mid)
    for _ in range(2):
        x = x - (normal_cdf(x) - u) * math.sqrt(2 * math.pi) * np.exp(x * x / 2)
    return x


def quantile(p: Uncertain, u: np.ndarray) -> np.ndarray:
    """Values of ``p`` at quantiles ``u`` (see module docstring)."""
    a, b, c = p.low, p.high, p.nominal
    if p.certain:
        return np.full(np.shape(u), a)
    if p.distribution == "uniform":
        return a + u * (b - a)
    if p.distribution == "lognormal":
        mu, sigma = (math.log(a) + math.log(b)) / 2, (math.log(b) - math.log(a)) / (2 * Z95)
        return np.exp(mu + sigma * normal_ppf(u))
    fc = (c - a) / (b - a)
    left = a + np.sqrt(u * (b - a) * (c - a))
    right = b - np.sqrt((1 - u) * (b - a) * (b - c))
    return np.where(u < fc, left, right)


def _stream(seed: int, name: str, kind: str) -> np.random.Generator:
    """An independent stream per (seed, parameter or group, kind), stable across runs and N."""
    tag = int.from_bytes(name.encode("utf-8")[:64].ljust(64, b"\0"), "little") % (2**63)
    return np.random.default_rng([seed, tag, len(name), 0 if kind == "own" else 1])


def quantiles(params: list[Uncertain], groups: dict[str, float], n: int, seed: int, start: int = 0) -> dict[str, np.ndarray]:
    """Uniform quantiles of worlds ``start+1 .. start+n`` per parameter name (``groups``: group
    name → correlation)."""
    out = {}
    common = {g: _stream(seed, "group:" + g, "common").standard_normal(start + n)[start:] for g in groups}
    for p in params:
        if p.certain:
            continue
        own = _stream(seed, p.name, "own")
        rho = groups.get(p.group, 0.0) if p.group else 0.0
        if p.group is None or rho == 0.0:
            out[p.name] = own.random(start + n)[start:]
        elif rho >= 1.0:
            out[p.name] = normal_cdf(common[p.group])
        else:
            e = own.standard_normal(start + n)[start:]
            out[p.name] = normal_cdf(math.sqrt(rho) * common[p.group] + math.sqrt(1 - rho) * e)
    return out


def draw(params: list[Uncertain], groups: dict[str, float], n: int, seed: int, start: int = 0) -> dict[str, np.ndarray]:
    """Values of worlds ``start+1 .. start+n``: parameter name → array of n draws (certain ones omitted)."""
    u = quantiles(params, groups, n, seed, start)
    return {p.name: quantile(p, u[p.name]) for p in params if p.name in u}


def as_drawn_values(params: list[Uncertain], draws: dict[str, np.ndarray]) -> dict:
    """``draws`` in the form :func:`optimiser.services.parameters.drawn_values` takes."""
    out = {}
    for p in params:
        if p.name in draws:
            out.update(p.values(draws[p.name]))
    return out
