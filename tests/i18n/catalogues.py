"""The compiled catalogues, fresh: compiled as `make setup` does (only those older than their
.po), and Django's per-process cache of them dropped, so a test never reads a stale .mo."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fresh_catalogues() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from compile_messages import compile_all
    finally:
        sys.path.pop(0)
    compile_all()
    from django.utils import translation
    from django.utils.translation import trans_real

    trans_real._translations = {}
    translation.deactivate()
