"""Write the four notebooks (source only: the tests execute them and check their outputs from outside,
so no notebook ends in assertions). Run: .venv/bin/python notebooks/make_notebooks.py"""
from pathlib import Path

import nbformat as nbf


def notebook(cells):
    """Cells from strings: "md:..." is Markdown, "parameters:..." the code cell of settings (tagged
    "parameters", papermill's convention: the tests put a cell of smaller settings after it)."""
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}

    def cell(c):
        if c.startswith("md:"):
            return nbf.v4.new_markdown_cell(c[3:])
        if c.startswith("parameters:"):
            return nbf.v4.new_code_cell(c[len("parameters:"):].strip("\n"), metadata={"tags": ["parameters"]})
        return nbf.v4.new_code_cell(c.strip("\n"))

    nb.cells = [cell(c) for c in cells]
    for k, c in enumerate(nb.cells):
        c["id"] = f"cell-{k:02d}"  # stable ids: writing the notebooks again changes only what changed
    return nb

explore = notebook([
"""md:# Laval Agglomération 2016: the service commun and the proximity poles

The founding study recommended a **service commun** integrating Laval, Saint-Berthevin and the
agglomération (patrimoine, espace public, ingénierie) and **pôles de proximité à la carte** for the
18 other communes. This notebook solves that option on the bundled data and looks at the result:
the poles on a map, what each pole runs and how, and what each commune saves against the status
quo. Only the public API is used: `load_scenario`, `solve`, `Result`.""",
"""parameters:time_limit_s = 120  # solver time limit (s): the scenario's own""",
"""from optimiser import load_scenario, solve

scenario = load_scenario("../scenarios/laval-2016-service-commun.yaml", [f"solver.time_limit_s={time_limit_s}"])
result = solve(scenario)
result  # status, key figures and the map""",
"""md:## The poles""",
"""result.poles[["pole", "pole_name", "seat_name", "n_communes", "population", "max_travel_min", "members"]]""",
"""md:## What each pole runs, and how

`services` has one row per pole and service run: members pooling it, members only borrowing its
machines, the mode (régie or délégation), the staff and the cost by category (€ a year, HT).""",
"""services = result.service_tables.services
services[["pole", "service", "mode", "n_poolers", "n_borrowers", "fte", "total_eur", "unit_cost_eur", "unit"]].round(1)""",
"""md:Every pooled service priced both ways for the same members — the chosen mode is the cheaper one
unless the scenario forces it:""",
"""result.service_tables.regie_vs_delegation[["pole", "service", "regie_eur", "delegation_eur", "cheaper", "chosen"]].round(0)""",
"""md:## What each commune saves""",
"""savings = result.communes[["name", "pole", "services_pooled", "standalone_cost", "share", "saving", "saving_pct"]]
savings.sort_values("saving", ascending=False).round(2)""",
"""import matplotlib.pyplot as plt

ordered = savings.sort_values("saving_pct")
fig, ax = plt.subplots(figsize=(7, 6))
ax.barh(ordered["name"], 100 * ordered["saving_pct"], color=["#1a9850" if v >= 0 else "#d73027" for v in ordered["saving_pct"]])
ax.set_xlabel("saving against the status quo (% of the commune's standalone cost)")
ax.set_title("Laval 2016, service commun + proximity poles")
plt.tight_layout()""",
"""summary = result.summary
print(f"status quo {summary['status_quo_cost'] / 1e3:,.0f} k€/yr, design {summary['total_cost'] / 1e3:,.0f} k€/yr, "
      f"saving {summary['savings'] / 1e3:,.0f} k€/yr ({100 * summary['savings_pct']:.1f} %)")""",
])

tradeoffs = notebook([
"""md:# Trade-offs: travel, number of poles, cost

Two questions elected officials ask: *how much longer do members drive if we want fewer poles?*
and *what does shorter driving cost?* The first is a sweep of the pole design over the number of
poles and the longest trip allowed (`scenarios/laval-2016-tradeoffs.yaml`); the second the
cost/travel frontier of the service model (ε-constraint). Public API only: `sweep`, `compare`,
`pareto`.""",
"""parameters:sweep_file = "../scenarios/laval-2016-tradeoffs.yaml"  # the sweep: its grid of pole counts × longest trips (4 × 4)
frontier_points = 4  # points on the cost/travel frontier, its two ends included""",
"""import tempfile
from pathlib import Path

from optimiser import sweep

work = Path(tempfile.mkdtemp(prefix="tradeoffs-"))
# this notebook plots the sweep's table, not its 16 maps: drawing them took most of the sweep's time
table = sweep(sweep_file, out=work / "sweep", jobs=1, overrides=["outputs.map=false"])
table[["variant", "status", "objective", "n_poles", "max_travel_min", "mean_travel_min"]]""",
"""import matplotlib.pyplot as plt

solved = table[table["status"] == "optimal"].copy()
solved["limit"] = solved["poles.max_travel_min"]
fig, ax = plt.subplots(figsize=(7, 4.5))
for limit, group in solved.groupby("limit"):
    group = group.sort_values("n_poles")
    ax.plot(group["n_poles"], group["mean_travel_min"], "o-", label=f"trips ≤ {limit:g} min")
ax.set_xlabel("proximity poles (plus the service commun)")
ax.set_ylabel("population-weighted mean trip to the seat (min)")
ax.legend(frameon=False)
ax.set_title("Fewer poles, longer trips")""",
"""md:Some combinations have no design (too few poles for a short limit): the table says which, and why
(`status`, `error`). The sweep folder keeps every result; running the cell again resumes instantly.

## The cost of shorter trips

With services, the frontier between total cost and travel: first the cheapest design, then the
closest one, then designs in between, each capping the total travel.""",
"""from optimiser import pareto

# nor the frontier's maps: each point is a result folder, and its two maps took a quarter of the frontier's time
frontier = pareto("../scenarios/laval-2016-delegated.yaml", points=frontier_points, out=work / "frontier",
                  overrides=["services.include=[voirie, eclairage]", "solver.time_limit_s=60", "outputs.map=false"])
frontier[["point", "status", "total_cost", "mean_travel_min", "n_poles", "non_dominated"]].round(1)""",
"""front = frontier.sort_values("mean_travel_min")
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.plot(front["mean_travel_min"], front["total_cost"] / 1e3, "o-", color="#d62728")
for r in front.itertuples():
    ax.annotate(r.point, (r.mean_travel_min, r.total_cost / 1e3), xytext=(4, 4), textcoords="offset points", fontsize=8)
ax.set_xlabel("population-weighted mean trip to the seat (min)")
ax.set_ylabel("total yearly cost of voirie + éclairage (k€)")
ax.set_title("Cost against travel")""",
])

regie = notebook([
"""md:# Régie or délégation: where the choice flips

For a pooled service, the engine prices both modes for the same members and keeps the cheaper
(`regie_vs_delegation.csv`, both net of the FCTVA: what the budget bears). Here every commune pools
its espaces verts and we move the delegated price (€ per hectare a year) to watch each pole's choice.

Where does the choice flip? Not where one might guess: at the sourced default (15,000 €/ha) the
régie is cheaper everywhere, because a pole that delegates still pays the agents it keeps on
(nobody is made redundant; `redeployed_staff_eur` in `services.csv`). So the notebook first
**computes** each pole's break-even price, then tries prices around it.
Public API only: `load_scenario`, `solve`.""",
"""parameters:n_prices = 5  # delegated prices of espaces verts to try, spread around the poles' break-even prices""",
"""import pandas as pd

from optimiser import load_scenario, solve


def priced(price):
    \"\"\"Régie against délégation for every pole, espaces verts pooled everywhere, at this delegated price (€/ha a year).\"\"\"
    scenario = load_scenario("../scenarios/laval-2016-a-la-carte.yaml", [
        "services.include=[espaces_verts]",
        "pooling.force=[{services: [espaces_verts], pool: true}]",
        f"services.overrides.espaces_verts.delegated_price_eur={price}",
        "solver.name=highs",
    ])
    return solve(scenario).service_tables.regie_vs_delegation.assign(price=price)""",
"""md:## Each pole's break-even price

A pole's cost in délégation is linear in the price (the contract, plus what does not depend on it:
the agents kept on, the lots, the coordination); its cost in régie does not depend on it. Two
solves give the line, and where it crosses the régie cost:
`break-even = p₀ + (régie − délégation(p₀)) × (p₁ − p₀) / (délégation(p₁) − délégation(p₀))`.""",
"""p0, p1 = 15_000, 7_500  # the sourced default, and half of it
at = {p: priced(p).set_index("pole") for p in (p0, p1)}
slope = (at[p1]["delegation_eur"] - at[p0]["delegation_eur"]) / (p1 - p0)  # € a year per €/ha
break_even = (p0 + (at[p0]["regie_eur"] - at[p0]["delegation_eur"]) / slope).rename("break_even_eur_per_ha")
low, high = 0.6 * break_even.min(), 1.4 * break_even.max()  # every pole delegates at low, none at high
prices = [int(round(low + k * (high - low) / (n_prices - 1), -2)) for k in range(n_prices)]
print("prices to try (€/ha a year):", prices)
break_even.round(0).to_frame()""",
"""rows = [priced(price) for price in prices]
comparison = pd.concat(rows, ignore_index=True)
comparison[["price", "pole", "n_poolers", "regie_eur", "delegation_eur", "chosen"]].round(0)""",
"""import matplotlib.pyplot as plt

totals = comparison.groupby("price")[["regie_eur", "delegation_eur"]].sum() / 1e3
chosen = comparison.groupby("price")["chosen"].agg(lambda modes: "/".join(sorted(set(modes))))
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.plot(totals.index, totals["regie_eur"], "o-", label="every pole in régie")
ax.plot(totals.index, totals["delegation_eur"], "s-", label="every pole delegates")
for price, modes in chosen.items():
    ax.annotate(modes, (price, min(totals.loc[price])), xytext=(0, -14), textcoords="offset points", ha="center", fontsize=8)
ax.set_xlabel("delegated price of espaces verts (€ per hectare a year)")
ax.set_ylabel("yearly cost of the pooled espaces verts (k€, net of the FCTVA)")
ax.legend(frameon=False)
ax.set_title("The mode follows the price")""",
"""md:Below its break-even price a pole delegates, above it the pole keeps the work in régie. Each pole
flips at its own price: a pole's régie cost depends on its members' workload and the trips from its
seat, and what it still pays when delegating on the agents its members keep on.""",
])

territory = notebook([
"""md:# Your territory: from `optimiser init` to a fiche for each mayor

This notebook starts from **your own EPCI**. Name it in the first cell (its name or SIREN, as
`optimiser init --epci` takes it), point `inventory_csv` at your own figures, and run every cell:

1. `optimiser init` writes the territory (every commune, its population, borders and polygon,
   from the national data shipped with the tool) and a starter scenario for it;
2. `optimiser template inventory` writes the inventory template — one row per commune × service,
   our estimates alongside — which the notebook fills from your CSV;
3. three options are solved and compared: the **status quo** (every commune alone, as
   inventoried), **pôles de proximité à la carte** (each commune chooses what it pools, no one
   pays more than alone, no staff reduction beyond attrition) and the same poles with every
   pooled service **delegated** (groupements de commandes);
4. every result folder holds a **fiche** per commune, one printable page for its mayor.

The default is the CC de l'Ernée (Mayenne, 15 communes), with figures for four communes in
`data/ernee-inventory.csv` — illustrative figures, not the communes' real ones. Everything is
written under the folder `work`; running the notebook again reuses what is already solved.""",
"""parameters:epci = "CC de l'Ernée"  # your EPCI: its name or SIREN, as `optimiser init --epci` takes it
inventory_csv = "data/ernee-inventory.csv"  # your own figures (columns of the template's services sheet); None: estimates only
services = None  # None: the six services of the catalogue; or a list, e.g. ["voirie", "espaces_verts", "eclairage"]
time_limit_s = 60  # solver time limit per option (seconds)
work = "my-territory"  # the folder this notebook writes everything into""",
"""md:## 1. The territory: `optimiser init`

The notebook calls the command line exactly as you would type it in a terminal.""",
"""import subprocess
import sys
from pathlib import Path

work = Path(work)
work.mkdir(parents=True, exist_ok=True)


def optimiser_command(*args):
    \"\"\"Run `optimiser ARGS...` (the command line, with this notebook's Python) and show what it prints.\"\"\"
    done = subprocess.run([sys.executable, "-m", "optimiser", *map(str, args)], capture_output=True, text=True)
    print(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"optimiser {args[0]} stopped with exit code {done.returncode}: see its message above")


optimiser_command("init", "--epci", epci, "--out", work / "territory")""",
"""md:The starter scenario explains each default in a comment (number of poles, communes per pole,
longest trip to the seat): edit `territory/scenario.yaml` to match your own choices, or override
keys in the options below.""",
"""print((work / "territory" / "scenario.yaml").read_text(encoding="utf-8"))""",
"""md:## 2. The options

One scenario file builds on the starter (`extends`): as written it is the status quo (no
pooling); its two variants switch pooling on, à la carte or all delegated. A design within 1 % of
the best (`solver.gap`) comes much faster than a proof of optimality, and is enough to compare
options; `map.png` is not drawn (report.html keeps its interactive map).""",
"""import yaml

options = {
    "extends": "territory/scenario.yaml",
    "name": "options",
    "services": {"inventory": "inventory.xlsx", **({"include": list(services)} if services else {})},
    "pooling": {"enabled": False},
    "solver": {"name": "highs", "time_limit_s": time_limit_s, "gap": 0.01},
    "outputs": {"map": False},
    "variants": {
        "a_la_carte": [{"pooling.enabled": True, "staff.no_reduction_beyond_attrition": True}],
        "delegated": [{"pooling.enabled": True, "pooling.mode": "delegation"}],
    },
}
options_file = work / "options.yaml"
options_file.write_text(yaml.safe_dump(options, allow_unicode=True, sort_keys=False), encoding="utf-8")
print(options_file.read_text(encoding="utf-8"))""",
"""md:## 3. The inventory: the template, filled from your CSV

The template has one row per commune × service (`workload`, `fte`, `mode`, `contract_eur`) and
per commune × machine type (`units`, `age_years`), with our estimates alongside. Your CSV has
the same columns as the `services` sheet, for the rows you know; every blank left is estimated
from the sourced ratios and flagged `estimated` in the results.""",
"""template = work / "inventory-template.xlsx"
template.unlink(missing_ok=True)  # the command never overwrites a file: this one is ours to write again
optimiser_command("template", "inventory", options_file, "--out", template)""",
"""import pandas as pd

sheets = pd.read_excel(template, sheet_name=None, dtype={"insee_code": str})
rows = sheets["services"].set_index(["insee_code", "service"])
fields = ["workload", "fte", "mode", "contract_eur"]
rows[fields] = rows[fields].astype(object)
if inventory_csv:
    own = pd.read_csv(inventory_csv, dtype={"insee_code": str}).set_index(["insee_code", "service"])
    outside = own.index.difference(rows.index)
    if len(outside):  # another EPCI's communes, or a service this run leaves out
        print(f"{len(outside)} rows of {inventory_csv} are not in this territory's communes × services, left out: {list(outside)}")
    rows.update(own.loc[own.index.intersection(rows.index), fields])  # blank cells of the CSV stay blank
sheets["services"] = rows.reset_index()[sheets["services"].columns]
with pd.ExcelWriter(work / "inventory.xlsx") as workbook:
    for name, sheet in sheets.items():
        sheet.to_excel(workbook, sheet_name=name, index=False)
filled = sheets["services"].dropna(subset=fields, how="all")
filled[["commune", "service", *fields, "estimate_unit", "estimate_workload", "estimate_fte", "estimate_contract_eur"]]""",
"""md:## 4. Solving and comparing the options

`sweep` solves every variant into its own result folder (`base` is the status quo) and returns
one row per option; run the cell again after an edit and only what changed is solved again.""",
"""from optimiser import compare, sweep

table = sweep(options_file, out=work / "options", jobs=1)
comparison = compare(work / "options", out=work / "options" / "comparison")
comparison[["variant", "status", "gap", "n_poles", "services_pooled", "status_quo_cost", "total_cost", "savings"]].round(3)""",
"""import matplotlib.pyplot as plt

labels = {"base": "status quo", "a_la_carte": "pôles à la carte", "delegated": "pôles, all delegated"}
solved = comparison[comparison["status"].isin(["optimal", "feasible"])]
fig, ax = plt.subplots(figsize=(7, 3.5))
bars = ax.barh([labels.get(v, v) for v in solved["variant"]], solved["total_cost"] / 1e3, color="#4575b4")
for bar, saving in zip(bars, solved["savings"]):
    ax.annotate(f"saving {saving / 1e3:,.0f} k€", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
ax.set_xlabel("total yearly cost of the services (k€, HT)")
ax.set_title(f"{epci}: the options")
ax.margins(x=0.25)
plt.tight_layout()""",
"""md:## 5. The option that saves most, commune by commune""",
"""from optimiser import load_results

best_row = solved.sort_values("savings", ascending=False).iloc[0]
best_folder = work / "options" / best_row["variant"]
best = load_results(best_folder)[0]
print(f"{labels.get(best_row['variant'], best_row['variant'])}: {best_folder}")
best""",
"""best.communes[["name", "pole", "services_pooled", "standalone_cost", "share", "saving", "saving_pct",
                "pays_more_than_alone", "estimated"]].sort_values("saving", ascending=False).round(2)""",
"""md:`estimated` lists the fields that came from ratios rather than from your inventory: the more
of it you fill in, the surer the figures. `report.html` in the same folder says it all in
French, for the bureau communautaire; `result.xlsx` holds every table, `result.gpkg` the poles
and communes for QGIS.

## 6. The fiches, one page per commune for its mayor

Every result folder holds `fiches/NNNNN.html` (the commune's INSEE code) and `fiches/index.html`;
each prints on one A4 page (`optimiser run --pdf` prints them to PDF).""",
"""import html
import os

from IPython.display import HTML, display

names = best.communes.set_index("insee_code")["name"]
fiches = sorted(path for path in (best_folder / "fiches").glob("*.html") if path.stem != "index")
links = "".join(f'<li><a href="{os.path.relpath(path)}" target="_blank">{html.escape(names.get(path.stem, path.stem))}</a></li>'
                for path in fiches)
display(HTML(f"<p>{len(fiches)} fiches in {html.escape(str(best_folder / 'fiches'))}:</p><ul style='columns: 3'>{links}</ul>"))""",
"""first = best.communes.sort_values("saving", ascending=False).iloc[0]
fiche = (best_folder / "fiches" / f"{first['insee_code']}.html").read_text(encoding="utf-8")
print(f"The fiche of {first['name']}, the commune that saves most:")
HTML(f'<div><iframe srcdoc="{html.escape(fiche)}" style="width: 100%; height: 900px; border: 1px solid #ccc"></iframe></div>')""",
])

out = Path(__file__).resolve().parent
nbf.write(explore, out / "01-explore-laval-2016.ipynb")
nbf.write(tradeoffs, out / "02-tradeoffs.ipynb")
nbf.write(regie, out / "03-regie-vs-delegation.ipynb")
nbf.write(territory, out / "04-your-territory.ipynb")
