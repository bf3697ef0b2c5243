"""The words a person reads, in French (the default) and English.

Everything a planner or an elected official reads — ``report.md``, ``report.html``, the fiches,
the maps and charts, ``result.xlsx``, the summaries the CLI prints — takes its words from here;
file names, CSV column names and the codes inside CSV files do not change with the language
(programs read them).

The language is chosen where a result is written (``optimiser run --lang en``, the environment
variable ``OPTIMISER_LANG``, the scenario's ``outputs.lang``, or ``lang=`` in Python) and held in
a context variable while a renderer runs, so the number formatters and the catalogue need not be
handed it through every call::

    with using("en"):
        t("report.title", scenario="laval")      # 'Pooling of technical services — laval'

Domain words are written as French planners write them (*Éclairage public*, *Régie*, *Pôle de
proximité*, *Service commun*, *Groupement de commandes*); English keeps the French word where the
glossary of the README does (régie, délégation, service commun).
"""

from __future__ import annotations

import contextlib
import contextvars
import os

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
#: The environment variable that sets the language of every command (``--lang`` wins).
ENV_VAR = "OPTIMISER_LANG"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("optimiser_lang", default=DEFAULT_LANG)


def resolve_lang(*choices: str | None) -> str:
    """The first language given (``--lang``, ``outputs.lang``, ...), else ``$OPTIMISER_LANG``,
    else French. An unknown language is an :class:`~optimiser.errors.InputError` (exit 2)."""
    for choice in choices:
        if choice:
            return check_lang(choice)
    from_environment = os.environ.get(ENV_VAR)
    return check_lang(from_environment, f"${ENV_VAR}") if from_environment else DEFAULT_LANG


def check_lang(lang: str, where: str = "--lang") -> str:
    """``lang`` folded to lower case if it is one of :data:`LANGS`, else an InputError."""
    folded = str(lang).strip().lower()
    if folded not in LANGS:
        from ..errors import InputError, Problem

        raise InputError([Problem(where, "", f"is not a language of the reports; expected one of {', '.join(LANGS)}",
                                  value=lang, hint="fr (the default) or en")])
    return folded


def current() -> str:
    """The language being written."""
    return _current.get()


@contextlib.contextmanager
def using(lang: str | None):
    """Write in ``lang`` (``None``: keep the current language) inside the ``with`` block."""
    if lang is None:
        yield current()
        return
    token = _current.set(check_lang(lang, "lang"))
    try:
        yield current()
    finally:
        _current.reset(token)


def t(key: str, /, **values) -> str:
    """The message ``key`` in the current language, its ``{placeholders}`` filled."""
    try:
        entry = MESSAGES[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in optimiser.results.i18n.MESSAGES") from None
    text = entry[current()]
    return text.format(**values) if values else text


def plural(n: int, key: str, /, **values) -> str:
    """``key.one`` for 0 or 1 in French (1 only in English), else ``key.many``; ``{n}`` filled."""
    one = n <= 1 if current() == "fr" else n == 1
    return t(f"{key}.{'one' if one else 'many'}", n=n, **values)


def _word(table: dict[str, dict[str, str]], key) -> str:
    if not isinstance(key, str):
        return "—" if key is None or key != key else str(key)
    entry = table.get(key)
    return entry[current()] if entry else key


def service_name(key) -> str:
    """``eclairage`` → *Éclairage public* (unknown keys as they are)."""
    return _word(SERVICES, key)


def mode_name(key) -> str:
    """``regie`` → *Régie*, ``delegation`` → *Délégation*, ``lending only`` → *Prêt de matériel seul*."""
    return _word(MODES, key)


def choice_name(key) -> str:
    """A member's choice for a service (``pooled-regie``, ``borrows-machines``, ``kept-delegation``…)."""
    return _word(CHOICES, key)


def equipment_name(key) -> str:
    """``aerial_lift_truck`` → *Camion nacelle*."""
    return _word(EQUIPMENT, key)


def kind_name(key) -> str:
    """``service commun`` / ``proximity pole`` → *Service commun* / *Pôle de proximité*."""
    return _word(KINDS, key)


def unit_name(key) -> str:
    """A workload unit (``PL`` → *points lumineux*)."""
    return _word(UNITS, key)


def group_name(key) -> str:
    """A group of ``parameters.csv``: a service, a machine, or ``staff``."""
    if key in SERVICES:
        return service_name(key)
    if key in EQUIPMENT:
        return equipment_name(key)
    return t("word.staff") if key == "staff" else _word({}, key)


#: Unit words of ``parameters.csv`` and ``services.csv`` in French (English as written).
_UNIT_WORDS_FR = [("k€ works", "k€ de travaux"), ("km swept", "km balayé"), ("km cleaned", "km nettoyé"), ("FTE", "ETP"),
                  ("days", "jours"), ("day", "jour"), ("years", "ans"), ("vehicles", "véhicules"), ("vehicle", "véhicule"),
                  ("share of TTC", "part du TTC"), ("VAT rate", "taux de TVA"), ("share", "part"), ("/yr", "/an"), ("/h", "/h"),
                  ("PL", "PL")]


def unit_text(unit) -> str:
    """A unit as written in the tables: ``€/km/yr`` → ``€/km/an``, ``km/FTE`` → ``km/ETP``."""
    if not isinstance(unit, str):
        return "—"
    if current() == "en":
        return unit
    for english, french in _UNIT_WORDS_FR:
        unit = unit.replace(english, french)
    return unit


def parameter_name(key) -> str:
    """A parameter of ``parameters.csv`` (``productivity``, ``adjoint_technique``…) in words; a
    key with a message of its own through :func:`t`; else the key with spaces."""
    if isinstance(key, str) and key in PARAMETERS:
        return _word(PARAMETERS, key)
    if isinstance(key, str) and key in MESSAGES:
        return t(key)
    return "—" if not isinstance(key, str) else key.replace("_", " ")


def confidence_name(key) -> str:
    return _word(CONFIDENCE, key)


def services_list(text) -> str:
    """``"voirie; eclairage"`` (as ``communes.csv`` holds it) → *Voirie, Éclairage public*."""
    if not isinstance(text, str) or not text.strip():
        return "—"
    return ", ".join(service_name(s.strip()) for s in text.replace(",", ";").split(";") if s.strip())


def estimated_in_words(text) -> str:
    """The ``estimated`` field list of ``communes.csv`` / ``status_quo.csv`` in readable words,
    grouped by service or machine: ``"voirie.fte;voirie.mode;aerial_lift_truck.units"`` →
    *Voirie (effectif, mode) ; Camion nacelle (nombre)*. Bare fields (a ``status_quo.csv`` row,
    whose service is in its own column) are listed as they come."""
    if not isinstance(text, str) or not text.strip():
        return t("estimated.none")
    groups: dict[str, list[str]] = {}
    bare: list[str] = []
    for item in (s.strip() for s in text.split(";")):
        if not item:
            continue
        owner, _, field = item.rpartition(".")
        if owner:
            groups.setdefault(owner, []).append(_word(FIELDS, field))
        else:
            bare.append(_word(FIELDS, field))
    parts = [f"{service_name(o) if o in SERVICES else equipment_name(o)} ({', '.join(dict.fromkeys(f))})"
             for o, f in groups.items()]
    if bare:
        parts.append(", ".join(dict.fromkeys(bare)))
    return " ; ".join(parts) if current() == "fr" else "; ".join(parts)


# --- domain words ---------------------------------------------------------------------------

SERVICES = {
    "voirie": {"fr": "Voirie", "en": "Roads"},
    "espaces_verts": {"fr": "Espaces verts", "en": "Green spaces"},
    "eclairage": {"fr": "Éclairage public", "en": "Street lighting"},
    "proprete": {"fr": "Propreté urbaine", "en": "Street cleaning"},
    "batiments": {"fr": "Bâtiments", "en": "Buildings"},
    "ingenierie": {"fr": "Ingénierie", "en": "Engineering"},
    "voirie_travaux": {"fr": "Travaux de voirie", "en": "Road works"},
    "parc_auto": {"fr": "Parc automobile", "en": "Vehicle fleet"},
    "ads": {"fr": "Instruction des autorisations d'urbanisme (ADS)", "en": "Planning permits (ADS)"},
}
MODES = {
    "regie": {"fr": "Régie", "en": "Régie (in-house)"},
    "delegation": {"fr": "Délégation", "en": "Délégation (contracted out)"},
    "lending only": {"fr": "Prêt de matériel seul", "en": "Machine lending only"},
    "regie/delegation": {"fr": "Régie ou délégation", "en": "Régie or délégation"},
}
CHOICES = {
    "pooled-regie": {"fr": "Mutualisé, en régie", "en": "Pooled, in régie"},
    "pooled-delegation": {"fr": "Mutualisé, en délégation", "en": "Pooled, delegated"},
    "borrows-machines": {"fr": "Gardé, matériel emprunté au pôle", "en": "Kept, borrows the pole's machines"},
    "kept-regie": {"fr": "Gardé en régie", "en": "Kept, in régie"},
    "kept-delegation": {"fr": "Gardé en délégation", "en": "Kept, delegated"},
    "alone-regie": {"fr": "Réorganisé seul, en régie", "en": "Reorganised alone, in régie"},
    "alone-delegation": {"fr": "Réorganisé seul, en délégation", "en": "Reorganised alone, delegated"},
}
EQUIPMENT = {
    "tractor_with_flail_arm": {"fr": "Tracteur avec épareuse", "en": "Tractor with flail arm"},
    "backhoe_loader": {"fr": "Tractopelle", "en": "Backhoe loader"},
    "ride_on_mower_pro": {"fr": "Tondeuse autoportée", "en": "Ride-on mower"},
    "aerial_lift_truck": {"fr": "Camion nacelle", "en": "Aerial lift truck"},
    "sweeper_compact": {"fr": "Balayeuse compacte", "en": "Compact sweeper"},
}
KINDS = {
    "service commun": {"fr": "Service commun", "en": "Service commun"},
    "proximity pole": {"fr": "Pôle de proximité", "en": "Proximity pole"},
    "alone": {"fr": "Seule", "en": "Alone"},
}
UNITS = {
    "km": {"fr": "km de voirie", "en": "km of road"},
    "ha": {"fr": "ha d'espaces verts", "en": "ha of green space"},
    "PL": {"fr": "points lumineux", "en": "light points"},
    "km swept": {"fr": "km balayés", "en": "km swept"},
    "m²": {"fr": "m² de bâtiments", "en": "m² of buildings"},
    "k€ works": {"fr": "k€ de travaux", "en": "k€ of works"},
    "km cleaned": {"fr": "km nettoyés", "en": "km cleaned"},
    "vehicles": {"fr": "véhicules", "en": "vehicles"},
    "EPC": {"fr": "EPC (équivalents permis de construire)", "en": "EPC (building-permit equivalents)"},
}
CONFIDENCE = {
    "low": {"fr": "faible", "en": "low"},
    "medium": {"fr": "moyenne", "en": "medium"},
    "high": {"fr": "élevée", "en": "high"},
}
#: Parameters of ``parameters.csv`` (the ``parameter`` column), as the report names them.
PARAMETERS = {
    "productivity": {"fr": "Productivité d'un agent", "en": "Productivity per FTE"},
    "delegated_price": {"fr": "Prix en délégation", "en": "Delegated price"},
    "specialist_min_fte": {"fr": "Effectif minimal de spécialistes", "en": "Minimum specialist staff"},
    "purchase_eur": {"fr": "Prix d'achat", "en": "Purchase price"},
    "life_years": {"fr": "Durée de vie", "en": "Service life"},
    "running_eur_yr": {"fr": "Coût de fonctionnement", "en": "Running cost"},
    "capacity_days": {"fr": "Jours disponibles par an", "en": "Days available a year"},
    "workload_estimate": {"fr": "Estimation du volume", "en": "Workload estimate"},
    "adjoint_technique": {"fr": "Adjoint technique (coût chargé)", "en": "Adjoint technique (loaded cost)"},
    "agent_de_maitrise": {"fr": "Agent de maîtrise (coût chargé)", "en": "Agent de maîtrise (loaded cost)"},
    "technicien": {"fr": "Technicien (coût chargé)", "en": "Technicien (loaded cost)"},
    "ingenieur": {"fr": "Ingénieur (coût chargé)", "en": "Ingénieur (loaded cost)"},
    "productive_days": {"fr": "Jours productifs par agent", "en": "Productive days per FTE"},
    "hours_per_day": {"fr": "Heures par jour", "en": "Hours per day"},
}
#: Fields of the inventory that may be estimated (the part after the dot in ``estimated``).
FIELDS = {
    "workload": {"fr": "volume", "en": "workload"},
    "mode": {"fr": "mode", "en": "mode"},
    "fte": {"fr": "effectif", "en": "staff"},
    "contract_eur": {"fr": "contrat", "en": "contract"},
    "staff_eur": {"fr": "coût du personnel", "en": "staff cost"},
    "units": {"fr": "nombre", "en": "number"},
    "age": {"fr": "âge", "en": "age"},
}

#: A run's status code (``summary.json``, ``sweep.json``) as the terminal prints it; English keeps the codes.
RUN_STATUS = {
    "optimal": {"fr": "optimal", "en": "optimal"},
    "feasible": {"fr": "réalisable", "en": "feasible"},
    "infeasible": {"fr": "infaisable", "en": "infeasible"},
    "time_limit": {"fr": "sans solution à temps", "en": "time_limit"},
    "error": {"fr": "erreur", "en": "error"},
    "invalid": {"fr": "données invalides", "en": "invalid"},
    "not-run": {"fr": "non lancée", "en": "not-run"},
}


def run_status_name(code) -> str:
    """``feasible`` → *réalisable* (French); the code itself in English (unknown codes as they are)."""
    return _word(RUN_STATUS, code)


# --- sentences --------------------------------------------------------------------------------

MESSAGES: dict[str, dict[str, str]] = {
    # titles and headings
    "report.title": {"fr": "Mutualisation des services techniques — {scenario}", "en": "Pooling of technical services — {scenario}"},
    "report.title_poles": {"fr": "Pôles de proximité — {scenario}", "en": "Proximity poles — {scenario}"},
    "h.summary": {"fr": "En bref", "en": "In short"},
    "h.decision": {"fr": "La décision", "en": "The decision"},
    "h.saving": {"fr": "L'économie, et sa fiabilité", "en": "The saving, and how sure it is"},
    "h.who_pays_more": {"fr": "Qui paie plus, et pourquoi", "en": "Who pays more, and why"},
    "h.map": {"fr": "Carte", "en": "Map"},
    "h.poles": {"fr": "Les pôles", "en": "Poles"},
    "h.services": {"fr": "Services et modes de gestion", "en": "Services and modes"},
    "h.rvd": {"fr": "Régie ou délégation", "en": "Régie or délégation"},
    "h.equipment": {"fr": "Matériel", "en": "Equipment"},
    "h.staff": {"fr": "Personnel", "en": "Staff"},
    "h.shares": {"fr": "Ce que paie chaque membre", "en": "What each member pays"},
    "h.core": {"fr": "Stabilité du partage (test du cœur)", "en": "Stability of the sharing (core check)"},
    "h.forced": {"fr": "Membres obligés qui paient plus", "en": "Forced members paying more"},
    "h.estimates": {"fr": "Estimations et fiabilité des paramètres", "en": "Estimates and parameter confidence"},
    "h.communes": {"fr": "Les communes", "en": "Communes"},
    "h.rules": {"fr": "Les règles de ce scénario", "en": "The rules of this scenario"},
    "h.method": {"fr": "Fiabilité du calcul et reproduction", "en": "How sure, and how to reproduce"},
    "h.data": {"fr": "Données", "en": "Data"},
    "h.why_no_design": {"fr": "Pourquoi il n'y a pas de solution", "en": "Why there is no design"},
    "h.repaired": {"fr": "Géométries réparées", "en": "Repaired geometries"},
    "txt.repaired": {"fr": "Le fichier du territoire contenait des polygones invalides ; l'organisation a été calculée sur leurs "
                           "formes réparées :",
                     "en": "The territory file had invalid polygons; the design was computed on their repaired shapes:"},
    "h.fiches": {"fr": "Fiches par commune", "en": "One page per commune"},
    # status
    "status.label": {"fr": "Statut", "en": "Status"},
    "status.why": {"fr": "Pourquoi :", "en": "Why:"},
    # objective in words
    "objective.cost": {
        "fr": "Parmi toutes les organisations qui respectent ces règles, l'optimiseur retient la moins coûteuse "
              "pour l'ensemble du territoire : coût annuel des six services techniques (personnel, matériel, "
              "contrats, coordination, en € HT), les trajets vers le siège ne servant qu'à départager des "
              "solutions de même coût.",
        "en": "Among all designs that obey these rules, the optimiser picks the one with the least total cost for "
              "the whole territory: the yearly cost of the six technical services (staff, machines, contracts, "
              "coordination, € excl. VAT), trips to the seat only breaking ties between designs of equal cost."},
    "objective.cost_weighted": {
        "fr": "Parmi toutes les organisations qui respectent ces règles, l'optimiseur retient celle dont le coût "
              "annuel des services techniques, augmenté de {weight} € par {unit} de trajet vers le siège, est le plus bas.",
        "en": "Among all designs that obey these rules, the optimiser picks the one whose yearly cost of the "
              "technical services, plus {weight} € per {unit} of travel to the seat, is the lowest."},
    "objective.cost_capped": {
        "fr": "Les trajets cumulés des habitants vers le siège ne dépassent pas {cap} {unit}.",
        "en": "The inhabitants' trips to the seat, added up, do not exceed {cap} {unit}."},
    "objective.travel": {
        "fr": "Parmi toutes les organisations qui respectent ces règles, l'optimiseur retient celle où les trajets "
              "sont les plus courts : le trajet de chaque habitant vers le siège de son pôle, en {metric}, additionné.",
        "en": "Among all designs that obey these rules, the optimiser picks the one with the least total travel: "
              "every inhabitant's trip to the seat of the pole, in {metric}, added up."},
    "objective.short.cost": {"fr": "coût total annuel (€ HT)", "en": "total yearly cost (€ excl. VAT)"},
    "objective.short.travel": {"fr": "trajets cumulés des habitants vers le siège", "en": "population-weighted travel to the seat"},
    "metric.time": {"fr": "minutes", "en": "minutes"},
    "metric.distance": {"fr": "kilomètres", "en": "kilometres"},
    "unit.person_min": {"fr": "habitant-minute", "en": "person-minute"},
    "unit.person_km": {"fr": "habitant-km", "en": "person-km"},
    "unit.person_mins": {"fr": "habitants-minutes", "en": "person-minutes"},
    "unit.person_kms": {"fr": "habitants-km", "en": "person-km"},
    "unit.keur_year": {"fr": "k€ par an", "en": "k€ per year"},
    # rules
    "rules.p_median": {"fr": "p-médian classique : le nombre de sièges choisi, chaque commune rattachée au siège le plus proche, "
                                "sans bornes de taille ni continuité (pour comparer avec d'autres outils).",
                       "en": "Classic p-median: the chosen number of seats, each commune with its nearest seat, "
                             "with no size bounds and no contiguity (for comparison with other tools)."},
    "rules.service_commun": {"fr": "Service commun « {name} » : {members}, siège à {seat} ; {open}",
                             "en": "Service commun “{name}”: {members}, seated at {seat}; {open}"},
    "rules.sc_open": {"fr": "d'autres communes peuvent le rejoindre.", "en": "other communes may join it."},
    "rules.sc_closed": {"fr": "fermé aux autres communes.", "en": "closed to other communes."},
    "rules.count": {"fr": "Nombre de pôles de proximité : {bounds}.", "en": "Number of proximity poles: {bounds}."},
    "rules.count_free": {"fr": "Nombre de pôles de proximité : libre (l'optimiseur choisit).",
                         "en": "Number of proximity poles: free (the optimiser chooses)."},
    "rules.population": {"fr": "Chaque pôle de proximité compte {bounds}.", "en": "Each proximity pole has {bounds}."},
    "rules.size": {"fr": "Chaque pôle de proximité réunit {bounds}.", "en": "Each proximity pole gathers {bounds}."},
    "rules.max_travel": {"fr": "Aucune commune n'est à plus de {minutes} minutes de route du siège de son pôle.",
                         "en": "No commune is more than {minutes} minutes by road from its pole's seat."},
    "rules.no_max_travel": {"fr": "Pas de limite au trajet d'une commune vers le siège de son pôle.",
                            "en": "No limit on the trip from a commune to its pole's seat."},
    "rules.contiguity.exact": {"fr": "Chaque pôle est d'un seul tenant : ses communes se touchent de proche en proche.",
                               "en": "Each pole is in one piece: its communes are linked by shared borders."},
    "rules.contiguity.shortest-path": {"fr": "Chaque pôle est d'un seul tenant, et le plus court chemin de chaque membre vers le siège reste dans le pôle.",
                                       "en": "Each pole is in one piece, and each member's shortest road to the seat runs through the pole."},
    "rules.contiguity.none": {"fr": "Les pôles peuvent être en plusieurs morceaux.", "en": "Poles need not be in one piece."},
    "rules.candidates": {"fr": "Sièges possibles seulement à : {names}.", "en": "Seats may only be in: {names}."},
    "rules.fixed": {"fr": "Doivent être sièges : {names}.", "en": "Must be seats: {names}."},
    "rules.forbidden": {"fr": "Ne peuvent pas être sièges : {names}.", "en": "May not be seats: {names}."},
    "rules.together": {"fr": "Toujours dans le même pôle : {names}.", "en": "Always in the same pole: {names}."},
    "rules.apart": {"fr": "Jamais dans le même pôle : {names}.", "en": "Never in the same pole: {names}."},
    "rules.alone": {"fr": "Peuvent rester hors de tout pôle{limit} : {names}.", "en": "May stay out of every pole{limit}: {names}."},
    "rules.alone_limit": {"fr": " (au plus {n})", "en": " (at most {n} of them)"},
    "rules.network": {"fr": "Les trajets sont mesurés sur le réseau routier fourni avec le scénario.",
                      "en": "Trips are measured on the road network supplied with the scenario."},
    "rules.estimated_roads": {"fr": "Les trajets sont estimés par la distance à vol d'oiseau entre communes × {circuity} "
                                    "(les routes serpentent), à {speed} km/h.",
                              "en": "Trips are estimated from the straight distance between communes × {circuity} "
                                    "(roads wind), at {speed} km/h."},
    "rules.services": {"fr": "Services étudiés : {services} ; partage des coûts selon {key}.",
                       "en": "Services studied: {services}; costs shared by {key}."},
    "bounds.exactly": {"fr": "exactement {lo}{unit}", "en": "exactly {lo}{unit}"},
    "bounds.between": {"fr": "entre {lo} et {hi}{unit}", "en": "between {lo} and {hi}{unit}"},
    "bounds.at_least": {"fr": "au moins {lo}{unit}", "en": "at least {lo}{unit}"},
    "bounds.at_most": {"fr": "au plus {hi}{unit}", "en": "at most {hi}{unit}"},
    "word.inhabitants": {"fr": " habitants", "en": " inhabitants"},
    "word.communes": {"fr": " communes", "en": " communes"},
    "fairness.workload": {"fr": "le volume de travail de chacun", "en": "each member's workload"},
    "fairness.population": {"fr": "la population", "en": "population"},
    "fairness.shapley": {"fr": "la valeur de Shapley (apport moyen de chacun)", "en": "the Shapley value (each member's average contribution)"},
    "fairness.equal": {"fr": "parts égales", "en": "equal parts"},
    # key figures
    "fig.territory": {"fr": "Territoire", "en": "Territory"},
    "fig.territory_value": {"fr": "{name} : {n} communes, {population} habitants", "en": "{name}: {n} communes, {population} inhabitants"},
    "fig.poles": {"fr": "Pôles", "en": "Poles"},
    "fig.mean_trip": {"fr": "Trajet moyen vers le siège", "en": "Average trip to the seat"},
    "fig.mean_trip_value": {"fr": "{minutes} par habitant", "en": "{minutes} per inhabitant"},
    "fig.longest_trip": {"fr": "Trajet le plus long vers le siège", "en": "Longest trip to the seat"},
    "fig.status_quo": {"fr": "Coût actuel (chaque commune seule)", "en": "Cost today (every commune alone)"},
    "fig.total_cost": {"fr": "Coût avec cette organisation", "en": "Cost with this design"},
    "fig.saving": {"fr": "Économie", "en": "Saving"},
    "fig.per_year": {"fr": "{value} par an", "en": "{value} per year"},
    "poles.sc_only": {"fr": " + le service commun", "en": " + the service commun"},
    "poles.prox.one": {"fr": "{n} pôle de proximité", "en": "{n} proximity pole"},
    "poles.prox.many": {"fr": "{n} pôles de proximité", "en": "{n} proximity poles"},
    "poles.alone.one": {"fr": "{n} commune seule", "en": "{n} commune alone"},
    "poles.alone.many": {"fr": "{n} communes seules", "en": "{n} communes alone"},
    # summary page sentences
    "sum.decision_poles": {"fr": "Organiser les {n} communes en {poles}{alone}.", "en": "Group the {n} communes in {poles}{alone}."},
    "sum.decision_services": {"fr": "{pooled} services communaux sont mutualisés dans {pole_services} services de pôle "
                                    "({regie} en régie, {delegation} en délégation) ; {borrowed} gardent leur service mais "
                                    "empruntent le matériel du pôle.",
                              "en": "{pooled} commune services are pooled in {pole_services} pole services ({regie} in régie, "
                                    "{delegation} delegated); {borrowed} keep their service but borrow the pole's machines."},
    "sum.by_service": {"fr": "{service} : {text}", "en": "{service}: {text}"},
    "sum.poolers.one": {"fr": "{n} membre mutualise ({poles})", "en": "{n} member pools ({poles})"},
    "sum.poolers.many": {"fr": "{n} membres mutualisent ({poles})", "en": "{n} members pool ({poles})"},
    "sum.no_poolers": {"fr": "aucun membre ne mutualise", "en": "no member pools"},
    "sum.borrowers.one": {"fr": " ; {n} emprunte le matériel", "en": "; {n} borrows machines"},
    "sum.borrowers.many": {"fr": " ; {n} empruntent le matériel", "en": "; {n} borrow machines"},
    "sum.saving": {"fr": "Économie de **{saving} par an** ({pct}) : de {before} aujourd'hui à {after}.",
                   "en": "Saves **{saving} a year** ({pct}): from {before} today to {after}."},
    "sum.costs_more": {"fr": "Cette organisation coûte **{extra} de plus par an** ({pct}) : de {before} à {after}.",
                       "en": "This design costs **{extra} more a year** ({pct}): from {before} to {after}."},
    "sum.no_costs": {"fr": "Ce scénario ne chiffre pas les services : il dessine les pôles seulement (trajets les plus courts).",
                     "en": "This scenario does not price the services: it draws the poles only (shortest trips)."},
    "sum.sure_optimal": {"fr": "Le calcul est prouvé optimal : aucune organisation respectant les règles ne fait mieux{tolerance}.",
                         "en": "The computation is proven optimal: no design obeying the rules does better{tolerance}."},
    "sum.sure_feasible": {"fr": "Le calcul s'est arrêté avant la preuve : une meilleure organisation pourrait exister, au plus {gap} meilleure.",
                          "en": "The computation stopped before its proof: a better design may exist, at most {gap} better."},
    "sum.estimates": {"fr": "{n} chiffres de l'état actuel sur {total} sont **estimés** à partir de ratios (et non inventoriés) ; "
                            "{low} paramètres de coût sur {params} ont une fiabilité faible. L'économie est un ordre de grandeur "
                            "tant que l'inventaire n'est pas rempli (voir « Estimations »).",
                      "en": "{n} of the {total} figures of today's situation are **estimated** from ratios (not inventoried); "
                            "{low} of the {params} cost parameters have low confidence. The saving is an order of magnitude "
                            "until the inventory is filled in (see “Estimates”)."},
    "sum.no_estimates": {"fr": "Tous les chiffres de l'état actuel viennent de l'inventaire.",
                         "en": "Every figure of today's situation comes from the inventory."},
    "sum.nobody_pays_more": {"fr": "Aucun membre ne paie plus que seul.", "en": "No member pays more than alone."},
    "sum.forced_pay_more": {"fr": "{n} membres obligés de mutualiser (service commun, règles du scénario) paient plus que seuls "
                                  "pour certains services : {who}. Ils y sont par le choix du scénario, non par celui de "
                                  "l'optimiseur (voir « Membres obligés qui paient plus »).",
                            "en": "{n} members forced to pool (service commun, scenario rules) pay more than alone for some "
                                  "services: {who}. They are in by the scenario's choice, not the optimiser's (see "
                                  "“Forced members paying more”)."},
    "sum.voluntary_pay_more": {"fr": "{n} membres volontaires paient plus que seuls : {who}.",
                               "en": "{n} voluntary members pay more than alone: {who}."},
    "sum.core_ok": {"fr": "Aucun groupe de membres n'aurait intérêt à quitter son pôle pour s'organiser seul.",
                    "en": "No group of members would gain by leaving its pole to organise on its own."},
    "sum.core_blocking": {"fr": "{n} groupes de membres paieraient moins en s'organisant seuls (gain maximal {gain} par an) : "
                                "voir « Stabilité du partage ».",
                          "en": "{n} groups of members would pay less on their own (largest gain {gain} a year): see "
                                "“Stability of the sharing”."},
    # tables
    # --- issue 10: where the saving comes from, the status quo check -------------------------
    "h.sources": {"fr": "D'où vient l'économie", "en": "Where the saving comes from"},
    "h.status_quo_check": {"fr": "La situation actuelle est-elle crédible ?", "en": "Is the status quo believable?"},
    "txt.sources_counterfactual": {
        "fr": "Situation actuelle **{before} k€** → chaque membre réorganisé seul (son mode, ses effectifs, sans mutualiser) "
              "**{alone} k€** → ce scénario **{after} k€** : se réorganiser seul économise {saved_alone} k€ par an, mutualiser "
              "{saved_pooling} k€ de plus.",
        "en": "Status quo **{before} k€** → every member reorganised alone (its own mode and staffing, nobody pooling) "
              "**{alone} k€** → this design **{after} k€**: reorganising alone saves {saved_alone} k€ a year, pooling "
              "{saved_pooling} k€ more."},
    "txt.sources_alone_only": {
        "fr": "Situation actuelle **{before} k€** ; chaque membre réorganisé seul (son mode, ses effectifs) coûterait "
              "**{alone} k€**, {saved_alone} k€ de moins par an.",
        "en": "Status quo **{before} k€**; every member reorganised alone (its own mode and staffing) would cost "
              "**{alone} k€**, {saved_alone} k€ a year less."},
    "txt.sources_method": {
        "fr": "Les parts s'additionnent à l'économie (méthode : README, « Savings by source ») ; toutes sont hors taxes sauf "
              "l'effet fiscal (TVA et FCTVA).",
        "en": "The parts add up to the saving (method: README, \"Savings by source\"); every part but the tax basis is HT."},
    "txt.attrition_rule": {
        "fr": "Effectifs : aucun départ n'est remplacé ({rate} % par an) ; les postes se libèrent année après année sur "
              "{years} ans, et les chiffres annuels gardent en moyenne {kept} % des agents actuels d'un service modifié "
              "(staff_trajectory.csv : par année et par membre, agents entiers libérés et temps redéployé).",
        "en": "Staff: nobody who leaves is replaced ({rate} % a year); posts are freed year by year over {years} years, and "
              "the yearly figures keep on average {kept} % of today's agents of a changed service (staff_trajectory.csv: per "
              "year and member, whole agents freed and redeployed time)."},
    "txt.attrition_none": {
        "fr": "Effectifs : les réductions sont faites dès la première année — les agents partent ou leur temps est "
              "redéployé ; staff_trajectory.csv dit ce qui est agents entiers et ce qui est temps redéployé.",
        "en": "Staff: reductions are made in year 1 — agents leave or their time is redeployed to other work; "
              "staff_trajectory.csv says how much is whole agents and how much redeployed time."},
    "txt.status_quo_check": {
        "fr": "Chaque commune et le territoire face aux agrégats sourcés de cost_parameters.yaml (status_quo_check.csv) : "
              "ETP de terrain pour 1 000 habitants et € par habitant par service, là où une source en donne.",
        "en": "Each commune and the whole territory against the sourced aggregates of cost_parameters.yaml "
              "(status_quo_check.csv): field FTE per 1,000 inhabitants and € per inhabitant per service where a source gives one."},
    "txt.status_quo_warnings": {
        "fr": "Saisies d'inventaire très loin des fourchettes sourcées (avertissements, pas des erreurs : vérifier les lignes citées) :",
        "en": "Inventory entries far outside the sourced ranges (warnings, not errors: check the rows named):"},
    "chart.sources_title": {"fr": "{scenario} — d'où vient l'économie (k€ par an)",
                            "en": "{scenario} — where the saving comes from (k€ a year)"},
    "chart.sources_axis": {"fr": "k€ par an (économie > 0, coût < 0)", "en": "k€ a year (saving > 0, cost < 0)"},
    "stage.alone": {"fr": "seul", "en": "alone"},
    "stage.pooling": {"fr": "mutualisation", "en": "pooling"},
    "stage.both": {"fr": "les deux", "en": "both"},
    "stage.total": {"fr": "total", "en": "total"},
    "source.mode changes": {"fr": "changements de mode", "en": "mode changes"},
    "source.staff to the workload norm": {"fr": "effectifs ramenés à la norme", "en": "staff to the workload norm"},
    "source.machines right-sized": {"fr": "matériel redimensionné", "en": "machines right-sized"},
    "source.contracts and supplies": {"fr": "contrats et fournitures", "en": "contracts and supplies"},
    "source.attrition": {"fr": "départs non remplacés", "en": "attrition"},
    "source.joint purchasing": {"fr": "groupement de commandes", "en": "joint purchasing"},
    "source.shared machines": {"fr": "matériel partagé", "en": "shared machines"},
    "source.staff scale": {"fr": "effet d'échelle sur les effectifs", "en": "staff scale"},
    "source.travel and transfers": {"fr": "déplacements et transferts", "en": "travel and transfers"},
    "source.coordination and set-up": {"fr": "coordination et mise en place", "en": "coordination and set-up"},
    "source.régime indemnitaire harmonisation": {"fr": "harmonisation du régime indemnitaire",
                                                 "en": "régime indemnitaire harmonisation"},
    "source.members' changes to join (mode, staffing)": {"fr": "changements des membres pour rejoindre (mode, effectifs)",
                                                         "en": "members' changes to join (mode, staffing)"},
    "source.tax basis": {"fr": "effet fiscal (TVA, FCTVA)", "en": "tax basis"},
    "source.status quo − pooled": {"fr": "situation actuelle − mutualisé", "en": "status quo − pooled"},
    "col.stage": {"fr": "Étape", "en": "Stage"},
    "col.source": {"fr": "Source", "en": "Source"},
    "col.saving_k": {"fr": "Économie", "en": "Saving"},
    "col.share_of_saving": {"fr": "Part de l'économie", "en": "Share of the saving"},
    "col.scope": {"fr": "Périmètre", "en": "Scope"},
    "col.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "col.value": {"fr": "Valeur", "en": "Value"},
    "col.central": {"fr": "Valeur centrale", "en": "Central"},
    "col.range": {"fr": "Fourchette", "en": "Range"},
    "col.status": {"fr": "Statut", "en": "Status"},
    "check.inside": {"fr": "dans la fourchette", "en": "inside"},
    "check.below": {"fr": "en dessous", "en": "below"},
    "check.above": {"fr": "au-dessus", "en": "above"},
    "check.far below": {"fr": "très en dessous", "en": "far below"},
    "check.far above": {"fr": "très au-dessus", "en": "far above"},
    "check.no range": {"fr": "pas de fourchette sourcée", "en": "no sourced range"},
    "check.field_fte": {"fr": "ETP de terrain pour 1 000 habitants", "en": "Field FTE per 1,000 inhabitants"},
    "check.eur_per_hab": {"fr": "€ par habitant — {services}", "en": "€ per inhabitant — {services}"},
    "check.territory": {"fr": "Territoire", "en": "Territory"},
    "check.headline": {
        "fr": "Situation actuelle : {fte} ETP de terrain pour 1 000 habitants (source : {central}, {range} pour un territoire) ; "
              "€ par habitant : {money} (total {total}).",
        "en": "Status quo: {fte} field FTE per 1,000 inhabitants (sourced {central}, {range} for a territory); "
              "€ per inhabitant: {money} (total {total})."},
    "check.warning": {
        "fr": "{name} : {indicator} {value}, {status} de la fourchette sourcée {range} ; vérifier l'inventaire : {rows}",
        "en": "{name}: {indicator} {value}, {status} the sourced range {range}; check the inventory: {rows}"},
    "col.pole": {"fr": "Pôle", "en": "Pole"},
    "col.pole_name": {"fr": "Nom", "en": "Name"},
    "col.kind": {"fr": "Type", "en": "Kind"},
    "col.seat": {"fr": "Siège", "en": "Seat"},
    "col.n_communes": {"fr": "Communes", "en": "Communes"},
    "col.population": {"fr": "Population", "en": "Population"},
    "col.max_trip": {"fr": "Trajet le plus long", "en": "Longest trip"},
    "col.mean_trip": {"fr": "Trajet moyen", "en": "Average trip"},
    "col.members": {"fr": "Membres", "en": "Members"},
    "col.commune": {"fr": "Commune", "en": "Commune"},
    "col.insee": {"fr": "Code INSEE", "en": "INSEE code"},
    "col.trip": {"fr": "Trajet vers le siège", "en": "Trip to the seat"},
    "col.distance": {"fr": "Distance", "en": "Distance"},
    "col.services_pooled": {"fr": "Services mutualisés", "en": "Services pooled"},
    "col.standalone": {"fr": "Coût sans mutualiser", "en": "Cost alone"},
    "col.share": {"fr": "Paie avec le projet", "en": "Pays with the design"},
    "col.saving": {"fr": "Économie", "en": "Saving"},
    "col.saving_pct": {"fr": "Économie (%)", "en": "Saving (%)"},
    "col.service": {"fr": "Service", "en": "Service"},
    "col.mode": {"fr": "Mode de gestion", "en": "Mode"},
    "col.n_poolers": {"fr": "Membres qui mutualisent", "en": "Members pooling"},
    "col.n_borrowers": {"fr": "Membres qui empruntent", "en": "Members borrowing"},
    "col.fte": {"fr": "Effectif (ETP)", "en": "Staff (FTE)"},
    "col.yearly_cost": {"fr": "Coût annuel", "en": "Yearly cost"},
    "col.unit_cost": {"fr": "Coût unitaire", "en": "Unit cost"},
    "col.regie": {"fr": "En régie", "en": "In régie"},
    "col.delegation": {"fr": "En délégation", "en": "Delegated"},
    "col.cheaper": {"fr": "Le moins cher", "en": "Cheaper"},
    "col.chosen": {"fr": "Retenu", "en": "Chosen"},
    "col.equipment": {"fr": "Matériel", "en": "Machine"},
    "col.machine_days": {"fr": "Jours d'utilisation", "en": "Machine-days"},
    "col.units_needed": {"fr": "Nécessaires", "en": "Needed"},
    "col.units_owned": {"fr": "Déjà détenus", "en": "Already owned"},
    "col.reused": {"fr": "Réutilisés", "en": "Reused"},
    "col.bought": {"fr": "À acheter", "en": "To buy"},
    "col.surplus": {"fr": "En surplus", "en": "Surplus"},
    "col.utilisation": {"fr": "Taux d'utilisation", "en": "Utilisation"},
    "col.staff_cost": {"fr": "Coût du personnel", "en": "Staff cost"},
    "col.fte_today": {"fr": "ETP aujourd'hui", "en": "FTE today"},
    "col.fte_design": {"fr": "ETP avec le projet", "en": "FTE with the design"},
    "col.member": {"fr": "Membre", "en": "Member"},
    "col.group": {"fr": "Groupe", "en": "Group"},
    "col.pays_now": {"fr": "Paie ensemble", "en": "Pays together"},
    "col.alone_group": {"fr": "Paierait seul", "en": "Would pay alone"},
    "col.gain": {"fr": "Gain à partir", "en": "Gain by leaving"},
    "col.choice": {"fr": "Choix", "en": "Choice"},
    "col.extra": {"fr": "Surcoût", "en": "Extra cost"},
    "col.estimated": {"fr": "Chiffres estimés", "en": "Estimated figures"},
    "col.n_estimated": {"fr": "Nombre", "en": "Number"},
    "col.parameter": {"fr": "Paramètre", "en": "Parameter"},
    "col.group_param": {"fr": "Domaine", "en": "Area"},
    "col.unit": {"fr": "Unité", "en": "Unit"},
    "col.confidence": {"fr": "Fiabilité", "en": "Confidence"},
    "col.workload": {"fr": "Volume", "en": "Workload"},
    "explain.max_trip": {"fr": "Plus long trajet routier d'un membre vers le siège.", "en": "Longest road time from a member to the seat."},
    "explain.mean_trip": {"fr": "Trajet moyen vers le siège, par habitant.", "en": "Average road time to the seat, per inhabitant."},
    "explain.trip": {"fr": "Temps de route estimé de la commune au siège de son pôle.", "en": "Estimated road time from the commune to its pole's seat."},
    "explain.standalone": {"fr": "Ce que coûteraient à la commune ses services techniques seule, € par an.",
                           "en": "What the commune's technical services would cost it alone, € per year."},
    "explain.share": {"fr": "Ce que la commune paie avec le projet (sa part des services mutualisés et ce qu'elle garde), € par an.",
                      "en": "What the commune pays with the design (its share of pooled services and what it keeps), € per year."},
    "explain.saving": {"fr": "Coût sans mutualiser moins ce qu'elle paie ; négatif : la commune paie plus.",
                       "en": "Cost alone minus what it pays; negative means the commune pays more."},
    "explain.mode": {"fr": "Régie : le personnel et le matériel du pôle ; délégation : un marché passé ensemble (groupement de commandes).",
                     "en": "Régie: the pole's own staff and machines; délégation: contracted out together (groupement de commandes)."},
    "explain.yearly_cost": {"fr": "Personnel, matériel, déplacements, contrats et coordination, € HT par an.",
                            "en": "Staff, machines, travel, contracts and coordination, € excl. VAT per year."},
    "explain.utilisation": {"fr": "Jours d'utilisation / jours disponibles des machines nécessaires.",
                            "en": "Machine-days used / days available on the machines needed."},
    # section texts
    "txt.map_hint": {"fr": "Survolez une commune, touchez-la ou atteignez-la avec la touche Tab pour voir son détail.",
                     "en": "Point at a commune, tap it, or move to it with the Tab key to see its details."},
    "txt.sort_hint": {"fr": "Cliquez sur le titre d'une colonne pour trier.", "en": "Click a column title to sort."},
    "txt.services": {"fr": "Ce que chaque pôle assure, comment, et à quel coût (€ HT par an).",
                     "en": "What each pole runs, how, and at what cost (€ excl. VAT a year)."},
    "txt.rvd": {"fr": "Chaque service mutualisé chiffré des deux façons pour les mêmes membres.",
                "en": "Each pooled service priced both ways for the same members."},
    "txt.equipment": {"fr": "Les machines dont chaque pôle a besoin, celles que ses membres possèdent déjà et celles à acheter.",
                      "en": "The machines each pole needs, those its members already own and those to buy."},
    "txt.no_equipment": {"fr": "Aucun pôle n'a besoin de machines (services délégués ou sans matériel).",
                         "en": "No pole needs machines (services delegated or without machines)."},
    "txt.staff": {"fr": "Les agents (équivalents temps plein) des services, aujourd'hui (chaque commune seule) et avec le projet.",
                  "en": "The services' staff (full-time equivalents), today (every commune alone) and with the design."},
    "txt.staff_total": {"fr": "En tout : {before} ETP aujourd'hui, {after} ETP avec le projet.",
                        "en": "In all: {before} FTE today, {after} FTE with the design."},
    "txt.shares": {"fr": "Pour chaque membre, EPCI compris : ce que coûtent ses services seul, ce qu'il paie avec le projet, et l'écart "
                         "(€ HT par an). Partage selon {key}.",
                   "en": "For each member, the EPCI included: what its services cost alone, what it pays with the design, and the "
                         "difference (€ excl. VAT a year). Shared by {key}."},
    "txt.epci_row": {"fr": "La ligne « {name} » est la part de l'intercommunalité elle-même.",
                     "en": "The row “{name}” is the share of the intercommunalité itself."},
    "txt.core_ok": {"fr": "Le partage est stable : aucun groupe de membres d'un pôle ne paierait moins en s'organisant seul.",
                    "en": "The sharing is stable: no group of a pole's members would pay less on its own."},
    "txt.core_blocking": {"fr": "Ces groupes paieraient moins en s'organisant seuls pour ce service (les dix plus grands gains ; tous dans core.csv).",
                          "en": "These groups would pay less organising this service on their own (the ten largest gains; all in core.csv)."},
    "txt.core_incomplete": {"fr": "Le test n'a pas pu examiner tous les groupes (pôles trop grands) : il est partiel.",
                            "en": "The check could not examine every group (poles too large): it is partial."},
    "txt.forced_none": {"fr": "Aucun membre obligé ne paie plus que seul.", "en": "No forced member pays more than alone."},
    "txt.forced": {"fr": "Ces membres sont dans le pôle par le choix du scénario (service commun, mutualisation imposée) et paient plus "
                         "que s'ils restaient seuls pour ce service. Un membre volontaire ne paie jamais plus : c'est une règle du calcul.",
                   "en": "These members are in the pole by the scenario's choice (service commun, forced pooling) and pay more than "
                         "they would alone for this service. A voluntary member never pays more: the computation forbids it."},
    "txt.estimates": {"fr": "Les chiffres de l'état actuel qui n'ont pas été inventoriés sont estimés à partir de ratios sourcés (population, "
                            "surface). Remplissez l'inventaire (« optimiser template inventory ») pour les remplacer.",
                      "en": "Figures of today's situation that were not inventoried are estimated from sourced ratios (population, area). "
                            "Fill in the inventory (“optimiser template inventory”) to replace them."},
    "txt.params": {"fr": "Paramètres de coût à fiabilité faible (tous dans parameters.csv, avec leur source) :",
                   "en": "Cost parameters of low confidence (all in parameters.csv, with their source):"},
    "txt.params_count": {"fr": "Fiabilité des {n} paramètres : {counts}.", "en": "Confidence of the {n} parameters: {counts}."},
    "txt.reproduce": {"fr": "Tout ce qui a servi au calcul est dans le dossier du résultat : scenario.resolved.yaml (chaque réglage, "
                            "valeurs par défaut comprises) et inputs/ (le territoire ; son empreinte SHA-256 est dans summary.json). "
                            "Pour recalculer et vérifier :",
                      "en": "Everything this result was computed from is in its folder: scenario.resolved.yaml (every setting, "
                            "defaults included) and inputs/ (the territory file; its SHA-256 is in summary.json). To recompute and check it:"},
    "txt.fiches": {"fr": "Une page imprimable par commune, pour son maire : dossier fiches/ (fiches/CODE_INSEE.html).",
                   "en": "One printable page per commune, for its mayor: folder fiches/ (fiches/INSEE_CODE.html)."},
    "txt.made_with": {"fr": "Réalisé avec optimiser {version}.", "en": "Made with optimiser {version}."},
    "txt.no_design_map": {"fr": "Pas de solution : la carte montre le territoire seul.", "en": "No design: the map shows the territory only."},
    "txt.map_of": {"fr": "Carte des pôles de {name}", "en": "Map of the poles of {name}"},
    "txt.savings_map": {"fr": "Économie par commune", "en": "Saving per commune"},
    # solver details
    "solver.details": {"fr": "Détails du calcul", "en": "Solver details"},
    "solver.objective": {"fr": "Objectif ({what})", "en": "Objective ({what})"},
    "solver.bound": {"fr": "Meilleure borne", "en": "Best bound"},
    "solver.gap": {"fr": "Écart à l'optimum", "en": "Gap"},
    "solver.solver": {"fr": "Solveur", "en": "Solver"},
    "solver.solver_value": {"fr": "{solver} — {threads} fil(s), limite {limit} s", "en": "{solver} — {threads} thread(s), time limit {limit} s"},
    "solver.formulation": {"fr": "Formulation", "en": "Formulation"},
    "solver.time": {"fr": "Durée", "en": "Time"},
    "solver.size": {"fr": "Taille du modèle", "en": "Model size"},
    "solver.size_value": {"fr": "{v} variables, {c} contraintes", "en": "{v} variables, {c} constraints"},
    "solver.computed": {"fr": "Calculé le", "en": "Computed"},
    "solver.software": {"fr": "Logiciels", "en": "Software"},
    "solver.overrides": {"fr": "Réglages modifiés", "en": "Overrides"},
    # tooltip / legend
    "tip.pole_none": {"fr": "aucun : reste seule", "en": "none: stays alone"},
    "tip.on_its_own": {"fr": "aucun : reste seule, sans voisin qui la rejoigne", "en": "none: stays on its own, no neighbour joins it"},
    "tip.is_seat": {"fr": "cette commune est le siège", "en": "this commune is the seat"},
    "legend.alone": {"fr": "seules ({n})", "en": "alone ({n})"},
    "legend.seat": {"fr": "siège du pôle", "en": "seat of the pole"},
    "legend.pole": {"fr": "{n} communes, {population} habitants", "en": "{n} communes, {population} inhabitants"},
    "aria.pole": {"fr": ", pôle {pole}", "en": ", pole {pole}"},
    "aria.seat": {"fr": ", siège de son pôle", "en": ", seat of its pole"},
    "word.alone": {"fr": "seule", "en": "alone"},
    "word.staff": {"fr": "Personnel", "en": "Staff"},
    "word.yes": {"fr": "oui", "en": "yes"},
    "word.no": {"fr": "non", "en": "no"},
    "word.forced": {"fr": "obligé", "en": "forced"},
    "word.voluntary": {"fr": "volontaire", "en": "voluntary"},
    "estimated.none": {"fr": "aucun", "en": "none"},
    # maps (matplotlib)
    "map.title": {"fr": "{scenario} — {territory} : {n} pôles ({status})", "en": "{scenario} — {territory}: {n} poles ({status})"},
    "map.savings_title": {"fr": "{scenario} — économie par commune par rapport à la situation actuelle",
                          "en": "{scenario} — saving per commune against the status quo"},
    "map.legend_pole": {"fr": "{pole} {name} : {n} communes, {population} hab.", "en": "{pole} {name}: {n} communes, {population} inh."},
    "map.legend_alone": {"fr": "seules ({n})", "en": "alone ({n})"},
    "map.legend_title": {"fr": "★ siège du pôle", "en": "★ seat of the pole"},
    "map.savings_bar": {"fr": "économie par rapport à la situation actuelle, en % du coût de la commune seule (€/an HT)",
                        "en": "saving against the status quo, % of the commune's standalone cost (€/yr, excl. VAT)"},
    "map.key_title": {"fr": "Communes numérotées", "en": "Numbered communes"},
    "map.attribution": {"fr": "Contours : IGN Admin Express COG 2018 via france-geojson ; communes : Etalab/INSEE (Licence Ouverte)",
                        "en": "Contours: IGN Admin Express COG 2018 via france-geojson; communes: Etalab/INSEE (Licence Ouverte)"},
    # CLI summary
    "cli.head": {"fr": "{scenario} — {territory} : {n} communes, {population} habitants",
                 "en": "{scenario} — {territory}: {n} communes, {population} inhabitants"},
    "cli.status": {"fr": "statut {status}   objectif {objective}   écart {gap}", "en": "status {status}   objective {objective}   gap {gap}"},
    "cli.saves": {"fr": "économise {saving} k€ par an ({pct}) par rapport à la situation actuelle ({before} → {after} k€)",
                  "en": "saves {saving} k€ a year ({pct}) against the status quo ({before} → {after} k€)"},
    "cli.costs_more": {"fr": "coûte {saving} k€ de plus par an ({pct}) que la situation actuelle ({before} → {after} k€)",
                       "en": "costs {saving} k€ more a year ({pct}) than the status quo ({before} → {after} k€)"},
    "cli.pooled": {"fr": "{pooled} services communaux mutualisés, {borrowed} empruntant du matériel ; services payant plus que seuls : {more}",
                   "en": "{pooled} commune services pooled, {borrowed} borrowing machines; commune services paying more than alone: {more}"},
    "cli.counterfactual": {"fr": "situation actuelle {before} → chacun réorganisé seul {alone} → mutualisé {after} k€/an : se réorganiser "
                                 "seul économise {saved_alone} k€, mutualiser {saved_pooling} k€ de plus (par source : savings_by_source.csv)",
                           "en": "status quo {before} → reorganised alone {alone} → pooled {after} k€/yr: reorganising alone saves "
                                 "{saved_alone} k€, pooling {saved_pooling} k€ more (by source: savings_by_source.csv)"},
    "cli.alone_only": {"fr": "chacun réorganisé seul (son mode, ses effectifs), le territoire coûterait {alone} k€/an, {saved_alone} k€ de moins",
                       "en": "reorganised alone (each member its own mode and staffing) it would cost {alone} k€/yr, {saved_alone} k€ less"},
    "cli.voluntary": {"fr": "{n} volontaires", "en": "{n} voluntary"},
    "cli.forced": {"fr": "{n} obligés", "en": "{n} forced in"},
    "cli.table_head": {"fr": "pôle", "en": "pole"},
    "cli.seat": {"fr": "siège", "en": "seat"},
    "cli.communes": {"fr": "communes", "en": "communes"},
    "cli.population": {"fr": "population", "en": "population"},
    "cli.longest": {"fr": "trajet max", "en": "longest trip"},
    "cli.warning": {"fr": "attention :", "en": "warning:"},
    "cli.alone": {"fr": "{n} communes restent seules", "en": "{n} communes stay alone"},
    "cli.results": {"fr": "Résultats : {folder}  ({files}, …)", "en": "Results: {folder}  ({files}, …)"},
    "cli.no_folder": {"fr": "aucun dossier de résultat écrit ({status})", "en": "no result folder written ({status})"},
    # sweep and compare, on the terminal
    "sweep.resuming.one": {"fr": "reprise : {n} variante sur {total} déjà résolue avec exactement ces données, passée",
                           "en": "resuming: {n} of {total} variants already solved with these exact inputs, skipped"},
    "sweep.resuming.many": {"fr": "reprise : {n} variantes sur {total} déjà résolues avec exactement ces données, passées",
                            "en": "resuming: {n} of {total} variants already solved with these exact inputs, skipped"},
    "sweep.done.one": {"fr": "{n} variante en {wall} s ({backend}, {jobs} tâche(s)) : {solved} résolue(s) ({skipped} déjà faite(s)), "
                             "{failed} sans solution",
                       "en": "{n} variants in {wall} s ({backend}, {jobs} job(s)): {solved} solved ({skipped} already done), "
                             "{failed} without a design"},
    "sweep.done.many": {"fr": "{n} variantes en {wall} s ({backend}, {jobs} tâche(s)) : {solved} résolue(s) ({skipped} déjà faite(s)), "
                              "{failed} sans solution",
                        "en": "{n} variants in {wall} s ({backend}, {jobs} job(s)): {solved} solved ({skipped} already done), "
                              "{failed} without a design"},
    "sweep.not_run": {"fr": ", {n} non lancées", "en": ", {n} not run"},
    "sweep.shared": {"fr": "données partagées (territoire, graphe routier, matrice des temps) : calculées pour {n} configuration(s) "
                           "en {s} s, réutilisées {reuses} fois",
                     "en": "shared inputs (territory, road graph, travel matrix): computed for {n} configuration(s) in {s} s, "
                           "reused {reuses} times"},
    "sweep.index": {"fr": "index : {index}   comparer : optimiser compare {folder}",
                    "en": "index: {index}   compare: optimiser compare {folder}"},
    "sweep.interrupted": {"fr": "interrompu : relancez la même commande pour reprendre (les variantes terminées sont gardées)",
                          "en": "interrupted: run the same command again to resume (finished variants are kept)"},
    "sweep.failures": {"fr": "{n} variante(s) sans solution :", "en": "{n} variant(s) without a design:"},
    "sweep.gap": {"fr": "écart {gap}", "en": "gap {gap}"},
    "compare.done.one": {"fr": "{n} variante comparée ; fichiers dans {folder} : {files}",
                         "en": "{n} variants compared; files in {folder}: {files}"},
    "compare.done.many": {"fr": "{n} variantes comparées ; fichiers dans {folder} : {files}",
                          "en": "{n} variants compared; files in {folder}: {files}"},
    "cmpcol.savings": {"fr": "Économie", "en": "Saving"},
    "cmpcol.max_travel_min": {"fr": "Trajet max (min)", "en": "Longest trip (min)"},
    "cmpcol.on_pareto_front": {"fr": "Front de Pareto", "en": "Pareto front"},
    # comparison
    "cmp.title": {"fr": "Comparaison des variantes", "en": "Comparison of variants"},
    "cmp.variants": {"fr": "Variantes", "en": "Variants"},
    "cmp.tradeoffs": {"fr": "Arbitrages", "en": "Trade-offs"},
    "cmp.n_variants.one": {"fr": "{n} variante", "en": "{n} variant"},
    "cmp.n_variants.many": {"fr": "{n} variantes", "en": "{n} variants"},
    "cmp.explain": {"fr": "Seules les lignes <b>optimales</b> sont prouvées les meilleures sous leurs règles ; une ligne <b>réalisable</b> "
                          "peut être améliorée au plus de son écart. Les lignes sans solution n'ont pas de chiffres.",
                    "en": "Only <b>optimal</b> rows are proven to be the best design under their rules; a <b>feasible</b> row "
                          "may be improved by up to its gap. Rows without a design (infeasible, no design in time) have no figures."},
    "cmp.footer": {"fr": "Réalisé avec optimiser. Le dossier de chaque variante contient son report.html, son scénario complet "
                         "et l'attribution des données.",
                   "en": "Made with optimiser. Each variant's folder holds its own report.html, its resolved scenario and the "
                         "data attribution."},
    "cmp.tradeoff_plot": {"fr": "Coût selon le paramètre étudié", "en": "Cost against the swept parameter"},
    "cmp.pareto_plot": {"fr": "Front de Pareto", "en": "Pareto front"},
    "cmp.savings_plot": {"fr": "Économie par commune", "en": "Saving per commune"},
    "plot.total_cost": {"fr": "coût total (€ par an)", "en": "total cost (€ per year)"},
    "plot.objective": {"fr": "objectif", "en": "objective"},
    "plot.longest_trip": {"fr": "trajet le plus long vers le siège (minutes)", "en": "longest trip to the seat (minutes)"},
    "plot.against": {"fr": "{y} selon {x} — {n} variantes", "en": "{y} against {x} — {n} variants"},
    "plot.dominated": {"fr": "dominées", "en": "dominated"},
    "plot.front": {"fr": "front de Pareto ({n})", "en": "Pareto front ({n})"},
    "plot.pareto_title": {"fr": "Front de Pareto : {y} selon le trajet le plus long", "en": "Pareto front: {y} against the longest trip"},
    "plot.pareto_group": {"fr": "situation actuelle {k}", "en": "status quo {k}"},
    "plot.savings_title": {"fr": "Économie par commune selon la variante", "en": "Saving per commune across variants"},
    "plot.savings_bar": {"fr": "économie (€ par an ; cases en k€)", "en": "saving (€ per year; cells in k€)"},
    "plot.variant": {"fr": "variante", "en": "variant"},
    # comparison columns
    "cmpcol.variant": {"fr": "Variante", "en": "Variant"},
    "cmpcol.status": {"fr": "Statut", "en": "Status"},
    "cmpcol.gap": {"fr": "Écart", "en": "Gap"},
    "cmpcol.objective": {"fr": "Objectif", "en": "Objective"},
    "cmpcol.n_poles": {"fr": "Pôles", "en": "Poles"},
    "cmpcol.n_alone": {"fr": "Seules", "en": "Alone"},
    "cmpcol.total_cost": {"fr": "Coût total", "en": "Total cost"},
    "cmpcol.services_pooled": {"fr": "Services mutualisés", "en": "Services pooled"},
    "cmpcol.runtime_s": {"fr": "Durée du calcul", "en": "Solve time"},
    "cmpexp.variant": {"fr": "L'identifiant de la variante (stable d'un calcul à l'autre).", "en": "The variant's id (stable across runs)."},
    "cmpexp.status": {"fr": "Optimal : prouvé le meilleur. Réalisable : respecte toutes les règles, au plus à l'écart indiqué du meilleur. "
                            "Infaisable : les règles ne peuvent pas toutes être tenues.",
                      "en": "Optimal: proven best. Feasible: obeys every rule, at most the gap from the best. "
                            "Infeasible: the rules cannot all hold."},
    "cmpexp.gap": {"fr": "Distance maximale au meilleur possible (0 % = prouvé le meilleur).",
                   "en": "How far the design may be from the best possible (0 % = proven best)."},
    "cmpexp.objective": {"fr": "Ce que l'optimiseur a minimisé (trajets cumulés, ou coût total quand les coûts sont modélisés).",
                         "en": "What the optimiser minimised (total travel, or total cost when costs are modelled)."},
    "cmpexp.n_poles": {"fr": "Nombre de pôles, service commun compris.", "en": "Number of poles, the service commun included."},
    "cmpexp.n_alone": {"fr": "Communes hors de tout pôle.", "en": "Communes that stay out of every pole."},
    "cmpexp.total_cost": {"fr": "Coût de l'organisation, € par an.", "en": "Cost of the design, € per year."},
    "cmpexp.savings": {"fr": "Par rapport à chaque commune seule, € par an.", "en": "Against every commune alone, € per year."},
    "cmpexp.services_pooled": {"fr": "Services mutualisés dans au moins un pôle.", "en": "Services pooled in at least one pole."},
    # fiche
    "fiche.title": {"fr": "{name} — fiche de la commune", "en": "{name} — commune summary"},
    "fiche.lead": {"fr": "{scenario} · {territory} · INSEE {code} · {population} habitants",
                   "en": "{scenario} · {territory} · INSEE {code} · {population} inhabitants"},
    "fiche.pole": {"fr": "Pôle", "en": "Pole"},
    "fiche.pole_value": {"fr": "{pole} — {name} ({kind}), siège à {seat}, {n} communes.", "en": "{pole} — {name} ({kind}), seat {seat}, {n} communes."},
    "fiche.is_seat": {"fr": "La commune est le siège du pôle.", "en": "The commune is the seat of the pole."},
    "fiche.trip": {"fr": "Trajet vers le siège : {minutes} ({km}).", "en": "Trip to the seat: {minutes} ({km})."},
    "fiche.alone": {"fr": "La commune reste hors de tout pôle.", "en": "The commune stays out of every pole."},
    "fiche.on_its_own": {"fr": "La commune reste seule : aucune autre commune ne la rejoint, elle ne partage ses services avec personne.",
                         "en": "The commune stays on its own: no other commune joins it, it shares its services with no one."},
    "fiche.h_services": {"fr": "Ce qu'elle mutualise, garde et emprunte", "en": "What it pools, keeps and borrows"},
    "fiche.h_money": {"fr": "Ce qu'elle paie et économise", "en": "What it pays and saves"},
    "fiche.h_sure": {"fr": "Fiabilité", "en": "How sure"},
    "fiche.h_staff": {"fr": "Personnel et matériel du pôle", "en": "Staff and machines of the pole"},
    "fiche.pays": {"fr": "Seule, ses services techniques coûtent {alone} par an ; avec le projet elle paie {pays}.",
                   "en": "Alone, its technical services cost {alone} a year; with the design it pays {pays}."},
    "fiche.saves": {"fr": "Économie : **{saving} par an** ({pct}).", "en": "Saving: **{saving} a year** ({pct})."},
    "fiche.pays_more": {"fr": "Elle paie **{extra} de plus par an** ({pct}){why}.", "en": "It pays **{extra} more a year** ({pct}){why}."},
    "fiche.forced": {"fr": ", parce que le scénario l'oblige à mutualiser {services}",
                     "en": ", because the scenario makes it pool {services}"},
    "fiche.estimated": {"fr": "Chiffres estimés (non inventoriés) : {fields}.", "en": "Estimated figures (not inventoried): {fields}."},
    "fiche.no_costs": {"fr": "Ce scénario ne chiffre pas les services.", "en": "This scenario does not price the services."},
    "fiche.staff_row": {"fr": "{service} : {fte} ETP au pôle ({mode}){machines}", "en": "{service}: {fte} FTE in the pole ({mode}){machines}"},
    "fiche.machines": {"fr": " ; matériel : {list}", "en": "; machines: {list}"},
    "fiche.nothing_pooled": {"fr": "La commune ne mutualise aucun service : elle garde tout.",
                             "en": "The commune pools no service: it keeps everything."},
    "fiche.back": {"fr": "Le rapport complet (report.html) donne le détail de tous les pôles et de toutes les communes.",
                   "en": "The full report (report.html) gives the details of every pole and commune."},
    "fiche.members": {"fr": "Membres du pôle : {names}.", "en": "Members of the pole: {names}."},
    "fiche.sure_params": {"fr": "Les coûts reposent sur {n} paramètres sourcés, dont {low} de fiabilité faible (liste dans parameters.csv).",
                          "en": "Costs rest on {n} sourced parameters, {low} of them of low confidence (listed in parameters.csv)."},
    "fiche.no_estimates": {"fr": "Tous ses chiffres viennent de l'inventaire.", "en": "All its figures come from the inventory."},
    "fiche.total": {"fr": "Total", "en": "Total"},
    "fiche.pole_fte": {"fr": "Effectif du pôle", "en": "Pole staff"},
    "fiche.machines_col": {"fr": "Matériel du pôle", "en": "Pole machines"},
    "fiche.machine_item": {"fr": "{n} × {name} ({bought} à acheter)", "en": "{n} × {name} ({bought} to buy)"},
    "fiche.how": {"fr": "Comment", "en": "How"},
    "fiche.index_title": {"fr": "Fiches des communes — {scenario}", "en": "Commune summaries — {scenario}"},
    # --- institutional options (flows.csv) ---
    "h.flows": {"fr": "Qui paie qui : conventions, attribution de compensation, transfert",
                "en": "Who pays whom: conventions, attribution de compensation, transfer"},
    "col.flows_today": {"fr": "Aujourd'hui", "en": "Today"},
    "col.flows_own": {"fr": "Dépensé en propre", "en": "Spent itself"},
    "col.flows_pole": {"fr": "Versé au pôle", "en": "Paid to the pole"},
    "col.flows_epci": {"fr": "Versé à l'EPCI (convention)", "en": "Paid to the EPCI (convention)"},
    "col.flows_ac_before": {"fr": "AC avant", "en": "AC before"},
    "col.flows_ac_after": {"fr": "AC après", "en": "AC after"},
    "col.flows_net": {"fr": "Coût net", "en": "Net cost"},
    "financing.convention": {"fr": "par convention (chaque membre verse sa part à l'EPCI)",
                             "en": "by convention (each member pays the EPCI its share)"},
    "financing.attribution_compensation": {"fr": "par imputation sur l'attribution de compensation (AC) des communes qui l'acceptent",
                                           "en": "by imputation on the attribution de compensation (AC) of the communes that agree"},
    "txt.flows": {"fr": "Pour chaque commune, en € par an : ce qu'elle dépense elle-même, ce qu'elle verse à son pôle (convention entre "
                        "communes) et à l'EPCI, son attribution de compensation avant et après, et son coût net (AC perdue comprise). "
                        "Le service commun est financé {financing}. Détail : flows.csv.",
                  "en": "For each commune, in € a year: what it spends itself, pays its pole (convention between communes) and the "
                        "EPCI, its attribution de compensation before and after, and its net cost (AC lost included). The service "
                        "commun is financed {financing}. Detail: flows.csv."},
    "txt.flows_epci": {"fr": "{name} porte le service commun ({sc}), les services transférés ({transferred}) et l'harmonisation du "
                             "régime indemnitaire des agents transférés ({ri}) ; il reçoit {receives} (conventions, imputations, charges "
                             "transférées) ; coût net {net}.",
                       "en": "{name} bears the service commun ({sc}), the transferred services ({transferred}) and the régime "
                             "indemnitaire harmonisation of the agents transferred ({ri}); it receives {receives} (conventions, "
                             "imputations, transferred charges); net cost {net}."},
    "txt.flows_cif": {"fr": "Les AC baissent de {cut} : le coefficient d'intégration fiscale passe de {before} à {after} et la dotation "
                            "d'intercommunalité gagnerait au plus {gain} par an à partir de {year} (formule au premier ordre : un "
                            "majorant, l'enveloppe nationale étant fixe ; hors coût net).",
                      "en": "The ACs fall by {cut}: the coefficient d'intégration fiscale goes from {before} to {after} and the dotation "
                            "d'intercommunalité would gain at most {gain} a year from {year} (first-order formula: an upper bound, the "
                            "national envelope being fixed; left out of the net costs)."},
    "txt.flows_ac_negative": {"fr": "AC négative après les options ({names}) : la commune verse chaque année la différence à l'EPCI "
                                    "(cas d'un tiers des communes environ ; légal).",
                              "en": "AC negative after the options ({names}): the commune pays the EPCI the difference each year "
                                    "(about a third of communes do; lawful)."},
    "txt.flows_fiscal_estimated": {"fr": "Données fiscales estimées, à remplacer par celles de l'EPCI (institutions.epci) : {figures}.",
                                   "en": "Estimated fiscal data, to replace with the EPCI's (institutions.epci): {figures}."},
    "fiscal.cif": {"fr": "CIF", "en": "CIF"},
    "fiscal.territory_tax_eur": {"fr": "recettes fiscales du territoire", "en": "the territory's tax revenue"},
    "fiscal.dotation_eur": {"fr": "dotation d'intercommunalité", "en": "dotation d'intercommunalité"},
    "txt.flows_n_plus_2": {"fr": "la deuxième année", "en": "the second year"},
    "txt.flows_no_cif": {"fr": "Aucune AC ne change : le CIF et la dotation d'intercommunalité restent les mêmes.",
                         "en": "No AC changes: the CIF and the dotation d'intercommunalité stay the same."},
    "txt.flows_ac_estimated": {"fr": "Les AC avant sont des estimations (120 €/hab.) : donnez les vraies (institutions.attribution_compensation). "
                                     "Elles ne changent aucun coût net.",
                               "en": "The ACs before are estimates (120 €/inh.): give the real ones (institutions.attribution_compensation). "
                                     "They change no net cost."},
    "stability.pooling_title": {"fr": "Part des mondes où chaque commune mutualise chaque service ({n} mondes résolus)",
                                "en": "Share of worlds in which each commune pools each service ({n} worlds solved)"},
    "stability.pairs_title": {"fr": "Part des mondes où deux communes partagent un pôle",
                              "en": "Share of worlds in which two communes share a pole"},
    "stability.share": {"fr": "part des mondes", "en": "share of worlds"},
    "stability.none": {"fr": "Aucun monde n'a de solution : pas de fréquence à montrer",
                       "en": "No world has a design: no frequency to show"},
}

# --- the roadmap over years (optimiser/roadmap/, its report section in results/roadmap_section.py)
MESSAGES.update({
    "h.roadmap": {"fr": "Feuille de route pluriannuelle", "en": "Roadmap over the years"},
    "roadmap.gantt_title": {"fr": "Phasage — {scenario}", "en": "Phasing — {scenario}"},
    "roadmap.trajectory_title": {"fr": "Coût annuel et économie cumulée — {scenario}",
                                 "en": "Yearly cost and cumulative saving — {scenario}"},
    "roadmap.year": {"fr": "Année", "en": "Year"},
    "roadmap.transfer": {"fr": "Transfert de la voirie ({year})", "en": "Voirie transferred ({year})"},
    "roadmap.keur": {"fr": "k€ par an", "en": "k€ a year"},
    "roadmap.cumulative_keur": {"fr": "Économie cumulée (k€)", "en": "Cumulative saving (k€)"},
    "roadmap.status_quo": {"fr": "Statu quo", "en": "Status quo"},
    "roadmap.plan": {"fr": "Feuille de route", "en": "Roadmap"},
    "roadmap.cumulative": {"fr": "Économie cumulée", "en": "Cumulative saving"},
    "roadmap.break_even": {"fr": "Retour à l'équilibre : {year}", "en": "Break-even: {year}"},
    "roadmap.never": {"fr": "pas dans l'horizon", "en": "not within the horizon"},
    "roadmap.kind.service_commun": {"fr": "Service commun", "en": "Service commun"},
    "roadmap.kind.pilot": {"fr": "Pôle pilote", "en": "Pilot pole"},
    "roadmap.kind.pole": {"fr": "Pôle de proximité", "en": "Proximity pole"},
    "roadmap.kind.alone": {"fr": "Commune seule", "en": "Commune alone"},
    "roadmap.lead": {"fr": "De {start} à {end} ({n} ans, actualisation {rate}) : coût actualisé {npc} contre {npc_sq} au statu quo, "
                             "soit {saving} d'économie actualisée ; retour à l'équilibre : {break_even}. {started} phases sur {phases} "
                             "engagées.",
                     "en": "From {start} to {end} ({n} years, discounted at {rate}): net present cost {npc} against {npc_sq} for "
                           "the status quo, a discounted saving of {saving}; break-even: {break_even}. {started} of {phases} "
                           "phases started."},
    "roadmap.method": {"fr": "Méthode : le dispositif cible est celui de l'année type (solveur, écart {ss_gap}) ; seul le calendrier "
                               "est optimisé ({status}, écart {gap}, {time} s). La borne vaut pour ce dispositif fixé.",
                       "en": "Method: the target design is the single-year one (solver gap {ss_gap}); only the timing is "
                             "optimised ({status}, gap {gap}, {time} s). The bound holds for that fixed design."},
    "roadmap.col.year": {"fr": "Année", "en": "Year"},
    "roadmap.col.member": {"fr": "Membre", "en": "Member"},
    "roadmap.by_commune": {"fr": "Ce que chaque membre supporte chaque année, flux compris (services gardés, versements au pôle et "
                                 "à l'EPCI, attribution de compensation, frais ponctuels) : détail dans flows_by_year.csv.",
                           "en": "What each member bears each year, flows included (services kept, payments to its pole and the "
                                 "EPCI, attribution de compensation, one-offs): detail in flows_by_year.csv."},
    "roadmap.starts": {"fr": "{year} : {n} phase(s) engagée(s)", "en": "{year}: {n} phase(s) started"},
    "roadmap.col.status_quo": {"fr": "Statu quo", "en": "Status quo"},
    "roadmap.col.plan": {"fr": "Feuille de route", "en": "Roadmap"},
    "roadmap.col.saving": {"fr": "Économie", "en": "Saving"},
    "roadmap.col.cumulative": {"fr": "Économie cumulée", "en": "Cumulative saving"},
    "roadmap.col.phase": {"fr": "Phase", "en": "Phase"},
    "roadmap.col.start": {"fr": "Début", "en": "Start"},
    "roadmap.col.users": {"fr": "Communes", "en": "Communes"},
    "roadmap.files": {"fr": "Fichiers : roadmap.csv (année × commune × service), phases.csv, trajectory.csv, flows_by_year.csv, "
                              "gantt.png, trajectory.png.",
                      "en": "Files: roadmap.csv (year × commune × service), phases.csv, trajectory.csv, flows_by_year.csv, gantt.png, "
                            "trajectory.png."},
})
