"""Compiles the console's message catalogues (locale/<lang>/LC_MESSAGES/*.po) into the .mo files
Django reads, with polib: pure Python, so a machine without GNU gettext's msgfmt can set up.

Only a catalogue newer than its .mo is compiled (bootstrap runs this on every `make setup`).
The .mo files are build output, never committed (.gitignore). Fuzzy entries are left out, as
msgfmt does. Usage: python scripts/compile_messages.py [--force]
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def compile_all(force: bool = False) -> list[Path]:
    compiled = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.fuzzy_entries():
            catalogue.remove(entry)
        tmp = mo_path.with_suffix(".mo.tmp")
        catalogue.save_as_mofile(str(tmp))
        tmp.replace(mo_path)  # a running server never reads a half-written catalogue
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    for path in compile_all(force="--force" in sys.argv[1:]):
        print(f"compile_messages: {path.relative_to(ROOT)}")
