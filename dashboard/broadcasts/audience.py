"""A broadcast's audience before anything is sent: the recipients of an uploaded CSV (checked
row by row) and the dry run -- how many recipients, and a few of them."""

import re
from dataclasses import dataclass, field, replace

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, ngettext

from dashboard.broadcasts.channels import uchat_search_filters
from dashboard.broadcasts.models import Broadcast
from dashboard.broadcasts.sending import chat_key, spared
from dashboard.conversations.bulk import conversation_filters
from dashboard.integrations.channels import uchat_client
from dashboard.integrations.connections import connectiveone_client, integration_for
from dashboard.integrations.models import Integration
from dashboard.jobs.kinds import ItemSpec
from dashboard.jobs.uploads import ParsedUpload, parse_upload
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import ConversationSummary, User
from dashboard.platforms.errors import PlatformCallFailed, PlatformError
from dashboard.uchat.forms import is_namespace
from dashboard.uchat.rows import subscriber_label
from dashboard.visitors.bulk import visitor_filters

MAX_RECIPIENTS = 100_000
# A workspace with more conversations than this is not walked to check a CSV's ids (unknown ids
# then fail one by one in the report); below it the walk takes a few seconds at most.
MAX_CHECKED_CONVERSATIONS = 20_000
SAMPLE_SIZE = 10
CHANNELS = ("telegram", "viber", "whatsapp", "facebook", "instagram", "webchat")
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_CONSUMER = re.compile(r"^[A-Za-z0-9_.:@+-]{1,200}$")


def parse_recipients(upload: UploadedFile, channel: str) -> ParsedUpload[ItemSpec]:
    if channel == Broadcast.Channel.UCHAT:
        return parse_upload(
            upload,
            required=("user_ns",),
            max_rows=MAX_RECIPIENTS,
            parse_row=_subscriber_row,
            key_of=lambda spec: spec.key,
        )
    if channel == Broadcast.Channel.LIVEPERSON:
        return parse_upload(
            upload,
            required=("ext_consumer_id",),
            max_rows=MAX_RECIPIENTS,
            parse_row=_consumer_row,
            key_of=lambda spec: spec.key,
        )
    if channel == Broadcast.Channel.CONNECTIVEONE:
        return parse_upload(
            upload,
            required=("chat_id", "channel"),
            max_rows=MAX_RECIPIENTS,
            parse_row=_chat_row,
            key_of=lambda spec: spec.key,
        )
    return parse_upload(
        upload,
        required=("conversation_id",),
        max_rows=MAX_RECIPIENTS,
        parse_row=_conversation_row,
        key_of=lambda spec: spec.key,
    )


def _conversation_row(row: dict[str, str]) -> ItemSpec:
    conversation_id = row.get("conversation_id", "")
    if not _ID.match(conversation_id):
        raise ValueError(gettext("conversation_id: not a conversation id"))
    return ItemSpec(conversation_id, row.get("name", "") or conversation_id)


def _subscriber_row(row: dict[str, str]) -> ItemSpec:
    user_ns = row.get("user_ns", "")
    if not is_namespace(user_ns):
        raise ValueError(gettext("user_ns: not a UChat subscriber (like f190385u394247863)"))
    return ItemSpec(user_ns, row.get("name", "") or user_ns)


def _consumer_row(row: dict[str, str]) -> ItemSpec:
    """An `ext_consumer_id`, with the consumer's first and last name for their profile."""
    consumer = row.get("ext_consumer_id", "")
    if not _CONSUMER.match(consumer):
        raise ValueError(gettext("ext_consumer_id: letters, digits and . _ : @ + - only"))
    profile = {
        key: row[column][:100]
        for column, key in (("first_name", "firstName"), ("last_name", "lastName"))
        if row.get(column)
    }
    label = " ".join(profile.values()) or consumer
    payload: dict[str, object] = {"profile": profile} if profile else {}
    # Who they are, if the CSV says: a broadcast on several channels matches people by these.
    payload |= {column: row[column][:254] for column in ("email", "phone") if row.get(column)}
    return ItemSpec(consumer, label, payload)


def _chat_row(row: dict[str, str]) -> ItemSpec:
    chat_id, channel = row.get("chat_id", ""), row.get("channel", "").lower()
    if not _ID.match(chat_id):
        raise ValueError(gettext("chat_id: not a chat id"))
    if channel not in CHANNELS:
        raise ValueError(
            gettext("channel: one of %(channels)s") % {"channels": ", ".join(CHANNELS)}
        )
    label = row.get("name", "") or chat_id
    return ItemSpec(chat_key(channel, chat_id), label, {"channel": channel, "chatId": chat_id})


def check_conversations(parsed: ParsedUpload[ItemSpec], tenant: ConnextliveClient) -> None:
    """Each row's conversation must be one of this workspace's: the others are refused on their
    line before anything starts. Rows without a name get the visitor's. (A workspace too big to
    walk is not checked: an unknown id then fails on its own in the report.)"""
    total = tenant.tenant.list_conversations(status="all", limit=1).total
    if total > MAX_CHECKED_CONVERSATIONS:
        return
    known = {
        c.id: _person(c) for c in tenant.tenant.iter_conversations(status="all", page_size=100)
    }
    parsed.recheck(
        lambda spec: (
            None if spec.key in known else gettext("conversation_id: no such conversation here")
        )
    )
    parsed.rows = [
        spec if spec.label != spec.key else replace(spec, label=known[spec.key])
        for spec in parsed.rows
    ]


@dataclass
class DryRun:
    count: int | None = None
    # {"key": the recipient as its channel's performer knows it, "label": who they are}.
    sample: list[dict[str, str]] = field(default_factory=list)
    note: str = ""


def recipient(key: str, label: str) -> dict[str, str]:
    """One of a dry run's sample: a test send may go to it (`key` empty: it may not)."""
    return {"key": key, "label": label or key}


def sender_agent(tenant_id: str, tenant: ConnextliveClient) -> User | None:
    """The Connextlive agent broadcasts are sent as (set under Integrations by e-mail), from
    the workspace's agents; None when there is none, or no agent has that e-mail."""
    integration = integration_for(tenant_id, Integration.Kind.CONNEXTLIVE_SENDER)
    email = (integration.setting("email", "") if integration else "").lower()
    if not email:
        return None
    agents = tenant.tenant.list_agents().agents
    return next((agent for agent in agents if agent.email.lower() == email), None)


# Past this many conversations, a dry run that picks out the sender's and the unassigned ones
# stops walking and says the count is a lower bound.
MAX_WALKED_CONVERSATIONS = 20_000


def dry_run(
    broadcast: Broadcast, tenant: ConnextliveClient, csv_rows: list[ItemSpec] | None = None
) -> DryRun:
    """How many would get it, and who the first few are (one page from the platform)."""
    match broadcast.audience:
        case Broadcast.Audience.CSV:
            rows = csv_rows or []
            return DryRun(len(rows), [recipient(s.key, s.label) for s in rows[:SAMPLE_SIZE]])
        case Broadcast.Audience.CONVERSATIONS if broadcast.spare_other_agents:
            return _sparing_dry_run(broadcast, tenant)
        case Broadcast.Audience.CONVERSATIONS:
            filters = conversation_filters(broadcast.audience_query)
            page = tenant.tenant.list_conversations(**filters, limit=SAMPLE_SIZE)
            sample = [recipient(c.id, _named(c)) for c in page.items]
            return DryRun(page.total, sample)
        case Broadcast.Audience.UCHAT_TAGS | Broadcast.Audience.UCHAT_SEARCH:
            return _uchat_dry_run(broadcast)
        case Broadcast.Audience.VISITORS:
            filters = visitor_filters(broadcast.audience_query)
            page = tenant.tenant.list_visitors(**filters, limit=SAMPLE_SIZE)
            sample = [recipient(v.id, v.user_name or v.user_email or v.id) for v in page.items]
            note = gettext(
                "Visitors without a conversation cannot be messaged: the report lists them."
            )
            return DryRun(page.total, sample, note)
        case _:
            return _chats_dry_run(broadcast)


def _sparing_dry_run(broadcast: Broadcast, tenant: ConnextliveClient) -> DryRun:
    """The conversations matching, without those assigned to an agent other than the sender:
    the platform lists by one agent or all, never "nobody", so they are walked and counted."""
    filters = conversation_filters(broadcast.audience_query)
    sender = sender_agent(broadcast.job.tenant_id, tenant)
    sender_id = sender.id if sender else None
    kept, left, walked = 0, 0, 0
    sample: list[dict[str, str]] = []
    for conversation in tenant.tenant.iter_conversations(**filters, page_size=100):
        walked += 1
        if walked > MAX_WALKED_CONVERSATIONS:
            note = gettext(
                "Over %(most)d conversations: the count stops there; the others are checked "
                "as it sends."
            ) % {"most": MAX_WALKED_CONVERSATIONS}
            return DryRun(kept, sample, note)
        if spared(conversation, sender_id):
            left += 1
            continue
        kept += 1
        if len(sample) < SAMPLE_SIZE:
            sample.append(recipient(conversation.id, _named(conversation)))
    note = ngettext(
        "%(count)d conversation of another agent left alone.",
        "%(count)d conversations of other agents left alone.",
        left,
    ) % {"count": left}
    return DryRun(kept, sample, note)


def _uchat_dry_run(broadcast: Broadcast) -> DryRun:
    """The subscribers of each tag (a subscriber with two of them is counted twice here, sent to
    once), or of the search. The bot's token is not the manager's sign-in: a refusal of it is a
    failed call here, never a sign-out."""
    try:
        client = uchat_client(integration_for(broadcast.job.tenant_id, Integration.Kind.UCHAT))
        if broadcast.audience == Broadcast.Audience.UCHAT_SEARCH:
            searches = [uchat_search_filters(broadcast.uchat_search)]
        else:
            searches = [{"tag_ns": tag_ns} for tag_ns in broadcast.uchat_tags]
        pages = [client.search_subscribers(**search, limit=SAMPLE_SIZE) for search in searches]
    except PlatformCallFailed:
        raise
    except PlatformError as error:
        raise PlatformCallFailed(str(error)) from error
    subscribers = [s for page in pages for s in page.items]
    sample = [recipient(s.user_ns, subscriber_label(s)) for s in subscribers][:SAMPLE_SIZE]
    count = sum(page.total for page in pages)
    note = gettext(
        "Subscribers who do not allow messages are not sent to: the report lists them as skipped."
    )
    if len(pages) > 1:
        note = gettext(
            "At most %(count)d: a subscriber with several of the tags gets it once. %(note)s"
        ) % {"count": count, "note": note}
    return DryRun(count, sample, note)


def _chats_dry_run(broadcast: Broadcast) -> DryRun:
    client = connectiveone_client(
        integration_for(broadcast.job.tenant_id, Integration.Kind.CONNECTIVEONE)
    )
    page = client.list_chat_rooms(
        created_after=broadcast.chats_from,
        created_before=broadcast.chats_to,
        order="asc",
        limit=100,
    )
    sample = [
        recipient(chat_key(room.channel, room.chat_id), room.user_name or room.chat_id)
        for room in page.items
        if room.bot_id == broadcast.bot_id
    ]
    note = gettext("Chats of every bot created in the range; those of bot %(bot)s get it.") % {
        "bot": broadcast.bot_id
    }
    return DryRun(page.total, sample[:SAMPLE_SIZE], note)


def _named(conversation: ConversationSummary) -> str:
    """A conversation as a dry run's sample lists it: who it is with, and its subject."""
    person = _person(conversation)
    return f"{person} · {conversation.subject}" if conversation.subject else person


def _person(conversation: ConversationSummary) -> str:
    """Who a conversation is with, as a broadcast's report names them."""
    visitor = conversation.visitor
    return visitor.user_name or visitor.user_email or conversation.visitor_id or conversation.id
