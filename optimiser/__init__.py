"""Scenario optimisation engine for pooling municipal technical services.

``from optimiser import load_scenario, solve, Result`` is all a notebook needs; ``sweep``,
``compare``, ``pareto`` and ``load_results`` run and compare many variants.

The names are imported on first use (PEP 562), so ``import optimiser`` — which the command line
does before anything else — loads neither pandas nor a solver: the command starts at once, and
a Ctrl-C while it starts is caught by :mod:`optimiser.__main__`, not shown as a traceback.
"""

import importlib

from ._version import __version__

#: Public name → the module that defines it.
_PUBLIC = {"Result": ".api", "load_scenario": ".api", "solve": ".api",
           "sweep": ".batch", "compare": ".batch", "pareto": ".batch", "load_results": ".batch"}

__all__ = ["__version__", "load_scenario", "solve", "Result", "sweep", "compare", "pareto", "load_results"]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'optimiser' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))

