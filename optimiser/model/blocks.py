"""Named constraint blocks: each family of constraints counts the rows it adds, by itself.

A *block* is a small function that adds one family of constraints to the MILP (as PyPSA's
``define_*`` functions or linopy's named constraints do). Decorated with :func:`constraint_block`
(or run inside :meth:`Families.counted`), it is credited with the rows the PuLP problem gained
while it ran, so the families reported in ``summary.json`` (``constraint_families``) are measured,
never kept by hand, and add up to the model's constraint count:

.. math:: \\sum_{f} n_f = |\\text{rows of the problem}|

A block that calls another block is credited only with the rows the inner one did not claim.
Bounds set on variables (``lowBound = 1`` for a fixed seat) are not rows and are not counted.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import TypeVar

import pulp

F = TypeVar("F", bound=Callable)


class Families:
    """Rows of one PuLP problem, by the named block that added them (in the order first seen)."""

    def __init__(self, problem: pulp.LpProblem):
        self.problem = problem
        self.counts: dict[str, int] = {}
        self._claimed = 0  # rows credited to some block so far (nested blocks claim first)

    def _rows(self) -> int:
        return self.problem.numConstraints()

    @contextlib.contextmanager
    def counted(self, family: str):
        """Credit ``family`` with the rows added inside the ``with`` block (less nested blocks')."""
        rows, claimed = self._rows(), self._claimed
        try:
            yield
        finally:
            own = (self._rows() - rows) - (self._claimed - claimed)
            self.counts[family] = self.counts.get(family, 0) + own
            self._claimed += own

    def as_dict(self) -> dict[str, int]:
        """Family → rows, without the families that added none."""
        return {name: n for name, n in self.counts.items() if n}

    @property
    def uncounted(self) -> int:
        """Rows no block claimed (0 in a well-built model; a test holds it there)."""
        return self._rows() - self._claimed


def constraint_block(family: str) -> Callable[[F], F]:
    """Make ``fn(model, ...)`` a named block: its rows are credited to ``family`` in
    ``model.families`` (any model object with a :class:`Families` there)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def block(model, *args, **kwargs):
            with model.families.counted(family):
                return fn(model, *args, **kwargs)

        block.family = family  # type: ignore[attr-defined]
        return block  # type: ignore[return-value]

    return decorate
