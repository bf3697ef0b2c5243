"""Stage 4, the solver layer: the only place solvers are created; one honest status for all.

:func:`solve_milp` solves a PuLP model with the solver :class:`SolverOptions` names, from the
registry :data:`SOLVERS` (one module per solver: :mod:`.cbc`, :mod:`.highs`). Ctrl-C handling:
:mod:`.interrupt`.
"""

from .cbc import cbc_version
from .highs import LpRelaxation, ResolvableModel, highs_version, lp_reduced_costs, new_instance, run_stoppable
from .interrupt import STOP, interruptible
from .milp import relaxation_bound, solve_milp
from .options import SolverOptions
from .registry import SOLVERS, solver_named
from .status import SolveOutcome, Status, relative_gap

__all__ = ["SOLVERS", "STOP", "LpRelaxation", "ResolvableModel", "SolveOutcome", "SolverOptions", "Status", "cbc_version", "highs_version", "interruptible",
           "lp_reduced_costs", "new_instance", "relative_gap", "relaxation_bound", "run_stoppable", "solve_milp",
           "solver_named"]
