"""axe-core (vendored in static/vendor/axe-core) run in the page under test:
`assert_accessible(page)` fails on every serious or critical violation, naming the rule and the
elements.

axe is injected through DevTools evaluation, not a <script> tag, so the console's strict CSP stays
on in the tests exactly as in production. Call it again after an htmx swap: it checks the DOM as
it is now."""

from functools import cache
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


@cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {axe_source()}\n }}")
    return page.evaluate(
        """async impacts => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations
                .filter(v => impacts.includes(v.impact))
                .map(v => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    nodes: v.nodes.slice(0, 5)
                        .map(n => n.target.join(" ") + " :: " + n.failureSummary),
                }));
        }""",
        list(FAILING_IMPACTS),
    )


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, f"axe on {page.url}:\n{describe(found)}"
