"""What the conversation pages show, fetched through the API of the user's role.

Managers use the tenant API: the list answers `total` for its own filters only, so the tab counts
of the other statuses are one-row calls made at the same time (`dashboard.concurrent.gather`);
the detail embeds every message, paged here. Agents use the agent API: its list carries global
status counts, and messages have their own paged endpoint. Nothing here knows about HTTP requests
or templates; a revoked sign-in (PlatformUnauthorized) always propagates.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from django.utils.translation import gettext

from dashboard.concurrent import Outcome, gather
from dashboard.conversations.forms import (
    ALL,
    STATUSES,
    AgentConversationFilterForm,
    ConversationFilterForm,
)
from dashboard.lib.pager import Pager
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.connextlive_records import (
    AgentStats,
    ConversationDetail,
    ConversationSummary,
    Message,
)
from dashboard.platforms.errors import (
    PlatformCallFailed,
    PlatformNotFound,
)

MESSAGES_PER_PAGE = 50
AGENT_SCAN_LIMIT = 50  # agent API maximum


def error_text(outcome: Outcome) -> str:
    return str(outcome.error) if outcome.error else ""


@dataclass(frozen=True)
class TabCounts:
    """Conversations per tab; None where the count could not be read."""

    active: int | None = None
    waiting: int | None = None
    closed: int | None = None

    @property
    def all(self) -> int | None:
        parts = (self.active, self.waiting, self.closed)
        return None if None in parts else sum(p for p in parts if p is not None)

    def tabs(self) -> list[tuple[str, str, int | None]]:
        """(value, label, count) in display order."""
        return [
            ("ACTIVE", gettext("Active"), self.active),
            ("WAITING", gettext("Waiting"), self.waiting),
            ("CLOSED", gettext("Closed"), self.closed),
            (ALL, gettext("All"), self.all),
        ]


def _counts_from(by_status: dict[str, int | None]) -> TabCounts:
    return TabCounts(by_status.get("ACTIVE"), by_status.get("WAITING"), by_status.get("CLOSED"))


@dataclass
class Listing:
    conversations: list[ConversationSummary] = field(default_factory=list)
    total: int = 0
    counts: TabCounts = field(default_factory=TabCounts)
    agent_stats: list[AgentStats] = field(default_factory=list)
    unread_total: int | None = None
    error: str = ""

    @property
    def agent_choices(self) -> list[tuple[str, str]]:
        return [(s.agent_id, s.agent_name or s.agent_id) for s in self.agent_stats]


# --- lists ------------------------------------------------------------------------------------


def manager_listing(client: ConnextliveClient, form: ConversationFilterForm) -> Listing:
    """The page of the current tab and one-row calls for two other tabs' counts, at once; the
    list's own total is the remaining count (or, on "all", closed = all - active - waiting)."""
    current = form.filters["status"]
    counted = [s for s in STATUSES if s != current][:2]
    calls: dict[str, Callable[[], Any]] = {
        "page": lambda: client.tenant.list_conversations(**form.platform_params())
    }
    for status in counted:
        params = form.platform_params(status) | {"limit": 1, "offset": 0}
        calls[status] = lambda params=params: client.tenant.list_conversations(**params)
    outcomes = gather(**calls)
    page = outcomes["page"]
    if not page.ok:
        return Listing(error=error_text(page))
    total = page.value.total
    by_status = {s: outcomes[s].value.total if outcomes[s].ok else None for s in counted}
    if current == ALL:
        known = list(by_status.values())
        by_status["CLOSED"] = None if None in known else total - sum(known)
    else:
        by_status[current] = total
    return Listing(
        conversations=page.value.items,
        total=total,
        counts=_counts_from(by_status),
        agent_stats=page.value.agent_stats,
        unread_total=page.value.unread_total,
    )


def agent_listing(client: ConnextliveClient, form: AgentConversationFilterForm) -> Listing:
    try:
        page = client.agent.list_conversations(**form.platform_params())
    except PlatformCallFailed as error:
        return Listing(error=str(error))
    counts = TabCounts(page.counts.active, page.counts.waiting, page.counts.closed)
    return Listing(conversations=page.items, total=page.total, counts=counts)


# --- one conversation -------------------------------------------------------------------------


@dataclass
class ConversationView:
    """Everything the conversation page shows. Parts other than the conversation itself may
    fail on their own: each has its error text and the page shows the rest."""

    conversation: ConversationDetail
    messages: list[Message]
    message_pager: Pager
    counts: TabCounts
    assign_choices: list[tuple[str, str]]
    messages_error: str = ""
    counts_error: str = ""
    agents_error: str = ""


def latest_page(total: int) -> int:
    return max(1, ceil(total / MESSAGES_PER_PAGE))


def manager_conversation_view(
    client: ConnextliveClient, conversation_id: str, message_page: int
) -> ConversationView:
    """The detail (with its embedded messages), the roster for assignment and the tab counts,
    all at once. `message_page` 0 means the latest."""
    calls: dict[str, Callable[[], Any]] = {
        "conversation": lambda: client.tenant.get_conversation(conversation_id),
        "roster": client.tenant.list_agents,
    }
    for status in STATUSES:
        calls[status] = lambda s=status: client.tenant.list_conversations(status=s, limit=1)
    outcomes = gather(**calls)
    conversation = _required(outcomes["conversation"])
    everything = conversation.messages
    page = message_page or latest_page(len(everything))
    shown = everything[(page - 1) * MESSAGES_PER_PAGE : page * MESSAGES_PER_PAGE]
    roster = outcomes["roster"]
    counts = {s: outcomes[s].value.total if outcomes[s].ok else None for s in STATUSES}
    return ConversationView(
        conversation=conversation,
        messages=shown,
        message_pager=Pager(page, MESSAGES_PER_PAGE, len(everything), len(shown)),
        counts=_counts_from(counts),
        assign_choices=[(a.id, a.name or a.email) for a in roster.value.agents]
        if roster.ok
        else [],
        counts_error=next((error_text(outcomes[s]) for s in STATUSES if not outcomes[s].ok), ""),
        agents_error=error_text(roster),
    )


def agent_conversation_view(
    client: ConnextliveClient, conversation_id: str, message_page: int, me: str
) -> ConversationView:
    """The detail first (its message count says which page is the latest), then that page of
    messages and one list call (global counts, and the agents it names) at once."""
    conversation = required_call(lambda: client.agent.get_conversation(conversation_id))
    page = message_page or latest_page(conversation.message_count)
    outcomes = gather(
        messages=lambda: client.agent.list_messages(
            conversation_id, page=page, limit=MESSAGES_PER_PAGE
        ),
        recent=lambda: client.agent.list_conversations(limit=AGENT_SCAN_LIMIT),
    )
    messages, recent = outcomes["messages"], outcomes["recent"]
    items = messages.value.items if messages.ok else []
    total = messages.value.total if messages.ok else conversation.message_count
    counts = recent.value.counts if recent.ok else None
    return ConversationView(
        conversation=conversation,
        messages=items,
        message_pager=Pager(page, MESSAGES_PER_PAGE, total, len(items)),
        counts=TabCounts(counts.active, counts.waiting, counts.closed) if counts else TabCounts(),
        assign_choices=_agents_named_in(recent.value.items, me) if recent.ok else [],
        messages_error=error_text(messages),
        counts_error=error_text(recent),
        agents_error=error_text(recent),
    )


def _agents_named_in(conversations: list[ConversationSummary], me: str) -> list[tuple[str, str]]:
    """The agent API lists no agents; the transfer targets are the colleagues assigned to the
    tenant's recent conversations (guess: the only agent directory an agent can read)."""
    seen: dict[str, str] = {}
    for conversation in conversations:
        agent = conversation.agent
        if agent and agent.id != me and agent.id not in seen:
            seen[agent.id] = agent.name or agent.id
    return sorted(seen.items(), key=lambda item: item[1].casefold())


class ConversationGone(Exception):
    """The conversation does not exist for this user (another workspace's, deleted, bad id)."""


def _required[T](outcome: Outcome[T]) -> T:
    if isinstance(outcome.error, PlatformNotFound):
        raise ConversationGone from outcome.error
    if outcome.error is not None:
        raise outcome.error
    assert outcome.value is not None
    return outcome.value


def required_call[T](call: Callable[[], T]) -> T:
    try:
        return call()
    except PlatformNotFound as error:
        raise ConversationGone from error
