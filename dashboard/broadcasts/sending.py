"""The broadcast job kind: one item per recipient, sent exactly once.

Connextlive: the message goes into each conversation through the agent API, as the configured
sender agent (the platform then claims the conversation for that agent and sets it ACTIVE).
ConnectiveOne: `call_node` with the bot, the connector alias or node id, the chat's channel and
chat id, and the message in `data`. Neither call is idempotent, so the engine never sends one
again once it may have arrived.
"""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

from dashboard.broadcasts.models import Broadcast
from dashboard.conversations.bulk import conversation_pages
from dashboard.integrations.connections import (
    connectiveone_client,
    integration_for,
    sender_client,
)
from dashboard.integrations.models import Integration
from dashboard.jobs.conf import setting
from dashboard.jobs.kinds import (
    COLLECT_PAGE_SIZE,
    Answer,
    CollectedPage,
    ItemSpec,
    JobKind,
    Performer,
    ReadBackAnswer,
    register,
    tenant_client,
)
from dashboard.jobs.models import Job, JobItem
from dashboard.jobs.outcomes import ItemRefused
from dashboard.platforms.errors import PlatformError
from dashboard.visitors.bulk import visitor_pages

NO_CONVERSATION = "This visitor has no conversation to send into."
# Messages read per page when reading back, the most the platform gives (seeds/003).
READ_BACK_PAGE = 100
# How far before an item's claim a matching message makes the answer ambiguous: the console's
# and the platform's clocks may disagree by that much.
READ_BACK_SKEW = timedelta(seconds=2)


def chat_key(channel: str, chat_id: str) -> str:
    """A chat is its channel and its id (the same id on two channels is two people)."""
    return f"{channel}:{chat_id}"


def spared(conversation: Any, sender_id: str | None) -> bool:
    """Whether sending would take `conversation` from another agent (the platform assigns it
    to the sender): an audience that spares other agents leaves it out."""
    return conversation.agent_id is not None and conversation.agent_id != sender_id


class ConnextliveBroadcast(Performer):
    can_read_back = True

    def __init__(self, job: Job, broadcast: Broadcast) -> None:
        self.job, self.broadcast = job, broadcast
        self.sender = sender_client(
            integration_for(job.tenant_id, Integration.Kind.CONNEXTLIVE_SENDER)
        )
        self._sender_id: str | None = None

    def read_back(self, item: ItemSpec, since: datetime) -> ReadBackAnswer:
        """The conversation's messages through the sender agent: the broadcast's text, from the
        sender, after the item was claimed. Read from the newest page back to `since`."""
        conversation_id = str(item.payload.get("conversationId") or item.key)
        try:
            if self._sender_id is None:
                self._sender_id = self.sender.agent.profile().id
            found, before = _matching_messages(
                self.sender.agent, conversation_id, self._sender_id, self.broadcast.message, since
            )
        except PlatformError as error:
            return ReadBackAnswer(Answer.UNCLEAR, f"reading the conversation failed: {error}")
        if found:
            return ReadBackAnswer(Answer.FOUND, f"message {found[-1].id}")
        if before:
            # The same text from the sender moments before the claim: another broadcast's, or
            # this one's under clocks that disagree. Not certain either way.
            return ReadBackAnswer(
                Answer.UNCLEAR, "the same message was sent moments before this one was claimed"
            )
        return ReadBackAnswer(Answer.ABSENT)

    def perform(self, item: ItemSpec) -> str:
        conversation_id = item.payload.get("conversationId")
        if not conversation_id:
            if self.broadcast.audience == Broadcast.Audience.VISITORS:
                raise ItemRefused(NO_CONVERSATION)
            conversation_id = item.key
        message = self.sender.agent.send_message(str(conversation_id), self.broadcast.message)
        return f"sent as message {message.id}"

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        client = tenant_client(self.job)
        query = self.broadcast.audience_query
        if self.broadcast.audience == Broadcast.Audience.CONVERSATIONS:
            yield from conversation_pages(client, query, cursor, self._audience_keeps())
            return
        yield from self._visitors_then_their_conversations(client, query, cursor)

    def _audience_keeps(self) -> Callable[[Any], bool] | None:
        """With other agents spared, the conversations that are the sender's or nobody's: the
        platform lists one agent's or everyone's, never "unassigned", so the others are left
        out as they are collected."""
        if not self.broadcast.spare_other_agents:
            return None
        sender_id = self.sender.agent.profile().id
        return lambda conversation: not spared(conversation, sender_id)

    def _visitors_then_their_conversations(
        self, client: Any, query: str, cursor: dict[str, Any]
    ) -> Iterator[CollectedPage]:
        """Visitors matching, then one pass over the conversations to find each visitor's most
        recent one (the list is newest first, so the first seen wins)."""
        if cursor.get("phase", "visitors") == "visitors":
            for page in visitor_pages(client, query, cursor):
                yield CollectedPage(page.items, {**page.cursor, "phase": "visitors"}, page.total)
                if page.last:
                    cursor = {"phase": "conversations", "offset": 0}
                    break
        offset = int(cursor.get("offset", 0))
        while True:
            listed = client.tenant.list_conversations(
                status="all", limit=COLLECT_PAGE_SIZE, offset=offset
            )
            self._attach_conversations(listed.items)
            offset += len(listed.items)
            last = not listed.items or offset >= listed.total
            yield CollectedPage([], {"phase": "conversations", "offset": offset}, last=last)
            if last:
                return

    def _attach_conversations(self, conversations: list[Any]) -> None:
        newest: dict[str, str] = {}
        for conversation in conversations:
            if conversation.visitor_id:
                newest.setdefault(conversation.visitor_id, conversation.id)
        waiting = JobItem.objects.filter(job=self.job, key__in=list(newest), payload={})
        for item in waiting:
            item.payload = {"conversationId": newest[item.key]}
            item.save(update_fields=["payload"])


def _matching_messages(
    agent: Any, conversation_id: str, sender_id: str, text: str, since: datetime
) -> tuple[list[Any], list[Any]]:
    """The sender's messages with `text` in the conversation: those created at `since` or later,
    and those within READ_BACK_SKEW before it. Pages are oldest first: read from the last."""
    first = agent.list_messages(conversation_id, page=1, limit=READ_BACK_PAGE)
    number, page = first.total_pages or 1, first
    found: list[Any] = []
    before: list[Any] = []
    horizon = since - READ_BACK_SKEW
    while True:
        if number != page.page:
            page = agent.list_messages(conversation_id, page=number, limit=READ_BACK_PAGE)
        for message in page.items:
            if message.sender_id != sender_id or message.content != text:
                continue
            if message.created_at >= since:
                found.append(message)
            elif message.created_at >= horizon:
                before.append(message)
        oldest = page.items[0].created_at if page.items else None
        if number <= 1 or oldest is None or oldest < horizon:
            return found, before
        number -= 1


class ConnectiveOneBroadcast(Performer):
    def __init__(self, job: Job, broadcast: Broadcast) -> None:
        self.job, self.broadcast = job, broadcast
        self.client = connectiveone_client(
            integration_for(job.tenant_id, Integration.Kind.CONNECTIVEONE)
        )

    def perform(self, item: ItemSpec) -> str:
        b = self.broadcast
        entry: dict[str, Any] = (
            {"connector_alias": b.connector_alias} if b.connector_alias else {"node_id": b.node_id}
        )
        return self.client.call_node(
            bot_id=int(b.bot_id or 0),
            channel=str(item.payload["channel"]),
            chat_id=str(item.payload["chatId"]),
            data={"message": b.message},
            **entry,
        )

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        """The bot's chats created in the range, oldest first (new chats land at the end, so the
        pages already read do not shift)."""
        b = self.broadcast
        offset = int(cursor.get("offset", 0))
        while True:
            page = self.client.list_chat_rooms(
                created_after=b.chats_from,
                created_before=b.chats_to,
                order="asc",
                limit=COLLECT_PAGE_SIZE,
                offset=offset,
            )
            items = [
                ItemSpec(
                    chat_key(room.channel, room.chat_id),
                    room.user_name or room.chat_id,
                    {
                        "channel": room.channel,
                        "chatId": room.chat_id,
                        "email": room.email,
                        "phone": room.phone,
                    },
                )
                for room in page.items
                if room.bot_id == b.bot_id
            ]
            offset += len(page.items)
            last = not page.items or offset >= page.total
            yield CollectedPage(items, {"offset": offset}, last=last)
            if last:
                return


@register
class BroadcastKind(JobKind):
    kind = "broadcast"
    label = "Broadcast"
    idempotent = False  # a message to a person
    page_name = "the broadcast"
    done_word = "sent"

    def performer(self, job: Job) -> Performer:
        broadcast = Broadcast.objects.get(job=job)
        if broadcast.channel == Broadcast.Channel.CONNECTIVEONE:
            return ConnectiveOneBroadcast(job, broadcast)
        return ConnextliveBroadcast(job, broadcast)

    def page_url(self, job: Job) -> str | None:
        broadcast_id = Broadcast.objects.filter(job=job).values_list("pk", flat=True).first()
        return reverse("broadcasts:detail", args=[broadcast_id]) if broadcast_id else None

    def _connectiveone(self, job: Job) -> Integration | None:
        if job.params.get("channel") != Broadcast.Channel.CONNECTIVEONE:
            return None
        return integration_for(job.tenant_id, Integration.Kind.CONNECTIVEONE)

    def rate_key(self, job: Job) -> str:
        integration = self._connectiveone(job)
        if integration is None:
            return super().rate_key(job)
        parts = urlsplit(integration.setting("base_url", ""))
        return f"connectiveone:{parts.netloc}{parts.path}"

    def rate(self, job: Job) -> float:
        integration = self._connectiveone(job)
        configured = integration.setting("rate_limit") if integration else None
        return float(configured) if configured else setting("JOBS_RATE_LIMIT")
