"""What the decision stability writes into a robustness folder: tables, ``stability.png``, its report section.

======================== =================================================================
``stability_worlds.csv`` per re-solved world: status (optimal / feasible / why none), gap, time
``stability_pooling.csv`` per member × service: share of worlds pooling, borrowing, as nominal
``stability_modes.csv``   per seat × service: share of worlds running it, share delegated
``stability_pairs.csv``   per pair of communes: share of worlds in the same pole
``stability.png``         heatmaps of the pooling and pair shares (French labels by default)
``worlds.yaml``           the sweep the worlds were solved from (re-runs it as it is)
``worlds/``               the sweep folder: one result folder per solved world, ``sweep.json``
======================== =================================================================
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from .stability import WORLDS_FOLDER, Stability


def stability_markdown(st: Stability, names: dict[str, str], top: int = 10) -> list[str]:
    """The report section's lines, in the current language (message catalogue, ``stability.*``)."""
    from ..results.html import fmt
    from ..results.i18n import choice_name, mode_name, service_name, t
    from . import words  # noqa: F401  (registers the messages)

    c = st.counts
    lines = [f"### {t('stability.title')}", "",
             t("stability.counts", seed=st.seed, limit=fmt.number(st.time_limit_s, 0 if float(st.time_limit_s).is_integer() else 1),
               solved=len(st.solved), **c), ""]
    if st.reference is not None:
        ref = st.reference
        if st.reference_design is not None:
            from .resolve import decision_changes, describe_text

            gap = t("stability.gap", gap=fmt.percent(ref.gap)) if ref.gap is not None else ""
            lines += [t("stability.reference", status=ref.status, gap=gap,
                        changes=describe_text(decision_changes(st.nominal, st.reference_design))), ""]
        else:
            lines += [t("stability.no_reference", status=ref.status), ""]
    if not st.solved:
        return lines + [t("stability.no_world"), ""]
    name = lambda code: names.get(code, code)  # noqa: E731
    share = fmt.percent
    pooling = st.pooling_table()
    pooling = pooling[pooling["share_as_nominal"] < 1].sort_values("share_as_nominal", kind="stable")
    lines += [f"#### {t('stability.pooling')}", ""]
    if len(pooling):
        header = [t(f"stability.col.{k}") for k in ("member", "service", "nominal", "pools", "borrows", "as_nominal")]
        lines += ["| " + " | ".join(header) + " |", "|---|---|---|---:|---:|---:|"]
        lines += [f"| {name(r.member)} | {service_name(r.service)} | {choice_name(r.nominal_choice)} | {share(r.share_pooling)} | "
                  f"{share(r.share_borrowing)} | {share(r.share_as_nominal)} |" for r in pooling.head(top).itertuples()]
    else:
        lines.append(t("stability.stable"))
    modes = st.modes_table()
    modes = modes[(modes["share_delegated"].notna()) & (modes["share_delegated"] > 0) & (modes["share_delegated"] < 1)]
    lines += ["", f"#### {t('stability.modes')}", ""]
    if len(modes):
        header = [t(f"stability.col.{k}") for k in ("seat", "service", "nominal_mode", "runs", "delegated")]
        lines += ["| " + " | ".join(header) + " |", "|---|---|---|---:|---:|"]
        lines += [f"| {name(r.seat)} | {service_name(r.service)} | {mode_name(r.nominal_mode) if r.nominal_mode else '–'} | "
                  f"{share(r.share_running)} | {share(r.share_delegated)} |" for r in modes.head(top).itertuples()]
    else:
        lines.append(t("stability.stable"))
    pairs = st.pairs_table()
    pairs = pairs[pairs["share_same_pole"] < 1].sort_values("share_same_pole", ascending=False, kind="stable")
    lines += ["", f"#### {t('stability.pairs')}", ""]
    if len(pairs):
        header = [t(f"stability.col.{k}") for k in ("commune", "commune", "nominal_same", "same")]
        lines += ["| " + " | ".join(header) + " |", "|---|---|---|---:|"]
        lines += [f"| {name(r.commune_a)} | {name(r.commune_b)} | {t('stability.yes' if r.nominal_same_pole else 'stability.no')} | "
                  f"{share(r.share_same_pole)} |" for r in pairs.head(top).itertuples()]
    else:
        lines.append(t("stability.stable"))
    return lines + [""]


def draw_stability(st: Stability, names: dict[str, str], path: Path, lang: str | None = None) -> None:
    """Two heatmaps: member × service pooling share, commune × commune same-pole share."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..results.i18n import service_name, t, using

    with using(lang):
        n = len(st.solved)
        if not n:
            fig, ax = plt.subplots(figsize=(6, 2))
            ax.axis("off")
            ax.text(0.5, 0.5, t("stability.none"), ha="center", va="center")
            fig.savefig(path, dpi=110)
            plt.close(fig)
            return
        members, communes = st.members, st.communes
        pool = np.zeros((len(members), len(st.services)))
        for d in st.designs.values():
            for (i, s) in d.pooled:
                if i in members and s in st.services:
                    pool[members.index(i), st.services.index(s)] += 1
        pool /= n
        pairs = np.zeros((len(communes), len(communes)))
        for d in st.designs.values():
            for a, i in enumerate(communes):
                for b, k in enumerate(communes):
                    seat = d.assignment.get(i)
                    pairs[a, b] += seat is not None and seat == d.assignment.get(k)
        pairs /= n
        height = max(4.0, 0.28 * max(len(members), len(communes)) + 2)
        fig, (left, right) = plt.subplots(1, 2, figsize=(8 + 0.3 * len(communes), height),
                                          gridspec_kw={"width_ratios": [max(len(st.services), 3), max(len(communes), 3)]})
        image = left.imshow(pool, vmin=0, vmax=1, cmap="viridis", aspect="auto")
        left.set_yticks(range(len(members)), [names.get(i, i) for i in members], fontsize=7)
        left.set_xticks(range(len(st.services)), [service_name(s) for s in st.services], rotation=60, ha="right", fontsize=7)
        left.set_title(t("stability.pooling_title", n=n), fontsize=8)
        right.imshow(pairs, vmin=0, vmax=1, cmap="viridis", aspect="auto")
        labels = [names.get(c, c) for c in communes]
        right.set_yticks(range(len(communes)), labels, fontsize=6)
        right.set_xticks(range(len(communes)), labels, rotation=75, ha="right", fontsize=6)
        right.set_title(t("stability.pairs_title"), fontsize=8)
        fig.colorbar(image, ax=[left, right], shrink=0.7, label=t("stability.share"))
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)


def write_stability(folder: Path, st: Stability, names: dict[str, str], staging: Path | None, lang: str | None = None) -> None:
    """Write the files of the module docstring into ``folder``; the sweep in ``staging`` moves in as ``worlds/``."""
    st.worlds_table().to_csv(folder / "stability_worlds.csv", index=False)
    st.pooling_table().to_csv(folder / "stability_pooling.csv", index=False)
    st.modes_table().to_csv(folder / "stability_modes.csv", index=False)
    st.pairs_table().to_csv(folder / "stability_pairs.csv", index=False)
    (folder / "worlds.yaml").write_text(st.sweep_scenario, encoding="utf-8")
    draw_stability(st, names, folder / "stability.png", lang)
    if staging is not None and Path(staging).is_dir():
        shutil.copytree(staging, folder / WORLDS_FOLDER, ignore=shutil.ignore_patterns(".cache"))


def stability_headline(st: Stability) -> dict:
    return {"stability_worlds": st.counts["worlds"], "stability_optimal": st.counts["optimal"],
            "stability_feasible": st.counts["feasible"], "stability_failed": st.counts["failed"],
            "stability_world_time_limit_s": st.time_limit_s}
