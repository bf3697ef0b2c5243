"""A solver status in words: one table for ``report.md``, ``report.html``, the notebook view and
the comparison page, so what they say about a status cannot drift apart.

Each status has three wordings, for three places: ``short`` (a few words: the heading of
``report.html``'s status box, the comparison table), ``long`` (one or two sentences an elected
official can read: ``report.html``, the notebook view) and ``markdown`` (the status line of
``report.md``). Placeholders: ``{gap}`` the relative gap as the medium prints it, ``{tolerance}``
the solver's gap tolerance when it matters (``long``), ``{gap_tol}`` the tolerance as a number
(``markdown``).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusWords:
    short: str
    long: str
    markdown: str


STATUS_WORDS: dict[str, StatusWords] = {
    "optimal": StatusWords(
        "optimal",
        "This is the best possible design under the rules below, and the solver proved it{tolerance}.",
        "**optimal** — proven best design under the rules (within the relative gap {gap_tol:g})"),
    "feasible": StatusWords(
        "feasible, at most {gap} from the best",
        "The solver stopped at its time limit. The design obeys every rule, but a better one may exist; "
        "it cannot be more than {gap} better.",
        "**feasible, not proven optimal** — the solver stopped on its time limit; the design obeys every rule "
        "and is at most {gap} worse than the best possible"),
    "infeasible": StatusWords(
        "infeasible",
        "No design can obey all the rules below at once.",
        "**infeasible** — no design can obey all the rules"),
    "time_limit": StatusWords(
        "no design found in time",
        "The solver reached its time limit before finding any design that obeys the rules.",
        "**no design found** within the time limit"),
    "error": StatusWords(
        "solver error",
        "The solver failed; no design is shown.",
        "**error** — the solver failed"),
}

#: A feasible design whose gap the solver did not report: say so rather than print a missing gap.
FEASIBLE_GAP_UNKNOWN = StatusWords(
    "feasible, not proven optimal",
    "The solver stopped at its time limit. The design obeys every rule, but a better one may exist "
    "and the solver could not say by how much.",
    "**feasible, not proven optimal** — the solver stopped on its time limit; the design obeys every rule, "
    "but a better one may exist and the solver could not say by how much")


def gap_known(gap) -> bool:
    """The gap is a number (not ``None``, NaN or a bool)."""
    return isinstance(gap, numbers.Real) and not isinstance(gap, bool) and not math.isnan(float(gap))


def status_words(status: str, gap) -> StatusWords | None:
    """The words for ``status`` with this gap; ``None`` for a status the table does not know."""
    if status == "feasible" and not gap_known(gap):
        return FEASIBLE_GAP_UNKNOWN
    return STATUS_WORDS.get(str(status))
