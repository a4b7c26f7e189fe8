#!/usr/bin/env bash
# Creates .venv from uv.lock with a Python >= 3.12 found on this machine. Idempotent and fast
# when nothing changed. uv is pinned in the lockfile's dev group, so it is installed once into
# .venv with pip and then keeps itself. uv never downloads a Python here (UV_PYTHON_DOWNLOADS).
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

suitable() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.13 python3.12 python3.14 python3)
    local root
    for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions" /usr/local/bin /opt/python; do
        [ -d "$root" ] || continue
        candidates+=($(ls -d "$root"/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV))
    done
    local c path
    for c in "${candidates[@]}"; do
        path=$(command -v "$c" 2>/dev/null) || continue
        if suitable "$path"; then echo "$path"; return 0; fi
    done
    return 1
}

if [ ! -x .venv/bin/python ] || ! suitable .venv/bin/python; then
    py=$(find_python) || {
        echo "Switchboard needs Python 3.12 or newer and found none." >&2
        echo "Install one (for example 'pyenv install 3.13') or set PYTHON=/path/to/python3.12." >&2
        exit 1
    }
    echo "bootstrap: creating .venv with $py ($("$py" -V))"
    rm -rf .venv
    "$py" -m venv .venv
fi

uv_version=$(sed -n 's/^ *"uv==\([0-9.]*\)".*/\1/p' pyproject.toml)
if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$uv_version" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
fi

# Bytecode compiled once at install: otherwise every process start (and every test subprocess)
# recompiles Django and friends whenever PYTHONDONTWRITEBYTECODE is set or site-packages is
# read-only, which costs seconds each time.
sync_args=(--frozen --compile-bytecode --python .venv/bin/python)

# Skip the sync when neither the lockfile nor the way we sync changed since the last one.
stamp=.venv/.synced-lock
wanted="$(cksum <uv.lock) ${sync_args[*]}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "bootstrap: installing the locked dependencies into .venv"
    .venv/bin/uv sync "${sync_args[@]}"
    printf '%s' "$wanted" >"$stamp"
fi

# The translations: each locale/<lang>/LC_MESSAGES/django.po newer than its .mo is compiled
# (pure Python: no GNU gettext needed on a fresh machine).
.venv/bin/python scripts/compile_messages.py
