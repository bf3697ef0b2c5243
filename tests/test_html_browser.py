"""The HTML reports in a real browser: headless Chromium (Debian's ``chromium``), driven over the
DevTools protocol (see ``browser.py``). Real pointer and key events; any console error, uncaught
exception or blocked load fails the test.

Chromium is required, not optional: if it is missing these tests fail and say how to install it
(``.ci/run`` installs it on CI).
"""

from __future__ import annotations

import json

import pytest
from browser import file_url
from reports import TRICKY_NAMES, add_costs, tiny_result
from shared import solved, written
from test_html_report import comparison_table, plots  # noqa: F401  (fixture)

from optimiser.results.html import render_comparison_html
from optimiser.results.html.page import document

#: Headless Chromium starts for these (seconds of CPU): left out of ``make test-fast``.
pytestmark = pytest.mark.slow


# ``browser``: one Chromium for the session (conftest.py)


@pytest.fixture(scope="module")
def laval_report(tmp_path_factory):
    result = solved(tmp_path_factory, "laval-2016")
    # without map.png and savings.png: the page draws its own map (SVG) and shows neither. The
    # session's folder of this solve, written once and shared with the verify tests (read only)
    folder = written(tmp_path_factory, "laval-2016")
    return result, folder / "report.html"


@pytest.fixture()
def page(browser):
    return browser.page()  # the session's tab, reset: a blank page, no event, no pointer


def commune_points(page, codes: list[str]) -> list[tuple[float, float]]:
    """Viewport coordinates of communes' interior points, from the page's own data and SVG
    transform (one call for all: a round trip to the page each was a quarter of the hover test)."""
    return [tuple(p) for p in page.evaluate(f"""(function () {{
        var communes = JSON.parse(document.getElementById('report-data').textContent).communes;
        var m = document.getElementById('map').getScreenCTM();
        return {json.dumps(codes)}.map(function (code) {{
            var p = communes[code].point;
            return [m.a * p[0] + m.c * p[1] + m.e, m.b * p[0] + m.d * p[1] + m.f];
        }});
    }})()""")]


def commune_point(page, code: str) -> tuple[float, float]:
    """Viewport coordinates of a commune's interior point."""
    return commune_points(page, [code])[0]


def tooltip(page) -> dict:
    return page.evaluate("""(function () {
        var tip = document.getElementById('tip');
        var active = document.querySelectorAll('#map path.commune.active');
        return {hidden: tip.hidden, code: tip.getAttribute('data-code'), text: tip.innerText,
                active: Array.prototype.map.call(active, function (p) { return p.getAttribute('data-code'); })};
    })()""")


@pytest.mark.slow
def test_report_renders_with_its_map_and_tables(page, laval_report):
    result, report = laval_report
    page.open(file_url(report))
    shape = page.evaluate("""(function () {
        var map = document.getElementById('map').getBoundingClientRect();
        return {communes: document.querySelectorAll('#map path.commune').length,
                outlines: document.querySelectorAll('#map path.outline').length,
                legend: document.querySelectorAll('.legend li[data-pole]').length,
                communeRows: document.querySelectorAll('#communes tbody tr').length,
                poleRows: document.querySelectorAll('#poles tbody tr').length,
                width: map.width, height: map.height, title: document.title};
    })()""")
    assert shape == {"communes": 20, "outlines": 6, "legend": 6, "communeRows": 20, "poleRows": 6,
                     "width": shape["width"], "height": shape["height"], "title": "Pôles de proximité — laval-2016"}
    assert shape["width"] > 600 and shape["height"] > 400
    assert page.problems() == []


def test_hovering_each_commune_shows_its_details(page, laval_report):
    result, report = laval_report
    page.open(file_url(report))
    page.evaluate("document.getElementById('map').scrollIntoView({block: 'center'}), true")
    records = result.communes.to_dict(orient="records")
    points = commune_points(page, [record["insee_code"] for record in records])
    under = page.evaluate(f"""{json.dumps(points)}.map(function (p) {{
        return document.elementFromPoint(p[0], p[1]).getAttribute('data-code'); }})""")
    for record, (x, y), code in zip(records, points, under):
        assert code == record["insee_code"], f"{record['name']}: its point is not on its own polygon"
        page.mouse("moved", x, y)
        tip = tooltip(page)
        assert not tip["hidden"] and tip["code"] == record["insee_code"] and tip["active"] == [record["insee_code"]]
        assert tip["text"].startswith(record["name"] + "\n")
        assert f"{record['pole']} — {record['pole_name']}" in tip["text"]
        assert f"{record['population']:,}".replace(",", "\u202f") in tip["text"]
        if not record["is_seat"]:
            assert record["seat_name"] in tip["text"] and f"{record['travel_min']:.1f} min".replace(".", ",") in tip["text"]
    page.mouse("moved", 2, 2)  # off the map
    assert tooltip(page)["hidden"] and tooltip(page)["active"] == []
    assert page.problems() == []


def test_keyboard_and_tap_show_details(page, laval_report):
    result, report = laval_report
    page.open(file_url(report))
    page.key("Tab")  # the communes are the first focusable elements of the page
    focused = page.evaluate("document.activeElement.getAttribute('data-code')")
    first = result.inputs.territory.codes[0]
    assert focused == first
    tip = tooltip(page)
    assert not tip["hidden"] and tip["text"].startswith(result.inputs.territory.name_of(first))
    page.key("Escape")
    assert tooltip(page)["hidden"]

    page.evaluate("document.getElementById('map').scrollIntoView({block: 'center'}), true")
    codes = result.communes["insee_code"].tolist()
    a, b = codes[1], codes[2]
    x, y = commune_point(page, a)
    page.mouse("moved", x, y)
    page.mouse("pressed", x, y)
    page.mouse("released", x, y)
    x2, y2 = commune_point(page, b)
    page.mouse("moved", x2, y2)
    assert tooltip(page)["code"] == a, "a tapped commune's details stay until another tap"
    page.mouse("pressed", 2, 2)
    page.mouse("released", 2, 2)
    assert tooltip(page)["hidden"]
    assert page.problems() == []


def test_sorting_the_communes_table(page, laval_report):
    result, report = laval_report
    page.open(file_url(report))
    names = "Array.prototype.map.call(document.querySelectorAll('#communes tbody tr'), function (r) { return r.cells[0].textContent; })"
    click = "document.querySelectorAll('#communes thead button')[1].click(), true"  # Population
    by_population = result.communes.sort_values("population")["name"].tolist()
    page.evaluate(click)
    assert page.evaluate(names) == by_population
    page.evaluate(click)
    assert page.evaluate(names) == by_population[::-1]
    assert page.evaluate("document.querySelectorAll('#communes thead th')[1].getAttribute('aria-sort')") == "descending"
    page.evaluate("document.querySelectorAll('#communes thead button')[0].click(), true")  # Commune, French order
    assert page.evaluate(names) == sorted(result.communes["name"], key=lambda n: n.replace("É", "E").replace("â", "a").lower())
    assert page.problems() == []


def test_fits_a_phone_screen(page, laval_report):
    _, report = laval_report
    page.open(file_url(report), width=390, height=844)
    size = page.evaluate("""(function () {
        var map = document.getElementById('map').getBoundingClientRect();
        return [document.documentElement.scrollWidth, map.width, map.height];
    })()""")
    assert size[0] <= 390 and 300 < size[1] <= 390 and size[2] > 250
    assert page.problems() == []


def test_costs_and_tricky_names_in_the_tooltip(page, tmp_path):
    result = add_costs(tiny_result(tmp_path, TRICKY_NAMES))
    folder = result.to_dir(tmp_path / "out", lang="en", draw=False)  # the page's map is its own SVG, not map.png
    page.open(file_url(folder / "report.html"))
    assert page.evaluate("document.title") == "Proximity poles — tiny"  # the injected script did not run
    page.evaluate("document.getElementById('map').scrollIntoView({block: 'center'}), true")
    records = result.communes.to_dict(orient="records")
    for record, point in zip(records, commune_points(page, [record["insee_code"] for record in records])):
        page.mouse("moved", *point)
        text = tooltip(page)["text"]
        assert text.startswith(record["name"] + "\n")
        assert "Saving" in text and f"{abs(record['saving']):,.0f}" in text
        assert ("Roads, Green spaces" if "espaces_verts" in record["services_pooled"] else "Roads") in text
    assert page.problems() == []


def test_comparison_page_sorts_and_shows_plots(page, tmp_path, plots):  # noqa: F811
    path = tmp_path / "comparison.html"
    path.write_text(render_comparison_html(comparison_table(), plots, "Laval 2016 — travel limits", lang="en"), encoding="utf-8")
    page.open(file_url(path))
    assert page.evaluate("Array.prototype.every.call(document.images, function (i) { return i.complete && i.naturalWidth > 0; })")
    assert page.evaluate("document.images.length") == 2
    variants = "Array.prototype.map.call(document.querySelectorAll('#comparison tbody tr'), function (r) { return r.cells[0].textContent; })"
    gap = "document.querySelectorAll('#comparison thead button')[2].click(), true"
    page.evaluate(gap)
    assert page.evaluate(variants) == ["base", "travel-20", "poles-8", "travel-15", "too-strict"]  # missing last
    page.evaluate(gap)
    assert page.evaluate(variants) == ["travel-15", "base", "travel-20", "poles-8", "too-strict"]
    page.evaluate("document.querySelectorAll('#comparison thead button')[7].click(), true")  # Saving
    assert page.evaluate(variants) == ["poles-8", "travel-15", "travel-20", "base", "too-strict"]
    assert page.problems() == []


def test_the_console_check_catches_errors(page, tmp_path):
    """Negative control: a page that tries to load from the network, or throws, is reported."""
    path = tmp_path / "bad.html"
    path.write_text(document("bad", '<img src="https://example.invalid/logo.png" alt="">',
                             scripts=["null.boom();"]), encoding="utf-8")
    page.open(file_url(path))
    problems = "\n".join(page.problems())
    assert "example.invalid" in problems  # refused by the page's Content-Security-Policy
    assert "boom" in problems


def test_the_reused_tab_forgets_the_last_page(browser, tmp_path):
    """The tests share a tab (``Browser.page``): what a page said, what it says as it is left
    (the reset unloads it before the next test's page, so that is said first) and what its timers
    would still say never reach the next test's page; no hover or emulated media carries over."""
    bad = tmp_path / "bad.html"
    bad.write_text(document("bad", "<p>bad</p>", scripts=[
        "console.error('now'); setTimeout(function () { console.error('later'); }, 1000);"
        "addEventListener('beforeunload', function () { console.error('leaving'); });"]), encoding="utf-8")
    page = browser.page()
    page.open(file_url(bad))
    page.send("Emulation.setEmulatedMedia", media="print")
    page.mouse("moved", 10, 10)
    assert "console.error: now" in page.problems(settle=0)
    page = browser.page()
    good = tmp_path / "good.html"
    good.write_text(document("good", "<p>good</p>"), encoding="utf-8")
    page.open(file_url(good))
    assert page.evaluate("matchMedia('print').matches") is False
    assert page.evaluate("document.querySelectorAll(':hover').length") == 0
    assert page.problems(settle=1.0) == []  # 'later' would have come by now


@pytest.mark.slow
def test_communes_alone_render_with_their_hatching(page, tmp_path):
    result = tiny_result(tmp_path, allow_alone=["99001", "99002"], alone_penalty_min=0)
    page.open(file_url(result.to_dir(tmp_path / "out", draw=False) / "report.html"))  # hatching of the SVG map
    fill = page.evaluate("getComputedStyle(document.querySelector('path[data-code=\"99001\"]')).fill")
    assert fill.startswith("url(") and "#alone" in fill
    page.evaluate("document.getElementById('map').scrollIntoView({block: 'center'}), true")
    page.mouse("moved", *commune_point(page, "99001"))
    assert "aucun : reste seule" in tooltip(page)["text"]
    assert page.problems() == []
