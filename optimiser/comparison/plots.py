"""Trade-off plots of a comparison: cost (or objective) against the swept parameter, the
Pareto front against the longest trip (only among runs that share a status quo), and savings
per commune across variants. Words in the language being written (:mod:`optimiser.results.i18n`).

The y axis is ``total_cost`` when the results carry a cost, else the objective (population-
weighted travel). Both axes are to be minimised, so a variant is on the Pareto front when no
other variant is at least as good on both and better on one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..results.figures import new_figure
from ..results.html import fmt
from ..results.i18n import t

#: Most groups drawn as separate curves (more would be an unreadable legend).
MAX_GROUPS = 8
#: Most Pareto points labelled with their variant id.
MAX_LABELS = 12


def pareto_mask(x, y) -> np.ndarray:
    """``True`` for points not dominated when minimising both ``x`` and ``y`` (NaN: never)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    mask = np.zeros(len(x), dtype=bool)
    for i in np.flatnonzero(ok):
        dominated = ok & (x <= x[i]) & (y <= y[i]) & ((x < x[i]) | (y < y[i]))
        mask[i] = not dominated.any()
    return mask


def pareto_groups(table: pd.DataFrame) -> pd.Series:
    """The group of each row within which Pareto dominance is meaningful: runs that share a
    status quo (the same ``status_quo_cost``, to the euro) — a design is only better than
    another if both start from the same situation. One group when there is no status quo."""
    if "status_quo_cost" not in table.columns:
        return pd.Series(0, index=table.index)
    cost = pd.to_numeric(table["status_quo_cost"], errors="coerce").round(0)
    return cost.fillna(-1)


def pareto_within_groups(table: pd.DataFrame, x, y) -> np.ndarray:
    """:func:`pareto_mask` computed separately in each :func:`pareto_groups` group."""
    mask = np.zeros(len(table), dtype=bool)
    groups = pareto_groups(table).to_numpy()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    for group in np.unique(groups):
        rows = groups == group
        mask[rows] = pareto_mask(x[rows], y[rows])
    return mask


def y_axis(table: pd.DataFrame) -> tuple[str, str]:
    """The column to plot upwards and its label: total cost if present, else the objective."""
    if "total_cost" in table.columns and pd.to_numeric(table["total_cost"], errors="coerce").notna().any():
        return "total_cost", t("plot.total_cost")
    units = table["objective_unit"].dropna().unique()
    return "objective", t("plot.objective") + (f" ({units[0]})" if len(units) == 1 else "")


def set_keys(table: pd.DataFrame) -> list[str]:
    """The keys variants set (the columns between ``name`` and ``status``)."""
    columns = list(table.columns)
    return columns[2:columns.index("status")]


def curves(table: pd.DataFrame) -> tuple[str | None, list[str]]:
    """What the trade-off plot follows: the swept key on the x axis (the varying numeric key with
    the most values; ``None``: plot against the longest trip) and the other varying keys, one
    line per combination of their values."""
    varying = [k for k in ["name"] + set_keys(table) if table[k].astype(str).nunique() > 1]
    numeric = [k for k in varying if k != "name" and pd.to_numeric(table[k], errors="coerce").notna().all()]
    driver = max(numeric, key=lambda k: (table[k].nunique(), "max_travel" in k), default=None)
    return driver, [k for k in varying if k != driver]


def _group_label(keys: list[str], values) -> str:
    """The full label of a line: every key and its value (``poles.count=3, variant=base``)."""
    values = values if isinstance(values, tuple) else (values,)
    return ", ".join(f"{k if k != 'name' else t('plot.variant')}={v}" for k, v in zip(keys, values))


def _solved(table: pd.DataFrame, y: str, x: str = "max_travel_min") -> pd.DataFrame:
    data = table.copy()
    data[y] = pd.to_numeric(data[y], errors="coerce")
    return data[data["status"].isin(["optimal", "feasible"]) & data[y].notna() & data[x].notna()]


def plot_tradeoff(table: pd.DataFrame, path: Path) -> Path | None:
    """Cost (or objective) against the swept parameter — or against the longest trip when no
    numeric key was swept — one line per combination of the other swept keys (see :func:`curves`)."""
    y, label = y_axis(table)
    data = _solved(table, y)
    if data.empty:
        return None
    driver, groups = curves(data)
    x = driver or "max_travel_min"
    data = data.assign(**{x: pd.to_numeric(data[x], errors="coerce")})
    fig, ax = new_figure((8, 5.5))
    n_groups = data[groups].astype(str).drop_duplicates().shape[0] if groups else 1
    if groups and n_groups <= MAX_GROUPS:
        for values, part in data.groupby([data[g].astype(str) for g in groups], sort=True):
            part = part.sort_values(x)
            ax.plot(part[x], part[y], "o-" if driver else "o", label=_group_label(groups, values))
        ax.legend(fontsize=7, loc="best")
    else:
        data = data.sort_values(x)
        ax.plot(data[x], data[y], "o-" if driver else "o", color="tab:blue")
    x_label = x if driver else t("plot.longest_trip")
    ax.set_xlabel(x_label)
    ax.set_ylabel(label)
    ax.set_title(t("plot.against", y=label.split(" (")[0].capitalize(), x=x_label, n=len(data)), fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def plot_pareto(table: pd.DataFrame, path: Path) -> Path | None:
    """Every solved variant against the longest trip, the non-dominated ones highlighted and
    joined — within each group of runs that share a status quo (:func:`pareto_groups`), one
    colour per group (the table's ``on_pareto_front`` column, as
    :func:`optimiser.comparison.compare_folders` computes it; computed here for a table without it)."""
    y, label = y_axis(table)
    data = _solved(table, y)
    if data.empty:
        return None
    if "on_pareto_front" in data.columns:
        front = data["on_pareto_front"].to_numpy(dtype=bool)
    else:
        front = pareto_within_groups(data, data["max_travel_min"], data[y])
    groups = pareto_groups(data)
    fig, ax = new_figure((8, 5.5))
    ax.plot(data.loc[~front, "max_travel_min"], data.loc[~front, y], "o", color="0.7", label=t("plot.dominated"))
    colours = ["tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange"]
    for k, group in enumerate(sorted(groups.unique())):
        best = data[front & (groups == group).to_numpy()].sort_values("max_travel_min")
        colour = colours[k % len(colours)]
        label_front = t("plot.front", n=len(best))
        if groups.nunique() > 1:
            label_front += " — " + t("plot.pareto_group", k=fmt.kilo_money(group))
        ax.step(best["max_travel_min"], best[y], where="post", color=colour, alpha=0.6)
        ax.plot(best["max_travel_min"], best[y], "o", color=colour, label=label_front)
        places = best.groupby(["max_travel_min", y], sort=False)["variant"].agg(list)
        if len(places) <= MAX_LABELS:
            for (x_value, y_value), ids in places.items():  # one label per point, however many variants share it
                text = ids[0] + (f" (+{len(ids) - 1})" if len(ids) > 1 else "")
                ax.annotate(text, (x_value, y_value), fontsize=6, xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel(t("plot.longest_trip"))
    ax.set_ylabel(label)
    ax.set_title(t("plot.pareto_title", y=label.split(" (")[0]), fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def plot_savings(savings: pd.DataFrame, path: Path) -> Path | None:
    """Saving per commune (rows) for each variant (columns), as a heat map."""
    values = savings.drop(columns=["name"]).astype(float)
    if values.empty:
        return None
    n_rows, n_cols = values.shape
    fig, ax = new_figure((min(4 + 0.5 * n_cols, 20), min(2 + 0.28 * n_rows, 30)))
    limit = np.nanmax(np.abs(values.to_numpy())) or 1.0
    image = ax.imshow(values.to_numpy(), aspect="auto", cmap="RdYlGn", vmin=-limit, vmax=limit)
    ax.set_yticks(range(n_rows), [str(n) for n in savings["name"]], fontsize=7)
    ax.set_xticks(range(n_cols), list(values.columns), rotation=60, ha="right", fontsize=6)
    if n_rows * n_cols <= 300:  # small enough to print each value (k€) in its cell
        for (r, c), v in np.ndenumerate(values.to_numpy()):
            if not np.isnan(v):
                ax.text(c, r, f"{v / 1000:,.1f}", ha="center", va="center", fontsize=6)
    fig.colorbar(image, ax=ax, label=t("plot.savings_bar"))
    ax.set_title(t("plot.savings_title"))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path
