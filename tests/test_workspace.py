"""The corpus's restored workspace and remembered digests (workspace.py) see every change: a
restored folder is the template byte for byte, and a snapshot never trusts a stale digest."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

import pytest
from workspace import SETTLED_NS, FileDigests, Workspace, snapshot


@pytest.fixture
def template(tmp_path) -> Path:
    root = tmp_path / "template"
    (root / "result" / "inputs").mkdir(parents=True)
    (root / "s.yaml").write_text("name: tiny\n")
    (root / "result" / "summary.json").write_text('{"objective": 1}')
    (root / "result" / "inputs" / "t.geojson").write_bytes(bytes(range(256)))
    (root / "mine").mkdir()
    (root / "mine" / "thesis.md").write_text("my own work\n")
    return root


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_reads_what_it_names(template):
    shot = snapshot(template, FileDigests())
    assert shot == {"s.yaml": _digest(template / "s.yaml"), "result": "dir", "result/summary.json":
                    _digest(template / "result" / "summary.json"), "result/inputs": "dir",
                    "result/inputs/t.geojson": _digest(template / "result" / "inputs" / "t.geojson"),
                    "mine": "dir", "mine/thesis.md": _digest(template / "mine" / "thesis.md")}
    os.symlink(template / "mine", template / "link")
    os.mkfifo(template / "pipe")
    shot = snapshot(template, FileDigests())
    assert shot["link"] == f"link:{template / 'mine'}" and shot["pipe"] == "special"


def test_a_just_written_file_is_never_remembered(template):
    """The worst case for a stat-keyed digest: a same-size write within the clock tick of the
    hashing keeps the ctime. A digest of a file changed less than SETTLED_NS ago is therefore not
    remembered, and the next snapshot reads the file again."""
    digests = FileDigests()
    path = template / "s.yaml"
    first = snapshot(template, digests)["s.yaml"]
    assert not digests._known
    path.write_text("name: tinx\n")
    assert snapshot(template, digests)["s.yaml"] == _digest(path) != first


def test_a_remembered_digest_is_dropped_on_any_write(template):
    """A digest remembered for a settled file is not reused once the file is written, even with
    the same size and its mtime set back. (ctime cannot be aged: the digests' clock is moved past
    SETTLED_NS instead, as a later case sees it.)"""
    later = time.time_ns() + 2 * SETTLED_NS
    digests = FileDigests(clock=lambda: later)
    path = template / "s.yaml"
    first = snapshot(template, digests)["s.yaml"]
    assert digests._known  # remembered: the files' ctimes are older than the (moved) clock by SETTLED_NS
    old = path.stat()
    with open(path, "r+b") as handle:  # same size, in place (same inode)
        handle.write(b"N")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    assert snapshot(template, digests)["s.yaml"] == _digest(path) != first


def test_fresh_restores_every_kind_of_change(template, tmp_path):
    workspace = Workspace(template, tmp_path / "ws", FileDigests())
    ws = workspace.fresh()
    expected = snapshot(template, FileDigests())
    assert snapshot(ws, FileDigests()) == expected
    (ws / "s.yaml").write_text("name: tinx\n")  # same size
    (ws / "result" / "summary.json").unlink()
    (ws / "result" / "inputs" / "t.geojson").write_bytes(b"")
    os.chmod(ws / "mine" / "thesis.md", 0o400)
    (ws / "new-out" / "deep").mkdir(parents=True)
    (ws / "new-out" / "deep" / "x.csv").write_text("a\n")
    os.symlink(ws / "loop.yaml", ws / "loop.yaml")
    os.symlink(ws / "mine", ws / "link")
    with open(ws / "mine" / "big.bin", "wb") as handle:
        handle.truncate(3_000_000_000)
    os.chmod(ws / "result", 0o500)  # read-only: its entries cannot be removed until restored
    os.chmod(ws / "new-out" / "deep", 0o500)
    assert workspace.fresh() == ws
    assert snapshot(ws, FileDigests()) == expected
    assert all(stat.S_IMODE(os.lstat(ws / rel).st_mode) == stat.S_IMODE(os.lstat(template / rel).st_mode)
               for rel in expected)
    for rel in ("result", "mine"):  # a folder removed, or replaced by a file
        (ws / rel).rename(tmp_path / f"gone-{rel}")
    (ws / "mine").write_text("not a folder")
    workspace.fresh()
    assert snapshot(ws, FileDigests()) == expected
