"""The robustness report's words in French and English, added to the one catalogue
(:data:`optimiser.results.i18n.MESSAGES`) under ``rob.*`` and ``stability.*`` when this module is
imported. Numbers are formatted by the caller (:mod:`optimiser.results.html.fmt`), so the
templates hold only words; CSV values stay in English."""

from __future__ import annotations

from ..results.i18n import MESSAGES

ROBUSTNESS_MESSAGES: dict[str, dict[str, str]] = {
    # robustness.md / .html (optimiser/robustness/folder.py)
    "rob.title": {"fr": "Robustesse de l'économie", "en": "Robustness of the saving"},
    "rob.headline": {"fr": "Dans {share} de {samples} mondes plausibles, le projet fait économiser "
                           "(P(économie > 0) = {p} ± {se}).",
                     "en": "In {share} of {samples} plausible worlds the design saves money (P(saving > 0) = {p} ± {se})."},
    "rob.quantiles": {"fr": "Économie (€/an) : P10 {p10} · médiane {p50} · P90 {p90} ; aux valeurs sourcées {nominal}.",
                      "en": "Saving (€/yr): P10 {p10} · median {p50} · P90 {p90}; at the sourced values {nominal}."},
    "rob.method": {"fr": "Chaque monde tire chaque paramètre incertain du modèle de coût dans sa fourchette sourcée (loi {law} par "
                         "défaut ; les groupes corrélés bougent ensemble) et re-chiffre le même projet et la situation actuelle "
                         "avec la même formule de coût. Graine {seed} : la même commande donne les mêmes mondes.",
                   "en": "Each world draws every uncertain parameter of the cost model over its sourced range ({law} by default; "
                         "correlation groups move together) and re-prices the same design and the status quo with the one cost "
                         "formula. Seed {seed}: the same command gives the same worlds."},
    "rob.tornado": {"fr": "Ce qui décide (tornade : chaque facteur au bas puis au haut de sa fourchette, les autres à leur valeur "
                          "sourcée)",
                    "en": "What decides it (tornado: each factor at the low and the high end of its range, the others at their "
                          "sourced value)"},
    "rob.col.factor": {"fr": "facteur", "en": "factor"},
    "rob.col.saving_low": {"fr": "économie au bas (€/an)", "en": "saving at low (€/yr)"},
    "rob.col.saving_high": {"fr": "économie au haut (€/an)", "en": "saving at high (€/yr)"},
    "rob.col.swing": {"fr": "amplitude (€/an)", "en": "swing (€/yr)"},
    "rob.col.evppi": {"fr": "EVPPI (€/an)", "en": "EVPPI (€/yr)"},
    "rob.col.commune": {"fr": "commune", "en": "commune"},
    "rob.col.p_more": {"fr": "P(paie plus que seule)", "en": "P(pays more than alone)"},
    "rob.resolved": {"fr": "Résolu au bas / au haut", "en": "Re-solved at low / high"},
    "rob.collect": {"fr": "À mesurer d'abord (valeur espérée de l'information parfaite, €/an)",
                    "en": "Collect these first (expected value of perfect information, €/yr)"},
    "rob.evpi": {"fr": "Connaître exactement chaque paramètre vaudrait {evpi} par an pour la décision d'adopter ou non le projet.",
                 "en": "Knowing every parameter exactly would be worth {evpi} a year on the adopt-or-not decision."},
    "rob.no_voi": {"fr": "Aucun facteur seul ne change la décision d'adopter ou non dans les mondes tirés : en mesurer un d'abord "
                         "ne rapporte rien pour cette décision (le classement par amplitude ci-dessus dit toujours ce qui fait le "
                         "plus bouger l'économie).",
                   "en": "No single factor changes the adopt-or-not decision in the sampled worlds: measuring one first is not "
                         "worth money for that decision (the ranking by swing above still says what moves the saving most)."},
    "rob.communes": {"fr": "Communes qui pourraient payer plus que seules", "en": "Communes that may pay more than alone"},
    "rob.no_commune": {"fr": "Aucune commune ne paie plus que seule dans aucun des mondes tirés.",
                       "en": "No commune pays more than alone in any sampled world."},
    "rob.law.triangular": {"fr": "triangulaire", "en": "triangular"},
    "rob.law.uniform": {"fr": "uniforme", "en": "uniform"},
    "rob.law.lognormal": {"fr": "log-normale", "en": "lognormal"},
    "rob.html_title": {"fr": "Robustesse", "en": "Robustness"},
    # the decisions a re-solve changes (optimiser/robustness/resolve.py)
    "rob.end.low": {"fr": "bas", "en": "low"},
    "rob.end.high": {"fr": "haut", "en": "high"},
    "rob.end_changes": {"fr": "{end} : {changes}", "en": "{end}: {changes}"},
    "rob.end_no_design": {"fr": "{end} : pas de solution ({status})", "en": "{end}: no design ({status})"},
    "rob.changes_none": {"fr": "aucune", "en": "none"},
    "rob.kind.poles": {"fr": "{n} siège de pôle", "en": "{n} pole seat"},
    "rob.kind.poles_many": {"fr": "{n} sièges de pôle", "en": "{n} pole seats"},
    "rob.kind.pooling": {"fr": "{n} choix de mutualisation", "en": "{n} pooling choice"},
    "rob.kind.pooling_many": {"fr": "{n} choix de mutualisation", "en": "{n} pooling choices"},
    "rob.kind.modes": {"fr": "{n} mode de gestion", "en": "{n} mode"},
    "rob.kind.modes_many": {"fr": "{n} modes de gestion", "en": "{n} modes"},
    # figures
    "rob.tornado_axis": {"fr": "économie du projet (k€/an) — orange : facteur au bas de sa fourchette, vert : au haut ; "
                               "* une nouvelle résolution change une décision",
                         "en": "saving of the design (k€/yr) — orange: factor at its low end, green: at its high end; "
                               "* a re-solve changes a decision"},
    "rob.saving_axis": {"fr": "économie (k€/an) dans les mondes tirés", "en": "saving (k€/yr) over the sampled worlds"},
    # the decision stability section (optimiser/robustness/stability_outputs.py)
    "stability.title": {"fr": "Stabilité des décisions (mondes résolus)", "en": "Decision stability (re-solved worlds)"},
    "stability.counts": {"fr": "{worlds} mondes tirés résolus à nouveau (graine {seed}, mondes 1 à {worlds} du re-chiffrage "
                               "ci-dessus ; chaque résolution limitée à {limit} s) : {optimal} optimaux prouvés, {feasible} "
                               "réalisables à leur limite de temps (écart dans stability_worlds.csv), {failed} sans solution. "
                               "Les parts ci-dessous portent sur les {solved} mondes qui ont une solution.",
                         "en": "{worlds} sampled worlds re-solved (seed {seed}, worlds 1–{worlds} of the re-pricing above; each "
                               "solve limited to {limit} s): {optimal} proven optimal, {feasible} feasible at their time limit "
                               "(gap reported in stability_worlds.csv), {failed} without a design. Shares below are over the "
                               "{solved} worlds with a design."},
    "stability.pooling": {"fr": "Choix de mutualisation qui changent d'un monde à l'autre (part des mondes avec le choix du "
                                "projet nominal)",
                          "en": "Pooling choices that change across worlds (share of worlds with the nominal design's choice)"},
    "stability.modes": {"fr": "Services de pôle dont le mode change d'un monde à l'autre",
                        "en": "Pole services whose mode changes across worlds"},
    "stability.pairs": {"fr": "Paires de communes qui ne partagent pas toujours un pôle",
                        "en": "Pairs of communes that do not always share a pole"},
    "stability.stable": {"fr": "Chaque décision de ce type est la même dans tous les mondes résolus.",
                         "en": "Every decision of this kind is the same in every solved world."},
    "stability.no_world": {"fr": "Aucun monde n'a de solution : la stabilité des décisions ne peut pas être mesurée "
                                 "(voir stability_worlds.csv).",
                           "en": "No world has a design: decision stability cannot be measured (see stability_worlds.csv)."},
    "stability.reference": {"fr": "Référence : les valeurs sourcées résolues sous la même limite ({status}{gap}) ; décisions "
                                  "différentes du projet nominal : {changes}. Des écarts de cette taille dans les mondes viennent "
                                  "de la limite de temps, pas du monde.",
                            "en": "Reference: the sourced values re-solved under the same limit ({status}{gap}) differ from the "
                                  "nominal design in {changes}; differences of that size in the worlds come from the time limit, "
                                  "not from the world."},
    "stability.no_reference": {"fr": "Référence : les valeurs sourcées résolues sous la même limite n'ont pas de solution ({status}).",
                               "en": "Reference: the sourced values re-solved under the same limit have no design ({status})."},
    "stability.gap": {"fr": ", écart {gap}", "en": ", gap {gap}"},
    "stability.col.member": {"fr": "membre", "en": "member"},
    "stability.col.service": {"fr": "service", "en": "service"},
    "stability.col.nominal": {"fr": "nominal", "en": "nominal"},
    "stability.col.pools": {"fr": "mutualise", "en": "pools"},
    "stability.col.borrows": {"fr": "emprunte", "en": "borrows"},
    "stability.col.as_nominal": {"fr": "comme le nominal", "en": "as nominal"},
    "stability.col.seat": {"fr": "siège", "en": "seat"},
    "stability.col.nominal_mode": {"fr": "mode nominal", "en": "nominal mode"},
    "stability.col.runs": {"fr": "l'assure", "en": "runs it"},
    "stability.col.delegated": {"fr": "délégué (quand il l'assure)", "en": "delegated (when run)"},
    "stability.col.commune": {"fr": "commune", "en": "commune"},
    "stability.col.nominal_same": {"fr": "nominal : même pôle", "en": "nominal: same pole"},
    "stability.col.same": {"fr": "même pôle", "en": "same pole"},
    "stability.yes": {"fr": "oui", "en": "yes"},
    "stability.no": {"fr": "non", "en": "no"},
}

MESSAGES.update(ROBUSTNESS_MESSAGES)
