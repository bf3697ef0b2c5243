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

Every word of the report and of the figures is in the message catalogue
(:mod:`optimiser.robustness.words`, ``rob.*`` and ``stability.*``): French by default, English
with ``--lang en``; numbers through :mod:`optimiser.results.html.fmt`. CSV values stay English.
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
from ..results.html import fmt
from ..results.i18n import MESSAGES, t, using
from . import words  # noqa: F401  (registers the report's messages)
from .analysis import Analysis
from .stability_outputs import stability_headline, stability_markdown, write_stability

MARKER = "robustness.json"
KIND = "a robustness folder"

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


def _resolved_text(f) -> str:
    if f.resolved:
        return "; ".join(e.text() for e in f.resolved)
    return f.decision_change or "–"


def report_markdown(a: Analysis, names: dict[str, str], law: str, top: int = 10) -> str:
    """``robustness.md`` in the current language."""
    q = a.percentiles()
    money = fmt.money
    lines = [f"## {t('rob.title')}", "",
             t("rob.headline", share=fmt.percent(a.probability_saving), samples=fmt.integer(a.samples),
               p=fmt.number(a.probability_saving, 4), se=fmt.number(a.probability_standard_error, 4)),
             "", t("rob.quantiles", nominal=money(a.nominal_saving), **{k: money(v) for k, v in q.items()}), "",
             t("rob.method", law=t(f"rob.law.{law}") if f"rob.law.{law}" in MESSAGES else law, seed=a.seed), "", f"### {t('rob.tornado')}", "",
             f"| # | {t('rob.col.factor')} | {t('rob.col.saving_low')} | {t('rob.col.saving_high')} | {t('rob.col.swing')} | "
             f"{t('rob.resolved')} |",
             "|---:|---|---:|---:|---:|---|"]
    for k, f in enumerate(a.factors[:top], 1):
        lines.append(f"| {k} | {f.name} | {money(f.saving_low)} | {money(f.saving_high)} | {money(f.swing)} | {_resolved_text(f)} |")
    lines += ["", f"### {t('rob.collect')}", "", t("rob.evpi", evpi=money(a.evpi)), ""]
    ranked = sorted((f for f in a.factors if f.evppi > 0.5), key=lambda f: -f.evppi)
    if ranked:
        lines += [f"| # | {t('rob.col.factor')} | {t('rob.col.evppi')} |", "|---:|---|---:|"]
        lines += [f"| {k} | {f.name} | {money(f.evppi)} |" for k, f in enumerate(ranked[:top], 1)]
    else:
        lines.append(t("rob.no_voi"))
    lines += ["", f"### {t('rob.communes')}", ""]
    risky = [(i, p) for i, p in sorted(a.commune_probabilities().items(), key=lambda kv: -kv[1]) if p > 0]
    if risky:
        lines += [f"| {t('rob.col.commune')} | {t('rob.col.p_more')} |", "|---|---:|"]
        lines += [f"| {names.get(i, i)} | {fmt.percent(p)} |" for i, p in risky[:top]]
    else:
        lines.append(t("rob.no_commune"))
    if a.stability is not None:
        lines += [""] + stability_markdown(a.stability, names, top)
    return "\n".join(lines) + "\n"


def _html(markdown: str, stability: bool = False) -> str:
    """The markdown section as a plain HTML page (tables and headings only)."""
    from ..results.i18n import current

    out = [f"<!doctype html><html lang='{current()}'><meta charset='utf-8'><title>{html.escape(t('rob.html_title'))}</title>"
           "<body style='font-family:sans-serif'>"]
    table = False
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
    ax.set_xlabel(t("rob.tornado_axis"))
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
    ax.set_xlabel(t("rob.saving_axis"))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_folder(target: Path, a: Analysis, names: dict[str, str], resolved_scenario: dict, law: str,
                 input_files: dict[str, Path] | None = None, staging: Path | None = None, lang: str | None = None) -> Path:
    """Write the robustness folder ``target`` atomically (see module docstring); ``staging``: the
    sweep folder of the re-solved worlds, copied in as ``worlds/``."""
    with using(lang):
        markdown = report_markdown(a, names, law)

    def fill(folder: Path) -> None:
        with using(lang):
            _fill(folder)

    def _fill(folder: Path) -> None:
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
