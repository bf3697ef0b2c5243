"""One HiGHS run described by plain data, and the child process that runs such runs.

:mod:`.highs_isolated` starts this file as a script (``python highs_child.py FD CAP``), so the
child imports neither the package nor PuLP — only highspy and numpy — and starts in about a
second. The parent uses the same functions to run HiGHS in its own process.

A *job* is a dict: ``lp`` (the model as arrays, :func:`highs_lp`), ``options`` (HiGHS option
name → value), ``warm`` (column values of a warm start, or ``None``). A *report* is a dict of
what the run left: ``model_status`` (the ``HighsModelStatus`` value), ``status_name``,
``primal_solution_status`` (2: a feasible solution), ``mip_dual_bound``, ``col_value`` (array,
or ``None`` without a solution).

Protocol over one socket (``multiprocessing.connection.Connection``, pickled tuples): the parent
sends ``("solve", job)`` (or ``("resolve", ...)`` of a model it holds, :func:`_serve`), then
possibly ``("cancel",)`` while it runs; the child answers ``("done", report)``. The child ignores SIGINT (the parent forwards Ctrl-C as a cancel, which
HiGHS polls) and exits as soon as the parent's end of the socket closes, even mid-solve.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import traceback

import numpy as np


@contextlib.contextmanager
def quiet_stdout():
    """Silence the C-level stdout (HiGHS prints a banner when an instance is created)."""
    fd = 1  # the process's own stdout, where C libraries write (also under a notebook kernel)
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError, OSError):
        pass
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def new_highs(highspy, options: dict):
    """A HiGHS instance with ``options`` set (its banner silenced unless ``output_flag``)."""
    if options.get("output_flag"):
        h = highspy.Highs()
    else:
        with quiet_stdout():
            h = highspy.Highs()
    for name, value in options.items():
        h.setOptionValue(name, value)
    return h


def highs_lp(highspy, arrays: dict):
    """The ``HighsLp`` of ``arrays``: ``cost``, ``lower``, ``upper`` (columns), ``row_lower``,
    ``row_upper``, ``offset``, the row-wise matrix ``starts``/``index``/``value``, and
    ``integer`` (a boolean per column)."""
    lp = highspy.HighsLp()
    n = len(arrays["cost"])
    lp.num_col_ = n
    lp.num_row_ = len(arrays["row_lower"])
    lp.col_cost_ = arrays["cost"]
    lp.col_lower_ = arrays["lower"]
    lp.col_upper_ = arrays["upper"]
    lp.row_lower_ = arrays["row_lower"]
    lp.row_upper_ = arrays["row_upper"]
    lp.offset_ = float(arrays["offset"])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = arrays["starts"]
    lp.a_matrix_.index_ = arrays["index"]
    lp.a_matrix_.value_ = arrays["value"]
    if arrays["integer"].any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[int(k)] for k in arrays["integer"]]
    return lp


def prepared(highspy, job: dict):
    """A HiGHS instance holding the job's model, options and warm start, not yet run."""
    h = new_highs(highspy, job["options"])
    h.passModel(highs_lp(highspy, job["lp"]))
    if job.get("warm") is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(x) for x in job["warm"]]
        solution.value_valid = True
        h.setSolution(solution)
    return h


def report_of(h) -> dict:
    """What the run of ``h`` left (module docstring), in plain data."""
    info = h.getInfo()
    status = h.getModelStatus()
    feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
    return {"model_status": int(status), "status_name": h.modelStatusToString(status),
            "primal_solution_status": int(info.primal_solution_status),
            "mip_dual_bound": float(info.mip_dual_bound),
            "col_value": np.asarray(h.getSolution().col_value, dtype=float) if feasible else None}


class _CancelBox:
    """Whether the run a HiGHS instance is in was asked to stop (read by its interrupt callbacks)."""

    __slots__ = ("requested",)

    def __init__(self):
        self.requested = False


def _interrupt_if_cancelled(event) -> None:
    """HiGHS's interrupt callback (simplex, IPM, MIP): stop the run once it is cancelled.

    The flag is written on every call, not only set: HiGHS keeps the callback's
    ``user_interrupt`` from one run to the next, so with highspy's own handler (which only sets
    it) every later run of an instance once cancelled stopped at its first poll — a held seat
    model, once stopped by the overrun watchdog, then read every next pricing as interrupted."""
    event.interrupt(event.user_data.requested)


def _cancel_box(h) -> _CancelBox:
    """The instance's cancel flag, its interrupt callbacks subscribed on first use (what highspy's
    ``HandleUserInterrupt`` subscribes, reading a flag that each run resets)."""
    box = getattr(h, "_optimiser_cancel", None)
    if box is None:
        box = h._optimiser_cancel = _CancelBox()
        for callback in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            callback.subscribe(_interrupt_if_cancelled, box)
    return box


class SolveThread:
    """A long-lived thread on which HiGHS instances run, one run at a time, the caller's thread
    free to poll (a signal, a socket, a watchdog) and to :meth:`cancel` the run.

    highspy's ``startSolve`` starts a thread per run, and that thread drops HiGHS's task
    scheduler as it ends (``resetThreadScheduler``), so every run builds one again. On the pole
    pricing's MILPs (1–2 ms of HiGHS each, thousands of them) thread and scheduler were about a
    sixth of the child process's CPU. Here both stay: the scheduler is rebuilt only when a run
    asks for another thread count than the previous one (HiGHS refuses to run otherwise), so each
    run meets the scheduler a fresh thread would build. :meth:`cancel` trips the interrupt
    callbacks HiGHS polls, as ``cancelSolve`` did; a cancel before :meth:`start` is forgotten, as
    ``startSolve`` forgot it."""

    def __init__(self):
        self._go = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._h = None
        self._box: _CancelBox | None = None
        self._scheduler_threads = None  # the thread count of this thread's HiGHS scheduler
        threading.Thread(target=self._serve, name="highs-solve", daemon=True).start()

    @property
    def idle(self) -> bool:
        return self._done.is_set()

    def start(self, h) -> None:
        """Start ``h.run()`` on this thread (which must be idle)."""
        box = _cancel_box(h)
        box.requested = False
        self._box, self._h = box, h
        self._done.clear()
        self._go.set()

    def wait(self, timeout: float) -> bool:
        """Whether the run has ended, waiting up to ``timeout`` s."""
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Ask the running solve to stop (HiGHS polls it in the simplex and the branch and bound)."""
        box = self._box
        if box is not None:
            box.requested = True

    def _serve(self) -> None:
        while True:
            self._go.wait()
            self._go.clear()
            h = self._h
            try:
                threads = h.getOptionValue("threads")[1]
                if threads != self._scheduler_threads:
                    if self._scheduler_threads is not None:
                        h.resetThreadScheduler(False)
                    self._scheduler_threads = threads
                h.run()
            except Exception:  # as an exception in startSolve's thread: printed, the run's status unset
                traceback.print_exc()
            finally:
                self._h = None
                self._done.set()


_idle_threads: list[SolveThread] = []
_idle_lock = threading.Lock()


def _forget_threads_after_fork() -> None:
    """A forked copy of the process has none of these threads (nor a held lock's owner)."""
    global _idle_lock
    _idle_lock = threading.Lock()
    _idle_threads.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_threads_after_fork)


@contextlib.contextmanager
def solve_thread():
    """An idle :class:`SolveThread` of this process (a new one if none is), given back when the
    block ends if its run has ended — one per thread solving at the same time, none shared with a
    forked copy of the process (which has no such thread)."""
    with _idle_lock:
        thread = _idle_threads.pop() if _idle_threads else SolveThread()
    try:
        yield thread
    finally:
        if thread.idle:
            with _idle_lock:
                _idle_threads.append(thread)


def _run(connection, h) -> dict:
    """Run ``h`` on the solve thread; a ``cancel`` from the parent trips HiGHS's interrupt;
    the parent gone (end of file), the child leaves at once."""
    with solve_thread() as run:
        run.start(h)
        while not run.wait(0.05):
            if connection.poll():
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    os._exit(0)  # the parent is gone: nobody wants this solve
                if message[0] == "cancel":
                    run.cancel()
    return report_of(h)


def resolve(h, columns, lower, upper, options: dict, costs=None) -> None:
    """Prepare a held model's next run: the ``columns``' bounds set to ``lower``/``upper``, the
    ``costs`` (columns, values) when given, the ``options`` set, the previous run forgotten (its
    outcome is a new model's)."""
    h.changeColsBounds(len(columns), columns, lower, upper)
    if costs is not None:
        h.changeColsCost(len(costs[0]), costs[0], costs[1])
    for name, value in options.items():
        h.setOptionValue(name, value)
    h.clearSolver()


def _serve(connection, highspy) -> None:
    """Answer the parent's requests (module docstring) until it closes the socket. Besides
    ``solve``: ``("load", key, job)`` holds a model, ``("resolve", key, columns, lower, upper,
    options, costs)`` runs it again with those bounds (and costs), ``("drop", keys)`` forgets models."""
    held = {}
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "solve":
            connection.send(("done", _run(connection, prepared(highspy, message[1]))))
        elif kind == "load":
            held[message[1]] = prepared(highspy, message[2])
        elif kind == "resolve":
            h = held[message[1]]
            resolve(h, *message[2:])
            connection.send(("done", _run(connection, h)))
        elif kind == "drop":
            for key in message[1]:
                held.pop(key, None)
        # a "cancel" arriving after its run ended is stale: ignored


def main(fd: int, memory_cap: int) -> None:
    """Serve jobs on the socket ``fd`` until the parent closes it; the address space is capped
    at ``memory_cap`` bytes (0: no cap), so a runaway allocation fails here, not in the machine
    (HiGHS 1.16 then ends its run with the status "Memory limit reached")."""
    import resource
    import signal
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_cap > 0:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)  # a lower limit inherited stays
        cap = min([memory_cap] + [limit for limit in (soft, hard) if limit != resource.RLIM_INFINITY])
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    import highspy

    _serve(Connection(fd), highspy)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
