"""The status quo check (``status_quo_check.csv``) in the words of the language being written.

``summary.json`` keeps an English headline and English warnings for programs and logs; what a
person reads — the report's section, the lines ``optimiser run`` prints — is worded here from the
tables themselves, with service names, indicators and scopes through :mod:`optimiser.results.i18n`
(no ``espaces_verts`` or ``field_fte_per_1000_hab`` in a sentence).
"""

from __future__ import annotations

import pandas as pd

from ..services.calibration import SPEND_GROUPS, headline_figures
from . import i18n
from .html import fmt
from .i18n import t
from .records import row_dicts, row_tuples

#: The indicator of ``status_quo_check.csv`` for field staff; the others are ``eur_per_hab.GROUP``.
FIELD_FTE = "field_fte_per_1000_hab"
TERRITORY = "territory"


def indicator_words(indicator: str) -> str:
    """``field_fte_per_1000_hab`` → *ETP de terrain pour 1 000 habitants*; ``eur_per_hab.voirie``
    → *€ par habitant — Voirie + Travaux de voirie* (a group names every service it adds up)."""
    if indicator == FIELD_FTE:
        return t("check.field_fte")
    kind, _, group = str(indicator).partition(".")
    if kind == "eur_per_hab" and group:
        services = " + ".join(i18n.service_name(s) for s in SPEND_GROUPS.get(group, (group,)))
        return t("check.eur_per_hab", services=services)
    return str(indicator)


def scope_words(scope: str, name: str) -> str:
    """The row's scope: a commune's name, or *le territoire* for the whole territory."""
    return t("check.territory") if scope == TERRITORY else str(name)


def status_words(status: str) -> str:
    key = f"check.{status}"
    return t(key) if key in i18n.MESSAGES else str(status)


def _range(low, high) -> str:
    return "—" if fmt.is_missing(low) or fmt.is_missing(high) else f"{fmt.number(low, 1)}–{fmt.number(high, 1)}"


def commune_population(check: pd.DataFrame) -> dict[str, float]:
    """Inhabitants by commune code, read back from the check's commune rows."""
    if check is None or not len(check):
        return {}
    communes = check[check["scope"].astype(str) != TERRITORY].drop_duplicates("scope")
    return {str(r.scope): float(r.population) for r in row_tuples(communes)}


def headline_words(tables) -> str:
    """One line: the territory's field FTE per 1,000 inhabitants against the source and € per
    inhabitant per service; empty when there is nothing to check."""
    check = getattr(tables, "status_quo_check", None)
    status_quo = getattr(tables, "status_quo", None)
    population = commune_population(check)
    if not population or status_quo is None:
        return ""
    sq = status_quo.assign(member=status_quo["member"].astype(str))
    h = headline_figures(sq, population)
    if h is None:
        return ""
    separator = " ; " if i18n.current() == "fr" else "; "
    money = separator.join(f"{i18n.service_name(s)} {fmt.number(v, 0)}" for s, v in h.eur_per_hab.items())
    ref = h.reference
    return t("check.headline", fte=fmt.number(h.field_fte_per_1000, 2), central=fmt.number(ref.central, 1),
             range=_range(ref.low, ref.high), money=money, total=fmt.number(h.total_eur_per_hab, 0))


def warning_words(tables, names: dict[str, str] | None = None) -> list[str]:
    """The inventoried communes far outside a sourced range (the warnings of
    :func:`optimiser.services.calibration.status_quo_check`), one sentence each."""
    check = getattr(tables, "status_quo_check", None)
    if check is None or not len(check):
        return []
    names = names or {}
    out = []
    for r in row_dicts(check):
        given = str(r.get("inventoried") or "") if not fmt.is_missing(r.get("inventoried")) else ""
        if not str(r["status"]).startswith("far") or not given or str(r["scope"]) == TERRITORY:
            continue
        rows = []
        for item in given.split(";"):
            member, _, service = item.partition("/")
            rows.append(f"{names.get(member, member)} — {i18n.service_name(service)}")
        out.append(t("check.warning", name=scope_words(str(r["scope"]), r["name"]), indicator=indicator_words(r["indicator"]),
                     value=fmt.number(r["value"], 2), status=status_words(r["status"]), range=_range(r["low"], r["high"]),
                     rows=", ".join(rows)))
    return out


__all__ = ["indicator_words", "scope_words", "status_words", "headline_words", "warning_words", "commune_population"]
