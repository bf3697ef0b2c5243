"""``fiches/NNNNN.html``: one printable page per commune, for its mayor.

Each fiche says, for one commune (INSEE code ``NNNNN``): its pole and seat and the trip there;
for each service whether it pools it (and how the pole runs it), keeps it, or keeps it and
borrows the pole's machines; what it paid alone, what it pays with the design and the saving;
how sure that is (the solver's status, which of its own figures are estimates, the confidence of
the cost parameters); and the staff and machines of its pole for the services it shares. The
page is self-contained like ``report.html`` and prints on one A4 sheet.

``fiches/index.html`` lists them. A fiche is written for every commune of a result with a design;
without a services block it holds the pole and the trip only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import i18n
from .document import ReportContext, Section, Table, Text
from .html import fmt
from .html.page import Column, document, esc
from .html.report import section_html
from .i18n import t
from .records import row_dicts
from .sections import _status_html, _truthy, estimates_sentence, sure_sentence  # noqa: F401

FOLDER = "fiches"

#: Extra styles of a fiche: smaller type and tighter spacing so it fits one A4 page in print, with
#: nine services in both tables; in print the status box keeps its headline only (the "Fiabilité"
#: section says the rest).
FICHE_CSS = """
body.fiche { max-width: 60rem; }
.fiche h1 { font-size: 1.5rem; }
.fiche .total td { font-weight: 700; border-top: 2px solid var(--ink); }
@media print {
  body.fiche { font-size: 8.5pt; line-height: 1.3; }
  .fiche header { margin-bottom: 0.2rem; }
  .fiche h1 { font-size: 1.2rem; margin: 0 0 0.1rem; }
  .fiche .lead { font-size: 0.95rem; }
  .fiche h2 { font-size: 0.95rem; margin: 0.45rem 0 0.2rem; padding-bottom: 0.1rem; }
  .fiche p { margin: 0.2rem 0; }
  .fiche table { font-size: 7.5pt; }
  .fiche th, .fiche td { padding: 0.08rem 0.25rem; }
  .fiche footer { display: none; }
  .fiche .status { margin: 0.3rem 0; padding: 0.05rem 0.6rem; }
  .fiche .status-word { font-size: 1rem; margin: 0.1rem 0; }
  .fiche .status-word ~ p { display: none; }
}
"""


def _is_true(value) -> bool:
    """:func:`~.sections._truthy` of one cell: ``true``, ``1`` or ``yes`` in any case."""
    return str(value).strip().lower() in ("true", "1", "yes")


class FicheRows:
    """The rows every fiche reads, as plain records indexed once per folder: the communes by INSEE
    code, the poles by name, and ``shares.csv`` / ``members.csv`` rows by member — what the
    look-ups ``set_index(...).loc`` and a filter of the whole shares table per commune and section
    gave, which cost about a third of a Laval folder's 20 fiches (``tests/test_fiche_rows.py``
    compares the two)."""

    def __init__(self, ctx: ReportContext):
        self.communes = {r["insee_code"]: r for r in row_dicts(ctx.communes)}
        self.poles = {r["pole"]: r for r in row_dicts(ctx.poles)} if ctx.poles is not None else {}
        self.shares: dict[str, list[dict]] = {}
        self.members: dict[str, dict] = {}
        tables = ctx.service_tables if ctx.has_costs else None
        if tables is not None:
            for row in row_dicts(tables.shares):
                self.shares.setdefault(str(row["member"]), []).append(row)
            for row in row_dicts(tables.members):
                self.members.setdefault(str(row["member"]), row)  # the first row, as ``iloc[0]``

    def commune(self, code) -> dict:
        """The commune's ``communes.csv`` row, as ``set_index("insee_code").loc[code]``."""
        return {k: v for k, v in self.communes[code].items() if k != "insee_code"} | {"insee_code": code}

    def shares_of(self, code) -> list[dict]:
        """The commune's ``shares.csv`` rows, in table order."""
        return self.shares.get(str(code), [])


def pole_section(ctx: ReportContext, record: dict, rows: FicheRows) -> Section:
    if record.get("on_its_own") is True:  # a one-commune pole: nothing shared with a neighbour
        return Section("pole", t("fiche.pole"), [Text(t("fiche.on_its_own"))])
    if record.get("alone") or not isinstance(record.get("pole"), str):
        return Section("pole", t("fiche.pole"), [Text(t("fiche.alone"))])
    pole = rows.poles[record["pole"]]
    lines = [t("fiche.pole_value", pole=record["pole"], name=pole["pole_name"], kind=i18n.kind_name(pole["kind"]).lower(),
               seat=pole["seat_name"], n=int(pole["n_communes"]))]
    lines.append(t("fiche.is_seat") if record.get("is_seat") else
                 t("fiche.trip", minutes=fmt.minutes(record.get("travel_min")), km=fmt.km(record.get("travel_km"))))
    lines.append(t("fiche.members", names=str(pole["members"]).replace("; ", ", ")))
    return Section("pole", t("fiche.pole"), [Text(" ".join(lines))])


def services_section(ctx: ReportContext, code: str, fiche_rows: FicheRows, runs: PoleRuns | None = None) -> Section | None:
    """Per service: the choice, how the pole runs it, cost alone, what it pays, the saving
    (``fiche_rows``: :class:`FicheRows` of ``ctx``; ``runs``: its :class:`PoleRuns`, when already
    read)."""
    tables = ctx.service_tables
    shares = fiche_rows.shares_of(code)
    if not len(shares):
        return None
    modes = runs.modes if runs is not None else PoleRuns.modes_of(tables)
    rows = []
    for r in shares:
        how = i18n.choice_name(r["choice"])
        if str(r["choice"]).startswith("pooled") and isinstance(r.get("pole"), str):
            how = f"{how} ({r['pole']})"
        rows.append({"service": r["service"], "how": how, "standalone": r["standalone_eur"], "pays": r["pays_eur"],
                     "saving": r["saving_eur"], "forced": _is_true(r["forced"]),
                     "mode": modes.get((r.get("pole"), r["service"]))})
    total = {"service": None, "how": "", "standalone": sum(r["standalone"] for r in rows), "pays": sum(r["pays"] for r in rows),
             "saving": sum(r["saving"] for r in rows)}
    columns = [Column("service", t("col.service"), lambda v: t("fiche.total") if v is None else i18n.service_name(v)),
               Column("how", t("fiche.how")),
               Column("standalone", t("col.standalone"), fmt.money, numeric=True),
               Column("pays", t("col.share"), fmt.money, numeric=True),
               Column("saving", t("col.saving"), fmt.signed_money, numeric=True)]
    return Section("services", t("fiche.h_services"), [
        Table(columns, rows + [total], id="fiche-services", sortable=False,
              row_attrs=lambda r: {"class": "total"} if r["service"] is None else {"data-service": r["service"]})])


def money_section(ctx: ReportContext, code: str, fiche_rows: FicheRows) -> Section | None:
    tables = ctx.service_tables
    m = fiche_rows.members.get(str(code))
    if m is None:
        return None
    alone, pays, saving = float(m["standalone_cost"]), float(m["share"]), float(m["saving"])
    pct = saving / alone if alone else 0.0
    lines = [t("fiche.pays", alone=fmt.money(alone), pays=fmt.money(pays))]
    if saving >= -1.0:
        lines.append(t("fiche.saves", saving=fmt.money(max(saving, 0.0)), pct=fmt.percent(max(pct, 0.0))))
    else:
        shares = tables.shares
        forced = shares[(shares["member"].astype(str) == code) & _truthy(shares["forced"]) & _truthy(shares["pays_more_than_alone"])]
        why = t("fiche.forced", services=", ".join(i18n.service_name(s) for s in forced["service"])) if len(forced) else ""
        lines.append(t("fiche.pays_more", extra=fmt.money(-saving), pct=fmt.percent(-pct), why=why))
    return Section("money", t("fiche.h_money"), [Text(" ".join(lines))])


def sure_section(ctx: ReportContext, record: dict) -> Section:
    blocks = [Text(sure_sentence(ctx.summary))]
    if ctx.has_costs:
        estimated = record.get("estimated")
        blocks.append(Text(t("fiche.estimated", fields=i18n.estimated_in_words(estimated)) if isinstance(estimated, str) and estimated
                           else t("fiche.no_estimates")))
        params = ctx.service_tables.parameters
        if params is not None and len(params):
            blocks.append(Text(t("fiche.sure_params", n=len(params), low=int((params["confidence"] == "low").sum()))))
    return Section("sure", t("fiche.h_sure"), blocks)


class PoleRuns:
    """Each (pole, service)'s row of ``services.csv`` (its first) and its machines with units
    needed (``equipment.csv`` rows in table order), read once for all the fiches: filtering the
    two tables for every commune and service cost 0.7 s of the 1 s a Laval folder's 20 fiches took."""

    def __init__(self, tables):
        self.run: dict[tuple, dict] = {}
        self.modes: dict[tuple, str] = {}  # as :meth:`modes_of`: the last row wins
        for row in tables.services.to_dict(orient="records"):
            self.run.setdefault((row["pole"], row["service"]), row)
            self.modes[(row["pole"], row["service"])] = row["mode"]
        self.machines: dict[tuple, list[dict]] = {}
        equipment = tables.equipment
        if len(equipment):
            for row in equipment[pd.to_numeric(equipment["units_needed"]) > 0].to_dict(orient="records"):
                self.machines.setdefault((row["pole"], row["service"]), []).append(row)

    @staticmethod
    def modes_of(tables) -> dict[tuple, str]:
        """(pole, service) → how the pole runs it, the last ``services.csv`` row winning."""
        return {(r["pole"], r["service"]): r["mode"] for r in tables.services.to_dict(orient="records")}

def staff_section(ctx: ReportContext, code: str, fiche_rows: FicheRows, runs: PoleRuns | None = None) -> Section | None:
    """The pole's staff and machines for each service this commune pools or borrows machines for
    (``fiche_rows``: :class:`FicheRows` of ``ctx``; ``runs``: its :class:`PoleRuns`, when already
    read)."""
    tables = ctx.service_tables
    shares = [r for r in fiche_rows.shares_of(code) if not _missing(r["pole"])]
    if not len(shares):
        return Section("staff", t("fiche.h_staff"), [Text(t("fiche.nothing_pooled"))])
    runs = runs or PoleRuns(tables)
    rows = []
    for r in shares:
        run = runs.run.get((r["pole"], r["service"]))
        if run is None:
            continue
        machines = runs.machines.get((r["pole"], r["service"]), [])
        listed = ", ".join(t("fiche.machine_item", n=int(m["units_needed"]), name=i18n.equipment_name(m["equipment"]),
                             bought=int(m["bought"])) for m in machines) or fmt.MISSING
        rows.append({"service": r["service"], "pole": r["pole"], "mode": run["mode"], "fte": run["fte"],
                     "cost": run["total_eur"], "machines": listed})
    columns = [Column("service", t("col.service"), i18n.service_name), Column("pole", t("col.pole")),
               Column("mode", t("col.mode"), i18n.mode_name), Column("fte", t("fiche.pole_fte"), lambda v: fmt.number(v, 1), numeric=True),
               Column("cost", t("col.yearly_cost"), fmt.money, numeric=True), Column("machines", t("fiche.machines_col"))]
    return Section("staff", t("fiche.h_staff"), [Table(columns, rows, id="fiche-staff", sortable=False)])


def _missing(value) -> bool:
    """``pd.isna`` of one cell (what ``Series.notna`` leaves out)."""
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT


def fiche_sections(ctx: ReportContext, code: str, runs: PoleRuns | None = None,
                   fiche_rows: FicheRows | None = None) -> list[Section]:
    """The sections of commune ``code``'s fiche (``runs``, ``fiche_rows``: :class:`PoleRuns` and
    :class:`FicheRows` of ``ctx``, read here when not given)."""
    fiche_rows = fiche_rows if fiche_rows is not None else FicheRows(ctx)
    record = fiche_rows.commune(code)
    sections = [pole_section(ctx, record, fiche_rows)]
    if ctx.has_costs:
        sections += [s for s in (services_section(ctx, code, fiche_rows, runs), money_section(ctx, code, fiche_rows))
                     if s is not None]
    sections.append(sure_section(ctx, record))
    if ctx.has_costs:
        sections.append(staff_section(ctx, code, fiche_rows, runs))
    return sections


def render_fiche(ctx: ReportContext, code: str, runs: PoleRuns | None = None, fiche_rows: FicheRows | None = None) -> str:
    """The fiche of commune ``code`` as an HTML page, in the language being written (``runs``,
    ``fiche_rows`` as for :func:`fiche_sections`)."""
    fiche_rows = fiche_rows if fiche_rows is not None else FicheRows(ctx)
    record = fiche_rows.commune(code)
    s = ctx.summary
    title = t("fiche.title", name=record["name"])
    body = [f"<header><h1>{esc(title)}</h1><p class=\"lead\">"
            f"{esc(t('fiche.lead', scenario=s['scenario'], territory=s['territory']['name'], code=code, population=fmt.integer(record['population'])))}"
            "</p></header><main>", _status_html(s)]
    body += [section_html(section) for section in fiche_sections(ctx, code, runs, fiche_rows)]
    body.append(f'</main><footer><p>{esc(t("fiche.back"))}</p></footer>')
    page = document(title, "\n".join(body), styles=[FICHE_CSS], lang=i18n.current())
    return page.replace("<body>", '<body class="fiche">', 1)


def render_index(ctx: ReportContext) -> str:
    title = t("fiche.index_title", scenario=ctx.summary["scenario"])
    rows = "".join(f'<li><a href="{esc(code)}.html">{esc(name)}</a> ({esc(code)})</li>'
                   for code, name in sorted(zip(ctx.communes["insee_code"], ctx.communes["name"]), key=lambda cn: cn[1]))
    return document(title, f"<header><h1>{esc(title)}</h1></header><main><ul>{rows}</ul></main>", lang=i18n.current())


def write_fiches(folder: Path, ctx: ReportContext) -> list[Path]:
    """Write ``fiches/<INSEE>.html`` for every commune and ``fiches/index.html``; return the fiches."""
    if ctx.communes is None or not len(ctx.communes):
        return []
    target = Path(folder) / FOLDER
    target.mkdir(exist_ok=True)
    written = []
    runs = PoleRuns(ctx.service_tables) if ctx.has_costs else None
    fiche_rows = FicheRows(ctx)
    for code in ctx.communes["insee_code"]:
        path = target / f"{code}.html"
        path.write_text(render_fiche(ctx, code, runs, fiche_rows), encoding="utf-8")
        written.append(path)
    (target / "index.html").write_text(render_index(ctx), encoding="utf-8")
    return written
