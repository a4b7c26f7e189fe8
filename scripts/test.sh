#!/usr/bin/env bash
# Runs the whole suite: ruff (lint and format; LINT=0 skips it outside CI), then pytest with any
# arguments given (`make test ARGS="-k visitors"`), after a header saying what it runs against.
# Browser tests need Chromium (Debian's package at /usr/bin/chromium, or CHROMIUM_PATH); without
# it they are skipped with the reason printed, except in CI (CI=true), where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
    browser="$chromium ($("$chromium" --version 2>/dev/null | head -n 1 || echo 'version unknown'))"
elif [ "${CI:-}" = true ]; then
    echo "test: no Chromium at $chromium, and CI needs the browser tests (install 'chromium')" >&2
    exit 1
else
    browser="not found at $chromium: browser tests will be skipped"
fi

# What the suite really runs against, read from the settings (credentials left out).
"$PY" - "$browser" <<'EOF'
import os, platform, sys
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
from django.conf import settings

def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()

db = settings.DATABASES["default"]
if db["ENGINE"].endswith("sqlite3"):
    database = f"sqlite3 {db['NAME']}"
else:
    database = f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or 'localhost'}:{db.get('PORT') or '(default port)'}/{db['NAME']}"
broker = without_credentials(settings.CELERY_BROKER_URL)
if broker.startswith("filesystem:"):
    broker += f" ({settings.BROKER_DIR})"
print(f"test: Python {platform.python_version()} ({sys.executable})")
print(f"test: database {database}")
print(f"test: broker   {broker}")
print(f"test: cache    {without_credentials(settings.CACHE_URL) or 'database tables'}")
print(f"test: chromium {sys.argv[1]}")
EOF

# LINT=0 skips ruff for a quick local run; CI always lints.
if [ "${LINT:-1}" != 0 ] || [ "${CI:-}" = true ]; then
    .venv/bin/ruff check --quiet .
    .venv/bin/ruff format --check --quiet .
fi

ci_args=()
[ "${CI:-}" = true ] && ci_args=(--durations=15)
status=0
"$PY" -m pytest "${ci_args[@]}" "$@" || status=$?
if [ "$status" -eq 5 ]; then
    # pytest's "no tests collected": never a pass, whatever ran us.
    echo "test: pytest collected no tests (exit 5): failing" >&2
fi
exit "$status"
