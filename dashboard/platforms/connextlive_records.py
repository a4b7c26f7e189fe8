"""Typed records of Connextlive's answers (shapes: sandbox/README.md, "Connextlive wire shapes").

seeds/003 documents no response bodies; the shapes are the project's choice (fidelity: guess),
described in the sandbox's `/openapi.json`, and this module is the one place the client reads
them. Every record is a `records.Record`: decoded straight from the answer's bytes, camelCase keys
to snake_case fields, unknown keys ignored, numbers and booleans sent as text accepted.

The hints follow the shapes. `str | None` marks text the platform sends as null (a visitor
without an email, notes never written, a conversation without a subject); a field the shape never
sends as null is plain `str`, `int`, `bool` or a list, defaulted should the key be missing, and a
null there makes the answer malformed (PlatformUnavailable, "unexpected response"), as a list
where text belongs does. Timestamps the shape always sends, and the objects it always nests
(a visitor's site, a conversation's visitor), are required: they have no honest empty value.
Datetimes keep the answer's offset (the platform sends `Z`); a timestamp without one is refused.

Why msgspec rather than dataclasses filled by hand from decoded JSON: no intermediate dicts and
no frozen dataclass's per-field `object.__setattr__` (bench/README.md has the figures).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Self

import msgspec

from dashboard.platforms.records import Moment, Record

type Json = dict[str, Any]


# --- people ---------------------------------------------------------------------------------


class User(Record, frozen=True, kw_only=True):
    """An agent or a manager: role CUSTOMER (manager) or AGENT."""

    id: str
    email: str = ""
    name: str = ""
    role: str = ""
    avatar_url: str | None = None
    csat_score: float | None = None  # None: no rating yet
    status: str = "OFFLINE"
    tenant_id: str = ""
    created_at: Moment


class TenantRef(Record, frozen=True, kw_only=True):
    id: str
    name: str = ""


class AgentProfile(User, frozen=True, kw_only=True):
    """GET /api/agent/profile: the user plus the tenant it belongs to."""

    tenant: TenantRef


class Login(Record, frozen=True, kw_only=True):
    token: str
    user: User
    expires_at: Moment

    def __repr__(self) -> str:  # the token stays out of logs and tracebacks
        return f"Login(token=<hidden>, expires_at={self.expires_at!r}, user={self.user!r})"


class Invitation(Record, frozen=True, kw_only=True):
    id: str
    name: str = ""
    email: str = ""
    status: str = "PENDING"
    invited_at: Moment
    expires_at: Moment

    @property
    def is_expired(self) -> bool:
        return self.status == "EXPIRED"


class AgentRoster(Record, frozen=True, kw_only=True):
    """GET /api/tenant/agents: active agents with CSAT scores, and pending invitations."""

    agents: list[User] = msgspec.field(default_factory=list)
    invitations: list[Invitation] = msgspec.field(default_factory=list)

    def with_invitation(self, invitation: Invitation) -> Self:
        """This roster with one more invitation (the one just sent), without asking again."""
        return msgspec.structs.replace(self, invitations=[*self.invitations, invitation])


# --- workspace and keys ----------------------------------------------------------------------


class Workspace(Record, frozen=True, kw_only=True):
    id: str
    tenant_id: str = ""
    name: str = ""
    company_name: str | None = None
    contact_email: str | None = None
    language: str = "en"
    timezone: str = "UTC"
    # An open object the platform deep-merges (notifications, widget): kept as the API's dict.
    settings: Json = msgspec.field(default_factory=dict)
    created_at: Moment
    updated_at: Moment


class Domains(tuple[str, ...]):
    """The domains a widget key is allowed on, in the platform's order.

    seeds/003 keeps them as a string holding a JSON array (`'["a.com", "b.com"]'`); a real array is
    read the same, should a platform version send one. A string that is not a JSON array (one
    bare domain, or JSON text) is read as that one domain, and an empty string as none.
    """

    __slots__ = ()

    @classmethod
    def from_wire(cls, value: object) -> Self:
        if isinstance(value, str):
            value = _json_array_or_text(value)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError("domains are neither a list of names nor one held in a string")
        return cls(value)


def _json_array_or_text(text: str) -> list[Any]:
    if not text:
        return []
    try:
        decoded = json.loads(text)
    except ValueError:
        return [text]
    if isinstance(decoded, list):
        return decoded
    return [decoded if isinstance(decoded, str) else text]


def encode_domains(domains: Iterable[str]) -> str:
    """The form the platform takes in a create: a string holding a JSON array."""
    return json.dumps(list(domains))


class ApiKey(Record, frozen=True, kw_only=True):
    """A widget key as listed: its SHA-256 hash and metadata, never the plain key."""

    id: str
    name: str = ""
    key_hash: str = ""
    key_prefix: str = ""
    domains: Domains = Domains()
    status: str = "ACTIVE"
    created_at: Moment
    last_used_at: Moment | None = None  # None: never used


class ApiKeyList(Record, frozen=True, kw_only=True):
    """GET /api/tenant/api-keys."""

    items: list[ApiKey] = msgspec.field(name="apiKeys")


class _ApiKeyWithPlainKey(ApiKey, frozen=True, kw_only=True):
    """The create answer: the key's fields and `plainKey` side by side in one object."""

    plain_key: str


class CreatedApiKey(Record, frozen=True, kw_only=True):
    """The answer to a create: the key and, this once, its plain value (kept out of reprs)."""

    key: ApiKey
    plain_key: str

    @classmethod
    def from_json(cls, content: bytes) -> Self:
        return cls._split(_ApiKeyWithPlainKey.from_json(content))

    @classmethod
    def from_api(cls, data: Any) -> Self:
        return cls._split(_ApiKeyWithPlainKey.from_api(data))

    @classmethod
    def _split(cls, answer: _ApiKeyWithPlainKey) -> Self:
        key_fields = {name: getattr(answer, name) for name in ApiKey.__struct_fields__}
        return cls(key=ApiKey(**key_fields), plain_key=answer.plain_key)

    def __repr__(self) -> str:
        return f"CreatedApiKey(key={self.key!r}, plain_key=<hidden>)"


# --- visitors -------------------------------------------------------------------------------


class Site(Record, frozen=True, kw_only=True):
    id: str
    name: str = ""
    domain: str = ""


class Visitor(Record, frozen=True, kw_only=True):
    id: str
    user_name: str | None = None
    user_email: str | None = None
    user_phone: str | None = None
    ip: str = ""
    country: str | None = None
    country_code: str | None = None
    city: str | None = None
    site_id: str = ""
    site: Site
    tags: list[str] = msgspec.field(default_factory=list)
    notes: str | None = None  # None: never written (PATCH with null clears them)
    external_ids: dict[str, str] = msgspec.field(default_factory=dict)
    is_online: bool = False
    is_returning: bool = False
    visit_count: int = 0
    browser: str | None = None
    os: str | None = None
    device: str | None = None
    current_page: str | None = None
    referrer: str | None = None
    first_seen_at: Moment
    last_seen_at: Moment
    created_at: Moment


class VisitorStats(Record, frozen=True, kw_only=True):
    """Global for the workspace, whatever the filters."""

    total: int = 0
    online: int = 0
    returning: int = 0


class VisitorPage(Record, frozen=True, kw_only=True):
    items: list[Visitor] = msgspec.field(name="visitors", default_factory=list)
    total: int = 0
    page: int = 1
    limit: int = 0
    total_pages: int = 0
    stats: VisitorStats = msgspec.field(default_factory=VisitorStats)


# --- conversations and messages ---------------------------------------------------------------


class VisitorRef(Record, frozen=True, kw_only=True):
    """The visitor as a conversation list shows it."""

    id: str
    user_name: str | None = None
    user_email: str | None = None
    is_online: bool = False


class AgentRef(Record, frozen=True, kw_only=True):
    id: str
    name: str = ""


class LastMessage(Record, frozen=True, kw_only=True):
    content: str = ""
    sender_type: str = ""
    created_at: Moment


class Attachment(Record, frozen=True, kw_only=True):
    id: str
    file_name: str = ""
    mime_type: str = ""
    size: int = 0
    url: str = ""


class Message(Record, frozen=True, kw_only=True):
    id: str
    conversation_id: str = ""
    sender_type: str = ""
    sender_id: str | None = None  # None: a system message
    sender_name: str | None = None
    content: str = ""
    message_type: str = "TEXT"
    attachments: list[Attachment] = msgspec.field(default_factory=list)
    is_read: bool = False
    created_at: Moment


class _ConversationFields(Record, frozen=True, kw_only=True):
    """What a summary and a detail share (their `visitor` differs in depth)."""

    id: str
    status: str = ""
    visitor_id: str = ""
    agent_id: str | None = None  # None: not assigned
    agent: AgentRef | None = None
    site_id: str = ""
    subject: str | None = None
    unread_count: int = 0
    last_message: LastMessage | None = None  # None: no message yet
    message_count: int = 0
    created_at: Moment
    updated_at: Moment
    closed_at: Moment | None = None


class ConversationSummary(_ConversationFields, frozen=True, kw_only=True):
    visitor: VisitorRef


class WorkspaceRef(Record, frozen=True, kw_only=True):
    id: str
    name: str = ""


class ConversationDetail(_ConversationFields, frozen=True, kw_only=True):
    """GET one conversation: the summary's fields with the full visitor and the workspace.

    `messages` holds what the platform embeds in the answer (the tenant's detail: all of them;
    the agent's: none); the agent's history is `client.agent.list_messages` / `iter_messages`.
    """

    visitor: Visitor
    workspace: WorkspaceRef
    messages: list[Message] = msgspec.field(default_factory=list)


class AgentStats(Record, frozen=True, kw_only=True):
    agent_id: str
    agent_name: str = ""
    active: int = 0
    waiting: int = 0
    closed: int = 0
    total: int = 0
    unread: int = 0


class _ConversationList(Record, frozen=True, kw_only=True):
    """What both conversation lists share: a page of summaries, `total` counting matches."""

    items: list[ConversationSummary] = msgspec.field(name="conversations", default_factory=list)
    total: int = 0
    limit: int = 0
    offset: int = 0

    def reversed(self) -> Self:
        """This page with its items in the opposite order (a newest-first list read oldest
        first: the platform has no sort parameter)."""
        return msgspec.structs.replace(self, items=self.items[::-1])


class ConversationPage(_ConversationList, frozen=True, kw_only=True):
    """GET /api/tenant/conversations: stats cover the whole workspace, whatever the filters."""

    unread_total: int = 0
    agent_stats: list[AgentStats] = msgspec.field(default_factory=list)


class StatusCounts(Record, frozen=True, kw_only=True):
    active: int = 0
    waiting: int = 0
    closed: int = 0


class AgentConversationPage(_ConversationList, frozen=True, kw_only=True):
    """GET /api/agent/conversations: `counts` are global for the tenant."""

    counts: StatusCounts = msgspec.field(default_factory=StatusCounts)


class MessagePage(Record, frozen=True, kw_only=True):
    """Oldest first."""

    items: list[Message] = msgspec.field(name="messages", default_factory=list)
    total: int = 0
    page: int = 1
    limit: int = 0
    total_pages: int = 0


class MarkedRead(Record, frozen=True, kw_only=True):
    """POST .../mark-read: how many messages were newly marked as read."""

    marked_count: int


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to attach to a message; its bytes stay out of reprs."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
