"""Conversations: the live list with status tabs, and one conversation with its actions.

Managers act through `client.tenant.*` (assign to any agent, resolve, set status, mark read,
delete); agents through `client.agent.*` (reply with attachments, resolve, transfer when they are
the assignee, mark read). Every action is one audit event, successful or not.
"""

import functools
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import AuthedRequest, manager_required, signed_in
from accounts.responses import Banner, banner_response
from accounts.vault import platform_client
from dashboard import audit
from dashboard.conversations import data
from dashboard.conversations.forms import (
    AgentConversationFilterForm,
    AssignForm,
    ConversationFilterForm,
    MessagePageForm,
    ReplyForm,
    StatusForm,
    attachment_type,
)
from dashboard.conversations.rows import conversation_row, status_name
from dashboard.lib.deletion import Deletion, DeletionTexts, confirm_or_delete
from dashboard.lib.fragments import (
    Fragment,
    fragment_target,
    render_list,
    render_out_of_band_only,
    render_partials,
    wants_fragment,
)
from dashboard.lib.pager import Pager
from dashboard.lib.rows import Clock
from dashboard.platforms.connextlive import ConnextliveClient, Upload
from dashboard.platforms.connextlive_records import ConversationDetail
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformError,
    PlatformForbidden,
    PlatformValidationError,
)

LIST_TEMPLATE = "conversations/list.html"
DETAIL_TEMPLATE = "conversations/detail.html"
LIVE_REFRESH_SECONDS = 10
CONVERSATION_DELETION = DeletionTexts(
    namespace="conversations",
    noun="conversation",
    list_title=_("Conversations"),
    heading=_("Delete conversation"),
    consequence=_("and all its messages"),
    deleted=_("Conversation “%(label)s” was deleted."),
    summary=_("Permanently removes this conversation and its messages."),
)

LIST_FRAGMENTS = {
    # Tabs, search, agent filter, paging: the table, with tab counts and stats beside it.
    "conversation-table": Fragment(oob=("conversation-tabs", "conversation-agent-stats")),
    # The live refresh: only the rows; counts, stats, pager and live status out of band.
    "conversation-rows": Fragment(
        oob=(
            "conversation-tabs",
            "conversation-agent-stats",
            "conversation-pager",
            "conversation-live-status",
        ),
        push_url=False,
    ),
}
# After an action: the panel it was made in, with everything it may have changed.
ACTION_OOB = ("conversation-header", "conversation-messages", "conversation-counts")

AGENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
TRANSFER_FORBIDDEN = _(
    "Only the agent this conversation is assigned to can transfer it, and you are not that "
    "agent. Ask the assignee or a manager."
)


# --- the list ------------------------------------------------------------------------------


@require_safe
@signed_in
def conversation_list(request: AuthedRequest) -> HttpResponse:
    list_url = reverse("conversations:list")
    is_agent = request.user.is_agent
    client = platform_client(request)
    form: ConversationFilterForm | AgentConversationFilterForm
    if is_agent:
        form = AgentConversationFilterForm(request.GET, list_url=list_url)
        listing = data.agent_listing(client, form, me=request.user.platform_user_id)
    else:
        form = ConversationFilterForm(request.GET, list_url=list_url)
        listing = data.manager_listing(client, form)
        form.set_choices("agentId", listing.agent_choices, blank=gettext("All agents"))
    live_refresh_ms = LIVE_REFRESH_SECONDS * 1000
    if listing.error and fragment_target(request) == "conversation-rows":
        context = {"live_error": listing.error, "live_refresh_ms": live_refresh_ms}
        return render_out_of_band_only(
            request, LIST_TEMPLATE, context, ["conversation-live-status"]
        )
    filters = form.filters
    clock = Clock()
    rows = [conversation_row(c, list_url, clock) for c in listing.conversations]
    context = {
        **form.list_context(list_url),
        "tab_query": form.canonical_query(page=1, status=None),
        "listing": listing,
        "rows": rows,
        "counts": listing.counts,
        "pager": None
        if listing.error
        else Pager(filters["page"], filters["limit"], listing.total, len(rows)),
        "counted": None if listing.error else _counted(listing.total),
        "stat_headings": _stat_headings(),
        "error": listing.error,
        "is_agent": is_agent,
        "live_refresh_ms": live_refresh_ms,
    }
    return render_list(
        request,
        LIST_TEMPLATE,
        context,
        fragments=LIST_FRAGMENTS,
        canonical_url=context["refresh_url"],
    )


def _counted(total: int) -> dict[str, str]:
    """The table's words that hold its count, in the active language's plural form."""
    return {
        "title": ngettext("%(total)s conversation", "%(total)s conversations", total)
        % {"total": total},
        "bulk_actions": ngettext(
            "Actions on the %(total)s matching conversation",
            "Actions on all %(total)s matching conversations",
            total,
        )
        % {"total": total},
    }


def _stat_headings() -> dict[str, str]:
    """The agent table's abbreviated column headings (each word's full form is its title)."""
    return {
        "active": pgettext("abbreviation of Active", "Act."),
        "waiting": pgettext("abbreviation of Waiting", "Wait."),
        "closed": pgettext("abbreviation of Closed", "Cl."),
    }


# --- one conversation ----------------------------------------------------------------------


def _load_view(
    request: AuthedRequest, client: ConnextliveClient, conversation_id: str, message_page: int = 0
) -> data.ConversationView:
    """The conversation through the API of the user's role; another workspace's conversation
    (the platform answers 404) or a malformed id is a 404 here."""
    if len(conversation_id) > 64:
        raise Http404("No such conversation")
    try:
        if request.user.is_agent:
            return data.agent_conversation_view(
                client,
                conversation_id,
                message_page,
                me=request.user.platform_user_id,
                tenant_id=request.user.tenant_id,
            )
        return data.manager_conversation_view(
            client, conversation_id, message_page, tenant_id=request.user.tenant_id
        )
    except data.ConversationGone as gone:
        raise Http404("No such conversation") from gone


def _get_conversation_for_user(
    request: AuthedRequest, client: ConnextliveClient, conversation_id: str
) -> ConversationDetail:
    """Only the conversation (what an action needs to check and to audit)."""
    if len(conversation_id) > 64:
        raise Http404("No such conversation")
    try:
        if request.user.is_agent:
            return data.required_call(lambda: client.agent.get_conversation(conversation_id))
        return data.required_call(lambda: client.tenant.get_conversation(conversation_id))
    except data.ConversationGone as gone:
        raise Http404("No such conversation") from gone


def conversation_label(conversation: ConversationDetail) -> str:
    who = conversation.visitor.user_name or conversation.visitor.user_email
    return " · ".join(part for part in (who, conversation.subject) if part) or conversation.id


def _target(conversation: ConversationDetail) -> audit.Target:
    return audit.Target("conversation", conversation.id, conversation_label(conversation))


def _detail_context(
    request: AuthedRequest, view: data.ConversationView, **extra: Any
) -> dict[str, Any]:
    conversation = view.conversation
    is_agent = request.user.is_agent
    me = request.user.platform_user_id
    return {
        "view": view,
        "conversation": conversation,
        "visitor": conversation.visitor,
        "label": conversation_label(conversation),
        "messages_shown": view.messages,
        "message_pager": view.message_pager,
        "message_query": MessagePageForm().canonical_query(),
        "counts": view.counts,
        "is_agent": is_agent,
        "is_assignee": conversation.agent_id == me,
        "assign_form": AssignForm(
            agents=view.assign_choices,
            assignee=conversation.agent_id,
            label=_assign_label(is_agent, conversation),
        ),
        "status_form": StatusForm(initial={"status": conversation.status}),
        "reply_form": extra.pop("reply_form", None) or ReplyForm(),
        "detail_url": reverse("conversations:detail", args=[conversation.id]),
        "list_url": reverse("conversations:list"),
        "deletion": None if is_agent else conversation_deletion(conversation),
        **extra,
    }


def _assign_label(is_agent: bool, conversation: ConversationDetail) -> str:
    if is_agent:
        return gettext("Transfer to")
    return gettext("Reassign to") if conversation.agent else gettext("Assign to")


@require_safe
@signed_in
def conversation_detail(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    client = platform_client(request)
    message_page = MessagePageForm(request.GET).filters["page"]
    view = _load_view(request, client, conversation_id, message_page)
    context = _detail_context(request, view)
    if fragment_target(request) == "conversation-messages":
        return render_partials(request, DETAIL_TEMPLATE, context, "conversation-messages")
    return render(request, DETAIL_TEMPLATE, context)


def _after_action(
    request: AuthedRequest,
    conversation_id: str,
    *,
    notice: str = "",
    error: str = "",
    reply_form: ReplyForm | None = None,
) -> HttpResponse:
    """htmx: the action panel again, fresh from the platform, with the header, messages and tab
    counts out of band (422 when the action was refused, so the message shows in place). A plain
    form post: back to the conversation page (303) with the outcome as a message, except a
    refused reply, whose page is shown again with the text the agent typed."""
    if not wants_fragment(request):
        if reply_form is not None and error:
            client = platform_client(request)
            view = _load_view(request, client, conversation_id)
            context = _detail_context(request, view, reply_form=reply_form)
            return render(request, DETAIL_TEMPLATE, context, status=400)
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        url = reverse("conversations:detail", args=[conversation_id])
        return HttpResponseRedirect(url, status=303)
    client = platform_client(request)
    try:
        view = _load_view(request, client, conversation_id)
    except Http404:
        messages.info(request, gettext("This conversation no longer exists."))
        return HttpResponseClientRedirect(reverse("conversations:list"))
    if reply_form is not None:  # the outcome shows in the reply form, not the action panel
        extra: dict[str, Any] = {"reply_form": reply_form, "reply_notice": notice}
    else:
        extra = {"action_notice": notice, "action_error": error}
    context = _detail_context(request, view, **extra)
    target = "conversation-reply" if reply_form is not None else "conversation-panel"
    oob = [*ACTION_OOB, "conversation-panel"] if reply_form is not None else ACTION_OOB
    response = render_partials(request, DETAIL_TEMPLATE, context, target, oob)
    response.status_code = 422 if error else 200
    return response


type Perform = Callable[[ConnextliveClient, ConversationDetail, audit.PendingEvent], str]


def _run_action(
    request: AuthedRequest,
    conversation_id: str,
    action: str,
    perform: Perform,
    *,
    explain: Callable[[PlatformError], str] = str,
) -> HttpResponse:
    """Load the conversation (a 404 for outsiders), do the platform call inside one audit event,
    and answer with the refreshed page parts; a platform refusal is shown where the user acted."""
    client = platform_client(request)
    before = _get_conversation_for_user(request, client, conversation_id)
    try:
        with audit.recording(request, action, target=_target(before)) as event:
            notice = perform(client, before, event)
    except PlatformCallFailed as error:
        return _after_action(request, before.id, error=explain(error))
    return _after_action(request, before.id, notice=notice)


def _invalid(request: AuthedRequest, conversation_id: str, form: Any) -> HttpResponse:
    """A form that failed our own checks: nothing was sent, so nothing is audited."""
    errors = "; ".join(str(m) for messages_ in form.errors.values() for m in messages_)
    return _after_action(request, conversation_id, error=errors or gettext("Check the form."))


# --- actions -------------------------------------------------------------------------------


@require_POST
@signed_in
def conversation_assign(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    """Managers assign or reassign to any agent of the roster; agents transfer, which the
    platform allows only to the current assignee (its 403 is explained in place)."""
    if request.user.is_agent:
        return _transfer(request, conversation_id)
    client = platform_client(request)
    roster = client.tenant.list_agents()
    agents = data.remembered_roster(request.user.tenant_id, roster.agents)
    form = AssignForm(request.POST, agents=agents)
    if not form.is_valid():
        return _invalid(request, conversation_id, form)
    agent_id = form.cleaned_data["agent_id"]
    agent_name = dict(agents)[agent_id]

    def assign(client: ConnextliveClient, before: ConversationDetail, event: Any) -> str:
        event.changes = {"agent": [_agent_name(before), agent_name]}
        client.tenant.assign_conversation(before.id, agent_id)
        return gettext("Assigned to %(agent)s.") % {"agent": agent_name}

    return _run_action(request, conversation_id, "conversation.assign", assign)


def _transfer(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    agent_id = request.POST.get("agent_id", "").strip()
    if not AGENT_ID.fullmatch(agent_id) or agent_id == request.user.platform_user_id:
        return _after_action(
            request, conversation_id, error=gettext("Choose a colleague to transfer to.")
        )

    def transfer(client: ConnextliveClient, before: ConversationDetail, event: Any) -> str:
        event.changes = {"agent": [_agent_name(before), agent_id]}
        after = client.agent.assign_conversation(before.id, agent_id)
        new_agent = after.agent.name if after.agent and after.agent.name else agent_id
        event.changes = {"agent": [_agent_name(before), new_agent]}
        return gettext("Transferred to %(agent)s.") % {"agent": new_agent}

    def explain(error: PlatformError) -> str:
        if isinstance(error, PlatformForbidden):
            return f"{TRANSFER_FORBIDDEN} (Connextlive: {error.detail() or 'forbidden'})"
        return str(error)

    return _run_action(request, conversation_id, "conversation.transfer", transfer, explain=explain)


def _agent_name(conversation: ConversationDetail) -> str | None:
    if conversation.agent:
        return conversation.agent.name or conversation.agent.id
    return conversation.agent_id


@require_POST
@signed_in
def conversation_resolve(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    def resolve(client: ConnextliveClient, before: ConversationDetail, event: Any) -> str:
        resource = client.agent if request.user.is_agent else client.tenant
        after = resource.resolve_conversation(before.id)
        event.changes = {"status": [before.status, after.status]}
        return gettext("Conversation resolved.")

    return _run_action(request, conversation_id, "conversation.resolve", resolve)


@require_POST
@manager_required
def conversation_status(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    """Sets the status without resolve's side effects (no system message, no AI analysis)."""
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _invalid(request, conversation_id, form)
    status = form.cleaned_data["status"]

    def set_status(client: ConnextliveClient, before: ConversationDetail, event: Any) -> str:
        event.changes = {"status": [before.status, status]}
        client.tenant.set_conversation_status(before.id, status)
        return gettext("Status set to %(status)s.") % {"status": status_name(status)}

    return _run_action(request, conversation_id, "conversation.status", set_status)


@require_POST
@signed_in
def conversation_mark_read(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    def mark_read(client: ConnextliveClient, before: ConversationDetail, event: Any) -> str:
        resource = client.agent if request.user.is_agent else client.tenant
        marked = resource.mark_conversation_read(before.id)
        event.changes = {"unread": [before.unread_count, 0]}
        return ngettext(
            "Marked %(count)d message as read.", "Marked %(count)d messages as read.", marked
        ) % {"count": marked}

    return _run_action(request, conversation_id, "conversation.mark_read", mark_read)


@require_POST
@signed_in
def conversation_reply(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    """An agent's reply, with up to 5 attachments checked here first (count, size, type); a
    refusal by the platform all the same is shown with its own words."""
    if not request.user.is_agent:
        banner = Banner(
            gettext("Agents only"),
            gettext("Replies are sent by agents: the manager API has no way to send a message."),
            level="warning",
        )
        return banner_response(request, banner, status=403)
    client = platform_client(request)
    before = _get_conversation_for_user(request, client, conversation_id)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _after_action(request, before.id, error=gettext("Not sent."), reply_form=form)
    content = form.cleaned_data["content"]
    files = form.cleaned_data["uploads"]
    uploads = [Upload(f.name, f.read(), attachment_type(f) or "") for f in files]
    try:
        with audit.recording(request, "conversation.reply", target=_target(before)) as event:
            event.changes = {"message": [None, _reply_summary(content, uploads)]}
            client.agent.send_message(before.id, content, uploads)
    except PlatformCallFailed as error:
        form.add_error(None, _refusal(error))
        return _after_action(request, before.id, error=gettext("Not sent."), reply_form=form)
    return _after_action(
        request, before.id, notice=gettext("Message sent."), reply_form=ReplyForm()
    )


def _refusal(error: PlatformError) -> str:
    if isinstance(error, PlatformValidationError):
        return gettext("Connextlive refused the message: %(reason)s") % {
            "reason": error.detail() or error.message
        }
    return str(error)


def _reply_summary(content: str, uploads: list[Upload]) -> str:
    """What the audit log keeps of a reply: its size and file names, not the text itself."""
    summary = f"{len(content)} characters"
    if uploads:
        names = ", ".join(upload.filename for upload in uploads)
        summary += f"; {len(uploads)} attachment{'s' if len(uploads) != 1 else ''}: {names}"
    return summary


# --- deletion ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@manager_required
def conversation_delete(request: AuthedRequest, conversation_id: str) -> HttpResponse:
    """GET: the confirmation naming the conversation. POST: delete, after re-authentication."""
    client = platform_client(request)
    conversation = _get_conversation_for_user(request, client, conversation_id)
    delete = functools.partial(client.tenant.delete_conversation, conversation.id)
    return confirm_or_delete(request, conversation_deletion(conversation), delete)


def conversation_deletion(conversation: ConversationDetail) -> Deletion:
    label = conversation_label(conversation)
    return Deletion(CONVERSATION_DELETION, conversation.id, label, _target(conversation))
