"""Reads shared by the tenant and agent APIs. Every lookup is scoped to one tenant: an id of
another workspace is simply not found (404), never forbidden, so ids do not leak.

The reads are SQL run through `connection.cursor()`, not querysets. Building and compiling a
queryset costs far more Python than SQLite then takes to run it, and that was most of the
sandbox's CPU per call: calls queued behind it when benchmarks ran the console and the sandbox
side by side on two cores (the figures: bench/README.md, bench_visitors.py). The sandbox's
database is SQLite only (settings.py), so this is SQLite's SQL over the tables Django made of
models.py. Lists come back as named tuples for the serializers; what an action changes is
loaded as a model instance, and every change goes through the ORM (actions.py, the views).

Rows read this way hold what SQLite hands back: datetimes naive, in UTC as Django stores them
(serializers.timestamp formats both kinds), JSON as text, booleans as `bool`.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, models

from sandbox.connextlive.http import not_found
from sandbox.connextlive.ids import new_id
from sandbox.connextlive.models import (
    ApiKey,
    Conversation,
    Invitation,
    Message,
    Role,
    SenderType,
    Tenant,
    User,
    Workspace,
)
from sandbox.state import STATE

LANGUAGES = ("en", "tr", "de", "es")


def default_workspace_settings() -> dict:
    return {
        "notifications": {
            "visitorSound": True,
            "agentSound": True,
            "emailOnNewConversation": True,
            "emailDigest": False,
        },
        "widget": {
            "primaryColor": "#2563eb",
            "position": "bottom-right",
            "greeting": "Hi! How can we help you today?",
            "showAgentAvatar": True,
            "offlineMessage": "We're offline right now. Leave us a message.",
        },
    }


# --- SQL plumbing ------------------------------------------------------------------------------


def _fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_named[R: tuple](row_type: type[R], sql: str, params: Sequence[Any]) -> list[R]:
    """The rows as `row_type`, whose leading fields the query's columns must name in order
    (`AS` where a column's own name differs), so that the two cannot drift apart."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = tuple(column[0] for column in cursor.description)
        if names != row_type._fields[: len(names)]:
            raise AssertionError(f"{row_type.__name__} fields do not match {names}")
        return [row_type._make(row) for row in cursor.fetchall()]


def _columns(model: type[models.Model], alias: str) -> str:
    """Every column of `model` in field order: what `_loaded` expects first in a row."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def _loaded[M: models.Model](model: type[M], row: Sequence[Any]) -> M:
    """The instance a queryset would give for a row that starts with `_columns(model)`."""
    fields = model._meta.concrete_fields
    values = [_python_value(field, value) for field, value in zip(fields, row, strict=False)]
    return model.from_db(DEFAULT_DB_ALIAS, [field.attname for field in fields], values)


def _python_value(field: models.Field, value: Any) -> Any:
    """What the ORM's converters make of a column value, for the field types models.py uses."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return value.replace(tzinfo=UTC)
    if isinstance(field, models.JSONField):
        return json.loads(value)
    return value


class Where:
    """A WHERE clause built one condition at a time (all must hold), with its parameters."""

    def __init__(self, condition: str, *params: Any) -> None:
        self.conditions = [condition]
        self.params = list(params)
        # The same conversations as rows of the tally, when they can be told from its keys
        # (conversation_count): a Where over `f`, the tally.
        self.tally: Where | None = None

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def __str__(self) -> str:
        return " AND ".join(f"({condition})" for condition in self.conditions)


def _contains(column: str) -> str:
    """`column` holds the `_contains_pattern` parameter: the ORM's `icontains` on SQLite (LIKE,
    so ASCII letters match either case)."""
    return f"{column} LIKE %s ESCAPE '\\'"


def _contains_pattern(text: str) -> str:
    """LIKE's pattern for "contains `text`", with `\\`, `%` and `_` matching themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- users and workspaces ----------------------------------------------------------------------

_USER_WITH_TENANT = f"""
    SELECT {_columns(User, "u")}, {_columns(Tenant, "t")}
    FROM connextlive_user u JOIN connextlive_tenant t ON t.id = u.tenant_id
    WHERE u.id = %s
"""


def user_with_tenant(user_id: str) -> User | None:
    """The signed-in user, with `tenant` loaded: every authenticated call reads this."""
    rows = _fetch(_USER_WITH_TENANT, [user_id])
    if not rows:
        return None
    user = _loaded(User, rows[0])
    user.tenant = _loaded(Tenant, rows[0][len(User._meta.concrete_fields) :])
    return user


_AGENT = f"""
    SELECT {_columns(User, "u")} FROM connextlive_user u
    WHERE u.tenant_id = %s AND u.id = %s AND u.role = 'AGENT'
"""


def agent_of(tenant: Tenant, agent_id: object) -> User:
    if not isinstance(agent_id, str):
        raise not_found("Agent")
    rows = _fetch(_AGENT, [tenant.id, agent_id])
    if not rows:
        raise not_found("Agent")
    return _loaded(User, rows[0])


_AGENTS = f"""
    SELECT {_columns(User, "u")} FROM connextlive_user u
    WHERE u.tenant_id = %s AND u.role = 'AGENT' ORDER BY u.name, u.id
"""


def agents_of(tenant: Tenant) -> list[User]:
    return [_loaded(User, row) for row in _fetch(_AGENTS, [tenant.id])]


_INVITATIONS = f"""
    SELECT {_columns(Invitation, "i")} FROM connextlive_invitation i
    WHERE i.tenant_id = %s ORDER BY i.invited_at DESC, i.id DESC
"""


def invitations_of(tenant: Tenant) -> list[Invitation]:
    """Newest first, expired ones too."""
    return [_loaded(Invitation, row) for row in _fetch(_INVITATIONS, [tenant.id])]


_API_KEYS = f"""
    SELECT {_columns(ApiKey, "k")} FROM connextlive_apikey k
    WHERE k.tenant_id = %s ORDER BY k.created_at DESC, k.id DESC
"""


def api_keys_of(tenant: Tenant) -> list[ApiKey]:
    """Newest first."""
    return [_loaded(ApiKey, row) for row in _fetch(_API_KEYS, [tenant.id])]


_WORKSPACE = f"""
    SELECT {_columns(Workspace, "w")} FROM connextlive_workspace w WHERE w.tenant_id = %s
"""


def workspace_of(tenant: Tenant) -> Workspace:
    """The tenant's workspace, created with defaults on first use (documented behaviour)."""
    rows = _fetch(_WORKSPACE, [tenant.id])
    if rows:
        return _loaded(Workspace, rows[0])
    now = STATE.now()
    owner_email = (
        User.objects.filter(tenant=tenant, role=Role.CUSTOMER)
        .order_by("created_at")
        .values_list("email", flat=True)
        .first()
    )
    workspace, _ = Workspace.objects.get_or_create(
        tenant=tenant,
        defaults={
            "id": new_id("wsp", now),
            "name": tenant.name,
            "company_name": tenant.name,
            "contact_email": owner_email,
            "language": "en",
            "timezone": "UTC",
            "settings": default_workspace_settings(),
            "created_at": now,
            "updated_at": now,
        },
    )
    return workspace


# --- visitors ----------------------------------------------------------------------------------


class VisitorRow(NamedTuple):
    """What a Visitor shows: its columns, its site's, and its tags in their order."""

    id: str
    user_name: str | None
    user_email: str | None
    user_phone: str | None
    ip: str
    country: str | None
    country_code: str | None
    city: str | None
    site_id: str
    site_name: str
    site_domain: str
    notes: str | None
    external_ids: str  # JSON text
    is_online: bool
    is_returning: bool
    visit_count: int
    browser: str | None
    os: str | None
    device: str | None
    current_page: str | None
    referrer: str | None
    first_seen_at: datetime
    last_seen_at: datetime
    created_at: datetime
    tags: list[str]


# `v` is the visitor: the name that the conditions of a visitors' Where use.
_VISITORS = """
    SELECT v.id, v.user_name, v.user_email, v.user_phone, v.ip, v.country, v.country_code,
           v.city, v.site_id, s.name AS site_name, s.domain AS site_domain, v.notes,
           v.external_ids, v.is_online, v.is_returning, v.visit_count, v.browser, v.os,
           v.device, v.current_page, v.referrer, v.first_seen_at, v.last_seen_at, v.created_at
    FROM connextlive_visitor v JOIN connextlive_site s ON s.id = v.site_id
"""


def visitors_matching(
    tenant: Tenant,
    search: str | None,
    search_fields: Sequence[str],
    is_online: bool | None,
    site_id: str | None = None,
    tags: Sequence[str] = (),
) -> Where:
    """The tenant's visitors with `search` in any of `search_fields` (columns of the visitor),
    in the given presence and site, holding every one of `tags`."""
    matching = Where("v.tenant_id = %s", tenant.id)
    if search:
        pattern = _contains_pattern(search)
        matching.add(
            " OR ".join(_contains(f"v.{field}") for field in search_fields),
            *[pattern] * len(search_fields),
        )
    if is_online is not None:
        matching.add("v.is_online = %s", is_online)
    if site_id:
        matching.add("v.site_id = %s", site_id)
    for tag in tags:
        matching.add(
            "EXISTS (SELECT 1 FROM connextlive_visitortag t"
            " WHERE t.visitor_id = v.id AND t.tag = %s)",
            tag,
        )
    return matching


def visitor_page(matching: Where, offset: int, limit: int) -> list[VisitorRow]:
    """Most recently seen first."""
    rows = _fetch(
        f"{_VISITORS} WHERE {matching} ORDER BY v.last_seen_at DESC, v.id DESC LIMIT %s OFFSET %s",
        [*matching.params, limit, offset],
    )
    tags = _tags_of([row[0] for row in rows])
    return [VisitorRow(*row, tags.get(row[0], [])) for row in rows]


def _tags_of(visitor_ids: list[str]) -> dict[str, list[str]]:
    if not visitor_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(visitor_ids))
    tags: dict[str, list[str]] = {}
    for visitor_id, tag in _fetch(
        "SELECT visitor_id, tag FROM connextlive_visitortag"
        f" WHERE visitor_id IN ({placeholders}) ORDER BY position",
        visitor_ids,
    ):
        tags.setdefault(visitor_id, []).append(tag)
    return tags


def visitor_figures(matching: Where, tenant: Tenant) -> tuple[int, dict[str, int]]:
    """How many visitors match, and the workspace's figures whatever the filters (doc):
    `{"total", "online", "returning"}`. One pass over the tenant's visitors."""
    ((matched, total, online, returning),) = _fetch(
        f"""
        SELECT COUNT(*) FILTER (WHERE {matching}), COUNT(*),
               COUNT(*) FILTER (WHERE v.is_online), COUNT(*) FILTER (WHERE v.is_returning)
        FROM connextlive_visitor v WHERE v.tenant_id = %s
        """,
        [*matching.params, tenant.id],
    )
    return matched, {"total": total, "online": online, "returning": returning}


def visitor_of(tenant: Tenant, visitor_id: str) -> VisitorRow:
    rows = _fetch(f"{_VISITORS} WHERE v.tenant_id = %s AND v.id = %s", [tenant.id, visitor_id])
    if not rows:
        raise not_found("Visitor")
    return VisitorRow(*rows[0], _tags_of([visitor_id]).get(visitor_id, []))


# --- conversations -----------------------------------------------------------------------------


class ConversationRow(NamedTuple):
    """What a ConversationSummary shows: the conversation's columns, its visitor's and agent's
    names, and the figures of its messages."""

    id: str
    status: str
    visitor_id: str
    visitor_user_name: str | None
    visitor_user_email: str | None
    visitor_is_online: bool
    agent_id: str | None
    agent_name: str | None
    site_id: str
    subject: str | None
    unread_count: int
    message_count: int
    last_message_content: str | None
    last_message_sender_type: str | None
    last_message_at: datetime | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


# `c` is the conversation: the name that a conversations' Where uses. A condition on its visitor
# is an EXISTS on `v`, not a join: the list's order and its pages (OFFSET walks every row it
# skips) then need the conversation's own index alone, several times cheaper deep in a long list
# (bench/README.md, bench_reports.py). The visitor is always there (a foreign key), so the two
# agree.
# `f` is a row of the tally (models.ConversationTally) in the Where that counts them.
_TALLY = "connextlive_conversationtally"
_CONVERSATIONS = "FROM connextlive_conversation c"
_UNREAD = "m.sender_type = 'VISITOR' AND NOT m.is_read"
_CONVERSATION_SUMMARIES = f"""
    SELECT c.id, c.status, c.visitor_id, v.user_name AS visitor_user_name,
           v.user_email AS visitor_user_email, v.is_online AS visitor_is_online,
           c.agent_id, agent.name AS agent_name, c.site_id, c.subject,
           (SELECT COUNT(*) FROM connextlive_message m
            WHERE m.conversation_id = c.id AND {_UNREAD}) AS unread_count,
           (SELECT COUNT(*) FROM connextlive_message m
            WHERE m.conversation_id = c.id) AS message_count,
           last_message.content AS last_message_content,
           last_message.sender_type AS last_message_sender_type,
           last_message.created_at AS last_message_at,
           c.created_at, c.updated_at, c.closed_at
    {_CONVERSATIONS} JOIN connextlive_visitor v ON v.id = c.visitor_id
    LEFT JOIN connextlive_user agent ON agent.id = c.agent_id
    LEFT JOIN connextlive_message last_message ON last_message.id = (
        SELECT m.id FROM connextlive_message m WHERE m.conversation_id = c.id
        ORDER BY m.created_at DESC, m.id DESC LIMIT 1
    )
"""


def _of_visitor(*conditions: str) -> str:
    """Any of `conditions` on `v`, the conversation's visitor."""
    return (
        "EXISTS (SELECT 1 FROM connextlive_visitor v"
        f" WHERE v.id = c.visitor_id AND ({' OR '.join(conditions)}))"
    )


def tenant_conversations_matching(
    tenant: Tenant, status: str | None, agent_id: str | None, search: str | None
) -> Where:
    """The manager's filters. Search (doc): message content and visitor ID; the visitor's name
    too (guess)."""
    matching = Where("c.tenant_id = %s", tenant.id)
    matching.tally = Where("f.tenant_id = %s", tenant.id)
    if status is not None:
        matching.add("c.status = %s", status)
        matching.tally.add("f.status = %s", status)
    if agent_id is not None:
        matching.add("c.agent_id = %s", agent_id)
        # "" is the tally's key of the unassigned, which no agent id matches.
        matching.tally.add("f.agent_id = %s AND f.agent_id != ''", agent_id)
    if search:
        matching.tally = None
        pattern = _contains_pattern(search)
        in_messages = (
            "EXISTS (SELECT 1 FROM connextlive_message m"
            f" WHERE m.conversation_id = c.id AND {_contains('m.content')})"
        )
        matching.add(
            f"{in_messages} OR {_of_visitor(_contains('v.id'), _contains('v.user_name'))}",
            pattern,
            pattern,
            pattern,
        )
    return matching


def agent_conversations_matching(
    tenant: Tenant, statuses: Sequence[str], search: str | None
) -> Where:
    """The agent's filters: any of `statuses`, `search` in the visitor's name or email."""
    matching = Where("c.tenant_id = %s", tenant.id)
    matching.tally = Where("f.tenant_id = %s", tenant.id)
    if statuses:
        placeholders = ", ".join(["%s"] * len(statuses))
        matching.add(f"c.status IN ({placeholders})", *statuses)
        matching.tally.add(f"f.status IN ({placeholders})", *statuses)
    if search:
        matching.tally = None
        pattern = _contains_pattern(search)
        matching.add(
            _of_visitor(_contains("v.user_name"), _contains("v.user_email")), pattern, pattern
        )
    return matching


def conversation_page(matching: Where, offset: int, limit: int) -> list[ConversationRow]:
    """Most recently updated first. The page's ids first, then their summaries: SQLite builds
    every row it skips for OFFSET, and with the joins and subqueries of a summary that made a
    page deep in a long list cost several times as much (bench/README.md, bench_reports.py)."""
    return _fetch_named(
        ConversationRow,
        f"""
        {_CONVERSATION_SUMMARIES}
        WHERE c.id IN (
            SELECT c.id {_CONVERSATIONS} WHERE {matching}
            ORDER BY c.updated_at DESC, c.id DESC LIMIT %s OFFSET %s
        )
        ORDER BY c.updated_at DESC, c.id DESC
        """,
        [*matching.params, limit, offset],
    )


def conversation_count(matching: Where) -> int:
    """From the tally unless a search is part of the filters: counting the rows is paid on
    every page, and grows with the workspace."""
    if matching.tally is not None:
        sql = f"SELECT IFNULL(SUM(f.conversations), 0) FROM {_TALLY} f WHERE {matching.tally}"
        return _fetch(sql, matching.tally.params)[0][0]
    return _fetch(f"SELECT COUNT(*) {_CONVERSATIONS} WHERE {matching}", matching.params)[0][0]


def summary_of(tenant: Tenant, conversation_id: str) -> ConversationRow:
    found = _fetch_named(
        ConversationRow,
        f"{_CONVERSATION_SUMMARIES} WHERE c.tenant_id = %s AND c.id = %s",
        [tenant.id, conversation_id],
    )
    if not found:
        raise not_found("Conversation")
    return found[0]


_CONVERSATION = f"""
    SELECT {_columns(Conversation, "c")} FROM connextlive_conversation c
    WHERE c.tenant_id = %s AND c.id = %s
"""


def conversation_of(tenant: Tenant, conversation_id: str) -> Conversation:
    """The conversation to change (actions.py), with `tenant` loaded."""
    rows = _fetch(_CONVERSATION, [tenant.id, conversation_id])
    if not rows:
        raise not_found("Conversation")
    conversation = _loaded(Conversation, rows[0])
    conversation.tenant = tenant
    return conversation


def refreshed(conversation: Conversation) -> ConversationRow:
    """The conversation's summary read again, after a change."""
    return summary_of(conversation.tenant, conversation.id)


# --- messages ----------------------------------------------------------------------------------


class AttachmentRow(NamedTuple):
    message_id: str
    id: str
    file_name: str
    mime_type: str
    size: int


class MessageRow(NamedTuple):
    """A message with the metadata of its attachments (the file bytes stay in the database)."""

    id: str
    conversation_id: str
    sender_type: str
    sender_id: str | None
    sender_name: str | None
    content: str
    message_type: str
    is_read: bool
    created_at: datetime
    attachments: list[AttachmentRow]


_MESSAGES = """
    SELECT id, conversation_id, sender_type, sender_id, sender_name, content, message_type,
           is_read, created_at
    FROM connextlive_message
"""
_ATTACHMENTS = """
    SELECT a.message_id, a.id, a.file_name, a.mime_type, a.size
    FROM connextlive_attachment a JOIN connextlive_message m ON m.id = a.message_id
"""


def messages_of(conversation_id: str, offset: int = 0, limit: int = -1) -> list[MessageRow]:
    """Oldest first; all of them unless `limit` is given (SQLite: a negative LIMIT is none)."""
    rows = _fetch(
        f"{_MESSAGES} WHERE conversation_id = %s ORDER BY created_at, id LIMIT %s OFFSET %s",
        [conversation_id, limit, offset],
    )
    if not rows:
        return []
    attachments = _attachments_by_message("m.conversation_id = %s", conversation_id)
    return [MessageRow(*row, attachments.get(row[0], [])) for row in rows]


def message_count(conversation_id: str) -> int:
    return _fetch(
        "SELECT COUNT(*) FROM connextlive_message WHERE conversation_id = %s", [conversation_id]
    )[0][0]


def message_of(message_id: str) -> MessageRow:
    (row,) = _fetch(f"{_MESSAGES} WHERE id = %s", [message_id])
    return MessageRow(*row, _attachments_by_message("m.id = %s", message_id).get(message_id, []))


def _attachments_by_message(condition: str, param: str) -> dict[str, list[AttachmentRow]]:
    by_message: dict[str, list[AttachmentRow]] = {}
    for row in _fetch(f"{_ATTACHMENTS} WHERE {condition} ORDER BY a.id", [param]):
        attachment = AttachmentRow._make(row)
        by_message.setdefault(attachment.message_id, []).append(attachment)
    return by_message


def unread_visitor_messages_in(conversation: Conversation) -> models.QuerySet[Message]:
    return Message.objects.filter(
        conversation=conversation, sender_type=SenderType.VISITOR, is_read=False
    )


# --- workspace figures -------------------------------------------------------------------------
# Read from the tally that triggers keep (models.ConversationTally): a few rows per workspace
# instead of every conversation and message of it, on every page of a list.


def unread_total(tenant: Tenant) -> int:
    """Unread visitor messages across the whole workspace."""
    ((unread,),) = _fetch(
        f"SELECT IFNULL(SUM(unread), 0) FROM {_TALLY} WHERE tenant_id = %s", [tenant.id]
    )
    return unread


def status_counts(tenant: Tenant) -> dict[str, int]:
    """`{"active", "waiting", "closed"}` over all of the tenant's conversations."""
    ((active, waiting, closed),) = _fetch(
        f"""
        SELECT IFNULL(SUM(conversations) FILTER (WHERE status = 'ACTIVE'), 0),
               IFNULL(SUM(conversations) FILTER (WHERE status = 'WAITING'), 0),
               IFNULL(SUM(conversations) FILTER (WHERE status = 'CLOSED'), 0)
        FROM {_TALLY} WHERE tenant_id = %s
        """,
        [tenant.id],
    )
    return {"active": active, "waiting": waiting, "closed": closed}


class AgentFigures(NamedTuple):
    """An agent of the workspace: their conversations by status and unread visitor messages."""

    agent_id: str
    agent_name: str
    active: int
    waiting: int
    closed: int
    total: int
    unread: int


# The tally's rows are keyed by the conversation's tenant: an agent counts the conversations of
# their own workspace only.
_AGENT_FIGURES = f"""
    SELECT agent.id AS agent_id, agent.name AS agent_name,
           IFNULL(SUM(f.conversations) FILTER (WHERE f.status = 'ACTIVE'), 0) AS active,
           IFNULL(SUM(f.conversations) FILTER (WHERE f.status = 'WAITING'), 0) AS waiting,
           IFNULL(SUM(f.conversations) FILTER (WHERE f.status = 'CLOSED'), 0) AS closed,
           IFNULL(SUM(f.conversations), 0) AS total,
           IFNULL(SUM(f.unread), 0) AS unread
    FROM connextlive_user agent
    LEFT JOIN {_TALLY} f ON f.tenant_id = agent.tenant_id AND f.agent_id = agent.id
    WHERE agent.tenant_id = %s AND agent.role = 'AGENT'
    GROUP BY agent.id
    ORDER BY agent.name, agent.id
"""


def agent_figures(tenant: Tenant) -> list[AgentFigures]:
    return _fetch_named(AgentFigures, _AGENT_FIGURES, [tenant.id])
