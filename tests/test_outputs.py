"""What a service result folder gives planners and élus: French by default, English on request;
report sections that say what was optimised; a fiche per commune; result.xlsx and result.gpkg read
back with openpyxl and pyogrio; the data dictionary (no browser here: see test_print_browser.py)."""

from __future__ import annotations

import re
import string

import openpyxl
import pandas as pd
import pyogrio
import pyogrio.raw
import pytest
from helpers import REPO
from htmlparse import parse, table_rows
from shared import DELEGATED, solved

from optimiser.errors import InputError
from optimiser.results import dictionary, i18n
from optimiser.results.i18n import using
from optimiser.results.workbook import DICTIONARY_SHEET, SHEETS

#: Codes a reader must never see in the text of a report or fiche (CSV values, not words).
RAW_CODES = ["pooled-regie", "pooled-delegation", "borrows-machines", "kept-regie", "kept-delegation", "espaces_verts",
             "aerial_lift_truck", "ride_on_mower_pro", "contract_eur"]
SECTIONS = ["summary", "map", "poles", "services", "sources", "equipment", "staff", "shares", "flows", "core", "forced",
            "estimates", "status-quo-check", "communes", "rules", "method"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    result = solved(tmp_path_factory, *DELEGATED)
    base = tmp_path_factory.mktemp("outputs")
    # no PNG maps or charts: no test here reads them (report.html draws its own in SVG; test_cli
    # and test_services check the drawn files)
    return result, result.to_dir(base / "fr", draw=False), result.to_dir(base / "en", draw=False, lang="en")


def visible_text(page: str) -> str:
    root = parse(page)
    return " ".join(element.text() for element in root.iter("main"))


def test_catalogue_has_both_languages_with_the_same_placeholders():
    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
    for key, entry in i18n.MESSAGES.items():
        assert set(entry) == {"fr", "en"}, key
        assert fields(entry["fr"]) == fields(entry["en"]), key


def test_language_is_chosen_in_order_and_checked(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.resolve_lang(None, None) == "fr"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.resolve_lang(None, None) == "en" and i18n.resolve_lang("FR") == "fr"
    with pytest.raises(InputError, match="expected one of fr, en"):
        i18n.resolve_lang("de")


def test_domain_words_as_planners_write_them():
    assert i18n.service_name("eclairage") == "Éclairage public" and i18n.mode_name("regie") == "Régie"
    assert i18n.kind_name("proximity pole") == "Pôle de proximité" and i18n.kind_name("service commun") == "Service commun"
    assert i18n.estimated_in_words("voirie.fte;voirie.mode;aerial_lift_truck.units") == "Voirie (effectif, mode) ; Camion nacelle (nombre)"
    with using("en"):
        assert i18n.service_name("eclairage") == "Street lighting"
        assert i18n.estimated_in_words("voirie.fte;aerial_lift_truck.units") == "Roads (staff); Aerial lift truck (number)"
        assert i18n.estimated_in_words("") == "none"


@pytest.mark.slow
def test_report_has_every_section_in_french_and_says_it_minimised_cost(folders):
    result, fr, en = folders
    page = (fr / "report.html").read_text(encoding="utf-8")
    root = parse(page)
    assert root.find("html").attrs["lang"] == "fr"
    assert [s.attrs["id"] for s in root.iter("section") if s.attrs.get("id", "").startswith("s-")] == [f"s-{s}" for s in SECTIONS]
    text = visible_text(page)
    for code in RAW_CODES:
        assert code not in text, code
    assert "la moins coûteuse" in root.find("section", id="s-rules").text()
    assert "least total travel" not in page and "trajets sont les plus courts" not in page
    method = root.find("section", id="s-method").text()
    assert "Objectif (coût total annuel (€ HT))" in method and "k€ par an" in method
    summary = root.find("section", id="s-summary").text()
    saving = result.summary["savings"] / 1000
    assert f"{saving:,.1f}".replace(",", "\u202f").replace(".", ",") + "\u00a0k€" in summary
    assert "Qui paie plus" in summary and "estimés" in summary
    _, shares = table_rows(root, "shares")  # the EPCI's own share is there
    assert any(row[0] == result.summary.get("epci_name", row[0]) for row in shares)
    assert len(shares) == len(result.service_tables.members)
    md = (fr / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Mutualisation des services techniques") and "## Estimations et fiabilité des paramètres" in md


@pytest.mark.slow
def test_english_on_request_and_csv_unchanged(folders):
    _, fr, en = folders
    page = (en / "report.html").read_text(encoding="utf-8")
    assert parse(page).find("html").attrs["lang"] == "en"
    assert "What each member pays" in page and "least total cost" in page and "Ce que paie" not in page
    for name in ("communes.csv", "services.csv", "shares.csv"):
        assert (fr / name).read_text(encoding="utf-8") == (en / name).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_fiche_per_commune_adds_up(folders):
    result, fr, en = folders
    fiches = sorted(p.stem for p in (fr / "fiches").glob("*.html") if p.stem != "index")
    assert fiches == sorted(result.communes["insee_code"])
    members = result.service_tables.members.set_index("member")
    for code in fiches[:5]:
        page = (fr / "fiches" / f"{code}.html").read_text(encoding="utf-8")
        root = parse(page)
        record = result.communes.set_index("insee_code").loc[code]
        assert root.find("h1").text().startswith(record["name"])
        assert f"{record['pole']} — " in root.find("section", id="s-pole").text()
        headers, rows = table_rows(root, "fiche-services")
        assert headers[0] == "Service" and rows[-1][0] == "Total"
        money = lambda text: float(re.sub(r"[^\d−-]", "", text).replace("−", "-"))  # noqa: E731
        assert money(rows[-1][2]) == pytest.approx(members.loc[code, "standalone_cost"], abs=1)
        assert money(rows[-1][3]) == pytest.approx(members.loc[code, "share"], abs=1)
        text = visible_text(page)
        for word in RAW_CODES:
            assert word not in text, (code, word)
        assert "Fiabilité" in text and "Personnel et matériel du pôle" in text
    english = (en / "fiches" / f"{fiches[0]}.html").read_text(encoding="utf-8")
    assert "What it pools, keeps and borrows" in english
    assert (fr / "fiches" / "index.html").is_file()


@pytest.mark.slow
def test_result_xlsx_has_every_table_formatted(folders):
    result, fr, _ = folders
    book = openpyxl.load_workbook(fr / "result.xlsx")
    assert book.sheetnames == [*SHEETS, DICTIONARY_SHEET]
    for sheet_name, file in SHEETS.items():
        sheet = book[sheet_name]
        csv = pd.read_csv(fr / file, dtype=str, keep_default_na=False)
        assert sheet.freeze_panes == "A2", sheet_name
        assert sheet.max_row == len(csv) + 1, sheet_name
        headers = [c.value for c in sheet[1]]
        assert [h.split(" (")[0] for h in headers] == list(csv.columns), sheet_name
        assert all(cell.font.bold for cell in sheet[1])
    headers = [c.value for c in book["communes"][1]]
    assert "standalone_cost (€/an)" in headers and "travel_min (min)" in headers and "population (hab.)" in headers
    assert book["services"]["A2"].value == result.service_tables.services["pole"].iloc[0]
    dictionary_rows = list(book[DICTIONARY_SHEET].iter_rows(min_row=2, values_only=True))
    assert ("communes.csv", "saving") in {(r[0], r[1]) for r in dictionary_rows}


@pytest.mark.slow
def test_result_gpkg_opens_with_its_layers_and_attributes(folders):
    result, fr, _ = folders
    path = fr / "result.gpkg"
    assert [tuple(layer) for layer in pyogrio.list_layers(path)] == [("communes", "MultiPolygon"), ("poles", "MultiPolygon")]
    meta, _, geometry, fields = pyogrio.raw.read(path, layer="communes")
    assert list(meta["fields"]) == list(result.communes.columns)
    assert meta["crs"] == "EPSG:4326" and len(geometry) == len(result.communes)
    columns = dict(zip(meta["fields"], fields))
    assert sorted(columns["insee_code"]) == sorted(result.communes["insee_code"])
    assert columns["population"].sum() == result.communes["population"].sum()
    assert columns["saving"].sum() == pytest.approx(result.communes["saving"].sum(), abs=1)
    meta, _, geometry, fields = pyogrio.raw.read(path, layer="poles")
    assert list(dict(zip(meta["fields"], fields))["pole"]) == list(result.poles["pole"])


@pytest.mark.slow
def test_data_dictionary_lists_every_csv_column(folders):
    _, fr, _ = folders
    for csv in sorted(fr.glob("*.csv")):
        for column in pd.read_csv(csv, nrows=0).columns:
            assert dictionary.entry(csv.name, column) is not None, f"{csv.name}: {column} is not in the data dictionary"
    assert (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == dictionary.markdown(), \
        "docs/data-dictionary.md is stale: write optimiser.results.dictionary.markdown() to it"


def test_comparison_plots_follow_what_was_swept_and_pareto_keeps_to_one_status_quo():
    from optimiser.comparison.plots import curves, pareto_within_groups

    table = pd.DataFrame({"variant": [f"v{k}" for k in range(6)], "name": ["base"] * 6,
                          "services.price.x": [23.875, 23.9, 24.05, 23.875, 23.9, 24.05],
                          "poles.count.max": [3, 3, 3, 4, 4, 4], "status": ["optimal"] * 6})
    driver, groups = curves(table)
    assert driver == "services.price.x" and groups == ["poles.count.max"]  # the price on x, one line per count
    two_status_quos = pd.DataFrame({"status_quo_cost": [100.0, 100.0, 200.0, 200.0]})
    # run 2 is better than both runs of the other status quo on both axes, yet dominates neither
    mask = pareto_within_groups(two_status_quos, [10, 20, 5, 25], [50, 40, 10, 60])
    assert list(mask) == [True, True, True, False]
