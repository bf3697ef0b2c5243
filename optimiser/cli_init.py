"""``optimiser init``: a territory and a starter scenario for any French EPCI, département, region
or list of communes, from the national data shipped in ``data/france``.

A plain click command, registered by :mod:`optimiser.cli` (which runs it inside its error guard).
"""

from __future__ import annotations

from pathlib import Path

import click

from .errors import InputError, Problem


@click.command("init")
@click.option("--epci", metavar="NAME|SIREN",
              help='An EPCI by name or SIREN, e.g. "CA Laval Agglomération" or 200083392.')
@click.option("--departement", metavar="CODE|NAME", help="A département by INSEE code or name, e.g. 53 or Mayenne.")
@click.option("--region", metavar="CODE|NAME", help='A region by INSEE code or name, e.g. 52 or "Pays de la Loire".')
@click.option("--communes", metavar="CODES", help="Comma-separated INSEE codes, e.g. 53130,53201,53054.")
@click.option("--name", help="Territory name for --communes (default: 'N communes').")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder to write (new, empty, or a previous init folder).")
def init(epci, departement, region, communes, name, out: Path) -> None:
    """Write OUT/territory.geojson and a starter OUT/scenario.yaml for one territory."""
    from .starter import init_folder
    from .territory.france import national_data

    given = {k: v for k, v in (("--epci", epci), ("--departement", departement), ("--region", region),
                                ("--communes", communes)) if v is not None}
    if len(given) != 1:
        raise InputError([Problem(None, "", "give exactly one of --epci, --departement, --region, --communes",
                                  sorted(given) or None, show_value=bool(given))])
    national = national_data()
    if epci is not None:
        selection = national.select_epci(epci)
    elif departement is not None:
        selection = national.select_departement(departement)
    elif region is not None:
        selection = national.select_region(region)
    else:
        selection = national.select_communes(communes.split(","), name=name)
    summary = init_folder(selection, out, national)
    rules = summary.rules
    click.echo(f"{selection.label}: {summary.n_communes} communes, {summary.population:,} inhabitants")
    if selection.left_out:
        click.echo(f"  left out (no polygon): {', '.join(selection.left_out)}")
    for link in summary.links:
        click.echo(f"  detached piece of {len(link.piece)} commune(s) linked by {link.kind}: "
                   f"{link.a} - {link.b}, {link.time_min:.1f} min")
    poles = f"up to {rules.pole_count} poles" if rules.pole_count > 1 else "one pole"
    click.echo(f"  starter rules: {poles} of at least {rules.min_communes} communes, "
               f"at most {rules.max_travel_min:g} min to the seat")
    click.echo(f"Wrote {summary.folder}/ (territory.geojson, scenario.yaml, init.json)")
    click.echo(f"Next: optimiser run {summary.scenario} --out results/{summary.folder.name}")
