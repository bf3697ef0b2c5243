"""The package's shape: a one-way pipeline with no import cycle, and registries the schema agrees with.

Stages, in the order data flows (a module may import from its own stage or an earlier one):

    foundation → scenario → inputs → model → solve → results → entry points

Every import counts, including those inside functions (a lazy import is still a dependency);
only ``if TYPE_CHECKING:`` blocks are skipped (never executed).
"""

from __future__ import annotations

import ast
import functools
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "optimiser"

#: Stage of each part of the package (a top-level module or subpackage, or a module of
#: FINE_PARTS). A new part must be placed here: the test says so.
STAGES: list[tuple[str, list[str]]] = [
    ("foundation", ["errors", "text", "files", "_version", "results.folder"]),
    ("scenario", ["scenario"]),
    ("inputs", ["territory", "services", "institutions", "cache", "inputs"]),
    ("model", ["model"]),
    ("solve", ["solvers", "design"]),
    ("results", ["results", "verify_services"]),
    ("entry points", ["api", "batch", "tradeoff", "sweeps", "roadmap", "comparison", "starter", "verify", "verification",
                      "cli", "cli_init", "cli_options", "cli_sweep", "robustness", "bilan", "__init__", "__main__"]),
]
#: Inside the inputs stage, the order of its parts (territory data, service data, assembly).
INPUT_ORDER = ["territory", "services", "institutions", "cache", "inputs"]
#: Inside the solve stage: the solver layer comes before the design loop that calls it.
SOLVE_ORDER = ["solvers", "design"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of a module, outside ``if TYPE_CHECKING:`` bodies (their ``else``
    runs). Only statement lists are walked: an import is a statement, never inside an expression
    (a full ``ast.walk`` of the package visits about 500,000 nodes, this about 20 times fewer)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            statements = getattr(node, field, None)
            if isinstance(statements, list):  # a lambda's body is an expression
                stack.extend(statements)


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module → the package modules it imports (a ``from pkg import name`` naming a submodule
    counts as that submodule). Scanned once per process (parsing the package is most of the
    cost) and frozen, so the tests that share it cannot change it."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in _import_nodes(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                named = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in files]
                targets = named or [target]
            else:
                targets = [alias.name for alias in node.names]
            for target in targets:
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target.startswith("optimiser") and target != module:
                    graph[module].add(target)
    return {module: frozenset(targets) for module, targets in graph.items()}


#: Modules placed apart from their folder's stage: ``results/folder.py`` writes any folder
#: atomically and depends on nothing but errors (the inventory template uses it too).
FINE_PARTS = {"results.folder"}


def part_of(module: str) -> str:
    """``optimiser.model.services`` → ``model``; the package's own ``__init__`` → ``__init__``;
    a module of :data:`FINE_PARTS` is a part of its own."""
    parts = module.split(".")
    if ".".join(parts[1:3]) in FINE_PARTS:
        return ".".join(parts[1:3])
    return parts[1] if len(parts) > 1 else "__init__"


def rank(part: str) -> tuple[int, int]:
    for k, (_, parts) in enumerate(STAGES):
        if part in parts:
            within = INPUT_ORDER.index(part) if part in INPUT_ORDER else SOLVE_ORDER.index(part) if part in SOLVE_ORDER else 0
            return k, within
    raise AssertionError(f"optimiser/{part} has no stage: add it to STAGES in {__file__}")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


@pytest.mark.slow
def test_the_scan_sees_imports():
    graph = import_graph()
    assert "optimiser.model.poles" in graph["optimiser.model.services"]
    assert "optimiser.inputs.rules" in graph["optimiser.inputs.preparation"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


@pytest.mark.slow
def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


@pytest.mark.slow
def test_no_import_cycle_between_parts():
    parts: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        parts.setdefault(part_of(module), set()).update(part_of(t) for t in targets if part_of(t) != part_of(module))
    assert cycles(parts) == []


@pytest.mark.slow
def test_no_import_goes_backwards_in_the_pipeline():
    backwards = []
    for module, targets in import_graph().items():
        for target in targets:
            a, b = part_of(module), part_of(target)
            if a != b and rank(a) < rank(b):
                backwards.append(f"{module} ({STAGES[rank(a)[0]][0]}) imports {target} ({STAGES[rank(b)[0]][0]})")
    assert not backwards, "\n".join(sorted(backwards))


def test_the_public_api_is_importable_from_the_package():
    import optimiser

    for name in ("load_scenario", "solve", "Result", "sweep", "compare", "pareto", "load_results"):
        assert callable(getattr(optimiser, name)), name
    assert not isinstance(optimiser.solve, type(optimiser)), "optimiser.solve is the function, not a module"


# ------------------------------------------------------------------------------ registries


def literal_values(annotation) -> set[str]:
    """Every string a (possibly Optional / list / Union of) ``Literal`` annotation allows."""
    if typing.get_origin(annotation) is typing.Literal:
        return {a for a in typing.get_args(annotation) if isinstance(a, str)}
    out: set[str] = set()
    for arg in typing.get_args(annotation):
        out |= literal_values(arg)
    return out


def test_schema_contiguity_values_are_the_registry():
    from optimiser.model.contiguity import CONTIGUITY
    from optimiser.scenario.schema import Scenario

    assert literal_values(Scenario.model_fields["contiguity"].annotation) == set(CONTIGUITY)


def test_schema_solver_names_are_the_registry():
    from optimiser.scenario.schema import SolverConfig
    from optimiser.solvers import SOLVERS

    assert literal_values(SolverConfig.model_fields["name"].annotation) == set(SOLVERS)


def test_schema_service_names_are_the_catalogue():
    from optimiser.scenario import schema
    from optimiser.services.catalogue import default_catalogue

    catalogue = default_catalogue()
    assert literal_values(schema.ServiceKey) == set(catalogue.services)
    assert literal_values(schema.EquipmentKey) == set(catalogue.equipment)
    assert literal_values(schema.Grade) == set(catalogue.staff_cost)


def test_an_unknown_contiguity_is_an_error_not_no_contiguity():
    from optimiser.errors import InputError
    from optimiser.model.contiguity import contiguity_formulation

    with pytest.raises(InputError, match="unknown contiguity formulation.*did you mean 'exact'"):
        contiguity_formulation("exakt")


def test_an_unknown_solver_is_an_error():
    from optimiser.errors import InputError
    from optimiser.solvers import solver_named

    with pytest.raises(InputError, match="unknown solver"):
        solver_named("gurobi")
