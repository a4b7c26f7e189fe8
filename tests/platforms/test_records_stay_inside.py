"""Records reach the rest of the console as plain values: no module outside the platform
clients (`dashboard/platforms/`) imports msgspec, the library they are decoded with. What a
caller needs of a record is a method of the record (`AgentRoster.with_invitation`)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "dashboard" / "platforms"
# The console, its benches and tests, and the sandbox: everything of the project's own.
SCANNED = ("dashboard", "accounts", "bench", "scripts", "sandbox", "tests")


def imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            modules.add(node.args[0].value)  # type: ignore[attr-defined]
    return modules


def _is_dynamic_import(call: ast.Call) -> bool:
    name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
    return (
        name in {"import_module", "__import__"}
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def modules_importing_msgspec() -> list[str]:
    found = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.is_relative_to(CLIENTS):
                continue
            modules = imported_modules(path.read_text(encoding="utf-8"))
            if any(module == "msgspec" or module.startswith("msgspec.") for module in modules):
                found.append(str(path.relative_to(ROOT)))
    return found


def test_nothing_outside_the_platform_clients_imports_msgspec():
    assert modules_importing_msgspec() == []


def test_the_check_sees_every_way_of_importing_it():
    for source in (
        "import msgspec",
        "import msgspec.structs as structs",
        "from msgspec import structs",
        "from msgspec.structs import replace",
        "import importlib\nimportlib.import_module('msgspec')",
        "__import__('msgspec.json')",
    ):
        assert any(m.split(".")[0] == "msgspec" for m in imported_modules(source)), source
    assert imported_modules("from . import msgspec_like\nimport json") == {"json"}


def test_the_clients_themselves_are_where_msgspec_is_used():
    # The scan skips this folder on purpose; should the folder move, the test above would pass
    # for the wrong reason.
    assert "msgspec" in imported_modules((CLIENTS / "records.py").read_text(encoding="utf-8"))
