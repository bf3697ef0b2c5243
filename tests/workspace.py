"""A test workspace restored in place between cases, and snapshots that read only what changed.

The bad-input corpus (``test_bad_input_corpus.py``) runs ~650 commands, each in a workspace of
~70 files (scenarios, a territory, an inventory, two result folders). Copying the template for
every case and hashing every file before and after the command cost about 55 ms a case, four to
five times the command itself (a refused ``validate``: ~10 CPU-ms). Here:

* :class:`FileDigests` remembers each file's SHA-256 together with its device, inode, size, mtime
  and ctime. The kernel sets a file's ctime on every write, truncation, chmod, utime or rename
  into place, and no program can set it back; a file whose stat is the one it had when it was
  hashed therefore holds the same bytes. The ctime clock ticks every few milliseconds, so a write
  within the tick of the previous change could keep the same ctime: a digest is remembered only
  for a file whose ctime is older, by :data:`SETTLED_NS`, than the moment its bytes were read.
  A snapshot of an unchanged workspace is then ~70 ``lstat`` calls and no ``open``.
* :class:`Workspace` keeps one folder per test process. Before each case it puts the folder back
  in the template's state: removes what the template does not hold, copies back a file whose
  bytes or mode differ, re-creates what is missing, then checks the whole folder against the
  template's snapshot. A case therefore starts from the same files as in a fresh copy, and a
  file no case touched is neither copied nor read again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from pathlib import Path

#: How much older than the reading of its bytes a file's ctime must be for its digest to be
#: remembered: far above the coarse clock's tick (1-10 ms), so that any later write changes ctime.
SETTLED_NS = 1_000_000_000
#: Files above this size are not read: their size and mtime stand for their bytes (sparse giants
#: that cases write to test bounded reading).
BIG_BYTES = 50_000_000


class FileDigests:
    """SHA-256 of files, read again only when their stat says they may have changed."""

    def __init__(self, clock=time.time_ns) -> None:
        self._known: dict[str, tuple[tuple[int, ...], str]] = {}
        self._clock = clock  # the wall clock, in ns: ctime's clock

    def digest(self, path: str, st: os.stat_result) -> str:
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        known = self._known.get(path)
        if known is not None and known[0] == key:
            return known[1]
        reading = self._clock()
        with open(path, "rb") as handle:
            value = hashlib.file_digest(handle, "sha256").hexdigest()
        if st.st_ctime_ns < reading - SETTLED_NS:
            self._known[path] = (key, value)
        else:
            self._known.pop(path, None)
        return value


def snapshot(root: Path, digests: FileDigests) -> dict[str, str]:
    """Relative path → SHA-256 of every regular file (``dir`` for a folder, ``link:<target>`` for a
    symbolic link, ``big:<size>:<mtime>`` for a file above :data:`BIG_BYTES`, ``special`` for a
    device, socket or pipe). Links are not followed."""
    out: dict[str, str] = {}
    _walk(str(root), "", digests, out)
    return out


def _walk(folder: str, prefix: str, digests: FileDigests, out: dict[str, str]) -> None:
    with os.scandir(folder) as entries:
        children = list(entries)
    for entry in children:
        rel = prefix + entry.name
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISLNK(st.st_mode):
            out[rel] = "link:" + os.readlink(entry.path)
        elif stat.S_ISDIR(st.st_mode):
            out[rel] = "dir"
            _walk(entry.path, rel + "/", digests, out)
        elif stat.S_ISREG(st.st_mode):
            out[rel] = (f"big:{st.st_size}:{st.st_mtime_ns}" if st.st_size > BIG_BYTES
                        else digests.digest(entry.path, st))
        else:
            out[rel] = "special"


class Workspace:
    """One working copy of ``template`` at ``folder``, restored to the template's state on demand.

    The template holds folders and regular files only, and is never written to.
    """

    def __init__(self, template: Path, folder: Path, digests: FileDigests) -> None:
        self.template = template
        self.folder = folder
        self.digests = digests
        self.expected = snapshot(template, digests)
        if any(not (v == "dir" or len(v) == 64) for v in self.expected.values()):
            raise ValueError(f"{template}: a workspace template holds folders and small regular files only")
        self._modes = {rel: stat.S_IMODE(os.lstat(template / rel).st_mode) for rel in self.expected}

    def fresh(self) -> Path:
        """The folder, holding exactly the template's files (bytes and modes)."""
        if self.folder.exists():
            try:
                self._restore()
            except OSError:  # something a case made that cannot be undone in place: copy afresh
                self._remove(self.folder)
        if not self.folder.exists():
            shutil.copytree(self.template, self.folder, symlinks=True)
        state = snapshot(self.folder, self.digests)
        if state != self.expected:
            raise AssertionError(f"{self.folder} differs from the template after restoring it: "
                                 f"{sorted(k for k in state.keys() | self.expected.keys() if state.get(k) != self.expected.get(k))[:10]}")
        return self.folder

    def _restore(self) -> None:
        os.chmod(self.folder, stat.S_IMODE(os.lstat(self.template).st_mode))
        self._prune(str(self.folder), "")
        for rel in sorted(self.expected):  # a folder before what it holds
            path = self.folder / rel
            if os.path.lexists(path):
                continue
            if self.expected[rel] == "dir":
                path.mkdir()
                os.chmod(path, self._modes[rel])
            else:
                shutil.copy2(self.template / rel, path)

    def _prune(self, folder: str, prefix: str) -> None:
        """Remove what the template does not hold; copy back a file whose bytes or mode differ."""
        with os.scandir(folder) as entries:
            children = list(entries)
        for entry in children:
            rel = prefix + entry.name
            want = self.expected.get(rel)
            st = entry.stat(follow_symlinks=False)
            is_dir, is_file = stat.S_ISDIR(st.st_mode), stat.S_ISREG(st.st_mode)
            if want is None or (want == "dir") != is_dir or not (is_dir or is_file):
                self._remove(Path(entry.path))
                continue
            if stat.S_IMODE(st.st_mode) != self._modes[rel]:
                os.chmod(entry.path, self._modes[rel])
            if is_dir:
                self._prune(entry.path, rel + "/")
            elif st.st_size > BIG_BYTES or self.digests.digest(entry.path, st) != want:
                os.unlink(entry.path)
                shutil.copy2(self.template / rel, entry.path)

    @staticmethod
    def _remove(path: Path) -> None:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
            return

        def writable_then_retry(function, name, _):
            # a folder a case made read-only: its entries can be removed once it is writable again
            os.chmod(os.path.dirname(name), stat.S_IRWXU)
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, stat.S_IRWXU)
            function(name)

        shutil.rmtree(path, onerror=writable_then_retry)
