"""Starting bulk operations: /jobs/new/<operation>/?<the list page's filters>.

Each page says what will happen to how many records ("everyone matching", not the page shown),
takes what the operation needs, and on POST creates the job -- which collects the audience page
by page and acts on each record -- and opens its page. Links from the list pages carry their
query string, so the audience is exactly what the manager was looking at.
"""

from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts import reauth
from accounts.access import AuthedRequest, manager_required
from accounts.platform_session import sensitive_action
from accounts.vault import platform_client
from dashboard.agents.forms import InviteForm, duplicate_reason
from dashboard.agents.quota import hourly_limit, recent_invitations
from dashboard.audit import Target, record
from dashboard.conversations.forms import ConversationFilterForm
from dashboard.jobs import engine
from dashboard.jobs.forms import AssignForm, ConfirmCountForm, InviteUploadForm, TagsForm
from dashboard.jobs.kinds import ItemSpec, sealed_sign_in
from dashboard.jobs.models import Job
from dashboard.jobs.operations import conversation_filters, visitor_filters
from dashboard.jobs.uploads import UnreadableUpload, parse_upload
from dashboard.platforms.errors import PlatformError, PlatformUnauthorized
from dashboard.visitors.forms import VisitorFilterForm

PAGE = "jobs/new.html"
INVITE_PAGE = "jobs/invite.html"
MAX_INVITES = 1_000
Kind = Job.Kind


# --- what the filter says, and how many it matches ---------------------------------------------


def visitor_query(request: AuthedRequest) -> str:
    return VisitorFilterForm(request.GET).canonical_query(page=1).urlencode()


def conversation_query(request: AuthedRequest) -> str:
    return ConversationFilterForm(request.GET).canonical_query(page=1).urlencode()


def describe(query: str, labels: dict[str, str]) -> list[tuple[str, str]]:
    params = QueryDict(query)
    return [
        (labels.get(name, name), ", ".join(params.getlist(name)))
        for name in params
        if name not in ("page", "limit")
    ]


VISITOR_LABELS = {"search": "Search", "isOnline": "Online", "siteId": "Site", "tags": "Tags"}
CONVERSATION_LABELS = {"status": "Status", "agentId": "Agent", "search": "Search"}


def count_visitors(request: AuthedRequest, query: str) -> int:
    return platform_client(request).tenant.list_visitors(**visitor_filters(query), limit=1).total


def count_conversations(request: AuthedRequest, query: str) -> int:
    client = platform_client(request)
    return client.tenant.list_conversations(**conversation_filters(query), limit=1).total


# --- creating the job --------------------------------------------------------------------------


def create_job(
    request: AuthedRequest,
    kind: str,
    title: str,
    params: dict[str, Any],
    *,
    items: list[ItemSpec] | None = None,
    start: bool = True,
) -> Job:
    """The job of a bulk operation, audited as `bulk.<kind>` (what, on which filter or rows);
    its outcome is audited when it ends (`job.finish`)."""
    with transaction.atomic():  # the job, all its items and its event, or nothing
        job = engine.create_job(
            kind=kind,
            title=title,
            tenant_id=request.user.tenant_id,
            created_by=request.user,
            params=params,
            sealed_token=sealed_sign_in(request.session),
            collected=items is not None,
        )
        if items:
            engine.add_items(job, items)
        record(
            request,
            f"bulk.{kind}",
            target=Target("job", str(job.pk), title),
            changes={name: [None, value] for name, value in params.items()},
        )
        if start:
            engine.start(job)  # its tasks are sent once this commits
    return job


def posted(request: AuthedRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (a confirmation has no fields: with
    `request.POST or None` it would never be bound), None on a GET."""
    return request.POST if request.method == "POST" else None


def to_job_page(request: AuthedRequest, job: Job) -> HttpResponse:
    url = reverse("jobs:detail", args=[job.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def confirm_page(request: AuthedRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, PAGE, context, status=status)


def _counted(request: AuthedRequest, counter: Any, query: str) -> tuple[int | None, str]:
    try:
        return counter(request, query), ""
    except PlatformUnauthorized:
        raise
    except PlatformError as error:
        return None, str(error)


# --- visitors ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manager_required
def visitors_tags(request: AuthedRequest) -> HttpResponse:
    query = visitor_query(request)
    form = TagsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        tags = form.cleaned_data["tags"]
        add = form.cleaned_data["operation"] == "add"
        kind = Kind.VISITORS_ADD_TAGS if add else Kind.VISITORS_REMOVE_TAGS
        verb = "Add" if add else "Remove"
        title = f"{verb} tags {', '.join(tags)}"
        job = create_job(request, kind, title, {"query": query, "tags": tags})
        return to_job_page(request, job)
    count, error = _counted(request, count_visitors, query)
    return confirm_page(
        request,
        status=422 if form.is_bound else 200,
        heading="Tag visitors",
        intro="Add or remove tags on every visitor matching the filter, on every page.",
        filters=describe(query, VISITOR_LABELS),
        count=count,
        noun="visitor",
        count_error=error,
        form=form,
        submit="Start",
        back=f"{reverse('visitors:list')}?{query}",
    )


@require_http_methods(["GET", "POST"])
@manager_required
def visitors_delete(request: AuthedRequest) -> HttpResponse:
    """Irreversible: the password again (re-authentication), then the number of visitors
    matching typed out -- counted again on the platform when the form is sent, so what is
    confirmed is what matches now, not what the page showed a while ago."""
    query = visitor_query(request)
    if request.method == "POST" and not reauth.recently_authenticated(request):
        # Back to this very page after the password, filter included, with what was typed.
        return reauth.confirmation_required_response(request)
    count, error = _counted(request, count_visitors, query)
    data = request.POST if request.method == "POST" else reauth.take_pending_form(request)
    form = ConfirmCountForm(data, expected=count)
    if request.method == "POST" and form.is_valid():
        params = {"query": query, "count": count}
        job = create_job(request, Kind.VISITORS_DELETE, f"Delete {count} visitors", params)
        return to_job_page(request, job)
    return confirm_page(
        request,
        status=422 if request.method == "POST" else 200,
        heading="Delete visitors",
        intro="Permanently deletes every visitor matching the filter, with all their data. "
        "This cannot be undone.",
        filters=describe(query, VISITOR_LABELS),
        count=count,
        noun="visitor",
        count_error=error,
        form=form,
        submit="Delete them all",
        danger=True,
        reauth_needed=not reauth.recently_authenticated(request),
        back=f"{reverse('visitors:list')}?{query}",
    )


@require_http_methods(["GET", "POST"])
@manager_required
@sensitive_action
def visitors_export(request: AuthedRequest) -> HttpResponse:
    return _export(request, Kind.VISITORS_EXPORT, visitor_query(request), "visitor")


# --- conversations -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manager_required
def conversations_resolve(request: AuthedRequest) -> HttpResponse:
    query = conversation_query(request)
    form = forms.Form(posted(request))
    if request.method == "POST" and form.is_valid():
        job = create_job(
            request, Kind.CONVERSATIONS_RESOLVE, "Resolve conversations", {"query": query}
        )
        return to_job_page(request, job)
    count, error = _counted(request, count_conversations, query)
    return confirm_page(
        request,
        heading="Resolve conversations",
        intro="Closes every conversation matching the filter (each gets the platform's "
        "resolution message).",
        filters=describe(query, CONVERSATION_LABELS),
        count=count,
        noun="conversation",
        count_error=error,
        form=form,
        submit="Resolve them all",
        back=f"{reverse('conversations:list')}?{query}",
    )


@require_http_methods(["GET", "POST"])
@manager_required
def conversations_assign(request: AuthedRequest) -> HttpResponse:
    query = conversation_query(request)
    agents = [
        (a.id, a.name or a.email) for a in platform_client(request).tenant.list_agents().agents
    ]
    form = AssignForm(posted(request), agents=agents)
    if request.method == "POST" and form.is_valid():
        agent_id = form.cleaned_data["agent_id"]
        name = dict(agents)[agent_id]
        params = {"query": query, "agentId": agent_id, "agentName": name}
        job = create_job(
            request, Kind.CONVERSATIONS_ASSIGN, f"Assign conversations to {name}", params
        )
        return to_job_page(request, job)
    count, error = _counted(request, count_conversations, query)
    return confirm_page(
        request,
        status=422 if form.is_bound else 200,
        heading="Assign conversations",
        intro="Assigns every conversation matching the filter to one agent.",
        filters=describe(query, CONVERSATION_LABELS),
        count=count,
        noun="conversation",
        count_error=error,
        form=form,
        submit="Assign them all",
        back=f"{reverse('conversations:list')}?{query}",
    )


@require_http_methods(["GET", "POST"])
@manager_required
@sensitive_action
def conversations_export(request: AuthedRequest) -> HttpResponse:
    return _export(request, Kind.CONVERSATIONS_EXPORT, conversation_query(request), "conversation")


def _export(request: AuthedRequest, kind: str, query: str, noun: str) -> HttpResponse:
    form = forms.Form(posted(request))
    if request.method == "POST" and form.is_valid():
        job = create_job(request, kind, f"Export {noun}s", {"query": query})
        return to_job_page(request, job)
    visitors = noun == "visitor"
    count, error = _counted(request, count_visitors if visitors else count_conversations, query)
    list_name = "visitors:list" if visitors else "conversations:list"
    return confirm_page(
        request,
        heading=f"Export {noun}s",
        intro=f"Every {noun} matching the filter as a CSV file, fetched page by page; "
        "download it from the job page when it is ready.",
        filters=describe(query, VISITOR_LABELS if visitors else CONVERSATION_LABELS),
        count=count,
        noun=noun,
        count_error=error,
        form=form,
        submit="Export",
        back=f"{reverse(list_name)}?{query}",
    )


# --- agents ------------------------------------------------------------------------------------


def parse_invitee(row: dict[str, str]) -> tuple[str, str]:
    form = InviteForm({"name": row.get("name", ""), "email": row.get("email", "")})
    if not form.is_valid():
        problems = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
        raise ValueError("; ".join(problems))
    return form.cleaned_data["name"], form.cleaned_data["email"]


@require_http_methods(["GET", "POST"])
@manager_required
def agents_invite(request: AuthedRequest) -> HttpResponse:
    """Upload -> a preview that checks every row (format, repeats, people already in the
    workspace or invited) -> a draft job of the good rows, started from the preview."""
    form = InviteUploadForm(posted(request), request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        context = {"form": form, **invite_allowance(request)}
        return render(request, INVITE_PAGE, context, status=422 if form.is_bound else 200)
    try:
        parsed = parse_upload(
            form.cleaned_data["file"],
            required=("name", "email"),
            max_rows=MAX_INVITES,
            parse_row=parse_invitee,
            key_of=lambda row: row[1],
        )
    except UnreadableUpload as problem:
        form.add_error("file", str(problem))
        context = {"form": form, **invite_allowance(request)}
        return render(request, INVITE_PAGE, context, status=422)
    roster = platform_client(request).tenant.list_agents()
    parsed.recheck(lambda row: duplicate_reason(row[1], roster, request.user.email))
    job = None
    if parsed.rows:
        items = [ItemSpec(email, name, {"name": name}) for name, email in parsed.rows]
        job = create_job(
            request,
            Kind.AGENTS_INVITE,
            f"Invite {len(items)} agents",
            {"rows": len(items), "refused": parsed.error_count},
            items=items,
            start=False,
        )
    context = {
        "form": InviteUploadForm(),
        "parsed": parsed,
        "rows": parsed.rows,
        "job": job,
        **invite_allowance(request),
    }
    return render(request, INVITE_PAGE, context)


def invite_allowance(request: AuthedRequest) -> dict[str, int]:
    """The hourly invitation limit, and how many more fit in this hour (the rest wait)."""
    limit = hourly_limit()
    return {
        "hourly_limit": limit,
        "invites_left": max(0, limit - len(recent_invitations(request.user))),
    }
