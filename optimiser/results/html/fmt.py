"""Numbers and statuses in the words a report shows them, in the language being written
(:mod:`optimiser.results.i18n`): French ``12 345,6`` and ``12 345 €`` (narrow no-break space
between thousands, decimal comma), English ``12,345.6`` and ``€12,345``.

Every function takes a raw value (Python or numpy scalar, ``None`` or NaN for "missing") and
returns plain text, not HTML: the caller escapes it. Missing values read "—".
"""

from __future__ import annotations

import math
import numbers

from .. import i18n
from ..status import status_words

MISSING = "—"
MINUS = "\u2212"  # a real minus sign: "−1,200" does not break across lines like "-1,200" may
#: French thousands separator: a narrow no-break space, so "12 345" never breaks across lines.
THIN = "\u202f"


def _group(text: str) -> str:
    """``1,234.5`` (Python's grouping) as the current language writes it."""
    if i18n.current() == "fr":
        return text.replace(",", THIN).replace(".", ",")
    return text


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return math.isnan(float(value))
    try:
        return bool(value != value)  # pandas NA/NaT and friends
    except (TypeError, ValueError):
        return False


def as_number(value) -> float | None:
    """``value`` as a float when it is a real number (not bool, not missing), else ``None``."""
    if isinstance(value, bool) or is_missing(value) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def number(value, digits: int = 0) -> str:
    """``12,345`` / ``12.3``; minus as a real minus sign."""
    x = as_number(value)
    if x is None:
        return MISSING if is_missing(value) else str(value)
    text = f"{abs(x):,.{digits}f}"
    return (MINUS + _group(text)) if x < 0 and text.strip("0.,") else _group(text)


def integer(value) -> str:
    return number(value, 0)


def minutes(value) -> str:
    x = as_number(value)
    return MISSING if x is None else f"{number(x, 1)} min"


def km(value) -> str:
    x = as_number(value)
    return MISSING if x is None else f"{number(x, 1)} km"


def money(value) -> str:
    """Euros as a report shows them: ``12 345 €`` (French), ``€12,345`` (English); negative as
    ``−1 200 €`` / ``−€1,200``."""
    x = as_number(value)
    if x is None:
        return MISSING if is_missing(value) else str(value)
    amount = _group(f"{abs(x):,.0f}")
    text = f"{amount}\u00a0€" if i18n.current() == "fr" else f"€{amount}"
    return (MINUS + text) if x < 0 and round(x) != 0 else text


def kilo_money(value, digits: int = 1) -> str:
    """Thousands of euros: ``12,3 k€`` / ``12.3 k€``."""
    x = as_number(value)
    if x is None:
        return MISSING
    return f"{number(x / 1000, digits)}\u00a0k€"


def signed_money(value) -> str:
    """A saving: ``+€1,200`` saved, ``−€300`` (it costs more), ``€0``."""
    x = as_number(value)
    if x is None or round(x) == 0:
        return money(value)
    return ("+" if x > 0 else "") + money(x)


def percent(fraction) -> str:
    """A fraction as a percentage with the precision it deserves: 0.123 → ``12 %``,
    0.0123 → ``1.2 %``, 0.000123 → ``0.012 %``, 0 → ``0 %``."""
    x = as_number(fraction)
    if x is None:
        return MISSING
    p = 100 * x
    if p == 0:
        text = "0"
    elif abs(p) >= 10:
        text = f"{p:.0f}"
    elif abs(p) >= 1:
        text = f"{p:.1f}"
    else:
        text = f"{p:.2g}"
    return _group(text).replace("-", MINUS) + ("\u00a0%" if i18n.current() == "fr" else " %")


def signed_percent(fraction) -> str:
    """``+1,2 %`` / ``−0,5 %``."""
    x = as_number(fraction)
    if x is None:
        return MISSING
    text = percent(x)
    return ("+" + text) if x > 0 else text


def text(value) -> str:
    """Any value as text; lists and tuples joined with ``, ``; floats without trailing noise."""
    if is_missing(value):
        return MISSING
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value) or MISSING
    if isinstance(value, bool):
        return i18n.t("word.yes") if value else i18n.t("word.no")
    x = as_number(value)
    if x is not None:
        return _group(f"{x:,.0f}" if x == int(x) and abs(x) < 1e15 else f"{x:,.4g}")
    return str(value)


def auto(value) -> str:
    """Best guess for a column nobody described: numbers grouped, text as is."""
    x = as_number(value)
    if x is not None and not x.is_integer():
        return number(x, 2 if abs(x) < 100 else 0)
    return text(value)


def status_short(status: str, gap=None) -> str:
    """A few words for a status (:data:`optimiser.results.status.STATUS_WORDS`)."""
    words = status_words(status, gap)
    return str(status) if words is None else words.short.format(gap=percent(gap))


def status_long(status: str, gap=None, gap_tolerance=None) -> str:
    """One or two sentences an elected official can read: what the status means for the design."""
    tolerance = ""
    tol = as_number(gap_tolerance)
    if status == "optimal" and tol is not None and tol >= 1e-4:
        tolerance = f" (à {percent(tol)} près)" if i18n.current() == "fr" else f" (to within {percent(tol)})"
    words = status_words(status, gap)
    if words is None:
        return f"{i18n.t('status.label')} : {status}." if i18n.current() == "fr" else f"Status: {status}."
    return words.long.format(gap=percent(gap), tolerance=tolerance)
