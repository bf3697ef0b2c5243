"""HiGHS in a child process that is killed when it will not stop: no solve outlives its limit.

HiGHS polls its time limit and its interrupt in the simplex and the branch and bound, not
everywhere: in HiGHS 1.16 a presolve rule looped on a 974-column seat pricing of CC de
l'Argonne Ardennaise, deaf to both, until it held 19.8 GB (README, "Argonne"). A thread cannot
be stopped from outside; a process can. So the MILPs run in one long-lived child process
(:mod:`.highs_child`, started on first use: 0.3–0.7 s on this machine) that

* has its address space capped (:func:`memory_cap_bytes`): a runaway allocation fails there
  (HiGHS 1.16 stops with "Memory limit reached", read as a stop with what it holds; were the
  child to die, as a stop with nothing), and the machine is spared;
* is asked to stop (HiGHS's interrupt) :data:`~.highs.OVERRUN_GRACE_S` +
  :data:`~.highs.OVERRUN_GRACE_SHARE` × limit past the time limit, and killed (SIGKILL)
  :data:`KILL_AFTER_S` later if it still has not answered — also :data:`KILL_AFTER_S` after a
  Ctrl-C it did not honour. A killed or dead child's run is read as stopped at the time limit
  with no solution and no bound (never optimal); the next solve starts a new child.

Cost per solve: the model's arrays pickled through a socket — not measurable on the Argonne seat
pricing (974 columns, 30,383 non-zeros: 177 ms a solve in either process, PuLP conversion
included, which happens in any case).
"""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .interrupt import STOP

#: Seconds a child asked to stop (time limit overrun, Ctrl-C) has to answer before it is killed.
KILL_AFTER_S = 3.0
#: Share of the machine's memory (and at most the process's own address-space limit) the child
#: may map.
MEMORY_CAP_SHARE = 0.5
CHILD = Path(__file__).with_name("highs_child.py")


def memory_cap_bytes() -> int:
    """:data:`MEMORY_CAP_SHARE` of the physical memory, or this process's own address-space limit
    (``ulimit -v``) if lower, in bytes; 0 (no cap) where the machine says neither."""
    import resource

    limits = [limit for limit in resource.getrlimit(resource.RLIMIT_AS) if limit != resource.RLIM_INFINITY]
    try:
        limits.append(int(MEMORY_CAP_SHARE * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")))
    except (ValueError, OSError, AttributeError):
        pass
    return min(limits, default=0)


def available() -> bool:
    """Whether runs can be isolated here (POSIX: address-space limits and SIGKILL)."""
    return os.name == "posix"


@dataclass
class Ended:
    """How an isolated run ended: ``report`` (:mod:`.highs_child`), or ``None`` when the child
    was killed or died (``why`` says which); ``overran``: asked to stop past its time limit."""

    report: dict | None
    overran: bool
    why: str = ""
    memory_cap: int = 0


class _Child:
    """The child process and its end of the socket."""

    def __init__(self, memory_cap: int):
        parent_end, child_end = socket.socketpair()
        self.memory_cap = memory_cap
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), str(child_end.fileno()), str(memory_cap)],
                pass_fds=(child_end.fileno(),), stdin=subprocess.DEVNULL,
                start_new_session=True)  # a terminal's Ctrl-C reaches the parent only, which forwards it
        finally:
            child_end.close()
        self.connection = Connection(parent_end.detach())
        self.pid = os.getpid()  # a forked copy of the parent must not share this child

    def kill(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        self.connection.close()

    def death(self) -> str:
        """Why the child ended by itself (it was not killed)."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            return "HiGHS's process stopped answering and was killed"
        self.connection.close()
        cap = f" (its memory cap: {self.memory_cap / 1e9:.1f} GB)" if self.memory_cap else ""
        if code < 0:
            return f"HiGHS's process died of {signal.Signals(-code).name}{cap}"
        return f"HiGHS's process ended with code {code}{cap}"


_child: _Child | None = None
_lock = threading.Lock()
_dropped: list[int] = []  # keys of held models garbage-collected, told to the child at the next run
_keys = itertools.count()


def _current_child() -> _Child:
    global _child
    if _child is None or _child.pid != os.getpid() or _child.process.poll() is not None:
        _child = _Child(memory_cap_bytes())
        _dropped.clear()  # the new child holds nothing
    return _child


def _drop_child() -> None:
    global _child
    _child = None


@atexit.register
def _close_child() -> None:
    """At exit: the child, its socket closed, leaves by itself; waited for (killed if it lingers)."""
    child = _child
    if child is None or child.pid != os.getpid():
        return
    child.connection.close()
    try:
        child.process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        child.kill()


def run_isolated(job: dict, limit: float, grace: float) -> Ended:
    """Run ``job`` in the child; ask it to stop ``grace`` s past ``limit`` (or on Ctrl-C) and
    kill it :data:`KILL_AFTER_S` after any unanswered request. A KeyboardInterrupt (Ctrl-C with no
    :class:`~.interrupt.interruptible`) kills the child and is raised again. OSError: no child
    could be started (the caller runs HiGHS itself)."""
    with _lock:
        child = _current_child()
        return _exchange(child, [("solve", job)], limit, grace)


class HeldModel:
    """A model the child holds, run again and again with some columns' bounds changed
    (:class:`~.highs.ResolvableModel`); loaded again into a new child when the one holding it
    was killed."""

    def __init__(self, job: dict):
        self.job, self.key = job, next(_keys)
        self._holder: _Child | None = None
        weakref.finalize(self, _dropped.append, self.key)

    def run(self, columns, lower, upper, options: dict, limit: float, grace: float, costs=None) -> Ended:
        with _lock:
            child = _current_child()
            messages = [] if self._holder is child else [("load", self.key, self.job)]
            self._holder = child
            return _exchange(child, messages + [("resolve", self.key, columns, lower, upper, options, costs)], limit, grace)


def _exchange(child: _Child, messages: list, limit: float, grace: float) -> Ended:
    """Send ``messages`` (the last one starts a run) and wait for the run's report (see
    :func:`run_isolated`); the caller holds the lock."""
    stop = threading.Event()
    start = time.perf_counter()
    overrun_at = start + limit + grace
    kill_at = None
    overran = False
    try:
        if _dropped:
            keys = []
            while _dropped:  # pop is atomic: a finalizer may append meanwhile
                keys.append(_dropped.pop())
            messages = [("drop", tuple(keys))] + messages
        with STOP.while_running(stop.set):
            for message in messages:
                child.connection.send(message)
            while not child.connection.poll(0.05):
                now = time.perf_counter()
                if kill_at is None and (stop.is_set() or now > overrun_at):
                    overran = not stop.is_set()
                    child.connection.send(("cancel",))
                    kill_at = now + KILL_AFTER_S
                elif kill_at is not None and now > kill_at:
                    child.kill()
                    _drop_child()
                    return Ended(None, overran, "HiGHS did not stop when asked and was killed")
            kind, report = child.connection.recv()
        return Ended(report, overran, memory_cap=child.memory_cap)
    except (EOFError, OSError):
        _drop_child()
        return Ended(None, overran, child.death())
    except BaseException:  # KeyboardInterrupt, possibly mid-message: the stream is lost
        child.kill()
        _drop_child()
        raise
