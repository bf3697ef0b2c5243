"""Scenario optimisation engine for pooling municipal technical services.

``from optimiser import load_scenario, solve, Result`` is all a notebook needs; ``sweep``,
``compare``, ``pareto`` and ``load_results`` run and compare many variants.
"""

from ._version import __version__

from .api import Result, load_scenario, solve  # noqa: E402
from .batch import compare, load_results, pareto, sweep  # noqa: E402

__all__ = ["__version__", "load_scenario", "solve", "Result", "sweep", "compare", "pareto", "load_results"]
