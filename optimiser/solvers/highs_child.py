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


def _run(connection, h) -> dict:
    """Run ``h`` in HiGHS's worker thread; a ``cancel`` from the parent trips HiGHS's interrupt;
    the parent gone (end of file), the child leaves at once."""
    h.HandleUserInterrupt = True
    h.startSolve()
    while not h.wait(0.05)[0]:
        if connection.poll():
            try:
                message = connection.recv()
            except (EOFError, OSError):
                os._exit(0)  # the parent is gone: nobody wants this solve
            if message[0] == "cancel":
                h.cancelSolve()
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
