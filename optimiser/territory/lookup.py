"""Resolve the way planners name communes (INSEE code or name) to INSEE codes."""

from __future__ import annotations

from collections import defaultdict

from ..text import did_you_mean, fold
from .territory import Territory


class CommuneLookup:
    """Maps an INSEE code, an exact name, or a name that matches once accents, case and
    hyphens are ignored (``"saint berthevin"``) to the commune's INSEE code."""

    def __init__(self, territory: Territory):
        self._territory = territory
        self._codes = set(territory.codes)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._by_folded: dict[str, list[str]] = defaultdict(list)
        for code, name in territory.communes["name"].items():
            self._by_name[name].append(code)
            self._by_folded[fold(name)].append(code)

    @property
    def territory(self) -> Territory:
        return self._territory

    def resolve(self, ref) -> tuple[str | None, str | None]:
        """``(code, None)`` on success, ``(None, message)`` otherwise."""
        text = str(ref).strip()
        if text.upper() in self._codes:
            return text.upper(), None
        for table, key in ((self._by_name, text), (self._by_folded, fold(text))):
            codes = table.get(key, [])
            if len(codes) == 1:
                return codes[0], None
            if len(codes) > 1:
                options = ", ".join(self._territory.label(c) for c in codes)
                return None, f"several communes are called {text!r} ({options}); use the INSEE code"
        names = list(self._territory.communes["name"])
        hint = did_you_mean(text, names)
        message = f"no commune {text!r} in territory {self._territory.name!r}"
        return None, message + (f"; {hint}" if hint else "")
