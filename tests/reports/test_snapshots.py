"""CSAT over time: the hourly beat task keeps one snapshot of the agents list per day of the
workspace's zone, with the sign-in of its latest manager; a refused sign-in is forgotten."""

import pytest

from dashboard.reports.models import AgentSnapshot, SnapshotSignIn
from dashboard.reports.snapshots import local_today
from dashboard.reports.tasks import snapshot_agents
from tests.accounts.helpers import platform_as
from tests.fixtures.sandbox import MANAGER_EMAIL

pytestmark = pytest.mark.django_db


def test_a_managers_sign_in_lets_the_task_snapshot_the_agents_once_a_day(manager_client, platform):
    roster = platform_as(platform, MANAGER_EMAIL).tenant.list_agents().agents
    assert SnapshotSignIn.objects.count() == 1

    written = snapshot_agents()
    again = snapshot_agents()

    assert (written, again) == (len(roster), 0)
    day = local_today("America/New_York")  # the demo workspace's zone
    snapshots = {s.agent_id: s for s in AgentSnapshot.objects.filter(day=day)}
    assert {a.id: a.csat_score for a in roster} == {
        agent_id: s.csat_score for agent_id, s in snapshots.items()
    }


def test_the_snapshots_draw_the_csat_chart_and_table(manager_client, platform):
    snapshot_agents()

    page = manager_client.get("/reports/?range=today").content.decode()

    assert 'id="chart-csat"' in page and 'id="table-csat"' in page
    assert "Priya Patel" in page


def test_a_revoked_sign_in_is_forgotten(manager_client, platform):
    platform.revoke_tokens(MANAGER_EMAIL)

    assert snapshot_agents() == 0
    assert not SnapshotSignIn.objects.exists()


def test_an_agents_sign_in_is_not_kept(agent_client):
    assert not SnapshotSignIn.objects.exists()


def test_the_sealed_token_is_not_the_token(manager_client):
    from accounts import vault

    kept = SnapshotSignIn.objects.get()
    assert vault.read_token(manager_client.session) not in kept.sealed_token
    assert vault.unseal(kept.sealed_token) == vault.read_token(manager_client.session)
