"""The roadmap's files: ``roadmap.csv``, ``phases.csv``, ``trajectory.csv``, ``flows_by_year.csv`` and the
two charts (``gantt.png``, ``trajectory.png``; labels in the report's language)."""

from __future__ import annotations

from pathlib import Path

from ..results.figures import new_figure
from ..results.i18n import t

KIND_COLOURS = {"service_commun": "#1f4e79", "pilot": "#c55a11", "pole": "#548235", "alone": "#7f7f7f"}


def write_roadmap(r, folder: Path, draw: bool = True) -> None:
    folder = Path(folder)
    # flows.csv stays the institutions' steady-state year; the roadmap's years go beside it
    for name, file in (("roadmap", "roadmap"), ("phases", "phases"), ("trajectory", "trajectory"), ("flows", "flows_by_year")):
        r.tables[name].to_csv(folder / f"{file}.csv", index=False)
    if draw:
        scenario = r.summary.get("scenario", "")
        draw_gantt(r, folder / "gantt.png", t("roadmap.gantt_title", scenario=scenario))
        draw_trajectory(r, folder / "trajectory.png", t("roadmap.trajectory_title", scenario=scenario))


def draw_gantt(r, path: Path, title: str) -> None:
    """One bar per group of phases (pole × kind, services listed) from its first start to the horizon's end."""
    phases = r.tables["phases"]
    started = phases[phases["start_year"].notna()]
    end = r.costs.years[-1] + 1
    groups = []
    for (pole, kind, year), rows in started.groupby(["pole_name", "kind", "start_year"], sort=False):
        if kind == "alone":
            continue
        groups.append((int(year), kind, f"{pole} — {', '.join(sorted(rows['service']))}"))
    alone = started[started["kind"] == "alone"]
    for year, rows in alone.groupby("start_year"):
        groups.append((int(year), "alone", f"{t('roadmap.kind.alone')} ({len(rows)})"))
    groups.sort(key=lambda g: (g[0], list(KIND_COLOURS).index(g[1]), g[2]))
    fig, ax = new_figure((10, 0.45 * max(4, len(groups)) + 1.5))
    for n, (year, kind, label) in enumerate(groups):
        ax.barh(n, end - year, left=year, color=KIND_COLOURS[kind], height=0.6)
        ax.text(year + 0.05, n, label if len(label) < 90 else label[:87] + "…", va="center", ha="left", fontsize=7, color="white")
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.set_xlim(r.costs.years[0], end)
    ax.set_xticks(r.costs.years)
    ax.set_xlabel(t("roadmap.year"))
    if r.transfer_year is not None:
        ax.axvline(r.transfer_year, color="black", linestyle="--", linewidth=1)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    used = [k for k in KIND_COLOURS if any(g[1] == k for g in groups)]
    handles = [Patch(color=KIND_COLOURS[k], label=t(f"roadmap.kind.{k}")) for k in used]
    if r.transfer_year is not None:
        handles.append(Line2D([], [], color="black", linestyle="--", label=t("roadmap.transfer", year=r.transfer_year)))
    ax.legend(handles=handles, loc="lower right", fontsize=7)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def draw_trajectory(r, path: Path, title: str) -> None:
    traj = r.tables["trajectory"]
    fig, ax = new_figure((8, 4.5))
    years = traj["year"].astype(int)
    ax.plot(years, traj["status_quo_eur"] / 1000, marker="o", color="#7f7f7f", label=t("roadmap.status_quo"))
    ax.plot(years, traj["plan_eur"] / 1000, marker="o", color="#1f4e79", label=t("roadmap.plan"))
    ax.set_xlabel(t("roadmap.year"))
    ax.set_ylabel(t("roadmap.keur"))
    ax.set_xticks(list(years))
    twin = ax.twinx()
    twin.bar(years, traj["cumulative_saving_eur"] / 1000, alpha=0.25, color="#548235", label=t("roadmap.cumulative"))
    twin.set_ylabel(t("roadmap.cumulative_keur"))
    twin.axhline(0, color="#548235", linewidth=0.8)
    ax.set_zorder(twin.get_zorder() + 1)  # the cost lines over the cumulative bars
    ax.patch.set_visible(False)
    be = r.summary.get("break_even_year")
    if be is not None:
        ax.axvline(be, color="#c55a11", linestyle="--", linewidth=1)
    lines = ax.get_legend_handles_labels()
    bars = twin.get_legend_handles_labels()
    ax.legend(lines[0] + bars[0], lines[1] + bars[1], fontsize=8, loc="best")
    ax.set_title(title + ("\n" + t("roadmap.break_even", year=be) if be else ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
