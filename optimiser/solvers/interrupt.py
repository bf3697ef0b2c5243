"""Ctrl-C during a solve: stop the solver promptly, then keep its incumbent or discard it.

Python runs signal handlers only between bytecodes of the main thread, so a solver busy in C
code (HiGHS's ``run``, or the wait on CBC's process) used to ignore Ctrl-C until it finished,
and the design was then thrown away. Now:

* the solver adapters always run so that the main thread stays responsive (HiGHS in a worker
  thread that the main thread polls; CBC in its own process) and register, while they run, how to
  stop them: HiGHS through its interrupt callbacks (:meth:`.highs_child.SolveThread.cancel`), CBC by a SIGINT to its process
  (it then stops as on its time limit and writes its best solution);
* inside :class:`interruptible` (main thread only; the public :func:`optimiser.solve` uses it),
  the first Ctrl-C sets :data:`STOP` and stops the running solver; the design loop then stops and
  reports what it holds as ``feasible`` with its honest gap (``on_interrupt: keep``), or raises
  :class:`KeyboardInterrupt` once the solver has stopped (``on_interrupt: discard``). A second
  Ctrl-C raises :class:`KeyboardInterrupt` at once;
* outside it (a sweep, a script), Ctrl-C raises :class:`KeyboardInterrupt` as usual, and the
  adapters stop their solver before passing it on, so nothing keeps running.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable
from typing import Literal

Policy = Literal["keep", "discard"]
POLICIES: tuple[str, ...] = ("keep", "discard")


class StopRequest:
    """A process-wide request to stop solving, and how to stop each solver running now."""

    def __init__(self):
        self._lock = threading.RLock()  # re-entrant: the signal handler may run while the main thread holds it
        self._stoppers: list[Callable[[], None]] = []
        self.requested = False

    def request(self) -> None:
        """Stop every running solver (called by the SIGINT handler, or by a program)."""
        with self._lock:
            self.requested = True
            stoppers = list(self._stoppers)
        for stop in stoppers:
            stop()

    @contextlib.contextmanager
    def while_running(self, stop: Callable[[], None]):
        """``stop`` stops the solver running inside the ``with`` block (called at once if a stop
        was already requested)."""
        with self._lock:
            self._stoppers.append(stop)
            already = self.requested
        if already:
            stop()
        try:
            yield
        finally:
            with self._lock:
                self._stoppers.remove(stop)

    def clear(self) -> None:
        with self._lock:
            self.requested = False

    @contextlib.contextmanager
    def paused(self):
        """Let one short, bounded computation run after a stop was requested (the bound of the
        design a stopped run keeps); a new Ctrl-C inside the block stops it like any solve, and
        the request stands again when the block ends."""
        with self._lock:
            was = self.requested
            self.requested = False
        try:
            yield
        finally:
            with self._lock:
                self.requested = self.requested or was


#: The one stop request of this process.
STOP = StopRequest()


class interruptible:
    """While active (in the main thread), Ctrl-C stops the solver instead of raising at once.

    ``policy``: ``"keep"`` — the run ends with the design it holds (``feasible``, with its gap);
    ``"discard"`` — :class:`KeyboardInterrupt` is raised when the ``with`` block ends (promptly:
    the solver was stopped). Elsewhere than in the main thread it does nothing (Python only lets
    the main thread handle signals).
    """

    def __init__(self, policy: Policy = "keep"):
        if policy not in POLICIES:
            raise ValueError(f"on_interrupt must be one of {POLICIES}, got {policy!r}")
        self.policy = policy
        self._previous = None
        self._active = False

    def _handler(self, signum, frame):
        if STOP.requested:  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        STOP.request()

    def __enter__(self):
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._handler)
            self._active = True
            STOP.clear()
        return self

    def __exit__(self, kind, exc, tb):
        if not self._active:
            return False
        signal.signal(signal.SIGINT, self._previous)
        requested = STOP.requested
        STOP.clear()
        if requested and kind is None and self.policy == "discard":
            raise KeyboardInterrupt("interrupted (Ctrl-C); the design was discarded (solver.on_interrupt: discard)")
        return False
