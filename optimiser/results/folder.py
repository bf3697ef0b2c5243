"""Write a result folder atomically: all of it appears at once, or nothing does.

The folder is built under a temporary name next to the target, ``.NAME.partial-XXXXXXXX``,
and renamed into place. An existing target is replaced only if it is a previous result folder
(it holds ``summary.json``) or empty, so a mistyped ``--out`` can never delete a planner's own
files.

A writer killed outright (SIGKILL, power cut) cannot remove its partial folder, so each one
carries a marker file naming its writer (host and process id). A later write in the same
folder removes the partial folders that are provably ours and dead — our name pattern, our
marker, and a writer that no longer runs (or a marker older than :data:`STALE_AFTER_S`, for a
writer on another machine of a shared file system) — and never touches anything else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, Problem

#: The file that marks a folder as an optimiser result.
MARKER = "summary.json"
#: The file that marks a folder as an optimiser partial folder, and names its writer.
PARTIAL_MARKER = ".optimiser-partial.json"
#: A partial folder older than this is stale whoever wrote it (a folder is written in seconds;
#: a day leaves room for a slow network disk and a clock that differs between machines), s.
STALE_AFTER_S = 24 * 3600.0
#: ``.NAME.partial-XXXXXXXX``: the names :func:`tempfile.mkdtemp` gives our partial folders.
_PARTIAL_NAME = re.compile(r"^\..+\.partial-[A-Za-z0-9_]+$")


def check_target(target: Path, marker: str = MARKER, kind: str = "a result folder", label: str = "--out") -> None:
    """Refuse a target that exists and is neither empty nor a folder of this kind (holding
    ``marker``), or that cannot be written (see :func:`check_writable`)."""
    if os.path.lexists(target) and not target.exists():  # a link to nowhere, or to itself
        raise InputError([Problem(label, str(target), "is a symbolic link that leads to no folder; choose another "
                                  "folder (nothing was written)", show_value=False)])
    if target.exists():
        if not target.is_dir():
            raise InputError([Problem(label, str(target), f"exists and is a file, not {kind}", show_value=False)])
        if any(target.iterdir()) and not holds_marker(target, marker):
            why = (f" (its {marker} was not written by optimiser)" if (target / marker).exists() else "")
            raise InputError([Problem(label, str(target), f"exists, is not empty and is not {kind}{why}; "
                                      "choose another folder (nothing was written)", show_value=False)])
    check_writable(target, label)


#: Keys every marker file of that name written by optimiser holds: a planner's own file of the
#: same name (their ``summary.json``) does not make their folder one we may replace.
MARKER_KEYS = {MARKER: ("scenario", "status"), "init.json": ("written_by", "selection"), "sweep.json": ("variants",)}
#: Largest marker file read to tell whose it is (a summary is a few kB).
_MARKER_MAX_BYTES = 16_000_000


def holds_marker(folder: Path, marker: str = MARKER) -> bool:
    """Whether ``folder`` holds ``marker`` as optimiser writes it: a regular file and, for the
    JSON markers of :data:`MARKER_KEYS`, an object with their keys. A planner's own JSON file of
    that name does not count (their folder is never replaced on its account); one that is not
    JSON at all is taken for ours, damaged, so a result or sweep can be written again."""
    path = Path(folder) / marker
    try:
        if not path.is_file():
            return False
        keys = MARKER_KEYS.get(marker)
        if keys is None:
            return True
        if path.stat().st_size > _MARKER_MAX_BYTES:
            return False
        data = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        return True  # ours, damaged (a write cut short, an edit gone wrong): rewriting it loses nothing
    except OSError:
        return False
    return isinstance(data, dict) and all(key in data for key in keys)


def check_writable(target: Path, label: str = "--out") -> None:
    """Refuse a folder ``target`` that could not be written, before any work is done.

    The folder is built next to ``target`` (in its parent, created if missing), so the nearest
    existing ancestor of ``target``'s parent must be a folder this process may write in, on a
    file system mounted read-write. A full disk cannot be foreseen: it is reported when met. A
    path holding a control character (a line break pasted with it) is refused too.
    """
    target = Path(target).absolute()
    odd = sorted({c for c in str(target) if ord(c) < 32 or ord(c) == 127})
    if odd:  # a pasted line break: the folder could be made, but not every file in it (GeoPackage)
        shown = str(target).encode("unicode_escape").decode("ascii")
        names = ", ".join("a line break" if c in "\n\r" else "a tab" if c == "\t" else f"character #x{ord(c):02x}"
                          for c in odd)
        raise InputError([Problem(label, shown, f"the path holds {names}; choose a name without control "
                                  "characters (nothing was written)", show_value=False)])
    ancestor = target.parent
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    what = "nothing was written"
    if not ancestor.is_dir():
        kind = "a file" if ancestor.is_file() else "not a folder"
        raise InputError([Problem(label, str(target), f"{ancestor} is {kind}, so nothing can be written under "
                                  f"it ({what})", show_value=False)])
    if _read_only(ancestor):
        raise InputError([Problem(label, str(target), f"{ancestor} is on a read-only file system; choose a folder "
                                  f"on a writable disk ({what})", show_value=False)])
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError([Problem(label, str(target), f"you may not write in {ancestor} (permission denied); "
                                  f"choose another folder ({what})", show_value=False)])


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): os.access and the write will tell
        return False


def swap_into_place(tmp: Path, target: Path) -> None:
    """Rename the finished folder ``tmp`` to ``target``, replacing a previous one in one swap
    (the old folder is renamed aside first and put back if the swap fails)."""
    if target.exists():
        old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(target, old)
        try:
            os.replace(tmp, target)
        except BaseException:
            os.replace(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)


def write_atomically(target: Path, fill: Callable[[Path], None], marker: str = MARKER,
                     kind: str = "a result folder") -> Path:
    """Call ``fill(tmp)`` to build the folder, then move it to ``target`` in one rename."""
    target = Path(target).absolute()
    check_target(target, marker, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(target.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        _mark_partial(tmp)
        fill(tmp)
        (tmp / PARTIAL_MARKER).unlink()
        swap_into_place(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise with_path(exc, target)  # noqa: B904 (with_path re-raises exc or chains it as the cause)
    return target


def with_path(error: BaseException, path: Path) -> BaseException:
    """``error``, naming ``path`` if it is an :class:`OSError` that names no file (a full disk
    fails a ``write``, which knows no file name), so the message can say where."""
    if isinstance(error, OSError) and error.filename is None and error.errno is not None:
        named = type(error)(error.errno, error.strerror, str(path))
        named.__cause__ = error
        return named
    return error


def _mark_partial(folder: Path) -> None:
    """Write the marker that names this process as the writer of ``folder``."""
    (folder / PARTIAL_MARKER).write_text(json.dumps({"writer": "optimiser", "pid": os.getpid(),
                                                     "host": socket.gethostname()}), encoding="utf-8")


def remove_stale_partials(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the partial folders in ``folder`` left by writers that died (see module
    docstring); returns what was removed. Anything that is not provably a dead writer's
    partial folder is left alone; a folder that cannot be read is simply skipped."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        path = Path(entry.path)
        if _PARTIAL_NAME.match(entry.name) and entry.is_dir(follow_symlinks=False) and is_stale_partial(path, now):
            shutil.rmtree(path, ignore_errors=True)
            if not os.path.lexists(path):
                removed.append(path)
    return removed


def is_stale_partial(folder: Path, now: float | None = None) -> bool:
    """``folder`` holds our marker and its writer is gone: the same host and a process id no
    longer running, or a marker older than :data:`STALE_AFTER_S`."""
    marker = folder / PARTIAL_MARKER
    try:
        if not marker.is_file() or marker.is_symlink():
            return False
        age = (time.time() if now is None else now) - marker.stat().st_mtime
        writer = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(writer, dict) or writer.get("writer") != "optimiser":
        return False
    if age > STALE_AFTER_S:
        return True
    pid = writer.get("pid")
    if writer.get("host") != socket.gethostname() or not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    return not process_alive(pid)


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (of any user); a zombie (dead, not yet
    reaped by its parent) does not."""
    if os.name == "nt":  # os.kill would terminate it there: assume alive, the age decides
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            if handle.read().rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
                return False
    except (OSError, IndexError):
        pass  # no /proc (macOS): os.kill alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return True  # cannot tell: assume alive, never remove a live writer's folder
    return True
