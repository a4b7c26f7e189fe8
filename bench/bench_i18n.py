"""What translation costs the hot path: 100 rows' "3 h ago" and their Jinja2 template, per language.

    .venv/bin/python bench/bench_i18n.py [--rounds 300]

A live table refreshes every few seconds with up to 100 rows (bench_visitors.py). Since issue 19
each row's "3 h ago" goes through `ngettext` and the rows template's words through Jinja2's
`_()`, in the viewer's language. In this process, no sandbox, timed in turns:

1. 100 `ago()` values: English (no catalogue lookup is skipped: `en` is looked up too), Turkish,
   German, and the f-string `ago()` this replaced (the cost of translating at all).
2. The visitors rows template with 100 rows of values, in English and in Turkish.

Prints p50/p95 and the ratio to the untranslated baseline; asserts nothing.
"""

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

import django  # noqa: E402

django.setup()

from django.template import engines  # noqa: E402
from django.utils import translation  # noqa: E402

from bench.common import print_table, ratio, time_interleaved  # noqa: E402
from dashboard.lib.rows import Moment, ago  # noqa: E402
from dashboard.visitors.rows import VisitorRow  # noqa: E402

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
# A page's spread of ages: seconds to days.
WHENS = [NOW - timedelta(seconds=37 * i * i + 5) for i in range(100)]


def old_ago(when: datetime, now: datetime) -> str:
    """`ago()` before issue 19: English only, no catalogue."""
    seconds = max(0, int((now - when).total_seconds()))
    for unit_seconds, unit in ((86_400, "day"), (3_600, "h"), (60, "min")):
        if seconds >= unit_seconds:
            count = seconds // unit_seconds
            plural = "s" if unit == "day" and count != 1 else ""
            return f"{count} {unit}{plural} ago"
    return "just now"


def agos(function, code: str | None):
    def run() -> list[str]:
        if code is None:
            return [function(when, NOW) for when in WHENS]
        with translation.override(code):
            return [function(when, NOW) for when in WHENS]

    return run


def rows_of(code: str) -> list[VisitorRow]:
    with translation.override(code):
        return [
            VisitorRow(
                url=f"/visitors/v{i}/",
                name=f"Visitor {i}",
                email=f"v{i}@example.com",
                phone="+90 212 555 01 23",
                location="Istanbul, Türkiye",
                site="Shop",
                tags=["vip", "returning"][: i % 3],
                online=bool(i % 2),
                returning=bool(i % 3),
                last_seen=Moment(when.isoformat(), when.isoformat()[:19], ago(when, NOW)),
            )
            for i, when in enumerate(WHENS)
        ]


def render_rows(code: str):
    template = engines["jinja2"].get_template("visitors/rows.html")
    rows = rows_of(code)

    def run() -> str:
        with translation.override(code):
            return template.render({"rows": rows})

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    for code in ("tr", "de"):  # warm the catalogues: a process reads each once
        render_rows(code)()

    ago_timings = time_interleaved(
        {
            "f-string ago(), before": agos(old_ago, None),
            "ngettext ago(), en": agos(ago, "en"),
            "ngettext ago(), tr": agos(ago, "tr"),
            "ngettext ago(), de": agos(ago, "de"),
        },
        args.rounds,
    )
    base = ago_timings[0].p50
    print_table(
        "100 rows' ago() (microseconds per 100)",
        ("series", "p50", "p95", "p50 vs before"),
        [(t.label, t.p50 * 1000, t.p95 * 1000, ratio(t.p50, base)) for t in ago_timings],
    )
    render_timings = time_interleaved(
        {"rows template, en": render_rows("en"), "rows template, tr": render_rows("tr")},
        args.rounds,
    )
    base = render_timings[0].p50
    print_table(
        "visitors/rows.html with 100 rows (ms per render)",
        ("series", "p50", "p95", "p50 vs en"),
        [(t.label, t.p50, t.p95, ratio(t.p50, base)) for t in render_timings],
    )


if __name__ == "__main__":
    main()
