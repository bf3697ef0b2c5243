"""Write a result folder atomically: all of it appears at once, or nothing does.

The folder is built under a temporary name next to the target and renamed into place. An
existing target is replaced only if it is a previous result folder (it holds ``summary.json``)
or empty, so a mistyped ``--out`` can never delete a planner's own files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, Problem

#: The file that marks a folder as an optimiser result.
MARKER = "summary.json"


def check_target(target: Path, marker: str = MARKER, kind: str = "a result folder", label: str = "--out") -> None:
    """Refuse a target that exists and is neither empty nor a folder of this kind (holding
    ``marker``)."""
    if target.exists():
        if not target.is_dir():
            raise InputError([Problem(label, str(target), f"exists and is a file, not {kind}", show_value=False)])
        if any(target.iterdir()) and not (target / marker).exists():
            raise InputError([Problem(label, str(target), f"exists, is not empty and is not {kind}; "
                                      "choose another folder (nothing was written)", show_value=False)])


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
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        fill(tmp)
        swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
