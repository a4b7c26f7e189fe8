"""/broadcasts/: the list, composing (message with a preview, channel, audience), the draft's
dry run and test send, then the sending itself as a job with its progress on the same page."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import AuthedRequest, manager_required
from accounts.vault import platform_client
from dashboard.audit import Target, record, recording
from dashboard.broadcasts.audience import (
    check_conversations,
    dry_run,
    parse_recipients,
    sender_agent,
)
from dashboard.broadcasts.channels import kind_for
from dashboard.broadcasts.forms import ComposeForm, TestSendForm, initial_from_link
from dashboard.broadcasts.models import Broadcast, BroadcastReply
from dashboard.broadcasts.once import (
    BroadcastPartKind,
    MultiChannelBroadcastKind,
    channel_performer,
    parts_of,
)
from dashboard.broadcasts.once import dry_run as dry_run_parts
from dashboard.integrations.channels import uchat_client
from dashboard.integrations.connections import integration_for
from dashboard.integrations.models import Integration
from dashboard.jobs import engine
from dashboard.jobs.kinds import ItemSpec, sealed_sign_in
from dashboard.jobs.uploads import ParsedUpload, UnreadableUpload
from dashboard.jobs.views import job_context
from dashboard.lib.fragments import redirect_after_post, wants_fragment
from dashboard.platforms.errors import PlatformCallFailed, PlatformError, PlatformUnauthorized

LIST_PAGE = "broadcasts/list.html"
COMPOSE_PAGE = "broadcasts/compose.html"
DETAIL_PAGE = "broadcasts/detail.html"
NEEDS = {
    Broadcast.Channel.CONNEXTLIVE: Integration.Kind.CONNEXTLIVE_SENDER,
    Broadcast.Channel.CONNECTIVEONE: Integration.Kind.CONNECTIVEONE,
    Broadcast.Channel.UCHAT: Integration.Kind.UCHAT,
    Broadcast.Channel.LIVEPERSON: Integration.Kind.LIVEPERSON,
}


def _get_broadcast_for_user(request: AuthedRequest, broadcast_id: int) -> Broadcast:
    broadcast = (
        Broadcast.objects.select_related("job", "job__created_by")
        .filter(pk=broadcast_id, job__tenant_id=request.user.tenant_id)
        .first()
    )
    if broadcast is None:
        raise Http404("No such broadcast")
    return broadcast


@require_safe
@manager_required
def broadcast_list(request: AuthedRequest) -> HttpResponse:
    broadcasts = (
        Broadcast.objects.filter(job__tenant_id=request.user.tenant_id, part_of=None)
        .select_related("job", "job__created_by")
        .order_by("-job__created_at")[:100]
    )
    return render(request, LIST_PAGE, {"broadcasts": broadcasts})


@require_http_methods(["GET", "POST"])
@manager_required
def compose(request: AuthedRequest) -> HttpResponse:
    choices = _uchat_choices(request)
    if request.method == "GET":
        initial = initial_from_link(request.GET)
        parent = _parent(request, request.GET.get("part_of", ""))
        if parent is not None:
            initial |= {"part_of": parent.pk, "name": parent.name, "message": parent.message}
        form = ComposeForm(initial=initial, **choices)
        return render(request, COMPOSE_PAGE, {"form": form, "parent": parent})
    form = ComposeForm(request.POST, request.FILES, **choices)
    if not form.is_valid():
        return render(request, COMPOSE_PAGE, {"form": form}, status=422)
    parent = _parent(request, str(form.cleaned_data.get("part_of") or ""))
    if form.cleaned_data.get("part_of") and parent is None:
        form.add_error(None, _("That broadcast can no longer take another channel."))
    elif parent is not None and (problem := _part_problem(parent, form.cleaned_data)):
        form.add_error("audience", problem)
    if form.errors:
        return render(request, COMPOSE_PAGE, {"form": form, "parent": parent}, status=422)
    channel = form.cleaned_data["channel"]
    if integration_for(request.user.tenant_id, NEEDS[channel]) is None:
        form.add_error("channel", _("Set this channel up on the Integrations page first."))
        return render(request, COMPOSE_PAGE, {"form": form}, status=422)
    recipients = None
    if form.cleaned_data["audience"] == Broadcast.Audience.CSV:
        parsed, problem = _checked_recipients(request, form.cleaned_data["csv_file"], channel)
        if problem:
            form.add_error("csv_file", problem)
        if problem or parsed is None or parsed.error_count:
            context = {"form": form}
            if parsed is not None:
                context |= {"row_errors": parsed.errors, "error_count": parsed.error_count}
            return render(request, COMPOSE_PAGE, context, status=422)
        recipients = parsed.rows
    broadcast = _create_draft(request, form, recipients, parent)
    return redirect("broadcasts:detail", broadcast_id=(parent or broadcast).pk)


def _parent(request: AuthedRequest, raw_id: str) -> Broadcast | None:
    """The draft broadcast a further channel's audience is added to, if it can take one."""
    if not raw_id.isdigit():
        return None
    parent = (
        Broadcast.objects.select_related("job")
        .filter(pk=int(raw_id), job__tenant_id=request.user.tenant_id, part_of=None)
        .first()
    )
    return parent if parent is not None and parent.is_draft else None


def _part_problem(parent: Broadcast, data: dict[str, Any]) -> str:
    """What a broadcast on several channels cannot do (yet): its first channel's audience from a
    CSV (its rows are the first job's own items), or visitors (found through the conversations
    by the items' own keys)."""
    if parent.audience in (Broadcast.Audience.CSV, Broadcast.Audience.VISITORS):
        return gettext(
            "A broadcast whose audience is a CSV or visitors cannot take another channel: "
            "start from the other channel and add this one to it."
        )
    if data["audience"] == Broadcast.Audience.VISITORS:
        return gettext(
            "Visitors cannot be another channel’s audience: choose conversations instead."
        )
    return ""


def _uchat_choices(request: AuthedRequest) -> dict[str, list[tuple[str, str]]]:
    """The UChat bot's sub-flows and tags for the compose form, when the workspace has a bot
    (and it answers: otherwise the UChat choices are empty, and picking UChat says why)."""
    integration = integration_for(request.user.tenant_id, Integration.Kind.UCHAT)
    if integration is None:
        return {}
    try:
        client = uchat_client(integration)
        return {
            "sub_flows": [(f.sub_flow_ns, f.name) for f in client.iter_sub_flows()],
            "tags": [(t.tag_ns, t.name) for t in client.iter_tags()],
        }
    except PlatformError:
        return {}


def _checked_recipients(
    request: AuthedRequest, upload: UploadedFile, channel: str
) -> tuple[ParsedUpload[ItemSpec] | None, str]:
    """The CSV's recipients, every row checked (format, repeats, and for Connextlive that the
    conversation is this workspace's); a problem with the whole file instead of its rows."""
    try:
        parsed = parse_recipients(upload, channel)
    except UnreadableUpload as problem:
        return None, str(problem)
    if not parsed.rows and not parsed.error_count:
        return parsed, gettext("The file has no recipients.")
    if channel == Broadcast.Channel.CONNEXTLIVE and parsed.rows:
        try:
            check_conversations(parsed, platform_client(request))
        except PlatformCallFailed as error:
            return parsed, gettext("The recipients cannot be checked right now: %(error)s") % {
                "error": error
            }
    return parsed, ""


def _create_draft(
    request: AuthedRequest,
    form: ComposeForm,
    recipients: list[ItemSpec] | None,
    parent: Broadcast | None = None,
) -> Broadcast:
    data = form.cleaned_data
    audience = data["audience"]
    query = form.audience_query() if audience in ("conversations", "visitors") else ""
    sealed = sealed_sign_in(request.session)
    with transaction.atomic():
        job = engine.create_job(
            kind=kind_for(data["channel"], close=bool(data.get("close_conversation"))),
            title=data["name"],
            tenant_id=request.user.tenant_id,
            created_by=request.user,
            params={"channel": data["channel"], "audience": audience},
            sealed_token=sealed,
            collected=recipients is not None,
        )
        broadcast = Broadcast.objects.create(
            job=job,
            name=data["name"],
            message=data["message"],
            channel=data["channel"],
            audience=audience,
            audience_query=query,
            spare_other_agents=bool(
                data.get("spare_other_agents")
                and data["channel"] == Broadcast.Channel.CONNEXTLIVE
                and audience == Broadcast.Audience.CONVERSATIONS
            ),
            chats_from=data.get("chats_from"),
            chats_to=data.get("chats_to"),
            bot_id=data.get("bot_id"),
            connector_alias=data.get("connector_alias", ""),
            node_id=data.get("node_id"),
            sub_flow_ns=data.get("sub_flow", ""),
            sub_flow_name=form.sub_flow_name(),
            send_text=bool(data.get("send_text")),
            uchat_tags=data.get("uchat_tags", []) if audience == "uchat_tags" else [],
            uchat_tag_names=form.tag_names() if audience == "uchat_tags" else [],
            uchat_search=data.get("uchat_search", "") if audience == "uchat_search" else "",
            close_conversation=bool(data.get("close_conversation")),
            part_of=parent,
        )
        if recipients:
            engine.add_items(job, recipients)
        if parent is not None:
            # The first broadcast's job now sends to every part; this one's never sends.
            job.kind = BroadcastPartKind.kind
            job.save(update_fields=["kind"])
            parent.job.kind = MultiChannelBroadcastKind.kind
            parent.job.params = {**parent.job.params, "channels": _channels(parent)}
            parent.job.save(update_fields=["kind", "params"])
    _measure(request, parent or broadcast, recipients)
    record(
        request,
        "broadcast.create",
        target=Target("broadcast", str(broadcast.pk), broadcast.name),
        changes={
            "part_of": [None, parent.pk if parent else None],
            "channel": [None, broadcast.channel],
            "audience": [None, broadcast.audience],
            "filter": [None, query],
            "recipients": [None, broadcast.audience_estimate],
        },
    )
    return broadcast


def _channels(broadcast: Broadcast) -> list[str]:
    return [part.channel for part in parts_of(broadcast)]


def _measure(
    request: AuthedRequest, broadcast: Broadcast, recipients: list[ItemSpec] | None = None
) -> None:
    """The dry run, kept on the draft; a platform failure leaves the count unknown. On several
    channels, every part's audience is walked and matched (the duplicates removed)."""
    try:
        if broadcast.parts.exists():
            result = dry_run_parts(broadcast)
        else:
            result = dry_run(broadcast, platform_client(request), recipients)
    except PlatformCallFailed as error:
        broadcast.audience_estimate, broadcast.sample = None, []
        broadcast.estimate_note = gettext("The audience could not be counted: %(error)s") % {
            "error": error
        }
        broadcast.estimate_note = broadcast.estimate_note[:300]
    else:
        broadcast.audience_estimate, broadcast.sample = result.count, result.sample
        broadcast.estimate_note = result.note
    broadcast.save(update_fields=["audience_estimate", "sample", "estimate_note"])


def _detail_context(request: AuthedRequest, broadcast: Broadcast, **extra: Any) -> dict[str, Any]:
    return {
        "broadcast": broadcast,
        "parts": list(broadcast.parts.order_by("pk")),
        "replies": _replies(broadcast),
        "test_form": TestSendForm(sample=broadcast.sample),
        "sample": [_who(entry) for entry in broadcast.sample],
        **(_assignment(request, broadcast) if broadcast.is_draft else {}),
        **job_context(broadcast.job, request),
        **extra,
    }


def _who(entry: Any) -> str:
    """A sample's recipient as listed (a draft counted before samples had keys: its label)."""
    return str(entry.get("label") or entry.get("key")) if isinstance(entry, dict) else str(entry)


def _assignment(request: AuthedRequest, broadcast: Broadcast) -> dict[str, Any]:
    """A Connextlive broadcast hands every conversation it sends into to the sender agent and
    sets it ACTIVE: the page says so at the start button, with the count and the agent's name
    (from the workspace's agents; the e-mail set under Integrations if none has it). On several
    channels the count is everyone's, so the page says it without one."""
    connextlive = Broadcast.Channel.CONNEXTLIVE
    if broadcast.channel != connextlive and not broadcast.parts.filter(channel=connextlive):
        return {}
    integration = integration_for(request.user.tenant_id, Integration.Kind.CONNEXTLIVE_SENDER)
    name = integration.setting("email", "") if integration else ""
    try:
        agent = sender_agent(request.user.tenant_id, platform_client(request))
    except PlatformCallFailed:
        agent = None
    if agent is not None:
        name = agent.name or agent.email
    return {"assigns_to": name or gettext("the sender agent")}


MAX_REPLIES_SHOWN = 200


def _replies(broadcast: Broadcast) -> list[dict[str, Any]]:
    """LivePerson consumers' replies in the broadcast's conversations (from the webhook), each
    with who replied (the recipient's label in the report), newest first."""
    if broadcast.channel != Broadcast.Channel.LIVEPERSON:
        return []
    replies = list(
        BroadcastReply.objects.filter(conversation__broadcast=broadcast)
        .select_related("conversation")
        .order_by("-received_at", "-id")[:MAX_REPLIES_SHOWN]
    )
    keys = {reply.conversation.item_key for reply in replies}
    labels = dict(broadcast.job.items.filter(key__in=keys).values_list("key", "label"))
    return [
        {
            "who": labels.get(reply.conversation.item_key) or reply.conversation.item_key,
            "conversation_id": reply.conversation.conversation_id,
            "text": reply.text,
            "at": reply.sent_at or reply.received_at,
        }
        for reply in replies
    ]


@require_safe
@manager_required
def broadcast_detail(request: AuthedRequest, broadcast_id: int) -> HttpResponse:
    broadcast = _get_broadcast_for_user(request, broadcast_id)
    if broadcast.part_of_id is not None:
        return redirect("broadcasts:detail", broadcast_id=broadcast.part_of_id)
    return render(request, DETAIL_PAGE, _detail_context(request, broadcast))


@require_POST
@manager_required
def refresh_count(request: AuthedRequest, broadcast_id: int) -> HttpResponse:
    broadcast = _get_broadcast_for_user(request, broadcast_id)
    if broadcast.is_draft and (
        broadcast.audience != Broadcast.Audience.CSV or broadcast.parts.exists()
    ):
        _measure(request, broadcast)
    return redirect("broadcasts:detail", broadcast_id=broadcast.pk)


@require_POST
@manager_required
def preview(request: AuthedRequest) -> HttpResponse:
    """The message as a recipient reads it: plain text, line breaks kept, nothing interpreted."""
    message = request.POST.get("message", "")[:5000].replace("\r\n", "\n").strip()
    return render(request, "broadcasts/preview.html", {"message": message})


@require_POST
@manager_required
def test_send(request: AuthedRequest, broadcast_id: int) -> HttpResponse:
    """One message to one recipient, now, outside the job (it is not one of its items)."""
    broadcast = _get_broadcast_for_user(request, broadcast_id)
    form = TestSendForm(request.POST, sample=broadcast.sample)
    result: dict[str, Any] = {"form": form}
    if form.is_valid():
        recipient = form.cleaned_data["recipient"]
        target = Target("broadcast", str(broadcast.pk), broadcast.name)
        try:
            with recording(request, "broadcast.test_send", target=target) as event:
                event.changes = {"recipient": [None, recipient]}
                item = _test_item(request, broadcast, recipient)
                performer = channel_performer(broadcast)
                result["sent"] = performer.perform(item)
        except PlatformUnauthorized as error:
            result["error"] = str(error)  # the job's credentials, not the manager's session
        except (PlatformError, ValueError, KeyError) as error:
            result["error"] = str(error) or gettext("That recipient cannot be used.")
    status = 200 if "sent" in result else 422
    if wants_fragment(request):
        return render(request, "broadcasts/test_result.html", result, status=status)
    # Without JavaScript: the broadcast's page again, the outcome (or the field's error) in it.
    context = _detail_context(request, broadcast, test_form=form, test_result=result)
    return render(request, DETAIL_PAGE, context, status=status)


def _test_item(request: AuthedRequest, broadcast: Broadcast, recipient: str) -> ItemSpec:
    """The item a test sends to: `recipient` is a key of the broadcast's sample."""
    if broadcast.channel == Broadcast.Channel.UCHAT:
        return ItemSpec(recipient, recipient)
    if broadcast.channel == Broadcast.Channel.LIVEPERSON:
        # Its own conversation, never the one the broadcast will open for this consumer.
        return ItemSpec(f"test:{recipient}", recipient, {"consumer": recipient})
    if broadcast.channel == Broadcast.Channel.CONNECTIVEONE:
        channel, _sep, chat_id = recipient.partition(":")
        return ItemSpec(recipient, recipient, {"channel": channel, "chatId": chat_id})
    if broadcast.audience == Broadcast.Audience.VISITORS:
        return ItemSpec(recipient, recipient, {"conversationId": _newest_of(request, recipient)})
    return ItemSpec(recipient, recipient, {"conversationId": recipient})


def _newest_of(request: AuthedRequest, visitor_id: str) -> str:
    """A visitor's most recent conversation (the one the broadcast sends into)."""
    listed = platform_client(request).tenant.list_conversations(
        status="all", search=visitor_id, limit=50
    )
    for conversation in listed.items:  # newest first
        if conversation.visitor_id == visitor_id:
            return conversation.id
    raise ValueError(gettext("This visitor has no conversation to send into."))


@require_POST
@manager_required
def discard(request: AuthedRequest, broadcast_id: int) -> HttpResponse:
    broadcast = _get_broadcast_for_user(request, broadcast_id)
    if not broadcast.is_draft:
        return redirect("broadcasts:detail", broadcast_id=broadcast.pk)
    target = Target("broadcast", str(broadcast.pk), broadcast.name)
    with transaction.atomic():
        for part in broadcast.parts.select_related("job"):
            part.job.delete()  # its draft job, never started
        broadcast.job.delete()
    record(request, "broadcast.discard", target=target)
    url = reverse("broadcasts:list")
    return redirect_after_post(request, url)
