"""The overview's 7-day trend lines, from the same cache as /reports/: the newest report of the
viewer's zone that ends today and covers at least the last 7 days. None is computed here: a
missing one is started in the background (the overview never waits on the platform's lists)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.access import AuthedRequest
from dashboard.reports.charts import Sparkline, sparkline
from dashboard.reports.models import Report, ReportSection
from dashboard.reports.ranges import preset_range
from dashboard.reports.views import is_computing, needs_computing, report_for, start_computing

DAYS = 7


@dataclass(frozen=True)
class Trends:
    created: Sparkline | None = None
    closed: Sparkline | None = None
    visitors: Sparkline | None = None


def week_trends(request: AuthedRequest) -> Trends:
    """A manager's trend lines for the last 7 days; starts computing them when there are none,
    or when they are older than the reports page's REPORTS_MAX_AGE."""
    today = timezone.localdate()
    zone_name = timezone.get_current_timezone_name()
    tenant_id = request.user.tenant_id
    span = preset_range("7d", today, zone_name)
    week = report_for(tenant_id, span)
    if needs_computing(week, span) and not _covered_by_a_longer_one(tenant_id, zone_name, today):
        start_computing(request, week, span)
    sections = _newest_sections(tenant_id, zone_name, today)
    conversations, visitors = sections.get("conversations"), sections.get("visitors")
    if conversations is None:
        return Trends()
    labels = conversations["labels"][-DAYS:]
    created = [0] * DAYS
    closed = [0] * DAYS
    for tally in conversations["agents"].values():
        created = [a + b for a, b in zip(created, tally["created"][-DAYS:], strict=True)]
        closed = [a + b for a, b in zip(closed, tally["closed"][-DAYS:], strict=True)]
    seen = visitors["seen"][-DAYS:] if visitors else None
    return Trends(
        created=sparkline(labels, created),
        closed=sparkline(labels, closed),
        visitors=sparkline(labels, seen) if seen else None,
    )


def _covered_by_a_longer_one(tenant_id: str, zone_name: str, today) -> bool:  # noqa: ANN001
    fresh_after = timezone.now() - timedelta(hours=1)
    longer = Report.objects.filter(
        tenant_id=tenant_id,
        time_zone=zone_name,
        last_day=today,
        first_day__lt=today - timedelta(days=DAYS - 1),
    ).select_related("job")
    return any(is_computing(r) or (r.as_of and r.as_of > fresh_after) for r in longer)


def _newest_sections(tenant_id: str, zone_name: str, today) -> dict:  # noqa: ANN001
    """The sections of the newest report that ends today and spans 7 days or more."""
    reports = Report.objects.filter(
        tenant_id=tenant_id,
        time_zone=zone_name,
        last_day=today,
        first_day__lte=today - timedelta(days=DAYS - 1),
        as_of__isnull=False,
    ).order_by("-as_of")
    for report in reports[:3]:
        sections = {
            s.name: s.data
            for s in ReportSection.objects.filter(
                report=report, name__in=("conversations", "visitors")
            )
        }
        if "conversations" in sections:
            return sections
    return {}
