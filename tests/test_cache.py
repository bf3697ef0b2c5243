"""The shared-input cache: same answers, computed once per territory/roads configuration."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import tiny_territory

from optimiser.cache import InputCache, roads_key, territory_key
from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import scenario_from_dict


def scenario(territory, **changes):
    data = {"name": "c", "territory": {"communes": str(territory)}, "poles": {"max_travel_min": 30}}
    for key, value in changes.items():
        section, _, field = key.partition("__")
        data.setdefault(section, {})[field] = value
    return scenario_from_dict(data)


@pytest.fixture
def territory(tmp_path):
    return tiny_territory(tmp_path, n=8, seed=3)


def test_cached_inputs_equal_fresh_ones_and_are_shared(territory):
    cache = InputCache()
    a = prepare(scenario(territory), cache=cache)
    b = prepare(scenario(territory, poles__max_travel_min=20, poles__max_alone=1), cache=cache)
    fresh = prepare(scenario(territory, poles__max_travel_min=20, poles__max_alone=1))
    assert a.territory is b.territory and a.matrix is b.matrix and a.road is b.road
    np.testing.assert_array_equal(b.matrix.time_min, fresh.matrix.time_min)
    np.testing.assert_array_equal(b.matrix.km, fresh.matrix.km)
    assert b.territory.communes.equals(fresh.territory.communes)
    assert b.rules == fresh.rules and b.rules != a.rules  # rules are the variant's own
    assert (cache.stats.computed, cache.stats.hits, cache.stats.configurations, cache.stats.reuses) == (2, 2, 1, 1)


def test_keys_follow_what_the_inputs_are_computed_from(territory, tmp_path):
    base = scenario(territory)
    t = territory_key(base)
    assert territory_key(scenario(territory, poles__count=3)) == t
    assert territory_key(scenario(territory, territory__exclude=["99001"])) != t
    assert territory_key(scenario(territory, territory__name="Other")) != t
    assert roads_key(base, t, None) != roads_key(scenario(territory, roads__circuity=1.4), t, None)
    assert roads_key(base, t, None) != roads_key(base, t, 90.0)
    assert roads_key(base, t, None) == roads_key(scenario(territory, poles__max_alone=2), t, None)
    # same path, new content: a new key (hashes, not names)
    data = json.loads(territory.read_text())
    data["features"][0]["properties"]["population"] += 1
    territory.write_text(json.dumps(data))
    assert territory_key(base) != t
    assert territory_key(scenario(tmp_path / "missing.geojson")) is None


def test_subsets_of_one_file_are_cached_separately(territory):
    cache = InputCache()
    whole = prepare(scenario(territory), cache=cache)
    part = prepare(scenario(territory, territory__exclude=["99001"]), cache=cache)
    assert len(whole.territory) == 8 and len(part.territory) == 7
    assert cache.stats.configurations == 2


def test_disk_entries_serve_another_cache_and_damaged_ones_are_recomputed(territory, tmp_path):
    folder = tmp_path / "cache"
    first = InputCache(folder)
    prepare(scenario(territory), cache=first)
    assert len(list(folder.glob("*.pickle"))) == 2
    second = InputCache(folder)
    inputs = prepare(scenario(territory), cache=second)
    assert (second.stats.computed, second.stats.disk_hits) == (0, 2)
    assert len(inputs.territory) == 8
    for entry in folder.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    third = InputCache(folder)
    prepare(scenario(territory), cache=third)
    assert third.stats.computed == 2


def test_errors_are_not_cached(territory):
    cache = InputCache()
    with pytest.raises(Exception, match="Atlantis"):
        prepare(scenario(territory, territory__include=["Atlantis"]), cache=cache)
    assert cache.stats.computed == 0 and len(cache) == 0


def test_a_file_rewritten_with_its_size_and_mtime_is_hashed_again(tmp_path):
    """content_hash remembers a file's hash by its stat: a rewrite of the same size whose mtime is
    set back (as copy tools do) changes its ctime, and the new bytes are hashed."""
    import os

    from optimiser.cache import content_hash

    path = tmp_path / "t.geojson"
    path.write_text('{"a": 1}')
    first = content_hash(path)
    old = path.stat()
    path.write_text('{"a": 2}')
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    assert content_hash(path) != first
