"""Stage 2, the inputs: a validated scenario becomes typed :class:`Inputs` (territory, road graph,
travel matrix, resolved rules, priced service inputs), every reference and rule checked."""

from .preparation import Inputs, prepare

__all__ = ["Inputs", "prepare"]
