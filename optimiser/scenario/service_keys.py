"""The names of the catalogue's services and machines, as the schema accepts them (one list, read
by the scenario schema and by the roadmap's rules, so a rule naming an unknown service is an error
instead of a rule that matches nothing)."""

from __future__ import annotations

from typing import Literal

ServiceKey = Literal["voirie", "voirie_travaux", "espaces_verts", "eclairage", "proprete", "batiments", "ingenierie",
                     "parc_auto", "ads"]
"""A service of the catalogue."""
EquipmentKey = Literal["tractor_with_flail_arm", "backhoe_loader", "ride_on_mower_pro", "aerial_lift_truck", "sweeper_compact"]
"""A machine type of the catalogue."""
