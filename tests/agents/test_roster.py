"""Sorting the agents, invitation states and counts, and the duplicate check (no platform)."""

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.agents.forms import InviteForm, duplicate_reason
from dashboard.agents.roster import (
    counts,
    invitation_rows,
    sort_headers,
    sorted_agents,
    valid_sort,
)
from dashboard.platforms.connextlive_records import AgentRoster, Invitation, User

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

ANN = User(id="usr_1", name="Ann", email="ann@example.com", csat_score=4.2, status="ONLINE",
           created_at=NOW)  # fmt: skip
BOB = User(id="usr_2", name="bob", email="bob@example.com", csat_score=None, status="OFFLINE",
           created_at=NOW)  # fmt: skip
CEM = User(id="usr_3", name="Cem", email="cem@example.com", csat_score=4.9, status="AWAY",
           created_at=NOW)  # fmt: skip


def invitation(email, *, days_ago, status="PENDING"):
    invited = NOW - timedelta(days=days_ago)
    return Invitation(
        id=f"inv_{email}",
        name=email.split("@")[0],
        email=email,
        status=status,
        invited_at=invited,
        expires_at=invited + timedelta(days=7),
    )


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("name", ["Ann", "bob", "Cem"]),
        ("-name", ["Cem", "bob", "Ann"]),
        ("csat", ["Ann", "Cem", "bob"]),
        ("-csat", ["Cem", "Ann", "bob"]),  # no score yet: last either way
        ("status", ["Cem", "bob", "Ann"]),
    ],
)
def test_agents_sort_by_any_column(sort, names):
    assert [agent.name for agent in sorted_agents([BOB, CEM, ANN], sort)] == names


@pytest.mark.parametrize("garbage", [None, "", "password", "--csat", "csat;drop", "-"])
def test_an_unknown_sort_falls_back_to_the_name(garbage):
    assert valid_sort(garbage) == "name"


def test_a_header_toggles_its_direction():
    assert sort_headers("csat")["csat"].link == "-csat"
    assert sort_headers("csat")["csat"].aria_sort == "ascending"
    assert sort_headers("-csat")["csat"].link == "csat"
    assert sort_headers("-csat")["name"].aria_sort == "none"


def test_invitations_are_marked_expired_by_status_or_date_and_counted():
    soon = invitation("soon@example.com", days_ago=6)
    fresh = invitation("fresh@example.com", days_ago=1)
    by_status = invitation("old@example.com", days_ago=3, status="EXPIRED")
    by_date = invitation("late@example.com", days_ago=8)  # platform clock behind ours

    rows = invitation_rows([fresh, by_status, soon, by_date], now=NOW)

    assert [(row.invitation.email, row.expired) for row in rows] == [
        ("soon@example.com", False),
        ("fresh@example.com", False),
        ("old@example.com", True),
        ("late@example.com", True),
    ]
    assert counts(AgentRoster(agents=[ANN, BOB], invitations=[]), rows).__dict__ == {
        "agents": 2,
        "pending": 2,
        "expired": 2,
    }


def test_an_agent_a_pending_invitation_or_oneself_cannot_be_invited():
    roster = AgentRoster(
        agents=[ANN],
        invitations=[
            invitation("pending@example.com", days_ago=1),
            invitation("gone@example.com", days_ago=9, status="EXPIRED"),
        ],
    )

    assert "already an agent" in duplicate_reason("ANN@example.com", roster)
    assert "pending invitation" in duplicate_reason("pending@example.com", roster)
    assert "your own address" in duplicate_reason("me@example.com", roster, "Me@Example.com")
    assert duplicate_reason("gone@example.com", roster) is None  # expired: may be invited again
    assert duplicate_reason("new@example.com", roster) is None


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": "", "email": "a@example.com"}, {"name"}),
        ({"name": "Ann", "email": "not an email"}, {"email"}),
        ({"name": "x" * 101, "email": "a@example.com"}, {"name"}),
        ({"name": "Ann", "email": "a@" + "x" * 250 + ".com"}, {"email"}),
        ({}, {"name", "email"}),
    ],
)
def test_the_invite_form_refuses_bad_input(data, errors):
    form = InviteForm(data)

    assert not form.is_valid()
    assert set(form.errors) == errors


def test_the_invite_form_normalises_the_email():
    form = InviteForm({"name": "  Ann  ", "email": " Ann@Example.COM "})

    assert form.is_valid()
    assert form.cleaned_data == {"name": "Ann", "email": "ann@example.com"}


def test_one_row_per_person_their_latest_invitation():
    first = invitation("again@example.com", days_ago=9, status="EXPIRED")
    again = invitation("Again@Example.com", days_ago=0)
    other = invitation("other@example.com", days_ago=10, status="EXPIRED")

    rows = invitation_rows([first, other, again], now=NOW)

    assert [(row.invitation.email, row.expired) for row in rows] == [
        ("Again@Example.com", False),
        ("other@example.com", True),
    ]
    assert counts(AgentRoster(agents=[], invitations=[]), rows).__dict__ == {
        "agents": 0,
        "pending": 1,
        "expired": 1,
    }
    assert rows[0].just_sent and not rows[1].just_sent  # "just now", not "0 minutes ago"
