"""Does a decision change? Re-solve the model with a factor at one end of its range.

A re-solve is a full run (the pole and service model) with the factor's values in place of the
sourced ones; its decisions are compared with the nominal design's: the seat of each commune
(a pole), each (member, service) pooled or not (a pooling choice) and each pole service's mode.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .repricing import FixedDesign
from .worlds import priced_inputs

#: Text of each kind of decision, for the report.
KINDS = {"poles": "pole seat", "pooling": "pooling choice", "modes": "mode"}


def solve_with(loaded, inputs, values: dict):
    """The result of ``loaded`` solved with ``values`` (``key`` / ``key.field`` → number)."""
    from ..api import solve

    services = priced_inputs(loaded, inputs.services, inputs.territory, values)
    return solve(loaded, inputs=dataclasses.replace(inputs, services=services), on_interrupt="keep")


def decision_changes(nominal: FixedDesign, other: FixedDesign) -> dict[str, int]:
    """How many decisions of each kind differ between two designs."""
    seats = sum(1 for c in set(nominal.assignment) | set(other.assignment)
                if nominal.assignment.get(c) != other.assignment.get(c))
    pooling = len(set(nominal.pooled.items()) ^ set(other.pooled.items()))
    shared = set(nominal.modes) & set(other.modes)
    modes = sum(1 for k in shared if nominal.modes[k] != other.modes[k])
    return {"poles": seats, "pooling": pooling, "modes": modes}


def describe(changes: dict[str, int]) -> str:
    """The changes in English, as ``robustness.csv`` keeps them (CSV values never change language)."""
    parts = [f"{n} {KINDS[k]}{'s' if n > 1 else ''}" for k, n in changes.items() if n]
    return ", ".join(parts) if parts else "none"


def describe_text(changes: dict[str, int]) -> str:
    """The changes in the report's language (message catalogue, ``rob.kind.*``)."""
    from ..results.i18n import t
    from . import words  # noqa: F401  (registers the messages)

    parts = [t(f"rob.kind.{k}" + ("_many" if n > 1 else ""), n=n) for k, n in changes.items() if n]
    return ", ".join(parts) if parts else t("rob.changes_none")


@dataclass(frozen=True)
class ResolvedEnd:
    """A re-solve at one end of a factor's range: ``changes`` (None: no design) and the solver's status."""

    end: str
    changes: dict[str, int] | None
    status: str

    def english(self) -> str:
        if self.changes is None:
            return f"{self.end}: no design ({self.status})"
        return f"{self.end}: {describe(self.changes)}" + ("" if self.status == "optimal" else f" ({self.status})")

    def text(self) -> str:
        """The same in the report's language."""
        from ..results.i18n import t
        from . import words  # noqa: F401

        end = t(f"rob.end.{self.end}")
        if self.changes is None:
            return t("rob.end_no_design", end=end, status=self.status)
        return t("rob.end_changes", end=end, changes=describe_text(self.changes)) + (
            "" if self.status == "optimal" else f" ({self.status})")


def resolve_ends(loaded, inputs, nominal: FixedDesign, factor) -> tuple[ResolvedEnd, ...]:
    """The decisions a re-solve at each end of ``factor``'s range changes (or that it has no design)."""
    out = []
    for end in ("low", "high"):
        result = solve_with(loaded, inputs, factor.values(end))
        if not result.has_design or result.design.services is None:
            out.append(ResolvedEnd(end, None, result.status))
            continue
        other = FixedDesign.from_services(result.design.services, result.design.assignment)
        out.append(ResolvedEnd(end, decision_changes(nominal, other), result.status))
    return tuple(out)


def check_factor(loaded, inputs, nominal: FixedDesign, factor) -> str:
    """``low: …; high: …`` — the decisions a re-solve at each end changes (or why it could not say)."""
    return "; ".join(e.english() for e in resolve_ends(loaded, inputs, nominal, factor))
