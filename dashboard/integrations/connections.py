"""Clients built from a workspace's integrations, and the "test connection" checks.

Job runners build them once per run; no retries inside the clients (the job engine decides
about waits), which is why they come with `max_retries=0`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext

from dashboard.integrations.models import Integration
from dashboard.jobs.outcomes import PausesJob
from dashboard.platforms.connectiveone import (
    ApiKeyAuth,
    ConnectiveOneClient,
    ExternalTokenAuth,
)
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformError, PlatformUnauthorized
from dashboard.platforms.naxon import NaxonClient

API_KEY, LOGIN, TOKEN = "api_key", "login", "token"
AUTH_MODES = (
    (API_KEY, gettext_lazy("API key (Authorization: API-Key)")),
    (LOGIN, gettext_lazy("Operator login (Bearer JWT)")),
    (TOKEN, gettext_lazy("External token (x-auth-token)")),
)


class NotConfigured(PlatformError, PausesJob):
    """The integration is missing or incomplete: set it up on the integrations page (a job that
    meets this pauses, and says so)."""

    title = gettext_noop("The integration is not set up")
    own_message = True

    def detail(self) -> str:
        """Raised with a gettext_noop text: kept in English for logs and jobs, shown translated."""
        return gettext(self.message) if self.message else ""


def integration_for(tenant_id: str, kind: str) -> Integration | None:
    return Integration.objects.filter(tenant_id=tenant_id, kind=kind).first()


def sender_client(integration: Integration | None) -> ConnextliveClient:
    """Connextlive as the configured sender agent (signs in now)."""
    if integration is None or not integration.has_secret("password"):
        raise NotConfigured(gettext_noop("no sender agent is configured"))
    client = ConnextliveClient.from_settings().with_options(max_retries=0)
    login = client.login(integration.setting("email", ""), integration.secrets()["password"])
    return client.with_token(login.token)


def connectiveone_client(integration: Integration | None) -> ConnectiveOneClient:
    if integration is None or not integration.setting("base_url"):
        raise NotConfigured(gettext_noop("ConnectiveOne is not configured"))
    base_url, mode = integration.setting("base_url"), integration.setting("auth_mode", API_KEY)
    secrets = integration.secrets()
    if mode == LOGIN and secrets.get("password"):
        client = ConnectiveOneClient.signed_in(
            base_url, integration.setting("email", ""), secrets["password"]
        )
    elif mode == TOKEN and secrets.get("token"):
        client = ConnectiveOneClient(base_url, ExternalTokenAuth(secrets["token"]))
    elif mode == API_KEY and secrets.get("api_key"):
        client = ConnectiveOneClient(base_url, ApiKeyAuth(secrets["api_key"]))
    else:
        raise NotConfigured(gettext_noop("ConnectiveOne's credential is missing"))
    return client.with_options(max_retries=0)


def allowed_connectiveone_hosts() -> list[str]:
    """ConnectiveOne instances live at engine-<instance>.connectiveone.io (or the legacy
    kwizbot.io); besides those, only hosts named in CONNECTIVEONE_ALLOWED_HOSTS, which defaults
    to the platform's own host (the sandbox, in development). The server calls whatever URL is
    saved here, so it is not left open (SSRF)."""
    extra = getattr(settings, "CONNECTIVEONE_ALLOWED_HOSTS", None)
    if extra is None:
        extra = [urlsplit(settings.PLATFORM_URL).hostname or ""]
    return [host for host in extra if host]


def is_allowed_connectiveone_url(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    if parts.scheme == "https" and (
        host.endswith(".connectiveone.io") or host.endswith(".kwizbot.io")
    ):
        return host.startswith("engine-")
    return host in [h.lower() for h in allowed_connectiveone_hosts()]


def naxon_client(integration: Integration | None) -> NaxonClient:
    """The workspace's Naxon account, as saved on the integrations page."""
    if integration is None or not integration.setting("base_url"):
        raise NotConfigured(gettext_noop("Naxon AI is not set up"))
    token = integration.secrets().get("api_token")
    if not token:
        raise NotConfigured(gettext_noop("Naxon AI's API token is missing"))
    return NaxonClient(integration.setting("base_url"), token)


def allowed_naxon_hosts() -> list[str]:
    """The document names no host for Naxon's API, so none is trusted by default but the
    platform's own host (the sandbox, in development) and those named in NAXON_ALLOWED_HOSTS.
    The server calls whatever URL is saved here, so it is not left open (SSRF)."""
    extra = getattr(settings, "NAXON_ALLOWED_HOSTS", None)
    if not extra:
        extra = [urlsplit(settings.PLATFORM_URL).hostname or ""]
    return [host.lower() for host in extra if host]


def is_allowed_naxon_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port  # a malformed port raises
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return False
    if parts.query or parts.fragment or port == 0:
        return False
    return host in allowed_naxon_hosts()


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str  # in the reader's language: shown, and kept for the page
    logged: str = ""  # the same in English, for the audit log


def said(ok: bool, build: Callable[[], str]) -> CheckResult:
    """The outcome in the reader's language, and in English for the audit log (read by every
    manager, each in their own language)."""
    with translation.override("en"):
        logged = build()
    return CheckResult(ok, build(), logged)


def failed(error: PlatformError) -> CheckResult:
    return said(False, lambda: str(error))


def check_sender(integration: Integration | None, tenant_id: str) -> CheckResult:
    try:
        client = sender_client(integration)
        profile = client.agent.profile()
    except PlatformUnauthorized:
        return said(
            False, lambda: gettext("Connextlive refused the sender agent's email or password.")
        )
    except PlatformError as error:
        return failed(error)
    if profile.tenant_id and profile.tenant_id != tenant_id:
        return said(
            False,
            lambda: (
                gettext("%(email)s is an agent of another workspace.") % {"email": profile.email}
            ),
        )
    name = profile.name or profile.email
    return said(
        True,
        lambda: gettext("Signed in as %(name)s (%(role)s).") % {"name": name, "role": profile.role},
    )


def check_connectiveone(integration: Integration | None) -> CheckResult:
    try:
        page = connectiveone_client(integration).list_chat_rooms(limit=1)
    except PlatformUnauthorized:
        # Not "your platform sign-in": the manager's own session is fine; these credentials are not.
        return said(
            False, lambda: gettext("ConnectiveOne refused these credentials (401 Unauthorized).")
        )
    except PlatformError as error:
        return failed(error)
    return said(
        True,
        lambda: (
            ngettext(
                "Connected: the instance lists %(count)s chat.",
                "Connected: the instance lists %(count)s chats.",
                page.total,
            )
            % {"count": page.total}
        ),
    )


def check_naxon(integration: Integration | None) -> CheckResult:
    try:
        page = naxon_client(integration).with_options(max_retries=0).list_models(per_page=1)
    except PlatformUnauthorized:
        return said(False, lambda: gettext("Naxon AI refused the API token (401 Unauthorized)."))
    except PlatformError as error:
        return failed(error)
    return said(
        True,
        lambda: (
            ngettext(
                "Connected: the account has %(count)s model.",
                "Connected: the account has %(count)s models.",
                page.total_rows,
            )
            % {"count": page.total_rows}
        ),
    )


def remember_check(integration: Integration, result: CheckResult) -> None:
    integration.last_checked_at = timezone.now()
    integration.last_check_ok = result.ok
    integration.last_check_message = result.message[:300]
    integration.save(update_fields=["last_checked_at", "last_check_ok", "last_check_message"])
