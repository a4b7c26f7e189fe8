"""Shared steps of the reports tests: the seed's anchor, a computed report, its figures."""

from datetime import date, timedelta
from typing import Any

from django.test import Client

from dashboard.reports.models import Report
from tests.accounts.helpers import platform_as
from tests.fixtures.sandbox import MANAGER_EMAIL
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished


def seed_anchor_day(platform: Any) -> date:
    """The seed's anchor day: its most recent conversation starts 3 hours before the anchor
    (sandbox/connextlive/seed.py, ConversationTimes)."""
    newest = max(
        platform_as(platform, MANAGER_EMAIL).tenant.iter_conversations(status="all"),
        key=lambda conversation: conversation.created_at,
    )
    return (newest.created_at + timedelta(hours=3)).date()


def custom_range(first: date, last: date) -> str:
    return f"?range=custom&start={first.isoformat()}&end={last.isoformat()}"


def computed(client: Client, query: str) -> Any:
    """Open the reports page for `query`, wait for its report to be computed, open it again."""
    response = client.get(f"/reports/{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    report = response.context["report"]
    wait_until(lambda: report_done(report.pk), "the report to be computed")
    response = client.get(f"/reports/{query}")
    assert response.status_code == 200
    return response


def report_done(report_id: int) -> bool:
    report = Report.objects.select_related("job").get(pk=report_id)
    return report.job is not None and finished(report.job.pk) is not None
