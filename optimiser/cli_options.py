"""Options shared by several commands of :mod:`optimiser.cli` (declared once, so they read the same)."""

from __future__ import annotations

import click

#: ``--set KEY=VALUE`` (repeatable): override a scenario key, as a planner would in the file.
set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override a scenario key, e.g. --set poles.count=5 (repeatable).")

#: The language of everything a person reads (reports, maps, charts, workbook, the printed summary);
#: CSV files are the same in every language. Default: $OPTIMISER_LANG, outputs.lang, else French.
lang_option = click.option("--lang", type=click.Choice(["fr", "en"], case_sensitive=False), default=None,
                           help="Language of the reports, maps and printed summary: fr (default) or en.")
