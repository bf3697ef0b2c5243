"""Per commune and year, who pays whom: the institutions helper's
:func:`optimiser.institutions.flows.money_flows` called once per year of the roadmap.

Each year's ``commune_costs`` (:data:`optimiser.institutions.flows.COST_COLUMNS`) comes from
``roadmap.csv``: before its phase starts a (member, service) is ``kept`` at its status quo of that
year (machines not yet renewed cost only their running); after, it pays its share of the phase's
running cost, split between the pole and its own budget as in the steady state (``shares.csv``:
``pays_pole_eur`` ÷ ``pays_eur``). The voirie competence is with the EPCI from
``roadmap.voirie_transfer.year`` (or as the ``institutions`` block says when the roadmap names
none). The phase's one-offs (set-up less machine sales) are added as ``roadmap_one_off_eur``.
"""

from __future__ import annotations

import pandas as pd

from ..institutions.flows import COST_COLUMNS, InstitutionalChoices, money_flows
from ..results.records import row_tuples

CHOICE_OF_STATE = {"service-commun-regie": "pooled-regie", "service-commun-delegation": "pooled-delegation",
                   "service-commun-lending": "borrows-machines"}


def cost_rows(r, year: int) -> pd.DataFrame:
    roadmap = r.tables["roadmap"]
    rows = []
    phase_of = {p.id: p for p in r.phases}
    for row in row_tuples(roadmap[roadmap["year"] == year], index=False):
        if row.state == "outside":
            continue
        i, s = row.insee_code, row.service
        sq = r.costs.status_quo[(i, s)][year]
        today = r.status_quo_parts[(i, s)]
        equipment = sq - today["keep"]
        p = phase_of.get(row.phase) if isinstance(row.phase, str) else None
        started = row.state != "status-quo"
        if not started:
            choice, pole, own, pole_eur = f"kept-{r.modes_today.get((i, s), 'regie')}", "", row.cost_eur, 0.0
        else:
            state = row.state
            if state == "transferred":
                state = f"pooled-{p.mode}" if p.poolers else "borrows-machines"
            choice = CHOICE_OF_STATE.get(state, state)
            pole = "" if p.kind == "alone" else p.pole
            ratio = r.pole_ratio.get((i, s), 1.0 if p.poolers else 0.0)
            pole_eur = row.cost_eur * ratio if pole else 0.0
            own = row.cost_eur - pole_eur
        rows.append({"member": i, "name": row.name, "service": s, "choice": choice, "pole": pole, "status_quo_eur": sq,
                     "status_quo_equipment_eur": equipment, "status_quo_staff_eur": today["staff"], "own_eur": own,
                     "pole_eur": pole_eur})
    return pd.DataFrame(rows, columns=COST_COLUMNS + ["name"])


def yearly_flows(r) -> pd.DataFrame:
    frames = []
    one_off = r.tables["roadmap"].assign(one_off=lambda f: f["setup_eur"] - f["sale_eur"]).groupby(
        ["year", "insee_code"])["one_off"].sum()
    for year in r.costs.years:
        transferred = None if r.transfer_year is None else year >= r.transfer_year
        frame = money_flows(year, cost_rows(r, year), InstitutionalChoices(voirie_transferred=transferred),
                            r.institutions.config, r.institutions.params)
        frame["roadmap_one_off_eur"] = [round(float(one_off.get((year, m), 0.0)), 2) for m in frame["member"]]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
