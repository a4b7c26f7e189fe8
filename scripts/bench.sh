#!/usr/bin/env bash
# `make bench`: runs every bench/bench_*.py in turn. Each is a standalone script that starts what
# it needs and prints its ratios side by side. Arguments pick benchmarks by name:
#   scripts/bench.sh pagination retries   ->  bench/bench_pagination.py, bench/bench_retries.py
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [ $# -gt 0 ]; then
    benchmarks=()
    for name in "$@"; do
        path=bench/bench_${name#bench_}
        path=${path%.py}.py
        [ -f "$path" ] || { echo "bench: no $path" >&2; exit 1; }
        benchmarks+=("$path")
    done
else
    shopt -s nullglob
    benchmarks=(bench/bench_*.py)
fi
if [ ${#benchmarks[@]} -eq 0 ]; then
    echo "bench: no bench/bench_*.py to run" >&2
    exit 1
fi

# From the project root, so the scripts import the console's packages like the tests do.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
failed=()
for benchmark in "${benchmarks[@]}"; do
    printf '\n== %s\n' "$benchmark"
    SECONDS=0
    if "$PY" "$benchmark"; then
        printf '== %s: done in %ss\n' "$benchmark" "$SECONDS"
    else
        printf '== %s: FAILED (exit %s) after %ss\n' "$benchmark" "$?" "$SECONDS"
        failed+=("$benchmark")
    fi
done

echo
if [ ${#failed[@]} -gt 0 ]; then
    echo "bench: ${#failed[@]} of ${#benchmarks[@]} failed: ${failed[*]}" >&2
    exit 1
fi
echo "bench: all ${#benchmarks[@]} ran"
