"""The data dictionary: every column of every CSV file of a result folder, with its unit and
its meaning in French and English.

CSV column names are stable ``snake_case`` for programs, whatever the language of the reports;
this table says what each holds. It is written to ``docs/data-dictionary.md``
(:func:`markdown`; a test keeps that file in step) and to the ``dictionnaire`` sheet of
``result.xlsx``. Money is in € a year on the one basis of the model — TTC net of the FCTVA, what a
commune's budget bears (staff bears no VAT) — unless the unit says HT (excluding VAT).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n


@dataclass(frozen=True)
class Entry:
    column: str
    unit: str  # English symbols; shown in French through i18n.unit_text
    fr: str
    en: str


def _e(column, unit, fr, en) -> Entry:
    return Entry(column, unit, fr, en)


_EUR = "€/yr"  # TTC net of the FCTVA
_EUR_HT = "€ HT/yr"
#: The services of the catalogue, as the per-service columns and the ``service`` fields hold them.
_SERVICE_KEYS = "voirie, voirie_travaux, espaces_verts, eclairage, proprete, batiments, ingenierie, parc_auto, ads"
_UNITS = "km, ha, PL, km cleaned, m², k€ works, vehicles, EPC"

#: File → its columns, in the order the file holds them.
DICTIONARY: dict[str, list[Entry]] = {
    "communes.csv": [
        _e("insee_code", "", "Code INSEE de la commune (5 caractères)", "The commune's INSEE code (5 characters)"),
        _e("name", "", "Nom de la commune", "Name of the commune"),
        _e("population", "inh.", "Population légale", "Legal population"),
        _e("pole", "", "Identifiant du pôle (SC : service commun ; P1, P2… par population) ; vide si la commune reste seule",
           "Pole id (SC: service commun; P1, P2… by population); empty when the commune stays alone"),
        _e("pole_name", "", "Nom du pôle", "Name of the pole"),
        _e("seat_insee_code", "", "Code INSEE du siège du pôle", "INSEE code of the pole's seat"),
        _e("seat_name", "", "Nom du siège du pôle", "Name of the pole's seat"),
        _e("is_seat", "true/false", "La commune est le siège de son pôle", "The commune is its pole's seat"),
        _e("alone", "true/false", "La commune reste hors de tout pôle", "The commune stays out of every pole"),
        _e("travel_min", "min", "Temps de route vers le siège", "Road time to the seat"),
        _e("travel_km", "km", "Distance par la route vers le siège", "Road distance to the seat"),
        _e("<service>", "", f"Une colonne par service du scénario ({_SERVICE_KEYS}) : "
           "pooled-regie, pooled-delegation (mutualisé), borrows-machines (gardé, matériel emprunté), kept-regie, kept-delegation "
           "(gardé tel quel), alone-regie, alone-delegation (réorganisé seul)",
           f"One column per service of the scenario ({_SERVICE_KEYS}): pooled-regie, "
           "pooled-delegation (pooled), borrows-machines (kept, machines borrowed), kept-regie, kept-delegation (kept as is), "
           "alone-regie, alone-delegation (reorganised alone)"),
        _e("services_pooled", "", "Services mutualisés, séparés par « ; »", "Services pooled, separated by “;”"),
        _e("services_borrowed", "", "Services gardés dont le matériel est emprunté au pôle", "Services kept whose machines are borrowed from the pole"),
        _e("standalone_cost", _EUR, "Coût de ses services si la commune restait seule", "Cost of its services if the commune stayed alone"),
        _e("share", _EUR, "Ce que la commune paie avec le projet (parts des services mutualisés + services gardés)",
           "What the commune pays with the design (shares of pooled services + services kept)"),
        _e("saving", _EUR, "standalone_cost − share ; négatif : elle paie plus", "standalone_cost − share; negative: it pays more"),
        _e("saving_pct", "fraction", "saving / standalone_cost", "saving / standalone_cost"),
        _e("pays_more_than_alone", "true/false", "La commune paie plus que seule (de plus d'1 €)", "The commune pays more than alone (by over €1)"),
        _e("estimated", "", "Chiffres de l'état actuel estimés (service.champ ou matériel.units), séparés par « ; »",
           "Status-quo figures that were estimated (service.field or machine.units), separated by “;”"),
    ],
    "poles.csv": [
        _e("pole", "", "Identifiant du pôle", "Pole id"),
        _e("pole_name", "", "Nom du pôle", "Name of the pole"),
        _e("kind", "", "service commun ou proximity pole (pôle de proximité)", "service commun or proximity pole"),
        _e("seat_insee_code", "", "Code INSEE du siège", "INSEE code of the seat"),
        _e("seat_name", "", "Nom du siège", "Name of the seat"),
        _e("n_communes", "", "Nombre de communes membres", "Number of member communes"),
        _e("population", "inh.", "Population du pôle", "Population of the pole"),
        _e("max_travel_min", "min", "Plus long trajet d'un membre vers le siège", "Longest trip of a member to the seat"),
        _e("mean_travel_min", "min", "Trajet moyen vers le siège, pondéré par la population", "Population-weighted mean trip to the seat"),
        _e("max_travel_km", "km", "Plus longue distance d'un membre au siège", "Longest distance of a member to the seat"),
        _e("members", "", "Noms des membres, séparés par « ; »", "Names of the members, separated by “;”"),
        _e("on_its_own", "true/false", "Pôle de proximité d'une seule commune : la commune reste seule (cartes, rapports et "
           "fiches la montrent ainsi)", "A proximity pole of one commune: the commune on its own (maps, reports and fiches show "
           "it so)"),
    ],
    "services.csv": [
        _e("pole", "", "Identifiant du pôle", "Pole id"),
        _e("pole_name", "", "Nom du pôle", "Name of the pole"),
        _e("seat_insee_code", "", "Code INSEE du siège", "INSEE code of the seat"),
        _e("service", "", f"Service ({_SERVICE_KEYS})", f"Service key ({_SERVICE_KEYS})"),
        _e("mode", "", "regie, delegation, ou lending only (prêt de matériel seul)", "regie, delegation, or lending only"),
        _e("n_poolers", "", "Nombre de membres qui mutualisent le service", "Number of members pooling the service"),
        _e("poolers", "", "Noms des membres qui mutualisent", "Names of the members pooling"),
        _e("n_borrowers", "", "Nombre de membres qui empruntent le matériel", "Number of members borrowing machines"),
        _e("borrowers", "", "Noms des membres qui empruntent le matériel", "Names of the members borrowing machines"),
        _e("workload", "unit", "Volume de travail des membres qui mutualisent, dans l'unité du service", "Workload of the poolers, in the service's unit"),
        _e("unit", "", f"Unité du volume ({_UNITS})", f"Workload unit ({_UNITS})"),
        _e("fte", "FTE", "Effectif du service de pôle en régie", "Staff of the pole service in régie"),
        _e("staff_eur", _EUR, "Coût du personnel (encadrement et dépôt compris)", "Staff cost (team leaders and depot share included)"),
        _e("supplies_eur", _EUR, "Fournitures et matériaux en régie (par unité de volume, part du dépôt comprise)",
           "Régie supplies and materials (per unit of workload, depot share included)"),
        _e("vehicle_eur", _EUR, "Coût des véhicules", "Vehicle cost"),
        _e("equipment_eur", _EUR, "Coût du matériel (amortissement et fonctionnement)", "Machine cost (depreciation and running)"),
        _e("transfer_eur", _EUR, "Coût des transferts de matériel entre communes", "Cost of moving machines between communes"),
        _e("contract_eur", _EUR, "Coût du marché en délégation", "Cost of the delegated contract"),
        _e("lots", "", "Nombre de lots du marché", "Number of contract lots"),
        _e("lots_eur", _EUR, "Coût de passation des lots", "Cost of awarding the lots"),
        _e("redeployed_staff_eur", _EUR, "Coût des agents redéployés (délégation)", "Cost of redeployed staff (delegation)"),
        _e("coordination_eur", _EUR, "Coût de coordination du pôle", "Pole coordination cost"),
        _e("ri_harmonisation_eur", _EUR, "Harmonisation du régime indemnitaire des agents qui rejoignent un employeur commun",
           "Régime indemnitaire harmonisation of the agents who join a common employer"),
        _e("total_eur", _EUR, "Coût total du service de pôle", "Total cost of the pole service"),
        _e("borrower_payments_eur", _EUR, "Ce que paient les emprunteurs de matériel", "What machine borrowers pay"),
        _e("poolers_eur", _EUR, "Ce que paient ceux qui mutualisent (total − emprunteurs)", "What the poolers pay (total − borrowers)"),
        _e("unit_cost_eur", "€/unit/yr", "poolers_eur / workload", "poolers_eur / workload"),
        _e("poolers_codes", "", "Codes des membres qui mutualisent, séparés par « ; »", "Codes of the poolers, separated by “;”"),
        _e("borrowers_codes", "", "Codes des emprunteurs, séparés par « ; »", "Codes of the borrowers, separated by “;”"),
    ],
    "equipment.csv": [
        _e("pole", "", "Identifiant du pôle", "Pole id"),
        _e("seat_insee_code", "", "Code INSEE du siège", "INSEE code of the seat"),
        _e("service", "", "Service", "Service"),
        _e("equipment", "", "Type de matériel", "Machine type"),
        _e("machine_days", "days/yr", "Jours d'utilisation nécessaires", "Machine-days needed"),
        _e("units_needed", "", "Machines nécessaires au pôle", "Machines the pole needs"),
        _e("units_owned_by_members", "", "Machines que les membres possèdent déjà", "Machines the members already own"),
        _e("reused", "", "Machines des membres réutilisées", "Members' machines reused"),
        _e("bought", "", "Machines à acheter", "Machines to buy"),
        _e("surplus", "", "Machines des membres en surplus", "Members' machines in surplus"),
        _e("capacity_days", "days/yr", "Jours disponibles des machines nécessaires", "Days available on the machines needed"),
        _e("utilisation", "fraction", "machine_days / capacity_days", "machine_days / capacity_days"),
        _e("peak_machine_days", "days", "Jours d'utilisation nécessaires pendant le mois de pointe (tonte en mai, fauchage en juin) : "
           "part du mois de pointe × machine_days (0 sans saison)",
           "Machine-days needed in the peak month (mowing in May, verges in June): peak share × machine_days (0 without a season)"),
        _e("peak_capacity_days", "days", "Jours disponibles des machines pendant le mois de pointe (units_needed × jours ouvrés du "
           "mois ; 0 sans saison)", "Days the machines give in the peak month (units_needed × working days of the month; 0 without a season)"),
        _e("users", "", "Membres qui utilisent ces machines", "Members using these machines"),
    ],
    "shares.csv": [
        _e("member", "", "Code INSEE du membre, ou EPCI pour l'intercommunalité", "Member's INSEE code, or EPCI for the intercommunalité"),
        _e("name", "", "Nom du membre", "Name of the member"),
        _e("service", "", "Service", "Service"),
        _e("choice", "", "Choix du membre pour ce service (comme les colonnes <service> de communes.csv)",
           "The member's choice (as communes.csv's <service> columns)"),
        _e("pole", "", "Pôle où il mutualise ou emprunte ; vide s'il garde le service", "Pole where it pools or borrows; empty when kept"),
        _e("standalone_eur", _EUR, "Coût du service s'il restait seul", "Cost of the service alone"),
        _e("pays_eur", _EUR, "Ce qu'il paie avec le projet", "What it pays with the design"),
        _e("pays_pole_eur", _EUR, "Dont ce qu'il verse au pôle (sa part ; le reste, il le dépense lui-même)",
           "Of which what it pays the pole (its share; the rest it spends itself)"),
        _e("saving_eur", _EUR, "standalone_eur − pays_eur", "standalone_eur − pays_eur"),
        _e("key", "", "Clé de partage des coûts", "Cost-sharing key"),
        _e("forced", "true/false", "Mutualisation imposée (service commun, règle du scénario)", "Pooling imposed (service commun, scenario rule)"),
        _e("shapley_eur", _EUR, "Valeur de Shapley (clé shapley)", "Shapley value (shapley key)"),
        _e("shapley_se_eur", _EUR, "Erreur type de la valeur de Shapley échantillonnée", "Standard error of the sampled Shapley value"),
        _e("pays_more_than_alone", "true/false", "Paie plus que seul (de plus d'1 €)", "Pays more than alone (by over €1)"),
    ],
    "flows.csv": [
        _e("year", "", "Année (vide : une année type, options en place)", "Year (empty: a steady-state year, options in place)"),
        _e("member", "", "Code INSEE de la commune, ou EPCI pour l'intercommunalité", "Commune's INSEE code, or EPCI for the intercommunalité"),
        _e("name", "", "Nom du membre", "Name of the member"),
        _e("status_quo_eur", _EUR, "Coût de ses services aujourd'hui", "Cost of its services today"),
        _e("own_eur", _EUR, "Ce qu'il dépense lui-même (services gardés, hors compétence transférée)",
           "What it spends itself (services kept, transferred competence excluded)"),
        _e("pays_pole_eur", _EUR, "Ce qu'il verse à son pôle de proximité (convention entre communes)",
           "What it pays its proximity pole (convention between communes)"),
        _e("service_commun_financing", "", "Financement de sa part du service commun : convention ou attribution_compensation",
           "How its service-commun share is financed: convention or attribution_compensation"),
        _e("pays_epci_convention_eur", _EUR, "Ce qu'il verse à l'EPCI pour le service commun, par convention",
           "What it pays the EPCI for the service commun, by convention"),
        _e("ac_imputation_eur", _EUR, "Part du service commun imputée sur son attribution de compensation (ligne EPCI : total)",
           "Service-commun share imputed on its attribution de compensation (EPCI row: total)"),
        _e("clect_charge_eur", _EUR, "Charges transférées (voirie) évaluées comme une CLECT : moyenne des dépenses + équipement annualisé",
           "Transferred charges (voirie) evaluated as a CLECT would: mean of past expenses + annualised equipment"),
        _e("clect_basis", "", "Base de l'évaluation : history (dépenses données) ou status quo (coût actuel chiffré, chaque année)",
           "Basis of the evaluation: history (given expenses) or status quo (today's priced cost, every year)"),
        _e("ac_before_eur", _EUR, "Attribution de compensation avant les options (négative : la commune paie l'EPCI)",
           "Attribution de compensation before the options (negative: the commune pays the EPCI)"),
        _e("ac_after_eur", _EUR, "ac_before_eur − ac_imputation_eur − clect_charge_eur", "ac_before_eur − ac_imputation_eur − clect_charge_eur"),
        _e("ac_source", "", "Origine de l'AC avant : scenario ou estimate (estimation)", "Where the AC before came from: scenario or estimate"),
        _e("transferred_cost_eur", _EUR, "Coût, dans le projet, de ses services transférés (à la charge de l'EPCI ; ligne EPCI : total)",
           "Design cost of its transferred services (borne by the EPCI; EPCI row: total)"),
        _e("mad_spend_eur", _EUR, "Ce qu'il dépense encore pour la compétence transférée avec ses agents mis à disposition",
           "What it still spends on the transferred competence with its agents made available"),
        _e("mad_reimbursement_eur", _EUR, "Remboursement de l'EPCI pour la mise à disposition (coût unitaire × unités)",
           "The EPCI's reimbursement of the mise à disposition (unit cost × units)"),
        _e("ri_transfer_eur", _EUR, "Harmonisation du régime indemnitaire des agents transférés à l'EPCI",
           "Régime indemnitaire harmonisation of the agents transferred to the EPCI"),
        _e("service_commun_cost_eur", _EUR, "Coût total du service commun, porté par l'EPCI (ligne EPCI)",
           "Whole cost of the service commun, borne by the EPCI (EPCI row)"),
        _e("receives_eur", _EUR, "Ce qu'il reçoit : conventions, imputations et charges transférées (EPCI), remboursements (commune)",
           "What it receives: conventions, imputations and transferred charges (EPCI), reimbursements (commune)"),
        _e("net_cost_eur", _EUR, "Coût net : ce qu'il dépense et verse, AC perdue comprise, moins ce qu'il reçoit (hors dotation)",
           "Net cost: what it spends and pays, AC lost included, less what it receives (dotation excluded)"),
        _e("saving_eur", _EUR, "status_quo_eur − net_cost_eur", "status_quo_eur − net_cost_eur"),
        _e("cif_before", "ratio", "Coefficient d'intégration fiscale avant (ligne EPCI)", "Coefficient d'intégration fiscale before (EPCI row)"),
        _e("cif_after", "ratio", "CIF après, au premier ordre : + baisse d'AC / recettes fiscales du territoire",
           "CIF after, to first order: + AC cut / the territory's tax revenue"),
        _e("dotation_gain_upper_bound_eur", _EUR, "Hausse de la dotation d'intercommunalité, majorant au premier ordre "
           "(ligne commune : au prorata de sa baisse d'AC)",
           "Rise of the dotation d'intercommunalité, a first-order upper bound (commune rows: pro rata of their AC cut)"),
        _e("dotation_effect_year", "", "Année où la dotation en tient compte (N+2)", "Year the dotation reflects it (N+2)"),
    ],
    "regie_vs_delegation.csv": [
        _e("pole", "", "Identifiant du pôle", "Pole id"),
        _e("seat_insee_code", "", "Code INSEE du siège", "INSEE code of the seat"),
        _e("service", "", "Service", "Service"),
        _e("n_poolers", "", "Membres qui mutualisent", "Members pooling"),
        _e("workload", "unit", "Volume de travail", "Workload"),
        _e("unit", "", "Unité du volume", "Workload unit"),
        _e("regie_eur", _EUR, "Coût en régie (TTC net du FCTVA)", "Cost in régie (TTC net of the FCTVA)"),
        _e("regie_ht_eur", _EUR_HT, "Coût en régie, hors taxes", "Cost in régie, excluding VAT"),
        _e("regie_fte", "FTE", "Effectif en régie", "Staff in régie"),
        _e("delegation_eur", _EUR, "Coût en délégation (TTC net du FCTVA)", "Cost delegated (TTC net of the FCTVA)"),
        _e("delegation_ht_eur", _EUR_HT, "Coût en délégation, hors taxes", "Cost delegated, excluding VAT"),
        _e("delegation_lots", "", "Lots du marché en délégation", "Contract lots when delegated"),
        _e("cheaper", "", "Mode le moins cher (coûts nets du FCTVA)", "Cheaper mode (costs net of the FCTVA)"),
        _e("chosen", "", "Mode retenu", "Chosen mode"),
        _e("allowed", "", "Modes permis par le scénario", "Modes the scenario allows"),
        _e("difference_eur", _EUR, "delegation_eur − regie_eur", "delegation_eur − regie_eur"),
    ],
    "status_quo.csv": [
        _e("member", "", "Code INSEE du membre, ou EPCI", "Member's INSEE code, or EPCI"),
        _e("name", "", "Nom du membre", "Name of the member"),
        _e("service", "", "Service", "Service"),
        _e("workload", "unit", "Volume de travail", "Workload"),
        _e("unit", "", "Unité du volume", "Workload unit"),
        _e("mode", "", "Mode actuel (regie, delegation)", "Mode today (regie, delegation)"),
        _e("fte", "FTE", "Effectif actuel (agents)", "Staff today (agents)"),
        _e("polyvalent_fte", "FTE", "Part de l'effectif tenue par des agents polyvalents (qui travaillent aussi dans d'autres "
           "services) : ils restent employés si le service quitte la commune", "Part of the staff worked by polyvalent agents "
           "(who also work in other services): they stay employed when the service leaves the commune"),
        _e("supervision_fte", "FTE", "Encadrement de ces agents (agents de maîtrise, un pour regie.agents_per_team_leader agents)",
           "Team leaders of these agents (one per regie.agents_per_team_leader agents)"),
        _e("field", "true/false", "Service de terrain (compté dans les ETP de terrain de status_quo_check.csv)",
           "A field service (counted in the field FTE of status_quo_check.csv)"),
        _e("staff_eur", _EUR, "Coût du personnel", "Staff cost"),
        _e("supplies_eur", _EUR, "Fournitures et matériaux en régie", "Régie supplies and materials"),
        _e("contract_eur", _EUR, "Coût du marché", "Contract cost"),
        _e("equipment_units", "", "Machines détenues pour ce service", "Machines owned for this service"),
        _e("equipment_eur", _EUR, "Coût du matériel", "Machine cost"),
        _e("total_eur", _EUR, "Coût total aujourd'hui (TTC net du FCTVA)", "Total cost today (TTC net of the FCTVA)"),
        _e("total_ht_eur", _EUR_HT, "Coût total aujourd'hui, hors taxes", "Total cost today, excluding VAT"),
        _e("alone_option", "", "Organisation la moins chère du membre seul : as-is (telle quelle), regie ou delegation",
           "The member's cheapest organisation alone: as-is, regie or delegation"),
        _e("alone_fte", "FTE", "Effectif du membre réorganisé seul", "Staff of the member reorganised alone"),
        _e("alone_eur", _EUR, "Coût du membre réorganisé seul (TTC net du FCTVA)", "Cost of the member reorganised alone (TTC net of the FCTVA)"),
        _e("alone_ht_eur", _EUR_HT, "Coût du membre réorganisé seul, hors taxes", "Cost of the member reorganised alone, excluding VAT"),
        _e("estimated", "", "Champs estimés, séparés par « ; »", "Estimated fields, separated by “;”"),
    ],
    "members.csv": [
        _e("member", "", "Code INSEE du membre, ou EPCI", "Member's INSEE code, or EPCI"),
        _e("name", "", "Nom du membre", "Name of the member"),
        _e("standalone_cost", _EUR, "Coût de tous ses services seul", "Cost of all its services alone"),
        _e("share", _EUR, "Ce qu'il paie avec le projet", "What it pays with the design"),
        _e("saving", _EUR, "standalone_cost − share", "standalone_cost − share"),
    ],
    "core.csv": [
        _e("pole", "", "Identifiant du pôle", "Pole id"),
        _e("seat_insee_code", "", "Code INSEE du siège", "INSEE code of the seat"),
        _e("service", "", "Service", "Service"),
        _e("group", "", "Groupe de membres qui paierait moins seul", "Group of members that would pay less alone"),
        _e("group_codes", "", "Codes des membres du groupe", "Codes of the group's members"),
        _e("pays_now_eur", _EUR, "Ce que le groupe paie ensemble", "What the group pays now"),
        _e("would_pay_alone_eur", _EUR, "Ce qu'il paierait en s'organisant seul", "What it would pay on its own"),
        _e("gain_eur", _EUR, "pays_now_eur − would_pay_alone_eur", "pays_now_eur − would_pay_alone_eur"),
        _e("gain_pct", "fraction", "gain_eur / pays_now_eur", "gain_eur / pays_now_eur"),
        _e("check_complete", "true/false", "Tous les groupes ont été examinés", "Every group was examined"),
    ],
    "status_quo_check.csv": [
        _e("scope", "", "Code INSEE de la commune, ou territory pour tout le territoire", "The commune's INSEE code, or territory for the whole territory"),
        _e("name", "", "Nom de la commune (territory pour le territoire)", "Name of the commune (territory for the territory)"),
        _e("population", "inh.", "Population du périmètre", "Population of the scope"),
        _e("size_band", "", "Tranche de population (lt_2k, 2k_10k, 10k_50k, gt_50k) ; vide pour le territoire",
           "Population band (lt_2k, 2k_10k, 10k_50k, gt_50k); empty for the territory"),
        _e("indicator", "", "field_fte_per_1000_hab (ETP de terrain et leur encadrement pour 1 000 habitants) ou "
           "eur_per_hab.<service> (€ par habitant et par an, TTC net du FCTVA ; voirie = entretien + travaux)",
           "field_fte_per_1000_hab (field FTE and their team leaders per 1,000 inhabitants) or eur_per_hab.<service> "
           "(€ per inhabitant a year, TTC net of the FCTVA; voirie = routine + works)"),
        _e("value", "indicator", "Valeur de l'indicateur dans la situation actuelle", "The indicator's value in the status quo"),
        _e("central", "indicator", "Valeur centrale sourcée (cost_parameters.yaml)", "Sourced central value (cost_parameters.yaml)"),
        _e("low", "indicator", "Bas de la fourchette sourcée ; vide quand la source n'en donne pas",
           "Low end of the sourced range; empty when the source gives none"),
        _e("high", "indicator", "Haut de la fourchette sourcée ; vide quand la source n'en donne pas",
           "High end of the sourced range; empty when the source gives none"),
        _e("status", "", "inside, below, above, far below, far above (hors de [bas × 0,5 ; haut ÷ 0,5]) ou no range",
           "inside, below, above, far below, far above (outside [low × 0.5, high ÷ 0.5]) or no range"),
        _e("source", "", "Clé de la source dans cost_parameters.yaml", "Source key in cost_parameters.yaml"),
        _e("inventoried", "", "Lignes d'inventaire (membre/service) dont viennent les chiffres, séparées par « ; » ; vide : estimés",
           "Inventory rows (member/service) the figures come from, separated by “;”; empty: estimated"),
    ],
    "savings_by_source.csv": [
        _e("stage", "", "alone (se réorganiser seul), pooling (mutualiser), both (les deux : l'effet fiscal) ou total",
           "alone (reorganising alone), pooling, both (the tax basis) or total"),
        _e("source", "", "Source de l'économie (méthode : README, « Savings by source »)", "Source of the saving (method: README, “Savings by source”)"),
        _e("saving_eur", _EUR, "Part de l'économie, hors taxes sauf l'effet fiscal (tax basis) ; négatif : un coût ; "
           "les parts s'additionnent au total", "Part of the saving, HT except the tax basis; negative: a cost; the parts add up to the total"),
        _e("share_of_saving", "fraction", "saving_eur / économie totale", "saving_eur / total saving"),
    ],
    "staff_trajectory.csv": [
        _e("year", "", "Année de l'horizon (1 … terms.years)", "Year of the horizon (1 … terms.years)"),
        _e("member", "", "Code INSEE du membre, ou EPCI", "Member's INSEE code, or EPCI"),
        _e("fte_today", "FTE", "Effectif actuel des services que le projet change", "Today's staff of the services the design changes"),
        _e("fte_needed", "FTE", "Effectif nécessaire à la norme avec le projet", "Staff needed at the norm with the design"),
        _e("fte_employed", "FTE", "Effectif encore employé cette année (sans remplacer les départs, jamais moins que le nécessaire)",
           "Staff still employed that year (leavers not replaced, never fewer than needed)"),
        _e("fte_freed", "FTE", "fte_today − fte_employed", "fte_today − fte_employed"),
        _e("whole_agents_freed", "", "Partie entière de fte_freed : postes qui peuvent disparaître", "Integer part of fte_freed: posts that can go"),
        _e("redeployed_time_fte", "FTE", "Partie fractionnaire de fte_freed : temps d'agents redéployé vers d'autres tâches",
           "Fractional part of fte_freed: agents' time redeployed to other work"),
        _e("polyvalent_fte_kept", "FTE", "Agents polyvalents (qui travaillent aussi dans d'autres services) gardés par le membre",
           "Polyvalent agents (who also work in other services) the member keeps on"),
    ],
    "parameters.csv": [
        _e("group", "", "Service, matériel ou personnel (staff)", "Service, machine or staff"),
        _e("parameter", "", "Nom du paramètre", "Parameter name"),
        _e("value", "unit", "Valeur utilisée", "Value used"),
        _e("unit", "", "Unité", "Unit"),
        _e("source", "", "Clé de la source dans cost_parameters.yaml", "Source key in cost_parameters.yaml"),
        _e("confidence", "", "Fiabilité (low, medium, high)", "Confidence (low, medium, high)"),
        _e("note", "", "Remarque", "Note"),
    ],
    "robust.csv": [
        _e("worlds", "", "Mondes comparés : optimised_worlds (ceux de l'optimisation robuste) ou fresh_worlds (des mondes neufs)",
           "Worlds compared: optimised_worlds (those the robust design was optimised over) or fresh_worlds (new ones)"),
        _e("n_worlds", "", "Nombre de mondes tirés", "Number of sampled worlds"),
        _e("first_world", "", "Numéro du premier monde (tirés avec la graine de robust.seed)",
           "Number of the first world (drawn with robust.seed)"),
        _e("design", "", "robust (le projet retenu) ou nominal (le projet aux valeurs sourcées)",
           "robust (the design reported) or nominal (the design at the sourced values)"),
        _e("expected_eur", _EUR, "Économie moyenne par rapport à la situation actuelle sur ces mondes",
           "Mean saving against the status quo over these worlds"),
        _e("p_saving_positive", "fraction", "Part des mondes où le projet économise", "Share of worlds in which the design saves money"),
        _e("p10_eur", _EUR, "10e centile de l'économie", "10th percentile of the saving"),
        _e("p50_eur", _EUR, "Médiane de l'économie", "Median saving"),
        _e("p90_eur", _EUR, "90e centile de l'économie", "90th percentile of the saving"),
        _e("measure_eur", _EUR, "La mesure demandée par robust.objective (moyenne, quantile ou CVaR de l'économie)",
           "The measure robust.objective asks for (mean, quantile or CVaR of the saving)"),
    ],
    # The bilan folder (optimiser bilan): money in € a year TTC net of the FCTVA, as the plan it evaluates.
    "poles_bilan.csv": [
        _e("period", "", "Période évaluée (l'année du plan ; 1 pour un résultat sans année)", "Period evaluated (the plan's year; 1 for a result without one)"),
        _e("pole", "", "Identifiant du pôle", "Pole id"),
        _e("service", "", "Service", "Service key"),
        _e("mode", "", "Mode prévu : regie ou delegation", "Planned mode: regie or delegation"),
        _e("unit", "", "Unité de la charge de travail", "Unit of the workload"),
        _e("population", "inh.", "Population du pôle", "Population of the pole"),
        _e("reported", "true/false", "Le fichier des réalisations a une ligne pour ce service du pôle", "The actuals have a row for this pole service"),
        _e("costs_expected", "", "Catégories de coût prévues ou renseignées", "Cost categories planned or reported"),
        _e("costs_reported", "", "Catégories de coût renseignées", "Cost categories reported"),
        _e("plan_<measure>", "", "Valeur prévue de la mesure (workload, fte, hours, machine_days, machine_units ; "
           "staff_eur, supplies_eur, vehicles_eur, machines_eur, contract_eur, coordination_eur, total_eur en €/an)",
           "Planned value of the measure (workload, fte, hours, machine_days, machine_units; "
           "staff_eur, supplies_eur, vehicles_eur, machines_eur, contract_eur, coordination_eur, total_eur in €/yr)"),
        _e("actual_<measure>", "", "Valeur réalisée de la même mesure (vide si non renseignée ; pour les coûts, le chiffre prévu "
           "tient lieu du manquant dans actual_total_eur)",
           "Actual value of the same measure (empty when not reported; for costs, the planned figure stands in for a "
           "missing one in actual_total_eur)"),
        _e("deviation_eur", _EUR, "actual_total_eur − plan_total_eur (positif : plus cher que prévu)",
           "actual_total_eur − plan_total_eur (positive: dearer than planned)"),
        _e("plan_cost_per_unit", "€/unit", "Coût prévu par unité de charge de travail", "Planned cost per unit of workload"),
        _e("plan_cost_per_inhabitant", "€/inh./yr", "Coût prévu par habitant du pôle", "Planned cost per inhabitant of the pole"),
        _e("plan_fte_per_unit", "FTE/unit", "ETP prévus par unité de charge", "Planned FTE per unit of workload"),
        _e("plan_productivity", "unit/FTE", "Productivité prévue : charge ÷ ETP", "Planned productivity: workload ÷ FTE"),
        _e("plan_machine_utilisation", "fraction", "Jours-machine prévus ÷ (machines × jours ouvrables d'une machine)",
           "Planned machine days ÷ (machines × days a machine can work)"),
        _e("actual_cost_per_unit", "€/unit", "Coût réalisé par unité de charge réalisée", "Actual cost per unit of workload delivered"),
        _e("actual_cost_per_inhabitant", "€/inh./yr", "Coût réalisé par habitant du pôle", "Actual cost per inhabitant of the pole"),
        _e("actual_fte_per_unit", "FTE/unit", "ETP réalisés par unité de charge", "Actual FTE per unit of workload"),
        _e("actual_productivity", "unit/FTE", "Productivité réalisée", "Actual productivity"),
        _e("actual_machine_utilisation", "fraction", "Utilisation réalisée des machines", "Actual machine utilisation"),
    ],
    "deviations.csv": [
        _e("rank", "", "Rang par écart absolu décroissant", "Rank by absolute deviation, largest first"),
        _e("period", "", "Période évaluée", "Period evaluated"),
        _e("pole", "", "Pôle (pour un service gardé : le code INSEE de la commune)", "Pole (for a kept service: the commune's INSEE code)"),
        _e("service", "", "Service", "Service key"),
        _e("category", "", "Catégorie de coût (staff_eur, supplies_eur, vehicles_eur, machines_eur, contract_eur, coordination_eur ; "
           "kept_eur : ce qu'une commune a payé pour un service gardé)",
           "Cost category (staff_eur, supplies_eur, vehicles_eur, machines_eur, contract_eur, coordination_eur; "
           "kept_eur: what a commune paid for a service it kept)"),
        _e("commune", "", "Nom de la commune (catégorie kept_eur seulement)", "Name of the commune (kept_eur category only)"),
        _e("plan_eur", _EUR, "Montant prévu", "Planned amount"),
        _e("actual_eur", _EUR, "Montant réalisé", "Actual amount"),
        _e("deviation_eur", _EUR, "actual_eur − plan_eur", "actual_eur − plan_eur"),
        _e("deviation_pct", "fraction", "deviation_eur ÷ plan_eur", "deviation_eur ÷ plan_eur"),
        _e("volume_eur", _EUR, "Part de l'écart due au volume (charge de travail réalisée), valeur de Shapley",
           "Share of the deviation due to volume (workload delivered), Shapley value"),
        _e("productivity_eur", _EUR, "Part due à la productivité (ETP ou jours-machine par unité)",
           "Share due to productivity (FTE or machine days per unit)"),
        _e("price_eur", _EUR, "Part due au prix (coût par ETP, par machine ou par unité)", "Share due to price (cost per FTE, per machine or per unit)"),
        _e("utilisation_eur", _EUR, "Part due à l'utilisation des machines (jours travaillés par machine)",
           "Share due to machine utilisation (days worked per machine)"),
        _e("probable_cause", "", "La cause de la plus grande part (vide pour un écart de moins de 0,5 €)",
           "The cause of the largest share (empty for a deviation under €0.5)"),
    ],
    "communes_bilan.csv": [
        _e("period", "", "Période évaluée", "Period evaluated"),
        _e("insee_code", "", "Code INSEE de la commune", "The commune's INSEE code"),
        _e("commune", "", "Nom de la commune", "Name of the commune"),
        _e("population", "inh.", "Population légale", "Legal population"),
        _e("status_quo_eur", _EUR, "Ce que ses services coûtaient avant (situation actuelle)", "What its services cost before (status quo)"),
        _e("plan_paid_eur", _EUR, "Ce qu'elle devait payer selon le plan", "What it was to pay in the plan"),
        _e("actual_paid_eur", _EUR, "Ce qu'elle a payé (le chiffre prévu tient lieu d'un montant non renseigné)",
           "What it paid (the planned figure stands in for an amount not reported)"),
        _e("key_share_of_actual_eur", _EUR, "Sa part du coût réalisé selon la clé du plan (services gardés : ce qu'elle a payé)",
           "Its share of the actual cost by the plan's key (kept services: what it paid)"),
        _e("services_reported", "", "Services pour lesquels le montant payé est renseigné", "Services for which the amount paid is reported"),
        _e("paid_minus_key_share_eur", _EUR, "actual_paid_eur − key_share_of_actual_eur (vide si rien n'est renseigné)",
           "actual_paid_eur − key_share_of_actual_eur (empty when nothing is reported)"),
        _e("deviation_eur", _EUR, "actual_paid_eur − plan_paid_eur", "actual_paid_eur − plan_paid_eur"),
        _e("plan_paid_per_inhabitant", "€/inh./yr", "Payé prévu par habitant", "Planned payment per inhabitant"),
        _e("actual_paid_per_inhabitant", "€/inh./yr", "Payé réalisé par habitant", "Actual payment per inhabitant"),
        _e("saving_realised_eur", _EUR, "status_quo_eur − actual_paid_eur", "status_quo_eur − actual_paid_eur"),
    ],
    "service_levels.csv": [
        _e("period", "", "Période évaluée", "Period evaluated"),
        _e("insee_code", "", "Code INSEE de la commune", "The commune's INSEE code"),
        _e("commune", "", "Nom de la commune", "Name of the commune"),
        _e("service", "", "Service", "Service key"),
        _e("plan_workload", "", "Charge de travail prévue (dans l'unité du service)", "Planned workload (in the service's unit)"),
        _e("actual_workload", "", "Charge de travail réalisée", "Workload delivered"),
        _e("workload_delivered_share", "fraction", "actual_workload ÷ plan_workload", "actual_workload ÷ plan_workload"),
        _e("response_time_days", "days", "Délai moyen de réponse à une demande", "Mean response time to a request"),
        _e("response_time_days_before", "days", "Le même, l'année d'avant", "The same, the year before"),
        _e("mowing_passes_done_share", "fraction", "Part des passages de tonte prévus effectués", "Share of the planned mowing passes done"),
        _e("complaints", "", "Réclamations reçues", "Complaints received"),
        _e("complaints_before", "", "Réclamations, l'année d'avant", "Complaints, the year before"),
    ],
    "recalibration.csv": [
        _e("parameter", "", "Clé du scénario ré-estimée (services.overrides.…, services.staff_eur.…)",
           "Scenario key re-estimated (services.overrides.…, services.staff_eur.…)"),
        _e("source", "", "Clé(s) de cost_parameters.yaml dont vient la valeur du plan (estimate, scenario : aucune)",
           "cost_parameters.yaml key(s) the plan's value comes from (estimate, scenario: none)"),
        _e("unit", "", "Unité du paramètre", "Unit of the parameter"),
        _e("prior", "", "Valeur utilisée par le plan", "Value the plan used"),
        _e("prior_low", "", "Bas de sa fourchette (intervalle à 90 %)", "Low end of its range (90 % interval)"),
        _e("prior_high", "", "Haut de sa fourchette", "High end of its range"),
        _e("n_observations", "", "Observations (services de pôle renseignés)", "Observations (pole services reported)"),
        _e("observed", "", "Moyenne géométrique des observations", "Geometric mean of the observations"),
        _e("estimate", "", "Nouvelle estimation (mise à jour normale sur le logarithme)", "New estimate (normal update on the log scale)"),
        _e("low", "", "Bas de la fourchette resserrée (90 %)", "Low end of the narrowed range (90 %)"),
        _e("high", "", "Haut de la fourchette resserrée", "High end of the narrowed range"),
        _e("weight_of_evidence", "fraction", "Poids des observations dans l'estimation (0 : le plan ; 1 : les observations)",
           "Weight of the observations in the estimate (0: the plan; 1: the observations)"),
    ],
    "missing.csv": [
        _e("missing", "", "Une réalisation non renseignée (le chiffre prévu en tient lieu)", "An actual not given (the planned figure stands in)"),
    ],
}

#: Column-name patterns: ``prefix<name>`` entries match every column that starts with the prefix.
_PATTERNS = {"poles_bilan.csv": ("plan_", "actual_")}


def _roadmap_dictionary() -> None:
    """The files of a roadmap (:mod:`optimiser.roadmap`): € per year, TTC net of the FCTVA."""
    year = _e("year", "", "Année civile", "Calendar year")
    DICTIONARY["roadmap.csv"] = [
        year,
        _e("insee_code", "", "Code INSEE du membre (EPCI pour l'intercommunalité)", "Member's INSEE code (EPCI for the intercommunalité)"),
        _e("name", "", "Nom du membre", "Name of the member"),
        _e("service", "", "Service", "Service"),
        _e("state", "", "Organisation cette année : status-quo, pooled-…, service-commun-…, borrows-machines, alone-…, transferred, outside",
           "Organisation this year: status-quo, pooled-…, service-commun-…, borrows-machines, alone-…, transferred, outside"),
        _e("delivered_by", "", "Qui assure le service : commune, prestataire, pôle, service commun, EPCI",
           "Who delivers the service: commune, contractor, pole, service commun, EPCI"),
        _e("phase", "", "Phase qui change ce service (vide : inchangé)", "Phase that changes this service (empty: unchanged)"),
        _e("start_year", "", "Année de début de la phase (vide : pas dans l'horizon)", "Start year of the phase (empty: not within the horizon)"),
        _e("cost_eur", _EUR, "Coût de l'année pour ce membre et ce service (hors frais ponctuels)",
           "This year's cost for this member and service (one-offs excluded)"),
        _e("setup_eur", "€", "Part des frais de mise en place, l'année du début", "Share of the set-up cost, in the start year"),
        _e("sale_eur", "€", "Part du produit de la vente du matériel en surplus, l'année du début",
           "Share of the proceeds of surplus machines sold, in the start year"),
    ]
    DICTIONARY["phases.csv"] = [
        _e("phase", "", "Identifiant de la phase (pôle:service, ou commune:service)", "Phase id (pole:service, or commune:service)"),
        _e("kind", "", "service_commun, pilot, pole ou alone", "service_commun, pilot, pole or alone"),
        _e("pole", "", "Pôle (ou code de la commune seule)", "Pole (or the code of the commune alone)"),
        _e("pole_name", "", "Nom du pôle", "Name of the pole"),
        _e("seat_insee_code", "", "Code INSEE du siège", "Seat's INSEE code"),
        _e("service", "", "Service", "Service"),
        _e("mode", "", "regie, delegation ou lending (prêt de matériel)", "regie, delegation or lending (machines lent)"),
        _e("users", "", "Membres concernés", "Members concerned"),
        _e("user_codes", "", "Leurs codes INSEE, séparés par ;", "Their INSEE codes, separated by ;"),
        _e("earliest_year", "", "Première année possible (contrats, adhésions)", "Earliest possible year (contracts, joins)"),
        _e("start_year", "", "Année de début choisie (vide : pas dans l'horizon)", "Chosen start year (empty: not within the horizon)"),
        _e("setup_eur", "€", "Frais de mise en place (une convention + chaque membre)", "Set-up cost (one convention + each member)"),
        _e("sale_eur", "€", "Produit de la vente du matériel en surplus", "Proceeds of surplus machines sold"),
        _e("why_not_earlier", "", "Ce qui retarde la première année possible", "What delays the earliest year"),
    ]
    DICTIONARY["trajectory.csv"] = [
        year,
        _e("status_quo_eur", _EUR, "Coût du statu quo dans le périmètre de l'année", "Status quo cost within the year's perimeter"),
        _e("running_eur", _EUR, "Coût courant de la feuille de route", "Running cost of the roadmap"),
        _e("setup_eur", "€", "Frais de mise en place de l'année", "Set-up costs of the year"),
        _e("sale_eur", "€", "Ventes de matériel en surplus de l'année", "Surplus machines sold in the year"),
        _e("plan_eur", _EUR, "Coût de l'année : courant + mise en place − ventes", "Cost of the year: running + set-up − sales"),
        _e("saving_eur", _EUR, "Économie de l'année contre le statu quo", "Saving of the year against the status quo"),
        _e("cumulative_saving_eur", "€", "Économie cumulée depuis la première année", "Cumulative saving since the first year"),
        _e("discount_factor", "", "Facteur d'actualisation (1 + taux)^-(année − début)", "Discount factor (1 + rate)^-(year − start)"),
        _e("discounted_saving_eur", "€", "Économie actualisée de l'année", "Discounted saving of the year"),
        _e("cumulative_discounted_saving_eur", "€", "Économie actualisée cumulée", "Cumulative discounted saving"),
        _e("phases_started", "", "Phases engagées dans l'année", "Phases started in the year"),
    ]
    DICTIONARY["flows_by_year.csv"] = [*DICTIONARY["flows.csv"],
                                       _e("roadmap_one_off_eur", "€", "Frais ponctuels de la feuille de route de l'année (mise en place − ventes)",
                                          "The roadmap's one-offs of the year (set-up − sales)")]


_roadmap_dictionary()


def entry(file: str, column: str) -> Entry | None:
    """The entry of ``column`` of ``file`` (a per-service column of communes.csv: ``<service>``)."""
    for item in DICTIONARY.get(file, []):
        if item.column == column:
            return item
    if file == "communes.csv" and column in i18n.SERVICES:
        return entry(file, "<service>")
    for prefix in _PATTERNS.get(file, ()):
        if column.startswith(prefix):
            return entry(file, f"{prefix}<measure>")
    return None


def unit(file: str, column: str) -> str:
    """The column's unit in the language being written ('' when it has none)."""
    found = entry(file, column)
    if found is None or not found.unit or found.unit in ("true/false", "unit", "indicator"):
        return ""
    return i18n.unit_text(found.unit.replace("inh.", "hab." if i18n.current() == "fr" else "inh."))


def rows(lang: str = "fr") -> list[dict]:
    """Every entry as a row: file, column, unit, meaning (in ``lang``) and the other language."""
    out = []
    with i18n.using(lang):
        for file, entries in DICTIONARY.items():
            for e in entries:
                out.append({"file": file, "column": e.column, "unit": unit(file, e.column) or ("true/false" if e.unit == "true/false" else ""),
                            "meaning": e.fr if lang == "fr" else e.en, "other": e.en if lang == "fr" else e.fr})
    return out


def markdown() -> str:
    """``docs/data-dictionary.md``."""
    out = ["# Dictionnaire des données — Data dictionary", "",
           "Every column of the CSV files of a result folder. Column names are stable `snake_case` in every language; "
           "money is in € a year, TTC net of the FCTVA (what a commune's budget bears), unless the unit says HT. "
           "Generated by `optimiser.results.dictionary` (a test keeps it in step); also the `dictionnaire` sheet of "
           "`result.xlsx`.", "",
           "Chaque colonne des fichiers CSV d'un dossier de résultat. Les noms de colonnes restent les mêmes dans toutes "
           "les langues ; les montants sont en € par an, TTC nets du FCTVA (ce que supporte le budget d'une commune), "
           "sauf quand l'unité dit HT.", ""]
    for file, entries in DICTIONARY.items():
        out += [f"## `{file}`", "", "| colonne / column | unité / unit | signification | meaning |", "|---|---|---|---|"]
        for e in entries:
            out.append(f"| `{e.column}` | {e.unit} | {e.fr} | {e.en} |")
        out.append("")
    return "\n".join(out)
