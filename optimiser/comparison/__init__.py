"""Compare results side by side: a table (CSV, Excel) and trade-off plots (PNG).

Files written by :func:`write_comparison` into its folder:

===========================  ==================================================================
``comparison.csv``           one row per variant (see :mod:`optimiser.comparison.table`)
``comparison.xlsx``          the same table (sheet ``variants``) and, when results carry
                             savings per commune, sheet ``savings_per_commune``
``tradeoff.png``             cost (or objective) against the swept parameter, one line per
                             combination of the other swept keys
``pareto.png``               cost against the longest trip, the Pareto front highlighted (among
                             runs that share a status quo)
``savings_per_commune.csv``  and ``.png``: saving per commune and variant, when present
``comparison.html``          the table (sortable) and the plots in one self-contained page
===========================  ==================================================================
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..results.folder import write_atomically
from ..results.html import render_comparison_html
from ..results.i18n import resolve_lang, t, using
from .plots import pareto_mask, pareto_within_groups, plot_pareto, plot_savings, plot_tradeoff, y_axis
from .table import comparison_table, entries, savings_table

#: The file that marks a folder as a comparison (so re-running may replace it).
MARKER = "comparison.csv"

__all__ = ["compare_folders", "write_comparison", "pareto_mask"]


def compare_folders(folders) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The comparison table of ``folders`` (with an ``on_pareto_front`` column) and the savings
    per commune table (``None`` when no result carries one)."""
    items = entries(list(folders))
    table = comparison_table(items)
    y, _ = y_axis(table)
    solved = table["status"].isin(["optimal", "feasible"]).to_numpy()
    x_values = table["max_travel_min"].where(solved)
    # dominance only means something between runs that start from the same status quo
    table["on_pareto_front"] = pareto_within_groups(table, x_values, pd.to_numeric(table[y], errors="coerce").where(solved))
    return table, savings_table(items)


def write_comparison(table: pd.DataFrame, savings: pd.DataFrame | None, target: str | Path,
                     title: str | None = None, lang: str | None = None) -> list[Path]:
    """Write the comparison files into ``target`` atomically, the page and plots in ``lang``
    (default: ``$OPTIMISER_LANG``, else French); return the files written."""
    lang = resolve_lang(lang)

    def fill(tmp: Path) -> None:
        with using(lang):
            _fill(tmp)

    def _fill(tmp: Path) -> None:
        table.to_csv(tmp / MARKER, index=False)
        with pd.ExcelWriter(tmp / "comparison.xlsx", engine="openpyxl") as excel:
            table.to_excel(excel, sheet_name="variants", index=False)
            if savings is not None:
                savings.to_excel(excel, sheet_name="savings_per_commune")
        plots = {t("cmp.tradeoff_plot"): plot_tradeoff(table, tmp / "tradeoff.png"),
                 t("cmp.pareto_plot"): plot_pareto(table, tmp / "pareto.png")}
        if savings is not None:
            savings.to_csv(tmp / "savings_per_commune.csv")
            plots[t("cmp.savings_plot")] = plot_savings(savings, tmp / "savings_per_commune.png")
        page = render_comparison_html(table, {name: path for name, path in plots.items() if path is not None},
                                      title=t("cmp.title") + (f" — {title}" if title else ""))
        (tmp / "comparison.html").write_text(page, encoding="utf-8")

    target = write_atomically(Path(target), fill, marker=MARKER, kind="a comparison folder")
    return sorted(target.iterdir())
