"""Check ``flows.csv``: who pays whom under the institutional options.

``flows.csv`` is computed again from the folder's verified ``shares.csv`` and ``status_quo.csv``
and the scenario's ``institutions`` block (:func:`optimiser.institutions.flows.money_flows`:
pure accounting of verified figures, no solver), and compared cell by cell; independently of
that function, the identities every row must hold are checked:

* ``ac_after = ac_before − ac_imputation − clect_charge`` (each commune);
* ``net_cost = own + pays_pole + pays_epci_convention + ac_imputation + clect_charge +
  mad_spend − mad_reimbursement`` (each commune) and ``saving = status_quo − net_cost``;
* each commune's ``status_quo_eur`` is its rows of ``status_quo.csv``;
* the flows add up: Σ net_cost = summary.json's ``total_cost`` + the transfer's régime indemnitaire;
* ``shares.csv``'s ``pays_pole_eur``: all of a pooled member's share, none of a kept service's.
"""

from __future__ import annotations

import math

import pandas as pd

from ..institutions.flows import FLOW_COLUMNS
from ..results.records import row_dicts, row_tuples
from .memo import derived, frame_result

TOLERANCE_EUR = 0.05
#: Column kinds of flows.csv for the strict reader (:class:`optimiser.verification.files.ResultFolder`).
KINDS = {c: ("float?" if c.endswith("_eur") or c.startswith("cif_") else "text?") for c in FLOW_COLUMNS}
KINDS.update({"member": "code", "name": "text", "year": "float?", "dotation_effect_year": "float?",
              "status_quo_eur": "float", "net_cost_eur": "float", "saving_eur": "float"})


def _money(value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(x) else x


def _close(a, b, eur: float = TOLERANCE_EUR) -> bool:
    a, b = _money(a), _money(b)
    return abs(a - b) <= max(eur, 1e-9 * max(abs(a), abs(b)))


def flow_problems(folder, institutions, shares: pd.DataFrame, status_quo: pd.DataFrame, summary: dict) -> list[str]:
    """Every way ``flows.csv`` of ``folder`` differs from what the verified files give."""
    flows = folder.table("flows.csv", KINDS, "a result with an institutions block holds it")
    out = []
    if "pays_pole_eur" not in shares.columns:
        return ["shares.csv has no pays_pole_eur column: flows.csv cannot be re-derived"]
    shares = shares.copy()
    shares["pays_pole_eur"] = pd.to_numeric(shares["pays_pole_eur"], errors="coerce")
    for r in row_tuples(shares, index=False):
        choice = str(r.choice)
        if choice.startswith("pooled") and not _close(r.pays_pole_eur, r.pays_eur):
            out.append(f"shares.csv {r.member}/{r.service}: pays_pole_eur {r.pays_pole_eur} but a pooled member pays its pole all of {r.pays_eur}")
        elif (choice.startswith("kept") or (choice.startswith("alone") and not isinstance(r.pole, str))) and not _close(r.pays_pole_eur, 0):
            out.append(f"shares.csv {r.member}/{r.service}: pays_pole_eur {r.pays_pole_eur} for a service it keeps (expected 0)")
        elif choice == "borrows-machines" and not (0 <= _money(r.pays_pole_eur) <= _money(r.pays_eur) + TOLERANCE_EUR):
            out.append(f"shares.csv {r.member}/{r.service}: a borrower pays its pole {r.pays_pole_eur}, outside 0..{r.pays_eur}")
    if out:
        return out
    # pure accounting of the inputs and these two tables: computed once per distinct content (.memo)
    expected = frame_result(derived(folder.inputs_fingerprint()), "flows", (shares, status_quo),
                            lambda: institutions.flows(shares, status_quo))
    got = flows.set_index("member")
    want = expected.set_index("member")
    if sorted(got.index) != sorted(want.index):
        missing, extra = sorted(set(want.index) - set(got.index)), sorted(set(got.index) - set(want.index))
        return [f"flows.csv rows differ from the members: missing {missing[:5]}, unexpected {extra[:5]}"]
    # the cells by member, read once (looking each one up in the frame was most of this check's time)
    cells = {m: row for m, row in zip(got.index, row_dicts(got))} if got.index.is_unique else None
    for member, row in zip(want.index, row_dicts(want)):
        for column in FLOW_COLUMNS:
            if column in ("member", "year"):
                continue
            a, b = (cells[member][column] if cells is not None else got.at[member, column]), row[column]
            if KINDS[column].startswith("float") or column.endswith("_eur"):
                blank_a = a is None or (isinstance(a, float) and math.isnan(a))
                blank_b = b is None or (isinstance(b, float) and math.isnan(b))
                if blank_a != blank_b or (not blank_a and not _close(a, b, 1e-6 if column.startswith("cif") else TOLERANCE_EUR)):
                    out.append(f"flows.csv {member} {column}: {a} but the verified files give {b}")
            elif str(a or "") != str(b or ""):
                out.append(f"flows.csv {member} {column}: {a!r} but the verified files give {b!r}")
    sq = pd.to_numeric(status_quo["total_eur"]).groupby(status_quo["member"].astype(str)).sum()
    communes = flows[flows["member"] != "EPCI"]
    for r in row_dicts(communes):
        m = r["member"]
        ac = _money(r["ac_before_eur"]) - _money(r["ac_imputation_eur"]) - _money(r["clect_charge_eur"])
        if not _close(r["ac_after_eur"], ac):
            out.append(f"flows.csv {m}: ac_after_eur {r['ac_after_eur']} is not ac_before − imputation − CLECT ({ac:.2f})")
        net = sum(_money(r[c]) for c in ("own_eur", "pays_pole_eur", "pays_epci_convention_eur", "ac_imputation_eur",
                                         "clect_charge_eur", "mad_spend_eur")) - _money(r["mad_reimbursement_eur"])
        if not _close(r["net_cost_eur"], net, 0.1):
            out.append(f"flows.csv {m}: net_cost_eur {r['net_cost_eur']} is not the sum of its flows ({net:.2f})")
        if not _close(r["status_quo_eur"], sq.get(m, 0.0), 0.1):
            out.append(f"flows.csv {m}: status_quo_eur {r['status_quo_eur']} but status_quo.csv gives {sq.get(m, 0.0):.2f}")
    for r in row_dicts(flows):
        if not _close(r["saving_eur"], _money(r["status_quo_eur"]) - _money(r["net_cost_eur"]), 0.1):
            out.append(f"flows.csv {r['member']}: saving_eur is not status_quo − net_cost")
    ri = pd.to_numeric(flows.loc[flows["member"] == "EPCI", "ri_transfer_eur"]).sum()
    total = float(pd.to_numeric(flows["net_cost_eur"]).sum())
    if "total_cost" in summary and not _close(total, float(summary["total_cost"]) + ri, 0.5 + 0.01 * len(flows)):
        out.append(f"flows.csv: the net costs add up to {total:.2f}, not the design's total {summary['total_cost']} "
                   f"+ the transfer's régime indemnitaire {ri:.2f}")
    return out
