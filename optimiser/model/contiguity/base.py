"""What a contiguity formulation is: the interface every entry of the registry implements."""

from __future__ import annotations

from typing import ClassVar

from ...territory.roads import TravelMatrix
from ..poles import PoleModel


class ContiguityFormulation:
    """One way of keeping every pole connected on the adjacency graph ``nbrs``.

    ``name`` is the scenario's value (``contiguity: <name>``); ``label`` what a result's
    ``formulation`` says. A formulation adds its constraints once (:meth:`add`); one with
    ``cut_loop = True`` also checks every solution (:meth:`broken`) and cuts it off (:meth:`cut`),
    and the design loop solves again until no pole is broken.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    cut_loop: ClassVar[bool] = False

    def add(self, model: PoleModel, nbrs: dict[str, list[str]], matrix: TravelMatrix) -> None:
        """Add the formulation's constraints to the pole model (before the first solve)."""

    def broken(self, assignment: dict[str, str | None], nbrs: dict[str, list[str]]) -> dict[str, list[list[str]]]:
        """Seat → stray pieces of its pole that this formulation must cut off (empty: none)."""
        return {}

    def cut(self, model: PoleModel, assignment: dict[str, str | None], nbrs: dict[str, list[str]], round_no: int) -> int:
        """Cut off ``assignment``'s broken poles; returns the number of rows added."""
        return 0
