"""The PuLP problem every model here is built in: :class:`pulp.LpProblem`, with its
bookkeeping of columns made cheap.

PuLP registers the columns of each row as the row is added (``_add_variables``: a Python call
per coefficient, a tenth of a large seat model's build) and again over every row each time
``variables()`` is asked for. Nearly always every column is known already; this checks that in
one set operation (C speed, on the very key PuLP files columns under, ``LpElement.hash``) and
leaves the rare row with a new column to PuLP's own loop — the same columns, registered in the
same order, as the plain problem."""

from __future__ import annotations

from operator import attrgetter

import pulp

_HASH = attrgetter("hash")


class Problem(pulp.LpProblem):
    """A :class:`pulp.LpProblem` whose column registration skips known columns in bulk."""

    def _add_variables(self, variables) -> None:
        if iter(variables) is variables:  # an iterator (a generator) is read once; views and lists again
            variables = list(variables)
        if self._variable_ids.keys() >= set(map(_HASH, variables)):
            return
        super()._add_variables(variables)
