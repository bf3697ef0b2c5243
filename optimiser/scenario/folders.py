"""Where results go by default: ``outputs.dir``, else ``results/<scenario name>``."""

from __future__ import annotations

from pathlib import Path


def safe_name(name: str) -> str:
    """``name`` as a folder name: letters, digits and ``-_.`` kept, anything else ``-``."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip("-.") or "result"


def default_folder(loaded) -> Path:
    """The result folder of a loaded scenario when none is given: its ``outputs.dir``, else
    ``results/<name>`` (``optimiser run``, ``optimiser sweep``)."""
    return Path(loaded.scenario.outputs.dir or Path("results") / safe_name(loaded.scenario.name))
