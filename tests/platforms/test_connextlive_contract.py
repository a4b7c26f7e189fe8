"""The Connextlive client against the running sandbox, over real HTTP, for every endpoint.

Each test checks a documented behaviour (seeds/003) or an agreed shape (sandbox/README.md)
through the client's typed records and errors. Data-changing tests use `platform`, which resets
the sandbox to its seed around the test.
"""

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.platforms.base import (
    ClientOptions,
    PlatformHttp,
    close_shared_clients,
    shared_http_client,
)
from dashboard.platforms.connextlive import ConnextliveClient, Upload
from dashboard.platforms.errors import (
    PlatformForbidden,
    PlatformNotFound,
    PlatformUnauthorized,
    PlatformValidationError,
)
from tests.fixtures.sandbox import (
    AGENT_EMAIL,
    DEMO_PASSWORD,
    MANAGER_EMAIL,
    OTHER_AGENT_EMAIL,
    OTHER_EMAIL,
)

SEVEN_DAYS = timedelta(days=7)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(sandbox, email: str | None = None) -> ConnextliveClient:
    """A client with plain default options (no Django settings), signed in as `email`."""
    token = sandbox.login(email) if email else None
    return ConnextliveClient(sandbox.connextlive_url, token, options=ClientOptions())


@pytest.fixture
def manager(platform) -> ConnextliveClient:
    return client_for(platform, MANAGER_EMAIL)


@pytest.fixture
def agent(platform) -> ConnextliveClient:
    return client_for(platform, AGENT_EMAIL)


@pytest.fixture
def other_manager(platform) -> ConnextliveClient:
    return client_for(platform, OTHER_EMAIL)


# --- sign-in ----------------------------------------------------------------------------------


def test_login_returns_a_token_valid_seven_days(platform):
    client = client_for(platform)

    login = client.login(MANAGER_EMAIL, DEMO_PASSWORD)

    assert login.user.email == MANAGER_EMAIL
    assert login.user.role == "CUSTOMER"
    assert abs(login.expires_at - (datetime.now(UTC) + SEVEN_DAYS)) < timedelta(minutes=1)
    assert client.with_token(login.token).tenant.get_workspace().id


def test_login_with_a_wrong_password_is_unauthorized(platform):
    with pytest.raises(PlatformUnauthorized) as caught:
        client_for(platform).login(MANAGER_EMAIL, "wrong-password")

    assert caught.value.message == "Invalid email or password"


def test_login_with_a_short_password_names_the_field(platform):
    with pytest.raises(PlatformValidationError) as caught:
        client_for(platform).login(MANAGER_EMAIL, "short")

    assert "password" in caught.value.field_errors


def test_calls_without_a_token_are_unauthorized(platform):
    with pytest.raises(PlatformUnauthorized) as caught:
        client_for(platform).tenant.get_workspace()

    assert caught.value.message == "Authorization token required"


def test_a_forged_token_is_unauthorized(platform):
    forged = ConnextliveClient(platform.connextlive_url, "eyJhbGciOiJIUzI1NiJ9.e30.forged")

    with pytest.raises(PlatformUnauthorized):
        forged.tenant.list_api_keys()


def test_a_revoked_token_is_unauthorized(manager, platform):
    manager.tenant.get_workspace()
    platform.revoke_tokens(MANAGER_EMAIL)

    with pytest.raises(PlatformUnauthorized):
        manager.tenant.get_workspace()


def test_a_token_expires_after_seven_days(manager, platform):
    platform.set_clock(SEVEN_DAYS.total_seconds() + 60)

    with pytest.raises(PlatformUnauthorized):
        manager.tenant.get_workspace()


# --- roles and isolation ----------------------------------------------------------------------


def test_an_agent_cannot_use_tenant_endpoints(agent):
    with pytest.raises(PlatformForbidden):
        agent.tenant.list_visitors()
    with pytest.raises(PlatformForbidden):
        agent.tenant.create_api_key("Nope", ["example.com"])


def test_a_manager_cannot_use_agent_endpoints(manager):
    with pytest.raises(PlatformForbidden):
        manager.agent.profile()
    with pytest.raises(PlatformForbidden):
        manager.agent.list_conversations()


def test_another_workspace_sees_none_of_ours(manager, other_manager):
    visitor = manager.tenant.list_visitors(limit=1).items[0]
    conversation = manager.tenant.list_conversations(limit=1).items[0]
    key = manager.tenant.create_api_key("Ours", ["ours.example"]).key

    with pytest.raises(PlatformNotFound):
        other_manager.tenant.get_visitor(visitor.id)
    with pytest.raises(PlatformNotFound):
        other_manager.tenant.update_visitor(visitor.id, notes="pwned")
    with pytest.raises(PlatformNotFound):
        other_manager.tenant.delete_visitor(visitor.id)
    with pytest.raises(PlatformNotFound):
        other_manager.tenant.get_conversation(conversation.id)
    with pytest.raises(PlatformNotFound):
        other_manager.tenant.resolve_conversation(conversation.id)
    with pytest.raises(PlatformNotFound):
        other_manager.tenant.delete_api_key(key.id)

    theirs = {v.id for v in other_manager.tenant.iter_visitors()}
    assert visitor.id not in theirs
    assert key.id not in {k.id for k in other_manager.tenant.list_api_keys()}
    assert manager.tenant.get_visitor(visitor.id).notes != "pwned"


def test_an_agent_of_another_workspace_sees_none_of_ours(manager, platform):
    outsider = client_for(platform, OTHER_AGENT_EMAIL)
    visitor = manager.tenant.list_visitors(limit=1).items[0]
    conversation = manager.tenant.list_conversations(limit=1).items[0]

    with pytest.raises(PlatformNotFound):
        outsider.agent.get_visitor(visitor.id)
    with pytest.raises(PlatformNotFound):
        outsider.agent.get_conversation(conversation.id)
    with pytest.raises(PlatformNotFound):
        outsider.agent.send_message(conversation.id, "hello from outside")


def test_unknown_ids_are_not_found_with_the_platform_message(manager):
    with pytest.raises(PlatformNotFound) as caught:
        manager.tenant.get_conversation("cnv_00000000000000000000000000")

    assert caught.value.message
    assert caught.value.status == 404


# --- workspace --------------------------------------------------------------------------------


def test_get_workspace(manager):
    workspace = manager.tenant.get_workspace()

    assert workspace.id.startswith("wsp_")
    assert workspace.language in {"en", "tr", "de", "es"}
    assert "notifications" in workspace.settings and "widget" in workspace.settings


def test_update_workspace_changes_only_given_keys_and_merges_settings(manager):
    before = manager.tenant.get_workspace()

    after = manager.tenant.update_workspace(
        company_name="Acme GmbH",
        timezone="Europe/Berlin",
        settings={
            "notifications": {"visitorSound": not before.settings["notifications"]["visitorSound"]}
        },
    )

    assert after.company_name == "Acme GmbH"
    assert after.timezone == "Europe/Berlin"
    assert after.name == before.name
    assert after.language == before.language
    assert after.settings["widget"] == before.settings["widget"]
    notifications = after.settings["notifications"]
    assert notifications["visitorSound"] is not before.settings["notifications"]["visitorSound"]
    assert notifications["agentSound"] == before.settings["notifications"]["agentSound"]
    assert manager.tenant.get_workspace() == after


@pytest.mark.parametrize(
    ("change", "field"),
    [({"language": "fr"}, "language"), ({"timezone": "Mars/Olympus"}, "timezone")],
)
def test_update_workspace_refuses_bad_values_with_field_errors(manager, change, field):
    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.update_workspace(**change)

    assert field in caught.value.field_errors


# --- visitors ---------------------------------------------------------------------------------


def test_list_visitors_pages_with_global_stats(manager):
    page = manager.tenant.list_visitors()

    assert page.page == 1 and page.limit == 25
    assert len(page.items) == min(25, page.total)
    assert page.total_pages == -(-page.total // 25)
    assert page.stats.total == page.total
    seen = [v.last_seen_at for v in page.items]
    assert seen == sorted(seen, reverse=True)


def test_visitor_limit_is_capped_at_100(manager):
    page = manager.tenant.list_visitors(limit=500)

    assert page.limit == 100
    assert len(page.items) == min(100, page.total)


@pytest.mark.parametrize(("page", "limit"), [(0, 25), (1, 0), (-1, 25)])
def test_visitor_paging_out_of_range_is_a_validation_error(manager, page, limit):
    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.list_visitors(page=page, limit=limit)

    assert set(caught.value.field_errors) & {"page", "limit"}


def test_iter_visitors_walks_every_page(manager):
    total = manager.tenant.list_visitors(limit=1).total

    visitors = list(manager.tenant.iter_visitors(page_size=7))

    assert len(visitors) == total
    assert len({v.id for v in visitors}) == total


def test_visitor_filters(manager):
    everyone = list(manager.tenant.iter_visitors())
    online = list(manager.tenant.iter_visitors(is_online=True))
    tagged = next(v for v in everyone if v.tags)
    with_site = next(v for v in everyone if v.site_id)

    assert len(online) == sum(v.is_online for v in everyone)
    assert all(v.is_online for v in online)
    by_tag = list(manager.tenant.iter_visitors(tags=[tagged.tags[0]]))
    assert tagged.id in {v.id for v in by_tag}
    assert all(tagged.tags[0] in v.tags for v in by_tag)
    by_site = list(manager.tenant.iter_visitors(site_id=with_site.site_id))
    assert all(v.site_id == with_site.site_id for v in by_site)
    assert manager.tenant.list_visitors(tags=["no-such-tag-anywhere"]).total == 0


def test_visitor_search_covers_name_email_and_city(manager):
    sample = next(v for v in manager.tenant.iter_visitors() if v.user_name and v.city)

    for needle in (sample.user_name, sample.city):
        found = {v.id for v in manager.tenant.iter_visitors(search=needle)}
        assert sample.id in found, needle


def test_get_and_update_a_visitor(manager):
    visitor = next(v for v in manager.tenant.iter_visitors() if v.tags)

    assert manager.tenant.get_visitor(visitor.id) == visitor
    noted = manager.tenant.update_visitor(visitor.id, notes="Called back on Monday")
    assert noted.notes == "Called back on Monday"
    assert noted.tags == visitor.tags, "fields not given are left alone"
    assert noted.user_name == visitor.user_name

    retagged = manager.tenant.update_visitor(visitor.id, tags=["enterprise"])
    assert retagged.tags == ["enterprise"], "tags replaces the whole array"


def test_update_visitor_refuses_a_bad_email(manager):
    visitor = manager.tenant.list_visitors(limit=1).items[0]

    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.update_visitor(visitor.id, user_email="not an email")

    assert "userEmail" in caught.value.field_errors


def test_delete_a_visitor(manager):
    visitor = manager.tenant.list_visitors(limit=1).items[0]
    total = manager.tenant.list_visitors(limit=1).total

    manager.tenant.delete_visitor(visitor.id)

    with pytest.raises(PlatformNotFound):
        manager.tenant.get_visitor(visitor.id)
    assert manager.tenant.list_visitors(limit=1).total == total - 1


# --- tenant conversations ---------------------------------------------------------------------


def test_list_conversations_with_unread_counts_and_agent_stats(manager):
    page = manager.tenant.list_conversations()
    roster = manager.tenant.list_agents()

    assert page.limit == 50 and page.offset == 0
    assert len(page.items) == min(50, page.total)
    updated = [c.updated_at for c in page.items]
    assert updated == sorted(updated, reverse=True)
    assert {s.agent_id for s in page.agent_stats} == {a.id for a in roster.agents}
    everything = list(manager.tenant.iter_conversations())
    assert sum(s.total for s in page.agent_stats) == sum(bool(c.agent_id) for c in everything)
    assert page.unread_total == sum(c.unread_count for c in everything) > 0


def test_iter_conversations_walks_every_page(manager):
    total = manager.tenant.list_conversations(limit=1).total

    conversations = list(manager.tenant.iter_conversations(page_size=4))

    assert len(conversations) == total
    assert len({c.id for c in conversations}) == total


def test_conversation_filters(manager):
    everything = list(manager.tenant.iter_conversations())
    for status in ("ACTIVE", "WAITING", "CLOSED"):
        matching = list(manager.tenant.iter_conversations(status=status))
        assert len(matching) == sum(c.status == status for c in everything)
        assert all(c.status == status for c in matching)
    assert manager.tenant.list_conversations(status="all").total == len(everything)

    assigned = next(c for c in everything if c.agent_id)
    mine = list(manager.tenant.iter_conversations(agent_id=assigned.agent_id))
    assert assigned.id in {c.id for c in mine}
    assert all(c.agent_id == assigned.agent_id for c in mine)


def test_an_unknown_conversation_status_is_a_validation_error(manager):
    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.list_conversations(status="PENDING")

    assert "status" in caught.value.field_errors


def test_get_conversation_has_the_full_visitor(manager):
    summary = manager.tenant.list_conversations(limit=1).items[0]

    detail = manager.tenant.get_conversation(summary.id)

    assert detail.id == summary.id
    assert detail.visitor.id == summary.visitor_id
    assert detail.workspace.id == manager.tenant.get_workspace().id
    assert len(detail.messages) == detail.message_count


def test_resolve_closes_and_adds_a_system_message(manager):
    open_one = next(manager.tenant.iter_conversations(status="WAITING"))

    resolved = manager.tenant.resolve_conversation(open_one.id)

    assert resolved.status == "CLOSED"
    assert resolved.closed_at is not None
    detail = manager.tenant.get_conversation(open_one.id)
    assert detail.messages[-1].sender_type == "SYSTEM"
    assert detail.message_count == open_one.message_count + 1


def test_set_status_has_no_resolve_side_effects(manager):
    active = next(manager.tenant.iter_conversations(status="ACTIVE"))

    closed = manager.tenant.set_conversation_status(active.id, "CLOSED")
    waiting = manager.tenant.set_conversation_status(active.id, "WAITING")

    assert closed.status == "CLOSED"
    assert waiting.status == "WAITING"
    assert waiting.message_count == active.message_count


def test_set_status_refuses_an_unknown_status(manager):
    conversation = manager.tenant.list_conversations(limit=1).items[0]

    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.set_conversation_status(conversation.id, "SNOOZED")

    assert "status" in caught.value.field_errors


def test_assign_to_an_agent(manager):
    agents = manager.tenant.list_agents().agents
    conversation = manager.tenant.list_conversations(limit=1).items[0]
    target = next(a for a in agents if a.id != conversation.agent_id)

    assigned = manager.tenant.assign_conversation(conversation.id, target.id)

    assert assigned.agent_id == target.id
    assert assigned.agent.name == target.name
    with pytest.raises(PlatformNotFound):
        manager.tenant.assign_conversation(conversation.id, "usr_00000000000000000000000000")


def test_mark_read_clears_the_unread_badge(manager):
    unread = next(c for c in manager.tenant.iter_conversations() if c.unread_count)

    assert manager.tenant.mark_conversation_read(unread.id) == unread.unread_count
    assert manager.tenant.mark_conversation_read(unread.id) == 0
    assert manager.tenant.get_conversation(unread.id).unread_count == 0


def test_delete_a_conversation(manager):
    conversation = manager.tenant.list_conversations(limit=1).items[0]

    manager.tenant.delete_conversation(conversation.id)

    with pytest.raises(PlatformNotFound):
        manager.tenant.get_conversation(conversation.id)


# --- agents and invitations -------------------------------------------------------------------


def test_list_agents_with_csat_scores(manager):
    roster = manager.tenant.list_agents()

    demo_agent = next(a for a in roster.agents if a.email == AGENT_EMAIL)
    assert demo_agent.role == "AGENT"
    assert all(a.role == "AGENT" for a in roster.agents)
    assert any(a.csat_score is not None for a in roster.agents)
    assert all(a.csat_score is None or 0 <= a.csat_score <= 5 for a in roster.agents)


def test_invite_an_agent(manager, platform):
    invitation = manager.tenant.invite_agent("Bob Smith", "Bob.Smith@Example.com")

    assert invitation.status == "PENDING"
    assert invitation.expires_at - invitation.invited_at == SEVEN_DAYS
    roster = manager.tenant.list_agents()
    assert invitation.id in {i.id for i in roster.invitations}
    emails = [e for e in platform.outbox() if e["meta"].get("invitationId") == invitation.id]
    assert len(emails) == 1


def test_inviting_twice_or_a_member_names_the_email_field(manager):
    manager.tenant.invite_agent("Dana", "dana.new@example.com")

    for email in ("dana.new@example.com", AGENT_EMAIL):
        with pytest.raises(PlatformValidationError) as caught:
            manager.tenant.invite_agent("Again", email)
        assert "email" in caught.value.field_errors


def test_invite_refuses_a_bad_email(manager):
    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.invite_agent("Bob", "bob-at-example")

    assert "email" in caught.value.field_errors


def test_an_invitation_expires_after_seven_days(manager, platform):
    invitation = manager.tenant.invite_agent("Late Larry", "larry@example.com")

    platform.set_clock(SEVEN_DAYS.total_seconds() + 3600)
    later = client_for(platform, MANAGER_EMAIL)  # the old token expired with the week
    roster = later.tenant.list_agents()

    expired = next(i for i in roster.invitations if i.id == invitation.id)
    assert expired.status == "EXPIRED" and expired.is_expired
    renewed = later.tenant.invite_agent("Late Larry", "larry@example.com")
    assert renewed.status == "PENDING"


# --- API keys ---------------------------------------------------------------------------------


def test_create_an_api_key_returns_the_plain_key_once(manager):
    created = manager.tenant.create_api_key("Production Widget", ["company.com", "www.company.com"])

    plain = created.plain_key
    assert plain.startswith("cxl_live_") and len(plain) == len("cxl_live_") + 40
    assert created.key.key_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert created.key.key_prefix == plain[:12]
    assert created.key.domains == ("company.com", "www.company.com")
    assert created.key.status == "ACTIVE"
    listed = next(k for k in manager.tenant.list_api_keys() if k.id == created.key.id)
    assert listed == created.key


def test_listed_keys_never_carry_the_plain_key(manager, platform):
    created = manager.tenant.create_api_key("Widget", ["example.com"])
    raw = PlatformHttp(platform.connextlive_url, token=platform.login(MANAGER_EMAIL))

    payload = raw.request("GET", "/api/tenant/api-keys")

    assert payload["apiKeys"]
    assert all("plainKey" not in key for key in payload["apiKeys"])
    assert created.plain_key not in str(payload)


def test_an_inactive_key(manager):
    created = manager.tenant.create_api_key("Staging", [], status="INACTIVE")

    assert created.key.status == "INACTIVE"
    assert created.key.domains == ()


@pytest.mark.parametrize(
    ("name", "status", "field"),
    [("x" * 101, "ACTIVE", "name"), ("", "ACTIVE", "name"), ("Widget", "PAUSED", "status")],
)
def test_create_api_key_refuses_bad_input_with_field_errors(manager, name, status, field):
    with pytest.raises(PlatformValidationError) as caught:
        manager.tenant.create_api_key(name, ["example.com"], status=status)

    assert field in caught.value.field_errors


def test_a_name_of_exactly_100_characters_is_accepted(manager):
    assert manager.tenant.create_api_key("x" * 100, []).key.name == "x" * 100


def test_delete_an_api_key_revokes_it(manager):
    created = manager.tenant.create_api_key("Doomed", ["example.com"])

    manager.tenant.delete_api_key(created.key.id)

    assert created.key.id not in {k.id for k in manager.tenant.list_api_keys()}
    with pytest.raises(PlatformNotFound):
        manager.tenant.delete_api_key(created.key.id)


# --- agent API --------------------------------------------------------------------------------


def test_agent_profile(agent):
    profile = agent.agent.profile()

    assert profile.email == AGENT_EMAIL
    assert profile.role == "AGENT"
    assert profile.tenant.id == profile.tenant_id


def test_agent_conversations_with_global_counts(agent, manager):
    page = agent.agent.list_conversations()
    everything = list(manager.tenant.iter_conversations())

    assert page.limit == 20
    assert page.total == len(everything)
    assert page.counts.active == sum(c.status == "ACTIVE" for c in everything)
    assert page.counts.waiting == sum(c.status == "WAITING" for c in everything)
    assert page.counts.closed == sum(c.status == "CLOSED" for c in everything)


def test_agent_conversation_limit_is_capped_at_50_and_refused_below_1(agent):
    assert agent.agent.list_conversations(limit=80).limit == 50
    with pytest.raises(PlatformValidationError):
        agent.agent.list_conversations(limit=0)


def test_agent_status_filter_takes_several_statuses(agent):
    open_ones = list(agent.agent.iter_conversations(statuses=("active", "waiting")))
    counts = agent.agent.list_conversations(limit=1).counts

    assert len(open_ones) == counts.active + counts.waiting
    assert {c.status for c in open_ones} <= {"ACTIVE", "WAITING"}
    with pytest.raises(PlatformValidationError):
        agent.agent.list_conversations(statuses=("pending",))


def test_agent_iter_conversations_walks_every_page(agent):
    total = agent.agent.list_conversations(limit=1).total

    conversations = list(agent.agent.iter_conversations(page_size=3))

    assert len({c.id for c in conversations}) == len(conversations) == total


def test_agent_reads_messages_oldest_first_in_pages(agent):
    conversation = max(agent.agent.iter_conversations(), key=lambda c: c.message_count)

    first = agent.agent.list_messages(conversation.id, limit=2)
    messages = list(agent.agent.iter_messages(conversation.id, page_size=2))

    assert first.total == conversation.message_count == len(messages)
    assert first.total_pages == -(-first.total // 2)
    assert [m.id for m in messages[:2]] == [m.id for m in first.items]
    created = [m.created_at for m in messages]
    assert created == sorted(created)
    assert agent.agent.list_messages(conversation.id, limit=1000).limit == 100


def test_agent_sends_a_text_message_and_claims_the_conversation(agent):
    profile = agent.agent.profile()
    waiting = next(agent.agent.iter_conversations(statuses=("waiting",)))

    message = agent.agent.send_message(waiting.id, "Hi! How can I help you today?")

    assert message.sender_type == "AGENT"
    assert message.sender_id == profile.id
    assert message.message_type == "TEXT"
    assert message.content == "Hi! How can I help you today?"
    after = agent.agent.get_conversation(waiting.id)
    assert after.status == "ACTIVE"
    assert after.agent_id == profile.id


def test_a_message_to_an_offline_visitor_is_emailed(agent, platform):
    offline = next(
        c
        for c in agent.agent.iter_conversations()
        if not c.visitor.is_online and c.visitor.user_email
    )

    message = agent.agent.send_message(offline.id, "We got back to you")

    emails = [e for e in platform.outbox() if e["meta"].get("messageId") == message.id]
    assert [e["to"] for e in emails] == [offline.visitor.user_email]


def test_agent_sends_attachments_as_multipart(agent):
    conversation = next(agent.agent.iter_conversations())
    uploads = [
        Upload("guide.pdf", PDF, "application/pdf"),
        Upload("notes.pdf", PDF, "application/pdf"),
    ]

    message = agent.agent.send_message(conversation.id, "Please see the attached guide", uploads)

    assert message.message_type == "FILE"
    # Sorted: the sandbox does not keep the upload order (its attachment ids share a timestamp).
    assert sorted(a.file_name for a in message.attachments) == ["guide.pdf", "notes.pdf"]
    assert all(a.size == len(PDF) and a.mime_type == "application/pdf" for a in message.attachments)
    listed = list(agent.agent.iter_messages(conversation.id))[-1]
    assert listed.id == message.id and len(listed.attachments) == 2


def test_more_than_five_attachments_are_refused(agent):
    conversation = next(agent.agent.iter_conversations())
    uploads = [Upload(f"f{i}.pdf", PDF, "application/pdf") for i in range(6)]

    with pytest.raises(PlatformValidationError) as caught:
        agent.agent.send_message(conversation.id, "too many", uploads)

    assert "attachments" in caught.value.field_errors


def test_an_empty_message_is_refused(agent):
    conversation = next(agent.agent.iter_conversations())

    with pytest.raises(PlatformValidationError) as caught:
        agent.agent.send_message(conversation.id, "   ")

    assert "content" in caught.value.field_errors


def test_only_the_assigned_agent_may_transfer(agent, manager):
    profile = agent.agent.profile()
    conversation = next(c for c in manager.tenant.iter_conversations() if c.agent_id != profile.id)

    with pytest.raises(PlatformForbidden):
        agent.agent.assign_conversation(conversation.id, profile.id)

    manager.tenant.assign_conversation(conversation.id, profile.id)
    others = [a for a in manager.tenant.list_agents().agents if a.id != profile.id]
    target = others[0] if others else profile
    transferred = agent.agent.assign_conversation(conversation.id, target.id)
    assert transferred.agent_id == target.id


def test_agent_resolves_and_marks_read(agent):
    unread = next(c for c in agent.agent.iter_conversations() if c.unread_count)

    assert agent.agent.mark_conversation_read(unread.id) == unread.unread_count
    resolved = agent.agent.resolve_conversation(unread.id)

    assert resolved.status == "CLOSED"
    assert list(agent.agent.iter_messages(unread.id))[-1].message_type == "SYSTEM"


def test_agent_visitors(agent, manager):
    page = agent.agent.list_visitors(limit=5)
    sample = page.items[0]

    assert page.total == manager.tenant.list_visitors(limit=1).total
    assert agent.agent.get_visitor(sample.id) == manager.tenant.get_visitor(sample.id)
    online = list(agent.agent.iter_visitors(is_online=True))
    assert all(v.is_online for v in online)
    if sample.user_email:
        assert sample.id in {v.id for v in agent.agent.iter_visitors(search=sample.user_email)}


# --- one client, many threads -----------------------------------------------------------------


def test_the_client_is_safe_to_share_between_threads(manager):
    expected_workspace = manager.tenant.get_workspace()
    expected_ids = [v.id for v in manager.tenant.list_visitors(limit=10).items]

    def mixed_calls(_: int) -> tuple:
        return (
            manager.tenant.get_workspace(),
            [v.id for v in manager.tenant.list_visitors(limit=10).items],
            manager.tenant.list_conversations(limit=5).total,
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(mixed_calls, range(40)))

    assert all(workspace == expected_workspace for workspace, _, _ in results)
    assert all(ids == expected_ids for _, ids, _ in results)
    assert len({total for _, _, total in results}) == 1


def test_sequential_calls_reuse_one_kept_alive_connection(manager):
    close_shared_clients()  # start from an empty pool: earlier tests may have opened several
    pool = shared_http_client(manager.base_url)._transport._pool  # httpcore's connection pool

    for _ in range(20):
        manager.tenant.get_workspace()

    assert len(pool.connections) == 1
