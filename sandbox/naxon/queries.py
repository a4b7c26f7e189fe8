"""The SQL behind Naxon's endpoints, read into named tuples (cheaper than model instances for
pages of conversations with their recent messages; the sandbox is SQLite only)."""

from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.db import connection
from django.utils.dateparse import parse_datetime

from sandbox.naxon.http import Paging, Window
from sandbox.naxon.rules import RECENT_MESSAGES


class ModelRow(NamedTuple):
    id: int
    name: str
    created_at: datetime  # naive UTC, as SQLite gives it back


class ConversationRow(NamedTuple):
    id: int
    model_id: int
    model_name: str
    platform: str
    platform_user_id: str
    created_at: datetime
    updated_at: datetime


class MessageRow(NamedTuple):
    id: int
    conversation_id: int
    seq: str
    sender: str
    message: str
    created_at: datetime


_MODELS = "SELECT id, name, created_at FROM naxon_chatmodel"
_CONVERSATIONS = (
    "SELECT c.id, c.model_id, m.name, c.platform, c.platform_user_id, c.created_at, c.updated_at"
    " FROM naxon_conversation c JOIN naxon_chatmodel m ON m.id = c.model_id"
)
_MESSAGE_COLUMNS = "id, conversation_id, seq, sender, message, created_at"


def _rows[R: tuple](row_type: type[R], sql: str, params: list[Any]) -> list[R]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row_type(*row) for row in cursor.fetchall()]


def _count(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _stored(moment: datetime) -> str:
    return connection.ops.adapt_datetimefield_value(moment)


def _window_filter(window: Window, column_prefix: str) -> tuple[list[str], list[Any]]:
    """Conditions for `since` and `until`, both inclusive (doc)."""
    column = f"{column_prefix}{window.field}"
    conditions, values = [], []
    if window.since is not None:
        conditions.append(f"{column} >= %s")
        values.append(_stored(window.since))
    if window.until is not None:
        conditions.append(f"{column} <= %s")
        values.append(_stored(window.until))
    return conditions, values


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


# --- models ------------------------------------------------------------------------------------


def model(model_id: int) -> ModelRow | None:
    found = _rows(ModelRow, f"{_MODELS} WHERE id = %s", [model_id])
    return found[0] if found else None


def models(window: Window, paging: Paging) -> tuple[list[ModelRow], int]:
    """Newest first (guess), ties by id."""
    conditions, values = _window_filter(window, "")
    where = _where(conditions)
    total = _count(f"SELECT COUNT(*) FROM naxon_chatmodel{where}", values)
    rows = _rows(
        ModelRow,
        f"{_MODELS}{where} ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
        [*values, paging.per_page, paging.offset],
    )
    return rows, total


# --- conversations -----------------------------------------------------------------------------


def conversation(conversation_id: int) -> ConversationRow | None:
    found = _rows(ConversationRow, f"{_CONVERSATIONS} WHERE c.id = %s", [conversation_id])
    return found[0] if found else None


def conversations_by_id(conversation_ids: list[int]) -> list[ConversationRow]:
    placeholders = ", ".join(["%s"] * len(conversation_ids))
    return _rows(
        ConversationRow, f"{_CONVERSATIONS} WHERE c.id IN ({placeholders})", conversation_ids
    )


def conversations(
    window: Window,
    paging: Paging,
    model_id: int | None = None,
    platform_user_id: str | None = None,
) -> tuple[list[ConversationRow], int]:
    """Newest first by the field `sort` names (guess), ties by id."""
    conditions, values = _window_filter(window, "c.")
    if platform_user_id is not None:
        conditions.insert(0, "c.platform_user_id = %s")
        values.insert(0, platform_user_id)
    if model_id is not None:
        conditions.insert(0, "c.model_id = %s")
        values.insert(0, model_id)
    where = _where(conditions)
    total = _count(f"SELECT COUNT(*) FROM naxon_conversation c{where}", values)
    rows = _rows(
        ConversationRow,
        f"{_CONVERSATIONS}{where} ORDER BY c.{window.field} DESC, c.id DESC LIMIT %s OFFSET %s",
        [*values, paging.per_page, paging.offset],
    )
    return rows, total


def recent_messages(conversation_ids: list[int]) -> dict[int, list[MessageRow]]:
    """The last RECENT_MESSAGES messages of each conversation, oldest first."""
    if not conversation_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(conversation_ids))
    found = _rows(
        MessageRow,
        f"SELECT {_MESSAGE_COLUMNS} FROM (SELECT {_MESSAGE_COLUMNS}, ROW_NUMBER() OVER"
        " (PARTITION BY conversation_id ORDER BY seq DESC) AS position FROM naxon_message"
        f" WHERE conversation_id IN ({placeholders})) WHERE position <= %s"
        " ORDER BY conversation_id, seq",
        [*conversation_ids, RECENT_MESSAGES],
    )
    by_conversation: dict[int, list[MessageRow]] = {}
    for row in found:
        # A subquery's columns lose their declared type, so SQLite hands back text here.
        by_conversation.setdefault(row.conversation_id, []).append(
            row._replace(created_at=_as_datetime(row.created_at))
        )
    return by_conversation


def messages_up_to(conversation_id: int, seq: str) -> list[MessageRow]:
    """The conversation's last RECENT_MESSAGES messages up to and including `seq`, oldest
    first: its recent messages as they were when that message arrived."""
    found = _rows(
        MessageRow,
        f"SELECT {_MESSAGE_COLUMNS} FROM naxon_message WHERE conversation_id = %s AND seq <= %s"
        " ORDER BY seq DESC LIMIT %s",
        [conversation_id, seq, RECENT_MESSAGES],
    )
    return found[::-1]


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else parse_datetime(value)


def as_naive(value: datetime | str) -> datetime:
    """A stored moment (naive UTC, or its text) as a naive UTC datetime."""
    moment = _as_datetime(value)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


# --- messages ----------------------------------------------------------------------------------


def messages(conversation_id: int, paging: Paging) -> tuple[list[MessageRow], int]:
    """Oldest first (guess: a thread reads top to bottom), in `seq` order."""
    total = _count(
        "SELECT COUNT(*) FROM naxon_message WHERE conversation_id = %s", [conversation_id]
    )
    rows = _rows(
        MessageRow,
        f"SELECT {_MESSAGE_COLUMNS} FROM naxon_message WHERE conversation_id = %s"
        " ORDER BY seq LIMIT %s OFFSET %s",
        [conversation_id, paging.per_page, paging.offset],
    )
    return rows, total


def message(message_id: int) -> MessageRow | None:
    found = _rows(
        MessageRow, f"SELECT {_MESSAGE_COLUMNS} FROM naxon_message WHERE id = %s", [message_id]
    )
    return found[0] if found else None
