"""The status quo: every member alone, as inventoried — cost per member and service (€/yr).

For a member *i* and service *s*, on the catalogue's basis (net of the FCTVA by default):

* régie: staff = FTE × the full régie rate of an FTE (grade + supervision + crew vehicles, with the
  depot/overhead share); supplies = workload × supplies per unit; equipment = Σ over the service's
  machine types of units owned × yearly cost of a unit (purchase ÷ life + maintenance + insurance);
* délégation: the contract (€ HT/yr in the inventory) × (1 + VAT) × (1 − FCTVA rate × eligible share).

``keep`` (staff + supplies + contract) and ``equipment`` are kept apart: when a member pools a
service or borrows a pole's machines, its own machines for that service leave its books.
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
    supplies_eur: float = 0.0
    fte: float = 0.0
    option: str = "as-is"
    """``as-is`` (today's organisation) or the mode a member alone reorganises into
    (:mod:`optimiser.services.alone`)."""

    @property
    def keep_eur(self) -> float:
        """What keeping the service costs besides the member's own machines."""
        return self.staff_eur + self.supplies_eur + self.contract_eur

    @property
    def total_eur(self) -> float:
        return self.staff_eur + self.supplies_eur + self.contract_eur + self.equipment_eur


def standalone_costs(inventory: Inventory, catalogue: Catalogue, only: tuple[str, str] | None = None
                     ) -> dict[tuple[str, str], StandaloneCost]:
    """Today's cost of every (member, service), or of ``only`` that one."""
    out = {}
    rows = inventory.services.items() if only is None else [(only, inventory.services[only])]
    for (member, s), row in rows:
        spec = catalogue.services[s]
        staff = row.fte * catalogue.staff_eur(s)
        supplies = row.workload * catalogue.supplies_eur(s) if row.mode == "regie" else 0.0
        contract = row.contract_eur * catalogue.contract_factor(s)
        equipment = sum(inventory.units.get((member, q), 0) * catalogue.equipment[q].annual_eur for q in spec.equipment_days)
        out[(member, s)] = StandaloneCost(member, s, row.workload, row.mode, staff, contract, equipment, supplies,
                                          fte=row.fte)
    return out
