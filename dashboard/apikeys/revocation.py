"""Revoking the old key of a rotation: claimed atomically, retried, never lost.

The beat task (`tasks.revoke_due_keys`) and the "revoke now" button share this code. A row is
claimed by a conditional UPDATE that must touch exactly one row, so two workers (or a worker and
a manager) never talk to the platform about the same rotation at once. The claim is a lease: if
the process dies mid-call, the row is due again when the lease ends. Every function takes `now`
so the tests can travel in time without patching the clock.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_noop

from dashboard import audit
from dashboard.apikeys import sealing
from dashboard.apikeys.models import KeyRotation
from dashboard.audit.log import readable_error
from dashboard.platforms.errors import (
    PlatformError,
    PlatformNotFound,
    PlatformRateLimited,
    PlatformUnauthorized,
    PlatformUnavailable,
)

logger = logging.getLogger(__name__)

State = KeyRotation.State

# Longer than one platform call with its retries (connect 3 s + read 10 s, three attempts).
CLAIM_LEASE = timedelta(minutes=2)
RETRY_FIRST = timedelta(seconds=30)  # one beat tick
RETRY_CAP = timedelta(minutes=10)
BATCH_SIZE = 50

# Stored in English on the rotation; said in the reader's language where shown (stored_text).
GONE_NOTE = gettext_noop("The key was already gone from the platform; nothing was left to revoke.")
TOKEN_EXPIRED = gettext_noop(
    "The stored sign-in expired before the window ended, so the revocation could not run on its "
    "own. Revoke the old key now."
)
TOKEN_REFUSED = gettext_noop(
    "The platform refused the stored sign-in (expired or revoked), so the revocation could not "
    "run on its own. Revoke the old key now."
)
TOKEN_UNREADABLE = gettext_noop(
    "The stored sign-in could not be read (the server's secret key changed?). Revoke the old key "
    "now."
)

REVOKED_BY_BUTTON = gettext_noop("Revoked from the key's own Revoke button.")

# The scheduled revocation's outcome, recorded as the rotating manager's (they scheduled it).
AUDIT_SCHEDULED_REVOKE = "apikey.scheduled_revoke"


@dataclass(frozen=True)
class Attempt:
    """What one attempt did, for the page's message and the tests."""

    rotation_id: int
    state: str
    error: str = ""
    note: str = ""

    @property
    def revoked(self) -> bool:
        return self.state == State.REVOKED


ClientFactory = Callable[[str], object]


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at 10 min: a long outage costs the platform little."""
    exponent = max(0, attempts - 1)
    return min(RETRY_FIRST * (2 ** min(exponent, 10)), RETRY_CAP)


def due_rotations(now: datetime) -> list[int]:
    ids = KeyRotation.objects.filter(state=State.SCHEDULED, next_attempt_at__lte=now)
    return list(ids.order_by("next_attempt_at").values_list("pk", flat=True)[:BATCH_SIZE])


def claim_due(rotation_id: int, now: datetime) -> bool:
    """Claim a due rotation for the beat task: exactly one claimer wins."""
    claimed = KeyRotation.objects.filter(
        pk=rotation_id, state=State.SCHEDULED, next_attempt_at__lte=now
    ).update(
        claimed_until=now + CLAIM_LEASE,
        next_attempt_at=now + CLAIM_LEASE,
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def claim_open(
    rotation_id: int,
    tenant_id: str,
    now: datetime,
    *,
    sealed_token: str,
    token_expires_at: datetime | None,
) -> bool:
    """Claim any open rotation of this tenant, due or not, for a manager's "revoke now".

    The manager's own (fresh) token replaces the stored one, so that if the platform fails now,
    the beat task retries with a sign-in that still works.
    """
    claimed = (
        KeyRotation.objects.filter(
            pk=rotation_id, tenant_id=tenant_id, state__in=KeyRotation.OPEN_STATES
        )
        .filter(_not_claimed(now))
        .update(
            state=State.SCHEDULED,
            claimed_until=now + CLAIM_LEASE,
            next_attempt_at=now + CLAIM_LEASE,
            attempts=F("attempts") + 1,
            sealed_token=sealed_token,
            token_expires_at=token_expires_at,
        )
    )
    return claimed == 1


def cancel(rotation_id: int, tenant_id: str, now: datetime, *, by_email: str) -> bool:
    """Keep the old key: only while nobody is revoking it at this very moment."""
    cancelled = (
        KeyRotation.objects.filter(
            pk=rotation_id, tenant_id=tenant_id, state__in=KeyRotation.OPEN_STATES
        )
        .filter(_not_claimed(now))
        .update(
            state=State.CANCELLED,
            claimed_until=None,
            sealed_token="",
            token_expires_at=None,
            closed_by_email=by_email,
        )
    )
    return cancelled == 1


def close_after_manual_revoke(
    old_key_id: str, tenant_id: str, now: datetime, *, by_email: str
) -> int:
    """The old key was revoked from its own row: its open rotation has nothing left to do."""
    return (
        KeyRotation.objects.filter(
            tenant_id=tenant_id, old_key_id=old_key_id, state__in=KeyRotation.OPEN_STATES
        )
        .filter(_not_claimed(now))
        .update(
            state=State.REVOKED,
            revoked_at=now,
            claimed_until=None,
            sealed_token="",
            token_expires_at=None,
            closed_by_email=by_email,
            note=REVOKED_BY_BUTTON,
        )
    )


def _not_claimed(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


def revoke_due_rotations(now: datetime, client_for_token: ClientFactory) -> list[Attempt]:
    """The beat task's body: claim each due rotation and try to revoke its old key.

    Each claim is stamped with `now` plus the time the batch has taken so far, so that a slow
    batch never holds a lease that has already run out in real time.
    """
    started = time.monotonic()
    attempts = []
    for rotation_id in due_rotations(now):
        at = now + timedelta(seconds=time.monotonic() - started)
        if claim_due(rotation_id, at):
            attempts.append(revoke_claimed(rotation_id, at, client_for_token=client_for_token))
    return attempts


def revoke_claimed(
    rotation_id: int,
    now: datetime,
    *,
    client_for_token: ClientFactory | None = None,
    client: object | None = None,
    by_email: str = "",
) -> Attempt:
    """Revoke the old key of a rotation this process has claimed, and record what happened.

    The beat task passes `client_for_token` (the stored token is unsealed here); a manager's
    "revoke now" passes their own `client`.
    """
    rotation = KeyRotation.objects.get(pk=rotation_id)
    if client is None:
        assert client_for_token is not None
        token_problem = stored_token_problem(rotation, now)
        if token_problem:
            return _finish(rotation, State.OVERDUE, now, error=token_problem)
        client = client_for_token(sealing.unseal(rotation.sealed_token))
    try:
        client.tenant.delete_api_key(rotation.old_key_id)  # type: ignore[attr-defined]
    except PlatformNotFound:
        return _finish(rotation, State.REVOKED, now, note=GONE_NOTE, by_email=by_email)
    except PlatformUnauthorized:
        if by_email:  # the manager's own sign-in ended: the row waits, the middleware signs out
            _release_for_retry(rotation, now, error=TOKEN_REFUSED)
            raise
        return _finish(rotation, State.OVERDUE, now, error=TOKEN_REFUSED)
    except (PlatformUnavailable, PlatformRateLimited) as error:
        return _release_for_retry(rotation, now, error=str(error), retry_after=error.retry_after)
    except PlatformError as error:
        return _finish(rotation, State.FAILED, now, error=str(error))
    except Exception as error:  # a bug must not stop the other rows: retry, and say so in logs
        logger.exception("Revoking the old key of rotation %s failed unexpectedly", rotation.pk)
        return _release_for_retry(rotation, now, error=readable_error(error))
    return _finish(rotation, State.REVOKED, now, by_email=by_email)


def stored_token_problem(rotation: KeyRotation, now: datetime) -> str:
    """Why the stored token cannot be used, or "" when it can."""
    if not rotation.sealed_token or rotation.token_expires_at is None:
        return TOKEN_EXPIRED
    if rotation.token_expires_at <= now:
        return TOKEN_EXPIRED
    if not sealing.can_unseal(rotation.sealed_token):
        return TOKEN_UNREADABLE
    return ""


def _finish(
    rotation: KeyRotation,
    state: str,
    now: datetime,
    *,
    error: str = "",
    note: str = "",
    by_email: str = "",
) -> Attempt:
    """End the claim in a state that needs no more automatic attempts."""
    with transaction.atomic():
        rotation.state = state
        rotation.claimed_until = None
        rotation.last_error = error
        rotation.note = note
        if state == State.REVOKED:
            rotation.revoked_at = now
            rotation.closed_by_email = by_email
        # An overdue or failed row waits for a manager, who brings their own sign-in.
        rotation.sealed_token = ""
        rotation.token_expires_at = None
        rotation.save()
        if not by_email:  # a manager's own action is audited by the view that ran it
            _audit_beat_outcome(rotation)
    return Attempt(rotation.pk, state, error=error, note=note)


def _release_for_retry(
    rotation: KeyRotation,
    now: datetime,
    *,
    error: str,
    retry_after: float | None = None,
) -> Attempt:
    """The platform failed for now: the next beat tick after the back-off tries again."""
    delay = retry_delay(rotation.attempts)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    rotation.claimed_until = None
    rotation.next_attempt_at = now + delay
    rotation.last_error = error
    rotation.save(update_fields=["claimed_until", "next_attempt_at", "last_error", "updated_at"])
    logger.warning(
        "Revoking the old key of rotation %s failed (attempt %s), retrying at %s: %s",
        rotation.pk,
        rotation.attempts,
        rotation.next_attempt_at.isoformat(),
        error,
    )
    return Attempt(rotation.pk, rotation.state, error=error)


def _audit_beat_outcome(rotation: KeyRotation) -> None:
    """Revoked, overdue or failed: each end of an automatic attempt is one event."""
    succeeded = rotation.state == State.REVOKED
    changes: dict[str, list[object]] = {"state": ["scheduled", rotation.state]}
    if rotation.note:
        changes["note"] = [None, rotation.note]
    audit.record(
        None,
        AUDIT_SCHEDULED_REVOKE,
        target=audit.Target("apikey", rotation.old_key_id, rotation.old_key_name),
        changes=changes,
        outcome="success" if succeeded else "failure",
        error=rotation.last_error,
        actor=rotation.created_by,
        actor_email=rotation.created_by_email,
        tenant_id=rotation.tenant_id,
    )
