"""UChat's wire shapes: snake_case keys as UChat writes them (obs: `user_ns`, `tag_ns`,
`sub_flow_ns`), timestamps ISO 8601 UTC with milliseconds and `Z` (guess). The list envelope
`{"data": [...], "meta": {"current_page", "per_page", "total"}, "status": "ok"}` is obs; the
records' other fields are guesses (sandbox/README.md, "UChat wire shapes")."""

from datetime import datetime
from typing import Any, NamedTuple

from sandbox.state import format_timestamp
from sandbox.uchat.fields import loaded


class TagRow(NamedTuple):
    tag_ns: str
    name: str


class SubFlowRow(NamedTuple):
    sub_flow_ns: str
    name: str


class UserFieldRow(NamedTuple):
    var_ns: str
    name: str
    var_type: str
    description: str


class SubscriberRow(NamedTuple):
    id: int
    user_ns: str
    user_id: str
    channel: str
    name: str
    first_name: str
    last_name: str
    gender: str | None
    email: str | None
    phone: str | None
    subscribed: bool
    allow_send_message: bool
    subscribed_at: datetime  # naive UTC, as SQLite gives it back
    last_interaction_at: datetime | None


def tag(row: TagRow) -> dict[str, Any]:
    return {"tag_ns": row.tag_ns, "name": row.name}


def sub_flow(row: SubFlowRow) -> dict[str, Any]:
    return {"name": row.name, "sub_flow_ns": row.sub_flow_ns}


def user_field(row: UserFieldRow) -> dict[str, Any]:
    return {
        "var_ns": row.var_ns,
        "name": row.name,
        "var_type": row.var_type,
        "description": row.description,
    }


def subscriber(
    row: SubscriberRow,
    tags: list[TagRow],
    fields: list[UserFieldRow],
    values: dict[str, str],
) -> dict[str, Any]:
    """The subscriber with its tags and every user field of the bot (`value` null when unset)."""
    return {
        "user_ns": row.user_ns,
        "user_id": row.user_id,
        "channel": row.channel,
        "name": row.name,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "gender": row.gender,
        "email": row.email,
        "phone": row.phone,
        "subscribed": bool(row.subscribed),
        "allow_send_message": bool(row.allow_send_message),
        "subscribed_at": format_timestamp(row.subscribed_at),
        "last_interaction_at": (
            format_timestamp(row.last_interaction_at) if row.last_interaction_at else None
        ),
        "tags": [tag(item) for item in tags],
        "user_fields": [
            {
                "var_ns": field.var_ns,
                "name": field.name,
                "var_type": field.var_type,
                "value": loaded(values[field.var_ns]) if field.var_ns in values else None,
            }
            for field in fields
        ],
    }


def page(items: list[dict[str, Any]], *, current_page: int, per_page: int, total: int) -> dict:
    return {
        "data": items,
        "meta": {"current_page": current_page, "per_page": per_page, "total": total},
        "status": "ok",
    }
