"""CSAT over time: no platform list gives it, so the console keeps a daily snapshot of the agents
list (each agent's CSAT score), dated by the workspace's own day.

Taken by the hourly beat task (tasks.py) with the sign-in of the workspace's latest manager
(`SnapshotSignIn`, kept sealed from each manager's sign-in until the token expires or the
platform refuses it), and by every report a manager computes. The first reading of a day stays.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from accounts import vault
from accounts.zones import zone_named
from dashboard.reports.models import AgentSnapshot, SnapshotSignIn

# A token without a stated expiry is kept as long as Connextlive's last (7 days, seeds/003).
TOKEN_LIFETIME = timedelta(days=7)


def local_today(zone_name: str) -> Any:
    zone = zone_named(zone_name) or UTC
    return timezone.now().astimezone(zone).date()


def record_snapshot(tenant_id: str, zone_name: str, agents: Iterable[Any]) -> int:
    """Today's CSAT of each agent (today in the workspace's zone); returns how many were new."""
    day = local_today(zone_name)
    rows = [
        AgentSnapshot(
            tenant_id=tenant_id,
            day=day,
            agent_id=agent.id,
            agent_name=agent.name or agent.email or agent.id,
            csat_score=agent.csat_score,
        )
        for agent in agents
    ]
    return len(AgentSnapshot.objects.bulk_create(rows, ignore_conflicts=True))


@receiver(user_logged_in, dispatch_uid="reports.keep_snapshot_sign_in")
def keep_snapshot_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A manager signed in: their token (sealed) serves the daily snapshot from now on."""
    login = getattr(user, "platform_login", None)
    if login is None or not getattr(user, "is_manager", False) or not user.tenant_id:
        return
    expires_at = login.expires_at or (timezone.now() + TOKEN_LIFETIME)
    if timezone.is_naive(expires_at):
        expires_at = expires_at.replace(tzinfo=UTC)
    SnapshotSignIn.objects.update_or_create(
        tenant_id=user.tenant_id,
        defaults={
            "user": user,
            "sealed_token": vault.seal(login.token),
            "expires_at": expires_at,
            "updated_at": timezone.now(),
        },
    )


def due_sign_ins(now: datetime | None = None) -> list[SnapshotSignIn]:
    """The workspaces a snapshot can be taken for; expired sign-ins are deleted on the way."""
    now = now or timezone.now()
    SnapshotSignIn.objects.filter(expires_at__lte=now).delete()
    return list(SnapshotSignIn.objects.all())
