"""The fiches read their rows from :class:`~optimiser.results.fiches.FicheRows`, indexed once per
folder; each row must be the one the per-commune table look-ups give (``set_index(...).loc``, a
filter of ``shares.csv`` and of ``members.csv``), value for value and in the same order."""

from __future__ import annotations

from shared import DELEGATED, solved

from optimiser.results.fiches import FicheRows
from optimiser.results.records import row_dicts


def same(a: dict | None, b: dict | None) -> bool:
    """The same keys in the same order, each value equal (a missing number, NaN, equal to NaN)."""
    if a is None or b is None:
        return a is b
    return list(a) == list(b) and all(a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]) for k in a)


def test_indexed_rows_are_the_rows_of_per_commune_lookups(tmp_path_factory):
    result = solved(tmp_path_factory, *DELEGATED)  # shared with test_outputs: no solve of its own
    ctx = result.report_context()
    assert ctx.has_costs
    rows = FicheRows(ctx)
    codes = list(ctx.communes["insee_code"])
    assert len(codes) == 20
    pooled = [pole for pole in ctx.communes["pole"] if isinstance(pole, str)]
    assert pooled  # pooled communes: every section shown
    tables = ctx.service_tables
    for code in codes:
        assert same(rows.commune(code), ctx.communes.set_index("insee_code").loc[code].to_dict() | {"insee_code": code})
        shares = row_dicts(tables.shares[tables.shares["member"].astype(str) == code])
        assert len(rows.shares_of(code)) == len(shares)
        assert all(same(a, b) for a, b in zip(rows.shares_of(code), shares, strict=True))
        member = tables.members[tables.members["member"].astype(str) == code]
        assert same(rows.members.get(code), row_dicts(member)[0] if len(member) else None)
    for pole in set(pooled):
        looked_up = ctx.poles.set_index("pole").loc[pole].to_dict()
        assert same({k: v for k, v in rows.poles[pole].items() if k != "pole"}, looked_up)
