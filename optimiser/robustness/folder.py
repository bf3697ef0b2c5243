"""The ``robustness`` folder: tables, figures and the report section, written atomically.

=========================== ==============================================================
``robustness.json``         headline figures, seed, samples, versions: the folder's marker
``robustness.csv``          one row per factor (parameter or group): range, law, saving at
                            each end, swing, rank, EVPPI, decisions a re-solve changes
``parameters_uncertain.csv`` every uncertain parameter: sourced value, range, law, group
``communes_robustness.csv`` per commune: nominal paid and alone, P(pays more than alone)
``worlds.csv``              per sampled world: status quo, design, saving (€/yr)
``tornado.png``             the factors ranked by swing, re-solved ones marked
``saving.png``              the saving's distribution over the worlds
``robustness.md/.html``     the report section
``scenario.resolved.yaml``  the scenario analysed (its ``uncertainty`` block with the seed)
``stability_*.csv``, ``stability.png``, ``worlds.yaml``, ``worlds/``
                            the re-solved worlds (:mod:`.stability_outputs`), when asked
=========================== ==============================================================

Every sentence of the report is a template in :data:`TEXT` (English; a message catalogue can
take them over as they are).
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .._version import __version__
from ..results.folder import write_atomically
from .analysis import Analysis
from .stability_outputs import stability_headline, stability_markdown, write_stability

MARKER = "robustness.json"
KIND = "a robustness folder"

TEXT = {
    "title": "Robustness of the saving",
    "headline": "In {share:.1%} of {samples:,} plausible worlds the design saves money "
                "(P(saving > 0) = {p:.4f} ± {se:.4f}).",
    "quantiles": "Saving (€/yr): P10 {p10:,.0f} · median {p50:,.0f} · P90 {p90:,.0f}; at the sourced values {nominal:,.0f}.",
    "method": "Each world draws every uncertain parameter of the cost model over its sourced range ({law} by default; "
              "correlation groups move together) and re-prices the same design and the status quo with the one cost formula. "
              "Seed {seed}: the same command gives the same worlds.",
    "tornado": "What decides it (tornado: each factor at the low and the high end of its range, the others at their sourced value)",
    "collect": "Collect these first (expected value of perfect information, €/yr)",
    "evpi": "Knowing every parameter exactly would be worth {evpi:,.0f} €/yr on the adopt-or-not decision.",
    "no_voi": "No single factor changes the adopt-or-not decision in the sampled worlds: measuring one first is not worth money "
              "for that decision (the ranking by swing above still says what moves the saving most).",
    "communes": "Communes that may pay more than alone",
    "no_commune": "No commune pays more than alone in any sampled world.",
    "resolved": "Re-solved at low / high",
}


def _factor_rows(a: Analysis) -> pd.DataFrame:
    rows = []
    for rank, f in enumerate(a.factors, 1):
        p = f.members[0]
        rows.append({"rank": rank, "factor": f.name, "parameters": "; ".join(m.name for m in f.members),
                     "low": p.low if len(f.members) == 1 else None, "nominal": p.nominal if len(f.members) == 1 else None,
                     "high": p.high if len(f.members) == 1 else None, "unit": p.unit if len(f.members) == 1 else "",
                     "distribution": p.distribution, "confidence": p.confidence if len(f.members) == 1 else "",
                     "saving_low_eur": round(f.saving_low, 2), "saving_high_eur": round(f.saving_high, 2),
                     "swing_eur": round(f.swing, 2), "evppi_eur": round(f.evppi, 2), "resolved_changes": f.decision_change})
    return pd.DataFrame(rows)


def _parameter_rows(a: Analysis) -> pd.DataFrame:
    return pd.DataFrame([{"parameter": p.name, "nominal": p.nominal, "low": p.low, "high": p.high, "unit": p.unit,
                          "distribution": "fixed" if p.certain else p.distribution, "group": p.group or "",
                          "confidence": p.confidence} for p in a.params])


def _commune_rows(a: Analysis, names: dict[str, str]) -> pd.DataFrame:
    probabilities = a.commune_probabilities()
    rows = [{"insee_code": i, "commune": names.get(i, i), "alone_median_eur": round(float(np.median(a.priced.alone[i])), 2),
             "pays_median_eur": round(float(np.median(a.priced.paid[i])), 2),
             "p_pays_more_than_alone": probabilities[i]} for i in a.priced.alone]
    return pd.DataFrame(rows).sort_values("p_pays_more_than_alone", ascending=False, kind="stable")


def headline(a: Analysis) -> dict:
    q = a.percentiles()
    return {"samples": a.samples, "seed": a.seed, "p_saving_positive": a.probability_saving,
            "p_saving_positive_se": a.probability_standard_error, "saving_nominal_eur": a.nominal_saving,
            "saving_mean_eur": float(np.mean(a.saving)), "saving_p10_eur": q["p10"], "saving_p50_eur": q["p50"],
            "saving_p90_eur": q["p90"], "evpi_eur": a.evpi,
            "top_factors": [f.name for f in a.factors[:5]], "version": __version__,
            **(stability_headline(a.stability) if a.stability is not None else {})}


def report_markdown(a: Analysis, names: dict[str, str], law: str, top: int = 10) -> str:
    q = a.percentiles()
    lines = [f"## {TEXT['title']}", "",
             TEXT["headline"].format(share=a.probability_saving, samples=a.samples, p=a.probability_saving,
                                     se=a.probability_standard_error),
             "", TEXT["quantiles"].format(nominal=a.nominal_saving, **q), "",
             TEXT["method"].format(law=law, seed=a.seed), "", f"### {TEXT['tornado']}", "",
             f"| # | factor | saving at low (€/yr) | saving at high (€/yr) | swing (€/yr) | {TEXT['resolved']} |",
             "|---:|---|---:|---:|---:|---|"]
    for k, f in enumerate(a.factors[:top], 1):
        lines.append(f"| {k} | {f.name} | {f.saving_low:,.0f} | {f.saving_high:,.0f} | {f.swing:,.0f} | {f.decision_change or '–'} |")
    lines += ["", f"### {TEXT['collect']}", "", TEXT["evpi"].format(evpi=a.evpi), ""]
    ranked = sorted((f for f in a.factors if f.evppi > 0.5), key=lambda f: -f.evppi)
    if ranked:
        lines += ["| # | factor | EVPPI (€/yr) |", "|---:|---|---:|"]
        lines += [f"| {k} | {f.name} | {f.evppi:,.0f} |" for k, f in enumerate(ranked[:top], 1)]
    else:
        lines.append(TEXT["no_voi"])
    lines += ["", f"### {TEXT['communes']}", ""]
    risky = [(i, p) for i, p in sorted(a.commune_probabilities().items(), key=lambda kv: -kv[1]) if p > 0]
    if risky:
        lines += ["| commune | P(pays more than alone) |", "|---|---:|"]
        lines += [f"| {names.get(i, i)} | {p:.1%} |" for i, p in risky[:top]]
    else:
        lines.append(TEXT["no_commune"])
    if a.stability is not None:
        lines += [""] + stability_markdown(a.stability, names, top)
    return "\n".join(lines) + "\n"


def _html(markdown: str, stability: bool = False) -> str:
    """The markdown section as a plain HTML page (tables and headings only)."""
    out, table = ["<!doctype html><meta charset='utf-8'><title>robustness</title><body style='font-family:sans-serif'>"], False
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [html.escape(c.strip()) for c in line.strip("|").split("|")]
            if set("".join(cells)) <= set("-:"):
                continue
            if not table:
                out.append("<table border='1' cellpadding='4' style='border-collapse:collapse'>")
                table = True
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            continue
        if table:
            out.append("</table>")
            table = False
        if line.startswith("#### "):
            out.append(f"<h4>{html.escape(line[5:])}</h4>")
        elif line.startswith("### "):
            out.append(f"<h3>{html.escape(line[4:])}</h3>")
        elif line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    if table:
        out.append("</table>")
    out.append("<p><img src='tornado.png' style='max-width:100%'></p><p><img src='saving.png' style='max-width:100%'></p>"
               + ("<p><img src='stability.png' style='max-width:100%'></p>" if stability else ""))
    return "\n".join(out) + "\n"


def changes_decision(factor) -> bool:
    """Whether a re-solve at either end changed a decision (its text counts some)."""
    return any(ch.isdigit() for ch in factor.decision_change)


def draw_tornado(a: Analysis, path: Path, top: int = 15) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    factors = a.factors[:top][::-1]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(factors) + 1.5))
    for y, f in enumerate(factors):
        lo, hi = f.saving_low / 1000, f.saving_high / 1000
        ax.barh(y, lo - a.nominal_saving / 1000, left=a.nominal_saving / 1000, color="#d95f02", alpha=0.8)
        ax.barh(y, hi - a.nominal_saving / 1000, left=a.nominal_saving / 1000, color="#1b9e77", alpha=0.8)
    ax.set_yticks(range(len(factors)), [f.name + (" *" if changes_decision(f) else "") for f in factors], fontsize=8)
    ax.axvline(a.nominal_saving / 1000, color="black", lw=1)
    ax.axvline(0, color="grey", lw=1, ls="--")
    ax.set_xlabel("saving of the design (k€/yr) — orange: factor at its low end, green: at its high end; * a re-solve changes a decision")
    ax.xaxis.label.set_size(8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def draw_saving(a: Analysis, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(a.saving / 1000, bins=60, color="#7570b3")
    q = a.percentiles()
    for name, v in q.items():
        ax.axvline(v / 1000, color="black", lw=1, ls=":")
        ax.text(v / 1000, ax.get_ylim()[1] * 0.95, name.upper(), fontsize=7, ha="center")
    ax.axvline(0, color="red", lw=1)
    ax.set_xlabel("saving (k€/yr) over the sampled worlds")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_folder(target: Path, a: Analysis, names: dict[str, str], resolved_scenario: dict, law: str,
                 input_files: dict[str, Path] | None = None, staging: Path | None = None, lang: str | None = None) -> Path:
    """Write the robustness folder ``target`` atomically (see module docstring); ``staging``: the
    sweep folder of the re-solved worlds, copied in as ``worlds/``."""
    markdown = report_markdown(a, names, law)

    def fill(folder: Path) -> None:
        _factor_rows(a).to_csv(folder / "robustness.csv", index=False)
        _parameter_rows(a).to_csv(folder / "parameters_uncertain.csv", index=False)
        _commune_rows(a, names).to_csv(folder / "communes_robustness.csv", index=False)
        pd.DataFrame({"world": np.arange(1, a.samples + 1), "status_quo_eur": a.priced.status_quo.round(2),
                      "design_eur": a.priced.total.round(2), "saving_eur": a.saving.round(2)}).to_csv(folder / "worlds.csv", index=False)
        draw_tornado(a, folder / "tornado.png")
        draw_saving(a, folder / "saving.png")
        (folder / "robustness.md").write_text(markdown, encoding="utf-8")
        (folder / "robustness.html").write_text(_html(markdown, a.stability is not None), encoding="utf-8")
        if a.stability is not None:
            write_stability(folder, a.stability, names, staging, lang)
        (folder / "scenario.resolved.yaml").write_text(yaml.safe_dump(resolved_scenario, sort_keys=False, allow_unicode=True),
                                                       encoding="utf-8")
        if input_files:  # the scenario points at inputs/: the folder re-runs on its own
            (folder / "inputs").mkdir()
            for source in input_files.values():
                copy = shutil.copytree if Path(source).is_dir() else shutil.copy2
                copy(source, folder / "inputs" / Path(source).name)
        (folder / MARKER).write_text(json.dumps(headline(a), indent=2), encoding="utf-8")

    return write_atomically(Path(target), fill, marker=MARKER, kind=KIND)
