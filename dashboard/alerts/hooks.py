"""A workspace's webhook URL for Naxon's keyword notifications: made, shown, rotated, looked up.

The secret is 256 random bits in the path. Rotating makes a new URL at once; the old one keeps
working for the overlap the manager chose (Naxon may still be sending to it until its settings
are changed), then answers 404 like any unknown secret.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from accounts.vault import seal, unseal
from dashboard.alerts.models import AlertHook, RejectedDelivery, secret_digest

# The overlaps a manager may choose when rotating (as for widget keys); the labels in English
# (the audit log keeps them so), translated where they are shown.
OVERLAPS = {
    "now": (gettext_noop("Now (no overlap)"), timedelta(0)),
    "1h": (gettext_noop("1 hour"), timedelta(hours=1)),
    "24h": (gettext_noop("24 hours"), timedelta(hours=24)),
    "7d": (gettext_noop("7 days"), timedelta(days=7)),
}
DEFAULT_OVERLAP = "24h"


@dataclass(frozen=True)
class ShownHook:
    url: str
    created_at: datetime
    expires_at: datetime | None


def tenant_of_secret(secret: str, now: datetime | None = None) -> str | None:
    """The workspace whose URL has this secret, if it still works. Plain SQL on the unique
    index: every delivery asks, and a queryset's building and compiling would cost several
    times the lookup itself (bench/README.md, bench_naxon.py)."""
    if not secret or len(secret) > 200:
        return None
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_TENANT_OF_SECRET, [secret_digest(secret), _db_time(now)])
        row = cursor.fetchone()
    return row[0] if row else None


def _db_time(moment: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


_HOOKS = AlertHook._meta.db_table
_TENANT_OF_SECRET = (
    f"SELECT tenant_id FROM {_HOOKS} WHERE secret_hash = %s"  # noqa: S608 - names are ours
    " AND (expires_at IS NULL OR expires_at > %s)"
)


def hook_path(secret: str) -> str:
    return reverse("hooks:naxon", args=[secret])


def working_hooks(tenant_id: str, now: datetime | None = None) -> list[AlertHook]:
    """The current URL first, then the rotated-out ones still in their overlap."""
    now = now or timezone.now()
    hooks = AlertHook.objects.filter(tenant_id=tenant_id).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    return sorted(
        hooks, key=lambda hook: (hook.expires_at is not None, -hook.created_at.timestamp())
    )


def rotate(tenant_id: str, user: User, overlap: timedelta) -> AlertHook:
    """A new current URL; the previous current one (if any) works for `overlap` more, and any
    older one still overlapping keeps its own end (or this one's, if that comes sooner)."""
    now = timezone.now()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        AlertHook.objects.filter(tenant_id=tenant_id, expires_at__isnull=True).update(
            expires_at=now + overlap
        )
        AlertHook.objects.filter(tenant_id=tenant_id, expires_at__gt=now + overlap).update(
            expires_at=now + overlap
        )
        hook = AlertHook.objects.create(
            tenant_id=tenant_id,
            secret_hash=secret_digest(secret),
            sealed_secret=seal(secret),
            created_at=now,
            created_by=user,
        )
    return hook


def alert_hook_context(request: HttpRequest) -> dict[str, object]:
    """What the integrations page shows of the keyword webhook."""
    tenant_id = request.user.tenant_id  # type: ignore[union-attr]
    shown = [
        ShownHook(
            request.build_absolute_uri(hook_path(unseal(hook.sealed_secret))),
            hook.created_at,
            hook.expires_at,
        )
        for hook in working_hooks(tenant_id)
    ]
    current = shown[0] if shown and shown[0].expires_at is None else None
    return {
        "alert_hook": current,
        "old_alert_hooks": [hook for hook in shown if hook is not current],
        "hook_overlaps": [(key, gettext(label)) for key, (label, _) in OVERLAPS.items()],
        "default_overlap": DEFAULT_OVERLAP,
        "rejected_count": RejectedDelivery.objects.filter(tenant_id=tenant_id).count(),
    }
