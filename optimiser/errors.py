"""Errors the engine reports to a planner in plain words.

Every problem with an input names the file, the key path inside it, the offending value, what
is expected instead and, where one exists, the closest valid alternative ("did you mean").
Problems are collected and reported together, so a planner fixes a scenario in one pass.
"""

from __future__ import annotations

import errno
import os
import warnings
from collections.abc import Callable, Iterable
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


class FileSystemError(OptimiserError):
    """The machine refused a file operation: a full disk, a read-only or forbidden folder, a
    path that runs through a file. Not a bug and not the scenario's fault, but the planner's
    to fix, so it exits like bad input (2) with the path and the cause in words."""

    exit_code = EXIT_INPUT

    def __init__(self, error: OSError):
        self.error = error
        super().__init__(describe_os_error(error))


_PERMISSION = "permission denied for {where}: choose a location you may read and write, or fix its permissions"
#: errno → the words for it; ``{where}`` is the path (or "a file" when the error names none).
ANY_PATH_ERRORS = {
    errno.EROFS: "{where} is on a read-only file system: write elsewhere (e.g. --out on a writable disk)",
    errno.EACCES: _PERMISSION,
    errno.EPERM: _PERMISSION,
}
_TOO_MANY_FILES = "too many files open at once on this machine (opening {where}): close some programs and try again"
_DEVICE = "{where} is a device, not a file"
#: errno → the words for it, for an error that names its path ``{where}``.
PATH_ERRORS = {
    errno.ENOTDIR: "{where}: a part of this path is a file, not a folder",
    errno.EISDIR: "{where} is a folder, where a file was expected",
    errno.ENOENT: "{where} does not exist (or a folder on its path does not)",
    errno.ENAMETOOLONG: "the path is too long: {where}",
    errno.ELOOP: "too many levels of symbolic links in {where}",
    errno.EMFILE: _TOO_MANY_FILES,
    errno.ENFILE: _TOO_MANY_FILES,
    errno.EIO: "input/output error on {where}: the disk or network file system failed",
    errno.ENXIO: _DEVICE,
    errno.ENODEV: _DEVICE,
    errno.ETXTBSY: "{where} is busy (in use by a running program)",
}
#: A full disk: errno → what is full.
FULL_DISK = {errno.ENOSPC: "no space left", **({errno.EDQUOT: "disk quota exceeded"} if hasattr(errno, "EDQUOT") else {})}


def describe_os_error(error: OSError) -> str:
    """``error`` in words, naming its path(s) and what to do, e.g. ``no space left on the disk
    holding /data/results/x: free some space or write elsewhere`` (the words by errno:
    :data:`FULL_DISK`, :data:`ANY_PATH_ERRORS`, :data:`PATH_ERRORS`)."""
    path = error.filename
    where = None if path is None else os.fsdecode(path)
    if where is not None and error.filename2 is not None:
        where += f" → {os.fsdecode(error.filename2)}"
    code = error.errno
    if code in FULL_DISK:
        disk = f"the disk holding {where}" if where else "a disk"
        return f"{FULL_DISK[code]} on {disk}: free some space or write elsewhere"
    if code in ANY_PATH_ERRORS:
        return ANY_PATH_ERRORS[code].format(where=where or "a file")
    if where is None:  # no path to name: the system's own words
        reason = str(error) or error.__class__.__name__
        return f"the system refused an operation ({error.__class__.__name__}: {reason})"
    if code == errno.EEXIST:  # what exists decides the words
        if os.path.lexists(path) and not os.path.isdir(path):
            return f"{where} exists and is a file, not a folder"
        return f"{where} already exists"
    if code in PATH_ERRORS:
        return PATH_ERRORS[code].format(where=where)
    reason = error.strerror or error.__class__.__name__
    return f"{where}: {reason[:1].lower() + reason[1:]}"


class InputWarning(UserWarning):
    """A problem in an input that was worked around rather than refused (a polygon repaired):
    the run goes on, but the planner must hear of it — on the terminal as a ``warning:`` line
    (see :func:`show_input_warnings`), in a notebook as a Python warning, and in the report."""


def warn_input(message: str) -> None:
    """Raise an :class:`InputWarning` (shown once per distinct message)."""
    warnings.warn(message, InputWarning, stacklevel=2)


def show_input_warnings(echo: Callable[[str], None]) -> None:
    """Show :class:`InputWarning` through ``echo`` as ``warning: <message>`` lines instead of
    Python's ``file:line: InputWarning: ...`` format; other warnings as before. Idempotent."""
    previous = warnings.showwarning
    if getattr(previous, "shows_input_warnings", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputWarning):
            echo(f"warning: {message}")
        else:
            previous(message, category, filename, lineno, file, line)

    show.shows_input_warnings = True
    warnings.showwarning = show
