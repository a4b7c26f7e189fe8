"""Writing audit events: `record()` for one event, `recording()` around a change that may fail.

Every view that changes something (here or on the platform) writes exactly one event:

    with recording(request, "workspace.update", target=Target("workspace", ws.id, ws.name)) as ev:
        ev.changes = {"timezone": ["UTC", "Europe/Berlin"]}
        client.tenant.update_workspace(timezone="Europe/Berlin")

Client IP: the event stores `REMOTE_ADDR`. Behind reverse proxies, REMOTE_ADDR is the nearest
proxy; set `AUDIT_TRUSTED_PROXIES` (Django setting, default 0) to the number of proxies in front
of the console and the client address is taken from `X-Forwarded-For`, counting that many hops
from the right (the hops a client cannot forge). Never trust the header without such a setting.
"""

import ipaddress
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from dashboard.platforms.errors import PlatformError

if TYPE_CHECKING:
    from dashboard.audit.models import AuditEvent

USER_AGENT_MAX = 256
LABEL_MAX = 255
ID_MAX = 128
ERROR_MAX = 2000
REDACTED = "[redacted]"
# Field names whose values must never be stored, whatever a caller passes in `changes`.
_SECRET_NAME = re.compile(r"pass(word)?|secret|token|api_?key|plain_?key|credential", re.I)


@dataclass(frozen=True)
class Target:
    """What an event is about: a type ("workspace", "invitation"...), its id, a readable label."""

    type: str
    id: str = ""
    label: str = ""


@dataclass
class PendingEvent:
    """The event `recording()` is about to write; the block fills in what it learns."""

    target: Target | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    outcome: str = "success"
    error: str = ""

    def fail(self, error: str) -> None:
        """Record a failure on normal exit (a refusal that is not an exception)."""
        self.outcome = "failure"
        self.error = error


def record(
    request: HttpRequest | None,
    action: str,
    *,
    target: Target | None = None,
    changes: Mapping[str, Any] | None = None,
    outcome: str = "success",
    error: str = "",
    actor_email: str = "",
    actor: Any = None,
    tenant_id: str = "",
) -> "AuditEvent":
    """Write one event. The actor is the request's user unless given (anonymous: pass the email)."""
    # Imported here: dashboard.audit re-exports this module and is imported before models load.
    from dashboard.audit.models import AuditEvent

    user = actor if actor is not None else _signed_in_user(request)
    target = target or Target("")
    return AuditEvent.objects.create(
        tenant_id=tenant_id or str(getattr(user, "tenant_id", "") or ""),
        actor=user,
        actor_email=(actor_email or getattr(user, "email", "") or "")[:254],
        action=action,
        target_type=target.type[:64],
        target_id=str(target.id)[:ID_MAX],
        target_label=str(target.label)[:LABEL_MAX],
        changes=redact_changes(changes or {}),
        outcome=outcome,
        error=error[:ERROR_MAX],
        ip=client_ip(request),
        user_agent=_user_agent(request),
    )


@contextmanager
def recording(
    request: HttpRequest, action: str, *, target: Target | None = None
) -> Iterator[PendingEvent]:
    """Record success when the block ends normally, failure (then re-raise) when it raises."""
    pending = PendingEvent(target=target)
    try:
        yield pending
    except Exception as exc:
        record(
            request,
            action,
            target=pending.target,
            changes=pending.changes,
            outcome="failure",
            error=readable_error(exc),
        )
        raise
    record(
        request,
        action,
        target=pending.target,
        changes=pending.changes,
        outcome=pending.outcome,
        error=pending.error,
    )


def readable_error(exc: Exception) -> str:
    """A platform error's own message (written for managers), in English whoever acted (the log
    is read by every manager, each in their own language); only the class name otherwise, since
    an arbitrary exception's text may carry anything, secrets included."""
    if isinstance(exc, PlatformError):
        with translation.override("en"):
            return str(exc)
    return f"Unexpected error ({type(exc).__name__})"


def redact_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """{field: [before, after]} with the values of secret-looking fields replaced."""
    return {
        str(name): [REDACTED, REDACTED] if _SECRET_NAME.search(str(name)) else _pair(value)
        for name, value in changes.items()
    }


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    hops = int(getattr(settings, "AUDIT_TRUSTED_PROXIES", 0) or 0)
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _pair(value: Any) -> list[Any]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return list(value)
    return [None, value]


def _signed_in_user(request: HttpRequest | None) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]
