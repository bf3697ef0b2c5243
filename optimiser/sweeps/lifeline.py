"""Worker processes die with the sweep that started them.

A sweep killed outright (SIGKILL, or SIGTERM, which Python does not turn into an exception) has
no chance to stop its pool: without a lifeline, each worker would finish its variant — and a
CBC process under it would run to its time limit — for no one. :func:`bind_to_parent`, run in
each worker as it starts, ties the worker to the sweep process ``parent_pid``:

* a watchdog thread checks every :data:`POLL_S` seconds that the worker's parent is still
  ``parent_pid`` (an orphan is adopted by another process); HiGHS releases the GIL while it
  solves, and CBC is waited for with the GIL released, so the thread runs during a solve;
* on Linux the kernel also sends the worker SIGTERM when its parent dies (``prctl``
  ``PR_SET_PDEATHSIG``), handled like the watchdog's finding.

Either way the worker kills its own child processes (a CBC solve), then exits at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

#: How often a worker checks that its parent is alive, seconds.
POLL_S = 0.5
#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
#: Exit code of a worker whose sweep died (128 + SIGTERM, as if the sweep had terminated it).
EXIT_ORPHANED = 128 + signal.SIGTERM


def bind_to_parent(parent_pid: int) -> None:
    """Make this process exit, with its children, as soon as ``parent_pid`` is no longer its
    parent (see module docstring). Pool initializer: call it first thing in a worker."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        signal.signal(signal.SIGTERM, lambda _signum, _frame: die())
        if sys.platform.startswith("linux"):
            try:
                ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
            except (OSError, AttributeError):  # no prctl: the watchdog alone
                pass
    if os.getppid() != parent_pid:  # the sweep died while this worker was starting
        die()
    threading.Thread(target=_watch, args=(parent_pid,), name="optimiser-lifeline", daemon=True).start()


def _watch(parent_pid: int) -> None:
    stop = threading.Event()
    while not stop.wait(POLL_S):
        if os.getppid() != parent_pid:
            die()


def die() -> None:
    """Kill this process's descendants (a solver subprocess), then exit without cleanup: the
    sweep that would read this worker's result is gone."""
    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(EXIT_ORPHANED)


def descendants(pid: int) -> list[int]:
    """Process ids of every descendant of ``pid``, from ``/proc`` (empty where there is none).

    Walks down from ``pid`` through the kernel's list of each thread's children
    (``/proc/PID/task/TID/children``): a few small reads per process of the tree, where scanning
    every process of the machine costs about 5 ms a call (the tests that wait for a solver
    process call this every 20-100 ms). Kernels without that file get the full scan."""
    return _below(pid, _children if _CHILDREN_FILES else _children_by_scan())


def _below(pid: int, children_of) -> list[int]:
    """Every descendant of ``pid``, walking down ``children_of`` (pid → its children)."""
    found, todo = [], [pid]
    while todo:
        for child in children_of(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _children(pid: int) -> list[int]:
    """The children of ``pid``: those of each of its threads (a child belongs to the thread
    that started it); none once ``pid`` is gone."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    children = []
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as handle:
                children.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return children


def _children_by_scan():
    """``pid`` → its children, from every process's parent id (``/proc/N/stat``): one scan of
    the machine, for kernels without the per-thread children lists."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        entries = []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return lambda pid: children.get(pid, [])


#: The kernel lists each thread's children (``CONFIG_PROC_CHILDREN``, on in the usual kernels).
_CHILDREN_FILES = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
