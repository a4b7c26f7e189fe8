"""Agents and invitations: the roster with CSAT scores, and inviting a new agent without leaving
the page (the new invitation and the counts arrive as out-of-band swaps)."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.access import AuthedRequest, manager_required
from accounts.directory import remember_agents
from accounts.responses import status_for_platform_error
from accounts.vault import platform_client
from dashboard.agents import roster as roster_view
from dashboard.agents.forms import InviteForm, duplicate_reason
from dashboard.agents.quota import (
    INVITE_ACTION,
    InviteInProgress,
    hourly_limit,
    next_invite_allowed_at,
    recent_invitations,
    sending_slot,
)
from dashboard.audit import Target, recording
from dashboard.lib.fragments import redirect_after_post, wants_fragment
from dashboard.platforms.connextlive_records import AgentRoster
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformValidationError,
)

PAGE = "agents/list.html"
LIMIT_ERROR = "Invitation limit reached ({limit} an hour)"
IN_PROGRESS = gettext_noop(
    "Another invitation of yours is being sent right now. Try again in a moment."
)


@manager_required
@require_GET
@vary_on_headers("HX-Request")
def agent_list(request: AuthedRequest) -> HttpResponse:
    # A failed load has no form to show an error in: the middleware's banner says why.
    roster = platform_client(request).tenant.list_agents()
    remember_agents(request.user.tenant_id, ((a.id, a.name or a.email) for a in roster.agents))
    context = page_context(request, roster, InviteForm())
    # A boosted navigation wants the whole page; only htmx's own sort requests get the table.
    fragment = wants_fragment(request)
    return render(request, f"{PAGE}#agents-table" if fragment else PAGE, context)


@manager_required
@require_POST
def invite_agent(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return form_response(request, form, status=422)
    try:
        with sending_slot(request.user):
            return send_invitation(request, form)
    except InviteInProgress:
        form.add_error(None, gettext(IN_PROGRESS))
        return form_response(request, form, status=429)


def send_invitation(request: AuthedRequest, form: InviteForm) -> HttpResponse:
    """Quota, duplicate check, then the platform call; one audit event whatever happens."""
    name, email = form.cleaned_data["name"], form.cleaned_data["email"]
    label = f"{name} <{email}>"
    client = platform_client(request)
    invite_sent = False  # once the invitation call has left, a lost answer may hide a success
    try:
        with recording(request, INVITE_ACTION, target=Target("invitation", "", label)) as event:
            event.changes = {"name": [None, name], "email": [None, email]}
            if allowed_at := next_invite_allowed_at(request.user):
                event.fail(LIMIT_ERROR.format(limit=hourly_limit()))
                form.add_error(None, limit_message(allowed_at))
                return form_response(request, form, status=429)
            roster = client.tenant.list_agents()
            if reason := duplicate_reason(email, roster, request.user.email):
                event.fail(reason)  # refused here: the platform is not called
                form.add_error("email", reason)
                return form_response(request, form, status=422)
            invite_sent = True
            invitation = client.tenant.invite_agent(name=name, email=email)
            event.target = Target("invitation", invitation.id, label)
    except PlatformValidationError as error:
        add_platform_errors(form, error)
        return form_response(request, form, status=422)
    except PlatformCallFailed as error:
        form.add_error(None, failure_message(error, invite_sent=invite_sent))
        return form_response(request, form, status=status_for_platform_error(error))
    sent = gettext("Invitation sent to %(label)s. The link expires in 7 days.") % {"label": label}
    if not wants_fragment(request):
        messages.success(request, sent)
        return redirect_after_post(request, reverse("agents:list"))
    return invite_sent_response(request, roster.with_invitation(invitation), sent)


def invite_sent_response(request: AuthedRequest, roster: AgentRoster, sent: str) -> HttpResponse:
    """A fresh form in place, plus the invitations table and the counts out of band."""
    context = page_context(request, roster, InviteForm()) | {"notice": sent, "oob": True}
    html = "".join(
        render_to_string(f"{PAGE}#{partial}", context, request=request)
        for partial in ("invite-form", "invitations", "agent-counts")
    )
    return HttpResponse(html)


def form_response(request: AuthedRequest, form: InviteForm, *, status: int) -> HttpResponse:
    """The form with its errors: the fragment for htmx, the whole page otherwise."""
    if wants_fragment(request):
        context = {"form": form, "quota": quota(request)}
        return render(request, f"{PAGE}#invite-form", context, status=status)
    try:
        roster = platform_client(request).tenant.list_agents()
    except PlatformCallFailed:
        roster = AgentRoster()  # the form and its error matter more than the tables here
    return render(request, PAGE, page_context(request, roster, form), status=status)


def page_context(request: AuthedRequest, roster: AgentRoster, form: InviteForm) -> dict[str, Any]:
    sort = roster_view.valid_sort(request.GET.get("sort"))
    rows = roster_view.invitation_rows(roster.invitations)
    return {
        "agents": roster_view.sorted_agents(roster.agents, sort),
        "sort": sort,
        "headers": roster_view.sort_headers(sort),
        "invitations": rows,
        "counts": roster_view.counts(roster, rows),
        "form": form,
        "quota": quota(request),
    }


def quota(request: AuthedRequest) -> dict[str, int]:
    limit = hourly_limit()
    return {"limit": limit, "left": max(0, limit - len(recent_invitations(request.user)))}


def limit_message(allowed_at: datetime) -> str:
    at = timezone.localtime(allowed_at)
    limit = hourly_limit()
    return ngettext(
        "You have sent %(limit)d invitation in the last hour, the most allowed. "
        "You can invite again at %(at)s (%(zone)s).",
        "You have sent %(limit)d invitations in the last hour, the most allowed. "
        "You can invite again at %(at)s (%(zone)s).",
        limit,
    ) % {"limit": limit, "at": f"{at:%H:%M}", "zone": at.tzname()}


def add_platform_errors(form: InviteForm, error: PlatformValidationError) -> None:
    for key, field_messages in error.field_errors.items():
        for message in field_messages:
            form.add_error(key if key in form.fields else None, message)
    for message in error.form_errors:
        form.add_error(None, message)
    if not (error.field_errors or error.form_errors):
        form.add_error(None, failure_message(error))


def failure_message(error: PlatformCallFailed, *, invite_sent: bool = False) -> str:
    if invite_sent and error.outcome_unknown:
        # The request left but no answer came back; a create is never re-sent blindly.
        return gettext(
            "%(error)s The invitation may have been sent: reload the page to check "
            "before trying again."
        ) % {"error": error}
    return gettext("No invitation was sent. %(error)s.") % {"error": error}
