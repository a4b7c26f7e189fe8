"""Reports in a real browser: open them, watch the report fill in, change the range, see each
chart agree with the table beside it, and download the CSV. Under the strict CSP, without a
console error."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures
from tests.jobs.fixtures import job_settings, worker  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def chart_figures(page, chart_id: str) -> list[str]:
    """What each bar of a chart says it shows ("2026-12-01 · Created: 4")."""
    return page.locator(f"#chart-{chart_id} rect").evaluate_all(
        "bars => bars.map(bar => bar.getAttribute('data-value'))"
    )


def table_figures(page, table_id: str) -> list[str]:
    """The same, from the table beside the chart."""
    rows = page.locator(f"#table-{table_id} tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.children).map(cell => cell.textContent.trim()))"
    )
    return [
        f"{row[0]} · {name}: {value}"
        for row in rows
        for name, value in zip(("Created", "Closed"), row[1:], strict=True)
    ]


@pytest.mark.usefixtures("worker")
def test_open_reports_change_the_range_and_download_the_csv(page, live_console):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    # Computed in the background; the page fills in by itself once it is done.
    expect(page.locator("#report-state")).to_contain_text("As of", timeout=30_000)
    expect(page.locator("#table-volume tbody tr")).to_have_count(7)
    assert chart_figures(page, "volume") == table_figures(page, "volume")

    page.get_by_label("Range", exact=True).select_option("30d")

    expect(page).to_have_url(re.compile(r"/reports/\?range=30d$"))
    expect(page.locator("#report-state")).to_contain_text("As of", timeout=30_000)
    expect(page.locator("#table-volume tbody tr")).to_have_count(30)
    assert chart_figures(page, "volume") == table_figures(page, "volume")
    expect(page.locator("#queue-table tbody tr").first).to_be_visible()

    with page.expect_download() as download_info:
        page.locator("#report-volume").get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(open(download_info.value.path()).read())))
    assert rows[0] == ["day", "created", "closed"] and len(rows) == 31
    shown = [
        f"{day} · {name}: {value}"
        for day, created, closed in rows[1:]
        for name, value in (("Created", created), ("Closed", closed))
    ]
    assert shown == chart_figures(page, "volume")
    assert page.console_problems == []
