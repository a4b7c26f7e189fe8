"""The agents page's view of the platform's roster: sorting, counts, invitation states."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.platforms.connextlive_records import AgentRoster, Invitation, User

# ?sort= values; a leading "-" sorts descending. Agents without a CSAT score always come last.
SORT_KEYS = {
    "name": lambda agent: agent.name.casefold(),
    "email": lambda agent: agent.email.casefold(),
    "status": lambda agent: agent.status,
    "csat": lambda agent: agent.csat_score,
}
DEFAULT_SORT = "name"


JUST_NOW = timedelta(minutes=1)  # younger than this reads "just now", not "0 minutes ago"


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    expired: bool
    just_sent: bool = False


@dataclass(frozen=True)
class RosterCounts:
    agents: int
    pending: int
    expired: int


def valid_sort(value: str | None) -> str:
    """The requested sort if it is one we offer, else the default (garbage is not an error)."""
    if value and value.removeprefix("-") in SORT_KEYS:
        return value
    return DEFAULT_SORT


def sorted_agents(agents: list[User], sort: str) -> list[User]:
    column = sort.removeprefix("-")
    key = SORT_KEYS[column]
    with_value = [agent for agent in agents if key(agent) is not None]
    without_value = [agent for agent in agents if key(agent) is None]
    return sorted(with_value, key=key, reverse=sort.startswith("-")) + without_value


def invitation_rows(
    invitations: list[Invitation], now: datetime | None = None
) -> list[InvitationRow]:
    """One row per person (their latest invitation: inviting someone again leaves the platform
    with an expired invitation and a pending one for the same address), pending first (soonest
    to expire first), then the expired ones (most recent first)."""
    now = now or timezone.now()
    latest: dict[str, Invitation] = {}
    for invitation in invitations:
        person = invitation.email.casefold()
        if person not in latest or latest[person].invited_at < invitation.invited_at:
            latest[person] = invitation
    rows = [
        InvitationRow(inv, is_expired(inv, now), just_sent=now - inv.invited_at < JUST_NOW)
        for inv in latest.values()
    ]
    pending = sorted(
        (row for row in rows if not row.expired), key=lambda row: row.invitation.expires_at
    )
    expired = sorted(
        (row for row in rows if row.expired),
        key=lambda row: row.invitation.expires_at,
        reverse=True,
    )
    return pending + expired


def is_expired(invitation: Invitation, now: datetime) -> bool:
    # The platform's status decides; the date also counts, should its clock lag ours.
    return invitation.is_expired or invitation.expires_at <= now


def counts(roster: AgentRoster, rows: list[InvitationRow]) -> RosterCounts:
    expired = sum(row.expired for row in rows)
    return RosterCounts(agents=len(roster.agents), pending=len(rows) - expired, expired=expired)


@dataclass(frozen=True)
class SortHeader:
    label: str
    link: str  # the ?sort= value the header links to
    aria_sort: str  # "ascending", "descending" or "none"


def sort_headers(current: str) -> dict[str, SortHeader]:
    """One header per sortable column: a click sorts by it ascending, a second click descending."""
    headers = {}
    for column, label in (
        ("name", _("Name")),
        ("email", _("Email")),
        ("status", _("Status")),
        ("csat", _("CSAT")),
    ):
        if current == column:
            headers[column] = SortHeader(label, f"-{column}", "ascending")
        elif current == f"-{column}":
            headers[column] = SortHeader(label, column, "descending")
        else:
            headers[column] = SortHeader(label, column, "none")
    return headers
