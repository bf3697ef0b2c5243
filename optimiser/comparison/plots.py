"""Trade-off plots of a comparison: cost (or objective) against maximum travel, its Pareto
front, and savings per commune across variants.

The y axis is ``total_cost`` when the results carry a cost, else the objective (population-
weighted travel). Both axes are to be minimised, so a variant is on the Pareto front when no
other variant is at least as good on both and better on one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..results.figures import new_figure

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


def y_axis(table: pd.DataFrame) -> tuple[str, str]:
    """The column to plot upwards and its label: total cost if present, else the objective."""
    if "total_cost" in table.columns and pd.to_numeric(table["total_cost"], errors="coerce").notna().any():
        return "total_cost", "total cost (€ per year)"
    units = table["objective_unit"].dropna().unique()
    return "objective", "objective" + (f" ({units[0]})" if len(units) == 1 else "")


def set_keys(table: pd.DataFrame) -> list[str]:
    """The keys variants set (the columns between ``name`` and ``status``)."""
    columns = list(table.columns)
    return columns[2:columns.index("status")]


def curves(table: pd.DataFrame) -> tuple[str | None, list[str]]:
    """How to draw the trade-off: the key that drives travel (a swept ``*max_travel*`` key) and
    the other varying columns, one curve per combination of their values."""
    varying = [k for k in ["name"] + set_keys(table) if table[k].astype(str).nunique() > 1]
    driver = next((k for k in varying if "max_travel" in k), None)
    return driver, [k for k in varying if k != driver]


def _group_label(keys: list[str], values) -> str:
    values = values if isinstance(values, tuple) else (values,)
    return ", ".join(f"{'.'.join(k.split('.')[-2:]) if k != 'name' else 'variant'}={v}" for k, v in zip(keys, values))


def _solved(table: pd.DataFrame, y: str) -> pd.DataFrame:
    data = table.copy()
    data[y] = pd.to_numeric(data[y], errors="coerce")
    return data[data["status"].isin(["optimal", "feasible"]) & data[y].notna() & data["max_travel_min"].notna()]


def plot_tradeoff(table: pd.DataFrame, path: Path) -> Path | None:
    """Cost (or objective) against the longest trip, one curve per group (see group_column)."""
    y, label = y_axis(table)
    data = _solved(table, y)
    if data.empty:
        return None
    fig, ax = new_figure((8, 5.5))
    driver, groups = curves(data)
    n_groups = data[groups].astype(str).drop_duplicates().shape[0] if groups else 1
    if groups and n_groups <= MAX_GROUPS:
        for values, part in data.groupby([data[g].astype(str) for g in groups], sort=True):
            part = part.sort_values("max_travel_min")
            ax.plot(part["max_travel_min"], part[y], "o-" if driver else "o", label=_group_label(groups, values))
        ax.legend(fontsize=8)
    else:
        ax.plot(data["max_travel_min"], data[y], "o", color="tab:blue")
    ax.set_xlabel("longest trip to the seat (minutes)")
    ax.set_ylabel(label)
    ax.set_title(f"{label.split(' (')[0].capitalize()} against maximum travel time — {len(data)} variants")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def plot_pareto(table: pd.DataFrame, path: Path) -> Path | None:
    """Every solved variant, the non-dominated ones highlighted and joined (the table's
    ``on_pareto_front`` column, as :func:`optimiser.comparison.compare_folders` computes it over
    these same points; computed here only for a table without it)."""
    y, label = y_axis(table)
    data = _solved(table, y)
    if data.empty:
        return None
    if "on_pareto_front" in data.columns:
        front = data["on_pareto_front"].to_numpy(dtype=bool)
    else:
        front = pareto_mask(data["max_travel_min"], data[y])
    fig, ax = new_figure((8, 5.5))
    ax.plot(data.loc[~front, "max_travel_min"], data.loc[~front, y], "o", color="0.7", label="dominated")
    best = data[front].sort_values("max_travel_min")
    ax.step(best["max_travel_min"], best[y], where="post", color="tab:red", alpha=0.6)
    ax.plot(best["max_travel_min"], best[y], "o", color="tab:red", label=f"Pareto front ({len(best)})")
    places = best.groupby(["max_travel_min", y], sort=False)["variant"].agg(list)
    if len(places) <= MAX_LABELS:
        for (x_value, y_value), ids in places.items():  # one label per point, however many variants share it
            text = ids[0] if len(ids[0]) <= 40 else "…" + ids[0][-39:]  # ids differ in their sweep values, at the end
            text += f" (+{len(ids) - 1})" if len(ids) > 1 else ""
            ax.annotate(text, (x_value, y_value), fontsize=7, xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("longest trip to the seat (minutes)")
    ax.set_ylabel(label)
    ax.set_title(f"Pareto front: {label.split(' (')[0]} against maximum travel time")
    ax.legend(fontsize=8)
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
    ax.set_xticks(range(n_cols), [c if len(c) <= 32 else "…" + c[-31:] for c in values.columns], rotation=60,
                  ha="right", fontsize=7)
    if n_rows * n_cols <= 300:  # small enough to print each value (k€) in its cell
        for (r, c), v in np.ndenumerate(values.to_numpy()):
            if not np.isnan(v):
                ax.text(c, r, f"{v / 1000:,.1f}", ha="center", va="center", fontsize=6)
    fig.colorbar(image, ax=ax, label="saving (€ per year; cells in k€)")
    ax.set_title("Saving per commune across variants")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path
