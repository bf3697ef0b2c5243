"""A one-commune "pole" is a commune on its own, and is shown as one.

The model may open a proximity pole whose only member is its seat: nothing is shared with anyone,
so for a planner or an élu it is a commune that stays on its own, not a pole. The data keep what
the model decided — ``communes.csv`` gives the commune its pole id, ``poles.csv`` lists the pole,
with ``on_its_own`` true — and everything drawn or worded (the maps, the reports, the fiches)
shows it as a commune on its own: :func:`as_drawn` turns the two tables into the view they draw.

A service commun is never on its own in this sense (it is the EPCI's own service, whatever its
size).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The ``kind`` of ``poles.csv`` that may be a commune on its own.
PROXIMITY = "proximity pole"


def on_its_own(poles: pd.DataFrame) -> pd.Series:
    """Per row of ``poles.csv``: a proximity pole whose only member is its seat."""
    if poles is None or not len(poles):
        return pd.Series([], dtype=bool)
    kinds = poles["kind"] if "kind" in poles.columns else pd.Series(PROXIMITY, index=poles.index)
    return (kinds == PROXIMITY) & (pd.to_numeric(poles["n_communes"]) == 1)


def single_poles(poles: pd.DataFrame | None) -> set[str]:
    """Ids of the one-commune proximity poles."""
    if poles is None or not len(poles):
        return set()
    return set(poles.loc[on_its_own(poles), "pole"])


def as_drawn(communes: pd.DataFrame | None, poles: pd.DataFrame | None) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The tables as the maps and reports show them: the member of a one-commune pole is a
    commune on its own (no pole, no seat, ``alone``; ``on_its_own`` true) and the pole is not
    listed. Tables without such a pole come back as they are."""
    singles = single_poles(poles)
    if not singles or communes is None:
        return communes, poles
    communes = communes.copy()
    mine = communes["pole"].isin(singles)
    communes["on_its_own"] = mine
    for column in ("pole", "pole_name", "seat_insee_code", "seat_name"):
        if column in communes.columns:
            communes[column] = communes[column].astype(object).where(~mine, None)
    communes["is_seat"] = communes["is_seat"].astype(bool) & ~mine
    communes["alone"] = communes["alone"].astype(bool) | mine
    for column in ("travel_min", "travel_km"):
        if column in communes.columns:
            communes[column] = pd.to_numeric(communes[column]).where(~mine, np.nan)
    return communes, poles[~poles["pole"].isin(singles)].reset_index(drop=True)


def drawn_outlines(outlines: dict | None, poles: pd.DataFrame | None) -> dict | None:
    """Pole outlines without the one-commune poles' (a commune on its own has no pole border)."""
    if outlines is None:
        return None
    singles = single_poles(poles)
    return {pole: shape for pole, shape in outlines.items() if pole not in singles}


__all__ = ["on_its_own", "single_poles", "as_drawn", "drawn_outlines"]
