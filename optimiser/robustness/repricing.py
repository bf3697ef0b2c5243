r"""A fixed design re-priced in N sampled worlds: the saving's distribution, who pays more.

For a design :math:`D` (who pools which service at which seat, in which mode, who borrows
which machines) and a world :math:`\omega`, the territory's yearly cost is

.. math:: C_D(\omega) = \sum_{(i,s) \notin D} c^{alone}_{is}(\omega) + \sum_{(i,s)\ \text{borrows}} c^{keep}_{is}(\omega)
          + \sum_{(j,s) \in D} c^{pole}_{js}(\omega)

with every term the one cost formula (:mod:`optimiser.services.economics`) evaluated on arrays.
The saving is :math:`S(\omega) = C_{SQ}(\omega) - C_D(\omega)` (status quo :math:`C_{SQ}` =
every member alone, as inventoried). Member *i* pays its kept services plus its shares of the
pole services (the scenario's proportional key; Shapley is not re-estimated per world: the
workload key stands in), and "pays more than alone" when that exceeds its status quo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError, Problem
from ..inputs.service_inputs import ServiceInputs
from ..services.economics import pole_service_cost
from ..services.sharing import proportional_shares


@dataclass(frozen=True)
class FixedDesign:
    """The decisions of a design: ``pooled[(member, service)] = seat``,
    ``borrowed[(member, service)] = seat``, ``modes[(seat, service)]`` (``None``: a machine bank),
    ``assignment[commune] = seat`` (``None``: alone)."""

    pooled: dict
    borrowed: dict
    modes: dict
    assignment: dict = field(default_factory=dict)

    @classmethod
    def from_services(cls, services, assignment: dict) -> FixedDesign:
        """From a solved :class:`optimiser.model.extract.ServiceDesign`."""
        modes = {k: p.mode for k, p in services.pole_services.items()}
        return cls(dict(services.pooled), dict(services.borrowed), modes, dict(assignment))

    @classmethod
    def from_folder(cls, folder: Path) -> FixedDesign:
        """From a result folder's ``services.csv`` and ``communes.csv``."""
        path = Path(folder) / "services.csv"
        if not path.exists():
            raise InputError([Problem(str(folder), "", "this result folder has no services.csv: the design shares no "
                                      "service, so there is no saving to test", show_value=False)])
        from ..results.reading import read_csv  # bounded, and a damaged table is an InputError naming it

        table = read_csv(path, dtype=str, keep_default_na=False,
                         required=("seat_insee_code", "service", "mode", "poolers_codes", "borrowers_codes"))
        pooled, borrowed, modes = {}, {}, {}
        for _, row in table.iterrows():
            seat, s = row["seat_insee_code"], row["service"]
            modes[(seat, s)] = row["mode"] or None
            for code in filter(None, row["poolers_codes"].split(";")):
                pooled[(code.strip(), s)] = seat
            for code in filter(None, row["borrowers_codes"].split(";")):
                borrowed[(code.strip(), s)] = seat
        communes = read_csv(Path(folder) / "communes.csv", dtype=str, keep_default_na=False,
                            required=("insee_code", "seat_insee_code"))
        assignment = {r["insee_code"]: (r["seat_insee_code"] or None) for _, r in communes.iterrows()}
        return cls(pooled, borrowed, modes, assignment)

    def users(self) -> dict:
        out: dict = {}
        for (i, s), j in self.pooled.items():
            out.setdefault((j, s), ([], []))[0].append(i)
        for (i, s), j in self.borrowed.items():
            out.setdefault((j, s), ([], []))[1].append(i)
        return {k: (tuple(sorted(p)), tuple(sorted(b))) for k, (p, b) in out.items()}


@dataclass
class Priced:
    """A design in N worlds (€/yr arrays of length N)."""

    total: np.ndarray
    status_quo: np.ndarray
    paid: dict[str, np.ndarray]
    alone: dict[str, np.ndarray]

    @property
    def saving(self) -> np.ndarray:
        return self.status_quo - self.total


def _arr(x, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float), (n,))


def price(si: ServiceInputs, design: FixedDesign, n: int, population: dict | None = None) -> Priced:
    """The design and the status quo in the ``n`` worlds ``si`` holds (see module docstring)."""
    econ = si.econ
    key = si.key if si.key in ("workload", "population") else "workload"
    paid: dict[str, np.ndarray] = {}
    alone: dict[str, np.ndarray] = {}
    total = np.zeros(n)
    status_quo = np.zeros(n)
    today = si.status_quo or si.standalone
    for (i, s), c in si.standalone.items():
        t = _arr(c.total_eur, n)  # what the member pays alone: reorganised alone
        status_quo = status_quo + _arr(today[(i, s)].total_eur, n)
        alone[i] = alone.get(i, 0.0) + t
        if (i, s) in design.pooled:
            kept = np.zeros(n)
        elif (i, s) in design.borrowed:
            kept = _arr(c.keep_eur, n)
        else:
            kept = t
        total = total + kept
        paid[i] = paid.get(i, 0.0) + kept
    for (j, s), (poolers, borrowers) in design.users().items():
        pole = pole_service_cost(econ, j, s, poolers, borrowers, design.modes.get((j, s)))
        total = total + _arr(pole.total_eur, n)
        for share in proportional_shares(econ, pole, key, population or {}):
            paid[share.member] = paid.get(share.member, 0.0) + _arr(share.share_eur, n)
    return Priced(total=total, status_quo=status_quo, paid=paid, alone=alone)
