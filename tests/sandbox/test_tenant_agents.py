"""Tenant — Agents: the list with CSAT scores and invitations, and inviting."""

from datetime import datetime, timedelta

import pytest

from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL, OTHER_AGENT_EMAIL, Sandbox
from tests.sandbox.helpers import field_errors, ok

DAY = 24 * 3600


def _agents(sandbox: Sandbox, token: str) -> dict:
    return ok(sandbox.api("GET", "/api/tenant/agents", token))


def _invite(sandbox: Sandbox, token: str, **body: object):
    return sandbox.api("POST", "/api/tenant/agents", token, json=body)


def test_the_list_has_the_agents_with_csat_scores(sandbox: Sandbox, manager: str) -> None:
    agents = _agents(sandbox, manager)["agents"]

    assert len(agents) >= 5
    assert {agent["role"] for agent in agents} == {"AGENT"}
    assert AGENT_EMAIL in {agent["email"] for agent in agents}
    assert MANAGER_EMAIL not in {agent["email"] for agent in agents}
    scores = [agent["csatScore"] for agent in agents if agent["csatScore"] is not None]
    assert len(scores) >= 4 and all(0 <= score <= 5 for score in scores)
    assert {agent["status"] for agent in agents} <= {"ONLINE", "AWAY", "OFFLINE"}


def test_invitations_are_pending_or_expired_by_the_clock(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    invitations = _agents(platform, manager)["invitations"]
    statuses = {invitation["email"]: invitation["status"] for invitation in invitations}
    assert set(statuses.values()) == {"PENDING", "EXPIRED"}
    for invitation in invitations:
        invited = datetime.fromisoformat(invitation["invitedAt"])
        assert datetime.fromisoformat(invitation["expiresAt"]) - invited == timedelta(days=7)

    platform.set_clock(8 * DAY)

    # (a token from before the move would have expired too)
    manager = platform.login(MANAGER_EMAIL)
    assert {i["status"] for i in _agents(platform, manager)["invitations"]} == {"EXPIRED"}


def test_invite_records_a_pending_invitation_and_an_email(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)

    invitation = ok(_invite(platform, manager, name="Bob Stone", email="Bob.Stone@Example.com"))

    assert invitation["status"] == "PENDING"
    assert invitation["email"] == "bob.stone@example.com"
    assert invitation["name"] == "Bob Stone"
    assert invitation in _agents(platform, manager)["invitations"]
    [email] = platform.outbox()
    assert email["to"] == "bob.stone@example.com"
    assert email["kind"] == "agent-invitation"
    assert "Acme Support" in email["subject"]


def test_an_invitation_expires_after_seven_days(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    ok(_invite(platform, manager, name="Ann Lee", email="ann@example.com"))

    platform.set_clock(7 * DAY - 60)
    mine = [i for i in _agents(platform, manager)["invitations"] if i["email"] == "ann@example.com"]
    assert mine[0]["status"] == "PENDING"
    platform.set_clock(7 * DAY + 60)
    manager = platform.login(MANAGER_EMAIL)
    mine = [i for i in _agents(platform, manager)["invitations"] if i["email"] == "ann@example.com"]
    assert mine[0]["status"] == "EXPIRED"


def test_inviting_an_agent_or_a_pending_invitee_again_is_refused(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    pending = next(i for i in _agents(platform, manager)["invitations"] if i["status"] == "PENDING")

    for email in [AGENT_EMAIL, AGENT_EMAIL.upper(), pending["email"], MANAGER_EMAIL]:
        assert list(field_errors(_invite(platform, manager, name="X", email=email))) == ["email"]
    assert platform.outbox() == []


def test_an_expired_invitation_can_be_sent_again(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    expired = next(i for i in _agents(platform, manager)["invitations"] if i["status"] == "EXPIRED")

    renewed = ok(_invite(platform, manager, name=expired["name"], email=expired["email"]))

    assert renewed["status"] == "PENDING"
    same_email = [
        i for i in _agents(platform, manager)["invitations"] if i["email"] == expired["email"]
    ]
    assert same_email == [renewed]


def test_an_agent_of_another_workspace_may_be_invited(platform: Sandbox) -> None:
    manager = platform.login(MANAGER_EMAIL)
    ok(_invite(platform, manager, name="Gabriel", email=OTHER_AGENT_EMAIL))


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"name", "email"}),
        ({"name": "Bob"}, {"email"}),
        ({"email": "bob@example.com"}, {"name"}),
        ({"name": "   ", "email": "bob@example.com"}, {"name"}),
        ({"name": "Bob", "email": "bob@"}, {"email"}),
        ({"name": "Bob", "email": "bob example.com"}, {"email"}),
        ({"name": 1, "email": ["bob@example.com"]}, {"name", "email"}),
        ({"name": "x" * 101, "email": "bob@example.com"}, {"name"}),
    ],
)
def test_invite_validates_name_and_email(platform: Sandbox, body: dict, fields: set) -> None:
    manager = platform.login(MANAGER_EMAIL)
    assert set(field_errors(_invite(platform, manager, **body))) == fields
