"""README.md keeps the product contract: the two commands first, every setting documented."""

import re

from tests.ops.helpers import ROOT

README = (ROOT / "README.md").read_text()
# `env_int("NAME", ...)` in the settings, `_env_int("NAME", ...)` / `os.environ.get("NAME")` in
# gunicorn's config.
READS = re.compile(r"""(?:env_(?:str|bool|int|float|list)|os\.environ\.get)\(\s*["']([A-Z0-9_]+)""")


def documented_variables() -> set[str]:
    """Names in the first column of README's configuration table."""
    rows = (line for line in README.splitlines() if line.startswith("| `"))
    return {name for row in rows for name in re.findall(r"`([A-Z0-9_]+)`", row.split("|")[1])}


def test_make_run_and_make_test_come_first() -> None:
    top = "\n".join(README.splitlines()[:40])

    assert "make run" in top
    assert "make test" in top
    assert "manager@example.com" in top and "switchboard-demo" in top


def test_every_variable_the_console_reads_is_in_the_configuration_table() -> None:
    read = set()
    for path in ("dashboard/settings.py", "dashboard/gunicorn.conf.py"):
        read |= set(READS.findall((ROOT / path).read_text()))

    assert read, "the pattern no longer finds how the settings read the environment"
    assert read - documented_variables() == set()
