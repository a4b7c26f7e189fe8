"""The per-manager invitation limit (INVITES_PER_HOUR, default 50 an hour): it protects the
platform and strangers' inboxes from a runaway script or a compromised session.

Counted from the audit log (successful `agent.invite` events of the last hour), so every process
agrees; `sending_slot()` lets a manager send one invitation at a time so the count cannot be
raced.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from dashboard.agents.models import InviteInFlight
from dashboard.audit.models import AuditEvent

INVITE_ACTION = "agent.invite"
WINDOW = timedelta(hours=1)
# Longer than any invitation call can take (connect + read timeouts; a POST is never retried).
STALE_AFTER = timedelta(minutes=2)


class InviteInProgress(Exception):
    """This manager is already sending an invitation (another tab, a double submit)."""


def hourly_limit() -> int:
    return int(getattr(settings, "INVITES_PER_HOUR", 50))


def recent_invitations(manager: User, now: datetime | None = None) -> list[datetime]:
    """When this manager's successful invitations of the last hour were sent, oldest first."""
    since = (now or timezone.now()) - WINDOW
    return list(
        AuditEvent.objects.filter(
            actor=manager,
            action=INVITE_ACTION,
            outcome=AuditEvent.Outcome.SUCCESS,
            created_at__gt=since,
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


def next_invite_allowed_at(manager: User) -> datetime | None:
    """None while under the limit; otherwise when the oldest counted invitation leaves the hour."""
    sent = recent_invitations(manager)
    over_by = len(sent) - hourly_limit()
    if over_by < 0:
        return None
    return sent[over_by] + WINDOW


@contextmanager
def sending_slot(manager: User) -> Iterator[None]:
    """Hold this manager's single sending slot for the block (InviteInProgress if taken)."""
    InviteInFlight.objects.filter(
        manager=manager, started_at__lt=timezone.now() - STALE_AFTER
    ).delete()
    try:
        with transaction.atomic():
            slot = InviteInFlight.objects.create(manager=manager)
    except IntegrityError:
        raise InviteInProgress from None
    try:
        yield
    finally:
        # Only our own row: had it gone stale, it may now be another request's.
        InviteInFlight.objects.filter(manager=manager, started_at=slot.started_at).delete()
