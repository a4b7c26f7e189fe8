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

from accounts.directory import known_agents, remember_agents
from dashboard.concurrent import Outcome, gather
from dashboard.conversations.forms import (
    ALL,
    MINE,
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
# "Assigned to me": the agent API cannot filter by agent, so the console reads the agent's
# conversations (newest first) and keeps theirs; at most this many are read per page view.
MINE_SCAN_LIMIT = 1000
OLDEST_FIRST = ("WAITING",)  # the customer waiting longest comes first


def error_text(outcome: Outcome) -> str:
    return str(outcome.error) if outcome.error else ""


@dataclass(frozen=True)
class TabCounts:
    """Conversations per tab; None where the count could not be read."""

    active: int | None = None
    waiting: int | None = None
    closed: int | None = None
    mine: int | None = None
    with_mine: bool = False  # agents have an "Assigned to me" tab

    @property
    def all(self) -> int | None:
        parts = (self.active, self.waiting, self.closed)
        return None if None in parts else sum(p for p in parts if p is not None)

    def tabs(self) -> list[tuple[str, str, int | None]]:
        """(value, label, count) in display order."""
        tabs = [
            ("ACTIVE", gettext("Active"), self.active),
            ("WAITING", gettext("Waiting"), self.waiting),
            ("CLOSED", gettext("Closed"), self.closed),
            (ALL, gettext("All"), self.all),
        ]
        if self.with_mine:
            tabs.append((MINE, gettext("Assigned to me"), self.mine))
        return tabs


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


def oldest_first_window(total: int, page: int, limit: int) -> tuple[int, int]:
    """(offset, limit) of the platform's newest-first list that hold page `page` of the same
    list oldest first (its items then read in reverse). The platform has no sort parameter."""
    offset = max(0, total - page * limit)
    return offset, max(0, total - (page - 1) * limit - offset) or limit


def _oldest_first_page(fetch: Callable[..., Any], params: dict[str, Any]) -> Any:
    """One page of a newest-first list, oldest first: a one-row call for the total, then the
    window that holds the page, reversed."""
    total = fetch(**params | {"limit": 1, "offset": 0}).total
    page = params["offset"] // params["limit"] + 1
    offset, limit = oldest_first_window(total, page, params["limit"])
    if (page - 1) * params["limit"] >= total:
        offset = total  # past the last page: nothing, as a newest-first list would answer
    answer = fetch(**params | {"limit": limit, "offset": offset})
    return answer.reversed()


def manager_listing(client: ConnextliveClient, form: ConversationFilterForm) -> Listing:
    """The page of the current tab and one-row calls for two other tabs' counts, at once; the
    list's own total is the remaining count (or, on "all", closed = all - active - waiting).
    The Waiting tab lists the oldest first."""
    current = form.filters["status"]
    counted = [s for s in STATUSES if s != current][:2]
    fetch = client.tenant.list_conversations
    calls: dict[str, Callable[[], Any]] = {
        "page": (lambda: _oldest_first_page(fetch, form.platform_params()))
        if current in OLDEST_FIRST
        else (lambda: fetch(**form.platform_params()))
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


def agent_listing(
    client: ConnextliveClient, form: AgentConversationFilterForm, me: str = ""
) -> Listing:
    """The agent API's page (the Waiting tab oldest first), or on "Assigned to me" the agent's
    own conversations picked from the list (the API has no agent filter)."""
    params = form.platform_params()
    try:
        if form.filters["status"] == MINE:
            return _mine(client, params, me)
        if form.filters["status"] in OLDEST_FIRST:
            page = _oldest_first_page(client.agent.list_conversations, params)
        else:
            page = client.agent.list_conversations(**params)
    except PlatformCallFailed as error:
        return Listing(error=str(error))
    counts = TabCounts(page.counts.active, page.counts.waiting, page.counts.closed, with_mine=True)
    return Listing(conversations=page.items, total=page.total, counts=counts)


def _mine(client: ConnextliveClient, params: dict[str, Any], me: str) -> Listing:
    mine: list[ConversationSummary] = []
    counts = None
    offset = 0
    while offset < MINE_SCAN_LIMIT:
        page = client.agent.list_conversations(
            params["statuses"], params["search"], limit=AGENT_SCAN_LIMIT, offset=offset
        )
        counts = counts or page.counts
        mine.extend(c for c in page.items if (c.agent and c.agent.id == me) or c.agent_id == me)
        offset += AGENT_SCAN_LIMIT
        if not page.items or offset >= page.total:
            break
    start = params["offset"]
    assert counts is not None
    return Listing(
        conversations=mine[start : start + params["limit"]],
        total=len(mine),
        counts=TabCounts(
            counts.active, counts.waiting, counts.closed, mine=len(mine), with_mine=True
        ),
    )


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


def remembered_roster(tenant_id: str, agents: list[Any]) -> list[tuple[str, str]]:
    """(id, name) of the roster's agents, kept for the agents' transfer targets."""
    choices = [(agent.id, agent.name or agent.email) for agent in agents]
    remember_agents(tenant_id, choices)
    return choices


def manager_conversation_view(
    client: ConnextliveClient, conversation_id: str, message_page: int, tenant_id: str = ""
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
    client: ConnextliveClient, conversation_id: str, message_page: int, me: str, tenant_id: str = ""
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
        assign_choices=transfer_targets(tenant_id, me, recent.value.items if recent.ok else []),
        messages_error=error_text(messages),
        counts_error=error_text(recent),
        agents_error=error_text(recent),
    )


def transfer_targets(
    tenant_id: str, me: str, recent: list[ConversationSummary]
) -> list[tuple[str, str]]:
    """The workspace's agents but the agent themself, as a manager's session last read the
    roster (accounts/directory.py); until one has, the colleagues named in recent
    conversations (the only agent directory the agent API offers)."""
    roster = known_agents(tenant_id)
    if roster is None:
        return _agents_named_in(recent, me)
    others = [(agent_id, name) for agent_id, name in roster if agent_id != me]
    return sorted(others, key=lambda item: item[1].casefold())


def _agents_named_in(conversations: list[ConversationSummary], me: str) -> list[tuple[str, str]]:
    """The colleagues assigned to the tenant's recent conversations."""
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
