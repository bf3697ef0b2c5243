"""Write the three notebooks (source only: the tests execute them). Run: .venv/bin/python notebooks/make_notebooks.py"""
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
"""from optimiser import load_scenario, solve

scenario = load_scenario("../scenarios/laval-2016-service-commun.yaml")
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
      f"saving {summary['savings'] / 1e3:,.0f} k€/yr ({100 * summary['savings_pct']:.1f} %)")
assert summary["total_cost"] <= summary["status_quo_cost"]""",
])

tradeoffs = notebook([
"""md:# Trade-offs: travel, number of poles, cost

Two questions elected officials ask: *how much longer do members drive if we want fewer poles?*
and *what does shorter driving cost?* The first is a sweep of the pole design over the number of
poles and the longest trip allowed (`scenarios/laval-2016-tradeoffs.yaml`); the second the
cost/travel frontier of the service model (ε-constraint). Public API only: `sweep`, `compare`,
`pareto`.""",
"""parameters:frontier_points = 4  # points on the cost/travel frontier, its two ends included""",
"""import tempfile
from pathlib import Path

from optimiser import sweep

work = Path(tempfile.mkdtemp(prefix="tradeoffs-"))
table = sweep("../scenarios/laval-2016-tradeoffs.yaml", out=work / "sweep", jobs=1)
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

frontier = pareto("../scenarios/laval-2016-delegated.yaml", points=frontier_points, out=work / "frontier",
                  overrides=["services.include=[voirie, eclairage]", "solver.time_limit_s=60"])
frontier[["point", "status", "total_cost", "mean_travel_min", "n_poles", "non_dominated"]].round(1)""",
"""front = frontier.sort_values("mean_travel_min")
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.plot(front["mean_travel_min"], front["total_cost"] / 1e3, "o-", color="#d62728")
for r in front.itertuples():
    ax.annotate(r.point, (r.mean_travel_min, r.total_cost / 1e3), xytext=(4, 4), textcoords="offset points", fontsize=8)
ax.set_xlabel("population-weighted mean trip to the seat (min)")
ax.set_ylabel("total yearly cost of voirie + éclairage (k€)")
ax.set_title("Cost against travel")""",
"""assert frontier["non_dominated"].any()
assert (solved["n_poles"] >= 1).all()""",
])

regie = notebook([
"""md:# Régie or délégation: where the choice flips

For a pooled service, the engine prices both modes for the same members and keeps the cheaper
(`regie_vs_delegation.csv`). Here every commune pools its espaces verts; we move the delegated
price (€ per hectare a year; the sourced default is 15,000) and watch each pole's choice.
Public API only: `load_scenario`, `solve`.""",
"""parameters:prices = [9000, 12000, 15000, 18000, 21000]  # delegated prices of espaces verts to try (€/ha a year)""",
"""import pandas as pd

from optimiser import load_scenario, solve

rows = []
for price in prices:
    scenario = load_scenario("../scenarios/laval-2016-a-la-carte.yaml", [
        "services.include=[espaces_verts]",
        "pooling.force=[{services: [espaces_verts], pool: true}]",
        f"services.overrides.espaces_verts.delegated_price_eur={price}",
        "solver.name=highs",
    ])
    result = solve(scenario)
    table = result.service_tables.regie_vs_delegation.assign(price=price)
    rows.append(table)
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
ax.set_ylabel("yearly cost of the pooled espaces verts (k€)")
ax.legend(frameon=False)
ax.set_title("The mode follows the price")""",
"""md:Below the crossing the poles delegate, above it they keep the work in régie. Each pole flips at its
own price: a pole's régie cost depends on its members' workload and the trips from its seat.""",
"""assert (comparison["chosen"] == comparison["cheaper"]).all()
assert chosen.iloc[0] != chosen.iloc[-1]  # the choice flips somewhere in the range""",
])

out = Path(__file__).resolve().parent
nbf.write(explore, out / "01-explore-laval-2016.ipynb")
nbf.write(tradeoffs, out / "02-tradeoffs.ipynb")
nbf.write(regie, out / "03-regie-vs-delegation.ipynb")
