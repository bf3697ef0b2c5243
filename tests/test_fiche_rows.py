"""The fiches read their rows from :class:`~optimiser.results.fiches.FicheRows`, indexed once per
folder; each page must be the one the per-commune table look-ups give, byte for byte."""

from __future__ import annotations

from shared import DELEGATED, solved

from optimiser.results.fiches import FicheRows, PoleRuns, render_fiche


def test_fiches_from_indexed_rows_are_the_fiches_from_per_commune_lookups(tmp_path_factory):
    result = solved(tmp_path_factory, *DELEGATED)  # shared with test_outputs: no solve of its own
    ctx = result.report_context()
    assert ctx.has_costs
    runs, rows = PoleRuns(ctx.service_tables), FicheRows(ctx)
    codes = list(ctx.communes["insee_code"])
    assert len(codes) == 20
    assert any(isinstance(pole, str) for pole in ctx.communes["pole"])  # pooled communes: every section shown
    for code in codes:
        assert render_fiche(ctx, code, runs, rows) == render_fiche(ctx, code)
