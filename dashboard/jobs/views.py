"""/jobs/: the list, and the job page -- progress, counts per state, rate, ETA, recent errors,
the controls, the per-item report (CSV) and, for exports, the download.

The progress fragment polls (static/js/livetable.js, only while the tab is visible) while the
job is scheduled or running; once it ends, the answer is 286, which stops the polling.
"""

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HTMX_STOP_POLLING

from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from dashboard.audit import Target, record
from dashboard.jobs import engine
from dashboard.jobs.csvfiles import csv_line, csv_lines
from dashboard.jobs.forms import JobFilterForm, StartForm
from dashboard.jobs.kinds import KINDS, is_export, label_of, sealed_sign_in
from dashboard.jobs.models import ExportChunk, Job, JobItem
from dashboard.jobs.stalls import Stall, stall_of, stalls_among
from dashboard.jobs.templatetags.job_tags import state_badge, thousands
from dashboard.lib.fragments import Fragment, redirect_after_post, render_list, wants_fragment
from dashboard.lib.rows import Stamp, stamp

PAGE = "jobs/detail.html"
LIST_PAGE = "jobs/list.html"
LIST_PAGE_SIZE = 50
POLL_MS = 1000
ItemState = JobItem.State


def _get_job_for_user(request: AuthedRequest, job_id: int) -> Job:
    """The job, if it belongs to the manager's workspace; 404 otherwise (never a hint that
    another workspace has a job with that number)."""
    job = Job.objects.filter(pk=job_id, tenant_id=request.user.tenant_id).first()
    if job is None:
        raise Http404("No such job")
    return job


def job_context(job: Job, request: AuthedRequest | None = None) -> dict[str, Any]:
    """What the job page, its fragments and the broadcast page show about a job."""
    exporting = is_export(job)
    progress = None if exporting else engine.progress(job)
    rows_written = int(job.cursor.get("rows", 0)) if exporting else 0
    export_percent = (
        100
        if job.state == Job.State.DONE
        else (min(99, rows_written * 100 // job.expected_total) if job.expected_total else 0)
    )
    collecting = not exporting and not job.collected and not job.is_final
    failed = progress.count(ItemState.FAILED) if progress else 0
    final_failures = (
        job.items.filter(state=ItemState.FAILED, final=True)
        .values("error")
        .annotate(n=Count("id"))
        .order_by("-n")
        if failed
        else []
    )
    final_failed = sum(row["n"] for row in final_failures)
    return {
        "job": job,
        "kind_label": label_of(job.kind),
        "is_export": exporting,
        "progress": progress,
        # No "100 % done" before any item exists: collecting has a progress of its own.
        "collecting": collecting,
        "percent": export_percent if exporting else (0 if collecting else progress.percent),
        "summary": summary(job, progress),
        "troubled": bool(
            progress and job.state == Job.State.DONE and (failed or progress.count("unknown"))
        ),
        "retryable_failed": failed - final_failed,
        "final_failed": final_failed,
        "final_reasons": [row["error"] for row in final_failures][:3],
        "rows_written": rows_written,
        "states": [(state, label, progress.count(state)) for state, label in ItemState.choices]
        if progress
        else [],
        "errors": [] if exporting else engine.recent_errors(job),
        "poll_ms": POLL_MS,
        "has_failed": failed > final_failed,
        "has_unknown": bool(progress and progress.count(ItemState.UNKNOWN)),
        "waiting_until": job.not_before
        if job.not_before and job.not_before > timezone.now()
        else None,
        "start_form": StartForm(),
        "stall": stall_of(job),
        "read_back": None if exporting else read_back_counts(job),
    }


# The kinds' done words, for the catalogue (a kind names its own: "4 sent").
DONE_WORDS = (gettext_noop("sent"),)


def summary(job: Job, progress: engine.Progress | None) -> str:
    """How a finished job ended, in words: "Finished: 2 sent, 4 failed"."""
    if progress is None or job.state != Job.State.DONE:
        return ""
    kind = KINDS.get(job.kind)
    done = f"{progress.count(ItemState.DONE):,}"
    if kind and kind.done_word != "done":
        parts = [f"{done} {_(kind.done_word)}"]
    else:
        parts = [_("%(count)s done") % {"count": done}]
    for state, word in (
        (ItemState.FAILED, gettext_noop("%(count)s failed")),
        (ItemState.UNKNOWN, gettext_noop("%(count)s unknown")),
        (ItemState.SKIPPED, gettext_noop("%(count)s skipped")),
    ):
        if count := progress.count(state):
            parts.append(_(word) % {"count": f"{count:,}"})
    return _("Finished: %(parts)s") % {"parts": ", ".join(parts)}


def read_back_counts(job: Job) -> dict[str, int] | None:
    """How many unknown items reading back settled, and how; None if it settled none."""
    rows = job.items.exclude(read_back="").values("read_back").annotate(n=Count("id"))
    counts = {row["read_back"]: row["n"] for row in rows}
    return counts or None


@require_safe
@manager_required
def job_list(request: AuthedRequest) -> HttpResponse:
    """The workspace's jobs, newest first, filtered by kind and state; each row says when, by
    whom and for how many, so jobs with the same title are told apart."""
    list_url = reverse("jobs:list")
    form = JobFilterForm(request.GET, list_url=list_url)
    jobs = form.filter(
        Job.objects.filter(tenant_id=request.user.tenant_id)
        .select_related("created_by")
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-id")
    )
    page = Paginator(jobs, LIST_PAGE_SIZE).get_page(form.filters["page"])
    stalls = stalls_among(list(page))
    zone = timezone.get_current_timezone()
    rows = [_job_row(job, stalls.get(job.pk), zone) for job in page]
    total = page.paginator.count
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "list_url": list_url,
        "counted_jobs": ngettext("%(total)s job", "%(total)s jobs", total) % {"total": total},
    }
    return render_list(
        request,
        LIST_PAGE,
        context,
        fragments={"job-table": Fragment()},
        canonical_url=form.canonical_url(list_url, page=page.number),
    )


class JobRow(NamedTuple):
    """A row of the jobs list, its cells worked out here (templates/jinja2/jobs/list.html)."""

    job: Job
    url: str
    kind: str  # the kind's label
    badge: str  # the state's badge colour
    state: str  # the state's label
    stall: str  # why no worker has it, if none has
    size: str  # "1,200"; "about 1,200" while it collects; "—" if unknown
    by: str
    created: Stamp


def _job_row(job: Job, stall: Stall | None, zone: tzinfo) -> JobRow:
    size = audience_size(job)
    if size is None:
        size_text = "—"
    elif not job.collected:
        size_text = _("about %(size)s") % {"size": thousands(size)}
    else:
        size_text = thousands(size)
    return JobRow(
        job=job,
        url=reverse("jobs:detail", args=[job.pk]),
        kind=label_of(job.kind),
        badge=state_badge(job.state),
        state=job.get_state_display(),
        stall=stall.message if stall else "",
        size=size_text,
        by=job.created_by.display_name if job.created_by else "",
        created=stamp(job.created_at, zone),
    )


def audience_size(job: Job) -> int | None:
    """How many it acts on: its items, or while it collects them the total it expects."""
    count = getattr(job, "item_count", None)
    if not job.collected and job.expected_total:
        return job.expected_total
    return count


@require_safe
@manager_required
def job_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    if job.state == Job.State.DRAFT and not wants_fragment(request):
        # A draft with a page of its own is checked and started there (a broadcast's says what
        # sending will do, at its start button): not from here, without that.
        if page := kind_page(job)["kind_page"]:
            return redirect(page)
    context = job_context(job, request)
    if wants_fragment(request):
        response = progress_response(request, context)
    else:
        response = render(request, PAGE, context | kind_page(job))
    patch_vary_headers(response, ("HX-Request",))
    return response


def kind_page(job: Job) -> dict[str, Any]:
    """The page of what the job serves, if its kind has one (a broadcast's), for a link."""
    kind = KINDS.get(job.kind)
    url = kind.page_url(job) if kind else None
    return {"kind_page": url, "kind_page_name": kind.page_name if kind and url else ""}


def progress_response(request: AuthedRequest, context: dict[str, Any]) -> HttpResponse:
    """The progress fragment and, out of band, the controls; 286 once the job has ended, which
    tells htmx to stop polling."""
    html = render_to_string(f"{PAGE}#job-progress", context, request)
    html += render_to_string(f"{PAGE}#job-controls", {**context, "oob": True}, request)
    status = HTMX_STOP_POLLING if not context["job"].is_live else 200
    return HttpResponse(html, status=status)


# --- controls ----------------------------------------------------------------------------------


def _control(request: AuthedRequest, job: Job, action: str, **changes: Any) -> HttpResponse:
    record(request, action, target=Target("job", str(job.pk), job.title), changes=changes)
    if wants_fragment(request):
        job.refresh_from_db()
        return progress_response(request, job_context(job, request))
    return redirect_after_post(request, page_of(job))


def page_of(job: Job) -> str:
    """Where a job is watched: its kind's own page (a broadcast's), or the job page."""
    return kind_page(job)["kind_page"] or reverse("jobs:detail", args=[job.pk])


def _refused(request: AuthedRequest, job: Job, action: str, error: str) -> HttpResponse:
    record(
        request,
        action,
        target=Target("job", str(job.pk), job.title),
        outcome="failure",
        error=error,
    )
    context = job_context(job, request) | {
        "control_error": _("Not possible: %(error)s.") % {"error": error}
    }
    if wants_fragment(request):
        return progress_response(request, context)
    return render(request, PAGE, context | kind_page(job), status=409)


def _sealed_token(request: AuthedRequest) -> str:
    return sealed_sign_in(request.session)


@require_POST
@manager_required
def start_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    """A draft starts now, or at the time given (a schedule)."""
    job = _get_job_for_user(request, job_id)
    form = StartForm(request.POST)
    if not form.is_valid():
        return _refused(request, job, "job.start", "; ".join(form.errors.get("start_at", [])))
    at: datetime | None = form.cleaned_data.get("start_at")
    try:
        engine.start(job, at=at, sealed_token=_sealed_token(request))
    except engine.TransitionRefused as refused:
        return _refused(request, job, "job.start", str(refused))
    action = "job.schedule" if job.state == Job.State.SCHEDULED else "job.start"
    return _control(
        request, job, action, state=["draft", job.state], start_at=[None, str(at or "")]
    )


@require_POST
@manager_required
def pause_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    try:
        engine.pause(job, f"Paused by {request.user.display_name}.")
    except engine.TransitionRefused as refused:
        return _refused(request, job, "job.pause", str(refused))
    return _control(request, job, "job.pause", state=["running", "paused"])


@require_POST
@manager_required
def resume_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    try:
        engine.resume(job, sealed_token=_sealed_token(request))
    except engine.TransitionRefused as refused:
        return _refused(request, job, "job.resume", str(refused))
    return _control(request, job, "job.resume", state=["paused", "running"])


@require_POST
@manager_required
def cancel_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    before = job.state
    try:
        skipped = engine.cancel(job)
    except engine.TransitionRefused as refused:
        return _refused(request, job, "job.cancel", str(refused))
    return _control(
        request, job, "job.cancel", state=[before, "cancelled"], skipped=[None, skipped]
    )


@require_POST
@manager_required
def retry_failed(request: AuthedRequest, job_id: int) -> HttpResponse:
    return _retry(request, job_id, ItemState.FAILED, "job.retry_failed")


@require_POST
@manager_required
def retry_unknown(request: AuthedRequest, job_id: int) -> HttpResponse:
    """A person's decision: these may have arrived already; send them again anyway."""
    return _retry(request, job_id, ItemState.UNKNOWN, "job.retry_unknown")


def _retry(request: AuthedRequest, job_id: int, state: str, action: str) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    try:
        count = engine.retry_items(job, state, sealed_token=_sealed_token(request))
    except engine.TransitionRefused as refused:
        return _refused(request, job, action, str(refused))
    return _control(request, job, action, items=[None, count])


# --- downloads ---------------------------------------------------------------------------------

REPORT_COLUMNS = [
    "key", "label", "state", "attempts", "result", "error", "read back", "updated at"
]  # fmt: skip
READ_BACK_LABELS = dict(JobItem.ReadBack.choices) | {"": ""}


@require_safe
@manager_required
@sensitive_action
def report(request: AuthedRequest, job_id: int) -> StreamingHttpResponse:
    """Every item once, with its state and result: streamed, whatever the size."""
    job = _get_job_for_user(request, job_id)

    def lines() -> Iterator[str]:
        yield csv_line(REPORT_COLUMNS)
        items = job.items.order_by("id").values_list(
            "key", "label", "state", "attempts", "result", "error", "read_back", "updated_at"
        )
        rows = (
            (*fields, READ_BACK_LABELS[read_back], updated.isoformat())
            for *fields, read_back, updated in items.iterator(2_000)
        )
        yield from csv_lines(rows)

    return _csv_download(lines(), f"job-{job.pk}-report.csv")


@require_safe
@manager_required
@sensitive_action
def download(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _get_job_for_user(request, job_id)
    if not is_export(job) or job.state != Job.State.DONE:
        raise Http404("This export is not ready")
    chunks = ExportChunk.objects.filter(job=job).order_by("seq").values_list("data", flat=True)
    name = job.kind.split(".")[0]
    return _csv_download((bytes(data) for data in chunks.iterator(1)), f"{name}-{job.pk}.csv")


def _csv_download(content: Iterator[Any], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
