"""Commune references of a scenario, resolved against its territory, problems kept with their key path."""

from __future__ import annotations

from ..errors import Problem
from ..scenario.load import LoadedScenario
from .lookup import CommuneLookup
from .territory import Territory


class References:
    """Resolves commune references and collects problems with their key paths."""

    def __init__(self, loaded: LoadedScenario, territory: Territory):
        self.loaded = loaded
        self.lookup = CommuneLookup(territory)
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, value=None, show_value=True, hint=None):
        line = self.loaded.lines.get(path)
        if line is None and "[" in path:
            line = self.loaded.lines.get(path[: path.rfind("[")])
        self.problems.append(Problem(self.loaded.label, path, message, value, hint=hint, show_value=show_value, line=line))

    def one(self, path: str, ref) -> str | None:
        code, message = self.lookup.resolve(ref)
        if code is None:
            self.problem(path, message, ref, show_value=False)
        return code

    def many(self, path: str, refs) -> list[str]:
        out = []
        for k, ref in enumerate(refs or []):
            code = self.one(f"{path}[{k}]", ref)
            if code is not None:
                out.append(code)
        return out
