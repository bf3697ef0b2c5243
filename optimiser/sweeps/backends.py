"""Where variants are solved: in this process, in a pool of processes, or on a Dask cluster.

Each backend is a generator of :class:`~optimiser.sweeps.plan.VariantOutcome` in the order the
variants finish. Closing it early (an interrupted sweep) cancels what has not started.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..cache import InputCache
from ..errors import InputError, Problem
from .lifeline import bind_to_parent
from .plan import VariantOutcome, VariantTask
from .worker import run_variant, solve_variant

BACKENDS = ("process", "dask")
#: How long the first TCP connection to a ``--scheduler`` may take, and then Dask's handshake, s.
#: A refused connection or an unknown host is known at once and reported at once: Dask's client
#: retries a refused address until its timeout (15 s to learn that the address is wrong).
SCHEDULER_TIMEOUT_S = 15.0
#: Dask settings of the local cluster a sweep starts (not of a ``--scheduler``'s workers). Its
#: dashboard is off, so nothing shows what a worker's statistical profiler samples (every 10 ms)
#: nor reads its event-loop health ticks (every 20 ms) but a warning that is silenced: both cost
#: an idle worker 0.047 CPU-s a second, 0.014 without them (measured on two workers over 20 s),
#: which on a sweep of tiny variants was a third of the workers' CPU.
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "1s"}


def run_serial(tasks: Iterable[VariantTask], cache: InputCache,
               prepared: dict | None = None) -> Iterator[VariantOutcome]:
    """One variant after the other, in this process, sharing ``cache``; a variant whose inputs
    this process already prepared (``prepared``: id → Inputs, each taken out once solved) is not
    prepared again."""
    prepared = prepared if prepared is not None else {}
    for task in tasks:
        yield solve_variant(task, cache, prepared.pop(task.id, None))


def run_processes(tasks: list[VariantTask], jobs: int, cache_folder: str | None) -> Iterator[VariantOutcome]:
    """A pool of ``jobs`` processes (started fresh — "spawn" — so no solver or plotting state
    is inherited from this one); workers read shared inputs from ``cache_folder``."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=bind_to_parent, initargs=(os.getpid(),))  # die with this process
    futures = {pool.submit(run_variant, task, cache_folder): task for task in tasks}
    try:
        for future in as_completed(futures):
            yield _result(future, futures[future])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class DaskSession:
    """A client of a Dask distributed cluster: the one at ``scheduler``, or a local cluster of
    ``jobs`` single-threaded worker processes (closed with the session).

    Workers must import this same ``optimiser`` and see the same files (scenario data, sweep
    folder) at the same paths: a shared file system, as on an HPC cluster.
    """

    def __init__(self, jobs: int, scheduler: str | None):
        import dask
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            try:
                _probe(scheduler, SCHEDULER_TIMEOUT_S)
                self.client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S:g}s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError([Problem("--scheduler", "", f"cannot connect to the Dask scheduler ({exc})", scheduler,
                                          hint="give its address as tcp://host:8786, or drop --scheduler for a "
                                               "local cluster")]) from None
        else:
            # Worker processes inherit an ignored Ctrl-C: this process stops the sweep and closes
            # the cluster, rather than each worker printing its own traceback.
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                with dask.config.set(LOCAL_CLUSTER_CONFIG):  # handed to the worker processes by their nannies
                    self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                dashboard_address=None, silence_logs=logging.ERROR)
            finally:
                signal.signal(signal.SIGINT, previous)
            self.client = Client(self.cluster)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _probe(address: str, timeout_s: float) -> None:
    """Open and close one TCP connection to a ``tcp://`` or ``tls://`` scheduler address (the
    default port 8786 when none is given); an ``OSError`` says why it cannot be reached (refused,
    unknown host, no route, ``TimeoutError`` after ``timeout_s``). Other schemes are left to Dask."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    scheme, location = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return
    host, port = parse_host_port(location, 8786)
    socket.create_connection((host, port), timeout=timeout_s).close()


def run_dask(tasks: list[VariantTask], session: DaskSession, cache_folder: str | None) -> Iterator[VariantOutcome]:
    """Variants as tasks of the session's cluster, in the order they finish."""
    from distributed import as_completed as dask_completed

    run = uuid.uuid4().hex[:8]  # task keys unique even on a long-lived shared scheduler
    futures = {session.client.submit(run_variant, task, cache_folder, key=f"optimiser-{run}-{task.id}"): task
               for task in tasks}
    try:
        for future in dask_completed(list(futures)):
            yield _result(future, futures[future])
    finally:
        session.client.cancel(list(futures))


def _result(future, task: VariantTask) -> VariantOutcome:
    """The outcome of a finished future; a worker that died is this variant's error."""
    try:
        return future.result()
    except Exception as exc:
        return VariantOutcome(id=task.id, status="error", input_hash=task.input_hash,
                              error=f"the worker running it failed: {exc.__class__.__name__}: {exc}")
