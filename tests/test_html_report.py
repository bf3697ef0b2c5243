"""report.html and the comparison page, read back as HTML (no browser; see test_html_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from htmlparse import parse, report_data, table_rows
from reports import TRICKY_NAMES, add_costs, tiny_result
from shared import solved

from optimiser.results.html import fmt, render_comparison_html, render_result_html
from optimiser.results.html.report import rules_in_words
from optimiser.results.i18n import using


@pytest.fixture(scope="module")
def laval_result(tmp_path_factory):
    return solved(tmp_path_factory, "laval-2016")


@pytest.fixture(scope="module")
def laval(laval_result, tmp_path_factory):
    """The result and its folder, maps drawn (about 1 CPU-s to write: only the slow tests read it)."""
    return laval_result, laval_result.to_dir(tmp_path_factory.mktemp("laval") / "result")


def assert_self_contained(page: str) -> None:
    """No URL the browser could fetch, and a policy that forbids fetching anyway."""
    root = parse(page)
    for element in root.iter():
        for key in ("src", "href", "action", "srcset", "poster", "data"):
            value = element.attrs.get(key)
            if value is not None:
                assert value.startswith("data:") or value.startswith("#"), f"<{element.tag} {key}={value!r}>"
    assert not re.search(r"url\((?!#)", page), "CSS url() other than a local SVG reference"
    assert "@import" not in page and "@font-face" not in page
    policy = root.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "default-src 'none'" in policy
    # every inline script and style is allowed by its hash, and nothing else is
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        allowed = set(re.search(directive + r" ([^;]*)", policy).group(1).split())
        for element in root.iter(tag):
            if element.attrs.get("type") == "application/json":
                continue
            digest = base64.b64encode(hashlib.sha256(element.text().encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, f"inline <{tag}> not allowed by the page's policy"
            allowed.discard(f"'sha256-{digest}'")
        assert not allowed, f"{directive} allows hashes of nothing on the page: {allowed}"


@pytest.mark.slow
def test_result_folder_has_a_self_contained_report(laval):
    result, folder = laval
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    root = parse(page)
    paths = list(root.iter("path", class_="commune"))
    assert sorted(p.attrs["data-code"] for p in paths) == sorted(result.communes["insee_code"])
    assert len(list(root.iter("path", class_="outline"))) == len(result.poles)
    assert len(list(root.iter("path", class_="seat"))) == len(result.poles) + 1  # + the legend's star
    assert root.find("html").attrs["lang"] == "fr"
    headers, rows = table_rows(root, "communes")
    assert headers[:4] == ["Commune", "Population", "Pôle", "Siège"]
    assert sorted(r[0] for r in rows) == sorted(result.communes["name"])
    laval_row = next(r for r in rows if r[0] == "Laval")
    assert laval_row[1:4] == ["49\u202f400", "SC", "Laval"]
    _, pole_rows = table_rows(root, "poles")
    assert [r[0] for r in pole_rows] == list(result.poles["pole"])
    status = root.find("div", class_="status")
    assert "Optimal" in status.text() and "prouvé" in status.text()
    # a travel-only run says it minimised travel, and nothing about costs
    rules = root.find("section", id="s-rules").text()
    assert "trajets sont les plus courts" in rules and "moins coûteuse" not in rules
    # data attribution, as data/README.md requires
    footer = root.find("footer").text()
    assert "Etalab" in footer and "IGN – Admin Express COG édition 2018" in footer and "Licence Ouverte" in footer
    assert 20_000 < len(page.encode()) < 300_000


@pytest.mark.slow
def test_tooltip_data_matches_the_communes_table(laval):
    result, folder = laval
    data = report_data(parse((folder / "report.html").read_text(encoding="utf-8")))["communes"]
    assert set(data) == set(result.communes["insee_code"])
    for record in result.communes.to_dict(orient="records"):
        tip = data[record["insee_code"]]
        rows = dict(tip["rows"])
        assert tip["name"] == record["name"]
        assert rows["Population"] == f"{record['population']:,}".replace(",", "\u202f")
        assert rows["Pôle"].startswith(record["pole"] + " — ")
        if record["is_seat"]:
            assert rows["Siège"] == "cette commune est le siège"
        else:
            assert rows["Siège"] == record["seat_name"]
            assert rows["Trajet vers le siège"].startswith(f"{record['travel_min']:.1f} min".replace(".", ","))
        assert "Économie" not in rows  # no cost model in this result


def test_rules_are_in_words_with_names(laval_result):
    result = laval_result
    words = " ".join(rules_in_words(result.inputs.rules, result.summary, result.inputs.territory))
    assert "au moins 6\u202f000 habitants" in words and "au moins 3 communes" in words
    assert "Laval, Saint-Berthevin, siège à Laval ; fermé aux autres communes" in words
    with using("en"):
        words = " ".join(rules_in_words(result.inputs.rules, result.summary, result.inputs.territory))
    assert "at least 6,000 inhabitants" in words
    assert "at least 3 communes" in words
    assert "more than 25 minutes" in words
    assert "Laval, Saint-Berthevin, seated at Laval; closed to other communes" in words
    assert "53130" not in words  # names, not codes


def test_names_are_escaped_everywhere(tmp_path):
    result = tiny_result(tmp_path, TRICKY_NAMES)
    folder = result.to_dir(tmp_path / "out")
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "<b>Cie</b>" not in page and "document.title='pwned'</script>" not in page
    root = parse(page)
    assert len(list(root.iter("script"))) == 3  # the JSON data, sortable.js, map.js: nothing injected
    _, rows = table_rows(root, "communes")
    assert sorted(r[0] for r in rows) == sorted(TRICKY_NAMES)
    labels = {p.attrs["data-code"]: p.attrs["aria-label"] for p in root.iter("path", class_="commune")}
    assert labels["99001"].startswith("L'Huisserie, pôle P")
    data = report_data(root)["communes"]
    assert [data[f"99{k:03d}"]["name"] for k in range(1, 8)] == TRICKY_NAMES
    assert root.find("p", class_="lead").text() == "Tiny & <Co>"


def test_cost_columns_appear_when_the_result_has_them(tmp_path):
    result = add_costs(tiny_result(tmp_path))
    folder = result.to_dir(tmp_path / "out", lang="en")
    root = parse((folder / "report.html").read_text(encoding="utf-8"))
    headers, rows = table_rows(root, "communes")
    assert headers[-4:] == ["Services pooled", "Cost alone", "Pays with the design", "Saving"]
    by_name = {r[0]: r for r in rows}
    data = report_data(root)["communes"]
    for record in result.communes.to_dict(orient="records"):
        row = by_name[record["name"]]
        saving = record["saving"]
        expected = ("+" if round(saving) > 0 else "") + ("\u2212" if round(saving) < 0 else "") + f"€{abs(saving):,.0f}"
        assert row[-1] == expected
        assert row[-3] == f"€{record['standalone_cost']:,.0f}"
        tip = dict(data[record["insee_code"]]["rows"])
        assert tip["Saving"] == expected
        assert tip["Services pooled"] == ("Roads, Green spaces" if "espaces_verts" in record["services_pooled"] else "Roads")
        assert tip["Pays with the design"] == f"€{record['share']:,.0f}"
    figures = {div.find("dt").text(): div.find("dd").text() for div in root.find("dl", class_="figures").iter("div")}
    assert figures["Cost with this design"] == f"€{result.summary['total_cost']:,.0f} per year"
    assert figures["Saving"] == f"+€{result.summary['savings']:,.0f} per year"


def test_unknown_extra_columns_are_shown_under_their_name(tmp_path):
    result = tiny_result(tmp_path)
    communes = result.communes.assign(equipment_units=range(len(result.communes)))
    page = render_result_html(result.summary, communes, result.poles, result.inputs.territory, result.inputs.rules)
    headers, rows = table_rows(parse(page), "communes")
    assert headers[-1] == "equipment_units"
    assert sorted(int(r[-1]) for r in rows) == list(range(len(communes)))


def test_no_design_still_shows_the_territory_and_why(tmp_path):
    result = tiny_result(tmp_path)
    summary = {**result.summary, "status": "infeasible", "objective": None, "bound": None, "gap": None,
               "n_poles": 0, "mean_travel_min": None, "diagnosis": ["No pole can reach 90,000 inhabitants: the territory has 24,378."]}
    page = render_result_html(summary, None, None, result.inputs.territory, result.inputs.rules, lang="en")
    assert_self_contained(page)
    root = parse(page)
    assert len(list(root.iter("path", class_="commune"))) == len(result.inputs.territory)
    status = root.find("div", class_="status").text()
    assert "Infeasible" in status and "90,000 inhabitants" in status
    assert not list(root.iter("table", id="communes"))
    assert "Population" in dict(report_data(root)["communes"]["99001"]["rows"])


@pytest.mark.parametrize("status, gap, words", [
    ("optimal", 0.0, "optimal"),
    ("feasible", 0.0123, "feasible, at most 1.2 % from the best"),
    ("feasible", 0.15, "feasible, at most 15 % from the best"),
    ("feasible", 0.00042, "feasible, at most 0.042 % from the best"),
    ("feasible", None, "feasible, not proven optimal"),
    ("infeasible", None, "infeasible"),
    ("time_limit", None, "no design found in time"),
])
def test_status_in_plain_words(status, gap, words):
    with using("en"):
        assert fmt.status_short(status, gap) == words


def test_status_in_french_by_default():
    assert fmt.status_short("feasible", 0.0123) == "réalisable, au plus à 1,2\u00a0% du meilleur"
    assert fmt.status_short("time_limit", None) == "aucune solution trouvée à temps"


def test_long_status_never_calls_a_time_limited_design_optimal():
    for lang in ("en", "fr"):
        with using(lang):
            text = fmt.status_long("feasible", 0.05, 1e-6)
        assert "optimal" not in text.lower() and ("5.0 %" in text or "5,0\u00a0%" in text)
    with using("en"):
        assert "within 1.0 %" in fmt.status_long("optimal", 0.0, 0.01)


@pytest.mark.parametrize("value, money, signed", [
    (1234.4, "€1,234", "+€1,234"), (-1234.6, "\u2212€1,235", "\u2212€1,235"), (0.2, "€0", "€0"),
    (None, "—", "—"), (float("nan"), "—", "—"),
])
def test_money(value, money, signed):
    with using("en"):
        assert fmt.money(value) == money
        assert fmt.signed_money(value) == signed


@pytest.mark.parametrize("value, money, signed", [
    (1234.4, "1\u202f234\u00a0€", "+1\u202f234\u00a0€"), (-1234.6, "\u22121\u202f235\u00a0€", "\u22121\u202f235\u00a0€"),
    (0.2, "0\u00a0€", "0\u00a0€"), (None, "—", "—"),
])
def test_money_in_french(value, money, signed):
    assert fmt.money(value) == money
    assert fmt.signed_money(value) == signed
    assert fmt.number(1234.56, 1) == "1\u202f234,6" and fmt.percent(0.0123) == "1,2\u00a0%"


def comparison_table() -> pd.DataFrame:
    return pd.DataFrame({
        "variant": ["base", "travel-20", "travel-15", "poles-8", "too-strict"],
        "poles.max_travel_min": [25, 20, 15, 25, 5],
        "status": ["optimal", "optimal", "feasible", "optimal", "infeasible"],
        "gap": [0.0, 0.0, 0.034, 0.0, None],
        "objective": [297570.46, 305112.2, 331004.9, 280000.0, None],
        "n_poles": [6, 7, 8, 9, None],
        "max_travel_min": [22.2, 19.8, 14.9, 21.0, None],
        "total_cost": [1_250_000.0, 1_275_500.0, 1_301_000.0, 1_340_000.0, None],
        "savings": [85_000.0, 59_500.0, 34_000.0, -5_000.0, None],
    })


@pytest.fixture()
def plots(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [3, 1, 2])
    png, svg = tmp_path / "cost_vs_travel.png", tmp_path / "pareto.svg"
    fig.savefig(png)
    fig.savefig(svg)
    plt.close(fig)
    return {"Cost against longest trip": png, "Pareto front": svg}


def test_comparison_page(plots):
    table = comparison_table()
    page = render_comparison_html(table, plots, "Laval 2016 — travel limits", lang="en")
    assert_self_contained(page)
    root = parse(page)
    headers, rows = table_rows(root, "comparison")
    assert headers == ["Variant", "Status", "Gap", "Objective", "Poles", "Longest trip", "Total cost", "Saving",
                       "poles.max_travel_min"]
    assert [r[0] for r in rows] == list(table["variant"])
    travel_15 = rows[2]
    assert travel_15[1:4] == ["feasible, at most 3.4 % from the best", "3.4 %", "331,004.9"]
    assert rows[3][7] == "\u2212€5,000" and rows[0][7] == "+€85,000" and rows[0][6] == "€1,250,000"
    assert rows[4][1] == "infeasible" and rows[4][2:8] == ["—"] * 6
    # numeric cells sort by raw value
    gap_cells = [list(tr.iter("td"))[2].attrs.get("data-sort") for tr in root.find("table", id="comparison").find("tbody").iter("tr")]
    assert gap_cells == ["0.0", "0.0", "0.034", "0.0", None]
    images = [img.attrs["src"] for img in root.iter("img")]
    assert images[0].startswith("data:image/png;base64,") and images[1].startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(images[0].split(",", 1)[1]) == plots["Cost against longest trip"].read_bytes()
    assert [f.text() for f in root.iter("figcaption")] == list(plots)
    assert "5 variants: 3 optimal, 1 feasible, 1 infeasible" in root.find("p", class_="lead").text()


def test_comparison_without_plots_and_with_odd_text():
    table = pd.DataFrame({"variant": ["<b>a</b>", "l'autre"], "status": ["optimal", "time_limit"], "note": ["x & y", None]})
    page = render_comparison_html(table, None, "A & B", lang="en")
    assert_self_contained(page)
    root = parse(page)
    assert root.find("title").text() == "A & B"
    _, rows = table_rows(root, "comparison")
    assert rows == [["<b>a</b>", "optimal", "x & y"], ["l'autre", "no design found in time", "—"]]
    assert not list(root.iter("img"))


def test_comparison_rejects_a_plot_it_cannot_embed(tmp_path):
    bad = tmp_path / "plot.pdf"
    bad.write_bytes(b"%PDF")
    with pytest.raises(ValueError, match="not a PNG, JPEG or SVG"):
        render_comparison_html(comparison_table(), {"plot": bad}, "t")


def test_json_in_page_cannot_close_its_script():
    from optimiser.results.html.page import json_for_script
    text = json_for_script({"name": "</script><!-- & "})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><!-- & "}


def decode_path(d: str) -> list[list[tuple[int, int]]]:
    """Rings of an ``M x y l dx dy … z`` path back to absolute integer points."""
    rings = []
    for ring in re.findall(r"M([^Mz]*)z", d):
        head, _, steps = ring.partition("l")
        numbers = [int(v) for v in re.findall(r"-?\d+", head)]
        point = (numbers[0], numbers[1])
        points = [point]
        values = [int(v) for v in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(values[::2], values[1::2]):
            point = (point[0] + dx, point[1] + dy)
            points.append(point)
        rings.append(points)
    return rings


@pytest.mark.slow
def test_map_paths_keep_the_commune_shapes(laval):
    """Decoded SVG rings have the communes' areas (to 0.5 %) and sit where the projection puts them."""
    from optimiser.results.html.svgmap import UNITS_PER_KM
    from optimiser.territory.geo import LocalProjection

    result, folder = laval
    territory = result.inputs.territory
    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    root = parse((folder / "report.html").read_text(encoding="utf-8"))
    for path in root.iter("path", class_="commune"):
        code = path.attrs["data-code"]
        geometry = projection.geometry_to_km(territory.geometry[code])
        assert geometry.geom_type == "Polygon" and not list(geometry.interiors)  # true of all 20
        (ring,) = decode_path(path.attrs["d"])
        xs = [x for x, _ in ring] + [ring[0][0]]
        ys = [-y for _, y in ring] + [-ring[0][1]]  # SVG y points down
        area = abs(sum(xs[k] * ys[k + 1] - xs[k + 1] * ys[k] for k in range(len(ring)))) / 2  # shoelace
        assert area / UNITS_PER_KM ** 2 == pytest.approx(geometry.area, rel=0.005), territory.name_of(code)
        x0, y0 = geometry.exterior.coords[0]
        assert abs(ring[0][0] - x0 * UNITS_PER_KM) <= 0.5 and abs(ring[0][1] + y0 * UNITS_PER_KM) <= 0.5


def test_communes_alone_are_hatched_and_say_so(tmp_path):
    result = tiny_result(tmp_path, allow_alone=["99001", "99002"], alone_penalty_min=0)
    alone = set(result.communes.loc[result.communes["alone"], "insee_code"])
    assert alone == {"99001", "99002"}  # no penalty: staying alone saves their trips
    root = parse((result.to_dir(tmp_path / "out") / "report.html").read_text(encoding="utf-8"))
    fills = {p.attrs["data-code"]: p.attrs["fill"] for p in root.iter("path", class_="commune")}
    assert {c for c, f in fills.items() if f == "url(#alone)"} == alone
    assert root.find("pattern", id="alone")
    assert dict(report_data(root)["communes"]["99001"]["rows"])["Pôle"] == "aucun : reste seule"
    assert "seules (2)" in root.find("ul", class_="legend").text()
    _, rows = table_rows(root, "communes")
    names = set(result.communes.loc[result.communes["alone"], "name"])
    assert sorted(r[2] for r in rows if r[0] in names) == ["seule", "seule"]


def test_notebook_map_gives_each_commune_an_escaped_native_tooltip(tmp_path):
    import html

    result = tiny_result(tmp_path, TRICKY_NAMES)
    snippet = result._repr_html_()
    titles = re.findall(r'<path class="commune"[^>]*data-code="([^"]+)"[^>]*><title>([^<]*)</title></path>', snippet)
    assert [code for code, _ in titles] == list(result.inputs.territory.codes)
    names = dict(zip(result.communes["insee_code"], result.communes["name"]))
    for code, title in titles:
        assert html.unescape(title).startswith(names[code] + ": ")
    assert "<b>Cie</b>" not in snippet and "document.title='pwned'</script>" not in snippet
    assert len(re.findall(r'<path class="commune"', snippet)) == len(titles)
