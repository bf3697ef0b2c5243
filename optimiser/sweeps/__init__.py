"""Sweeps: solve every variant of a composed scenario, in parallel, resumably."""

from .runner import SweepReport, run_sweep

__all__ = ["run_sweep", "SweepReport"]
