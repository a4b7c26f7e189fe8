"""ConnectiveOne's wire shapes (guess, except where README.md says doc): camelCase keys as a
Sequelize-backed API writes them, timestamps ISO 8601 UTC with milliseconds and `Z`."""

from typing import Any

from sandbox.connectiveone.models import Bot, ChatRoom, Operator, Ticket
from sandbox.state import format_timestamp


def operator(record: Operator) -> dict[str, Any]:
    return {"id": record.id, "email": record.email, "name": record.name, "role": record.role}


def bot(record: Bot) -> dict[str, Any]:
    return {"id": record.id, "name": record.name}


def chat_room(record: ChatRoom, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id,
        "botId": record.bot_id,
        "chatId": record.chat_id,
        "channel": record.channel,
        "status": record.status,
        "userName": record.user_name,
        "phone": record.phone,
        "operatorId": record.operator_id,
        "createdAt": format_timestamp(record.created_at),
        "updatedAt": format_timestamp(record.updated_at),
    }
    if "operator" in include:
        data["operator"] = operator(record.operator) if record.operator else None
    if "bot" in include:
        data["bot"] = bot(record.bot)
    if "tickets" in include:
        data["tickets"] = [ticket(item) for item in record.tickets.all()]
    return data


def ticket(record: Ticket, include: frozenset[str] = frozenset()) -> dict[str, Any]:
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
