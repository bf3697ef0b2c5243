"""Every commune of France, out of the box: select by EPCI, département, region or INSEE codes.

The national data live in ``data/france/`` (built by ``scripts/build_france_data.py`` from the
shared reference data; see ``data/README.md`` for sources and licences):

* ``communes.csv.gz``  one row per current commune (2026): code, name, département, region, EPCI,
  population, representative point, area;
* ``adjacency.csv.gz`` neighbour pairs (shared border > 10 m) with their border length and the
  distance between representative points;
* ``polygons.npz``     simplified polygons (2018 contours, 100 m), one group of arrays per
  département, so a selection decodes only the départements it touches.

Names are matched with accents, case and hyphens ignored (:func:`optimiser.text.fold`); a name
that matches nothing gets the closest names as suggestions, and a name that matches several
EPCIs lists them with their SIREN.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..errors import InputError, Problem
from ..text import did_you_mean, fold
from .territory import Territory, build_territory

#: Where the national files are (the repository's ``data/france``).
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "france"

#: 1e-5 degree: the unit of the stored coordinates (see the build script).
_SCALE = 100_000

#: Legal forms that start EPCI names; a planner often leaves them out ("Laval Agglomération").
_EPCI_FORMS = ("ca ", "cc ", "cu ", "metropole ", "communaute d agglomeration ", "communaute de communes ",
               "communaute urbaine ")


@dataclass(frozen=True)
class Selection:
    """Communes chosen for a study.

    Attributes:
        kind: ``epci``, ``departement``, ``region`` or ``communes``.
        key: the SIREN or INSEE code of the EPCI / département / region (``None`` for a list).
        name: the territory's name, e.g. ``"CA Laval Agglomération"``.
        codes: INSEE codes of the selected communes that have a polygon, sorted.
        left_out: selected communes without a polygon (re-created after 2018; they cannot be
            placed on the map or in the neighbour graph).
    """

    kind: str
    key: str | None
    name: str
    codes: tuple[str, ...]
    left_out: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``"CA Laval Agglomération (EPCI 200083392)"``."""
        what = {"epci": "EPCI", "departement": "département", "region": "region"}.get(self.kind)
        return f"{self.name} ({what} {self.key})" if what else self.name


class NationalData:
    """The national tables, read lazily from ``data/france`` (use :func:`national_data`)."""

    def __init__(self, folder: Path = DATA_DIR):
        self.folder = Path(folder)
        if not (self.folder / "communes.csv.gz").exists():
            raise InputError([Problem(str(self.folder), "", "national commune data not found; rebuild it with "
                                      "scripts/build_france_data.py", show_value=False)])
        text = {c: str for c in ("insee_code", "name", "departement", "region", "epci_siren", "epci_name")}
        frame = pd.read_csv(self.folder / "communes.csv.gz", dtype=text, keep_default_na=False,
                            na_values={"lon": [""], "lat": [""], "area_km2": [""]})
        self.communes = frame.set_index("insee_code")
        self.departements = pd.read_csv(self.folder / "departements.csv", dtype=str).set_index("code")["name"]
        self.regions = pd.read_csv(self.folder / "regions.csv", dtype=str).set_index("code")["name"]
        self._adjacency: pd.DataFrame | None = None
        self._polygons = None
        self._decoded: dict[str, dict[str, BaseGeometry]] = {}

    # ------------------------------------------------------------------------------ tables

    @functools.cached_property
    def epcis(self) -> pd.DataFrame:
        """One row per EPCI (index SIREN): name, communes, population, départements."""
        members = self.communes[self.communes["epci_siren"] != ""]
        grouped = members.groupby("epci_siren")
        return pd.DataFrame({
            "name": grouped["epci_name"].first(),
            "communes": grouped.size(),
            "population": grouped["population"].sum(),
            "departements": grouped["departement"].agg(lambda s: ",".join(sorted(set(s)))),
        })

    @property
    def adjacency(self) -> pd.DataFrame:
        """Every neighbour pair of France: code_a < code_b, shared_border_km, distance_km."""
        if self._adjacency is None:
            self._adjacency = pd.read_csv(self.folder / "adjacency.csv.gz", dtype={"code_a": str, "code_b": str})
        return self._adjacency

    def polygons(self, codes) -> dict[str, BaseGeometry]:
        """Polygons (WGS84) of ``codes``; decodes only the départements they belong to."""
        codes = list(codes)
        out: dict[str, BaseGeometry] = {}
        for dep in sorted(set(self.communes.loc[codes, "departement"])):
            out.update({c: g for c, g in self._departement_polygons(dep).items()})
        return {c: out[c] for c in codes if c in out}

    def _departement_polygons(self, dep: str) -> dict[str, BaseGeometry]:
        if dep not in self._decoded:
            if self._polygons is None:
                self._polygons = np.load(self.folder / "polygons.npz", allow_pickle=False)
            arrays = {k[len(dep) + 1:]: self._polygons[k] for k in self._polygons.files if k.startswith(dep + ".")}
            self._decoded[dep] = decode_polygons(arrays)
        return self._decoded[dep]

    # --------------------------------------------------------------------------- selection

    def select_epci(self, ref: str) -> Selection:
        """An EPCI by SIREN (9 digits) or name (accents, case and legal form optional)."""
        text = str(ref).strip()
        epcis = self.epcis
        if text.isdigit():
            if text in epcis.index:
                return self._selection("epci", text, epcis.at[text, "name"], self.communes.index[self.communes["epci_siren"] == text])
            message = (f"no EPCI with SIREN {text}" if len(text) == 9
                       else "expected a 9-digit SIREN (e.g. 200083392) or an EPCI name")
            raise InputError([Problem(None, "--epci", message, text)])
        sirens = self._match_names(text, epcis["name"], strip_forms=True)
        if len(sirens) == 1:
            return self.select_epci(sirens[0])
        if len(sirens) > 1:
            options = "; ".join(f"{epcis.at[s, 'name']} (SIREN {s}, département {epcis.at[s, 'departements']}, "
                                f"{epcis.at[s, 'communes']} communes)" for s in sirens[:10])
            raise InputError([Problem(None, "--epci", f"{len(sirens)} EPCIs match this name: {options}",
                                      text, hint="give the SIREN instead")])
        raise InputError([Problem(None, "--epci", "no EPCI has this name", text,
                                  hint=_hint(text, epcis["name"], "an EPCI name or its 9-digit SIREN"))])

    def select_departement(self, ref: str) -> Selection:
        """A département by INSEE code (``53``, ``2A``, ``971``; ``1`` means ``01``) or name."""
        code = self._code_or_name(ref, self.departements, "--departement", "département",
                                  "an INSEE département code such as 53, 2A or 971, or a name such as Mayenne")
        return self._selection("departement", code, self.departements[code],
                               self.communes.index[self.communes["departement"] == code])

    def select_region(self, ref: str) -> Selection:
        """A region by INSEE code (``52``) or name (``Pays de la Loire``)."""
        code = self._code_or_name(ref, self.regions, "--region", "region",
                                  "an INSEE region code such as 52, or a name such as Pays de la Loire")
        return self._selection("region", code, self.regions[code], self.communes.index[self.communes["region"] == code])

    def select_communes(self, refs, name: str | None = None) -> Selection:
        """Communes by INSEE code (or by a name that is unique in France).

        A list longer than :data:`MAX_SELECTED_COMMUNES` is refused before any entry is read. Only
        the first :data:`LISTED_PROBLEMS` wrong entries are named (with a "did you mean", whose
        search over 35,000 names costs a few hundredths of a second each); the rest are counted.
        """
        refs = list(refs)
        if len(refs) > MAX_SELECTED_COMMUNES:
            raise InputError([Problem(None, "--communes", f"{len(refs):,} entries; init takes at most "
                                      f"{MAX_SELECTED_COMMUNES:,} communes (the largest region, Grand Est, has 5,121)",
                                      f"{len(refs):,} entries", show_value=False,
                                      hint="select an EPCI, a département or a region instead, or split the list")])
        codes, problems, unlisted = [], [], 0
        names = self._folded_commune_names
        for k, ref in enumerate(refs):
            text = str(ref).strip()
            if not text:
                continue
            if text.upper() in self.communes.index:
                codes.append(text.upper())
                continue
            found = names.get(fold(text), [])
            if len(found) == 1:
                codes.append(found[0])
            elif len(problems) >= LISTED_PROBLEMS:
                unlisted += 1
            elif found:
                options = ", ".join(f"{c} ({self.departements[self.communes.at[c, 'departement']]})" for c in found[:8])
                problems.append(Problem(None, f"--communes[{k}]", f"{len(found)} communes are called so: {options}",
                                        text, hint="give the INSEE code"))
            else:
                expected = "a 5-character INSEE commune code such as 53130" if re.fullmatch(r"[0-9A-Za-z]{5}", text) else None
                problems.append(Problem(None, f"--communes[{k}]", "no such commune" + (f"; expected {expected}" if expected else ""),
                                        text, hint=_hint(text, self.communes["name"], "an INSEE code")))
        if unlisted:
            problems.append(Problem(None, "--communes", f"{unlisted:,} more entries are not one commune either "
                                    f"(only the first {LISTED_PROBLEMS} are listed)", unlisted, show_value=False))
        if problems:
            raise InputError(problems, title="Invalid --communes")
        if not codes:
            raise InputError([Problem(None, "--communes", "no commune given", refs)])
        if name is not None:
            check_territory_name(name)
        return self._selection("communes", None, name or f"{len(set(codes))} communes", codes)

    @functools.cached_property
    def _folded_commune_names(self) -> dict[str, list[str]]:
        """Folded commune name → INSEE codes of the communes so called (built once: folding the
        35,000 names for every entry of a long ``--communes`` list took minutes)."""
        index: dict[str, list[str]] = {}
        for code, folded in self.communes["name"].map(fold).items():
            index.setdefault(folded, []).append(code)
        return index

    def _selection(self, kind: str, key: str | None, name: str, codes) -> Selection:
        codes = sorted(set(codes))
        has = self.communes.loc[codes, "has_polygon"] == 1
        return Selection(kind, key, str(name), tuple(has.index[has]), tuple(has.index[~has]))

    def _code_or_name(self, ref, names: pd.Series, option: str, what: str, expected: str) -> str:
        text = str(ref).strip()
        code = text.upper()
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        if code in names.index:
            return code
        if not code.isdigit():
            found = self._match_names(text, names, strip_forms=False)
            if len(found) == 1:
                return found[0]
        raise InputError([Problem(None, option, f"no {what} {text!r}; expected {expected}", text,
                                  hint=_hint(text, list(names.index) + list(names), None))])

    @staticmethod
    def _match_names(text: str, names: pd.Series, strip_forms: bool) -> list[str]:
        """Keys of ``names`` whose folded name equals the folded ``text``; failing that (for
        EPCIs), those whose name without its legal form equals it or contains it as words."""
        wanted = fold(text)
        folded = names.map(fold)
        exact = list(folded.index[folded == wanted])
        if exact or not strip_forms:
            return exact
        bare = folded.map(_strip_form)
        wanted_bare = _strip_form(wanted)
        same = list(bare.index[bare == wanted_bare])
        if same:
            return same
        pattern = re.compile(rf"(^| ){re.escape(wanted_bare)}( |$)")
        return [k for k, name in bare.items() if pattern.search(name)] if len(wanted_bare) >= 3 else []

    # ------------------------------------------------------------------------------ output

    def territory(self, selection: Selection, min_shared_border_m: float = 10.0) -> Territory:
        """The selection as a :class:`Territory` (neighbours computed from the polygons, as
        ``optimiser run`` will do from the written GeoJSON)."""
        codes = list(selection.codes)
        rows = self.communes.loc[codes]
        polygons = self.polygons(codes)
        return build_territory(selection.name, codes, list(rows["name"]), [int(p) for p in rows["population"]],
                               [polygons[c] for c in codes], min_shared_border_m=min_shared_border_m)

    def feature_collection(self, selection: Selection) -> dict:
        """The selection as a GeoJSON FeatureCollection in the format of ``data/*.geojson``."""
        codes = list(selection.codes)
        rows = self.communes.loc[codes]
        polygons = self.polygons(codes)
        features = []
        for code, row in zip(codes, rows.itertuples()):
            features.append({
                "type": "Feature",
                "properties": {
                    "insee_code": code,
                    "name": row.name,
                    "population": int(row.population),
                    "departement": row.departement,
                    "epci_siren": row.epci_siren or None,
                    "epci_name": row.epci_name or None,
                },
                "geometry": mapping(polygons[code]),
            })
        return {"type": "FeatureCollection", "name": selection.name, "features": features}

    def write_geojson(self, selection: Selection, path: str | Path) -> Path:
        """Write :meth:`feature_collection` to ``path`` (UTF-8, compact)."""
        path = Path(path)
        text = json.dumps(self.feature_collection(selection), ensure_ascii=False, separators=(",", ":"))
        path.write_text(text, encoding="utf-8")
        return path


def decode_polygons(arrays: dict[str, np.ndarray]) -> dict[str, BaseGeometry]:
    """INSEE code → polygon from one département's arrays (``codes``, ``xy``, ``offsets0..2``;
    the inverse of ``encode_departement`` in ``scripts/build_france_data.py``)."""
    coords = np.ascontiguousarray(np.cumsum(arrays["xy"].astype(np.int64), axis=1).T / _SCALE)
    # three offset arrays for MultiPolygons, two when the département has only Polygons
    offsets = tuple(arrays[f"offsets{k}"].astype(np.int64) for k in range(3) if f"offsets{k}" in arrays)
    kind = shapely.GeometryType.MULTIPOLYGON if len(offsets) == 3 else shapely.GeometryType.POLYGON
    geoms = shapely.from_ragged_array(kind, coords, offsets)
    single = shapely.get_num_geometries(geoms) == 1
    geoms[single] = shapely.get_geometry(geoms[single], 0)  # back to plain Polygons
    return dict(zip(arrays["codes"].tolist(), geoms))


def _strip_form(folded_name: str) -> str:
    for form in _EPCI_FORMS:
        if folded_name.startswith(form):
            return folded_name[len(form):]
    return folded_name


def _hint(text: str, candidates, expected: str | None) -> str | None:
    """``did you mean ...?`` (cutoff 0.5, looser than the default 0.6), else ``expected ...``."""
    return did_you_mean(text, list(candidates), cutoff=0.5) or (f"expected {expected}" if expected else None)


@functools.lru_cache(maxsize=2)
def national_data(folder: str | Path = DATA_DIR) -> NationalData:
    """The national data (read once per process)."""
    return NationalData(Path(folder))


#: Most communes ``init --communes`` takes: every region fits (Grand Est, the largest, has 5,121);
#: beyond, the two n × n travel matrices alone pass half a gigabyte and init takes many minutes.
MAX_SELECTED_COMMUNES = 6_000
#: Wrong ``--communes`` entries named one by one; the others are counted.
LISTED_PROBLEMS = 20

#: Longest territory name a planner may give (it titles reports and names the scenario).
MAX_NAME_LENGTH = 200


def check_territory_name(name: str) -> None:
    """Refuse a ``--name`` that is blank, too long or holds control characters (a tab, a bell,
    a line break): it is written into the starter scenario and every report title."""
    bad = sorted({f"U+{ord(c):04X}" for c in name if unicodedata.category(c) in ("Cc", "Cs")})
    if not name.strip() or len(name) > MAX_NAME_LENGTH or bad:
        why = (f"control characters ({', '.join(bad[:5])})" if bad else
               "blank" if not name.strip() else f"{len(name):,} characters, more than {MAX_NAME_LENGTH}")
        raise InputError([Problem(None, "--name", f"a territory name is plain text of 1 to {MAX_NAME_LENGTH} characters; "
                                  f"this one is {why}", name)])
