"""The per-manager invitation limit, counted from the audit log, and the one-at-a-time slot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from dashboard.agents.models import InviteInFlight
from dashboard.agents.quota import (
    STALE_AFTER,
    InviteInProgress,
    next_invite_allowed_at,
    recent_invitations,
    sending_slot,
)
from dashboard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return User.objects.create_user("usr_m", "boss@example.com", role="CUSTOMER", tenant_id="t")


@pytest.fixture
def colleague():
    return User.objects.create_user("usr_c", "co@example.com", role="CUSTOMER", tenant_id="t")


def invited(user, *, minutes_ago=1, outcome="success", action="agent.invite"):
    return AuditEvent.objects.create(
        actor=user,
        actor_email=user.email,
        action=action,
        outcome=outcome,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_only_this_managers_successful_invitations_of_the_last_hour_count(manager, colleague):
    invited(manager, minutes_ago=5)
    invited(manager, minutes_ago=61)
    invited(manager, outcome="failure")
    invited(manager, action="workspace.update")
    invited(colleague)

    assert len(recent_invitations(manager)) == 1


def test_under_the_limit_inviting_is_allowed(manager, settings):
    settings.INVITES_PER_HOUR = 3
    invited(manager)
    invited(manager)

    assert next_invite_allowed_at(manager) is None


def test_at_the_limit_the_next_invitation_waits_for_the_oldest_to_leave_the_hour(manager, settings):
    settings.INVITES_PER_HOUR = 3
    oldest = invited(manager, minutes_ago=50)
    invited(manager, minutes_ago=20)
    invited(manager, minutes_ago=10)

    assert next_invite_allowed_at(manager) == oldest.created_at + timedelta(hours=1)


def test_the_default_limit_is_fifty_an_hour(manager):
    for minutes in range(1, 50):
        invited(manager, minutes_ago=minutes)
    assert next_invite_allowed_at(manager) is None

    invited(manager, minutes_ago=55)
    assert next_invite_allowed_at(manager) is not None


def test_one_manager_sends_one_invitation_at_a_time(manager, colleague):
    with sending_slot(manager):
        with pytest.raises(InviteInProgress):
            with sending_slot(manager):
                pass
        with sending_slot(colleague):  # another manager is not held up
            pass
    with sending_slot(manager):  # released, even after the refusal
        pass
    assert not InviteInFlight.objects.exists()


def test_the_slot_is_released_when_the_send_fails(manager):
    with pytest.raises(RuntimeError):
        with sending_slot(manager):
            raise RuntimeError("boom")

    assert not InviteInFlight.objects.exists()


def test_a_slot_left_by_a_dead_process_is_taken_over(manager):
    InviteInFlight.objects.create(
        manager=manager, started_at=timezone.now() - STALE_AFTER - timedelta(seconds=1)
    )

    with sending_slot(manager):
        assert InviteInFlight.objects.get().started_at > timezone.now() - STALE_AFTER
