"""The broadcast job kinds of UChat and LivePerson: one item per recipient, sent exactly once.

UChat (konversation Connect): the chosen sub-flow (`send-sub-flow`), or the message as text
(`send-text`), to each subscriber -- those carrying any of the given tags, matching a search, or
listed in a CSV of `user_ns`. One request per recipient, counted in the bot's bucket (shared with
bulk tagging).

LivePerson: for each `ext_consumer_id` of a CSV, the consumer's token (ConsumerJWS, asked for once
per consumer and kept sealed), a conversation opened on the consumer's behalf, the message sent
into it, and optionally the conversation closed. The conversation is written down the moment it
is opened (BroadcastConversation): a second attempt at the item (after a 429 on the send) sends
into it instead of opening another, the item's result names it, and the webhook receiver finds a
consumer's reply's broadcast through it. Three requests per recipient (four when closing); the
AppJWT is kept for the hour, not asked for per message.

Neither send is idempotent, so the engine never sends one again once it may have arrived.
"""

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from django.db import OperationalError
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_noop

from dashboard.broadcasts.models import Broadcast, BroadcastConversation
from dashboard.broadcasts.sending import BroadcastKind
from dashboard.integrations.channels import liveperson_client, uchat_client
from dashboard.integrations.models import Integration
from dashboard.jobs.conf import setting
from dashboard.jobs.kinds import CollectedPage, ItemSpec, JobKind, Performer, register
from dashboard.jobs.models import Job
from dashboard.platforms.uchat import MAX_PAGE_SIZE
from dashboard.platforms.uchat_records import Subscriber
from dashboard.uchat.bulk import subscriber_item
from dashboard.uchat.forms import SubscriberFilterForm


def integration_of(job: Job, kind: str) -> Integration | None:
    return Integration.objects.filter(tenant_id=job.tenant_id, kind=kind).first()


def uchat_search_filters(search: str) -> dict[str, Any]:
    """A broadcast's search as the subscribers page reads its search box."""
    query = QueryDict(mutable=True)
    query["search"] = search
    return SubscriberFilterForm(query).search_params()


class UChatBroadcast(Performer):
    def __init__(self, job: Job, broadcast: Broadcast) -> None:
        self.job, self.broadcast = job, broadcast
        self.client = uchat_client(integration_of(job, Integration.Kind.UCHAT))

    def perform(self, item: ItemSpec) -> str:
        b = self.broadcast
        if b.send_text:
            self.client.send_text(item.key, b.message)
            return "text sent"
        self.client.send_sub_flow(item.key, b.sub_flow_ns)
        return f"sub-flow “{b.sub_flow_name or b.sub_flow_ns}” sent"

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        """Each tag's subscribers in turn (someone with two of the tags is one item: the unique
        key), or the search's."""
        b = self.broadcast
        if b.audience == Broadcast.Audience.UCHAT_SEARCH:
            searches = [uchat_search_filters(b.uchat_search)]
        else:
            searches = [{"tag_ns": tag_ns} for tag_ns in b.uchat_tags]
        index, page = int(cursor.get("search", 0)), int(cursor.get("page", 1))
        while index < len(searches):
            listed = self.client.search_subscribers(
                **searches[index], page=page, limit=MAX_PAGE_SIZE
            )
            done_here = not listed.items or page >= listed.total_pages
            index, page = (index + 1, 1) if done_here else (index, page + 1)
            last = index >= len(searches)
            items = [uchat_recipient(s) for s in listed.items]
            yield CollectedPage(items, {"search": index, "page": page}, last=last)
        if not searches:
            yield CollectedPage([], {}, last=True)


# UChat lists who it would refuse: a send to a subscriber whose `allow_send_message` is false
# fails (a 400). Collected from a listing, such a subscriber goes in skipped with this reason
# instead of being sent to: the refused request would still count against the bot's rate limit
# (a twenty-fifth of a tag's audience in the bench seed was that much of the limit spent on
# nothing; bench/README.md, bench_channels.py). A CSV's rows carry no such flag: those are sent,
# and refused, as before.
# Stored in English, shown in the reader's language (job_tags.stored).
NOT_ALLOWED = gettext_noop("UChat: skipped, the subscriber does not allow messages to be sent")


def uchat_recipient(subscriber: Subscriber) -> ItemSpec:
    item = replace(
        subscriber_item(subscriber),
        payload={"email": subscriber.email, "phone": subscriber.phone},
    )
    return item if subscriber.allow_send_message else replace(item, skipped=NOT_ALLOWED)


class LivePersonBroadcast(Performer):
    def __init__(self, job: Job, broadcast: Broadcast) -> None:
        self.job, self.broadcast = job, broadcast
        self.client = liveperson_client(integration_of(job, Integration.Kind.LIVEPERSON))

    def perform(self, item: ItemSpec) -> str:
        b = self.broadcast
        consumer = str(item.payload.get("consumer") or item.key)
        conversation_id = (
            BroadcastConversation.objects.filter(broadcast=b, item_key=item.key)
            .values_list("conversation_id", flat=True)
            .first()
        )
        if conversation_id is None:
            conversation_id = self.client.open_conversation(
                consumer, profile=dict(item.payload.get("profile") or {})
            )
            _write_down(b, item.key, conversation_id)
        sequence = self.client.send_text(consumer, conversation_id, b.message)
        if b.close_conversation:
            self.client.close_conversation(consumer, conversation_id)
            return f"conversation {conversation_id}: sent (sequence {sequence}), closed"
        return f"conversation {conversation_id}: sent (sequence {sequence})"

    def collect(self, cursor: dict[str, Any]) -> Iterator[CollectedPage]:
        yield CollectedPage([], {}, last=True)  # a CSV's rows, added when it was uploaded


# A busy database (SQLite's one writer, a loaded machine) gets a few tries at writing a
# conversation down: it is open already, and without its row the item cannot go on.
WRITE_ATTEMPTS = (0.2, 0.5, 1.0, 2.0)


def _write_down(broadcast: Broadcast, item_key: str, conversation_id: str) -> None:
    for pause in (*WRITE_ATTEMPTS, None):
        try:
            BroadcastConversation.objects.create(
                broadcast=broadcast, item_key=item_key, conversation_id=conversation_id
            )
            return
        except OperationalError:
            if pause is None:
                raise  # the item becomes unknown: opened, not sent (the report says so)
            time.sleep(pause)  # a thread of the runner's pool, never the runner itself


class ChannelBroadcastKind(JobKind):
    """What the new channels' broadcast kinds share: the broadcast's page, and their own
    platform's bucket and rate (set on the integrations page)."""

    idempotent = False  # a message to a person
    page_name = "the broadcast"
    integration_kind: str

    def page_url(self, job: Job) -> str | None:
        broadcast_id = Broadcast.objects.filter(job=job).values_list("pk", flat=True).first()
        return reverse("broadcasts:detail", args=[broadcast_id]) if broadcast_id else None

    def rate(self, job: Job) -> float:
        integration = integration_of(job, self.integration_kind)
        configured = integration.setting("rate_limit") if integration else None
        return float(configured) if configured else setting("JOBS_RATE_LIMIT")


@register
class UChatBroadcastKind(ChannelBroadcastKind):
    kind = "broadcast.uchat"
    label = "Broadcast (UChat)"
    integration_kind = Integration.Kind.UCHAT

    def performer(self, job: Job) -> Performer:
        return UChatBroadcast(job, Broadcast.objects.get(job=job))

    def rate_key(self, job: Job) -> str:
        integration = integration_of(job, Integration.Kind.UCHAT)
        parts = urlsplit(integration.setting("base_url", "") if integration else "")
        return f"uchat:{parts.netloc}{parts.path}"  # the bulk tagging jobs' bucket too


@register
class LivePersonBroadcastKind(ChannelBroadcastKind):
    kind = "broadcast.liveperson"
    label = "Broadcast (LivePerson)"
    integration_kind = Integration.Kind.LIVEPERSON
    requests_per_item = 3  # the consumer's token (once), open, send

    def performer(self, job: Job) -> Performer:
        return LivePersonBroadcast(job, Broadcast.objects.get(job=job))

    def rate_key(self, job: Job) -> str:
        integration = integration_of(job, Integration.Kind.LIVEPERSON)
        account = integration.setting("account_id", "") if integration else ""
        return f"liveperson:{account}"


@register
class LivePersonClosingBroadcastKind(LivePersonBroadcastKind):
    kind = "broadcast.liveperson_close"
    requests_per_item = 4  # and the close


def kind_for(channel: str, *, close: bool = False) -> str:
    """The job kind of a broadcast on `channel`."""
    match channel:
        case Broadcast.Channel.UCHAT:
            return UChatBroadcastKind.kind
        case Broadcast.Channel.LIVEPERSON:
            return (LivePersonClosingBroadcastKind if close else LivePersonBroadcastKind).kind
    return BroadcastKind.kind
