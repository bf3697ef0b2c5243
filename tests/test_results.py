"""Result folders: written atomically, replaced only when they are results, read back intact."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from reports import tiny_result
from shared import solved

from optimiser.errors import InputError
from optimiser.results import maps
from optimiser.results.folder import PARTIAL_MARKER, STALE_AFTER_S, remove_stale_partials
from optimiser.results.result import Result


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return solved(tmp_path_factory, "laval-2016")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A 7-commune result: the folder mechanics (atomic replace, partial folders) are the same
    code whatever the design, and it writes in a tenth of Laval's time (each test writes it twice)."""
    return tiny_result(tmp_path_factory.mktemp("small"))


def test_failure_while_writing_leaves_nothing(result, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("optimiser.results.result.draw_map", broken)
    with pytest.raises(RuntimeError):
        result.to_dir(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_previous_result_is_replaced_in_one_step(small, tmp_path):
    first = small.to_dir(tmp_path / "out", draw=False)
    (first / "stale.txt").write_text("from an older run")
    second = small.to_dir(tmp_path / "out", draw=False)
    assert second == first and not (second / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_a_file_or_foreign_folder(result, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError):
        result.to_dir(tmp_path / "file")


def test_round_trip(result, tmp_path):
    folder = result.to_dir(tmp_path / "out", draw=False)
    back = Result.from_dir(folder)
    assert back.summary["objective"] == result.summary["objective"]
    assert list(back.communes["insee_code"]) == list(result.communes["insee_code"])
    assert back.communes["insee_code"].str.len().eq(5).all()
    assert back.poles["population"].sum() == result.poles["population"].sum()


def test_map_names_wrap_and_colours_differ(result):
    assert maps.wrap_name("Saint-Germain-le-Fouilloux") == "Saint-Germain-\nle-Fouilloux"
    colours = maps.pole_colours(result.inputs.territory, result.communes)
    proximity = [p for p in result.poles["pole"] if p != "SC"]
    assert len({colours[p] for p in proximity}) == len(proximity)


@pytest.mark.slow
def test_pole_outlines_are_computed_once_per_folder(result, tmp_path, monkeypatch):
    from optimiser.results import geo

    calls = []
    real = geo.pole_geometries

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    for module in ("optimiser.results.result", "optimiser.results.geo", "optimiser.results.maps", "optimiser.results.html.svgmap"):
        monkeypatch.setattr(f"{module}.pole_geometries", counted)
    folder = result.to_dir(tmp_path / "out")
    assert len(calls) == 1
    assert (folder / "map.png").exists() and 'class="outline"' in (folder / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("status, gap, expected", [
    ("optimal", 0.0, "Status: **optimal** — proven best design under the rules (within the relative gap 0.0001)."),
    ("feasible", 0.0123, "Status: **feasible, not proven optimal** — the solver stopped on its time limit; the design obeys "
                         "every rule and is at most 1.230 % worse than the best possible."),
    ("feasible", None, "Status: **feasible, not proven optimal** — the solver stopped on its time limit; the design obeys "
                       "every rule, but a better one may exist and the solver could not say by how much."),
    ("infeasible", None, "Status: **infeasible** — no design can obey all the rules."),
    ("time_limit", None, "Status: **no design found** within the time limit."),
    ("error", None, "Status: **error** — the solver failed."),
])
def test_report_md_states_the_status_and_never_a_missing_gap_as_a_bound(result, status, gap, expected):
    import copy

    from optimiser.results.report import render_report

    summary = copy.deepcopy(result.summary)
    summary["status"], summary["gap"] = status, gap
    summary["solver_options"]["gap"] = 1e-4
    text = render_report(summary, result.inputs.rules, result.communes, result.poles, lang="en")
    assert expected in text.splitlines()
    assert "n/a worse" not in text



# ------------------------------------------------------------------ partial folders of killed writers

KILLED_WRITER = """
import sys, time
from pathlib import Path
from optimiser.results.folder import write_atomically

def fill(tmp):
    (tmp / "summary.json").write_text("{}")
    print(tmp, flush=True)
    time.sleep(120)

write_atomically(Path(sys.argv[1]), fill)
"""


def killed_writer_partial(target: Path) -> Path:
    """The partial folder of a real writer killed with SIGKILL while it was filling ``target``."""
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    partial = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert partial.is_dir() and partial.name.startswith(f".{target.name}.partial-")
    return partial


def test_a_later_write_removes_the_partial_folder_of_a_killed_writer(small, tmp_path):
    partial = killed_writer_partial(tmp_path / "out")
    small.to_dir(tmp_path / "other", draw=False)  # any later write in the same folder cleans it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other"]
    assert not partial.exists()
    folder = small.to_dir(tmp_path / "out", draw=False)
    assert not (folder / ".optimiser-partial.json").exists()  # the marker never reaches a result


def test_only_dead_writers_partial_folders_are_removed(tmp_path):
    def partial(name, writer=None, age_s=0.0):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "data.csv").write_text("a planner's data")
        if writer is not None:
            marker = folder / PARTIAL_MARKER
            marker.write_text(json.dumps(writer))
            os.utime(marker, (marker.stat().st_mtime - age_s,) * 2)
        return folder

    host = socket.gethostname()
    dead = killed_writer_partial(tmp_path / "killed")
    alive = partial(".live.partial-abc123", {"writer": "optimiser", "pid": os.getpid(), "host": host})
    unmarked = partial(".mine.partial-abc123")  # the user's own folder that happens to look like ours
    foreign = partial(".other.partial-abc123", {"writer": "someone", "pid": 999_999_999, "host": host})
    elsewhere = partial(".remote.partial-abc123", {"writer": "optimiser", "pid": 1, "host": "another-machine"})
    renamed = partial("live.partial-abc123", {"writer": "optimiser", "pid": 999_999_999, "host": host})
    old = partial(".old.partial-abc123", {"writer": "optimiser", "pid": os.getpid(), "host": "another-machine"},
                  age_s=STALE_AFTER_S + 60)
    link = tmp_path / ".link.partial-abc123"
    link.symlink_to(dead.parent / "target-of-link", target_is_directory=True)
    (dead.parent / "target-of-link").mkdir()
    (dead.parent / "target-of-link" / PARTIAL_MARKER).write_text(json.dumps({"writer": "optimiser", "pid": 999_999_999,
                                                                             "host": host}))

    removed = remove_stale_partials(tmp_path)
    assert sorted(removed) == sorted([dead, old])
    for kept in (alive, unmarked, foreign, elsewhere, renamed, link, dead.parent / "target-of-link"):
        assert kept.exists() or kept.is_symlink(), kept
    assert (unmarked / "data.csv").read_text() == "a planner's data"
