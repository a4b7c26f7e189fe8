"""/reports/: the figures a manager reads every morning, for a range of days in their zone.

The page never waits on the platform's lists: it shows the workspace's cached report for the
range ("as of 09:12", with a refresh), and when there is none yet, or it is older than
REPORTS_MAX_AGE and the range includes today, it starts computing one in the background
(computing.py) and fills in section by section as the job writes them. The waiting queue is
live: a bounded read of the waiting conversations, loaded after the page. Agents see their own
numbers, managers everyone's.
"""

import csv
import heapq
import io
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import AuthedRequest, signed_in
from accounts.platform_session import sensitive_action
from accounts.vault import platform_client
from dashboard.jobs.kinds import sealed_sign_in
from dashboard.jobs.models import Job
from dashboard.jobs.templatetags.job_tags import stored
from dashboard.lib.fragments import Fragment, redirect_after_post, render_list
from dashboard.lib.rows import Clock, detail_url
from dashboard.platforms.errors import PlatformCallFailed
from dashboard.reports.computing import compute
from dashboard.reports.figures import Figures, Viewer, figures_for, readable
from dashboard.reports.forms import RangeForm
from dashboard.reports.models import Report
from dashboard.reports.ranges import ReportRange

PAGE = "reports/index.html"
FRAGMENTS = {
    # A new range: its figures, and its "as of" line out of band.
    "report-table": Fragment(oob=("report-progress",)),
    # The poll while a report is computed: the line, and the sections written so far.
    "report-progress": Fragment(oob=("report-table",), push_url=False),
}
POLL_MS = 2000
QUEUE_SHOWN = 20
QUEUE_PAGES = 5  # the waiting queue is read to at most this many pages: a live page stays fast
QUEUE_PAGE_SIZE = 50


def max_age() -> timedelta:
    return timedelta(seconds=getattr(settings, "REPORTS_MAX_AGE", 3600))


def viewer_of(request: AuthedRequest) -> Viewer:
    return Viewer(request.user.platform_user_id if request.user.is_agent else None)


def requested_range(request: AuthedRequest) -> tuple[RangeForm, ReportRange]:
    form = RangeForm(request.GET, list_url=reverse("reports:index"))
    span = form.report_range(timezone.localdate(), timezone.get_current_timezone_name())
    return form, span


def report_for(tenant_id: str, span: ReportRange) -> Report:
    try:
        with transaction.atomic():
            report, _created = Report.objects.get_or_create(
                tenant_id=tenant_id,
                time_zone=span.zone_name,
                first_day=span.first_day,
                last_day=span.last_day,
            )
    except IntegrityError:  # a second tab created it at the same moment
        report = Report.objects.get(
            tenant_id=tenant_id,
            time_zone=span.zone_name,
            first_day=span.first_day,
            last_day=span.last_day,
        )
    return report


def is_computing(report: Report) -> bool:
    return report.job is not None and report.job.state in (
        Job.State.DRAFT,
        Job.State.SCHEDULED,
        Job.State.RUNNING,
    )


def needs_computing(report: Report, span: ReportRange) -> bool:
    if is_computing(report):
        return False
    if report.as_of is None:
        return True
    today = timezone.localdate()
    return span.includes(today) and timezone.now() - report.as_of > max_age()


def start_computing(request: AuthedRequest, report: Report, span: ReportRange) -> None:
    compute(
        report,
        user=request.user,
        sealed_token=sealed_sign_in(request.session),
        title=f"Report {span.first_day:%Y-%m-%d} to {span.last_day:%Y-%m-%d} ({span.zone_name})",
    )


@signed_in
@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    form, span = requested_range(request)
    report = report_for(request.user.tenant_id, span)
    if needs_computing(report, span):
        start_computing(request, report, span)
    figures = figures_for(report, span, viewer_of(request))
    return render_list(
        request,
        PAGE,
        page_context(request, form, span, report, figures),
        fragments=FRAGMENTS,
        canonical_url=form.canonical_url(reverse("reports:index")),
    )


def page_context(
    request: AuthedRequest, form: RangeForm, span: ReportRange, report: Report, figures: Figures
) -> dict[str, Any]:
    query = form.canonical_query().urlencode()
    computing = is_computing(report)
    failed = report.job is not None and report.job.state == Job.State.PAUSED
    return {
        "form": form,
        "span": span,
        "report": report,
        "figures": figures,
        "computing": computing,
        "failed": failed,
        "words": _words(span, report, figures, computing, failed),
        "as_of": _as_of(report, span) if report.as_of else None,
        "durations": {
            "close_median": _duration_text(figures.close_time, "median"),
            "close_p90": _duration_text(figures.close_time, "p90"),
            "reply_median": _duration_text(figures.first_reply, "median"),
            "reply_p90": _duration_text(figures.first_reply, "p90"),
        },
        "agent_rows": [(row, _score(row.csat)) for row in figures.agents],
        "csat_rows": [
            (day, [_score(score) for score in scores]) for day, scores in figures.csat_rows
        ],
        "is_agent": request.user.is_agent,
        "list_url": reverse("reports:index"),
        "poll_url": form.canonical_url(reverse("reports:index")),
        "poll_ms": POLL_MS,
        "query": f"?{query}" if query else "",
        "volume_chart": figures.volume_chart(span.hourly) if figures.labels else None,
        "csat_chart": figures.csat_chart() if figures.csat else None,
        "sites_chart": figures.sites_chart() if figures.sites else None,
    }


def _words(
    span: ReportRange, report: Report, figures: Figures, computing: bool, failed: bool
) -> dict[str, str]:
    """The page's sentences that hold dates or counts, and its words with a context."""
    zone = timezone.get_current_timezone_name()
    first = date_format(span.first_day, "D j M Y")
    if span.days > 1:
        last = date_format(span.last_day, "D j M Y")
        days = gettext("Days of %(zone)s: %(first)s to %(last)s.") % {
            "zone": zone,
            "first": first,
            "last": last,
        }
    else:
        days = gettext("Days of %(zone)s: %(first)s.") % {"zone": zone, "first": first}
    if computing:
        state = gettext(
            "Reading Connextlive’s lists for this range (%(done)s of 3 parts done)…"
        ) % {"done": len(figures.sections)}
    elif failed:
        reason = stored(report.job.pause_reason or report.job.last_error)
        state = gettext("The last computation stopped: %(reason)s") % {"reason": reason}
    else:
        state = ""
    return {
        "days": days,
        "state": state,
        "closed": pgettext("conversations closed, a count", "Closed"),
    }


def _as_of(report: Report, span: ReportRange) -> dict[str, str]:
    """When the report was computed, in the active zone: the time, and the day if it is not
    the range's last."""
    local = timezone.localtime(report.as_of)
    return {
        "label": pgettext("a report computed at a time", "As of"),
        "iso": local.isoformat(),
        "exact": date_format(local, "Y-m-d H:i:s e"),
        "time": date_format(local, "H:i"),
        "day": ""
        if local.date() == span.last_day
        else gettext("on %(day)s") % {"day": date_format(local, "j M")},
    }


def _duration_text(duration: Any, which: str) -> str:
    return (getattr(duration, f"{which}_text") if duration else "") or "—"


def _score(score: float | None) -> str:
    """A CSAT score to one decimal, in the active language's way ("4.5", "4,5"); "—" for none."""
    return "—" if score is None else floatformat(score, 1)


@signed_in
@require_POST
def refresh(request: AuthedRequest) -> HttpResponse:
    """Compute the range's report again now (unless it is being computed already)."""
    form, span = requested_range(request)
    report = report_for(request.user.tenant_id, span)
    if not is_computing(report):
        start_computing(request, report, span)
    return redirect_after_post(request, form.canonical_url(reverse("reports:index")))


# --- the waiting queue, live ---------------------------------------------------------------------


@signed_in
@require_safe
def waiting_queue(request: AuthedRequest) -> HttpResponse:
    """The conversations waiting now, the longest-waiting first, each with its wait: a bounded
    read (QUEUE_PAGES), so this fragment costs a few calls however long the queue is."""
    client = platform_client(request)
    clock = Clock()
    oldest: list[tuple[float, Any]] = []  # a heap of the QUEUE_SHOWN oldest, newest on top
    total, error, read_all = 0, "", True
    try:
        if request.user.is_agent:
            pages = client.agent.iter_conversations(("waiting",), page_size=QUEUE_PAGE_SIZE)
        else:
            pages = client.tenant.iter_conversations("WAITING", page_size=QUEUE_PAGE_SIZE)
        for count, conversation in enumerate(pages, start=1):
            if count > QUEUE_PAGES * QUEUE_PAGE_SIZE:
                read_all = False
                break
            total = count
            entry = (-conversation.created_at.timestamp(), conversation.id, conversation)
            if len(oldest) < QUEUE_SHOWN:
                heapq.heappush(oldest, entry)
            else:
                heapq.heappushpop(oldest, entry)
    except PlatformCallFailed as error_:
        error = str(error_)
    list_url = reverse("conversations:list")
    rows = [
        {
            "url": detail_url(list_url, conversation.id),
            "id": conversation.id,
            "visitor": conversation.visitor.user_name
            or conversation.visitor.user_email
            or conversation.visitor_id,
            "since": clock.moment(conversation.created_at),
            "wait": readable(int((clock.now - conversation.created_at).total_seconds())),
        }
        for _key, _id, conversation in sorted(oldest, reverse=True)
    ]
    context = {"rows": rows, "total": total, "read_all": read_all, "error": error}
    return render(request, "reports/queue.html", context)


# --- CSV, the same figures as the tables ----------------------------------------------------------


def csv_rows(table: str, figures: Figures, span: ReportRange) -> list[list[Any]]:
    match table:
        case "volume":
            unit = "hour" if span.hourly else "day"
            return [[unit, "created", "closed"], *map(list, figures.volume_rows)]
        case "agents":
            header = ["agent", "closed", "active now", "waiting now", "csat now"]
            return [header] + [
                [row.name, row.closed, row.active, row.waiting, row.csat] for row in figures.agents
            ]
        case "csat":
            header = ["day", *(name for name, _values in figures.csat)]
            return [header] + [
                [day, *(values[i] for _name, values in figures.csat)]
                for i, day in enumerate(figures.csat_days)
            ]
        case "sites":
            return [["site", "new", "returning"]] + [
                [site["name"], site["new"], site["returning"]] for site in figures.sites
            ]
    raise Http404("No such table")


@signed_in
@sensitive_action
@require_safe
def download(request: AuthedRequest, table: str) -> HttpResponse:
    _form, span = requested_range(request)
    report = Report.objects.filter(
        tenant_id=request.user.tenant_id,
        time_zone=span.zone_name,
        first_day=span.first_day,
        last_day=span.last_day,
    ).first()
    if report is None:
        raise Http404("No report for this range yet")
    rows = csv_rows(table, figures_for(report, span, viewer_of(request)), span)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["" if value is None else value for value in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{table}-{span.first_day:%Y%m%d}-{span.last_day:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
