"""The machine refuses, not the input: a folder or a device as the territory, ``--out`` under a
file, a read-only or full disk. Each must be a clear message naming the path, exit 2, never
"internal error ... This is a bug", and nothing half-written left behind.

Read-only and full disks are real: small tmpfs file systems mounted for the test (which needs
root; without it those tests are skipped).
"""

from __future__ import annotations

import errno
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import tiny_territory, write_scenario

from optimiser.cli import main
from optimiser.errors import describe_os_error


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def scenario(folder: Path, communes=None, **extra) -> Path:
    communes = communes or tiny_territory(folder, n=8, seed=3)
    data = {"name": "tiny", "territory": {"communes": str(communes)}, "outputs": {"map": False},
            "poles": {"count": 2}, **extra}
    return write_scenario(folder / "s.yaml", data)


def assert_plain(result, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert "This is a bug" not in result.output and "internal error" not in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def mount(tmp_path):
    """``mount(options)``: a fresh tmpfs at a new folder under ``tmp_path``, unmounted afterwards."""
    mounted = []

    def make(options: str) -> Path:
        point = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_folder_as_the_territory_is_named(tmp_path):
    folder = tmp_path / "communes"
    folder.mkdir()
    result = invoke("run", scenario(tmp_path, folder), "--out", tmp_path / "out")
    assert_plain(result)
    assert f"{folder}: is a folder, not a GeoJSON file" in result.output
    assert not (tmp_path / "out").exists()


def test_a_device_as_the_territory_is_refused_without_reading_it(tmp_path):
    result = invoke("validate", scenario(tmp_path, "/dev/zero"))  # reading it would never end
    assert_plain(result)
    assert "/dev/zero: is a device, not a GeoJSON file" in result.output


def test_out_under_a_file_is_refused_before_solving(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    path = scenario(tmp_path)
    for command in (["run", path], ["sweep", path]):
        result = invoke(*command, "--out", blocker / "sub" / "out")
        assert_plain(result)
        assert f"{blocker} is a file, so nothing can be written under it" in result.output
        assert "status" not in result.output  # refused before the solve, not after
    result = invoke("template", "inventory", tiny_territory(tmp_path, n=8, seed=3), "--out", blocker / "inventory")
    assert_plain(result)
    assert str(blocker) in result.output
    assert blocker.read_text() == "mine"


def test_read_only_folder_is_refused_before_solving(tmp_path, mount):
    disk = mount("ro,size=64k")
    path = scenario(tmp_path)
    for command in (["run", path], ["sweep", path], ["init", "--communes", "53130,53201"]):
        result = invoke(*command, "--out", disk / "result")
        assert_plain(result)
        assert f"{disk} is on a read-only file system" in result.output, result.output
        assert "status" not in result.output


def test_full_disk_says_so_and_leaves_nothing(tmp_path, mount):
    disk = mount("size=16k")  # a result folder needs about 60 kB
    path = scenario(tmp_path)
    result = invoke("run", path, "--out", disk / "result")
    assert_plain(result)
    assert f"no space left on the disk holding {disk / 'result'}" in result.output
    assert os.listdir(disk) == []  # no result, no partial folder


def test_full_disk_during_a_sweep_names_the_cause(tmp_path, mount):
    disk = mount("size=16k")
    path = scenario(tmp_path, sweep={"grid": {"poles.count": [2, 3]}})
    result = invoke("sweep", path, "--out", disk / "sweep")
    assert result.exit_code in (2, 3), result.output  # 3: variants without a design; 2: the index itself
    assert "no space left on the disk holding" in result.output
    assert "This is a bug" not in result.output and "internal error" not in result.output
    leftovers = [p.name for p in (disk / "sweep").iterdir()] if (disk / "sweep").exists() else []
    assert not [name for name in leftovers if ".partial-" in name]


def test_compare_into_a_read_only_folder(tmp_path, mount):
    disk = mount("ro,size=64k")
    path = scenario(tmp_path)
    assert invoke("run", path, "--out", tmp_path / "result", "--quiet").exit_code == 0
    result = invoke("compare", tmp_path / "result", "--out", disk / "comparison")
    assert_plain(result)
    assert "read-only file system" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = invoke("run", scenario(tmp_path), "--out", locked / "out")
        assert_plain(result)
        assert f"you may not write in {locked}" in result.output
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "no space left on the disk holding /data/x"),
    (errno.EROFS, "/data/x is on a read-only file system"),
    (errno.EACCES, "permission denied for /data/x"),
    (errno.ENOTDIR, "/data/x: a part of this path is a file, not a folder"),
    (errno.EISDIR, "/data/x is a folder, where a file was expected"),
    (errno.ENOENT, "/data/x does not exist"),
    (errno.EIO, "input/output error on /data/x"),
])
def test_os_errors_in_words(code, words):
    assert describe_os_error(OSError(code, os.strerror(code), "/data/x")).startswith(words)


def test_template_on_a_full_disk_leaves_no_half_workbook(tmp_path, mount):
    disk = mount("size=8k")
    territory = tiny_territory(tmp_path, n=8, seed=3)
    for out in (disk / "inventory.xlsx", disk / "inventory"):
        result = invoke("template", "inventory", territory, "--out", out)
        assert_plain(result)
        assert f"no space left on the disk holding {out}" in result.output
        assert os.listdir(disk) == []


def test_pareto_out_under_a_file_is_refused_before_solving(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    path = scenario(tmp_path, services={})
    result = invoke("pareto", path, "--out", blocker / "front")
    assert_plain(result)
    assert f"{blocker} is a file, so nothing can be written under it" in result.output
    assert "least-cost" not in result.output  # no point was solved


def test_os_errors_without_a_path_are_still_in_words():
    assert describe_os_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))).startswith("no space left on a disk")
    assert describe_os_error(TimeoutError("took too long")) == \
        "the system refused an operation (TimeoutError: took too long)"
