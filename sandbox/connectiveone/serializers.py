"""ConnectiveOne's wire shapes (guess, except where README.md says doc): camelCase keys as a
Sequelize-backed API writes them, timestamps ISO 8601 UTC with milliseconds and `Z`."""

from typing import TYPE_CHECKING, Any

from sandbox.connectiveone.models import Operator
from sandbox.state import format_timestamp

if TYPE_CHECKING:
    from sandbox.connectiveone.views import BotRow, ChatRoomRow, OperatorRow, TicketRow


def operator(record: "Operator | OperatorRow") -> dict[str, Any]:
    return {"id": record.id, "email": record.email, "name": record.name, "role": record.role}


def bot(record: "BotRow") -> dict[str, Any]:
    return {"id": record.id, "name": record.name}


def chat_room(record: "ChatRoomRow", include: frozenset[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id,
        "botId": record.bot_id,
        "chatId": record.chat_id,
        "channel": record.channel,
        "status": record.status,
        "userName": record.user_name,
        "phone": record.phone,
        "email": record.email,
        "operatorId": record.operator_id,
        "createdAt": format_timestamp(record.created_at),
        "updatedAt": format_timestamp(record.updated_at),
    }
    if "operator" in include:
        data["operator"] = operator(record.operator) if record.operator else None
    if "bot" in include:
        data["bot"] = bot(record.bot)
    if "tickets" in include:
        data["tickets"] = [ticket(item) for item in record.tickets]
    return data


def ticket(record: "TicketRow", include: frozenset[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id,
        "chatRoomId": record.chat_room_id,
        "subject": record.subject,
        "status": record.status,
        "priority": record.priority,
        "operatorId": record.operator_id,
        "createdAt": format_timestamp(record.created_at),
        "updatedAt": format_timestamp(record.updated_at),
    }
    if "chatRoom" in include:
        data["chatRoom"] = chat_room(record.chat_room)
    if "operator" in include:
        data["operator"] = operator(record.operator) if record.operator else None
    return data


def success(message: str) -> dict[str, Any]:
    return {"status": "success", "message": message}
