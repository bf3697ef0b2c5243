"""Stage 4, solving a design: the solve–check–cut loop with its incumbent (:mod:`.loop`), what a
design is worth (:mod:`.valuation`), the p-median (:mod:`.pmedian`), the infeasibility diagnosis
(:mod:`.explain`); :func:`design_poles` (:mod:`.run`) puts them together."""

from .outcome import PoleDesign, formulation_name
from .run import design_poles

__all__ = ["PoleDesign", "design_poles", "formulation_name"]
