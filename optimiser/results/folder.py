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
from pathlib import Path
from typing import Callable

from ..errors import InputError, Problem

#: The file that marks a folder as an optimiser result.
MARKER = "summary.json"


def check_target(target: Path) -> None:
    """Refuse a target that exists and is neither empty nor a previous result."""
    if target.exists():
        if not target.is_dir():
            raise InputError([Problem("--out", str(target), "exists and is a file, not a result folder", show_value=False)])
        if any(target.iterdir()) and not (target / MARKER).exists():
            raise InputError([Problem("--out", str(target), "exists, is not empty and is not a result folder; "
                                      "choose another folder (nothing was written)", show_value=False)])


def write_atomically(target: Path, fill: Callable[[Path], None]) -> Path:
    """Call ``fill(tmp)`` to build the folder, then move it to ``target`` in one rename."""
    target = Path(target).absolute()
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        fill(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if target.exists():
        old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(target, old)
        try:
            os.replace(tmp, target)
        except BaseException:
            os.replace(old, target)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)
    return target
