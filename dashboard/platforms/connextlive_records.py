"""Typed records of Connextlive's answers (shapes: sandbox/README.md, "Connextlive wire shapes").

seeds/003 documents no response bodies; the shapes are the project's choice (fidelity: guess) and
this module is the one place the client reads them. Every record is a frozen dataclass built by
`from_api(dict)`: snake_case fields, datetimes aware in UTC, unknown keys ignored, missing optional
keys defaulted. Only `id` (and the login's token) is required; a missing one raises KeyError,
which the client turns into PlatformUnavailable.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

type Json = dict[str, Any]


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (`2026-11-21T10:00:00.000Z`) to an aware UTC datetime; None stays None."""
    if value is None or value == "":
        return None
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is UTC:
        # What the platform sends ("Z" or "+00:00" both parse to the UTC singleton): a list page
        # holds hundreds of these, so skip the conversion that would change nothing.
        return parsed
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _str(data: Json, key: str, default: str = "") -> str:
    value = data.get(key)
    return default if value is None else str(value)


def _optional_str(data: Json, key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _int(data: Json, key: str, default: int = 0) -> int:
    value = data.get(key)
    return default if value is None else int(value)


def _optional_float(data: Json, key: str) -> float | None:
    value = data.get(key)
    return None if value is None else float(value)


def _bool(data: Json, key: str, default: bool = False) -> bool:
    value = data.get(key)
    return default if value is None else bool(value)


def _dict(data: Json, key: str) -> Json:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _list(data: Json, key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _nested[T](data: Json, key: str, parse: Callable[[Json], T]) -> T | None:
    value = data.get(key)
    return parse(value) if isinstance(value, dict) else None


# --- people ---------------------------------------------------------------------------------


def _user_fields(data: Json) -> Json:
    return {
        "id": str(data["id"]),
        "email": _str(data, "email"),
        "name": _str(data, "name"),
        "role": _str(data, "role"),
        "avatar_url": _optional_str(data, "avatarUrl"),
        "csat_score": _optional_float(data, "csatScore"),
        "status": _str(data, "status", "OFFLINE"),
        "tenant_id": _optional_str(data, "tenantId"),
        "created_at": parse_datetime(data.get("createdAt")),
    }


@dataclass(frozen=True, slots=True)
class User:
    """An agent or a manager: role CUSTOMER (manager) or AGENT."""

    id: str
    email: str = ""
    name: str = ""
    role: str = ""
    avatar_url: str | None = None
    csat_score: float | None = None
    status: str = "OFFLINE"
    tenant_id: str | None = None
    created_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(**_user_fields(data))


@dataclass(frozen=True, slots=True)
class TenantRef:
    id: str
    name: str = ""

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(id=str(data["id"]), name=_str(data, "name"))


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """GET /api/agent/profile: the user plus the tenant it belongs to."""

    id: str
    email: str = ""
    name: str = ""
    role: str = ""
    avatar_url: str | None = None
    csat_score: float | None = None
    status: str = "OFFLINE"
    tenant_id: str | None = None
    created_at: datetime | None = None
    tenant: TenantRef | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(**_user_fields(data), tenant=_nested(data, "tenant", TenantRef.from_api))


@dataclass(frozen=True, slots=True)
class Login:
    token: str = field(repr=False)
    expires_at: datetime | None
    user: User

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            token=str(data["token"]),
            expires_at=parse_datetime(data.get("expiresAt")),
            user=User.from_api(data["user"]),
        )


@dataclass(frozen=True, slots=True)
class Invitation:
    id: str
    name: str = ""
    email: str = ""
    status: str = "PENDING"
    invited_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def is_expired(self) -> bool:
        return self.status == "EXPIRED"

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            id=str(data["id"]),
            name=_str(data, "name"),
            email=_str(data, "email"),
            status=_str(data, "status", "PENDING"),
            invited_at=parse_datetime(data.get("invitedAt")),
            expires_at=parse_datetime(data.get("expiresAt")),
        )


@dataclass(frozen=True, slots=True)
class AgentRoster:
    """GET /api/tenant/agents: active agents with CSAT scores, and pending invitations."""

    agents: list[User] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            agents=[User.from_api(item) for item in _list(data, "agents")],
            invitations=[Invitation.from_api(item) for item in _list(data, "invitations")],
        )


# --- workspace and keys ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Workspace:
    id: str
    tenant_id: str | None = None
    name: str = ""
    company_name: str = ""
    contact_email: str = ""
    language: str = "en"
    timezone: str = "UTC"
    # An open object the platform deep-merges (notifications, widget): kept as the API's dict.
    settings: Json = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            id=str(data["id"]),
            tenant_id=_optional_str(data, "tenantId"),
            name=_str(data, "name"),
            company_name=_str(data, "companyName"),
            contact_email=_str(data, "contactEmail"),
            language=_str(data, "language", "en"),
            timezone=_str(data, "timezone", "UTC"),
            settings=_dict(data, "settings"),
            created_at=parse_datetime(data.get("createdAt")),
            updated_at=parse_datetime(data.get("updatedAt")),
        )


def decode_domains(domains: str) -> list[str]:
    """The platform keeps allowed domains as a string holding a JSON array (seeds/003)."""
    if not domains:
        return []
    try:
        decoded = json.loads(domains)
    except ValueError:
        return [domains]
    if isinstance(decoded, list):
        return [str(item) for item in decoded]
    return [str(decoded)]


def encode_domains(domains: list[str] | tuple[str, ...]) -> str:
    return json.dumps(list(domains))


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A widget key as listed: its SHA-256 hash and metadata, never the plain key."""

    id: str
    name: str = ""
    key_hash: str = ""
    key_prefix: str = ""
    domains: str = "[]"
    status: str = "ACTIVE"
    created_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def domain_list(self) -> list[str]:
        return decode_domains(self.domains)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        raw_domains = data.get("domains")
        return cls(
            id=str(data["id"]),
            name=_str(data, "name"),
            key_hash=_str(data, "keyHash"),
            key_prefix=_str(data, "keyPrefix"),
            # Tolerate a real array too, should a platform version send one.
            domains=encode_domains(raw_domains)
            if isinstance(raw_domains, list)
            else _str(data, "domains", "[]"),
            status=_str(data, "status", "ACTIVE"),
            created_at=parse_datetime(data.get("createdAt")),
            last_used_at=parse_datetime(data.get("lastUsedAt")),
        )


@dataclass(frozen=True, slots=True)
class CreatedApiKey:
    """The answer to a create: the key and, this once, its plain value (kept out of reprs)."""

    key: ApiKey
    plain_key: str = field(repr=False)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(key=ApiKey.from_api(data), plain_key=str(data["plainKey"]))


# --- visitors -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str = ""
    domain: str = ""

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(id=str(data["id"]), name=_str(data, "name"), domain=_str(data, "domain"))


@dataclass(frozen=True, slots=True)
class Visitor:
    id: str
    user_name: str | None = None
    user_email: str | None = None
    user_phone: str | None = None
    ip: str | None = None
    country: str | None = None
    country_code: str | None = None
    city: str | None = None
    site_id: str | None = None
    site: Site | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    external_ids: dict[str, str] = field(default_factory=dict)
    is_online: bool = False
    is_returning: bool = False
    visit_count: int = 0
    browser: str | None = None
    os: str | None = None
    device: str | None = None
    current_page: str | None = None
    referrer: str | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    created_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            id=str(data["id"]),
            user_name=_optional_str(data, "userName"),
            user_email=_optional_str(data, "userEmail"),
            user_phone=_optional_str(data, "userPhone"),
            ip=_optional_str(data, "ip"),
            country=_optional_str(data, "country"),
            country_code=_optional_str(data, "countryCode"),
            city=_optional_str(data, "city"),
            site_id=_optional_str(data, "siteId"),
            site=_nested(data, "site", Site.from_api),
            tags=[str(tag) for tag in _list(data, "tags")],
            notes=_str(data, "notes"),
            external_ids={str(k): str(v) for k, v in _dict(data, "externalIds").items()},
            is_online=_bool(data, "isOnline"),
            is_returning=_bool(data, "isReturning"),
            visit_count=_int(data, "visitCount"),
            browser=_optional_str(data, "browser"),
            os=_optional_str(data, "os"),
            device=_optional_str(data, "device"),
            current_page=_optional_str(data, "currentPage"),
            referrer=_optional_str(data, "referrer"),
            first_seen_at=parse_datetime(data.get("firstSeenAt")),
            last_seen_at=parse_datetime(data.get("lastSeenAt")),
            created_at=parse_datetime(data.get("createdAt")),
        )


@dataclass(frozen=True, slots=True)
class VisitorStats:
    """Global for the workspace, whatever the filters."""

    total: int = 0
    online: int = 0
    returning: int = 0

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            total=_int(data, "total"),
            online=_int(data, "online"),
            returning=_int(data, "returning"),
        )


@dataclass(frozen=True, slots=True)
class VisitorPage:
    items: list[Visitor]
    total: int
    page: int
    limit: int
    total_pages: int
    stats: VisitorStats = field(default_factory=VisitorStats)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            items=[Visitor.from_api(item) for item in _list(data, "visitors")],
            total=_int(data, "total"),
            page=_int(data, "page", 1),
            limit=_int(data, "limit"),
            total_pages=_int(data, "totalPages"),
            stats=VisitorStats.from_api(_dict(data, "stats")),
        )


# --- conversations and messages ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitorRef:
    """The visitor as a conversation list shows it."""

    id: str
    user_name: str | None = None
    user_email: str | None = None
    is_online: bool = False

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            id=str(data["id"]),
            user_name=_optional_str(data, "userName"),
            user_email=_optional_str(data, "userEmail"),
            is_online=_bool(data, "isOnline"),
        )


@dataclass(frozen=True, slots=True)
class AgentRef:
    id: str
    name: str = ""

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(id=str(data["id"]), name=_str(data, "name"))


@dataclass(frozen=True, slots=True)
class LastMessage:
    content: str = ""
    sender_type: str = ""
    created_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            content=_str(data, "content"),
            sender_type=_str(data, "senderType"),
            created_at=parse_datetime(data.get("createdAt")),
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str
    file_name: str = ""
    mime_type: str = ""
    size: int = 0
    url: str = ""

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            id=str(data["id"]),
            file_name=_str(data, "fileName"),
            mime_type=_str(data, "mimeType"),
            size=_int(data, "size"),
            url=_str(data, "url"),
        )


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    conversation_id: str = ""
    sender_type: str = ""
    sender_id: str | None = None
    sender_name: str | None = None
    content: str = ""
    message_type: str = "TEXT"
    attachments: list[Attachment] = field(default_factory=list)
    is_read: bool = False
    created_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            id=str(data["id"]),
            conversation_id=_str(data, "conversationId"),
            sender_type=_str(data, "senderType"),
            sender_id=_optional_str(data, "senderId"),
            sender_name=_optional_str(data, "senderName"),
            content=_str(data, "content"),
            message_type=_str(data, "messageType", "TEXT"),
            attachments=[Attachment.from_api(item) for item in _list(data, "attachments")],
            is_read=_bool(data, "isRead"),
            created_at=parse_datetime(data.get("createdAt")),
        )


def _conversation_fields(data: Json) -> Json:
    """What a summary and a detail share (their `visitor` differs in depth)."""
    return {
        "id": str(data["id"]),
        "status": _str(data, "status"),
        "visitor_id": _optional_str(data, "visitorId"),
        "agent_id": _optional_str(data, "agentId"),
        "agent": _nested(data, "agent", AgentRef.from_api),
        "site_id": _optional_str(data, "siteId"),
        "subject": _str(data, "subject"),
        "unread_count": _int(data, "unreadCount"),
        "last_message": _nested(data, "lastMessage", LastMessage.from_api),
        "message_count": _int(data, "messageCount"),
        "created_at": parse_datetime(data.get("createdAt")),
        "updated_at": parse_datetime(data.get("updatedAt")),
        "closed_at": parse_datetime(data.get("closedAt")),
    }


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    id: str
    status: str = ""
    visitor_id: str | None = None
    visitor: VisitorRef | None = None
    agent_id: str | None = None
    agent: AgentRef | None = None
    site_id: str | None = None
    subject: str = ""
    unread_count: int = 0
    last_message: LastMessage | None = None
    message_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            **_conversation_fields(data), visitor=_nested(data, "visitor", VisitorRef.from_api)
        )


@dataclass(frozen=True, slots=True)
class WorkspaceRef:
    id: str
    name: str = ""

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(id=str(data["id"]), name=_str(data, "name"))


@dataclass(frozen=True, slots=True)
class ConversationDetail:
    """GET one conversation: the summary's fields with the full visitor and the workspace.

    `messages` holds what the platform embeds in the answer, if anything; the full history is
    `client.agent.list_messages` / `iter_messages`.
    """

    id: str
    status: str = ""
    visitor_id: str | None = None
    visitor: Visitor | None = None
    agent_id: str | None = None
    agent: AgentRef | None = None
    site_id: str | None = None
    subject: str = ""
    unread_count: int = 0
    last_message: LastMessage | None = None
    message_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    workspace: WorkspaceRef | None = None
    messages: list[Message] = field(default_factory=list)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            **_conversation_fields(data),
            visitor=_nested(data, "visitor", Visitor.from_api),
            workspace=_nested(data, "workspace", WorkspaceRef.from_api),
            messages=[Message.from_api(item) for item in _list(data, "messages")],
        )


@dataclass(frozen=True, slots=True)
class AgentStats:
    agent_id: str
    agent_name: str = ""
    active: int = 0
    waiting: int = 0
    closed: int = 0
    total: int = 0
    unread: int = 0

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            agent_id=str(data["agentId"]),
            agent_name=_str(data, "agentName"),
            active=_int(data, "active"),
            waiting=_int(data, "waiting"),
            closed=_int(data, "closed"),
            total=_int(data, "total"),
            unread=_int(data, "unread"),
        )


@dataclass(frozen=True, slots=True)
class ConversationPage:
    """GET /api/tenant/conversations: `total` counts matches; stats cover the whole workspace."""

    items: list[ConversationSummary]
    total: int
    limit: int
    offset: int
    unread_total: int = 0
    agent_stats: list[AgentStats] = field(default_factory=list)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            items=[ConversationSummary.from_api(item) for item in _list(data, "conversations")],
            total=_int(data, "total"),
            limit=_int(data, "limit"),
            offset=_int(data, "offset"),
            unread_total=_int(data, "unreadTotal"),
            agent_stats=[AgentStats.from_api(item) for item in _list(data, "agentStats")],
        )


@dataclass(frozen=True, slots=True)
class StatusCounts:
    active: int = 0
    waiting: int = 0
    closed: int = 0

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            active=_int(data, "active"), waiting=_int(data, "waiting"), closed=_int(data, "closed")
        )


@dataclass(frozen=True, slots=True)
class AgentConversationPage:
    """GET /api/agent/conversations: `counts` are global for the tenant."""

    items: list[ConversationSummary]
    total: int
    limit: int
    offset: int
    counts: StatusCounts = field(default_factory=StatusCounts)

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            items=[ConversationSummary.from_api(item) for item in _list(data, "conversations")],
            total=_int(data, "total"),
            limit=_int(data, "limit"),
            offset=_int(data, "offset"),
            counts=StatusCounts.from_api(_dict(data, "counts")),
        )


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Oldest first."""

    items: list[Message]
    total: int
    page: int
    limit: int
    total_pages: int

    @classmethod
    def from_api(cls, data: Json) -> Self:
        return cls(
            items=[Message.from_api(item) for item in _list(data, "messages")],
            total=_int(data, "total"),
            page=_int(data, "page", 1),
            limit=_int(data, "limit"),
            total_pages=_int(data, "totalPages"),
        )


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to attach to a message; its bytes stay out of reprs."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
