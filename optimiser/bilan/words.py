"""The bilan's words in French and English, added to the one catalogue
(:data:`optimiser.results.i18n.MESSAGES`) under ``bilan.*`` when this module is imported."""

from __future__ import annotations

from ..results.i18n import MESSAGES

BILAN_MESSAGES: dict[str, dict[str, str]] = {
    "bilan.title": {"fr": "Bilan du pôle — {scenario}, période {period}",
                    "en": "Bilan of the pole — {scenario}, period {period}"},
    "bilan.intro": {"fr": "Ce qui a été réalisé, comparé à ce qui était prévu. Montants en € par an, TTC nets du FCTVA.",
                    "en": "What was done, against what was planned. Money in € a year, TTC net of the FCTVA."},
    "bilan.key": {"fr": "Chiffres clés", "en": "Key figures"},
    "bilan.col.figure": {"fr": "indicateur", "en": "figure"},
    "bilan.col.plan": {"fr": "prévu", "en": "planned"},
    "bilan.col.actual": {"fr": "réalisé", "en": "actual"},
    "bilan.col.gap": {"fr": "écart", "en": "deviation"},
    "bilan.row.status_quo": {"fr": "Coût avant le pôle (situation actuelle)", "en": "Cost before the pole (status quo)"},
    "bilan.row.total": {"fr": "Coût total du territoire", "en": "Territory's total cost"},
    "bilan.row.saving": {"fr": "Économie par rapport à avant", "en": "Saving against before"},
    "bilan.row.realisation": {"fr": "Part de l'économie prévue réalisée", "en": "Share of the planned saving realised"},
    "bilan.row.replanned": {"fr": "Économie attendue, plan recalculé avec les paramètres recalibrés",
                            "en": "Expected saving, plan re-run with the recalibrated parameters"},
    "bilan.row.coverage": {"fr": "Part des coûts prévus renseignés", "en": "Share of planned costs reported"},
    "bilan.decision": {"fr": "Décision : généraliser ou non", "en": "Decision: generalise or not"},
    "bilan.outcome.generalise": {"fr": "Généraliser le pôle.", "en": "Generalise the pole."},
    "bilan.outcome.correct": {"fr": "Généraliser, avec des corrections.", "en": "Generalise, with corrections."},
    "bilan.outcome.stop": {"fr": "Ne pas généraliser en l'état.", "en": "Do not generalise as it stands."},
    "bilan.outcome.extend": {"fr": "Pas assez d'éléments : prolonger l'expérimentation un an.",
                             "en": "Not enough evidence: extend the trial a year."},
    "bilan.rule": {"fr": "Règle appliquée (dans l'ordre) : moins de {coverage} des coûts renseignés → prolonger ; économie réalisée "
                         "ou recalculée ≤ 0 → ne pas généraliser ; moins de {realisation} de l'économie prévue, plaintes ou délai "
                         "de réponse en hausse de plus de {slip}, ou moins de {mowing} des tontes prévues → corriger ; sinon généraliser.",
                   "en": "Rule applied (in order): under {coverage} of costs reported → extend; saving realised or re-planned ≤ 0 "
                         "→ do not generalise; under {realisation} of the planned saving, complaints or response time up more than "
                         "{slip}, or under {mowing} of the planned mowing passes done → correct; otherwise generalise."},
    "bilan.why.coverage": {"fr": "seuls {coverage} des coûts prévus ont été renseignés (il en faut {min})",
                     "en": "only {coverage} of the planned costs were reported ({min} needed)"},
    "bilan.why.no_saving": {"fr": "l'économie réalisée est de {saving}", "en": "the saving realised is {saving}"},
    "bilan.why.replan_negative": {"fr": "avec les paramètres recalibrés, le plan n'économise plus rien ({saving})",
                            "en": "with the recalibrated parameters the plan saves nothing ({saving})"},
    "bilan.why.low_realisation": {"fr": "seulement {rate} de l'économie prévue a été réalisée (seuil {min})",
                            "en": "only {rate} of the planned saving was realised (threshold {min})"},
    "bilan.why.complaints": {"fr": "les plaintes passent de {before} à {now}", "en": "complaints went from {before} to {now}"},
    "bilan.why.response": {"fr": "le délai de réponse moyen passe de {before} à {now} jours",
                     "en": "the mean response time went from {before} to {now} days"},
    "bilan.why.mowing": {"fr": "{share} des tontes prévues ont été faites (seuil {min})",
                   "en": "{share} of the planned mowing passes were done (threshold {min})"},
    "bilan.why.all_good": {"fr": "l'économie est au rendez-vous ({rate} de la prévision) et la qualité de service tient",
                     "en": "the saving is there ({rate} of the plan) and the service level holds"},
    "bilan.deviations": {"fr": "Les écarts, du plus grand au plus petit", "en": "Deviations, largest first"},
    "bilan.deviations.note": {"fr": "Chaque écart est décomposé exactement en volume, productivité, prix et utilisation des "
                                    "machines (méthode : README, « Le bilan ») ; la cause probable est la plus grande part.",
                              "en": "Each deviation is split exactly into volume, productivity, price and machine utilisation "
                                    "(method: README, \"The bilan\"); the probable cause is the largest part."},
    "bilan.col.rank": {"fr": "n°", "en": "#"},
    "bilan.col.service": {"fr": "service", "en": "service"},
    "bilan.col.category": {"fr": "poste", "en": "category"},
    "bilan.col.cause": {"fr": "cause probable", "en": "probable cause"},
    "bilan.cause.volume": {"fr": "volume", "en": "volume"},
    "bilan.cause.productivity": {"fr": "productivité", "en": "productivity"},
    "bilan.cause.price": {"fr": "prix", "en": "price"},
    "bilan.cause.utilisation": {"fr": "utilisation des machines", "en": "machine utilisation"},
    "bilan.category.staff_eur": {"fr": "personnel", "en": "staff"},
    "bilan.category.supplies_eur": {"fr": "fournitures", "en": "supplies"},
    "bilan.category.vehicles_eur": {"fr": "véhicules", "en": "vehicles"},
    "bilan.category.machines_eur": {"fr": "machines", "en": "machines"},
    "bilan.category.contract_eur": {"fr": "marchés", "en": "contracts"},
    "bilan.category.coordination_eur": {"fr": "coordination", "en": "coordination"},
    "bilan.category.kept_eur": {"fr": "service gardé par la commune", "en": "service the commune kept"},
    "bilan.communes": {"fr": "Ce que chaque commune a payé", "en": "What each commune paid"},
    "bilan.col.commune": {"fr": "commune", "en": "commune"},
    "bilan.col.key_share": {"fr": "sa part du coût réel (clé)", "en": "its share of the actual cost (key)"},
    "bilan.col.per_inhabitant": {"fr": "€ par habitant (réalisé)", "en": "€ per inhabitant (actual)"},
    "bilan.indicators": {"fr": "Indicateurs par service", "en": "Indicators per service"},
    "bilan.col.cost_per_unit": {"fr": "coût par unité", "en": "cost per unit"},
    "bilan.col.productivity": {"fr": "productivité (unités/ETP)", "en": "productivity (units/FTE)"},
    "bilan.col.utilisation": {"fr": "utilisation des machines", "en": "machine utilisation"},
    "bilan.recalibration": {"fr": "Ce que l'année nous apprend : paramètres recalibrés",
                            "en": "What the year teaches: recalibrated parameters"},
    "bilan.recalibration.note": {"fr": "Estimation = moyenne pondérée par la précision de la valeur prévue et des observations "
                                       "(échelle logarithmique) ; la fourchette se resserre avec le nombre d'observations. "
                                       "Scénario recalibré : recalibrated.yaml.",
                                 "en": "Estimate = precision-weighted mean of the planned value and the observations (log scale); "
                                       "the range narrows with the number of observations. Recalibrated scenario: recalibrated.yaml."},
    "bilan.col.parameter": {"fr": "paramètre", "en": "parameter"},
    "bilan.col.prior": {"fr": "valeur prévue [fourchette]", "en": "planned value [range]"},
    "bilan.col.observed": {"fr": "observé (n)", "en": "observed (n)"},
    "bilan.col.estimate": {"fr": "nouvelle estimation [fourchette]", "en": "new estimate [range]"},
    "bilan.replan": {"fr": "Le plan recalculé : {replanned} d'économie par an attendue (prévu : {planned}).",
                     "en": "The plan re-run: {replanned} a year of saving expected (planned: {planned})."},
    "bilan.replan_steady_state": {
        "fr": "Ce plan est l'année {year} d'une feuille de route : le recalcul porte sur l'année type (le projet en régime "
              "établi) et non sur les années restantes, car le bloc roadmap du scénario ne sait pas dire qu'une phase est "
              "déjà en place (frais de mise en place payés) ; relancer la feuille de route les compterait une seconde fois.",
        "en": "This plan is year {year} of a roadmap: the re-run is the steady-state year (the design in place), not the "
              "remaining years, because the scenario's roadmap block cannot say that a phase is already in place (set-up "
              "paid); re-running the roadmap would count those again."},
    "bilan.no_replan": {"fr": "Plan non recalculé (--no-replan).", "en": "Plan not re-run (--no-replan)."},
    "bilan.missing": {"fr": "Données manquantes ({n}) : le chiffre prévu est conservé", "en": "Missing actuals ({n}): the planned figure is kept"},
    "bilan.none_missing": {"fr": "Aucune donnée manquante.", "en": "No actual is missing."},
    "bilan.service_levels": {"fr": "Qualité de service : {complaints} plaintes (avant : {before}), délai de réponse moyen "
                                   "{response} j (avant : {response_before} j), {mowing} des tontes prévues faites.",
                             "en": "Service level: {complaints} complaints (before: {before}), mean response time {response} "
                                   "days (before: {response_before}), {mowing} of the planned mowing passes done."},
    "bilan.example": {"fr": "Chiffres réalisés INVENTÉS pour l'exemple.", "en": "Actual figures MADE UP for the example."},
    "bilan.readme.intro": {"fr": "Réalisé d'une période du plan, à saisir à côté du prévu (colonnes plan_*). Une cellule vide "
                                 "est permise : le bilan la signale et garde le chiffre prévu. Unités dans les en-têtes ; "
                                 "workload dans l'unité de la ligne (colonne unit). Montants en € par an TTC nets du FCTVA.",
                           "en": "Actuals of one period of the plan, typed next to the plan (plan_* columns). A blank cell is "
                                 "allowed: the bilan names it and keeps the planned figure. Units in the headers; workload in "
                                 "the row's unit (column unit). Money in € a year TTC net of the FCTVA."},
}

MESSAGES.update(BILAN_MESSAGES)
