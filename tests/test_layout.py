"""The layout keeps its promises (docs/DESIGN: one direction of dependency): inside ui/, no two modules import
each other in a circle (type-only imports too), no tab imports another, and only the page imports a tab;
style_core never imports gradio or ui; bench/ runs as a package, without path edits."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, absolute, wherever the import stands (functions, TYPE_CHECKING blocks)."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from . import share` names a module
    return found


def _graph(folder: str) -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in (ROOT / folder).rglob("*.py")}
    return {name: _imports(path) & set(modules) - {name} for name, path in modules.items()}


def test_no_two_page_modules_import_each_other_in_a_circle() -> None:
    graph = _graph("ui")
    assert "ui.tabs.stylize" in graph and "ui.result_area" in graph["ui.tabs.stylize"]  # the graph sees imports

    def circle_from(start: str, module: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for imported in graph[module] - {"ui", "ui.tabs"}:  # packages' __init__ only re-export
            if imported == start:
                return (*seen, imported)
            if imported not in seen and (found := circle_from(start, imported, (*seen, imported))):
                return found
        return None

    circles = [circle for name in graph if (circle := circle_from(name, name, (name,)))]
    assert not circles, f"modules importing each other: {' -> '.join(circles[0])}"


def test_only_the_page_imports_a_tab() -> None:
    graph = _graph("ui")
    tabs = {name for name in graph if name.startswith("ui.tabs.")}
    assert {"ui.tabs.stylize", "ui.tabs.compare", "ui.tabs.video"} <= tabs
    importers = {name: graph[name] & tabs for name in graph if graph[name] & tabs}
    assert set(importers) == {"ui.page"}, importers


def test_the_engine_knows_nothing_of_the_page() -> None:
    for path in (ROOT / "style_core").glob("*.py"):
        imported = {name.split(".")[0] for name in _imports(path)}
        assert not imported & {"gradio", "ui", "bench"}, path.name


def test_benchmarks_run_as_a_package_without_path_edits() -> None:
    assert (ROOT / "bench" / "__init__.py").is_file()
    edits = [path.name for path in (ROOT / "bench").glob("*.py") if "sys.path" in path.read_text()]
    assert not edits, f"bench scripts that edit sys.path: {edits}"
