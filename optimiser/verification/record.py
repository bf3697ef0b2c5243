"""The verifier's record: the checks that passed and the violations found, by check name."""

from __future__ import annotations

from dataclasses import dataclass, field

#: At most this many problems are listed per check (then "... and N more").
SHOWN_PER_CHECK = 20


@dataclass
class Verification:
    """Outcome of :func:`optimiser.verification.verify_result`.

    ``passed`` lists the names of the checks that found nothing; ``violations`` one line per
    problem, ``"<check>: <problem>"``. A check with problems is not in ``passed``.
    """

    passed: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def check(self, name: str, problems: list[str]) -> None:
        """Record the outcome of check ``name``: passed when ``problems`` is empty."""
        if problems:
            self.violations += [f"{name}: {p}" for p in problems[:SHOWN_PER_CHECK]]
            if len(problems) > SHOWN_PER_CHECK:
                self.violations.append(f"{name}: ... and {len(problems) - SHOWN_PER_CHECK} more")
        else:
            self.passed.append(name)
