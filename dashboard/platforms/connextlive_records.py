"""Typed records of Connextlive's answers (shapes: sandbox/README.md, "Connextlive wire shapes").

seeds/003 documents no response bodies; the shapes are the project's choice (fidelity: guess) and
this module is the one place the client reads them. Every record is a frozen msgspec `Struct`:
`Record.from_json(bytes)` decodes an answer straight into it (what the client does), and
`Record.from_api(dict)` reads one already decoded. Either way: snake_case fields from the camelCase
keys, unknown keys ignored, missing keys defaulted, numbers and booleans sent as strings accepted.
Two readings go beyond what msgspec does by itself (`Record.__post_init__`):

- a field typed `X | None` whose default is not None reads a null as that default: text the
  platform may send as null (`"notes": null`) is `""` for every caller;
- datetimes are aware and in UTC, whatever offset the answer used (none means UTC).

A missing required key (`id`) or a value of the wrong kind (a list where text belongs) raises
`msgspec.ValidationError`, a ValueError, which the client turns into PlatformUnavailable.

Why msgspec rather than dataclasses filled by hand from decoded JSON: a 100-visitor page (the
visitors table, every live refresh) costs about a quarter of the work (3 M instructions instead
of 13: no intermediate dicts, and no frozen dataclass's per-field `object.__setattr__`).
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import NoneType, UnionType
from typing import Any, ClassVar, Self, get_args

import msgspec
from msgspec.structs import force_setattr

from dashboard.platforms.base import decode_json

type Json = dict[str, Any]


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (`2026-11-21T10:00:00.000Z`) to an aware UTC datetime; None stays None."""
    if value is None or value == "":
        return None
    return as_utc(datetime.fromisoformat(str(value)))


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:
        # What the platform sends ("Z" or "+00:00" both read as the UTC singleton): a list page
        # holds hundreds of these, so skip the conversion that would change nothing.
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What `Record.__post_init__` does for one record type, worked out once per type."""

    null_defaults: tuple[tuple[str, Any], ...]  # (field, default or default factory)
    datetimes: tuple[str, ...]


def _reading_of(record_type: type["Record"]) -> _Reading:
    null_defaults: list[tuple[str, Any]] = []
    datetimes: list[str] = []
    for info in msgspec.structs.fields(record_type):
        kinds = get_args(info.type) if isinstance(info.type, UnionType) else (info.type,)
        if datetime in kinds:
            datetimes.append(info.name)
        elif NoneType in kinds and info.default is not None:
            if info.default_factory is not msgspec.NODEFAULT:
                null_defaults.append((info.name, info.default_factory))
            elif info.default is not msgspec.NODEFAULT:
                null_defaults.append((info.name, lambda default=info.default: default))
    return _Reading(tuple(null_defaults), tuple(datetimes))


class Record(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A platform record: frozen, keyword-built, read from the API's camelCase keys."""

    _readings: ClassVar[dict[type, _Reading]] = {}

    @classmethod
    def from_api(cls, data: Json) -> Self:
        """The record from an answer already decoded into Python data."""
        return msgspec.convert(data, cls, strict=False)

    @classmethod
    def from_json(cls, content: bytes) -> Self:
        """The record straight from an answer's bytes, in one pass (no intermediate dicts).

        What msgspec's decoder refuses as JSON (a byte-order mark, UTF-16, NaN) takes the general
        path, `decode_json` then `from_api`, which reads or refuses it as for any other answer.
        """
        try:
            return msgspec.json.decode(content, type=cls, strict=False)
        except msgspec.ValidationError:
            raise
        except msgspec.DecodeError:
            return cls.from_api(decode_json(content))

    def __post_init__(self) -> None:
        reading = self._readings.get(type(self))
        if reading is None:
            reading = self._readings[type(self)] = _reading_of(type(self))
        for name, default in reading.null_defaults:
            if getattr(self, name) is None:
                force_setattr(self, name, default())
        for name in reading.datetimes:
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is not UTC:
                force_setattr(self, name, as_utc(moment))


# --- people ---------------------------------------------------------------------------------


class User(Record, frozen=True):
    """An agent or a manager: role CUSTOMER (manager) or AGENT."""

    id: str
    email: str | None = ""
    name: str | None = ""
    role: str | None = ""
    avatar_url: str | None = None
    csat_score: float | None = None
    status: str | None = "OFFLINE"
    tenant_id: str | None = None
    created_at: datetime | None = None


class TenantRef(Record, frozen=True):
    id: str
    name: str | None = ""


class AgentProfile(User, frozen=True):
    """GET /api/agent/profile: the user plus the tenant it belongs to."""

    tenant: TenantRef | None = None


class Login(Record, frozen=True):
    token: str
    user: User
    expires_at: datetime | None = None

    def __repr__(self) -> str:  # the token stays out of logs and tracebacks
        return f"Login(token=<hidden>, expires_at={self.expires_at!r}, user={self.user!r})"


class Invitation(Record, frozen=True):
    id: str
    name: str | None = ""
    email: str | None = ""
    status: str | None = "PENDING"
    invited_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def is_expired(self) -> bool:
        return self.status == "EXPIRED"


class AgentRoster(Record, frozen=True):
    """GET /api/tenant/agents: active agents with CSAT scores, and pending invitations."""

    agents: list[User] | None = msgspec.field(default_factory=list)
    invitations: list[Invitation] | None = msgspec.field(default_factory=list)


# --- workspace and keys ----------------------------------------------------------------------


class Workspace(Record, frozen=True):
    id: str
    tenant_id: str | None = None
    name: str | None = ""
    company_name: str | None = ""
    contact_email: str | None = ""
    language: str | None = "en"
    timezone: str | None = "UTC"
    # An open object the platform deep-merges (notifications, widget): kept as the API's dict.
    settings: Json | None = msgspec.field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None


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


class ApiKey(Record, frozen=True):
    """A widget key as listed: its SHA-256 hash and metadata, never the plain key."""

    id: str
    name: str | None = ""
    key_hash: str | None = ""
    key_prefix: str | None = ""
    # A string holding a JSON array; a real array is tolerated too, should a platform version
    # send one, and kept in the same string form.
    domains: str | list[str] | None = "[]"
    status: str | None = "ACTIVE"
    created_at: datetime | None = None
    last_used_at: datetime | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.domains, list):
            force_setattr(self, "domains", encode_domains(self.domains))

    @property
    def domain_list(self) -> list[str]:
        return decode_domains(self.domains)


class CreatedApiKey(Record, frozen=True):
    """The answer to a create: the key and, this once, its plain value (kept out of reprs)."""

    key: ApiKey
    plain_key: str

    @classmethod
    def from_api(cls, data: Json) -> Self:
        # The key's fields and `plainKey` side by side in one object.
        return cls(key=ApiKey.from_api(data), plain_key=str(data["plainKey"]))

    def __repr__(self) -> str:
        return f"CreatedApiKey(key={self.key!r}, plain_key=<hidden>)"


# --- visitors -------------------------------------------------------------------------------


class Site(Record, frozen=True):
    id: str
    name: str | None = ""
    domain: str | None = ""


class Visitor(Record, frozen=True):
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
    tags: list[str] | None = msgspec.field(default_factory=list)
    notes: str | None = ""
    external_ids: dict[str, str] | None = msgspec.field(default_factory=dict)
    is_online: bool | None = False
    is_returning: bool | None = False
    visit_count: int | None = 0
    browser: str | None = None
    os: str | None = None
    device: str | None = None
    current_page: str | None = None
    referrer: str | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    created_at: datetime | None = None


class VisitorStats(Record, frozen=True):
    """Global for the workspace, whatever the filters."""

    total: int | None = 0
    online: int | None = 0
    returning: int | None = 0


class VisitorPage(Record, frozen=True):
    items: list[Visitor] | None = msgspec.field(name="visitors", default_factory=list)
    total: int | None = 0
    page: int | None = 1
    limit: int | None = 0
    total_pages: int | None = 0
    stats: VisitorStats | None = msgspec.field(default_factory=VisitorStats)


# --- conversations and messages ---------------------------------------------------------------


class VisitorRef(Record, frozen=True):
    """The visitor as a conversation list shows it."""

    id: str
    user_name: str | None = None
    user_email: str | None = None
    is_online: bool | None = False


class AgentRef(Record, frozen=True):
    id: str
    name: str | None = ""


class LastMessage(Record, frozen=True):
    content: str | None = ""
    sender_type: str | None = ""
    created_at: datetime | None = None


class Attachment(Record, frozen=True):
    id: str
    file_name: str | None = ""
    mime_type: str | None = ""
    size: int | None = 0
    url: str | None = ""


class Message(Record, frozen=True):
    id: str
    conversation_id: str | None = ""
    sender_type: str | None = ""
    sender_id: str | None = None
    sender_name: str | None = None
    content: str | None = ""
    message_type: str | None = "TEXT"
    attachments: list[Attachment] | None = msgspec.field(default_factory=list)
    is_read: bool | None = False
    created_at: datetime | None = None


class _ConversationFields(Record, frozen=True):
    """What a summary and a detail share (their `visitor` differs in depth)."""

    id: str
    status: str | None = ""
    visitor_id: str | None = None
    agent_id: str | None = None
    agent: AgentRef | None = None
    site_id: str | None = None
    subject: str | None = ""
    unread_count: int | None = 0
    last_message: LastMessage | None = None
    message_count: int | None = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None


class ConversationSummary(_ConversationFields, frozen=True):
    visitor: VisitorRef | None = None


class WorkspaceRef(Record, frozen=True):
    id: str
    name: str | None = ""


class ConversationDetail(_ConversationFields, frozen=True):
    """GET one conversation: the summary's fields with the full visitor and the workspace.

    `messages` holds what the platform embeds in the answer, if anything; the full history is
    `client.agent.list_messages` / `iter_messages`.
    """

    visitor: Visitor | None = None
    workspace: WorkspaceRef | None = None
    messages: list[Message] | None = msgspec.field(default_factory=list)


class AgentStats(Record, frozen=True):
    agent_id: str
    agent_name: str | None = ""
    active: int | None = 0
    waiting: int | None = 0
    closed: int | None = 0
    total: int | None = 0
    unread: int | None = 0


class _ConversationList(Record, frozen=True):
    """What both conversation lists share: a page of summaries, `total` counting matches."""

    items: list[ConversationSummary] | None = msgspec.field(
        name="conversations", default_factory=list
    )
    total: int | None = 0
    limit: int | None = 0
    offset: int | None = 0


class ConversationPage(_ConversationList, frozen=True):
    """GET /api/tenant/conversations: stats cover the whole workspace, whatever the filters."""

    unread_total: int | None = 0
    agent_stats: list[AgentStats] | None = msgspec.field(default_factory=list)


class StatusCounts(Record, frozen=True):
    active: int | None = 0
    waiting: int | None = 0
    closed: int | None = 0


class AgentConversationPage(_ConversationList, frozen=True):
    """GET /api/agent/conversations: `counts` are global for the tenant."""

    counts: StatusCounts | None = msgspec.field(default_factory=StatusCounts)


class MessagePage(Record, frozen=True):
    """Oldest first."""

    items: list[Message] | None = msgspec.field(name="messages", default_factory=list)
    total: int | None = 0
    page: int | None = 1
    limit: int | None = 0
    total_pages: int | None = 0


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to attach to a message; its bytes stay out of reprs."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
