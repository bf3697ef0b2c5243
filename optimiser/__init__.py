"""Scenario optimisation engine for pooling municipal technical services.

``from optimiser import load_scenario, solve, Result`` is all a notebook needs.
"""

__version__ = "0.1.0"

from .api import Result, load_scenario, solve  # noqa: E402

__all__ = ["__version__", "load_scenario", "solve", "Result"]
