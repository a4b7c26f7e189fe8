"""The UChat (konversation Connect) bot and the LivePerson connector app of a workspace: their
clients, built from the integration, and their "test connection" checks.

- UChat: the partner's base URL (allow-listed: the server calls whatever is saved, so it is not
  left open to SSRF) and a bot token.
- LivePerson: the account id, the app's client id and secret; the Connector API's address is the
  deployment's (LIVEPERSON_URL), and webhooks come to `/hooks/liveperson/<hook id>/`, signed with
  a secret the console makes and shows once it is saved.

Job runners build the clients once per run without retries inside them (the job engine decides
about waits), as for the other integrations.
"""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from dashboard.integrations.connections import CheckResult, NotConfigured, failed, said
from dashboard.integrations.models import Integration, SealedConsumerTokens
from dashboard.platforms.errors import PlatformError, PlatformUnauthorized
from dashboard.platforms.liveperson import LivePersonClient
from dashboard.platforms.uchat import UChatClient

# UChat's own domain and its white labels' (konversation Connect): https only.
UCHAT_DOMAINS = (".uchat.com.au", ".konversation.io")


def allowed_uchat_hosts() -> list[str]:
    """Hosts besides UChat's domains: UCHAT_ALLOWED_HOSTS, by default the platform's own host (the
    sandbox, in development)."""
    extra = getattr(settings, "UCHAT_ALLOWED_HOSTS", None)
    if extra is None:
        extra = [urlsplit(settings.PLATFORM_URL).hostname or ""]
    return [host.lower() for host in extra if host]


def is_allowed_uchat_url(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return False
    if parts.scheme == "https" and (
        host.endswith(UCHAT_DOMAINS) or host in {d.lstrip(".") for d in UCHAT_DOMAINS}
    ):
        return True
    return host in allowed_uchat_hosts()


def liveperson_base_url() -> str:
    """Where the Connector API is: LIVEPERSON_URL, by default the sandbox's beside the platform."""
    configured = getattr(settings, "LIVEPERSON_URL", "")
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(settings.PLATFORM_URL)
    return f"{parts.scheme}://{parts.netloc}/liveperson"


def new_hook_id() -> str:
    return secrets.token_urlsafe(18)


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def uchat_client(integration: Integration | None) -> UChatClient:
    if integration is None or not integration.setting("base_url"):
        raise NotConfigured(gettext_noop("UChat is not configured"))
    token = integration.secrets().get("bot_token")
    if not token:
        raise NotConfigured(gettext_noop("UChat's bot token is missing"))
    return UChatClient(integration.setting("base_url"), token).with_options(max_retries=0)


def uchat_for(tenant_id: str) -> UChatClient:
    return uchat_client(
        Integration.objects.filter(tenant_id=tenant_id, kind=Integration.Kind.UCHAT).first()
    )


def liveperson_client(integration: Integration | None) -> LivePersonClient:
    if integration is None or not integration.setting("account_id"):
        raise NotConfigured(gettext_noop("LivePerson is not configured"))
    secret = integration.secrets().get("client_secret")
    if not secret:
        raise NotConfigured(gettext_noop("LivePerson's client secret is missing"))
    return LivePersonClient(
        liveperson_base_url(),
        integration.setting("account_id"),
        integration.setting("client_id", ""),
        secret,
        consumer_tokens=SealedConsumerTokens(),
    ).with_options(max_retries=0)


def check_uchat(integration: Integration | None) -> CheckResult:
    try:
        client = uchat_client(integration)
        flows = client.list_sub_flows(limit=1)
        subscribers = client.search_subscribers(limit=1)
    except PlatformUnauthorized:
        return said(False, lambda: gettext("UChat refused the bot token (401 Unauthorized)."))
    except PlatformError as error:
        return failed(error)
    # Two counts in one sentence: translations name them plural-neutrally ("subscribers: 400").
    counts = {"subscribers": subscribers.total, "flows": flows.total}
    return said(
        True,
        lambda: (
            gettext("Connected: the bot has %(subscribers)s subscribers and %(flows)s sub-flows.")
            % counts
        ),
    )


def check_liveperson(integration: Integration | None) -> CheckResult:
    """Asks for an AppJWT with the saved credentials, fresh (a kept one would prove nothing)."""
    try:
        client = liveperson_client(integration)
        client.renew_app_token()
    except PlatformUnauthorized:
        return said(
            False, lambda: gettext("LivePerson refused the client id or secret (401 Unauthorized).")
        )
    except PlatformError as error:
        return failed(error)
    account = client.account_id
    return said(
        True,
        lambda: (
            gettext("Connected: account %(account)s gave the app a token.") % {"account": account}
        ),
    )
