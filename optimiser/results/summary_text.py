"""The short summary ``optimiser run`` prints, in the language of the reports."""

from __future__ import annotations

from . import i18n, status_quo_words
from .html import fmt
from .i18n import t
from .sections import objective_unit_words
from .single import as_drawn
from .summary import ServiceFigures


def summary_text(result, lang: str = i18n.DEFAULT_LANG) -> str:
    """Status, objective and gap, the saving when costs are modelled, then one line per pole."""
    with i18n.using(lang):
        s = result.typed_summary
        gap = "n/a" if s.gap is None else fmt.percent(s.gap) if lang == "fr" else f"{100 * s.gap:.3f} %"
        objective = "n/a" if s.objective is None else f"{fmt.number(s.objective, 1)} {objective_unit_words(result.summary)}"
        lines = [
            t("cli.head", scenario=s.scenario, territory=s.territory.name, n=s.n_communes,
              population=fmt.integer(s.population)),
            t("cli.status", status=s.status.upper(), objective=objective, gap=gap),
            f"{s.solver}; {s.formulation}; {s.runtime_s:.2f} s",
        ]
        lines += [f"  - {line}" for line in s.diagnosis or []]
        costs = s.services
        if costs is not None:
            lines.append(_savings_lines(costs))
        if costs is not None and costs.alone_cost is not None:
            k = {"before": fmt.number(costs.status_quo_cost / 1000, 1), "alone": fmt.number(costs.alone_cost / 1000, 1),
                 "after": fmt.number(costs.total_cost / 1000, 1), "saved_alone": fmt.number(costs.savings_alone / 1000, 1)}
            if costs.savings_pooling is None:  # pooling disabled: the status quo itself
                lines.append(t("cli.alone_only", **k))
            else:
                lines.append(t("cli.counterfactual", saved_pooling=fmt.number(costs.savings_pooling / 1000, 1), **k))
        lines += _status_quo_lines(result)
        communes, poles = as_drawn(result.communes, result.poles)  # a one-commune pole is a commune on its own
        if poles is not None and len(poles):
            lines.append("")
            lines.append(f"{t('cli.table_head'):<5} {t('cli.seat'):<28} {t('cli.communes'):>8} {t('cli.population'):>11} "
                         f"{t('cli.longest'):>13}")
            for r in poles.itertuples():
                lines.append(f"{r.pole:<5} {r.seat_name[:28]:<28} {r.n_communes:>8} {fmt.integer(r.population):>11} "
                             f"{fmt.number(r.max_travel_min, 1):>9} min")
        n_alone = int(communes["alone"].astype(bool).sum()) if communes is not None else s.n_alone
        if n_alone and poles is not None and len(result.poles):
            lines.append(t("cli.alone", n=n_alone))
        return "\n".join(lines)


def _savings_lines(costs: ServiceFigures) -> str:
    """Cost against the status quo, and who would pay more than alone (€ per year)."""
    paying_more = t("cli.voluntary", n=costs.voluntary_members_paying_more)
    if costs.forced_members_paying_more:
        paying_more += ", " + t("cli.forced", n=costs.forced_members_paying_more)
    saving = costs.savings
    key = "cli.saves" if saving >= 0 else "cli.costs_more"
    pct = abs(costs.savings_pct) * 100
    return (t(key, saving=fmt.number(abs(saving) / 1000, 1), pct=f"{fmt.number(pct, 2)} %",
              before=fmt.number(costs.status_quo_cost / 1000, 1), after=fmt.number(costs.total_cost / 1000, 1)) + "\n"
            + t("cli.pooled", pooled=costs.services_pooled, borrowed=costs.services_borrowed, more=paying_more))


def _status_quo_lines(result) -> list[str]:
    """The status quo against the sourced aggregates in one line, then its warnings, in the
    language being written (``summary.json`` keeps them in English, for programs)."""
    tables = getattr(result, "service_tables", None)
    if tables is None:
        return []
    names = dict(zip(result.communes["insee_code"], result.communes["name"])) if result.communes is not None else {}
    headline = status_quo_words.headline_words(tables)
    return ([headline] if headline else []) + [f"  {t('cli.warning')} {w}" for w in status_quo_words.warning_words(tables, names)]
