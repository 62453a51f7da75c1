"""The layout's promises, checked on the source: no import cycle, each namespace spelt in one
module, no SPARQL query text built by formatting a value into it, no oversized module."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The top-level folders that pyproject maps into the skillsgraph package.
PACKAGES = {"skillsgraph": "skillsgraph", "loader": "skillsgraph.loader", "store": "skillsgraph.store",
            "api": "skillsgraph.api"}
ONTOLOGY_NS = "https://w3id.org/skillsgraph/" + "ontology#"
MAX_LINES = 400
# Modules allowed past MAX_LINES: each says in its docstring why its one job needs the room.
LONG_MODULES = {"skillsgraph.loader.conformance"}


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for file in sorted((REPO / folder).rglob("*.py")):
            parts = file.relative_to(REPO / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = file
    return found


MODULES = _modules()


def _imports(name: str, file: Path) -> set[str]:
    """Project modules a module imports at load time or in a function (both make a dependency)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def test_no_import_cycle():
    graph = {name: _imports(name, file) for name, file in MODULES.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            # A package importing its own submodules is how a package exposes them, not a cycle.
            if dep.startswith(node + "."):
                continue
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):] + [dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_the_ontology_namespace_is_spelt_in_one_module():
    spelt = sorted(n for n, f in MODULES.items() if ONTOLOGY_NS in f.read_text(encoding="utf-8"))
    assert spelt == ["skillsgraph.vocab"], spelt


_SPARQL_WORDS = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b[\s\S]*\b(WHERE|\{)")


def _formatted_sparql(tree: ast.AST) -> list[int]:
    """Lines where query text is made by putting a value into it: f-strings, % or .format()."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if _SPARQL_WORDS.search(text):
                lines.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
                and isinstance(node.left.value, str) and _SPARQL_WORDS.search(node.left.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str) \
                and _SPARQL_WORDS.search(node.func.value.value):
            lines.append(node.lineno)
    return lines


def test_no_query_is_built_by_formatting_a_value_into_it():
    found = {n: lines for n, f in MODULES.items() if (lines := _formatted_sparql(ast.parse(f.read_text(encoding="utf-8"))))}
    assert not found, f"SPARQL text with values formatted in (module: lines): {found}"


def test_no_module_is_oversized():
    big = {n: len(f.read_text(encoding="utf-8").splitlines()) for n, f in MODULES.items()}
    over = {n: lines for n, lines in big.items() if lines > MAX_LINES and n not in LONG_MODULES}
    assert not over, over
    for name in LONG_MODULES:
        docstring = ast.get_docstring(ast.parse(MODULES[name].read_text(encoding="utf-8"))) or ""
        assert "400 lines" in docstring, f"{name} is allowed past {MAX_LINES} lines: its docstring must say why"


def _required_after_optional(text: str) -> list[int]:
    """Lines of a triple pattern that follow an OPTIONAL of the same group: Oxigraph joins such
    a pattern on its own, unbound by what came before (a bound statement's trace ran for minutes
    over an O*NET release)."""
    found, optional_at = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if stripped.startswith("OPTIONAL"):
            optional_at.add(indent)
        elif stripped.startswith("?") and indent in optional_at:
            found.append(number)
        if stripped.startswith("}"):
            optional_at = {i for i in optional_at if i <= indent}
    return found


def test_fixed_queries_state_required_patterns_before_optional_ones():
    files = sorted((REPO / "api" / "queries").glob("*.rq")) + sorted((REPO / "queries").glob("*.rq"))
    assert files
    late = {f.name: lines for f in files if (lines := _required_after_optional(f.read_text(encoding="utf-8")))}
    assert not late, late


def test_every_route_answers_on_the_event_loop(tmp_path):
    """FastAPI sends a synchronous route to a thread and back (0.16 ms of a 0.7 ms request here);
    a route that blocks hands its blocking part to a thread itself, so every route is a coroutine."""
    import inspect

    from starlette.routing import Route

    from skillsgraph.api.app import create_app
    from skillsgraph.config import Settings
    from skillsgraph.store.memory_store import MemoryStore
    build = tmp_path / "skillsgraph.nq"
    build.write_text("<https://example.org/s> <https://example.org/p> \"o\" <https://example.org/g> .\n", encoding="utf-8")
    app = create_app(Settings(home=tmp_path), MemoryStore.from_nquads(build))
    def flattened(routes) -> list[Route]:  # an included router keeps its routes (FastAPI's _IncludedRouter)
        out = []
        for route in routes:
            inner = getattr(route, "original_router", None)
            out += flattened(inner.routes) if inner is not None else [route] if isinstance(route, Route) else []
        return out
    routes = flattened(app.routes)
    assert len(routes) > 20 and any(r.path == "/health" for r in routes)
    synchronous = sorted(r.path for r in routes if not inspect.iscoroutinefunction(r.endpoint))
    assert not synchronous, f"synchronous routes: {synchronous}"
