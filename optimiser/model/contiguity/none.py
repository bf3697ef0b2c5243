"""No contiguity: poles may be in pieces (a relaxation, and the diagnosis's first trial)."""

from __future__ import annotations

from .base import ContiguityFormulation


class NoContiguity(ContiguityFormulation):
    name = "none"
    label = "no contiguity"
