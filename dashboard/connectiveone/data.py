"""The workspace's ConnectiveOne instance as the pages read it: its client, and each call's
failure turned into a sentence for the page.

The client is the one the integrations page configured (dashboard.integrations.connections).
A refused credential is ConnectiveOne's answer about the integration, not about the user's
sign-in: it must not sign the user out (the middleware does that for Connextlive's 401), so
every ConnectiveOne failure, a 401 included, becomes the page's message here.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from dashboard.integrations.connections import NotConfigured, connectiveone_client, integration_for
from dashboard.integrations.models import Integration
from dashboard.platforms.connectiveone import ConnectiveOneClient
from dashboard.platforms.errors import PlatformError, PlatformUnauthorized

NOT_CONFIGURED = _(
    "ConnectiveOne is not connected: a manager can connect it on the Integrations page."
)
REFUSED = _(
    "ConnectiveOne refused the integration’s credential: a manager can check it on the "
    "Integrations page."
)


def client_for(tenant_id: str) -> ConnectiveOneClient:
    """The workspace's ConnectiveOne client (raises NotConfigured)."""
    return connectiveone_client(integration_for(tenant_id, Integration.Kind.CONNECTIVEONE))


def is_connected(tenant_id: str) -> bool:
    integration = integration_for(tenant_id, Integration.Kind.CONNECTIVEONE)
    return integration is not None and bool(integration.setting("base_url"))


def failure_message(error: PlatformError) -> str:
    if isinstance(error, NotConfigured):
        return str(NOT_CONFIGURED)
    if isinstance(error, PlatformUnauthorized):
        return str(REFUSED)
    return str(error)


def attempt[T](tenant_id: str, call: Callable[[ConnectiveOneClient], T]) -> tuple[T | None, str]:
    """`call` with the workspace's client: (its value, "") or (None, why it failed)."""
    try:
        return call(client_for(tenant_id)), ""
    except PlatformError as error:
        return None, failure_message(error)


# --- operators seen -----------------------------------------------------------------------------
# The API documents a users list but the console has no path for it, so the operator filter
# offers the operators its lists have shown so far (`include=operator`), remembered per workspace.

OPERATORS_KEY = "connectiveone:operators:{tenant_id}"
OPERATORS_TTL = 7 * 24 * 3600
MAX_OPERATORS = 500


def remember_operators(tenant_id: str, seen: dict[int, str]) -> list[tuple[str, str]]:
    """The operators known for this workspace, `seen` added, as (id, name) select options."""
    key = OPERATORS_KEY.format(tenant_id=tenant_id)
    known: dict[int, str] = cache.get(key) or {}
    if any(known.get(operator_id) != name for operator_id, name in seen.items()):
        known = {**known, **seen}
        if len(known) <= MAX_OPERATORS:
            cache.set(key, known, OPERATORS_TTL)
    return [(str(i), name) for i, name in sorted(known.items(), key=lambda item: item[1].lower())]
