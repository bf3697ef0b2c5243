"""Report section of the institutional options: per commune, who pays whom (``flows.csv``).

Registered after the members' shares in :data:`optimiser.results.sections.SECTIONS`; words in
:mod:`optimiser.results.i18n`. It shows, per commune, what it spends itself, pays its pole and
the EPCI, its attribution de compensation before and after, and its net cost; then the EPCI's
side, the CIF before and after and the dotation d'intercommunalité gain (an upper bound).
"""

from __future__ import annotations

import pandas as pd

from .document import ReportContext, Section, Table, Text
from .html import fmt
from .i18n import t
from .records import row_dicts

EPCI_CODE = "EPCI"


def _num(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce").fillna(0.0)


def flows_section(ctx: ReportContext) -> Section | None:
    """Who pays whom (after the members' shares); nothing without ``flows.csv``."""
    flows = getattr(ctx.service_tables, "flows", None)
    if flows is None or not len(flows) or "net_cost_eur" not in flows:
        return None
    from .html.page import Column

    flows = flows.copy()
    for c in ("pays_epci_convention_eur", "ac_imputation_eur", "clect_charge_eur", "transferred_cost_eur",
              "service_commun_cost_eur", "receives_eur", "ri_transfer_eur", "dotation_gain_upper_bound_eur"):
        flows[c] = _num(flows, c)
    flows["pays_epci"] = flows["pays_epci_convention_eur"]
    flows["ac_cut"] = flows["ac_imputation_eur"] + flows["clect_charge_eur"]
    communes = flows[flows["member"].astype(str) != EPCI_CODE]
    epci = flows[flows["member"].astype(str) == EPCI_CODE]
    columns = [Column("name", t("col.member")),
               Column("status_quo_eur", t("col.flows_today"), fmt.money, numeric=True),
               Column("own_eur", t("col.flows_own"), fmt.money, numeric=True),
               Column("pays_pole_eur", t("col.flows_pole"), fmt.money, numeric=True),
               Column("pays_epci", t("col.flows_epci"), fmt.money, numeric=True),
               Column("ac_before_eur", t("col.flows_ac_before"), fmt.money, numeric=True),
               Column("ac_after_eur", t("col.flows_ac_after"), fmt.money, numeric=True),
               Column("net_cost_eur", t("col.flows_net"), fmt.money, numeric=True),
               Column("saving_eur", t("col.saving"), fmt.signed_money, numeric=True)]
    records = row_dicts(communes.sort_values("saving_eur", ascending=False))
    blocks = [Text(t("txt.flows", financing=t("financing." + _financing(communes)))),
              Table(columns, records, id="flows", row_attrs=lambda r: {"data-member": r["member"]})]
    if len(epci):
        e = epci.iloc[0]
        blocks.append(Text(t("txt.flows_epci", name=e["name"], sc=fmt.money(e["service_commun_cost_eur"]),
                             transferred=fmt.money(e["transferred_cost_eur"]), ri=fmt.money(e["ri_transfer_eur"]),
                             receives=fmt.money(e["receives_eur"]), net=fmt.money(e["net_cost_eur"]))))
        cut = float(communes["ac_cut"].sum())
        if abs(cut) > 0.5:
            blocks.append(Text(t("txt.flows_cif", cut=fmt.money(cut), before=fmt.number(e["cif_before"], 3),
                                 after=fmt.number(e["cif_after"], 3), gain=fmt.money(e["dotation_gain_upper_bound_eur"]),
                                 year=_year(e.get("dotation_effect_year")))))
        else:
            blocks.append(Text(t("txt.flows_no_cif")))
    negative = communes[pd.to_numeric(communes["ac_after_eur"], errors="coerce") < 0]
    if len(negative):
        blocks.append(Text(t("txt.flows_ac_negative", names=", ".join(str(n) for n in negative["name"])), css="note"))
    estimated = [r for r in ctx.summary.get("institutions_parameters") or []
                 if r.get("name") in ("cif", "territory_tax_eur", "dotation_eur") and r.get("source") != "scenario"]
    if estimated:
        blocks.append(Text(t("txt.flows_fiscal_estimated", figures="; ".join(
            f"{t('fiscal.' + r['name'])} {fmt.number(r['value'], 3) if r['name'] == 'cif' else fmt.money(r['value'])} ({r['source']})"
            for r in estimated)), css="note"))
    if any(str(v) == "estimate" for v in flows.get("ac_source", [])):
        blocks.append(Text(t("txt.flows_ac_estimated"), css="note"))
    return Section("flows", t("h.flows"), blocks)


def _financing(communes: pd.DataFrame) -> str:
    used = {str(v) for v in communes["service_commun_financing"] if isinstance(v, str) and v}
    if "attribution_compensation" in used:
        return "attribution_compensation"
    return "convention"


def _year(value) -> str:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return t("txt.flows_n_plus_2") if pd.isna(number) else str(int(number))
