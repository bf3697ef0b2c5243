"""Inputs shared by scenarios, computed once: territory, road graph, travel matrix.

The variants of a sweep mostly change pole rules, not the territory or the roads. Reading and
cleaning the communes' polygons, finding shared borders and running Dijkstra from every commune
is then the same work for each variant; :class:`InputCache` does it once per distinct
configuration and hands out the same (read-only) objects.

Keys are hashes of what the objects are computed from, never of file names alone:

* territory: the GeoJSON file's content hash and resolved path, and the ``territory`` keys
  (``name``, ``include``, ``exclude``, ``min_shared_border_m``);
* roads: the territory key, the ``roads`` keys (circuity, speed, extra links, network spec),
  the network file's content hash and the travel matrix cut-off.

An optional folder keeps entries on disk (pickles named by their key), so that worker processes
of a parallel sweep load what the parent computed instead of computing it again. The folder is
private to a sweep; entries are only ever read back by the same code version (the version is
part of the key) and an unreadable entry is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._version import __version__
from .files import GEOJSON_MAX_BYTES
from .territory.geojson import file_sha256

#: Distinct configurations kept in memory (a sweep rarely has more than a few).
MEMORY_ENTRIES = 16


@dataclass
class CacheStats:
    """What the cache did: entries computed, served from memory, read from disk, and the
    seconds spent computing (what each hit saves, on average)."""

    computed: int = 0
    memory_hits: int = 0
    disk_hits: int = 0
    compute_s: float = 0.0
    computed_by_kind: dict = field(default_factory=dict)
    hits_by_kind: dict = field(default_factory=dict)

    @property
    def hits(self) -> int:
        return self.memory_hits + self.disk_hits

    @property
    def configurations(self) -> int:
        """Distinct territory + roads configurations computed."""
        return self.computed_by_kind.get("roads", 0)

    @property
    def reuses(self) -> int:
        """Times a scenario got its road graph and travel matrix without computing them."""
        return self.hits_by_kind.get("roads", 0)

    def copy(self) -> CacheStats:
        return CacheStats(self.computed, self.memory_hits, self.disk_hits, self.compute_s,
                          dict(self.computed_by_kind), dict(self.hits_by_kind))


_FILE_HASHES: dict[tuple[str, int, int, int, int], str] = {}


def content_hash(path: Path) -> str:
    """SHA-256 of a file, remembered while its inode, size, modification and change times do not
    change. The change time (ctime) moves on every write and cannot be set back, unlike the
    modification time (a copy tool or ``touch -d`` restores it): a file rewritten in place with the
    same size and mtime is read again."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = file_sha256(path)
    return _FILE_HASHES[key]


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _readable(path: Path) -> bool:
    """Whether the loader may read ``path`` (else it is not hashed: the loader reports why)."""
    return path.is_file() and path.stat().st_size <= GEOJSON_MAX_BYTES


def territory_key(loaded) -> str | None:
    """Key of the territory of a scenario; ``None`` when its file is missing (not cached: the
    error is reported by the loader)."""
    config = loaded.scenario.territory
    path = loaded.path(config.communes)
    if not _readable(path):
        return None
    settings = config.model_dump(mode="json")
    settings.pop("communes")
    return _digest({"kind": "territory", "version": __version__, "file": str(path.resolve()),
                    "sha256": content_hash(path), "settings": settings})


def roads_key(loaded, territory_key_: str, cutoff: float | None) -> str | None:
    """Key of the road graph and travel matrix of a scenario over a given territory."""
    roads = loaded.scenario.roads
    network_sha = None
    if roads.network is not None:
        path = loaded.path(roads.network.path)
        if not _readable(path):
            return None
        network_sha = [str(path.resolve()), content_hash(path)]
    return _digest({"kind": "roads", "version": __version__, "territory": territory_key_,
                    "roads": roads.model_dump(mode="json"), "network": network_sha, "cutoff": cutoff})


class InputCache:
    """Territory, road graph and travel matrix per distinct configuration (see module doc).

    Args:
        folder: where to keep entries on disk as well (created when first written); ``None``
            keeps them in memory only.
    """

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else None
        self._memory: OrderedDict[str, Any] = OrderedDict()
        self.stats = CacheStats()

    def __len__(self) -> int:
        return len(self._memory)

    # The two entry points used by :func:`optimiser.prepare.prepare`.

    def territory(self, loaded, build: Callable[[Any], Any]):
        """``build(loaded)`` (the territory), once per territory configuration."""
        key = territory_key(loaded)
        return self._get("territory", key, lambda: build(loaded))

    def roads(self, loaded, territory, cutoff: float | None, build: Callable[[], tuple]):
        """``build()`` (road graph, travel matrix), once per territory + roads configuration."""
        t_key = territory_key(loaded)
        key = None if t_key is None else roads_key(loaded, t_key, cutoff)
        return self._get("roads", key, build)

    # Storage.

    def _get(self, kind: str, key: str | None, build: Callable[[], Any]):
        if key is None:
            return build()
        stats = self.stats
        if key in self._memory:
            self._memory.move_to_end(key)
            stats.memory_hits += 1
            stats.hits_by_kind[kind] = stats.hits_by_kind.get(kind, 0) + 1
            return self._memory[key]
        value = self._read(key)
        if value is not None:
            stats.disk_hits += 1
            stats.hits_by_kind[kind] = stats.hits_by_kind.get(kind, 0) + 1
        else:
            start = time.perf_counter()
            value = build()
            stats.computed += 1
            stats.compute_s += time.perf_counter() - start
            stats.computed_by_kind[kind] = stats.computed_by_kind.get(kind, 0) + 1
            self._write(key, value)
        self._memory[key] = value
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)
        return value

    def _file(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{key}.pickle"

    def _read(self, key: str):
        path = self._file(key)
        if path is None or not path.is_file():
            return None
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except Exception:  # a stale or truncated entry: compute it again
            return None

    def _write(self, key: str, value) -> None:
        path = self._file(key)
        if path is None or path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers see a whole entry or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def save(self, folder: str | Path) -> None:
        """Write every entry held in memory to ``folder`` (and keep using it from now on)."""
        self.folder = Path(folder)
        for key, value in self._memory.items():
            self._write(key, value)
