"""The result of a run: tidy tables, a summary with provenance, and its folder on disk.

Files of a result folder:

=========================  ====================================================================
``communes.csv``           one row per commune: pole, seat, travel (min, km)
``poles.csv``              one row per pole: seat, members, population, travel
``poles.geojson``          one dissolved polygon per pole (WGS84), properties of poles.csv
``map.png``                the poles on a map
``report.md``              what was asked, what was found, status and gap
``report.html``            the same as a self-contained page with an interactive map (offline)
``summary.json``           status, objective, bound, gap, solver, formulation, runtime_s,
                           versions and input hashes
``scenario.resolved.yaml`` the scenario with every default filled in, pointing at ``inputs/``
``inputs/``                the territory file (and road network) the result was computed from
=========================  ====================================================================
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .fiches import write_fiches
from .folder import write_atomically
from .geo import pole_geometries, write_poles_geojson
from .gpkg import write_geopackage
from .html import write_report_html
from .html.fmt import status_short
from .i18n import current, resolve_lang, t, using
from .maps import draw_map, draw_savings_map
from .report import render_report
from .savings_report import draw_chart as draw_savings_chart
from .sections import build_sections
from .single import drawn_outlines, single_poles
from .summary import Summary
from .workbook import write_workbook


@dataclass
class Result:
    """A pole design and everything needed to show, check and reproduce it.

    Attributes:
        summary: status, objective (person-minutes or person-km), bound, gap, solver,
            formulation, times (s), sizes, provenance — the content of ``summary.json``.
        communes: one row per commune (see :mod:`optimiser.results.tables`).
        poles: one row per pole.
        resolved_scenario: the scenario as a plain mapping, every default filled in.
        inputs: the prepared inputs (territory, roads, rules); ``None`` when read from a folder.
        design: the raw design; ``None`` when read from a folder.
    """

    summary: dict
    communes: pd.DataFrame | None
    poles: pd.DataFrame | None
    resolved_scenario: dict
    inputs: object | None = None
    design: object | None = None
    input_files: dict[str, Path] = field(default_factory=dict)
    service_tables: object | None = None  # optimiser.results.service_tables.ServiceTables
    roadmap: object | None = None  # optimiser.roadmap.Roadmap: the plan over years, when the scenario asks for one
    extra_files: dict[str, str] = field(default_factory=dict)
    """Further files of the folder, name → text (``robust.csv`` and ``robust.md`` of a robust design)."""

    @property
    def status(self) -> str:
        return self.summary["status"]

    @property
    def typed_summary(self) -> Summary:
        """:attr:`summary` as a typed record (names and types instead of string keys; the same
        content: ``typed_summary.to_dict() == summary``). For a result this version computed; a
        folder read back may hold another writer's keys (:meth:`from_dir` keeps them as read), and
        then a mistyped key raises :class:`~optimiser.results.summary.SummaryError`."""
        return Summary.from_dict(self.summary)

    @property
    def has_design(self) -> bool:
        return self.communes is not None

    def _repr_html_(self) -> str:
        """Inline view in a notebook: status, key figures, the map, the poles."""
        from .html.notebook import result_snippet

        return result_snippet(self)

    def __repr__(self) -> str:
        s = self.summary
        return f"<Result {s['scenario']}: {s['status']}, {s.get('n_poles', 0)} poles, objective {s.get('objective')}>"

    def report(self, lang: str | None = None, sections: list | None = None) -> str:
        """``report.md`` as text, in ``lang`` (default: :meth:`lang`); ``sections`` as for
        :func:`~optimiser.results.report.render_report` (built when not given)."""
        description = self.resolved_scenario.get("description", "")
        names = self.inputs.territory.communes["name"].to_dict()
        return render_report(self.summary, self.inputs.rules, self.communes, self.poles, description, names, self.service_tables,
                             lang=lang or self.lang(), scenario=self.resolved_scenario, sections=sections)

    def report_context(self):
        """What the report sections and fiches draw on (:class:`optimiser.results.document.ReportContext`)."""
        from .document import ReportContext

        territory = self.inputs.territory if self.inputs is not None else None
        names = territory.communes["name"].to_dict() if territory is not None else \
            ({} if self.communes is None else dict(zip(self.communes["insee_code"], self.communes["name"])))
        return ReportContext(summary=self.summary, rules=self.inputs.rules if self.inputs is not None else None,
                             communes=self.communes, poles=self.poles, service_tables=self.service_tables, names=names,
                             description=self.resolved_scenario.get("description", "") or "", territory=territory,
                             scenario=self.resolved_scenario)

    def workbook_tables(self) -> dict[str, pd.DataFrame]:
        """The tables of ``result.xlsx``, sheet name → frame (the CSV files of the folder)."""
        tables = {"communes": self.communes, "poles": self.poles}
        if self.service_tables is not None:
            tables.update({name: getattr(self.service_tables, name) for name in SERVICE_FILES})
        return tables

    def lang(self, lang: str | None = None) -> str:
        """The language of the reports: ``lang`` if given, else the scenario's ``outputs.lang``,
        else ``$OPTIMISER_LANG``, else French (:func:`optimiser.results.i18n.resolve_lang`)."""
        return resolve_lang(lang, (self.resolved_scenario.get("outputs") or {}).get("lang"))

    def to_dir(self, target: str | Path, draw: bool = True, lang: str | None = None) -> Path:
        """Write the result folder atomically (see module docstring); everything a person reads
        in ``lang`` (see :meth:`lang`), the CSV files the same in every language."""
        lang = self.lang(lang)

        def fill(folder: Path) -> None:
            with using(lang):
                self._write_files(folder, draw)

        return write_atomically(Path(target), fill)

    def _write_files(self, folder: Path, draw: bool) -> None:
        """Fill ``folder`` with the result's files, in the language being written."""
        inputs_dir = folder / "inputs"
        inputs_dir.mkdir()
        for name, source in self.input_files.items():  # "inventory/services.csv": a file of a folder
            (inputs_dir / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, inputs_dir / name)
        outlines = None  # the poles' polygons, computed once for the GeoJSON, both maps and the page
        if self.communes is not None:
            self.communes.to_csv(folder / "communes.csv", index=False)
            self.poles.to_csv(folder / "poles.csv", index=False)
            territory = self.inputs.territory
            outlines = pole_geometries(territory, self.communes)
            write_poles_geojson(folder / "poles.geojson", territory, self.communes, self.poles, outlines)
            if draw:
                n_drawn = self.summary["n_poles"] - len(single_poles(self.poles))  # one-commune poles are communes on their own
                title = t("map.title", scenario=self.summary["scenario"], territory=territory.name, n=n_drawn,
                          status=status_short(self.status, self.summary.get("gap")))
                draw_map(folder / "map.png", territory, self.communes, self.poles, title,
                         labels=self.resolved_scenario.get("outputs", {}).get("labels", "auto"), outlines=outlines)
        if self.service_tables is not None:
            write_service_tables(folder, self.service_tables)
            if draw and len(self.service_tables.savings_by_source):
                draw_savings_chart(folder / "savings_by_source.png", self.service_tables.savings_by_source,
                                   t("chart.sources_title", scenario=self.summary["scenario"]))
            if draw and self.communes is not None:
                draw_savings_map(folder / "savings.png", self.inputs.territory, self.communes,
                                 t("map.savings_title", scenario=self.summary["scenario"]),
                                 outlines=drawn_outlines(outlines, self.poles))
        if self.roadmap is not None and self.roadmap.tables:
            self.roadmap.write(folder, draw)
        # report.md and report.html show the same sections, in the language being written: built once
        sections = build_sections(self.report_context())
        (folder / "report.md").write_text(self.report(current(), sections=sections), encoding="utf-8")
        for name, text in self.extra_files.items():
            (folder / name).write_text(text, encoding="utf-8")
        write_report_html(folder / "report.html", self, outlines=outlines, sections=sections)
        if self.communes is not None:
            write_fiches(folder, self.report_context())
            write_geopackage(folder / "result.gpkg", self.inputs.territory, self.communes, self.poles, outlines)
            write_workbook(folder / "result.xlsx", self.workbook_tables())
        (folder / "scenario.resolved.yaml").write_text(
            yaml.safe_dump(self.resolved_scenario, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (folder / "summary.json").write_text(json.dumps(self.summary, indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_dir(cls, folder: str | Path) -> Result:
        """Read a result folder back (tables, summary, resolved scenario); a damaged or foreign
        file is an :class:`~optimiser.errors.InputError` naming it (:mod:`.reading`)."""
        from .reading import COMMUNE_COLUMNS, read_csv, read_resolved, read_summary, read_tables_or_refuse

        folder = Path(folder)
        # as written, not typed: ``compare`` reads folders of other versions and cost models too
        summary = read_summary(folder / "summary.json")
        resolved = read_resolved(folder / "scenario.resolved.yaml")
        communes = poles = None
        if (folder / "communes.csv").exists():
            communes = read_csv(folder / "communes.csv", dtype={"insee_code": str, "seat_insee_code": str, "pole": str},
                                required=COMMUNE_COLUMNS)
            poles = read_csv(folder / "poles.csv", dtype={"seat_insee_code": str})
        tables = read_tables_or_refuse(folder, read_service_tables) if (folder / "services.csv").exists() else None
        return cls(summary=summary, communes=communes, poles=poles, resolved_scenario=resolved, service_tables=tables)


SERVICE_FILES = ("services", "equipment", "shares", "regie_vs_delegation", "status_quo", "status_quo_check", "core", "members",
                 "parameters", "savings_by_source", "staff_trajectory", "flows")


def write_service_tables(folder: Path, tables) -> None:
    for name in SERVICE_FILES:
        getattr(tables, name).to_csv(folder / f"{name}.csv", index=False)


#: Columns of the service tables read as text (codes: ``01001`` must not become 1001).
SERVICE_TEXT_COLUMNS = {"member": str, "seat_insee_code": str, "pole": str, "poolers_codes": str, "borrowers_codes": str,
                        "group_codes": str}


def read_service_table(source) -> pd.DataFrame:
    """One service table (a path or a binary file), codes kept as text; an empty file is an empty table."""
    try:
        return pd.read_csv(source, dtype=SERVICE_TEXT_COLUMNS, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def read_service_tables(folder: Path, read=read_service_table):
    """The service tables of a result folder (codes kept as text), each read by ``read(path)``
    (``optimiser verify`` passes one that parses each distinct content once)."""
    from .service_tables import ServiceTables

    frames = {}
    for name in SERVICE_FILES:
        path = folder / f"{name}.csv"
        try:
            frames[name] = read(path)
        except FileNotFoundError:  # a folder written before the file existed
            frames[name] = pd.DataFrame()
    return ServiceTables(**frames, commune_columns=pd.DataFrame())


def read_communes_csv(path: Path) -> pd.DataFrame:
    """communes.csv with codes kept as text (``01001`` must not become 1001)."""
    return pd.read_csv(path, dtype={"insee_code": str, "seat_insee_code": str, "pole": str})
