"""The reports app's periodic task: the daily snapshot of each workspace's agents (snapshots.py).

Beat sends it hourly (schedule.py). For each workspace with a manager's sign-in kept, it reads
the workspace (its zone says which day it is there) and, once per such day, the agents list.
A refused sign-in is forgotten; any other failure waits for the next hour.
"""

import logging

from celery import shared_task

from accounts import vault
from accounts.directory import remember_agents
from dashboard.platforms.connextlive import ConnextliveClient
from dashboard.platforms.errors import PlatformError, PlatformForbidden, PlatformUnauthorized
from dashboard.reports.models import AgentSnapshot, SnapshotSignIn
from dashboard.reports.schedule import SNAPSHOT_AGENTS
from dashboard.reports.snapshots import due_sign_ins, local_today, record_snapshot

logger = logging.getLogger(__name__)


@shared_task(name=SNAPSHOT_AGENTS, ignore_result=True)
def snapshot_agents() -> int:
    """Returns how many agents' snapshots were written."""
    written = 0
    for sign_in in due_sign_ins():
        try:
            written += snapshot_workspace(sign_in)
        except (PlatformUnauthorized, PlatformForbidden):
            logger.info("reports: the kept sign-in of %s was refused; forgotten", sign_in.pk)
            SnapshotSignIn.objects.filter(pk=sign_in.pk, updated_at=sign_in.updated_at).delete()
        except PlatformError as error:
            logger.warning("reports: no agents snapshot of %s this hour: %r", sign_in.pk, error)
    return written


def snapshot_workspace(sign_in: SnapshotSignIn) -> int:
    try:
        token = vault.unseal(sign_in.sealed_token)
    except Exception:  # InvalidToken after a SECRET_KEY change: the next sign-in replaces it
        raise PlatformUnauthorized("the kept sign-in can no longer be opened") from None
    client = ConnextliveClient.from_settings(token)
    zone_name = client.tenant.get_workspace().timezone
    today = local_today(zone_name)
    if AgentSnapshot.objects.filter(tenant_id=sign_in.tenant_id, day=today).exists():
        return 0
    agents = client.tenant.list_agents().agents
    remember_agents(sign_in.tenant_id, ((a.id, a.name or a.email) for a in agents))
    return record_snapshot(sign_in.tenant_id, zone_name, agents)
