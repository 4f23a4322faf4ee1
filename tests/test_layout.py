"""The tree shows the architecture: packages by concern, imports flowing one way, every package installed."""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("network", "analysis")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for top in PACKAGES for p in sorted((ROOT / top).rglob("*.py"))}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules a file imports, at module level or inside functions (both are dependencies)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(path, name, known) for name, path in found.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of a directed graph as a list of nodes, or None (iterative depth-first search)."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(sorted(graph.get(child, ())))))
                path.append(child)
    return None


def group_of(module: str, prefix: str, depth: int) -> str | None:
    if not module.startswith(prefix + "."):
        return None
    return ".".join(module.split(".")[:depth])


def collapsed(graph: dict[str, set[str]], prefix: str, depth: int) -> dict[str, set[str]]:
    """The import graph between groups (subpackages or modules) under ``prefix``."""
    groups: dict[str, set[str]] = {}
    for module, targets in graph.items():
        source = group_of(module, prefix, depth)
        if source is None:
            continue
        groups.setdefault(source, set())
        for target in targets:
            group = group_of(target, prefix, depth)
            if group is not None and group != source:
                groups[source].add(group)
    return groups


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_network_packages():
    between = collapsed(import_graph(), "network", 2)
    assert {"network.contract", "network.graph", "network.maps", "network.formats", "network.fec"} <= set(between)
    assert find_cycle(between) is None, f"import cycle between network packages: {find_cycle(between)}"


def test_no_import_cycle_between_command_modules():
    between = collapsed(import_graph(), "analysis.commands", 3)
    assert len(between) > 10
    assert find_cycle(between) is None, f"import cycle between command modules: {find_cycle(between)}"


def test_data_flows_one_way_network_never_imports_analysis():
    graph = import_graph()
    wrong = sorted((m, t) for m, targets in graph.items() if m.startswith("network") for t in targets if t.startswith("analysis"))
    assert wrong == []


@pytest.mark.parametrize("package", sorted(p.parent for top in PACKAGES for p in (ROOT / top).rglob("__init__.py")))
def test_every_package_says_what_it_owns_and_is_installed(package):
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring, f"{package} has no docstring"
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert module_name(package / "__init__.py") in listed
