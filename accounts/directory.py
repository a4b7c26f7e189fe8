"""The workspace's agents as an agent's pages may offer them (transfer targets).

The agent API lists no agents (seeds/003), so an agent's session cannot read the roster itself.
Whenever a manager's session or the hourly snapshot task reads the agents list, the ids and
names are kept here per workspace (in the shared cache, for a week); an agent's conversation page
offers exactly those colleagues. Until a manager has been seen, `known_agents` answers None and
the page falls back to the colleagues named in recent conversations."""

from collections.abc import Iterable

from django.core.cache import cache

KEEP_SECONDS = 7 * 24 * 3600


def _key(tenant_id: str) -> str:
    return f"workspace-agents:{tenant_id}"


def remember_agents(tenant_id: str, agents: Iterable[tuple[str, str]]) -> None:
    """(id, name) of every agent of the workspace, as the platform's roster just listed them."""
    if not tenant_id:
        return
    roster = sorted({(agent_id, name) for agent_id, name in agents if agent_id})
    if cache.get(_key(tenant_id)) != roster:
        cache.set(_key(tenant_id), roster, KEEP_SECONDS)


def known_agents(tenant_id: str) -> list[tuple[str, str]] | None:
    """The workspace's agents as last read by a manager, or None if none was read lately."""
    if not tenant_id:
        return None
    roster = cache.get(_key(tenant_id))
    return [tuple(agent) for agent in roster] if roster is not None else None
