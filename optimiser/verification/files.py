"""Reading a result folder for the verifier: every file it needs, or a clear exit 2.

A file that is missing, truncated, not valid JSON / CSV, lacks a column, or holds a cell that is
not of its column's kind cannot be verified: :class:`UnreadableResult` (an
:class:`~optimiser.errors.InputError`, exit 2) names the file, the line and column, the value
and what was expected. What the values *say* is for the checks (violations, exit 4).

Column kinds (:data:`KINDS`): ``code`` (text, kept as written: ``01001`` stays ``01001``),
``text``, ``int``, ``float``, ``bool`` (``True`` / ``False``); a kind ending in ``?`` also
accepts an empty cell (read as ``None`` / NaN).
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..files import read_bytes
from ..results.reading import RESULT_FILE_MAX_BYTES, DuplicateKey, loads_unique
from ..scenario.load import LoadedScenario, validate_scenario
from ..scenario.yaml_io import SCENARIO_MAX_BYTES, read_yaml
from .memo import inputs_fingerprint, parsed_table, parsed_yaml

#: Files every result folder holds, with or without a design.
ALWAYS = ("summary.json", "scenario.resolved.yaml", "report.md", "report.html")
#: Files of a pole design (``map.png`` is optional: a result may be written without drawing).
DESIGN = ("communes.csv", "poles.csv", "poles.geojson")
#: Files of a service-sharing design.
SERVICES = ("services.csv", "equipment.csv", "shares.csv", "regie_vs_delegation.csv", "status_quo.csv", "core.csv",
            "members.csv", "parameters.csv")
#: Files that show a design (none may be in a folder whose status says there is none).
DESIGN_ONLY = DESIGN + SERVICES + ("map.png", "savings.png", "flows.csv")

#: At most this many unreadable cells are listed per file.
SHOWN_CELLS = 10

KINDS = ("code", "text", "int", "float", "bool")


class UnreadableResult(InputError):
    """A result file the verifier cannot read (exit 2)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, title="Cannot verify this result folder")


class ResultFolder:
    """The files of one result folder, read strictly (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def inputs_fingerprint(self) -> str | None:
        """The content hash of what the folder's prices derive from (:func:`.memo.inputs_fingerprint`),
        computed once per verification."""
        if not hasattr(self, "_fingerprint"):
            self._fingerprint = inputs_fingerprint(self.path)
        return self._fingerprint

    def label(self, name: str) -> str:
        return str(self.path / name)

    def has(self, name: str) -> bool:
        return (self.path / name).exists()

    def require(self, name: str, why: str = "") -> Path:
        """The path of ``name``; :class:`UnreadableResult` when it is missing or not a file."""
        path = self.path / name
        if not path.is_file():
            what = "missing" if not path.exists() else "not a file"
            raise UnreadableResult([Problem(self.label(name), "", f"{what}; {why or 'every result folder holds it'}",
                                            show_value=False)])
        return path

    def text(self, name: str) -> str:
        path = self.require(name)
        data = read_bytes(path, self.label(name), RESULT_FILE_MAX_BYTES, what="result file")  # bounded
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableResult([Problem(self.label(name), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                            show_value=False)]) from None

    def json(self, name: str) -> dict:
        """A JSON object; a truncated or edited file names the line and column where it breaks."""
        text = self.text(name)
        try:
            data = loads_unique(text)
        except json.JSONDecodeError as exc:
            # cut short: the error is at the end, or the file stops inside a string or before its closing brace
            cut = exc.pos >= len(text.rstrip()) or not text.rstrip().endswith(("}", "]"))
            ending = " (the file ends there: truncated?)" if cut else ""
            raise UnreadableResult([Problem(self.label(name), f"line {exc.lineno}, column {exc.colno}",
                                            f"not valid JSON: {exc.msg}{ending}", show_value=False)]) from None
        except DuplicateKey as exc:
            raise UnreadableResult([Problem(self.label(name), "", f"not as optimiser writes it: {exc}",
                                            show_value=False)]) from None
        except RecursionError:
            raise UnreadableResult([Problem(self.label(name), "", "not valid JSON here: lists or objects nested too "
                                            "deeply", show_value=False)]) from None
        except ValueError:  # a whole number past Python's 4,300 digits
            raise UnreadableResult([Problem(self.label(name), "", "not valid JSON here: a number with more than "
                                            "4,300 digits", show_value=False)]) from None
        if not isinstance(data, dict):
            raise UnreadableResult([Problem(self.label(name), "", "expected a JSON object", type(data).__name__)])
        return data

    def scenario(self) -> LoadedScenario:
        """``scenario.resolved.yaml``, validated like any scenario, its files looked up in the folder."""
        path = self.require("scenario.resolved.yaml")
        # parsed once per distinct content (.memo: plain data, a copy each time); errors name this folder's file
        raw, lines = parsed_yaml(read_bytes(path, str(path), SCENARIO_MAX_BYTES, what="scenario file"), "strict, with key lines",
                                 lambda: read_yaml(path))
        scenario = validate_scenario(raw, str(path), lines)
        return LoadedScenario(scenario=scenario, source=path, base_dir=self.path.resolve(), raw=raw, lines=lines)

    def table(self, name: str, columns: dict[str, str], why: str = "") -> pd.DataFrame:
        """``name`` with at least ``columns`` (column → kind), each cell parsed to its kind.
        Other columns are kept as text. An empty file is a table without rows."""
        data = read_bytes(self.require(name, why), self.label(name), RESULT_FILE_MAX_BYTES, what="CSV file")
        # parsed once per distinct content (.memo): a folder that differs in another file reads this one again for free
        return parsed_table(data, ("strict", tuple(columns.items())), lambda: self._parse_table(name, data, columns))

    def _parse_table(self, name: str, data: bytes, columns: dict[str, str]) -> pd.DataFrame:
        try:
            header = pd.read_csv(io.BytesIO(data), nrows=0).columns
            frame = pd.read_csv(io.BytesIO(data), dtype={c: str for c in header}, keep_default_na=False, na_values=[""])
        except pd.errors.EmptyDataError:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, ValueError) as exc:
            raise UnreadableResult([Problem(self.label(name), "", f"not a readable CSV table: {exc}", show_value=False)]) from None
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise UnreadableResult([Problem(self.label(name), "", f"missing column{'s' if len(missing) > 1 else ''} "
                                            f"{', '.join(missing)}", show_value=False)])
        problems = []
        label = self.label(name)
        for column, kind in columns.items():
            values = [_cell(value, kind, label, k, column, problems) for k, value in enumerate(frame[column])]
            # object dtype keeps None as None (pandas would otherwise infer a string dtype with NaN)
            frame[column] = pd.Series(values, index=frame.index, dtype=float if kind.rstrip("?") == "float" else object)
        if problems:
            shown = problems[:SHOWN_CELLS]
            if len(problems) > SHOWN_CELLS:
                shown.append(Problem(self.label(name), "", f"... and {len(problems) - SHOWN_CELLS} more", show_value=False))
            raise UnreadableResult(shown)
        return frame


def _cell(value, kind: str, file: str, row: int, column: str, problems: list[Problem]):
    """One CSV cell (text as read) parsed to ``kind``; a problem is recorded when it does not parse."""
    optional = kind.endswith("?")
    kind = kind.rstrip("?")
    empty = value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())
    if empty:
        if optional or kind == "text":
            return float("nan") if kind == "float" else None
        problems.append(Problem(file, f"line {row + 2}, column {column}", f"empty; expected {_expected(kind)}", show_value=False))
        return None
    text = str(value).strip()
    try:
        if kind in ("code", "text"):
            return str(value)
        if kind == "bool":
            if text not in ("True", "False"):
                raise ValueError
            return text == "True"
        number = float(text)
        if not math.isfinite(number):
            raise ValueError
        if kind == "int":
            if number != int(number):
                raise ValueError
            return int(number)
        return number
    except ValueError:
        problems.append(Problem(file, f"line {row + 2}, column {column}", f"expected {_expected(kind)}", text))
        return None


def _expected(kind: str) -> str:
    return {"code": "a code", "int": "a whole number", "float": "a finite number", "bool": "True or False"}.get(kind, "text")


def inside(folder: Path, path: Path) -> bool:
    """``path`` lies inside ``folder`` (symbolic links followed)."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
