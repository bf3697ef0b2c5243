"""``bilan.md`` and ``bilan.html``: the bilan for élus, in French by default (``--lang en``).

One page of key figures and the decision first (what an élu reads), then the deviations ranked
with their cause, what each commune paid, the indicators, the recalibrated parameters and the
missing actuals. Every word comes from the catalogue (:mod:`.words`, in
:mod:`optimiser.results.i18n`); numbers through :mod:`optimiser.results.html.fmt`.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from ..results import i18n
from ..results.html import fmt
from ..results.i18n import t
from . import words  # noqa: F401  (registers the bilan's messages)
from .decision import MAX_SERVICE_SLIP, MIN_COVERAGE, MIN_MOWING_SHARE, MIN_REALISATION, Decision


def _reason(key: str, values: dict) -> str:
    shown = {}
    for name, v in values.items():
        if name in ("coverage", "min", "rate", "share"):
            shown[name] = fmt.percent(v)
        elif name == "saving":
            shown[name] = fmt.money(v)
        else:
            shown[name] = fmt.number(v, 1 if isinstance(v, float) and not float(v).is_integer() else 0)
    return t(key, **shown)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if k else "---" for k in range(len(header))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def markdown(scenario: str, key: dict, decision: Decision, bilan, estimates: pd.DataFrame, replanned: dict | None,
             levels: dict, example: bool = False, top: int = 10) -> str:
    """The report (see module docstring)."""
    lines = [f"# {t('bilan.title', scenario=scenario, period=key['period'])}", "", t("bilan.intro"), ""]
    if example:
        lines += [f"**{t('bilan.example')}**", ""]
    lines += [f"## {t('bilan.key')}", ""]
    rows = [[t("bilan.row.status_quo"), fmt.money(key["status_quo_eur"]), fmt.money(key["status_quo_eur"]), ""],
            [t("bilan.row.total"), fmt.money(key["plan_total_eur"]), fmt.money(key["actual_total_eur"]),
             fmt.signed_money(key["actual_total_eur"] - key["plan_total_eur"])],
            [t("bilan.row.saving"), fmt.money(key["planned_saving_eur"]), fmt.money(key["saving_realised_eur"]),
             fmt.signed_money(key["saving_realised_eur"] - key["planned_saving_eur"])],
            [t("bilan.row.realisation"), "", fmt.percent(key["saving_realisation_rate"]), ""],
            [t("bilan.row.coverage"), "", fmt.percent(key["cost_coverage"]), ""]]
    if replanned is not None:
        rows.append([t("bilan.row.replanned"), fmt.money(key["planned_saving_eur"]), fmt.money(replanned["savings"]),
                     fmt.signed_money(replanned["savings"] - key["planned_saving_eur"])])
    lines += _table([t("bilan.col.figure"), t("bilan.col.plan"), t("bilan.col.actual"), t("bilan.col.gap")], rows)
    lines += ["", t("bilan.service_levels", complaints=fmt.number(levels["complaints_all"]),
                    before=fmt.number(levels["complaints_before"]), response=fmt.number(levels["response_time_days"], 1),
                    response_before=fmt.number(levels["response_time_days_before"], 1),
                    mowing=fmt.percent(levels["mowing_passes_done_share"])), ""]
    lines += [f"## {t('bilan.decision')}", "", f"**{t('bilan.outcome.' + decision.outcome)}**", ""]
    lines += [f"- {_reason(k, v)}" for k, v in decision.reasons]
    lines += ["", t("bilan.rule", coverage=fmt.percent(MIN_COVERAGE), realisation=fmt.percent(MIN_REALISATION),
                    slip=fmt.percent(MAX_SERVICE_SLIP), mowing=fmt.percent(MIN_MOWING_SHARE)), ""]
    lines += [t("bilan.replan", replanned=fmt.money(replanned["savings"]), planned=fmt.money(key["planned_saving_eur"]))
              if replanned is not None else t("bilan.no_replan"), ""]
    if replanned is not None and replanned.get("scope") == "steady_state":
        lines += [t("bilan.replan_steady_state", year=key["period"]), ""]
    lines += [f"## {t('bilan.deviations')}", "", t("bilan.deviations.note"), ""]
    rows = []
    for _, r in bilan.categories.head(top).iterrows():
        who = r["commune"] if isinstance(r["commune"], str) and r["commune"] else r["pole"]
        rows.append([str(r["rank"]), f"{who} · {i18n.service_name(r['service'])}", t("bilan.category." + r["category"]),
                     fmt.money(r["plan_eur"]), fmt.money(r["actual_eur"]), fmt.signed_money(r["deviation_eur"]),
                     *[fmt.signed_money(r[f"{c}_eur"]) for c in ("volume", "productivity", "price", "utilisation")],
                     t("bilan.cause." + r["probable_cause"]) if r["probable_cause"] else "—"])
    lines += _table([t("bilan.col.rank"), t("bilan.col.service"), t("bilan.col.category"), t("bilan.col.plan"),
                     t("bilan.col.actual"), t("bilan.col.gap"), t("bilan.cause.volume"), t("bilan.cause.productivity"),
                     t("bilan.cause.price"), t("bilan.cause.utilisation"), t("bilan.col.cause")], rows)
    lines += ["", f"## {t('bilan.communes')}", ""]
    rows = [[f"{r['commune']}", fmt.money(r["plan_paid_eur"]), fmt.money(r["actual_paid_eur"]),
             fmt.money(r["key_share_of_actual_eur"]), fmt.signed_money(r["paid_minus_key_share_eur"]),
             fmt.number(r["actual_paid_per_inhabitant"], 0)] for _, r in bilan.communes.iterrows()]
    lines += _table([t("bilan.col.commune"), t("bilan.col.plan"), t("bilan.col.actual"), t("bilan.col.key_share"),
                     t("bilan.col.gap"), t("bilan.col.per_inhabitant")], rows)
    lines += ["", f"## {t('bilan.indicators')}", ""]
    rows = []
    for _, r in bilan.poles.iterrows():
        rows.append([f"{r['pole']} · {i18n.service_name(r['service'])} ({i18n.mode_name(r['mode'])})",
                     f"{fmt.number(r['plan_cost_per_unit'], 1)} → {fmt.number(r['actual_cost_per_unit'], 1)} €/{r['unit']}",
                     f"{fmt.number(r['plan_productivity'], 1)} → {fmt.number(r['actual_productivity'], 1)}",
                     f"{fmt.percent(r['plan_machine_utilisation'])} → {fmt.percent(r['actual_machine_utilisation'])}"])
    lines += _table([t("bilan.col.service"), t("bilan.col.cost_per_unit"), t("bilan.col.productivity"),
                     t("bilan.col.utilisation")], rows)
    lines += ["", f"## {t('bilan.recalibration')}", "", t("bilan.recalibration.note"), ""]
    rows = [[f"`{r['parameter']}`", f"{_n(r['prior'])} [{_n(r['prior_low'])}–{_n(r['prior_high'])}]",
             f"{_n(r['observed'])} ({int(r['n_observations'])})", f"{_n(r['estimate'])} [{_n(r['low'])}–{_n(r['high'])}]"]
            for _, r in estimates.iterrows()]
    lines += _table([t("bilan.col.parameter"), t("bilan.col.prior"), t("bilan.col.observed"), t("bilan.col.estimate")], rows)
    lines += ["", f"## {t('bilan.missing', n=len(bilan.missing))}", ""]
    lines += [f"- {m}" for m in bilan.missing] if bilan.missing else [t("bilan.none_missing")]
    return "\n".join(lines) + "\n"


def _n(value) -> str:
    """A parameter's value with three significant digits at least."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    digits = max(0, 3 - len(str(int(abs(value))))) if abs(value) >= 1 else 4
    return fmt.number(value, digits)


def to_html(markdown_text: str, lang: str) -> str:
    """The markdown as one self-contained page (headings, paragraphs, lists, tables), printable."""
    out = [f"<!doctype html><html lang='{lang}'><meta charset='utf-8'><title>bilan</title>",
           "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}table{border-collapse:collapse;"
           "margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;font-size:90%}td.n{text-align:right}"
           "h2{page-break-before:auto}@media print{h2.break{page-break-before:always}}</style><body>"]
    table, listing, first_row, sections = False, False, True, 0
    for line in markdown_text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if set("".join(cells)) <= set("-:"):
                continue
            if not table:
                out.append("<table>")
                table, first_row = True, True
            tag = "th" if first_row else "td"
            out.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>")
            first_row = False
            continue
        if table:
            out.append("</table>")
            table = False
        if line.startswith("- "):
            if not listing:
                out.append("<ul>")
                listing = True
            out.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if listing:
            out.append("</ul>")
            listing = False
        if line.startswith("# "):
            out.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.startswith("## "):
            sections += 1  # key figures and the decision print on the first page; the detail after
            out.append(f"<h2{' class=break' if sections == 3 else ''}>{_inline(line[3:])}</h2>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    out.append("</table>" if table else "")
    out.append("</ul>" if listing else "")
    return "\n".join(out) + "\n</body></html>\n"


def _inline(text: str) -> str:
    text = html.escape(text)
    parts = text.split("**")
    text = "".join(f"<strong>{p}</strong>" if k % 2 else p for k, p in enumerate(parts))
    parts = text.split("`")
    return "".join(f"<code>{p}</code>" if k % 2 else p for k, p in enumerate(parts))
