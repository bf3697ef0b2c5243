"""Interrupted and killed commands: Ctrl-C at any moment of start-up is one line and exit 130;
a killed sweep leaves no worker process (nor a solver under one) running; a later sweep removes
the half-written folders of a killed one.

The signals are real, sent to the installed ``optimiser`` command. To hit start-up exactly, the
tests watch Python's import log (``PYTHONPROFILEIMPORTTIME``: one stderr line per module, as
each import completes) and send Ctrl-C as soon as a given module has loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import SCENARIOS, command_line, ctrl_c_reaches_it, run_cli, voronoi_features, write_geojson

from optimiser.results.folder import PARTIAL_MARKER
from optimiser.sweeps.lifeline import descendants

OPTIMISER = Path(sys.executable).parent / "optimiser"


def interrupt_after_import(module: str, *args) -> subprocess.CompletedProcess:
    """Run ``optimiser *args``, press Ctrl-C once ``module`` is imported; the finished process."""
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    child = subprocess.Popen([str(OPTIMISER), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, preexec_fn=ctrl_c_reaches_it)
    lines = []
    try:
        for line in child.stderr:
            lines.append(line)
            if line.startswith("import time:") and line.rstrip().split("|")[-1].strip() == module:
                child.send_signal(signal.SIGINT)
                break
        else:
            pytest.fail(f"{module} was never imported:\n{''.join(lines[-20:])}")
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return subprocess.CompletedProcess(child.args, child.returncode, out, "".join(lines) + err)


def messages(stderr: str) -> list[str]:
    """stderr without the import log."""
    return [line for line in stderr.splitlines() if not line.startswith("import time:")]


@pytest.mark.parametrize("module", [
    "click",            # the command line's own modules are loading: no error guard yet
    "optimiser.errors",
    "numpy",            # the command has started and loads pandas, the solver, ...
    "pandas",
])
@pytest.mark.slow
def test_ctrl_c_during_start_up_is_one_line_and_exit_130(tmp_path, module):
    scenario = tmp_path / "s.yaml"
    territory = write_geojson(tmp_path / "t.geojson", voronoi_features(8, 3))
    scenario.write_text(yaml.safe_dump({"name": "t", "territory": {"communes": str(territory)}}))
    done = interrupt_after_import(module, "run", scenario, "--out", tmp_path / "out")
    assert done.returncode == 130, done.stderr[-2000:]
    assert messages(done.stderr) == ["interrupted; nothing was written"], messages(done.stderr)
    assert not (tmp_path / "out").exists()


def test_ctrl_c_during_start_up_with_debug_shows_the_traceback(tmp_path):
    done = interrupt_after_import("click", "--debug", "--help")
    assert "KeyboardInterrupt" in "\n".join(messages(done.stderr))


# ----------------------------------------------------------------------------------- killed sweeps

def alive(pid: int) -> bool:
    """Running (not a zombie waiting to be reaped by whoever adopted it)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_descendants_are_the_whole_tree_below_a_process():
    """:func:`descendants` walks down the kernel's per-thread child lists: it finds what the scan
    of every process's parent id finds — children, grandchildren, a child started by a thread."""
    import threading

    from optimiser.sweeps import lifeline

    tree = subprocess.Popen(["bash", "-c", "sleep 30 & (sleep 30; true) & wait"])
    from_thread = []
    thread = threading.Thread(target=lambda: from_thread.append(subprocess.Popen(["sleep", "30"])))
    thread.start()
    thread.join()
    try:
        deadline = time.monotonic() + 30
        while len(lifeline._below(tree.pid, lifeline._children_by_scan())) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # bash has started its three: two sleeps and a subshell's
        found = lifeline.descendants(os.getpid())
        assert sorted(found) == sorted(lifeline._below(os.getpid(), lifeline._children_by_scan()))
        assert {tree.pid, from_thread[0].pid} <= set(found) and len(lifeline.descendants(tree.pid)) >= 3
    finally:
        for pid in lifeline.descendants(tree.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for child in (tree, from_thread[0]):
            child.kill()
            child.wait()


@pytest.fixture(scope="module")
def hard_sweep(tmp_path_factory) -> Path:
    """Two variants that keep two workers and their CBC busy for minutes: Laval's service commun
    and poles à la carte, shared by the Shapley value (which the enumerated poles do not price:
    the shipped scenario is proven by them in seconds), priced by CBC to an exact proof (its full
    model alone runs for minutes), so each worker is sure to be inside a CBC process when the
    test looks, however fast the machine.

    Three of the nine services (voirie, espaces verts, éclairage: both modes, machines and staff),
    as in test_solver_interrupts' CLI test: the same starting points and full model, the model
    built in half the time (each worker assembles it before its first CBC); its restricted runs
    (30 s each) and its full model (which HiGHS does not prove in 90 s at gap 1e-4) keep CBC
    busy just as long at gap 0."""
    folder = tmp_path_factory.mktemp("hard")
    scenario = folder / "sweep.yaml"
    scenario.write_text(yaml.safe_dump({
        "extends": str(SCENARIOS / "laval-2016-service-commun.yaml"), "name": "hard", "outputs": {"map": False},
        "services": {"include": ["voirie", "espaces_verts", "eclairage"]},
        "solver": {"name": "cbc", "time_limit_s": 600, "gap": 0.0},
        "fairness": {"key": "shapley"},
        "sweep": {"grid": {"pooling.joint_saving_pct": [0.03, 0.15]}},
    }))
    return scenario


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_sweep_leaves_no_process_behind(hard_sweep, tmp_path, how):
    sweep = subprocess.Popen([str(OPTIMISER), "sweep", hard_sweep, "--out", tmp_path / "out", "--jobs", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # until both workers solve, each with its CBC process
            tree = descendants(sweep.pid)
            seen.update(tree)
            if sum("cbc" in command_line(pid) for pid in tree) >= 2:
                break
            assert sweep.poll() is None, "the sweep ended before it could be killed"
            time.sleep(0.1)
        else:
            pytest.fail("the workers never started CBC")
        sweep.send_signal(how)
        sweep.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in seen):
            time.sleep(0.1)
        survivors = {pid: command_line(pid)[:100] for pid in seen if alive(pid)}
        assert not survivors
    finally:
        for pid in seen | {sweep.pid}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        sweep.wait()


@pytest.mark.slow  # two sweeps
def test_a_resumed_sweep_removes_what_a_killed_one_half_wrote(tmp_path):
    """The killed writer is a real process that has ended (its pid is gone); the sweeps themselves
    run in this process (the cleaning does not depend on which process sweeps)."""
    territory = write_geojson(tmp_path / "t.geojson", voronoi_features(8, 3))
    scenario = tmp_path / "sweep.yaml"
    scenario.write_text(yaml.safe_dump({"name": "t", "territory": {"communes": str(territory)},
                                        "outputs": {"map": False}, "sweep": {"grid": {"poles.count": [2]}}}))
    out = tmp_path / "out"
    first = run_cli("sweep", scenario, "--out", out)
    assert first.returncode == 0, first.stderr
    # what a variant's writer killed by SIGKILL leaves: a marked partial folder, its pid gone
    writer = subprocess.Popen([sys.executable, "-c", "pass"])
    writer.wait()
    partial = out / ".base__poles.count=3.partial-k1ll3d"
    partial.mkdir()
    (partial / "summary.json").write_text("{}")
    (partial / PARTIAL_MARKER).write_text(json.dumps({"writer": "optimiser", "pid": writer.pid,
                                                      "host": socket.gethostname()}))
    again = run_cli("sweep", scenario, "--out", out)
    assert again.returncode == 0 and "reprise : 1 variante sur 1" in again.stdout, again.stdout + again.stderr
    assert not partial.exists()
    assert sorted(p.name for p in out.iterdir()) == ["base__poles.count=2", "sweep.json"]


def test_stale_index_files_of_killed_writers_are_removed_and_nothing_else(tmp_path):
    from optimiser.sweeps.worker import JSON_STALE_AFTER_S, remove_stale_json_partials, write_json_atomically

    write_json_atomically(tmp_path / "sweep.json", {"n": 1})
    names = [".sweep.json.partial-ab12cd.tmp", ".variant.json.partial-x_9.tmp",  # a dead writer's, old
             ".sweep.json.partial-fresh1.tmp",                                  # a live writer's, just now
             ".notes.json.partial-ab12cd.tmp", "sweep.json.partial-ab12cd.tmp"]  # not our names
    for name in names:
        (tmp_path / name).write_text("{")
    old = time.time() - JSON_STALE_AFTER_S - 60
    for name in names:
        if "fresh" not in name:
            os.utime(tmp_path / name, (old, old))
    assert sorted(p.name for p in remove_stale_json_partials(tmp_path)) == sorted(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:] + ["sweep.json"])
