"""``optimiser`` and ``python -m optimiser``: the command line, with Ctrl-C handled from the start.

The console script enters here rather than in :mod:`optimiser.cli`, so a Ctrl-C while the
command's modules are still loading (before the error guard of :mod:`optimiser.cli` is in
place) prints one line and exits 130 — the shell's code for an interrupted command — instead
of a ``KeyboardInterrupt`` traceback; ``--debug`` keeps the traceback.
"""

import sys

#: Exit code of an interrupted command (128 + SIGINT), as the shell reports it.
EXIT_INTERRUPTED = 130


def main() -> None:
    _stand_in_for_closed_streams()
    try:
        from .cli import main as command_line

        command_line()
    except KeyboardInterrupt:
        if "--debug" in sys.argv[1:]:
            raise
        sys.stderr.write("interrupted; nothing was written\n")
        sys.exit(EXIT_INTERRUPTED)


def _stand_in_for_closed_streams() -> None:
    """Started with its output closed (``optimiser run s.yaml >&-``, a daemon without a
    terminal), Python sets ``sys.stdout`` to ``None`` and the first line printed was an internal
    error: what would have been printed goes nowhere instead, and the command still runs."""
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (lives as long as the process)


if __name__ == "__main__":  # pragma: no cover
    main()
