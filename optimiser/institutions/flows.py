r"""Per commune and year, who pays whom: the money flows of a design under the institutional options.

Public API (also called per year by the roadmap)::

    money_flows(year, commune_costs, choices, institutions_cfg, params) -> pandas.DataFrame

In a run, ``inputs = optimiser.inputs.preparation.prepare(loaded)`` holds both last arguments,
resolved and checked: ``inputs.institutions.config`` and ``inputs.institutions.params``.

**Input** ``commune_costs``: one row per member × service (:data:`COST_COLUMNS`; € per year on
the design's basis, TTC net of the FCTVA): today's cost (``status_quo_eur``, of which machines
``status_quo_equipment_eur`` and staff ``status_quo_staff_eur``), the design's choice
(``kept-regie``, ``pooled-regie``, ``borrows-machines``, ...), what the member spends itself
(``own_eur``) and pays its pole (``pole_eur``), and that pole's id (``pole``, empty when kept).
:func:`commune_costs_from_tables` builds it from ``shares.csv`` and ``status_quo.csv``. The
member ``EPCI`` (:data:`optimiser.services.economics.EPCI`) is the EPCI's own workload.

**Output**: one row per commune and one for the EPCI (:data:`FLOW_COLUMNS`), € per year. For a
commune *i* (sums over its services *s*, *T* the transferred ones, *SC* those in the service
commun, *P* those in another pole):

.. math::

    \text{net}_i = \underbrace{\sum_{s\notin T} \text{own}_{is}}_{\text{own}}
      + \underbrace{\sum_{s\in P\setminus T} \text{pole}_{is}}_{\text{pays pole}}
      + \underbrace{\sum_{s\in SC\setminus T} \text{pole}_{is}\,[\text{convention}]}_{\text{pays EPCI}}
      + \underbrace{AC^{before}_i - AC^{after}_i}_{\text{imputation} + \text{CLECT}}
      + \text{MAD spend}_i - \text{MAD reimbursement}_i

with :math:`AC^{after}_i = AC^{before}_i - \text{imputation}_i - \text{CLECT}_i`
(:mod:`.attribution`, :mod:`.transfer`), and ``saving = status_quo − net``. The EPCI row bears
the whole service commun (every member's share, its own included), the transferred services'
design cost and the régime indemnitaire uplift of the agents it takes on, and receives the
conventions, the imputations and the CLECT charges:

.. math::

    \text{net}_{EPCI} = \text{SC cost} + \text{transferred cost} + \text{RI} - \text{conventions}
      - \text{imputations} - \text{CLECT}

so the flows **add up**: :math:`\sum_i \text{net}_i + \text{net}_{EPCI} = \text{design total} +
\text{RI of the transfer}` (:func:`flows_total_check`). The dotation d'intercommunalité gain
(first-order, an **upper bound**, from year N+2) is shown — on the EPCI row and per commune pro
rata of its AC cut — but kept out of every net cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..services.economics import EPCI
from .attribution import ATTRIBUTION, CONVENTION, cif_effect, financing_of
from .parameters import InstitutionParameters
from .transfer import VOIRIE_SERVICES, clect_charge, transfer_in_effect, transferred_cost_split

#: Pole id of the service commun in results (:func:`optimiser.results.tables.pole_ids`).
SERVICE_COMMUN_POLE = "SC"
#: Choices whose member still runs its own régie team (its agents would be transferred).
OWN_REGIE_CHOICES = ("kept-regie", "alone-regie", "borrows-machines")

COST_COLUMNS = ["member", "service", "choice", "pole", "status_quo_eur", "status_quo_equipment_eur", "status_quo_staff_eur",
                "own_eur", "pole_eur"]
"""Columns of ``commune_costs`` (``name`` optional): see the module docstring."""

FLOW_COLUMNS = [
    "year", "member", "name", "status_quo_eur", "own_eur", "pays_pole_eur", "service_commun_financing",
    "pays_epci_convention_eur", "ac_imputation_eur", "clect_charge_eur", "clect_basis", "ac_before_eur", "ac_after_eur",
    "ac_source", "transferred_cost_eur", "mad_spend_eur", "mad_reimbursement_eur", "ri_transfer_eur",
    "service_commun_cost_eur", "receives_eur", "net_cost_eur", "saving_eur", "cif_before", "cif_after",
    "dotation_gain_upper_bound_eur", "dotation_effect_year",
]
"""Columns of ``flows.csv`` (€/yr unless said; the dictionary of results says each one)."""


@dataclass(frozen=True)
class InstitutionalChoices:
    """What is decided this year beyond the design's pole choices."""

    voirie_transferred: bool | None = None
    """Whether the voirie competence is with the EPCI this year (None: from the scenario's
    ``institutions.voirie_transfer``: enabled, and its year reached)."""
    service_commun_pole: str = SERVICE_COMMUN_POLE
    """Pole id of the service commun in ``commune_costs.pole``."""


def commune_costs_from_tables(shares: pd.DataFrame, status_quo: pd.DataFrame) -> pd.DataFrame:
    """``commune_costs`` (:data:`COST_COLUMNS` + ``name``) from a result's ``shares.csv`` (member,
    service, choice, pole, pays_eur, pays_pole_eur) and ``status_quo.csv`` (total_eur,
    equipment_eur, staff_eur)."""
    sq = status_quo.set_index(["member", "service"])
    rows = []
    for r in shares.itertuples(index=False):
        key = (str(r.member), str(r.service))
        today = sq.loc[key]
        pays, pole_part = float(r.pays_eur), float(r.pays_pole_eur)
        pole = r.pole if isinstance(r.pole, str) and r.pole else ""
        rows.append({"member": key[0], "name": r.name, "service": key[1], "choice": r.choice, "pole": pole,
                     "status_quo_eur": float(today["total_eur"]), "status_quo_equipment_eur": float(today["equipment_eur"]),
                     "status_quo_staff_eur": float(today["staff_eur"]), "own_eur": pays - pole_part, "pole_eur": pole_part})
    return pd.DataFrame(rows, columns=COST_COLUMNS + ["name"])


def _agreed(cfg) -> set[str] | None:
    agreed = getattr(cfg, "ac_agreed_by", "all") if cfg is not None else "all"
    return None if agreed == "all" else {str(c) for c in agreed}


#: Columns ``commune_costs`` must hold; the others of :data:`COST_COLUMNS` default to 0 or empty.
REQUIRED_COST_COLUMNS = ("member", "service", "status_quo_eur", "own_eur", "pole_eur")


def _complete(commune_costs: pd.DataFrame) -> pd.DataFrame:
    """A copy with codes as text, an empty pole and choice where absent, 0 € for the optional
    status-quo split; ``ValueError`` naming the required columns missing."""
    missing = [c for c in REQUIRED_COST_COLUMNS if c not in commune_costs.columns]
    if missing:
        raise ValueError(f"commune_costs lacks column(s) {', '.join(missing)} (expected {', '.join(COST_COLUMNS)})")
    costs = commune_costs.copy()
    costs["member"] = costs["member"].astype(str)
    for column, default in (("status_quo_equipment_eur", 0.0), ("status_quo_staff_eur", 0.0), ("choice", ""), ("pole", "")):
        if column not in costs.columns:
            costs[column] = default
    costs["pole"] = costs["pole"].where(costs["pole"].notna(), "").astype(str)
    return costs


def money_flows(year: int | None, commune_costs: pd.DataFrame, choices: InstitutionalChoices | None,
                institutions_cfg, params: InstitutionParameters) -> pd.DataFrame:
    """The money flows of one year (module docstring): one row per commune, then the EPCI.

    ``year``: the calendar year (``None`` for a steady-state result: a transfer is shown done);
    ``commune_costs``: :data:`COST_COLUMNS` rows; ``choices``: this year's institutional
    choices (``None``: from the scenario); ``institutions_cfg``: the scenario's ``institutions``
    block with commune references resolved to INSEE codes
    (:func:`optimiser.institutions.scenario.resolve_institutions`; ``None``: every default —
    convention, no transfer); ``params``: :func:`optimiser.institutions.parameters.institution_parameters`.

    The legal conditions (AC imputation only for an FPU EPCI with a service commun; a transfer
    from every commune) are checked when the scenario is read; here a transfer in effect with an
    expense history shorter than the CLECT period raises ``ValueError``.
    """
    choices = choices or InstitutionalChoices()
    financing = getattr(institutions_cfg, "service_commun_financing", CONVENTION) if institutions_cfg is not None else CONVENTION
    transfer_cfg = getattr(institutions_cfg, "voirie_transfer", None)
    transferred = choices.voirie_transferred
    if transferred is None:
        transferred = transfer_cfg is not None and transfer_in_effect(transfer_cfg.enabled, transfer_cfg.year, year)
    mad = bool(transferred and transfer_cfg is not None and transfer_cfg.maintenance_by_communal_agents)
    history = dict(transfer_cfg.expense_history) if transfer_cfg is not None else {}
    years = int(round(float(params.clect_years.value)))
    agreed = _agreed(institutions_cfg)
    uplift = float(params.ri_uplift.value)
    sc_pole = choices.service_commun_pole

    costs = _complete(commune_costs)
    names = dict(zip(costs["member"], costs["name"])) if "name" in costs.columns else {}
    members = [m for m in dict.fromkeys(costs["member"]) if m != EPCI]
    rows = {}
    sc_cost = transferred_total = ri_total = 0.0
    for member, records in _rows_by_member(costs).items():
        moved = [r for r in records if transferred and r["service"] in VOIRIE_SERVICES]
        kept = [r for r in records if not (transferred and r["service"] in VOIRIE_SERVICES)]
        own = sum(float(r["own_eur"]) for r in kept)
        in_sc = [r for r in kept if r["pole"] == sc_pole]
        pays_pole = sum(float(r["pole_eur"]) for r in kept if r["pole"] and r["pole"] != sc_pole)
        sc_share = sum(float(r["pole_eur"]) for r in in_sc)
        sc_cost += sc_share
        how = financing_of(member, financing, agreed) if (in_sc and member != EPCI) else ""
        convention = sc_share if how == CONVENTION else 0.0
        imputation = sc_share if how == ATTRIBUTION else 0.0
        moved_cost = sum(float(r["own_eur"]) + float(r["pole_eur"]) for r in moved)
        transferred_total += moved_cost
        clect = 0.0
        basis = ""
        if moved and member != EPCI:
            operating, equipment = transferred_cost_split(moved)
            op, eq, basis = clect_charge(operating, equipment, years, history.get(member))
            clect = op + eq
        ri = 0.0
        if moved and not mad:  # the agents still in a communal régie team change employer
            ri = sum(uplift * params.pay_share.get(r["service"], 0.0) * float(r["status_quo_staff_eur"])
                     for r in moved if r["choice"] in OWN_REGIE_CHOICES)
        ri_total += ri
        mad_spend = moved_cost if mad else 0.0
        ac_before = params.ac_eur.get(member, 0.0) if member != EPCI else None
        rows[member] = {
            "member": member, "name": names.get(member, member),
            "status_quo_eur": sum(float(r["status_quo_eur"]) for r in records),
            "own_eur": own, "pays_pole_eur": pays_pole, "service_commun_financing": how,
            "pays_epci_convention_eur": convention, "ac_imputation_eur": imputation, "clect_charge_eur": clect,
            "clect_basis": basis, "ac_before_eur": ac_before,
            "ac_after_eur": None if ac_before is None else ac_before - imputation - clect,
            "ac_source": params.ac_source.get(member, "") if member != EPCI else "",
            "transferred_cost_eur": moved_cost, "mad_spend_eur": mad_spend, "mad_reimbursement_eur": mad_spend,
            "ri_transfer_eur": ri,
        }

    ac_cut = sum(r.get("ac_imputation_eur", 0.0) + r.get("clect_charge_eur", 0.0) for k, r in rows.items() if k != EPCI)
    effect = cif_effect(ac_cut, float(params.cif.value), float(params.territory_tax_eur.value), float(params.dotation_eur.value),
                        float(params.cif_cap.value))
    out = []
    for member in members:
        r = rows[member]
        cut = r["ac_imputation_eur"] + r["clect_charge_eur"]
        net = (r["own_eur"] + r["pays_pole_eur"] + r["pays_epci_convention_eur"] + cut + r["mad_spend_eur"]
               - r["mad_reimbursement_eur"])
        out.append({**r, "service_commun_cost_eur": 0.0, "receives_eur": r["mad_reimbursement_eur"], "net_cost_eur": net,
                    "saving_eur": r["status_quo_eur"] - net, "cif_before": None, "cif_after": None,
                    "dotation_gain_upper_bound_eur": effect.dotation_gain_eur * cut / ac_cut if ac_cut else 0.0})
    epci = rows.get(EPCI, {"member": EPCI, "name": names.get(EPCI, "EPCI"), "status_quo_eur": 0.0, "own_eur": 0.0,
                           "pays_pole_eur": 0.0})
    communes = list(out)
    conventions = sum(o["pays_epci_convention_eur"] for o in communes)
    imputations = sum(o["ac_imputation_eur"] for o in communes)
    clects = sum(o["clect_charge_eur"] for o in communes)
    reimbursed = sum(o["mad_reimbursement_eur"] for o in communes)
    receives = conventions + imputations + clects
    # the EPCI's own kept spending and its own non-SC pole payments, plus what it runs for others
    net = epci.get("own_eur", 0.0) + epci.get("pays_pole_eur", 0.0) + sc_cost + transferred_total + ri_total - receives
    out.append({
        "member": EPCI, "name": epci.get("name") or "EPCI", "status_quo_eur": epci.get("status_quo_eur", 0.0),
        "own_eur": epci.get("own_eur", 0.0), "pays_pole_eur": epci.get("pays_pole_eur", 0.0), "service_commun_financing": "",
        "pays_epci_convention_eur": 0.0, "ac_imputation_eur": imputations, "clect_charge_eur": clects, "clect_basis": "",
        "ac_before_eur": sum(o["ac_before_eur"] for o in communes), "ac_after_eur": sum(o["ac_after_eur"] for o in communes),
        "ac_source": "", "transferred_cost_eur": transferred_total, "mad_spend_eur": 0.0, "mad_reimbursement_eur": reimbursed,
        "ri_transfer_eur": ri_total, "service_commun_cost_eur": sc_cost, "receives_eur": receives, "net_cost_eur": net,
        "saving_eur": epci.get("status_quo_eur", 0.0) - net, "cif_before": effect.cif_before, "cif_after": effect.cif_after,
        "dotation_gain_upper_bound_eur": effect.dotation_gain_eur,
    })
    return _flow_frame(year, out)


#: Decimals each number column of :data:`FLOW_COLUMNS` is rounded to (cents; six for the CIF).
_DECIMALS = {c: 2 for c in FLOW_COLUMNS if c.endswith("_eur")} | {"cif_before": 6, "cif_after": 6}


def _rows_by_member(costs: pd.DataFrame) -> dict[str, list[dict]]:
    """``costs``' rows as dicts, grouped by member in order of first appearance (each group in
    table order), as ``groupby("member", sort=False)`` then ``to_dict("records")`` per group give
    them. Each column is read once: the roadmap calls :func:`money_flows` once per year, and
    grouping and boxing rows through pandas was most of its time."""
    names = list(costs.columns)
    groups: dict[str, list[dict]] = {}
    for row in zip(*(costs[c].tolist() for c in names)):
        record = dict(zip(names, row))
        groups.setdefault(record["member"], []).append(record)
    return groups


def _flow_frame(year: int | None, out: list[dict]) -> pd.DataFrame:
    """The :data:`FLOW_COLUMNS` frame of ``out``'s rows: the year and the year the dotation effect
    starts (``None`` for a steady state), money rounded to the cent and the CIF to 6 decimals
    with numpy's rounding (as ``DataFrame.round``), built column by column in one go."""
    columns = {}
    for column in FLOW_COLUMNS:
        if column == "year":
            values = [year] * len(out)
        elif column == "dotation_effect_year":
            values = [(year + 2) if year is not None else None] * len(out)
        else:
            values = [o[column] for o in out]
        if column in _DECIMALS:
            values = np.round(np.array(values, dtype=float), _DECIMALS[column])
        columns[column] = values
    return pd.DataFrame(columns, columns=FLOW_COLUMNS)


def flows_total_check(flows: pd.DataFrame, design_total_eur: float) -> float:
    """The gap (€/yr) between what every row's net cost adds up to and the design's total plus
    the régime indemnitaire of the transfer; 0 to the cent when the flows add up."""
    ri = float(flows.loc[flows["member"] == EPCI, "ri_transfer_eur"].sum())
    return float(flows["net_cost_eur"].sum()) - (design_total_eur + ri)


def design_total(commune_costs: pd.DataFrame) -> float:
    """What the design costs in all, €/yr: every member's own spending plus its pole payments."""
    return float((commune_costs["own_eur"] + commune_costs["pole_eur"]).sum())


def flows_by_member(flows: pd.DataFrame) -> Mapping[str, dict]:
    """Member → its row as a dict (handy in reports and tests)."""
    return {str(r["member"]): r for r in flows.to_dict("records")}
