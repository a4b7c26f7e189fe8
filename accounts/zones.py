"""Whose time zone a page is in: the signed-in user's own choice, else the workspace's, else UTC.

Every time the console shows, and every date or time a person types (a broadcast's schedule, an
audit filter, a report's range), is in that zone. `TimeZoneMiddleware` (accounts.middleware)
activates it for each request with `django.utils.timezone.activate`, so Django's date filters,
forms' DateTimeFields and `dashboard.lib.rows.Clock` all follow it without being told.

The workspace's zone is a platform setting. The session remembers it (as it remembers the
workspace's name) from the sign-in on, and the pages that read or save the workspace refresh it;
`WorkspaceZone` keeps the last one read per workspace for agents, who cannot read the settings.
"""

import functools
import zoneinfo
from datetime import tzinfo

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from accounts import vault
from accounts.models import User, WorkspaceZone

UTC_NAME = "UTC"


@functools.cache
def iana_timezones() -> tuple[str, ...]:
    # zoneinfo also lists a few files of the database that are not zones.
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"}))


def zone_named(name: str) -> tzinfo | None:
    """The zone of an IANA name, or None for a blank or unknown one (a platform may send any
    text; a stale preference may name a zone the database dropped)."""
    if not name or name not in iana_timezones():
        return None
    return zoneinfo.ZoneInfo(name)  # cached by zoneinfo itself: one object per name


def zone_for(user: User | None, session: SessionBase) -> tzinfo | None:
    """The zone of this viewer's pages: their own choice, else the workspace's; None for UTC."""
    if user is not None and user.time_zone:
        if (own := zone_named(user.time_zone)) is not None:
            return own
    return zone_named(vault.workspace_zone(session))


def remember_workspace_zone(session: SessionBase, tenant_id: str, name: str) -> None:
    """The workspace's zone as just read from the platform: for this session, and for the
    sessions of its agents to come."""
    if zone_named(name) is None or vault.workspace_zone(session) == name:
        return  # unknown, or already known: no write on every revalidation
    vault.remember_workspace_zone(session, name)
    if tenant_id:
        WorkspaceZone.objects.update_or_create(
            tenant_id=tenant_id, defaults={"time_zone": name, "updated_at": timezone.now()}
        )


def known_workspace_zone(tenant_id: str) -> str:
    """The zone last read for this workspace ("" if none was): what an agent's sign-in uses."""
    row = WorkspaceZone.objects.filter(tenant_id=tenant_id).values_list("time_zone", flat=True)
    return row.first() or ""
