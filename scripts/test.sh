#!/usr/bin/env bash
# Runs the whole suite. Browser tests need Chromium (Debian's package at /usr/bin/chromium, or
# CHROMIUM_PATH); without it they are skipped with the reason printed, except in CI (CI=true),
# where a missing browser is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest "$@"
