"""Build the worked example of ``optimiser bilan`` (run from the repository's root).

1. ``inventory/``: the five volunteer communes' declared organisation before the pole — here the
   catalogue's estimates typed in as if declared, so the status quo is a fact the recalibration
   does not move (ILLUSTRATIVE, not the communes' real figures);
2. the plan: ``optimiser run scenarios/bilan-example/pole-experimental.yaml``;
3. ``actuals-example.xlsx``: the actuals template of that plan filled with figures MADE UP for the
   example by the fixed rules of :data:`RULES` (workload, FTE, prices, machine days a little off
   the plan, as a first year would be), one commune's payments left blank to show missing actuals.

    .venv/bin/python scenarios/bilan-example/make_example.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
SCENARIO = HERE / "pole-experimental.yaml"
#: Made-up actual ÷ planned, per service: workload, FTE, staff € per FTE, supplies, machine days, contract price.
RULES = {
    "voirie": {"workload": 0.98, "fte": 1.12, "staff_per_fte": 1.03, "supplies": 1.05, "machine_days": 1.10, "contract": 1.0},
    "espaces_verts": {"workload": 1.00, "fte": 0.95, "staff_per_fte": 1.02, "supplies": 1.15, "machine_days": 1.0, "contract": 1.0},
    "proprete": {"workload": 1.02, "fte": 1.02, "staff_per_fte": 1.00, "supplies": 1.00, "machine_days": 0.9, "contract": 1.0},
    "batiments": {"workload": 1.00, "fte": 1.08, "staff_per_fte": 1.01, "supplies": 1.02, "machine_days": 1.0, "contract": 1.0},
    "eclairage": {"workload": 1.01, "fte": 1.0, "staff_per_fte": 1.0, "supplies": 1.0, "machine_days": 1.0, "contract": 1.06},
}
#: A commune whose payments are left blank (missing actuals are allowed and named).
MISSING_COMMUNE = "53262"


def write_inventory() -> None:
    from optimiser.inputs.preparation import load_territory
    from optimiser.inputs.service_inputs import scenario_catalogue
    from optimiser.scenario.load import load_scenario
    from optimiser.services.inventory import build_inventory, member_sizes

    text = SCENARIO.read_text(encoding="utf-8").replace("  inventory: inventory\n", "")
    with tempfile.TemporaryDirectory() as tmp:  # the scenario without its inventory, to estimate one
        bare = Path(tmp) / SCENARIO.name
        bare.write_text(text.replace("../../data/", str((HERE / "../../data").resolve()) + "/"), encoding="utf-8")
        loaded = load_scenario(bare)
        territory = load_territory(loaded)
        catalogue = scenario_catalogue(loaded)
    inventory = build_inventory(member_sizes(territory), catalogue)
    rows = [{"insee_code": m, "commune": territory.name_of(m), "service": s, "workload": round(r.workload, 3),
             "fte": round(r.fte, 3), "mode": r.mode, "contract_eur": round(r.contract_eur)} for (m, s), r in inventory.services.items()]
    units = [{"insee_code": m, "commune": territory.name_of(m), "equipment": q, "units": n, "age_years": 8}
             for (m, q), n in inventory.units.items()]
    (HERE / "inventory").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(HERE / "inventory" / "services.csv", index=False)
    pd.DataFrame(units).to_csv(HERE / "inventory" / "equipment.csv", index=False)


def fill_actuals(template: Path, out: Path) -> None:
    sheets = pd.read_excel(template, sheet_name=None)
    poles = sheets["poles"]
    poles["note"] = poles["note"].astype(object)
    for k, row in poles.iterrows():
        r = RULES[row["service"]]
        fte = row["plan_fte (FTE)"] * r["fte"]
        values = {"workload": row["plan_workload"] * r["workload"], "fte (FTE)": fte,
                  "machine_days (days)": row["plan_machine_days (days)"] * r["machine_days"],
                  "machine_units (units)": row["plan_machine_units (units)"],
                  "staff_eur (€/yr)": row["plan_staff_eur (€/yr)"] * r["fte"] * r["staff_per_fte"],
                  "supplies_eur (€/yr)": row["plan_supplies_eur (€/yr)"] * r["workload"] * r["supplies"],
                  "vehicles_eur (€/yr)": row["plan_vehicles_eur (€/yr)"] * r["fte"],
                  "machines_eur (€/yr)": row["plan_machines_eur (€/yr)"],
                  "contract_eur (€/yr)": row["plan_contract_eur (€/yr)"] * r["workload"] * r["contract"],
                  "coordination_eur (€/yr)": row["plan_coordination_eur (€/yr)"]}
        for column, v in values.items():
            poles.loc[k, column] = round(float(v), 2)
        poles.loc[k, "note"] = "MADE-UP figures for the example"
    communes = sheets["communes"]
    communes["note"] = communes["note"].astype(object)
    plan_total = poles["plan_total_eur (€/yr)"].sum()
    actual_total = poles[[c for c in poles.columns if c.endswith("(€/yr)") and not c.startswith("plan_")]].sum().sum()
    for k, row in communes.iterrows():
        r = RULES[row["service"]]
        communes.loc[k, "workload"] = round(row["plan_workload"] * r["workload"], 3)
        if str(row["insee_code"]) != MISSING_COMMUNE:
            communes.loc[k, "paid_eur (€/yr)"] = round(row["plan_paid_eur (€/yr)"] * actual_total / plan_total, 2)
        communes.loc[k, "response_time_days (days)"] = 4.5 if row["service"] in ("voirie", "espaces_verts") else 3.0
        communes.loc[k, "response_time_days_before (days)"] = 6.0 if row["service"] in ("voirie", "espaces_verts") else 3.5
        communes.loc[k, "complaints (number)"] = 2 if row["service"] == "espaces_verts" else 1
        communes.loc[k, "complaints_before (number)"] = 3 if row["service"] == "espaces_verts" else 1
        if row["service"] == "espaces_verts":
            communes.loc[k, "mowing_passes_done_share (share 0-1)"] = 0.92
        communes.loc[k, "note"] = "MADE-UP figures for the example"
    readme = sheets["README"]
    readme.loc[-1] = ["EXAMPLE", "Chiffres INVENTÉS pour l'exemple / figures MADE UP for the example "
                      "(scenarios/bilan-example/make_example.py)"]
    readme = readme.sort_index()
    from optimiser.services.inventory import write_workbook

    write_workbook(out, {"README": readme, "poles": poles, "communes": communes})


def main() -> None:
    python = sys.executable
    write_inventory()
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        subprocess.run([python, "-m", "optimiser", "run", str(SCENARIO), "--out", str(plan), "--quiet"], check=True)
        template = Path(tmp) / "template.xlsx"
        subprocess.run([python, "-m", "optimiser", "template", "actuals", str(plan), "--out", str(template)], check=True)
        fill_actuals(template, HERE / "actuals-example.xlsx")
    print(f"wrote {HERE / 'inventory'} and {HERE / 'actuals-example.xlsx'}")


if __name__ == "__main__":
    main()
