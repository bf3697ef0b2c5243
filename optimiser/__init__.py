"""Scenario optimisation engine for pooling municipal technical services.

``from optimiser import load_scenario, solve, Result`` is all a notebook needs; ``sweep``,
``compare``, ``pareto`` and ``load_results`` run and compare many variants.

The public names are imported on first use (PEP 562 module ``__getattr__``): ``import optimiser``
and ``optimiser --help`` then start without pandas, matplotlib or the solvers (about 1.4 s saved).
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_PUBLIC = {
    "load_scenario": ".api",
    "solve": ".api",
    "Result": ".api",
    "sweep": ".batch",
    "compare": ".batch",
    "pareto": ".batch",
    "load_results": ".batch",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    """Import a public name on first use and keep it, so later look-ups are plain attributes."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))


class _Package(types.ModuleType):
    """The package module, which keeps a public name from being shadowed by a submodule.

    ``optimiser.solve`` is both the public function and the solver module ``optimiser/solve.py``.
    Importing a submodule binds it as an attribute of its package; with the eager import of old,
    the function was bound afterwards and won. Now the order depends on what is imported first,
    so the binding of a submodule under a public name is skipped: the submodule stays in
    ``sys.modules`` (``from optimiser.solve import solve_milp`` works) and the attribute, resolved
    by :func:`__getattr__`, is always the public object.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _PUBLIC and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
