"""The pole rules in resolved form: every commune named by its INSEE code, every default applied.

This is what the model builders read; it no longer knows about YAML, names or key paths.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceCommunRule:
    """The integrated core: members share one pole seated at ``seat``.

    When ``open_to_others`` is false no other commune may join that pole. The pole is exempt from
    the proximity-pole size bounds and is not counted in the number of proximity poles.
    """

    name: str
    members: tuple[str, ...]
    seat: str
    open_to_others: bool


@dataclass(frozen=True)
class PoleRules:
    """Resolved rules of a pole design (units: inhabitants, communes, minutes).

    ``together`` groups are disjoint (overlapping groups of the scenario are merged).
    ``allow_alone`` lists the communes that may stay out of every pole; such a commune adds
    ``population × alone_penalty`` to the objective (see :mod:`optimiser.model.objective`).
    """

    mode: str = "poles"
    contiguity: str = "exact"
    travel_metric: str = "time"
    count_min: int | None = None
    count_max: int | None = None
    population_min: float | None = None
    population_max: float | None = None
    communes_min: int | None = None
    communes_max: int | None = None
    max_travel_min: float | None = None
    candidate_seats: tuple[str, ...] | None = None
    fixed_seats: tuple[str, ...] = ()
    forbidden_seats: tuple[str, ...] = ()
    together: tuple[tuple[str, ...], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    allow_alone: tuple[str, ...] = ()
    alone_penalty: float = 60.0
    max_alone: int | None = None
    service_commun: ServiceCommunRule | None = None
    seat_share: float = 0.0
    """A proximity seat holds at least this share of its pole's inhabitants (services runs)."""
    seat_share_exempt: tuple[str, ...] = ()
    """Communes exempt from ``seat_share`` (a team in the inventory)."""

    def apart_of(self) -> dict[str, set[str]]:
        """Commune → the communes it must be kept apart from."""
        out: dict[str, set[str]] = {}
        for a, b in self.apart:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
        return out
