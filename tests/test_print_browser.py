"""report.html and a fiche as élus see them, in headless Chromium (Debian's ``chromium``, see
``browser.py``): for Laval 2016 (20 communes) and an EPCI of 65 communes made by ``optimiser
init``, the pages are in French, have every section (read from the DOM), never scroll sideways at
1,280 px, and print to PDF (as ``optimiser run --pdf`` does: ``Page.printToPDF``, the settings of
``chromium --print-to-pdf``) — the fiche on one A4 page. Screenshots of the screen layout and the
PDFs (the print layout, page by page as on paper) are written to the test's temporary folder
(``screenshots/``) for a person to look at.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from browser import file_url
from helpers import address_space_at_most, run_cli
from shared import SERVICE_COMMUN, written

from optimiser.results.pdf import print_pages

SECTIONS = ["summary", "map", "poles", "services", "sources", "equipment", "staff", "shares", "flows", "core", "forced",
            "estimates", "status-quo-check", "communes", "rules", "method"]
HEADINGS_FR = ["En bref", "Carte", "Les pôles", "Services et modes de gestion", "D'où vient l'économie", "Matériel", "Personnel",
               "Ce que paie chaque membre",
               "Qui paie qui : conventions, attribution de compensation, transfert", "Stabilité du partage (test du cœur)", "Membres obligés qui paient plus",
               "Estimations et fiabilité des paramètres", "La situation actuelle est-elle crédible ?", "Les communes", "Les règles de ce scénario",
               "Fiabilité du calcul et reproduction"]
FICHE_SECTIONS = ["pole", "services", "money", "sure", "staff"]


# ``browser``: one Chromium for the session (conftest.py)


@pytest.fixture(scope="module")
def laval(tmp_path_factory):
    # solved and written once per session, the same folder as the tampering tests' (read only:
    # the screenshots and PDFs go to the test's own folder); written without its PNG maps and
    # charts, which neither report.html (an SVG map and SVG charts) nor the fiches show
    return written(tmp_path_factory, *SERVICE_COMMUN)


#: The seats of the unrestricted Rethélois run (2 services, 1 % gap: P1-P5 of its report).
SEATS = ["Château-Porcien", "Saint-Germainmont", "Juniville", "Le Châtelet-sur-Retourne", "Coucy"]


@pytest.fixture(scope="module")
def rethelois(tmp_path_factory):
    """The starter of an EPCI of 65 communes with two services (voirie and espaces verts: machines,
    staff, both modes) at a 1 % gap, its seats chosen among the five the unrestricted run picks
    (``poles.candidate_seats``): every commune is still placed, priced and drawn, so the pages
    hold the same 65 communes, 5 poles and pooled services, and the run costs about 10 CPU-s
    instead of 18 (65 candidate seats made the candidate pairs, the compact model, its build
    and the search's moves several times larger; what this test reads is the layout of a large
    EPCI's pages, not how the seats are chosen, which the design tests and the benchmark cover).
    The pole-move search's design (5 poles, pooled services) is within 0.7 % of the
    member-by-member bound, so the run ends after the search, with no MILP: the result is the
    search's local optimum, whatever the load. The time limit only needs to let the search reach
    it (with 60 s, a loaded machine spent it on the model's build and the starting poles: no
    design, no report); it is a guard, never reached. With all nine services the model has 109,000
    constraints; Laval's fixture covers the nine.

    ``init`` and ``run`` are called in this process (what is printed is the folder, not a process
    boundary), and the search prices its 300-odd poles with HiGHS (one long-lived solver process)
    rather than a new CBC process and model file each: the same design, about 10 CPU-s less (the
    report's solver line differs; this test reads the layout, not the figures)."""
    base = tmp_path_factory.mktemp("print")
    done = run_cli("init", "--epci", "CC du Pays Rethélois", "--out", base / "starter")
    assert done.returncode == 0, done.stderr
    scenario = base / "starter" / "scenario.yaml"
    # in the file, not an override: the report quotes overrides verbatim (service codes and all).
    # No PNG maps or charts (outputs.map): report.html draws its map and charts in SVG and the
    # fiches show none, so what this test reads is the same; drawing them cost about 5 CPU-s.
    with scenario.open("a", encoding="utf-8") as file:
        file.write("\nservices:\n  include: [voirie, espaces_verts]\noutputs:\n  map: false\n")
    text = scenario.read_text(encoding="utf-8")
    assert text.count("  max_travel_min: 25\n") == 1, text  # the starter's poles block, where the seats go
    scenario.write_text(text.replace("  max_travel_min: 25\n", "  max_travel_min: 25\n  candidate_seats: [" + ", ".join(SEATS) + "]\n"),
                        encoding="utf-8")
    done = run_cli("run", scenario, "--out", base / "result", "--set", "solver.time_limit_s=600",
                   "--set", "solver.gap=0.01", "--set", "solver.name=highs", "--quiet")
    assert done.returncode == 0, done.stderr
    summary = json.loads((base / "result" / "summary.json").read_text(encoding="utf-8"))
    assert any("the MILP was not needed" in m for m in summary["messages"]), summary["messages"]
    assert summary["n_poles"] >= 2 and summary["services_pooled"] > 0, summary  # a genuine multi-pole design
    assert summary["n_communes"] == 65 and summary["n_alone"] == 0, summary
    return base / "result"


def screenshot(page, path) -> None:
    """The whole page as a PNG (screen layout), for a person to look at. Encoded for speed
    (Chromium's fast zlib level: a quarter larger, about a third quicker on a report 16,000 px
    tall); the pixels are the same. The print layout is not shot: the PDFs beside the
    screenshots are that layout as printed, page by page (a shot of it, 794 px wide under print
    media, cost each page a second layout and rasterisation, about 1 CPU-s for the report)."""
    height = min(int(page.evaluate("document.documentElement.scrollHeight")), 16000)
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=height, deviceScaleFactor=1, mobile=False)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(base64.b64decode(page.send("Page.captureScreenshot", format="png", optimizeForSpeed=True)["data"]))


def pdf_pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


def layout(page) -> dict:
    return page.evaluate("""(function () {
        var wraps = Array.prototype.slice.call(document.querySelectorAll('.table-wrap'));
        return {scrollWidth: document.documentElement.scrollWidth,
                lang: document.documentElement.lang,
                sections: Array.prototype.map.call(document.querySelectorAll('main > section[id^="s-"]'), function (s) { return s.id.slice(2); }),
                headings: Array.prototype.map.call(document.querySelectorAll('main > section > h2'), function (h) { return h.textContent; }),
                wideTables: wraps.filter(function (w) { return w.scrollWidth > w.clientWidth + 1; })
                                 .map(function (w) { return w.querySelector('table').id; }),
                text: document.querySelector('main').innerText};
    })()""")


@pytest.mark.parametrize("which", ["laval", "rethelois"])
@pytest.mark.slow
def test_report_and_fiche_for_elus(request, browser, which, tmp_path):
    folder = request.getfixturevalue(which)
    shots = tmp_path / "screenshots"
    page = browser.page()  # the session's tab, reset
    page.open(file_url(folder / "report.html"), width=1280)
    seen = layout(page)
    assert seen["lang"] == "fr"
    assert seen["sections"] == SECTIONS
    assert seen["headings"] == HEADINGS_FR
    assert seen["scrollWidth"] <= 1280 and seen["wideTables"] == [], seen["wideTables"]
    for code in ("pooled-regie", "espaces_verts", "borrows-machines", "aerial_lift_truck"):
        assert code not in seen["text"], code
    if which == "rethelois":  # 65 communes: numbered on the map, named in the key
        assert page.evaluate("document.querySelectorAll('#map .labels text.number').length") > 50
        assert page.evaluate("document.querySelectorAll('ol.map-key li').length") == 65
    # printing: the summary ends its page; the tables fit the paper
    assert page.evaluate("getComputedStyle(document.querySelector('section.summary')).breakAfter") in ("page", "auto")
    page.send("Emulation.setEmulatedMedia", media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('section.summary')).breakAfter") == "page"
    page.send("Emulation.setEmulatedMedia", media="screen")
    screenshot(page, shots / "report.png")
    assert page.problems() == []

    fiche = sorted(p for p in (folder / "fiches").glob("*.html") if p.stem != "index")[0]
    page.open(file_url(fiche), width=1280)
    seen = layout(page)
    assert seen["lang"] == "fr" and seen["sections"] == FICHE_SECTIONS
    assert seen["scrollWidth"] <= 1280 and seen["wideTables"] == []
    assert "Ce qu'elle mutualise, garde et emprunte" in seen["headings"]
    screenshot(page, shots / "fiche.png")
    assert page.problems() == []

    # printed as `optimiser run --pdf` prints a folder (print_pages: one Chromium, a tab a page), by
    # the session's Chromium rather than a new one (starting one costs about 2 CPU-s)
    report_pdf, fiche_pdf = print_pages([(folder / "report.html", shots / "report.pdf"), (fiche, shots / "fiche.pdf")],
                                        browser=browser)
    assert report_pdf.read_bytes()[:5] == b"%PDF-" and pdf_pages(report_pdf) >= 4
    assert pdf_pages(fiche_pdf) == 1, "a fiche prints on one page"


def children() -> set[int]:
    """Process ids of this process's children (a Chromium started here is one)."""
    import psutil

    return {child.pid for child in psutil.Process().children()}


@pytest.mark.slow  # starts a Chromium of its own
def test_print_result_prints_every_page_with_one_chromium_of_its_own(tmp_path):
    """``print_result`` (``optimiser run --pdf``) on a result folder: ``report.pdf`` and one PDF
    per fiche next to its page, never one for the fiches' index, printed by a Chromium it starts
    and closes (the pages are small hand-made ones: what is tested here is the folder's printing
    and the browser's life, not a report's layout, which the test above prints). The run holds a
    soft address-space cap, as a process guarding against a runaway read does: Chromium, which
    reserves terabytes of address space and exits at once under such a cap, starts all the same
    (it failed so in a full test run, started by a worker after the bad-input corpus)."""
    from optimiser.results.html.page import document
    from optimiser.results.pdf import print_result

    folder = tmp_path / "result"
    (folder / "fiches").mkdir(parents=True)
    (folder / "report.html").write_text(document("report", "<p>Rapport</p><p class='next'>page 2</p>",
                                                 styles=[".next { break-before: page; }"]), encoding="utf-8")
    for name in ("53003", "53007", "index"):
        (folder / "fiches" / f"{name}.html").write_text(document(name, f"<p>{name}</p>"), encoding="utf-8")
    before = children()
    with address_space_at_most(3_000_000_000):  # as the bad-input corpus sets for its worker
        printed = print_result(folder)
    assert printed == [folder / "report.pdf", folder / "fiches" / "53003.pdf", folder / "fiches" / "53007.pdf"]
    assert not (folder / "fiches" / "index.pdf").exists()
    assert [pdf_pages(pdf) for pdf in printed] == [2, 1, 1]
    assert all(pdf.read_bytes()[:5] == b"%PDF-" for pdf in printed)
    assert children() <= before, "the Chromium that printed is closed"


def test_printing_without_chromium_says_how_to_install_it(tmp_path, monkeypatch):
    from optimiser.errors import InputError
    from optimiser.results.pdf import print_result

    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    monkeypatch.delenv("CHROMIUM", raising=False)
    with pytest.raises(InputError) as raised:
        print_result(tmp_path)
    assert "needs Chromium" in str(raised.value) and "apt-get install -y chromium" in str(raised.value)
