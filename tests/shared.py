"""Scenarios solved once per test session and shared by every test module and pytest-xdist worker.

Several modules check different things of the same solved scenario (the report, the verifier,
tampering, the browser rendering): solving it in each module cost one solve per module, and a
Laval service solve runs up to its time limit (about 2 minutes). Here the first test that asks for
a scenario solves it and keeps the :class:`~optimiser.results.result.Result` pickled in the
session's shared temporary folder; every other module, in any worker, unpickles a copy of its own
(a module may change its copy without touching another's).

Workers share the folder pytest-xdist gives their base temporary directories
(``…/pytest-N/popen-gwK`` → ``…/pytest-N``, one per run); an exclusive ``flock`` per scenario makes
the others wait for the one solving rather than solve it again. Without xdist the folder is the
session's own base temporary directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path

from helpers import SCENARIOS

#: The service-commun run that the print and tampering tests read, at the scenario's own 120 s
#: limit (which it runs to: status feasible). Not shorter: the tampering cases edit particular
#: rows of its design (pole P1's éclairage, a commune's positive saving, a seat-share exemption),
#: and a 30 s run on a loaded machine stopped at another design without them (5 cases failed).
SERVICE_COMMUN = ("laval-2016-service-commun", ())
#: The all-delegated run of the report tests, at 30 s instead of 120 s (about 75 s to prove its
#: optimum): they read the report's sections and languages, not the optimality of the design.
DELEGATED = ("laval-2016-delegated", ("solver.time_limit_s=30",))


def session_root(tmp_path_factory) -> Path:
    """The folder shared by the session's workers (one per pytest run)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-solves"
    root.mkdir(exist_ok=True)
    return root


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing), released on exit."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def solved(tmp_path_factory, scenario: str, overrides: Sequence[str] = ()):
    """``solve(load_scenario(scenarios/SCENARIO.yaml, OVERRIDES))``, computed once per session.

    Returns a fresh copy (unpickled) at each call. The key is the scenario name and its overrides,
    so two modules asking for the same run share it and different runs never mix."""
    from optimiser import load_scenario, solve

    root = session_root(tmp_path_factory)
    key = "-".join([scenario, *overrides]).replace("/", "_").replace("=", "~")
    pickled = root / f"{key}.pickle"
    with locked(root / f"{key}.lock"):
        if not pickled.exists():
            result = solve(load_scenario(SCENARIOS / f"{scenario}.yaml", list(overrides)))
            partial = pickled.with_suffix(".partial")
            partial.write_bytes(pickle.dumps(result))
            partial.rename(pickled)  # complete or absent: a crash never leaves half a pickle
    return pickle.loads(pickled.read_bytes())


def written(tmp_path_factory, scenario: str, overrides: Sequence[str] = (), draw: bool = False) -> Path:
    """The folder of :func:`solved`'s result (``to_dir``, without maps unless ``draw``), written
    once per session and shared like the solve: several modules verify or read the same folder,
    and writing it costs about as much as the solve of a status quo (the workbook, the fiches,
    the report pages). Read it only: a test that changes a file copies the folder first."""
    root = session_root(tmp_path_factory)
    key = "-".join([scenario, *overrides, "drawn" if draw else "undrawn"]).replace("/", "_").replace("=", "~")
    folder = root / f"{key}.folder"
    with locked(root / f"{key}.folder.lock"):
        if not folder.exists():
            solved(tmp_path_factory, scenario, overrides).to_dir(folder, draw=draw)  # atomic: whole or absent
    return folder
