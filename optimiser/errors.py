"""Errors the engine reports to a planner in plain words.

Every problem with an input names the file, the key path inside it, the offending value, what
is expected instead and, where one exists, the closest valid alternative ("did you mean").
Problems are collected and reported together, so a planner fixes a scenario in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Exit code for malformed input (scenario, data file, command-line value).
EXIT_INPUT = 2
#: Exit code for a run that could not produce a result (solver failure, infeasible scenario).
EXIT_NO_RESULT = 3
#: Exit code of ``optimiser verify`` when a result breaks a rule.
EXIT_VIOLATION = 4


def _show(value: Any) -> str:
    """Short, unambiguous rendering of a value for an error line."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    Attributes:
        file: the file it was found in (``None`` for a command-line value).
        path: dotted key path inside the file, e.g. ``poles.population.min``.
        message: what is wrong and what is expected.
        value: the offending value.
        hint: a suggestion, usually ``did you mean 'x'?``.
        show_value: whether the value is worth printing (not for a missing key).
        line: line of the file where the key sits, when known.
    """

    file: str | None
    path: str
    message: str
    value: Any = None
    hint: str | None = None
    show_value: bool = True
    line: int | None = None

    def render(self) -> str:
        where = self.file or "<command line>"
        if self.line is not None:
            where += f":{self.line}"
        head = f"{where}: {self.path}" if self.path else where
        text = f"{head}: {self.message}"
        if self.show_value:
            text += f" (got {_show(self.value)})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class OptimiserError(Exception):
    """Base class of errors reported to the user without a traceback."""

    exit_code = EXIT_NO_RESULT


class InputError(OptimiserError):
    """One or more problems in a scenario, a data file or a command-line value."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: Iterable[Problem], title: str = "Invalid input"):
        self.problems = list(problems)
        self.title = title
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.problems)
        lines = [f"{self.title}: {n} problem{'s' if n != 1 else ''}"]
        lines += [f"  - {p.render()}" for p in self.problems]
        return "\n".join(lines)


class DisconnectedTerritoryError(OptimiserError):
    """The road graph splits the territory into pieces that no pole can bridge."""

    exit_code = EXIT_INPUT


class SolverError(OptimiserError):
    """A solver failed to run (not: found the scenario infeasible)."""
