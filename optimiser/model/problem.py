"""A PuLP problem that registers its columns when asked for them, not once per row's term.

PuLP's ``addConstraint`` walks every term of every row to register its column (a Python call
per term: a 66-commune seat model has ~3·10⁴ terms in ~2,400 rows, and the fairness rows carry
the pole's whole cost), and ``variables()`` walks them all again before sorting. The columns of
a model are only ever read through ``variables()`` (and ``numVariables()``), so
:class:`Problem` leaves rows unregistered when they are added and registers every column seen
in the objective and the rows in one pass when they are read, with whole-dict operations (the
columns' stored ``hash``, PuLP's own key, gathered by ``map``, no Python step per term).

Its columns (:meth:`Problem.add_variable`) are :class:`Column`: PuLP's variable hashed by the
interpreter's own identity hash rather than PuLP's Python ``__hash__`` method, which every dict
operation on a column called (a seat model makes ~6·10⁴ of them). Both hashes are fixed for the
column's life and differ between live columns, so no dict ever compares two columns with PuLP's
``==`` (which builds a constraint); no order depends on a hash (PuLP's dicts keep insertion order
and sort by name).

Small rows are made by :func:`expression`, :func:`constraint` and :func:`add_row`: the objects
PuLP's constructors and ``problem += row, name`` make (same dicts, same constants, number types
included), without their type dispatch, finiteness checks and name properties per row.

The result is PuLP's: the same columns (every one in the objective or some row, plus those
registered by hand), sorted by name the same way, so every model, its LP file and its HiGHS
arrays are unchanged (``tests/test_seat_model_build.py``).
"""

from __future__ import annotations

from operator import attrgetter

import pulp

_hash = attrgetter("hash")
_TRANS = pulp.LpAffineExpression.trans  # PuLP's renaming of illegal characters in names
_new_expression = pulp.LpAffineExpression.__new__
_new_constraint = pulp.LpConstraint.__new__


def expression(terms=(), constant: float = 0.0) -> pulp.LpAffineExpression:
    """``pulp.LpAffineExpression(terms, constant)`` for ``terms`` a list of (column, coefficient)
    pairs or a dict (a later pair of the same column replaces an earlier one, as there), or
    ``pulp.LpAffineExpression(column)`` as ``expression({column: 1}, 0)`` (an int 0: PuLP's)."""
    made = _new_expression(pulp.LpAffineExpression)
    dict.update(made, terms)
    made.constant = constant
    made._LpAffineExpression__name = None
    return made


def constraint(lhs: pulp.LpAffineExpression, sense: int, rhs: float) -> pulp.LpConstraint:
    """``pulp.LpConstraint(lhs, sense, rhs=rhs)`` for an expression ``lhs`` and a finite number
    ``rhs``: the row holds ``lhs`` itself and the constant ``lhs.constant − rhs``."""
    made = _new_constraint(pulp.LpConstraint)
    made.expr = lhs
    made._LpConstraint__name = None
    made.constant = lhs.constant - rhs
    made.sense = sense
    made.pi = made.slack = None
    made.modified = True
    return made


def add_row(problem: pulp.LpProblem, row: pulp.LpConstraint, name: str) -> None:
    """``problem += row, name`` (``name`` not empty)."""
    if isinstance(problem, Problem):
        row._LpConstraint__name = name = name.translate(_TRANS)
        problem._insert(row, name)
    else:
        problem.addConstraint(row, name)


class Column(pulp.LpVariable):
    """:class:`pulp.LpVariable` with the interpreter's identity hash (module docstring)."""

    __hash__ = object.__hash__


class Problem(pulp.LpProblem):
    """:class:`pulp.LpProblem` with columns registered in bulk when read (module docstring)."""

    def add_variable(self, name: str, lowBound: float | None = None, upBound: float | None = None,
                     cat: str = pulp.LpContinuous) -> Column:
        """PuLP's ``add_variable``: a new column (not registered until a row or the objective
        holds it), a :class:`Column`."""
        return Column(name, lowBound, upBound, cat, _skip_v4_deprecation=True)

    def addConstraint(self, constraint: pulp.LpConstraint, name=None):
        """PuLP's ``addConstraint`` (name, duplicate check, modified list) less the per-term
        registration, which :meth:`variables` does for every row at once."""
        if not isinstance(constraint, pulp.LpConstraint):
            raise TypeError("Can only add LpConstraint objects")
        if name:
            constraint.name = name
        self._insert(constraint, constraint.name or self.unusedConstraintName())

    def _insert(self, constraint: pulp.LpConstraint, name: str) -> None:
        """The row under ``name`` (its own, already set), PuLP's duplicate check kept."""
        if name in self._constraints:
            if self.noOverlap:
                raise pulp.PulpError("overlapping constraint names: " + name)
            print("Warning: overlapping constraint names:", name)
        self._constraints[name] = constraint
        self.modifiedConstraints.append(constraint)

    def variables(self) -> list[pulp.LpVariable]:
        """PuLP's ``variables()``: every column of the objective and the rows registered (first
        seen first), then all of them sorted by name."""
        seen: dict = {}
        if self.objective:
            seen.update(zip(map(_hash, self.objective), self.objective))
        for constraint in self._constraints.values():
            expression = constraint.expr
            seen.update(zip(map(_hash, expression), expression))
        ids, registered = self._variable_ids, self._variables
        for key, variable in seen.items():
            if key not in ids:
                ids[key] = variable
                registered.append(variable)
        registered.sort(key=lambda v: v.name)
        return registered

    def numVariables(self) -> int:
        """The number of columns (PuLP's count of those registered, all of them here)."""
        return len(self.variables())
