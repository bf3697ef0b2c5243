"""A result shown inline in a notebook: status in words, key figures, the map, the poles.

Self-contained like ``report.html`` (no script needed: the map is static SVG with native
tooltips, ``<title>`` per commune, so it works in any notebook viewer).
"""

from __future__ import annotations

from .. import i18n
from ..i18n import t
from . import fmt
from .page import esc
from .svgmap import render_svg_map

#: The map's styles from report.css, scoped to the snippet so they cannot touch the notebook.
_STYLE = """
.optimiser-result svg.map { width: 100%; max-width: 640px; height: auto; }
.optimiser-result .map path.commune { stroke: #7f7f7f; stroke-width: 0.6px; vector-effect: non-scaling-stroke; fill-rule: evenodd; }
.optimiser-result .map path.outline { fill: none; stroke: #222; stroke-width: 1.8px; vector-effect: non-scaling-stroke; fill-rule: evenodd; }
.optimiser-result .map path.seat { fill: #000; stroke: #fff; stroke-width: 1px; vector-effect: non-scaling-stroke; }
.optimiser-result .map .labels text { fill: #222; text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-linejoin: round; }
.optimiser-result .map .labels text.seat-name { font-weight: 700; }
.optimiser-result .map rect, .optimiser-result .map line { stroke: #222; }
"""


def result_snippet(result) -> str:
    """The notebook view, in the result's language (:meth:`optimiser.results.result.Result.lang`)."""
    with i18n.using(result.lang()):
        return _snippet(result)


def _snippet(result) -> str:
    s = result.summary
    parts = [f'<div class="optimiser-result"><style>{_STYLE}</style>',
             f"<h3>{esc(s['scenario'])} — {esc(s['territory']['name'])}</h3>",
             f"<p><b>{esc(fmt.status_long(s['status'], s.get('gap'), s.get('solver_options', {}).get('gap')))}</b> "
             f"({esc(s['solver'])}, {s['runtime_s']:.1f} s)</p>"]
    facts = [t("fig.territory_value", name=s["territory"]["name"], n=s["n_communes"], population=fmt.integer(s["population"])),
             f"{t('fig.poles')} : {s['n_poles']}" if i18n.current() == "fr" else f"{s['n_poles']} poles"]
    if s.get("total_cost") is not None:
        facts.append(f"{t('fig.total_cost')} {fmt.money(s['total_cost'])} ; {t('fig.status_quo').lower()} {fmt.money(s['status_quo_cost'])} ; "
                     f"{t('fig.saving').lower()} {fmt.signed_money(s['savings'])} ({fmt.percent(s['savings_pct'])})")
    parts.append("<ul>" + "".join(f"<li>{esc(f)}</li>" for f in facts) + "</ul>")
    if result.inputs is not None and result.communes is not None:
        territory = result.inputs.territory
        names = {}  # a native tooltip per commune, no script needed
        for r in result.communes.itertuples():
            label = (f"{r.name}: {t('col.pole').lower()} {r.pole}, {t('col.seat').lower()} {r.seat_name}" if isinstance(r.pole, str)
                     else f"{r.name}: {t('word.alone')}")
            if "saving" in result.communes.columns:
                label += f", {t('col.saving').lower()} {fmt.signed_money(r.saving)}"
            names[r.insee_code] = label
        svg, _ = render_svg_map(territory, result.communes, title=t("txt.map_of", name=territory.name), titles=names)
        parts.append(svg)
    if result.poles is not None and len(result.poles):
        columns = [c for c in ("pole", "pole_name", "seat_name", "n_communes", "population", "max_travel_min") if c in result.poles.columns]
        parts.append(result.poles[columns].to_html(index=False, border=0, float_format=lambda v: f"{v:,.1f}"))
    parts.append("</div>")
    return "\n".join(parts)
