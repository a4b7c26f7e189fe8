"""Records read the agreed wire shapes (sandbox/README.md) and tolerate what they do not know."""

from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from dashboard.platforms.connextlive_records import (
    AgentConversationPage,
    AgentProfile,
    AgentRoster,
    ApiKey,
    ConversationDetail,
    ConversationPage,
    CreatedApiKey,
    Login,
    MessagePage,
    Upload,
    Visitor,
    VisitorPage,
    Workspace,
    decode_domains,
    parse_datetime,
)

USER = {
    "id": "usr_01",
    "email": "agent@example.com",
    "name": "Ada Agent",
    "role": "AGENT",
    "avatarUrl": None,
    "csatScore": 4.5,
    "status": "ONLINE",
    "tenantId": "ten_01",
    "createdAt": "2026-11-21T10:00:00.000Z",
}
SITE = {"id": "site_01", "name": "Shop", "domain": "shop.example.com"}
VISITOR = {
    "id": "vis_01",
    "userName": "Jane",
    "userEmail": "jane@example.com",
    "userPhone": None,
    "ip": "203.0.113.9",
    "country": "Germany",
    "countryCode": "DE",
    "city": "Berlin",
    "siteId": "site_01",
    "site": SITE,
    "tags": ["vip", "trial"],
    "notes": "",
    "externalIds": {"crm": "42"},
    "isOnline": True,
    "isReturning": False,
    "visitCount": 3,
    "browser": "Firefox",
    "os": "Linux",
    "device": "desktop",
    "currentPage": "/pricing",
    "referrer": None,
    "firstSeenAt": "2026-11-01T08:00:00.000Z",
    "lastSeenAt": "2026-11-21T09:59:00.000Z",
    "createdAt": "2026-11-01T08:00:00.000Z",
}
SUMMARY = {
    "id": "cnv_01",
    "status": "WAITING",
    "visitorId": "vis_01",
    "visitor": {"id": "vis_01", "userName": "Jane", "userEmail": None, "isOnline": True},
    "agentId": None,
    "agent": None,
    "siteId": "site_01",
    "subject": "Pricing",
    "unreadCount": 2,
    "lastMessage": {
        "content": "Hi?",
        "senderType": "VISITOR",
        "createdAt": "2026-11-21T10:00:00.000Z",
    },
    "messageCount": 5,
    "createdAt": "2026-11-21T09:00:00.000Z",
    "updatedAt": "2026-11-21T10:00:00.000Z",
    "closedAt": None,
}
MESSAGE = {
    "id": "msg_01",
    "conversationId": "cnv_01",
    "senderType": "AGENT",
    "senderId": "usr_01",
    "senderName": "Ada Agent",
    "content": "See attached",
    "messageType": "FILE",
    "attachments": [
        {
            "id": "att_01",
            "fileName": "guide.pdf",
            "mimeType": "application/pdf",
            "size": 10,
            "url": "u",
        }
    ],
    "isRead": False,
    "createdAt": "2026-11-21T10:01:00.000Z",
}
API_KEY = {
    "id": "key_01",
    "name": "Widget",
    "keyHash": "ab" * 32,
    "keyPrefix": "cxl_live",
    "domains": '["example.com", "www.example.com"]',
    "status": "ACTIVE",
    "createdAt": "2026-11-21T10:00:00.000Z",
    "lastUsedAt": None,
}


def test_datetimes_are_aware_utc():
    assert parse_datetime("2026-11-21T10:00:00.000Z") == datetime(2026, 11, 21, 10, tzinfo=UTC)
    converted = parse_datetime("2026-11-21T12:00:00+02:00")
    assert converted == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert converted.utcoffset() == timedelta(0)
    assert parse_datetime("2026-11-21T10:00:00").tzinfo is UTC
    assert parse_datetime(None) is None


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-21T10:00:00.000Z",
        "2026-11-21T10:00:00+00:00",
        "2026-11-21T10:00:00-00:00",
        "2026-11-21T05:00:00-05:00",
        "2026-11-21T15:30:00+05:30",
        "2026-11-21T10:00:00",
    ],
)
def test_every_offset_becomes_the_same_utc_instant(text):
    parsed = parse_datetime(text)

    assert parsed == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert parsed.tzinfo is UTC
    assert parsed.hour == 10


def test_login_hides_its_token_from_repr():
    login = Login.from_api(
        {"token": "eyJsecret.jwt.here", "expiresAt": "2026-11-28T10:00:00.000Z", "user": USER}
    )

    assert login.token == "eyJsecret.jwt.here"
    assert login.user.role == "AGENT"
    assert login.expires_at == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert "eyJsecret" not in repr(login)


def test_a_user_reads_every_field_and_ignores_extra_keys():
    profile = AgentProfile.from_api(
        {**USER, "tenant": {"id": "ten_01", "name": "Demo"}, "brandNewField": {"x": 1}}
    )

    assert profile.csat_score == 4.5
    assert profile.status == "ONLINE"
    assert profile.tenant.name == "Demo"
    assert profile.created_at.tzinfo == UTC


def test_missing_optional_keys_default():
    visitor = Visitor.from_api({"id": "vis_02"})

    assert visitor.tags == []
    assert visitor.external_ids == {}
    assert visitor.is_online is False
    assert visitor.site is None
    assert visitor.last_seen_at is None


def test_a_missing_id_is_an_error_the_client_turns_into_unavailable():
    # A ValueError: parse_answer turns it into PlatformUnavailable("unexpected response").
    with pytest.raises(msgspec.ValidationError, match="missing required field `id`"):
        Visitor.from_api({"userName": "no id"})


@pytest.mark.parametrize(
    "wrong",
    [
        {"id": "vis_03", "tags": "vip"},  # text where a list belongs
        {"id": "vis_03", "userName": ["Jane"]},  # a list where text belongs
        {"id": "vis_03", "lastSeenAt": "yesterday"},  # not a datetime
        {"id": "vis_03", "site": "site_01"},  # text where an object belongs
    ],
)
def test_a_value_of_the_wrong_kind_is_a_malformed_answer(wrong):
    with pytest.raises(ValueError):
        Visitor.from_api(wrong)


def test_a_null_reads_as_the_fields_default():
    visitor = Visitor.from_api(
        {
            "id": "vis_04",
            "notes": None,
            "tags": None,
            "externalIds": None,
            "isOnline": None,
            "visitCount": None,
            "userName": None,
            "site": {"id": "site_01", "name": None, "domain": None},
        }
    )

    assert visitor.notes == ""
    assert visitor.tags == []
    assert visitor.external_ids == {}
    assert visitor.is_online is False
    assert visitor.visit_count == 0
    assert visitor.user_name is None  # None is this field's own default: "no name given"
    assert (visitor.site.name, visitor.site.domain) == ("", "")
    page = VisitorPage.from_api({"visitors": None, "total": None, "stats": None})
    assert (page.items, page.total, page.page, page.stats.online) == ([], 0, 1, 0)


def test_defaults_are_not_shared_between_records():
    first = Visitor.from_api({"id": "vis_05"})
    second = Visitor.from_api({"id": "vis_06", "tags": None})

    first.tags.append("changed")
    assert second.tags == []
    assert Visitor.from_api({"id": "vis_07"}).tags == []


def test_numbers_and_booleans_sent_as_text_are_read():
    visitor = Visitor.from_api({"id": "vis_08", "visitCount": "12", "isOnline": "true"})

    assert visitor.visit_count == 12
    assert visitor.is_online is True


def test_record_datetimes_are_utc_whatever_the_offset():
    visitor = Visitor.from_api(
        {
            "id": "vis_09",
            "firstSeenAt": "2026-11-21T12:00:00+02:00",
            "lastSeenAt": "2026-11-21T10:00:00",
            "createdAt": "2026-11-21T10:00:00.000Z",
        }
    )

    for moment in (visitor.first_seen_at, visitor.last_seen_at, visitor.created_at):
        assert moment == datetime(2026, 11, 21, 10, tzinfo=UTC)
        assert moment.tzinfo is UTC


def test_a_visitor_page():
    page = VisitorPage.from_api(
        {
            "visitors": [VISITOR],
            "total": 30,
            "page": 2,
            "limit": 25,
            "totalPages": 2,
            "stats": {"total": 30, "online": 4, "returning": 7},
        }
    )

    visitor = page.items[0]
    assert (page.total, page.page, page.limit, page.total_pages) == (30, 2, 25, 2)
    assert page.stats.online == 4
    assert visitor.site.domain == "shop.example.com"
    assert visitor.tags == ["vip", "trial"]
    assert visitor.external_ids == {"crm": "42"}
    assert visitor.country_code == "DE"


def test_a_tenant_conversation_page():
    page = ConversationPage.from_api(
        {
            "conversations": [SUMMARY],
            "total": 1,
            "limit": 50,
            "offset": 0,
            "unreadTotal": 2,
            "agentStats": [
                {
                    "agentId": "usr_01",
                    "agentName": "Ada",
                    "active": 1,
                    "waiting": 0,
                    "closed": 3,
                    "total": 4,
                    "unread": 1,
                }
            ],
        }
    )

    summary = page.items[0]
    assert summary.visitor.user_name == "Jane"
    assert summary.agent is None
    assert summary.last_message.sender_type == "VISITOR"
    assert page.unread_total == 2
    assert page.agent_stats[0].closed == 3


def test_an_agent_conversation_page_has_global_counts():
    page = AgentConversationPage.from_api(
        {
            "conversations": [],
            "total": 0,
            "limit": 20,
            "offset": 0,
            "counts": {"active": 1, "waiting": 2, "closed": 3},
        }
    )

    assert (page.counts.active, page.counts.waiting, page.counts.closed) == (1, 2, 3)


def test_a_conversation_detail_has_the_full_visitor_and_workspace():
    detail = ConversationDetail.from_api(
        {**SUMMARY, "visitor": VISITOR, "workspace": {"id": "wsp_01", "name": "Demo"}}
    )

    assert isinstance(detail.visitor, Visitor)
    assert detail.visitor.city == "Berlin"
    assert detail.workspace.name == "Demo"
    assert detail.messages == []


def test_a_message_page_with_attachments():
    page = MessagePage.from_api(
        {"messages": [MESSAGE], "total": 1, "page": 1, "limit": 50, "totalPages": 1}
    )

    message = page.items[0]
    assert message.message_type == "FILE"
    assert message.attachments[0].file_name == "guide.pdf"


def test_an_api_key_decodes_its_domains():
    key = ApiKey.from_api(API_KEY)

    assert key.domain_list == ["example.com", "www.example.com"]
    assert key.key_prefix == "cxl_live"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("[]", []), ("", []), ('["a.com"]', ["a.com"]), ("a.com", ["a.com"]), ('"a.com"', ["a.com"])],
)
def test_domain_decoding_tolerates_odd_values(raw, expected):
    assert decode_domains(raw) == expected


def test_a_key_sent_as_a_real_array_is_tolerated():
    key = ApiKey.from_api({**API_KEY, "domains": ["example.com"]})

    assert key.domain_list == ["example.com"]


def test_a_created_key_keeps_its_plain_key_out_of_repr():
    created = CreatedApiKey.from_api({**API_KEY, "plainKey": "cxl_live_" + "x" * 40})

    assert created.plain_key.startswith("cxl_live_x")
    assert "cxl_live_x" not in repr(created)
    assert created.key.id == "key_01"


def test_a_workspace_keeps_its_open_settings():
    workspace = Workspace.from_api(
        {
            "id": "wsp_01",
            "name": "Acme",
            "language": "de",
            "timezone": "Europe/Berlin",
            "settings": {"notifications": {"visitorSound": True}, "widget": {"position": "left"}},
        }
    )

    assert workspace.settings["widget"]["position"] == "left"
    assert workspace.company_name == ""


def test_a_roster():
    roster = AgentRoster.from_api(
        {
            "agents": [USER],
            "invitations": [
                {
                    "id": "inv_01",
                    "name": "Bob",
                    "email": "bob@example.com",
                    "status": "EXPIRED",
                    "invitedAt": "2026-11-01T10:00:00.000Z",
                    "expiresAt": "2026-11-08T10:00:00.000Z",
                }
            ],
        }
    )

    assert roster.agents[0].email == "agent@example.com"
    assert roster.invitations[0].is_expired


def test_records_are_frozen():
    key = ApiKey.from_api(API_KEY)

    with pytest.raises(AttributeError):
        key.name = "changed"


def test_an_upload_keeps_its_bytes_out_of_repr():
    assert "secret bytes" not in repr(Upload("a.pdf", b"secret bytes", "application/pdf"))
