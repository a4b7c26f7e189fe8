"""Connextlive answers as the sandbox sends them (sandbox/README.md), for tests that script the
platform's side or build records: every key present, nulls only where the shape allows them."""

from typing import Any

from dashboard.platforms.connextlive_records import (
    ApiKey,
    ConversationSummary,
    Invitation,
    User,
    Visitor,
    Workspace,
)

WHEN = "2026-11-21T10:00:00.000Z"

USER = {
    "id": "usr_01",
    "email": "agent@example.com",
    "name": "Ada Agent",
    "role": "AGENT",
    "avatarUrl": None,
    "csatScore": 4.5,
    "status": "ONLINE",
    "tenantId": "ten_01",
    "createdAt": WHEN,
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
    "notes": None,
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
    "lastMessage": {"content": "Hi?", "senderType": "VISITOR", "createdAt": WHEN},
    "messageCount": 5,
    "createdAt": "2026-11-21T09:00:00.000Z",
    "updatedAt": WHEN,
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
        }  # fmt: skip
    ],
    "isRead": False,
    "createdAt": "2026-11-21T10:01:00.000Z",
}
INVITATION = {
    "id": "inv_01",
    "name": "Bob",
    "email": "bob@example.com",
    "status": "PENDING",
    "invitedAt": "2026-11-20T10:00:00.000Z",
    "expiresAt": "2026-11-27T10:00:00.000Z",
}
WORKSPACE = {
    "id": "wsp_01",
    "tenantId": "ten_01",
    "name": "Acme",
    "companyName": None,
    "contactEmail": None,
    "language": "en",
    "timezone": "UTC",
    "settings": {"notifications": {"visitorSound": True}, "widget": {"position": "bottom-right"}},
    "createdAt": WHEN,
    "updatedAt": WHEN,
}
API_KEY = {
    "id": "key_01",
    "name": "Widget",
    "keyHash": "ab" * 32,
    "keyPrefix": "cxl_live_abc",
    "domains": '["example.com", "www.example.com"]',
    "status": "ACTIVE",
    "createdAt": WHEN,
    "lastUsedAt": None,
}


def _with(answer: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The answer with some keys replaced, given as the record's snake_case field names."""
    return answer | {_camel(name): value for name, value in fields.items()}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def a_user(**fields: Any) -> User:
    return User.from_api(_with(USER, fields))


def a_visitor(**fields: Any) -> Visitor:
    return Visitor.from_api(_with(VISITOR, fields))


def a_conversation(**fields: Any) -> ConversationSummary:
    return ConversationSummary.from_api(_with(SUMMARY, fields))


def an_invitation(**fields: Any) -> Invitation:
    return Invitation.from_api(_with(INVITATION, fields))


def a_workspace(**fields: Any) -> Workspace:
    return Workspace.from_api(_with(WORKSPACE, fields))


def an_api_key(**fields: Any) -> ApiKey:
    return ApiKey.from_api(_with(API_KEY, fields))
