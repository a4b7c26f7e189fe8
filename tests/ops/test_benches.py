"""The benchmarks are not run by the suite (speed is measured in bench/, never in timed tests),
but each must at least start: a broken import would otherwise go unnoticed until someone
measures."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted((ROOT / "bench").glob("bench_*.py"))


def test_there_are_benches() -> None:
    assert len(BENCHES) >= 4


@pytest.mark.parametrize("script", BENCHES, ids=lambda path: path.name)
def test_each_bench_starts_and_describes_its_options(script: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
