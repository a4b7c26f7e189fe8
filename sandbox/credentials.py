"""Every emulated platform's seeded credentials, for `GET /__sandbox__/credentials`.

Each platform keeps its own in `sandbox/<platform>/credentials.py` (pure Python, no Django) with a
`published()` function; add a platform's module here and it is listed under its name.
"""

import importlib

PUBLISHERS = {
    "connextlive": "sandbox.connextlive.credentials",
    "connectiveone": "sandbox.connectiveone.credentials",
    "naxon": "sandbox.naxon.credentials",
    "uchat": "sandbox.uchat.credentials",
    "liveperson": "sandbox.liveperson.credentials",
}


def published() -> dict[str, dict]:
    return {
        name: importlib.import_module(module).published() for name, module in PUBLISHERS.items()
    }
