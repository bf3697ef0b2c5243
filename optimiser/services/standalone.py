"""The status quo: every member alone, as inventoried — cost per member and service (€/yr).

For a member *i* and service *s*:

* régie: staff = FTE × loaded cost of the service's grade; equipment = Σ over the service's
  machine types of units owned × yearly cost of a unit (purchase ÷ life + maintenance + insurance);
* délégation: the contract (€/yr).

``keep`` (staff + contract) and ``equipment`` are kept apart: when a member pools a service or
borrows a pole's machines, its own machines for that service leave its books.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Catalogue
from .inventory import Inventory


@dataclass(frozen=True)
class StandaloneCost:
    member: str
    service: str
    workload: float
    mode: str
    staff_eur: float
    contract_eur: float
    equipment_eur: float

    @property
    def keep_eur(self) -> float:
        """What keeping the service costs besides the member's own machines."""
        return self.staff_eur + self.contract_eur

    @property
    def total_eur(self) -> float:
        return self.staff_eur + self.contract_eur + self.equipment_eur


def standalone_costs(inventory: Inventory, catalogue: Catalogue) -> dict[tuple[str, str], StandaloneCost]:
    out = {}
    for (member, s), row in inventory.services.items():
        spec = catalogue.services[s]
        staff = row.fte * catalogue.staff_eur(s)
        equipment = sum(inventory.units.get((member, q), 0) * catalogue.equipment[q].annual_eur for q in spec.equipment_days)
        out[(member, s)] = StandaloneCost(member, s, row.workload, row.mode, staff, row.contract_eur, equipment)
    return out
