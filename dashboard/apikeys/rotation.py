"""Rotating a key: the successor's name, its creation, and the schedule of the old key's end."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import User
from dashboard.apikeys import sealing
from dashboard.apikeys.forms import NAME_MAX_LENGTH
from dashboard.apikeys.models import KeyRotation
from dashboard.platforms.connextlive_records import ApiKey, CreatedApiKey

_ROTATED_SUFFIX = re.compile(r" \(rotated \d{4}-\d{2}-\d{2}\)$")


def successor_name(name: str, today: date) -> str:
    """“Shop” → “Shop (rotated 2026-11-21)”, within the platform's 100 characters; rotating a
    rotated key replaces the date instead of stacking suffixes."""
    base = _ROTATED_SUFFIX.sub("", name).rstrip()
    suffix = f" (rotated {today:%Y-%m-%d})"
    return base[: NAME_MAX_LENGTH - len(suffix)].rstrip() + suffix


@dataclass(frozen=True)
class Schedule:
    """Who rotates, with which sign-in, and when the old key must go."""

    user: User
    sealed_token: str
    token_expires_at: datetime | None
    now: datetime
    window: timedelta


def open_rotation_of(tenant_id: str, key_id: str) -> KeyRotation | None:
    return KeyRotation.objects.filter(
        tenant_id=tenant_id, old_key_id=key_id, state__in=KeyRotation.OPEN_STATES
    ).first()


def schedule_revocation(
    old_key: ApiKey, successor: CreatedApiKey, schedule: Schedule
) -> KeyRotation | None:
    """The rotation row, or None when another rotation of the same key won a race."""
    revoke_at = schedule.now + schedule.window
    try:
        with transaction.atomic():
            return KeyRotation.objects.create(
                tenant_id=schedule.user.tenant_id,
                old_key_id=old_key.id,
                old_key_name=old_key.name[:NAME_MAX_LENGTH],
                old_key_prefix=old_key.key_prefix[:32],
                old_key_domains=list(old_key.domains),
                successor_key_id=successor.key.id,
                successor_key_name=successor.key.name[:NAME_MAX_LENGTH],
                window_seconds=int(schedule.window.total_seconds()),
                revoke_at=revoke_at,
                next_attempt_at=revoke_at,
                created_by=schedule.user,
                created_by_email=schedule.user.email,
                created_at=schedule.now,
                sealed_token=schedule.sealed_token,
                token_expires_at=schedule.token_expires_at,
            )
    except IntegrityError:
        return None


def refresh_stored_tokens(tenant_id: str, session: SessionBase, now: datetime) -> int:
    """Give this tenant's waiting rotations the session's sign-in when it lives longer.

    A token lives 7 days and a window may too: without this, a 7-day window started a few
    minutes after signing in would end after its token and turn overdue. Any manager of the
    workspace opening the keys page keeps the schedule able to run on its own.
    """
    expires_at = sealing.session_token_expiry(session)
    if expires_at is None or expires_at <= now:
        return 0
    waiting = (
        KeyRotation.objects.filter(tenant_id=tenant_id, state=KeyRotation.State.SCHEDULED)
        .filter(Q(token_expires_at__lt=expires_at) | Q(token_expires_at__isnull=True))
        .exclude(claimed_until__gt=now)
    )
    if not waiting.exists():
        return 0  # the usual case: nothing to seal, nothing to write
    sealed, expires_at = sealing.sealed_session_token(session)
    if not sealed:
        return 0
    return waiting.update(sealed_token=sealed, token_expires_at=expires_at)
