"""Naxon's wire shapes, in one place (sandbox/README.md, "Naxon AI wire shapes").

The records' fields are the document's (seeds/001): snake_case keys, int64 ids, timestamps like
`2025-05-05T05:05:05+0700`. The sandbox writes every timestamp in +0700, the offset of the
document's examples (guess: the real service's zone is not stated), so a client that ignores
offsets reads every time seven hours off. Seconds are the finest unit on the wire.
"""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.naxon.queries import ConversationRow, MessageRow, ModelRow

WIRE_OFFSET = timedelta(hours=7)
WIRE_OFFSET_TEXT = "+0700"


def timestamp(moment: datetime) -> str:
    """`2025-05-05T05:05:05+0700`. A naive moment is UTC, as rows read with SQL hold them."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return (moment + WIRE_OFFSET).isoformat(timespec="seconds") + WIRE_OFFSET_TEXT


def model(row: "ModelRow") -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "created_at": timestamp(row.created_at)}


def message(row: "MessageRow") -> dict[str, Any]:
    return {
        "id": row.id,
        "seq": row.seq,
        "sender": row.sender,
        "message": row.message,
        "created_at": timestamp(row.created_at),
    }


def conversation(row: "ConversationRow", recent: list["MessageRow"]) -> dict[str, Any]:
    """`recent`: its last messages, oldest first (at most RECENT_MESSAGES)."""
    return {
        "id": row.id,
        "model_id": row.model_id,
        "model_name": row.model_name,
        "created_at": timestamp(row.created_at),
        "updated_at": timestamp(row.updated_at),
        "most_recent_message": message(recent[-1]) if recent else None,
        "recent_messages": [message(item) for item in recent],
        "platform": row.platform,
        "platform_user_id": row.platform_user_id,
    }


def page(data: list[dict[str, Any]], number: int, per_page: int, total: int) -> dict[str, Any]:
    """The list envelope (doc): the request's `per_page` comes back as `rows_per_page`."""
    return {
        "data": data,
        "page": number,
        "rows_per_page": per_page,
        "total_pages": -(-total // per_page),
        "total_rows": total,
    }
