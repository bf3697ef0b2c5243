"""A solver status in words: one table for ``report.md``, ``report.html``, the notebook view and
the comparison page, so what they say about a status cannot drift apart.

Each status has three wordings, for three places: ``short`` (a few words: the heading of
``report.html``'s status box, the comparison table), ``long`` (one or two sentences an elected
official can read: ``report.html``, the notebook view) and ``markdown`` (the status line of
``report.md``). Placeholders: ``{gap}`` the relative gap as the medium prints it, ``{tolerance}``
the solver's gap tolerance when it matters (``long``), ``{gap_tol}`` the tolerance as a number
(``markdown``).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusWords:
    short: str
    long: str
    markdown: str


STATUS_WORDS: dict[str, StatusWords] = {
    "optimal": StatusWords(
        "optimal",
        "This is the best possible design under the rules below, and the solver proved it{tolerance}.",
        "**optimal** — proven best design under the rules (within the relative gap {gap_tol:g})"),
    "feasible": StatusWords(
        "feasible, at most {gap} from the best",
        "The solver stopped at its time limit. The design obeys every rule, but a better one may exist; "
        "it cannot be more than {gap} better.",
        "**feasible, not proven optimal** — the solver stopped on its time limit; the design obeys every rule "
        "and is at most {gap} worse than the best possible"),
    "infeasible": StatusWords(
        "infeasible",
        "No design can obey all the rules below at once.",
        "**infeasible** — no design can obey all the rules"),
    "time_limit": StatusWords(
        "no design found in time",
        "The solver reached its time limit before finding any design that obeys the rules.",
        "**no design found** within the time limit"),
    "error": StatusWords(
        "solver error",
        "The solver failed; no design is shown.",
        "**error** — the solver failed"),
}

#: A feasible design whose gap the solver did not report: say so rather than print a missing gap.
FEASIBLE_GAP_UNKNOWN = StatusWords(
    "feasible, not proven optimal",
    "The solver stopped at its time limit. The design obeys every rule, but a better one may exist "
    "and the solver could not say by how much.",
    "**feasible, not proven optimal** — the solver stopped on its time limit; the design obeys every rule, "
    "but a better one may exist and the solver could not say by how much")


def gap_known(gap) -> bool:
    """The gap is a number (not ``None``, NaN or a bool)."""
    return isinstance(gap, numbers.Real) and not isinstance(gap, bool) and not math.isnan(float(gap))


#: The same in French, the default language of the reports (see :mod:`optimiser.results.i18n`).
STATUS_WORDS_FR: dict[str, StatusWords] = {
    "optimal": StatusWords(
        "optimal",
        "C'est la meilleure organisation possible sous les règles ci-dessous, et le solveur l'a prouvé{tolerance}.",
        "**optimal** — meilleure organisation prouvée sous ces règles (à l'écart relatif {gap_tol:g} près)"),
    "feasible": StatusWords(
        "réalisable, au plus à {gap} du meilleur",
        "Le solveur s'est arrêté à sa limite de temps. L'organisation respecte toutes les règles, mais une meilleure "
        "peut exister ; elle ne peut pas être meilleure de plus de {gap}.",
        "**réalisable, non prouvé optimal** — le solveur s'est arrêté à sa limite de temps ; l'organisation respecte "
        "toutes les règles et est au plus à {gap} de la meilleure possible"),
    "infeasible": StatusWords(
        "infaisable",
        "Aucune organisation ne peut respecter toutes les règles ci-dessous à la fois.",
        "**infaisable** — aucune organisation ne peut respecter toutes les règles"),
    "time_limit": StatusWords(
        "aucune solution trouvée à temps",
        "Le solveur a atteint sa limite de temps avant de trouver une organisation qui respecte les règles.",
        "**aucune solution trouvée** dans la limite de temps"),
    "error": StatusWords(
        "erreur du solveur",
        "Le solveur a échoué ; aucune organisation n'est montrée.",
        "**erreur** — le solveur a échoué"),
}
FEASIBLE_GAP_UNKNOWN_FR = StatusWords(
    "réalisable, non prouvé optimal",
    "Le solveur s'est arrêté à sa limite de temps. L'organisation respecte toutes les règles, mais une meilleure "
    "peut exister et le solveur n'a pas pu dire de combien.",
    "**réalisable, non prouvé optimal** — le solveur s'est arrêté à sa limite de temps ; l'organisation respecte toutes "
    "les règles, mais une meilleure peut exister et le solveur n'a pas pu dire de combien")


def status_words(status: str, gap, lang: str | None = None) -> StatusWords | None:
    """The words for ``status`` with this gap, in ``lang`` (default: the language being
    written, :func:`optimiser.results.i18n.current`); ``None`` for a status the table does not know."""
    from .i18n import current

    french = (lang or current()) == "fr"
    if status == "feasible" and not gap_known(gap):
        return FEASIBLE_GAP_UNKNOWN_FR if french else FEASIBLE_GAP_UNKNOWN
    return (STATUS_WORDS_FR if french else STATUS_WORDS).get(str(status))
