"""The phases of a roadmap: what the steady-state design changes, each a thing that starts once.

* one **pole service** — a pole (or the service commun) starting one service with all its users,
  poolers and borrowers, under one convention;
* one **commune reorganising one service alone** (changing its mode or staffing without pooling).

A (commune, service) the design leaves as it is today is no phase: it costs the status quo every
year. Rules name phases by :class:`optimiser.scenario.roadmap.PhaseMatch`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    """One thing that starts once. ``kind``: ``service_commun``, ``pilot``, ``pole`` or ``alone``;
    ``seat`` the pole's seat (the commune itself when alone); ``users`` the members whose
    service changes; ``mode``: regie, delegation or lending."""

    id: str
    kind: str
    pole: str
    seat: str
    service: str
    mode: str
    poolers: tuple[str, ...]
    borrowers: tuple[str, ...]
    forced: bool = False
    """The scenario forces its users in (the service commun's members): it must start within the horizon."""

    @property
    def users(self) -> tuple[str, ...]:
        return self.poolers + self.borrowers

    def matches(self, rule, pole_of_commune: dict[str, str]) -> bool:
        """Whether ``rule`` (a PhaseMatch with its ``pole`` resolved to an INSEE code) names this phase."""
        target = rule.target
        if target == "service_commun" and self.kind != "service_commun":
            return False
        if target == "poles" and self.kind not in ("pole", "pilot"):
            return False
        if target in ("pilot", "alone") and self.kind != target:
            return False
        if rule.pole is not None and pole_of_commune.get(str(rule.pole)) != self.pole:
            return False
        if rule.services is not None and self.service not in rule.services:
            return False
        return rule.mode is None or rule.mode == self.mode


def build_phases(design, pole_ids: dict, sc_seat: str | None, pilot: set[str]) -> list[Phase]:
    """The phases of a steady-state :class:`~optimiser.model.extract.ServiceDesign`.

    ``pole_ids[seat] = (pole id, name, ...)``; ``sc_seat`` the service commun's seat; ``pilot``
    the pilot communes (their pole's services are the pilot's phases)."""
    si = design.inputs
    phases = []
    for (seat, s), p in sorted(design.pole_services.items()):
        if not p.users:
            continue
        pole = pole_ids.get(seat, (seat,))[0]
        kind = "service_commun" if seat == sc_seat else "pilot" if pilot & set(p.users) else "pole"
        forced = any(si.forced.get((u, s)) is True for u in p.users)
        phases.append(Phase(f"{pole}:{s}", kind, pole, seat, s, p.mode or "lending", tuple(p.poolers), tuple(p.borrowers), forced))
    for (i, s), alone in sorted(si.standalone.items()) if si.enabled else ():
        if (i, s) in design.pooled or (i, s) in design.borrowed or alone.option == "as-is":
            continue
        phases.append(Phase(f"{i}:{s}", "alone", i, i, s, alone.mode, (i,), ()))
    return phases
