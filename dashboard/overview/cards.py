"""The overview's cards: every platform call at once (dashboard.concurrent.gather), and each card
built from its own calls, so one failing call empties one card and the others still render."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from dashboard.concurrent import Outcome, gather
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformError


@dataclass(frozen=True)
class Card[T]:
    """A card's figures, or why they could not be loaded."""

    subject: str
    data: T | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class Figure:
    """One number on a card: its label, the id it is shown under (`figure-<name>`), its value."""

    label: str
    name: str
    value: int | None


@dataclass(frozen=True)
class ConversationCounts:
    active: int
    waiting: int
    closed: int
    unread: int | None = None  # the agent API gives no unread total

    @property
    def figures(self) -> list[Figure]:
        figures = [
            Figure(_("Active"), "active", self.active),
            Figure(_("Waiting"), "waiting", self.waiting),
            Figure(_("Closed"), "closed", self.closed),
        ]
        if self.unread is not None:
            figures.append(Figure(_("Unread messages"), "unread", self.unread))
        return figures


@dataclass(frozen=True)
class VisitorCounts:
    total: int
    online: int
    returning: int

    @property
    def figures(self) -> list[Figure]:
        return [
            Figure(_("Total"), "visitors-total", self.total),
            Figure(_("Online now"), "visitors-online", self.online),
            Figure(_("Returning"), "visitors-returning", self.returning),
        ]


@dataclass(frozen=True)
class TeamCounts:
    agents: int
    online: int
    pending_invitations: int
    expired_invitations: int

    @property
    def figures(self) -> list[Figure]:
        return [
            Figure(_("Agents"), "agents", self.agents),
            Figure(_("Online now"), "agents-online", self.online),
            Figure(_("Pending invitations"), "invitations-pending", self.pending_invitations),
            Figure(_("Expired invitations"), "invitations-expired", self.expired_invitations),
        ]


@dataclass(frozen=True)
class KeyCounts:
    active: int
    inactive: int

    @property
    def figures(self) -> list[Figure]:
        return [
            Figure(_("Active"), "keys-active", self.active),
            Figure(_("Inactive"), "keys-inactive", self.inactive),
        ]


@dataclass(frozen=True)
class AlertCounts:
    """Naxon AI keyword alerts (local rows: no platform call)."""

    last_day: int
    unhandled: int

    @property
    def figures(self) -> list[Figure]:
        return [
            Figure(_("Last 24 hours"), "alerts-24h", self.last_day),
            Figure(_("Unhandled"), "alerts-unhandled", self.unhandled),
        ]


@dataclass(frozen=True)
class ManagerOverview:
    workspace_name: str
    workspace: Card[Any]
    conversations: Card[ConversationCounts]
    visitors: Card[VisitorCounts]
    team: Card[TeamCounts]
    keys: Card[KeyCounts]


@dataclass(frozen=True)
class AgentOverview:
    profile: Card[Any]
    conversations: Card[ConversationCounts]


def manager_overview(client: ConnextliveClient) -> ManagerOverview:
    tenant = client.tenant
    # One call per status for exact counts (agentStats leave out unassigned conversations);
    # unreadTotal is the workspace's whatever the filter, so any of them carries it.
    results = gather(
        workspace=tenant.get_workspace,
        active=lambda: tenant.list_conversations(status="ACTIVE", limit=1),
        waiting=lambda: tenant.list_conversations(status="WAITING", limit=1),
        closed=lambda: tenant.list_conversations(status="CLOSED", limit=1),
        visitors=lambda: tenant.list_visitors(limit=1),
        agents=tenant.list_agents,
        keys=tenant.list_api_keys,
    )
    workspace = _card(_("workspace"), [results["workspace"]], lambda workspace: workspace)
    return ManagerOverview(
        workspace_name=workspace.data.name if workspace.ok and workspace.data else "",
        workspace=workspace,
        conversations=_card(
            _("conversations"),
            [results[name] for name in ("active", "waiting", "closed")],
            lambda active, waiting, closed: ConversationCounts(
                active=active.total,
                waiting=waiting.total,
                closed=closed.total,
                unread=active.unread_total,
            ),
        ),
        visitors=_card(
            _("visitors"),
            [results["visitors"]],
            lambda page: VisitorCounts(page.stats.total, page.stats.online, page.stats.returning),
        ),
        team=_card(_("agents"), [results["agents"]], _team_counts),
        keys=_card(_("widget keys"), [results["keys"]], _key_counts),
    )


def agent_overview(client: ConnextliveClient) -> AgentOverview:
    agent = client.agent
    results = gather(
        profile=agent.profile,
        conversations=lambda: agent.list_conversations(limit=1),
    )
    return AgentOverview(
        profile=_card(_("your profile"), [results["profile"]], lambda profile: profile),
        conversations=_card(
            _("conversations"),
            [results["conversations"]],
            lambda page: ConversationCounts(
                active=page.counts.active,
                waiting=page.counts.waiting,
                closed=page.counts.closed,
            ),
        ),
    )


def _card[T](subject: str, outcomes: list[Outcome[Any]], build: Callable[..., T]) -> Card[T]:
    for outcome in outcomes:
        if outcome.error is not None:
            return Card(subject, error=_reason(outcome.error))
    return Card(subject, data=build(*(outcome.value for outcome in outcomes)))


def _reason(error: PlatformError) -> str:
    return str(error)


def _team_counts(roster: Any) -> TeamCounts:
    statuses = [invitation.status for invitation in roster.invitations]
    return TeamCounts(
        agents=len(roster.agents),
        online=sum(1 for agent in roster.agents if agent.status == "ONLINE"),
        pending_invitations=statuses.count("PENDING"),
        expired_invitations=statuses.count("EXPIRED"),
    )


def _key_counts(keys: list[Any]) -> KeyCounts:
    statuses = [key.status for key in keys]
    return KeyCounts(active=statuses.count("ACTIVE"), inactive=statuses.count("INACTIVE"))
