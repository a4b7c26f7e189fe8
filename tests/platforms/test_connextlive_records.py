"""Records read the agreed wire shapes (sandbox/README.md): defaults where a key is missing, None
only where the shape allows a null, and anything else of the wrong kind refused."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dashboard.platforms.connextlive_records import (
    AgentConversationPage,
    AgentProfile,
    AgentRoster,
    ApiKey,
    ConversationDetail,
    ConversationPage,
    ConversationSummary,
    CreatedApiKey,
    Domains,
    Invitation,
    Login,
    Message,
    MessagePage,
    Upload,
    User,
    Visitor,
    VisitorPage,
    Workspace,
)
from dashboard.platforms.errors import PlatformUnavailable
from dashboard.platforms.records import Record
from tests.platforms.answers import (
    API_KEY,
    INVITATION,
    MESSAGE,
    SITE,
    SUMMARY,
    USER,
    VISITOR,
    WORKSPACE,
    an_invitation,
)
from tests.platforms.helpers import ScriptedTransport, json_response, make_client

# What a visitor needs at the least: its id, and what the shape always sends without an honest
# empty value (its site and three timestamps).
BARE_VISITOR = {
    "id": "vis_02",
    "site": SITE,
    "firstSeenAt": "2026-11-01T08:00:00.000Z",
    "lastSeenAt": "2026-11-21T09:59:00.000Z",
    "createdAt": "2026-11-01T08:00:00.000Z",
}


def read_both_ways[R: Record](record: type[R], answer: dict) -> R:
    """The record read from the answer's bytes (the client's path) and from decoded data; both
    readings agree."""
    from_bytes = record.from_json(json.dumps(answer).encode())
    assert from_bytes == record.from_api(answer)
    return from_bytes


# --- defaults ---------------------------------------------------------------------------------


def test_missing_keys_take_the_fields_defaults():
    visitor = read_both_ways(Visitor, BARE_VISITOR)

    assert (visitor.tags, visitor.external_ids, visitor.ip) == ([], {}, "")
    assert (visitor.is_online, visitor.is_returning, visitor.visit_count) == (False, False, 0)
    assert (visitor.user_name, visitor.notes, visitor.referrer) == (None, None, None)
    page = read_both_ways(VisitorPage, {})
    assert (page.items, page.total, page.page, page.stats.online) == ([], 0, 1, 0)


def test_defaults_are_not_shared_between_records():
    first = Visitor.from_api(BARE_VISITOR)
    second = Visitor.from_api(BARE_VISITOR | {"id": "vis_03"})

    first.tags.append("changed")
    assert second.tags == []
    assert Visitor.from_api(BARE_VISITOR).tags == []


@pytest.mark.parametrize(
    ("record", "answer", "missing"),
    [
        (Visitor, BARE_VISITOR, "id"),
        (Visitor, BARE_VISITOR, "site"),
        (Visitor, BARE_VISITOR, "lastSeenAt"),
        (ConversationSummary, SUMMARY, "visitor"),
        (ConversationSummary, SUMMARY, "updatedAt"),
        (Login, {"token": "t", "expiresAt": "2026-11-28T10:00:00.000Z", "user": USER}, "user"),
        (Invitation, INVITATION, "expiresAt"),
    ],
)
def test_what_the_shape_always_sends_is_required(record, answer, missing):
    incomplete = {key: value for key, value in answer.items() if key != missing}

    with pytest.raises(ValueError, match=f"missing required field `{missing}`"):
        record.from_api(incomplete)


# --- nulls ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "answer", "nullable"),
    [
        (User, USER, "avatarUrl"),
        (User, USER, "csatScore"),
        (Visitor, VISITOR, "userName"),
        (Visitor, VISITOR, "userEmail"),
        (Visitor, VISITOR, "notes"),
        (Visitor, VISITOR, "countryCode"),
        (Visitor, VISITOR, "currentPage"),
        (ConversationSummary, SUMMARY, "agentId"),
        (ConversationSummary, SUMMARY, "agent"),
        (ConversationSummary, SUMMARY, "subject"),
        (ConversationSummary, SUMMARY, "lastMessage"),
        (ConversationSummary, SUMMARY, "closedAt"),
        (Message, MESSAGE, "senderId"),
        (Message, MESSAGE, "senderName"),
        (Workspace, WORKSPACE, "companyName"),
        (Workspace, WORKSPACE, "contactEmail"),
        (ApiKey, API_KEY, "lastUsedAt"),
    ],
)
def test_a_null_where_the_shape_allows_one_reads_as_none(record, answer, nullable):
    read = read_both_ways(record, answer | {nullable: None})

    snake_case = "".join(f"_{c.lower()}" if c.isupper() else c for c in nullable)
    assert getattr(read, snake_case) is None


@pytest.mark.parametrize(
    ("record", "answer", "not_nullable"),
    [
        (User, USER, "email"),
        (User, USER, "createdAt"),
        (Visitor, VISITOR, "ip"),
        (Visitor, VISITOR, "tags"),
        (Visitor, VISITOR, "externalIds"),
        (Visitor, VISITOR, "isOnline"),
        (Visitor, VISITOR, "visitCount"),
        (Visitor, VISITOR, "site"),
        (Visitor, VISITOR, "lastSeenAt"),
        (ConversationSummary, SUMMARY, "status"),
        (ConversationSummary, SUMMARY, "visitor"),
        (ConversationSummary, SUMMARY, "unreadCount"),
        (Message, MESSAGE, "content"),
        (Workspace, WORKSPACE, "name"),
        (Workspace, WORKSPACE, "settings"),
        (Invitation, INVITATION, "email"),
        (VisitorPage, {"visitors": [], "total": 0}, "visitors"),
        (VisitorPage, {"visitors": [], "total": 0}, "total"),
    ],
)
def test_a_null_where_the_shape_has_none_is_a_malformed_answer(record, answer, not_nullable):
    with pytest.raises(ValueError, match="got `null`"):
        record.from_api(answer | {not_nullable: None})
    with pytest.raises(ValueError, match="got `null`"):
        record.from_json(json.dumps(answer | {not_nullable: None}).encode())


def test_the_client_calls_a_misplaced_null_an_unexpected_response(sleeps):
    page = {"visitors": [VISITOR | {"tags": None}], "total": 1}
    transport = ScriptedTransport(json_response(200, page))

    with pytest.raises(PlatformUnavailable) as caught:
        make_client(transport, sleeps).tenant.list_visitors()

    assert caught.value.message == "unexpected response"
    assert caught.value.status == 200


# --- values of the wrong kind -----------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong",
    [
        {"tags": "vip"},  # text where a list belongs
        {"userName": ["Jane"]},  # a list where text belongs
        {"lastSeenAt": "yesterday"},  # not a datetime
        {"site": "site_01"},  # text where an object belongs
        {"visitCount": "many"},  # text that is no number
    ],
)
def test_a_value_of_the_wrong_kind_is_a_malformed_answer(wrong):
    with pytest.raises(ValueError):
        Visitor.from_api(VISITOR | wrong)


def test_numbers_and_booleans_sent_as_text_are_read():
    visitor = read_both_ways(Visitor, VISITOR | {"visitCount": "12", "isOnline": "false"})

    assert visitor.visit_count == 12
    assert visitor.is_online is False


# --- datetimes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2026-11-21T10:00:00.000Z", timedelta(0)),
        ("2026-11-21T10:00:00+00:00", timedelta(0)),
        ("2026-11-21T05:00:00-05:00", timedelta(hours=-5)),
        ("2026-11-21T15:30:00+05:30", timedelta(hours=5, minutes=30)),
    ],
)
def test_datetimes_keep_the_answers_offset(text, offset):
    visitor = read_both_ways(Visitor, VISITOR | {"lastSeenAt": text})

    assert visitor.last_seen_at == datetime(2026, 11, 21, 10, tzinfo=UTC)  # the same instant
    assert visitor.last_seen_at.utcoffset() == offset  # as the answer wrote it


def test_the_platforms_z_reads_as_utc():
    visitor = Visitor.from_api(VISITOR)

    assert visitor.created_at == datetime(2026, 11, 1, 8, tzinfo=UTC)
    assert visitor.created_at.tzinfo == timezone.utc  # noqa: UP017 (the same zone, spelled out)


@pytest.mark.parametrize("field", ["lastSeenAt", "createdAt"])
def test_a_datetime_without_an_offset_is_refused(field):
    with pytest.raises(ValueError, match="timezone"):
        Visitor.from_api(VISITOR | {field: "2026-11-21T10:00:00"})
    with pytest.raises(ValueError, match="timezone"):
        ApiKey.from_api(API_KEY | {"lastUsedAt": "2026-11-21T10:00:00"})


# --- the records, one by one ------------------------------------------------------------------


def test_login_hides_its_token_from_repr():
    login = read_both_ways(
        Login,
        {"token": "eyJsecret.jwt.here", "expiresAt": "2026-11-28T10:00:00.000Z", "user": USER},
    )

    assert login.token == "eyJsecret.jwt.here"
    assert login.user.role == "AGENT"
    assert login.expires_at == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert "eyJsecret" not in repr(login)


def test_a_user_reads_every_field_and_ignores_extra_keys():
    profile = read_both_ways(
        AgentProfile, USER | {"tenant": {"id": "ten_01", "name": "Demo"}, "brandNewField": {"x": 1}}
    )

    assert profile.csat_score == 4.5
    assert profile.status == "ONLINE"
    assert profile.tenant.name == "Demo"


def test_a_visitor_page():
    page = read_both_ways(
        VisitorPage,
        {
            "visitors": [VISITOR],
            "total": 30,
            "page": 2,
            "limit": 25,
            "totalPages": 2,
            "stats": {"total": 30, "online": 4, "returning": 7},
        },
    )

    visitor = page.items[0]
    assert (page.total, page.page, page.limit, page.total_pages) == (30, 2, 25, 2)
    assert page.stats.online == 4
    assert visitor.site.domain == "shop.example.com"
    assert visitor.tags == ["vip", "trial"]
    assert visitor.external_ids == {"crm": "42"}
    assert visitor.country_code == "DE"


def test_a_tenant_conversation_page():
    agent_stats = {"agentId": "usr_01", "agentName": "Ada", "active": 1, "waiting": 0,
                   "closed": 3, "total": 4, "unread": 1}  # fmt: skip
    page = read_both_ways(
        ConversationPage,
        {
            "conversations": [SUMMARY],
            "total": 1,
            "limit": 50,
            "offset": 0,
            "unreadTotal": 2,
            "agentStats": [agent_stats],
        },  # fmt: skip
    )

    summary = page.items[0]
    assert summary.visitor.user_name == "Jane"
    assert summary.agent is None
    assert summary.last_message is not None and summary.last_message.sender_type == "VISITOR"
    assert page.unread_total == 2
    assert page.agent_stats[0].closed == 3


def test_an_agent_conversation_page_has_global_counts():
    page = read_both_ways(
        AgentConversationPage,
        {
            "conversations": [],
            "total": 0,
            "limit": 20,
            "offset": 0,
            "counts": {"active": 1, "waiting": 2, "closed": 3},
        },  # fmt: skip
    )

    assert (page.counts.active, page.counts.waiting, page.counts.closed) == (1, 2, 3)


def test_a_conversation_detail_has_the_full_visitor_and_workspace():
    detail = read_both_ways(
        ConversationDetail,
        SUMMARY | {"visitor": VISITOR, "workspace": {"id": "wsp_01", "name": "Demo"}},
    )

    assert isinstance(detail.visitor, Visitor)
    assert detail.visitor.city == "Berlin"
    assert detail.workspace.name == "Demo"
    assert detail.messages == []  # the agent's detail embeds none


def test_a_message_page_with_attachments():
    page = read_both_ways(
        MessagePage, {"messages": [MESSAGE], "total": 1, "page": 1, "limit": 50, "totalPages": 1}
    )

    message = page.items[0]
    assert message.message_type == "FILE"
    assert message.attachments[0].file_name == "guide.pdf"


def test_a_workspace_keeps_its_open_settings():
    workspace = read_both_ways(
        Workspace, WORKSPACE | {"settings": {"widget": {"position": "left"}, "new": [1]}}
    )

    assert workspace.settings["widget"]["position"] == "left"
    assert workspace.settings["new"] == [1]


def test_a_roster_and_one_more_invitation():
    roster = read_both_ways(
        AgentRoster, {"agents": [USER], "invitations": [INVITATION | {"status": "EXPIRED"}]}
    )
    sent = an_invitation(id="inv_02", email="cem@example.com")

    grown = roster.with_invitation(sent)

    assert roster.agents[0].email == "agent@example.com"
    assert roster.invitations[0].is_expired
    assert [i.id for i in grown.invitations] == ["inv_01", "inv_02"]
    assert grown.agents == roster.agents
    assert len(roster.invitations) == 1, "the roster read from the platform is left as it was"


# --- API keys ---------------------------------------------------------------------------------


def test_an_api_key_reads_its_domains_from_the_string_the_platform_sends():
    key = read_both_ways(ApiKey, API_KEY)

    assert key.domains == ("example.com", "www.example.com")
    assert isinstance(key.domains, tuple)
    assert key.key_prefix == "cxl_live_abc"


def test_domains_sent_as_a_real_array_read_the_same():
    key = read_both_ways(ApiKey, API_KEY | {"domains": ["example.com", "www.example.com"]})

    assert key == ApiKey.from_api(API_KEY)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[]", ()),
        ("", ()),
        ('["a.com"]', ("a.com",)),
        ("a.com", ("a.com",)),
        ('"a.com"', ("a.com",)),
    ],
)
def test_odd_domain_strings_are_read_as_one_domain_or_none(raw, expected):
    assert Domains.from_wire(raw) == expected
    assert ApiKey.from_api(API_KEY | {"domains": raw}).domains == expected


@pytest.mark.parametrize("wrong", [None, 7, {"a.com": True}, [1, 2], '["a.com", 2]'])
def test_domains_that_are_not_names_are_a_malformed_answer(wrong):
    with pytest.raises(ValueError, match="domains"):
        ApiKey.from_api(API_KEY | {"domains": wrong})
    with pytest.raises(ValueError, match="domains"):
        ApiKey.from_json(json.dumps(API_KEY | {"domains": wrong}).encode())


def test_a_created_key_keeps_its_plain_key_out_of_repr():
    answer = API_KEY | {"plainKey": "cxl_live_" + "x" * 40}
    created = read_both_ways(CreatedApiKey, answer)

    assert created.plain_key.startswith("cxl_live_x")
    assert "cxl_live_x" not in repr(created)
    assert created.key == ApiKey.from_api(API_KEY)


def test_a_created_key_without_its_plain_key_is_malformed():
    with pytest.raises(ValueError, match="plainKey"):
        CreatedApiKey.from_api(API_KEY)


# --- values -----------------------------------------------------------------------------------


def test_records_are_frozen():
    key = ApiKey.from_api(API_KEY)

    with pytest.raises(AttributeError):
        key.name = "changed"  # type: ignore[misc]


def test_an_upload_keeps_its_bytes_out_of_repr():
    assert "secret bytes" not in repr(Upload("a.pdf", b"secret bytes", "application/pdf"))
