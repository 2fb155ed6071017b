"""The apps of src/kaifaqu import one way: no cycle between them, and the framework at the bottom.

The graph is read from the source with ``ast``: every ``import kaifaqu.<app>...`` and ``from
kaifaqu.<app>... import ...`` of an app's modules, at module level or inside a function, is an edge
from that app to ``<app>``. Three kinds of import are left out:
- imports under ``if TYPE_CHECKING:``, which only the type checker runs;
- the apps' ``tests`` packages, which may build their fixtures from any app;
- the project package (settings and URLs), which wires every app together by design.
"""

import ast
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kaifaqu"
COMPOSITION_ROOT = "project"
# The shared framework and the reference data: every domain app builds on them, so they may import
# only each other and the infrastructure (access, audit, jobs, api), never a domain app.
DOMAIN_APPS = frozenset(
    {
        "zones",
        "maps",
        "enterprises",
        "publications",
        "intake",
        "mujun",
        "assessment",
        "cockpit",
        "demo",
        "investment",
    }
)
FOUNDATION = ("core", "catalog")

Edges = dict[str, dict[str, list[str]]]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, package: str) -> Iterator[tuple[str, int]]:
    """Modules imported anywhere in ``node`` (of a module in ``package``), made absolute;
    ``from a import b`` yields ``a.b`` too, since ``b`` may be a module. TYPE_CHECKING blocks are
    skipped."""
    children: Iterable[ast.AST] = ast.iter_child_nodes(node)
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        children = node.orelse
    elif isinstance(node, ast.Import):
        yield from ((alias.name, node.lineno) for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        parts = package.split(".")
        base = parts[: len(parts) + 1 - node.level] if node.level else []
        module = ".".join([*base, *filter(None, [node.module])])
        yield module, node.lineno
        yield from ((f"{module}.{alias.name}", node.lineno) for alias in node.names)
    for child in children:
        yield from _imports(child, package)


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kaifaqu" or len(parts) < 2:
        return None
    return parts[1] if (PACKAGE / parts[1]).is_dir() else None


def _app_modules() -> Iterator[tuple[str, str, Path]]:
    """Each module of an app: the app, the module's package (dotted) and its path."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1 and "tests" not in parts and parts[0] != COMPOSITION_ROOT:
            yield parts[0], ".".join(("kaifaqu", *parts[:-1])), path


def app_graph() -> Edges:
    """For each app, the apps it imports and where (``path:line``)."""
    edges: Edges = {}
    for app, package, path in _app_modules():
        edges.setdefault(app, {})
        for module, line in _imports(ast.parse(path.read_text(encoding="utf-8")), package):
            target = _app_of(module)
            if target is not None and target != app:
                where = f"{path.relative_to(PACKAGE)}:{line}"
                if where not in edges[app].setdefault(target, []):
                    edges[app][target].append(where)
    return edges


def find_cycle(edges: Edges) -> list[str] | None:
    """One cycle of the graph as [a, b, ..., a], or None (depth-first search, in name order)."""
    done: set[str] = set()
    path: list[str] = []

    def visit(app: str) -> list[str] | None:
        if app in path:
            return [*path[path.index(app) :], app]
        if app in done:
            return None
        path.append(app)
        for target in sorted(edges.get(app, {})):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(app)
        return None

    for app in sorted(edges):
        if cycle := visit(app):
            return cycle
    return None


def describe(cycle: list[str], edges: Edges) -> str:
    steps = (f"  {a} -> {b}  ({', '.join(edges[a][b])})" for a, b in itertools.pairwise(cycle))
    return "import cycle between apps:\n" + "\n".join(steps)


def test_no_import_cycle_between_apps():
    edges = app_graph()
    cycle = find_cycle(edges)
    assert cycle is None, describe(cycle, edges)


def test_the_foundation_imports_no_domain_app():
    edges = app_graph()
    wrong = {
        f"{app} -> {target}": where
        for app in FOUNDATION
        for target, where in edges.get(app, {}).items()
        if target in DOMAIN_APPS
    }
    assert wrong == {}


def test_core_imports_no_other_app():
    assert app_graph().get("core", {}) == {}


def test_the_graph_sees_every_kind_of_import():
    source = """
import kaifaqu.zones.models
from kaifaqu.audit.log import log_change
from kaifaqu import catalog
from ..enterprises import models
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from kaifaqu.access.models import Profile
else:
    from kaifaqu.jobs import registry
def later():
    from kaifaqu.mujun import scheme
"""
    found = {module for module, _ in _imports(ast.parse(source), "kaifaqu.zones")}
    assert {_app_of(module) for module in found} == {
        "zones",
        "audit",
        "catalog",
        "enterprises",
        "jobs",
        "mujun",
        None,
    }
    assert "kaifaqu.access.models" not in found


def test_a_cycle_is_found_and_named():
    edges = {"a": {"b": ["a/x.py:1"]}, "b": {"c": ["b/y.py:2"]}, "c": {"a": ["c/z.py:3"]}}
    cycle = find_cycle(edges)
    assert cycle == ["a", "b", "c", "a"]
    assert describe(cycle, edges) == (
        "import cycle between apps:\n"
        "  a -> b  (a/x.py:1)\n"
        "  b -> c  (b/y.py:2)\n"
        "  c -> a  (c/z.py:3)"
    )
    assert find_cycle({"a": {"b": []}, "b": {}}) is None


# Every app with pages of business data has the same files (docs/new-module.md): know one, know all.
APP_FILES = ("models.py", "actions.py", "filtersets.py", "tables.py", "views.py", "urls.py")
APP_PACKAGES = ("api", "tests")
PAGE_APPS = (
    "zones",
    "enterprises",
    "mujun",
    "assessment",
    "intake",
    "publications",
    "jobs",
    "units",
    "supervision",
    "notifications",
)
# Apps without an API of their own, and why.
NO_API = {"units": "the registry is kept in the admin; the API serves the items assigned to units"}


@pytest.mark.parametrize("app", PAGE_APPS)
def test_every_app_with_pages_has_the_same_files(app):
    missing = [name for name in APP_FILES if not (PACKAGE / app / name).is_file()]
    packages = [name for name in APP_PACKAGES if not (app in NO_API and name == "api")]
    missing += [name for name in packages if not (PACKAGE / app / name / "__init__.py").is_file()]
    assert missing == []


def test_no_view_reads_a_query_parameter_by_hand():
    """Filters, sorting and paging are read by forms and filter sets, which validate them."""
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.glob("*/views.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "request.GET.get(" in line or "request.GET[" in line
    ]
    assert found == []
