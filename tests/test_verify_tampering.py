"""Tampering matrix: each file and column of a result folder edited once; the verifier must name
what was edited (a violation, exit 4), or refuse a folder it cannot read (exit 2, the file named).
Harmless rewrites (whitespace, row order, re-indented JSON) must still pass.

Three real folders: Laval 2016 poles (CBC), Laval 2016 service commun with services (HiGHS), and
the poles scenario made infeasible (a folder without a design, written through the API).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import DATA
from shared import SERVICE_COMMUN, solved, written

from optimiser.cli import main
from optimiser.errors import InputError
from optimiser.verification.pricing import COST_CATEGORIES
from optimiser.verify import verify_result

# --------------------------------------------------------------------------------- folders

@pytest.fixture(scope="module")
def poles(tmp_path_factory):
    return written(tmp_path_factory, "laval-2016")  # shared with test_verify, read only: the cases edit a copy


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    # solved and written once per session, the same folder as the print tests' (read only: the cases edit a copy)
    return written(tmp_path_factory, *SERVICE_COMMUN)


@pytest.fixture(scope="module")
def no_design(tmp_path_factory):
    result = solved(tmp_path_factory, "laval-2016", ["poles.population.min=60000"])
    assert result.status == "infeasible"
    return result.to_dir(tmp_path_factory.mktemp("none") / "r", draw=False)


def slow_for_services(cases, ids):
    """The cases as ``pytest.param`` objects, those on the service folder marked slow: the first to
    run pays its solve (left out of ``make test-fast``)."""
    return [pytest.param(*c, id=i, marks=[pytest.mark.slow] if c[0] == "services" else []) for c, i in zip(cases, ids)]


#: What the verifier never reads and no case edits — the fiches, the workbook, the GeoPackage:
#: half of a folder's bytes — is hard-linked into a case's copy instead of copied; the rest is
#: copied without its metadata (the verifier reads contents, not dates). A copy took 110 ms of
#: wall time on a loaded machine, 40 ms so.
SHARED = ("fiches", "result.xlsx", "result.gpkg")


def cheap_copy(source: Path, target: Path) -> None:
    def copy(src, dst):
        if Path(src).relative_to(source).parts[0] in SHARED:
            os.link(src, dst)
        else:
            shutil.copyfile(src, dst)

    shutil.copytree(source, target, copy_function=copy)


def shared_files(folder: Path) -> dict:
    """(inode, size, modification time) of each hard-linked file of a copy."""
    out = {}
    for name in SHARED:
        top = folder / name
        for path in [top, *sorted(top.rglob("*"))] if top.is_dir() else [top]:
            if path.is_file():
                info = path.stat()
                out[path] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return out


def tampered(request, kind: str, edit, tmp_path):
    source = request.getfixturevalue(kind)
    target = tmp_path / "copy"
    cheap_copy(source, target)
    linked = shared_files(target)
    edit(target)
    assert shared_files(target) == linked, "an edit wrote into a file hard-linked with the shared folder: copy it instead"
    return target


# ------------------------------------------------------------------------------------ edits

def number(text: str) -> str:
    return repr(float(text)) if "." in text or "e" in text.lower() else str(int(text))


def plus(x: float):
    return lambda old: number(str(float(old) + x))


def flip(old: str) -> str:
    return {"True": "False", "False": "True"}[old]


def csv_set(name: str, column: str, value, where=None):
    """Set ``column`` of the first row matching ``where(table)`` (default the first row)."""
    def edit(folder):
        table = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        row = table.index[where(table)][0] if where is not None else table.index[0]
        old = table.at[row, column]
        table.at[row, column] = value(old) if callable(value) else value
        assert table.at[row, column] != old, (name, column, old)
        table.to_csv(folder / name, index=False)
    return edit


def csv_edit(name: str, change):
    def edit(folder):
        table = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        change(table).to_csv(folder / name, index=False)
    return edit


def csv_drop(name: str, where=None):
    return csv_edit(name, lambda t: t.drop(t.index[where(t)][0] if where is not None else t.index[0]))


def json_set(name: str, path: str, value):
    def edit(folder):
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        *parents, key = path.split(".")
        node = data
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        node[int(key) if isinstance(node, list) else key] = value(node[int(key) if isinstance(node, list) else key]) \
            if callable(value) else value
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return edit


def sub(name: str, pattern: str, replacement: str):
    """Replace the first match of a regular expression in a text file (it must match)."""
    def edit(folder):
        text = (folder / name).read_text(encoding="utf-8")
        new, n = re.subn(pattern, replacement, text, count=1)
        assert n == 1 and new != text, (name, pattern)
        (folder / name).write_text(new, encoding="utf-8")
    return edit


def yaml_set(path: str, value):
    def edit(folder):
        data = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
        *parents, key = path.split(".")
        node = data
        for p in parents:
            node = node[p]
        node[key] = value
        (folder / "scenario.resolved.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return edit


def both(*edits):
    def edit(folder):
        for e in edits:
            e(folder)
    return edit


def rename_pole(old: str, new: str):
    return both(csv_edit("communes.csv", lambda t: t.replace({"pole": {old: new}})),
                csv_edit("poles.csv", lambda t: t.replace({"pole": {old: new}})))


def not_seat(t):
    return t["insee_code"] != t["seat_insee_code"]


def swap_geometries(folder):
    data = json.loads((folder / "poles.geojson").read_text(encoding="utf-8"))
    f = data["features"]
    f[0]["geometry"], f[1]["geometry"] = f[1]["geometry"], f[0]["geometry"]
    (folder / "poles.geojson").write_text(json.dumps(data), encoding="utf-8")


def drop_feature(folder):
    data = json.loads((folder / "poles.geojson").read_text(encoding="utf-8"))
    data["features"].pop(0)
    (folder / "poles.geojson").write_text(json.dumps(data), encoding="utf-8")


def copy_design_in(folder):
    (folder / "communes.csv").write_text("insee_code,name\n53130,Laval\n", encoding="utf-8")


def outside_inputs(folder):
    yaml_set("territory.communes", str((DATA / "laval_agglo_2016.geojson").resolve()))(folder)


def drop_core_row_and_count(folder):
    csv_drop("core.csv")(folder)
    core = pd.read_csv(folder / "core.csv")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary["blocking_coalitions"] = len(core)
    summary["blocking_coalitions_material"] = int((core["gain_pct"] >= 0.01).sum())
    summary["largest_blocking_gain_eur"] = float(core["gain_eur"].max())
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def regie(t):
    return t["mode"] == "regie"


def delegation(t):
    return t["mode"] == "delegation"


def pooled(t):
    return t["choice"].str.startswith("pooled")


def category_row(column):
    """A row where the category costs something (the first row when none does)."""
    def where(t):
        positive = t[column].astype(float) > 0
        return positive if positive.any() else t.index == t.index[0]
    return where


def first_pooler_dropped(t):
    row = t.index[t["mode"] == "delegation"][0]
    codes = t.at[row, "poolers_codes"].split(";")
    t.at[row, "poolers_codes"] = ";".join(codes[1:])
    return t


# ------------------------------------------------------------------------------------ cases

POLES = [
    # status
    ("status-unknown-word", json_set("summary.json", "status", "banana"), "is not one of optimal, feasible"),
    ("status-infeasible-with-design", json_set("summary.json", "status", "infeasible"), "says there is no design"),
    ("status-error-with-design", json_set("summary.json", "status", "error"), "says there is no design"),
    ("status-feasible-report-optimal", json_set("summary.json", "status", "feasible"), "report.md: the status"),
    ("objective-infinite", json_set("summary.json", "objective", float("inf")), "not a finite number"),
    ("gap-inconsistent", json_set("summary.json", "gap", 0.05), "gap 0.05 but objective"),
    ("gap-tolerance", json_set("summary.json", "solver_options.gap", 0.5), "solver_options.gap"),
    ("bound-above", json_set("summary.json", "bound", lambda b: b * 1.5), "above objective"),
    # summary figures
    ("summary-objective", json_set("summary.json", "objective", lambda x: x * 1.01), "objective: summary.json says"),
    ("summary-n_poles", json_set("summary.json", "n_poles", lambda x: x + 1), "n_poles"),
    ("summary-n_alone", json_set("summary.json", "n_alone", 1), "n_alone"),
    ("summary-mean_travel", json_set("summary.json", "mean_travel_min", lambda x: x * 1.1), "mean_travel_min"),
    ("summary-n_communes", json_set("summary.json", "n_communes", 21), "n_communes"),
    ("summary-population", json_set("summary.json", "population", lambda x: x + 1), "population"),
    ("summary-territory-name", json_set("summary.json", "territory.name", "Elsewhere"), "territory.name"),
    ("summary-mode", json_set("summary.json", "mode", "p-median"), "mode"),
    ("summary-contiguity", json_set("summary.json", "contiguity", "none"), "contiguity"),
    ("summary-circuity", json_set("summary.json", "roads.circuity", 1.5), "roads.circuity"),
    ("summary-unit", json_set("summary.json", "objective_unit", "person-km"), "objective_unit"),
    # communes.csv
    ("communes-name", csv_set("communes.csv", "name", "Paris"), "name 'Paris'"),
    ("communes-population", csv_set("communes.csv", "population", plus(100)), "population"),
    ("communes-pole-ids", rename_pole("P1", "P7"), "P1, P2, ... by decreasing population"),
    ("communes-pole_name", csv_set("communes.csv", "pole_name", "Pôle Nulle Part", not_seat), "pole_name"),
    ("communes-seat_name", csv_set("communes.csv", "seat_name", "Nulle Part", not_seat), "seat_name"),
    ("communes-is_seat", csv_set("communes.csv", "is_seat", flip, not_seat), "is_seat"),
    ("communes-alone", csv_set("communes.csv", "alone", flip), "alone is True"),
    ("communes-travel_min", csv_set("communes.csv", "travel_min", plus(1), not_seat), "travel_min"),
    ("communes-travel_km", csv_set("communes.csv", "travel_km", plus(1), not_seat), "travel_km"),
    ("communes-row-deleted", csv_drop("communes.csv"), "missing from communes.csv"),
    # poles.csv
    ("poles-pole_name", csv_set("poles.csv", "pole_name", "Pôle X"), "name 'Pôle X'"),
    ("poles-kind", csv_set("poles.csv", "kind", "proximity pole", lambda t: t["pole"] == "SC"), "kind 'proximity pole'"),
    ("poles-seat_name", csv_set("poles.csv", "seat_name", "X"), "seat_name 'X'"),
    ("poles-n_communes", csv_set("poles.csv", "n_communes", plus(1)), "n_communes"),
    ("poles-population", csv_set("poles.csv", "population", plus(1)), "population"),
    ("poles-max_travel_min", csv_set("poles.csv", "max_travel_min", plus(1)), "max_travel_min"),
    ("poles-mean_travel_min", csv_set("poles.csv", "mean_travel_min", plus(0.5)), "mean_travel_min"),
    ("poles-max_travel_km", csv_set("poles.csv", "max_travel_km", plus(1)), "max_travel_km"),
    ("poles-on_its_own", csv_set("poles.csv", "on_its_own", flip), "on_its_own"),
    ("poles-members", csv_set("poles.csv", "members", lambda m: m.replace("Laval", "Paris")), "members"),
    ("poles-row-deleted", csv_drop("poles.csv"), "poles.csv lists"),
    # poles.geojson
    ("geojson-population", json_set("poles.geojson", "features.0.properties.population", 1), "poles.geojson: feature 0"),
    ("geojson-members", json_set("poles.geojson", "features.1.properties.members", "Laval"), "members"),
    ("geojson-outlines-swapped", swap_geometries, "outline differs"),
    ("geojson-feature-deleted", drop_feature, "has no feature"),
    # report.md
    # report.md (French, the default): each section compared with the one the verified files give
    ("md-objective", sub("report.md", r"(\| Objectif \([^)]*\) \| )[\d\u202f,]+", r"\g<1>1,0"),
     "section “Fiabilité du calcul et reproduction”"),
    ("md-status", sub("report.md", r"\*\*optimal\*\*", "**réalisable**"), "report.md: the status"),
    ("md-pole-population", sub("report.md", r"(\| P1 (?:\|[^|]*){4}\| )[\d\u202f]+", r"\g<1>1 000 000"), "section “Les pôles”"),
    ("md-commune-trip", sub("report.md", r"(\| Montflours (?:\|[^|]*){3}\| )[\d,]+ min", r"\g<1>0,1 min"), "section “Les communes”"),
    ("md-rule", sub("report.md", "plus de 25 minutes", "plus de 30 minutes"), "section “Les règles de ce scénario”"),
    ("md-mean-line", sub("report.md", r"(\| Trajet moyen vers le siège \| )[\d,]+", r"\g<1>1,0"), "section “En bref”"),
    ("md-pole-row-deleted", sub("report.md", r"\n\| P2 [^\n]*", ""), "section “Les pôles”"),
    # report.html
    ("html-status", sub("report.html", '<p class="status-word">Optimal', '<p class="status-word">Réalisable'), "status box"),
    ("html-objective", sub("report.html", r"(Objectif \([^)]*\)</th><td>)[\d\u202f,]+", r"\g<1>1,0"), "Objectif ("),
    ("html-average", sub("report.html", r"(<dt>Trajet moyen vers le siège</dt><dd>)[\d,]+", r"\g<1>1,0"), "Trajet moyen vers le siège"),
    ("html-pole-population", sub("report.html", r'(<tr data-pole="P1">(?:<td[^>]*>[^<]*</td>){5}<td class="num" data-sort="[^"]*">)[\d\u202f]+',
                                 r"\g<1>1"), "table poles, row P1, Population"),
    ("html-pole-data-sort", sub("report.html", r'(<tr data-pole="P1">(?:<td[^>]*>[^<]*</td>){5}<td class="num" data-sort=")[^"]*',
                                r"\g<1>1.0"), "sorts as"),
    ("html-commune-trip", sub("report.html", r'(<tr data-code="53156">.*?data-sort="[\d.]+">)[\d,]+ min', r"\g<1>0,1 min"),
     "table communes, row "),
    ("html-tooltip", sub("report.html", r'("Population","[\d\u202f]+")', '"Population","1"'), "tooltip"),
    # inputs and the scenario
    ("inputs-territory-edited", sub("inputs/laval_agglo_2016.geojson", r'"population": ?(\d)', r'"population": 9\1'), "hash"),
    ("inputs-outside", outside_inputs, "outside the folder's inputs/"),
    ("scenario-cutoff", yaml_set("poles.max_travel_min", 10.0), "travel cut-off"),
    ("scenario-size", yaml_set("poles.population.min", 20000), "pole size and count bounds"),
]

NO_DESIGN = [
    ("status-unknown-word", json_set("summary.json", "status", "banana"), "is not one of"),
    ("objective-given", json_set("summary.json", "objective", 123.0), "(no design) with an objective"),
    ("design-file-added", copy_design_in, "the folder holds communes.csv"),
    ("n_poles", json_set("summary.json", "n_poles", 3), "(no design) with 3 poles"),
    ("md-status", sub("report.md", r"\*\*infaisable\*\*", "**optimal**"), "report.md: the status"),
    ("html-status", sub("report.html", '<p class="status-word">Infaisable', '<p class="status-word">Optimal'), "status box"),
    ("summary-population", json_set("summary.json", "population", 1), "population"),
]

SERVICES = [
    # the seat rule: a folder whose scenario says seats hold 90 % of their pole, which its design breaks
    ("seat-share-rule", yaml_set("poles.seats.min_population_share", 0.9), "below poles.seats.min_population_share 0.9"),
    ("seat-share-no-team-exemption", both(yaml_set("poles.seats.min_population_share", 0.9), yaml_set("poles.seats.team_seats", False)),
     "team seats are off"),
    # services.csv: every cost category, the totals and the other columns
    *[(f"services-{c.column}", csv_set("services.csv", c.column, plus(1000.0), category_row(c.column)), c.column)
      for c in COST_CATEGORIES],
    ("services-total", csv_set("services.csv", "total_eur", plus(1000.0)), "total_eur"),
    ("services-borrower-payments", csv_set("services.csv", "borrower_payments_eur", plus(1000.0)), "borrower_payments_eur"),
    ("services-poolers_eur", csv_set("services.csv", "poolers_eur", plus(1000.0)), "poolers_eur"),
    ("services-fte", csv_set("services.csv", "fte", plus(1.0), regie), "FTE"),
    ("services-lots", csv_set("services.csv", "lots", plus(1), delegation), "lots"),
    ("services-workload", csv_set("services.csv", "workload", plus(10.0), delegation), "workload"),
    ("services-unit_cost", csv_set("services.csv", "unit_cost_eur", plus(10.0), delegation), "unit_cost_eur"),
    ("services-poolers-names", csv_set("services.csv", "poolers", lambda v: v.replace("Laval", "Paris"), regie), "poolers"),
    ("services-pole_name", csv_set("services.csv", "pole_name", "X"), "pole_name 'X'"),
    ("services-mode", csv_set("services.csv", "mode", "regie", delegation), "chosen"),
    ("services-pooler-dropped", csv_edit("services.csv", first_pooler_dropped), "but the codes name"),
    ("services-row-repeated", csv_edit("services.csv", lambda t: pd.concat([t, t.iloc[[0]]])), "listed more than once"),
    # equipment.csv
    ("equipment-units", csv_set("equipment.csv", "units_needed", plus(1)), "units"),
    ("equipment-reused", csv_set("equipment.csv", "reused", plus(1), lambda t: t["units_needed"] != "0"), "reused"),
    ("equipment-days", csv_set("equipment.csv", "machine_days", plus(5.0), lambda t: t["units_needed"] != "0"), "machine-days"),
    ("equipment-users", csv_set("equipment.csv", "users", "Paris", lambda t: t["units_needed"] != "0"), "users 'Paris'"),
    ("equipment-row-deleted", csv_drop("equipment.csv"), "equipment.csv has 0 rows"),
    ("equipment-peak-days", csv_set("equipment.csv", "peak_machine_days", plus(5.0), lambda t: t["equipment"] == "ride_on_mower_pro"),
     "peak month"),
    ("equipment-peak-capacity", csv_set("equipment.csv", "peak_capacity_days", plus(21.0),
                                        lambda t: t["equipment"] == "tractor_with_flail_arm"), "peak month"),
    # shares.csv
    ("shares-pays", csv_set("shares.csv", "pays_eur", plus(5000.0), pooled), "cost shares"),
    ("shares-standalone", csv_set("shares.csv", "standalone_eur", plus(5000.0)), "standalone"),
    ("shares-saving", csv_set("shares.csv", "saving_eur", plus(5000.0)), "saving"),
    ("shares-choice", csv_set("shares.csv", "choice", "kept-regie", pooled), "choice kept-regie"),
    ("shares-forced", csv_set("shares.csv", "forced", flip), "forced"),
    ("shares-key", csv_set("shares.csv", "key", "population"), "key population"),
    ("shares-pays-more", csv_set("shares.csv", "pays_more_than_alone", flip), "pays_more_than_alone"),
    ("shares-row-deleted", csv_drop("shares.csv"), "shares.csv rows differ"),
    # members.csv
    ("members-share", csv_set("members.csv", "share", plus(1000.0)), "members.csv"),
    ("members-saving", csv_set("members.csv", "saving", plus(1000.0)), "members.csv"),
    ("members-name", csv_set("members.csv", "name", "Paris"), "Paris"),
    ("members-row-deleted", csv_drop("members.csv"), "members.csv lists"),
    # regie_vs_delegation.csv
    ("rvd-regie", csv_set("regie_vs_delegation.csv", "regie_eur", plus(1000.0)), "regie_eur"),
    ("rvd-delegation", csv_set("regie_vs_delegation.csv", "delegation_eur", plus(1000.0)), "delegation_eur"),
    ("rvd-difference", csv_set("regie_vs_delegation.csv", "difference_eur", plus(1000.0)), "difference_eur"),
    ("rvd-cheaper", csv_set("regie_vs_delegation.csv", "cheaper", lambda v: "regie" if v == "delegation" else "delegation"), "cheaper"),
    ("rvd-chosen", csv_set("regie_vs_delegation.csv", "chosen", lambda v: "regie" if v == "delegation" else "delegation"), "chosen"),
    ("rvd-fte", csv_set("regie_vs_delegation.csv", "regie_fte", plus(1.0)), "FTE"),
    ("rvd-row-deleted", csv_drop("regie_vs_delegation.csv"), "regie_vs_delegation.csv lists"),
    # status_quo.csv
    ("status-quo-staff", csv_set("status_quo.csv", "staff_eur", plus(1000.0), regie), "status quo"),
    ("status-quo-total", csv_set("status_quo.csv", "total_eur", plus(1000.0)), "status quo"),
    ("status-quo-mode", csv_set("status_quo.csv", "mode", "regie", delegation), "mode regie"),
    ("status-quo-fte", csv_set("status_quo.csv", "fte", plus(1.0)), "FTE"),
    ("status-quo-polyvalent", csv_set("status_quo.csv", "polyvalent_fte", plus(0.5)), "polyvalent_fte"),
    ("status-quo-workload", csv_set("status_quo.csv", "workload", plus(1.0)), "workload"),
    ("status-quo-estimated", csv_set("status_quo.csv", "estimated", ""), "estimated"),
    # core.csv
    ("core-gain", csv_set("core.csv", "gain_eur", plus(1000.0)), "core check"),
    ("core-pays", csv_set("core.csv", "pays_now_eur", plus(1000.0)), "pays"),
    ("core-group", csv_set("core.csv", "group_codes", "53130;53001"), "not a proper group"),
    ("core-row-deleted-and-counted", drop_core_row_and_count, "core.csv does not list them"),
    # parameters.csv
    ("parameters-value", csv_set("parameters.csv", "value", lambda v: number(str(float(v) * 2)),
                                 lambda t: t["parameter"] == "productivity"), "value"),
    ("parameters-source", csv_set("parameters.csv", "source", "made_up_key", lambda t: t["parameter"] == "productivity"), "source"),
    ("parameters-confidence", csv_set("parameters.csv", "confidence", "high", lambda t: t["confidence"] == "low"), "confidence"),
    ("parameters-note", csv_set("parameters.csv", "note", "trust me", lambda t: t["note"] != ""), "another note"),
    ("parameters-row-deleted", csv_drop("parameters.csv", lambda t: t["parameter"] == "productivity"), "is used but not listed"),
    ("parameters-row-added", csv_edit("parameters.csv", lambda t: pd.concat([t, t.iloc[[0]].assign(parameter="bonus")])),
     "is listed but not"),
    # cost columns of communes.csv
    ("communes-choice", csv_set("communes.csv", "voirie", "kept-regie"), "voirie kept-regie"),
    ("communes-standalone", csv_set("communes.csv", "standalone_cost", plus(1000.0)), "communes.csv"),
    ("communes-share", csv_set("communes.csv", "share", plus(1000.0)), "communes.csv"),
    ("communes-saving", csv_set("communes.csv", "saving", plus(1000.0)), "communes.csv"),
    ("communes-saving_pct", csv_set("communes.csv", "saving_pct", plus(0.1)), "communes.csv"),
    ("communes-services_pooled", csv_set("communes.csv", "services_pooled", "voirie"), "services_pooled"),
    ("communes-estimated", csv_set("communes.csv", "estimated", ""), "estimated"),
    ("communes-pays-more", csv_set("communes.csv", "pays_more_than_alone", flip), "communes.csv"),
    # summary.json cost figures
    *[(f"summary-{key}", json_set("summary.json", key, change), key) for key, change in (
        ("total_cost", lambda x: x + 1000), ("status_quo_cost", lambda x: x + 1000), ("savings", lambda x: x + 1000),
        ("savings_pct", lambda x: x + 0.01), ("services_pooled", lambda x: x + 1), ("services_borrowed", lambda x: x + 1),
        ("pole_services", lambda x: x + 1), ("fairness_key", lambda x: "population"),
        ("voluntary_members_paying_more", lambda x: x + 1), ("forced_members_paying_more", lambda x: x + 1),
        ("blocking_coalitions", lambda x: x + 1), ("blocking_coalitions_material", lambda x: x + 1),
        ("largest_blocking_gain_eur", lambda x: x + 1000), ("core_check_complete", lambda x: not x),
        ("estimated_fields", lambda x: x + 1))],
    ("summary-objective", json_set("summary.json", "objective", lambda x: x * 1.01), "objective"),
    # the reports' cost figures
    ("md-cost-summary", sub("report.md", r"(\| Coût avec cette organisation \| )[\d\u202f]+", r"\g<1>1"), "section “En bref”"),
    ("md-counts", sub("report.md", r"\d+ services communaux sont mutualisés", "99 services communaux sont mutualisés"),
     "section “En bref”"),
    ("md-pole-service", sub("report.md", r"(\| P1 \| Éclairage public \|(?:[^|]*\|){4} )[\d\u202f]+", r"\g<1>1"),
     "section “Services et modes de gestion”"),
    ("md-rvd", sub("report.md", r"(\| P1 \| Éclairage public \| )[\d\u202f]+(\s€ \| [\d\u202f]+\s€ \|)", r"\g<1>1\2"),
     "section “Services et modes de gestion”"),
    ("md-member", sub("report.md", r"(\n\| Laval \| [\d\u202f]+\s€ \| [\d\u202f]+\s€ \| )[^|]+", r"\g<1>99 € "),
     "section “Ce que paie chaque membre”"),
    ("md-core", sub("report.md", r"(\| SC \| Bâtiments \| [^|]*\| [\d\u202f]+\s€ \| [\d\u202f]+\s€ \| )[\d\u202f]+", r"\g<1>1"),
     "section “Stabilité du partage (test du cœur)”"),
    ("html-total", sub("report.html", r"(<dt>Coût avec cette organisation</dt><dd>)[\d\u202f]+", r"\g<1>1"), "Coût avec cette organisation"),
    ("html-services", sub("report.html", r'(<table id="services".*?<td class="num" data-sort="[\d.]+">)\d+', r"\g<1>99"),
     "table services"),
    ("html-rvd", sub("report.html", r'(<table id="regie-vs-delegation".*?<td class="num" data-sort="[\d.]+">)[\d\u202f]+', r"\g<1>1"),
     "table regie-vs-delegation"),
    ("html-commune-saving", sub("report.html", r'(<tr data-code="53001">.*?<td class="num" data-sort="[\d.e+-]+">)\+[\d\u202f]+', r"\g<1>1"),
     "table communes, row Ahuillé"),
    # a scenario override the results do not reflect
    ("scenario-override", yaml_set("pooling.coordination_eur", 1000.0), "pooling.coordination_eur: the scenario sets"),
]


#: Cases of each family of the Laval poles folder (``summary-…``, ``communes-…``, ``html-…``: the
#: file edited) kept in ``make test-fast``; the rest, 0.1-0.2 CPU-s of verification each, run in
#: ``make test`` (as the bad-input corpus samples its light families).
SAMPLE = 2


def sampled(cases, name=lambda case: case[0]) -> list:
    """The cases as ``pytest.param`` objects, those beyond each family's first :data:`SAMPLE` slow."""
    seen: dict[str, int] = {}
    params = []
    for case in cases:
        family = name(case).split("-")[0]
        seen[family] = seen.get(family, 0) + 1
        params.append(pytest.param(*case, id=name(case), marks=[pytest.mark.slow] if seen[family] > SAMPLE else []))
    return params


@pytest.mark.parametrize("name, edit, needle", sampled(POLES))
def test_poles_tampering_is_named(request, tmp_path, name, edit, needle):
    outcome = verify_result(tampered(request, "poles", edit, tmp_path))
    text = "\n".join(outcome.violations)
    assert not outcome.ok and needle in text, text


@pytest.mark.parametrize("name, edit, needle", NO_DESIGN, ids=[c[0] for c in NO_DESIGN])
def test_no_design_tampering_is_named(request, tmp_path, name, edit, needle):
    outcome = verify_result(tampered(request, "no_design", edit, tmp_path))
    text = "\n".join(outcome.violations)
    assert not outcome.ok and needle in text, text


@pytest.mark.slow
@pytest.mark.parametrize("name, edit, needle", SERVICES, ids=[c[0] for c in SERVICES])
def test_services_tampering_is_named(request, tmp_path, name, edit, needle):
    outcome = verify_result(tampered(request, "services", edit, tmp_path))
    text = "\n".join(outcome.violations)
    assert not outcome.ok and needle in text, text


# --------------------------------------------------------------------------- unreadable

def truncate(name: str):
    def edit(folder):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_text(text[: len(text) // 2], encoding="utf-8")
    return edit


def remove(name: str):
    return lambda folder: (folder / name).unlink()


UNREADABLE = [
    ("poles", "summary-truncated", truncate("summary.json"), ["summary.json", "not valid JSON", "truncated"]),
    ("poles", "summary-not-an-object", lambda f: (f / "summary.json").write_text("[]"), ["summary.json", "JSON object"]),
    ("poles", "summary-key-missing", json_set("summary.json", "n_poles", None), ["summary.json", "n_poles"]),
    ("poles", "summary-objective-text", json_set("summary.json", "objective", "12"), ["summary.json", "objective"]),
    ("poles", "summary-status-number", json_set("summary.json", "status", 3), ["summary.json", "status"]),
    ("poles", "communes-missing", remove("communes.csv"), ["communes.csv", "missing"]),
    ("poles", "poles-missing", remove("poles.csv"), ["poles.csv", "missing"]),
    ("poles", "geojson-missing", remove("poles.geojson"), ["poles.geojson", "missing"]),
    ("poles", "geojson-truncated", truncate("poles.geojson"), ["poles.geojson", "not valid JSON"]),
    ("poles", "report-md-missing", remove("report.md"), ["report.md", "missing"]),
    ("poles", "report-html-missing", remove("report.html"), ["report.html", "missing"]),
    ("poles", "scenario-missing", remove("scenario.resolved.yaml"), ["scenario.resolved.yaml", "missing"]),
    ("poles", "communes-cell-not-a-number", csv_set("communes.csv", "travel_min", "fast", not_seat),
     ["communes.csv", "travel_min", "expected a finite number"]),
    ("poles", "communes-column-dropped", csv_edit("communes.csv", lambda t: t.drop(columns=["population"])),
     ["communes.csv", "missing column population"]),
    ("poles", "poles-cell-not-whole", csv_set("poles.csv", "n_communes", "2.5"), ["poles.csv", "n_communes", "whole number"]),
    ("poles", "communes-bool", csv_set("communes.csv", "alone", "maybe"), ["communes.csv", "alone", "True or False"]),
    ("services", "services-missing", remove("services.csv"), ["services.csv", "missing"]),
    ("services", "parameters-missing", remove("parameters.csv"), ["parameters.csv", "missing"]),
    ("services", "members-missing", remove("members.csv"), ["members.csv", "missing"]),
    ("services", "shares-truncated", truncate("shares.csv"), ["shares.csv"]),
    ("services", "summary-cost-missing", json_set("summary.json", "total_cost", None), ["summary.json", "total_cost"]),
]


@pytest.mark.parametrize("kind, name, edit, needles", [
    pytest.param(*c.values, id=c.id, marks=[*c.marks, *(() if c.values[0] == "poles" else [pytest.mark.slow])])
    for c in sampled(UNREADABLE, name=lambda case: case[1])])
def test_unreadable_folder_is_a_clear_input_error(request, tmp_path, kind, name, edit, needles):
    if name == "summary-key-missing" or name == "summary-cost-missing":
        key = "n_poles" if name == "summary-key-missing" else "total_cost"
        edit = lambda f: (f / "summary.json").write_text(  # noqa: E731 - delete the key
            json.dumps({k: v for k, v in json.loads((f / "summary.json").read_text()).items() if k != key}))
    folder = tampered(request, kind, edit, tmp_path)
    with pytest.raises(InputError) as caught:
        verify_result(folder)
    for needle in needles:
        assert needle in str(caught.value), str(caught.value)


# ------------------------------------------------------------------------------ harmless

def whitespace(folder):
    for name in ("report.md",):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_text("\n".join("  ".join(line.split(" ")) + "  " for line in text.splitlines()) + "\n", encoding="utf-8")


def rewrite_every_csv(folder):
    for path in folder.glob("*.csv"):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if path.name == "communes.csv":
            table = table.sample(frac=1.0, random_state=1)  # row order carries no meaning
        table.to_csv(path, index=False)


def reindent_summary(folder):
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    (folder / "summary.json").write_text(json.dumps(dict(reversed(list(data.items()))), indent=4), encoding="utf-8")


HARMLESS = [("poles", both(whitespace, rewrite_every_csv, reindent_summary)),
            ("no_design", both(whitespace, reindent_summary)),
            ("services", both(whitespace, rewrite_every_csv, reindent_summary))]


@pytest.mark.parametrize("kind, edit", slow_for_services(HARMLESS, ids=[c[0] for c in HARMLESS]))
def test_harmless_rewrites_pass(request, tmp_path, kind, edit):
    assert verify_result(request.getfixturevalue(kind)).ok
    outcome = verify_result(tampered(request, kind, edit, tmp_path))
    assert outcome.ok, outcome.violations


# ----------------------------------------------------------------------------------- CLI

def test_cli_exit_codes(poles, no_design, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["verify", str(poles)])
    assert result.exit_code == 0 and "checks passed" in result.output
    result = runner.invoke(main, ["verify", str(no_design)])
    assert result.exit_code == 0, result.output
    banana = tmp_path / "banana"
    cheap_copy(poles, banana)
    json_set("summary.json", "status", "banana")(banana)
    result = runner.invoke(main, ["verify", str(banana)])
    assert result.exit_code == 4 and "FAIL  status is honest: status 'banana'" in result.output
    broken = tmp_path / "broken"
    cheap_copy(poles, broken)
    truncate("summary.json")(broken)
    result = runner.invoke(main, ["verify", str(broken)])
    assert result.exit_code == 2 and "summary.json" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------------ what is kept

#: Cases whose verification reuses what the verifier kept from the folders before it (.memo,
#: .report_sections: tables, prices, renderings, sections by content): one per kind of file edited.
#: Each verifies twice, the second time from nothing (memo.clear(): 1.3 CPU-s on the service
#: folder), so the service cases are few and left to ``make test``.
KEPT = [("poles", c) for c in POLES if c[0] in ("summary-objective", "communes-pole_name", "md-pole-row-deleted", "geojson-members")] + \
       [("services", c) for c in SERVICES if c[0] in ("shares-pays", "services-staff_eur", "html-rvd")]


@pytest.mark.parametrize("kind, case", [pytest.param(k, c, id=f"{k}-{c[0]}", marks=[pytest.mark.slow] if k == "services" else [])
                                        for k, c in KEPT])
def test_what_is_kept_never_changes_a_verdict(request, tmp_path, kind, case):
    from optimiser.verification import memo

    folder = tampered(request, kind, case[1], tmp_path)  # the untouched folder was verified by the cases above
    warm = verify_result(folder).violations
    memo.clear()
    assert verify_result(folder).violations == warm
