"""Imports flow one way: the area apps use the job engine, `accounts` and the list machinery,
which use the audit log and the platform clients, which use none of them. Read from the source
with `ast` (no import runs), every import counted: at the top of a module, inside a function
or under `if TYPE_CHECKING:` alike, since each is a dependency a reader has to follow.

A failure names the importing module, the imported one and the rule it breaks."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dashboard", "accounts")

# The lower layers inside dashboard/; every other app of dashboard/ is an area app.
ENGINE = "dashboard.jobs"
AUDIT = "dashboard.audit"
PLATFORMS = "dashboard.platforms"
LIST_MACHINERY = "dashboard.lib"
NOT_AREAS = {ENGINE, AUDIT, PLATFORMS, LIST_MACHINERY}
# The audit log proper, which every layer above may write to; the rest of the audit app (its
# page, filters and export) is an area app like the others.
AUDIT_LOG = {"dashboard.audit.log", "dashboard.audit.models"}
# Known case, handled by the lead after another merge: accounts writes to the audit log (the
# sign-in throttle reads its client address, re-authentication records its events). Allowed
# for now, and nothing else of dashboard.audit: the log itself, and the package, whose
# __init__ only re-exports the log's record() and Target.
ACCOUNTS_MAY_USE_FOR_NOW = {"dashboard.audit.log", "dashboard.audit"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = project_modules()


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def imported(name: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The project modules an import statement names (`from a import b` names a.b if b is a
    module, else a)."""
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = name if is_package(name) else name.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        candidates = [f"{base}.{alias.name}" for alias in node.names]
        candidates = [c if c in MODULES else base for c in candidates]
    for candidate in candidates:
        while candidate and candidate not in MODULES:  # `import a.b.C`: the module a.b
            candidate = candidate.rpartition(".")[0]
        if candidate and candidate != name:
            yield candidate


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in imported(name, node)
        }
    return graph


GRAPH = import_graph()


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def area_app(name: str) -> str | None:
    """The area app a module belongs to (dashboard.visitors, ...), or None."""
    parts = name.split(".")
    if parts[0] != "dashboard" or len(parts) < 2:
        return None
    app = ".".join(parts[:2])
    if app == AUDIT and name not in {AUDIT, *AUDIT_LOG}:
        return app  # the audit page
    if app in NOT_AREAS or app not in MODULES or not is_package(app):
        return None  # a layer below, or a project module (settings, urls, celery...)
    return app


def broken_rule(source: str, target: str) -> str | None:
    """Which layer rule `source` importing `target` breaks, if any."""
    if within(source, PLATFORMS) and not within(target, PLATFORMS):
        return "the platform clients import nothing of the project outside dashboard.platforms"
    if source in AUDIT_LOG and not (target in AUDIT_LOG or within(target, PLATFORMS)):
        return "the audit log imports nothing of the project but the platform clients"
    if within(source, ENGINE) and area_app(target):
        return "the job engine (dashboard.jobs) imports no area app: kinds register with it"
    if within(source, LIST_MACHINERY) and area_app(target):
        return "the list machinery (dashboard.lib) imports no area app: list pages use it"
    if within(source, "accounts") and within(target, "dashboard"):
        if target in ACCOUNTS_MAY_USE_FOR_NOW or within(target, PLATFORMS):
            return None
        if within(target, LIST_MACHINERY):
            return None
        return (
            "accounts imports no app of dashboard, only the layers below it: the platform "
            "clients (and, for now, the audit log)"
        )
    return None


def test_the_graph_is_read_from_the_source():
    """A guard for the guard: the parser sees an import inside a function, and `from a import
    b` where b is a module."""
    assert "dashboard.jobs.tasks" in GRAPH["dashboard.jobs.engine"]
    assert "dashboard.platforms.errors" in GRAPH["accounts.vault"]
    assert area_app("dashboard.visitors.views") == "dashboard.visitors"
    assert area_app("dashboard.jobs.engine") is None and area_app("dashboard.urls") is None
    assert area_app("dashboard.audit.log") is None
    assert area_app("dashboard.audit.views") == "dashboard.audit"


def test_imports_follow_the_layers():
    broken = [
        f"{source} imports {target}: {rule}"
        for source, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if (rule := broken_rule(source, target))
    ]
    assert not broken, "\n".join(broken)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a cycle
    through it: modules that import each other, directly or around a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(loop_through(sorted(component), graph))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def loop_through(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One import loop inside a component, from its first module back to it (breadth first)."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & members):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return component


def test_no_modules_import_each_other():
    found = cycles(GRAPH)

    assert not found, "modules that import each other (break each loop):\n" + "\n".join(
        " -> ".join(loop) for loop in found
    )


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c", "a"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_cycle_finder_finds_loops(graph, expected):
    assert cycles(graph) == expected
