"""ConnectiveOne's endpoints: authentication, call_node (both forms), broadcast by phone, and
the chat-room and ticket lists with their filter, order, paging and include parameters."""

from typing import Any

from django.contrib.auth.hashers import check_password
from django.db.models import QuerySet
from django.http import HttpRequest

from sandbox.connectiveone import serializers
from sandbox.connectiveone.auth import (
    authenticated,
    has_external_token,
    issue_tokens,
    operator_of,
    revoke,
    verified_claims,
)
from sandbox.connectiveone.http import (
    ApiError,
    invalid,
    json_object,
    text,
    timestamp_param,
    whole_number,
)
from sandbox.connectiveone.models import (
    Bot,
    BroadcastTemplate,
    ChatRoom,
    Delivery,
    Node,
    Operator,
    Ticket,
)
from sandbox.state import STATE

CHANNELS = ("telegram", "viber", "whatsapp", "facebook", "instagram", "webchat")
DEFAULT_LIMIT = 10  # doc
MAX_LIMIT = 100  # guess: larger pages are capped, not refused
CHAT_ROOM_INCLUDES = frozenset({"operator", "bot", "tickets"})
TICKET_INCLUDES = frozenset({"chatRoom", "operator"})
CHAT_STATUSES = ("open", "closed")
TICKET_STATUSES = ("new", "in_progress", "resolved")


# --- authentication ---------------------------------------------------------------------------


def login(request: HttpRequest) -> dict[str, Any]:
    body = json_object(request)
    email, password = text(body.get("email"), max_length=254), body.get("password")
    problems = {}
    if email is None:
        problems["email"] = "required"
    if not isinstance(password, str) or not password:
        problems["password"] = "required"
    if problems:
        raise invalid(problems)
    record = Operator.objects.filter(email__iexact=email).first()
    if record is None or not check_password(password, record.password):
        raise ApiError(401, "Invalid email or password")
    return _signed_in(record)


def refresh(request: HttpRequest) -> dict[str, Any]:
    token = json_object(request).get("refreshToken")
    if not isinstance(token, str) or not token:
        raise invalid({"refreshToken": "required"})
    claims = verified_claims(token, "refresh")
    record = operator_of(claims) if claims else None
    if claims is None or record is None:
        raise ApiError(401, "Invalid or expired refresh token")
    revoke(claims)  # refresh tokens are used once
    return _signed_in(record)


def logout(request: HttpRequest) -> dict[str, Any]:
    """Ends the Bearer token of the request, and the refresh token if the body names it."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    claims = verified_claims(token.strip(), "access") if scheme.lower() == "bearer" else None
    if claims is None:
        raise ApiError(401, "Invalid or expired token")
    revoke(claims)
    refresh_token = json_object(request).get("refreshToken")
    if isinstance(refresh_token, str) and (other := verified_claims(refresh_token, "refresh")):
        revoke(other)
    return serializers.success("Logged out")


def _signed_in(record: Operator) -> dict[str, Any]:
    return {"status": "success", **issue_tokens(record), "user": serializers.operator(record)}


# --- call_node --------------------------------------------------------------------------------


def call_node_with_body(request: HttpRequest) -> dict[str, Any]:
    """POST /kw/api/call_node/ {bot_id, connector_alias (or node_id), channel, chat_id, data}."""
    authenticated(request)
    body = json_object(request)
    problems: dict[str, str] = {}
    bot_id = whole_number(body.get("bot_id"), minimum=1)
    if bot_id is None:
        problems["bot_id"] = "must be a positive whole number"
    alias = body.get("connector_alias")
    node_id = body.get("node_id")
    if alias is None and node_id is None:
        problems["connector_alias"] = "required (or node_id)"
    elif alias is not None and text(alias, max_length=100) is None:
        problems["connector_alias"] = "must be a non-empty string"
    elif alias is None and whole_number(node_id, minimum=1) is None:
        problems["node_id"] = "must be a positive whole number"
    channel, chat_id, data = _delivery_fields(body, problems)
    if problems:
        raise invalid(problems)
    bot = _bot(bot_id)
    node = (
        _node_by_alias(bot, text(alias, max_length=100))
        if alias is not None
        else _node_by_id(bot, whole_number(node_id))
    )
    return _deliver(bot, node, channel, chat_id, data)


def call_node_by_path(
    request: HttpRequest, bot_id: str, node_id: str, channel: str, chat_id: str
) -> dict[str, Any]:
    """POST /kw/api/call_node/{bot_id}/{node_id}/{channel}/{chat_id}; the body, if any, is the
    `data` object (guess)."""
    authenticated(request)
    problems: dict[str, str] = {}
    bot_number, node_number = whole_number(bot_id, minimum=1), whole_number(node_id, minimum=1)
    if bot_number is None:
        problems["bot_id"] = "must be a positive whole number"
    if node_number is None:
        problems["node_id"] = "must be a positive whole number"
    _, clean_chat, data = _delivery_fields(
        {"channel": channel, "chat_id": chat_id, "data": json_object(request)}, problems
    )
    if problems:
        raise invalid(problems)
    bot = _bot(bot_number)
    return _deliver(bot, _node_by_id(bot, node_number), channel, clean_chat, data)


def _delivery_fields(
    body: dict[str, Any], problems: dict[str, str]
) -> tuple[str, str, dict[str, Any]]:
    channel = body.get("channel")
    if channel not in CHANNELS:
        problems["channel"] = f"must be one of {', '.join(CHANNELS)}"
    chat_id = text(body.get("chat_id"), max_length=64)
    if chat_id is None:
        problems["chat_id"] = "required"
    data = body.get("data", {})
    if not isinstance(data, dict):
        problems["data"] = "must be an object"
    elif len(str(data.get("message", ""))) > 4096:
        problems["data"] = "message must contain at most 4096 characters"
    return str(channel), chat_id or "", data if isinstance(data, dict) else {}


def _bot(bot_id: int | None) -> Bot:
    bot = Bot.objects.filter(id=bot_id).first()
    if bot is None:
        raise ApiError(404, "Bot not found")
    return bot


def _node_by_alias(bot: Bot, alias: str | None) -> Node:
    node = Node.objects.filter(bot=bot, connector_alias=alias).first()
    if node is None:
        raise ApiError(404, "Connector alias not found")
    return node


def _node_by_id(bot: Bot, node_id: int | None) -> Node:
    node = Node.objects.filter(bot=bot, id=node_id).first()
    if node is None:
        raise ApiError(404, "Node not found")
    return node


def _deliver(
    bot: Bot, node: Node, channel: str, chat_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    room = ChatRoom.objects.filter(bot=bot, channel=channel, chat_id=chat_id).first()
    if room is None:
        raise ApiError(404, "Chat not found")
    Delivery.objects.create(chat_room=room, node=node, data=data, created_at=STATE.now())
    return serializers.success("Node called")


# --- broadcast by phone -----------------------------------------------------------------------


def broadcast_route(request: HttpRequest) -> dict[str, Any]:
    """POST /kw/api/broadcast/route with x-auth-token {phone, bot_id, template_id} (doc)."""
    try:
        body = json_object(request)
    except ApiError:
        raise ApiError(422, "Invalid token or request data") from None  # doc: the one message
    phone = body.get("phone")
    bot_id = whole_number(body.get("bot_id"), minimum=1)
    template_id = whole_number(body.get("template_id"), minimum=1)
    phone_ok = isinstance(phone, str) and phone.isascii() and phone.isdigit()
    if not has_external_token(request) or not phone_ok or bot_id is None or template_id is None:
        raise ApiError(422, "Invalid token or request data")  # doc: one message for both
    template = BroadcastTemplate.objects.filter(id=template_id, bot_id=bot_id).first()
    room = ChatRoom.objects.filter(bot_id=bot_id, phone=phone).order_by("-updated_at").first()
    if template is None or room is None:
        raise ApiError(404, "User not found or template does not exist")
    Delivery.objects.create(
        chat_room=room, template=template, data={"templateId": template.id}, created_at=STATE.now()
    )
    return serializers.success("Broadcast scheduled")


# --- lists ------------------------------------------------------------------------------------


def list_chat_rooms(request: HttpRequest) -> dict[str, Any]:
    authenticated(request)
    rows = ChatRoom.objects.select_related("operator", "bot")
    include = _include(request, CHAT_ROOM_INCLUDES)
    if "tickets" in include:
        rows = rows.prefetch_related("tickets")
    page, count = _listed(request, rows, CHAT_STATUSES)
    return {"rows": [serializers.chat_room(row, include) for row in page], "count": count}


def list_tickets(request: HttpRequest) -> dict[str, Any]:
    authenticated(request)
    rows = Ticket.objects.select_related("operator", "chat_room")
    include = _include(request, TICKET_INCLUDES)
    page, count = _listed(request, rows, TICKET_STATUSES)
    return {"rows": [serializers.ticket(row, include) for row in page], "count": count}


def _include(request: HttpRequest, allowed: frozenset[str]) -> frozenset[str]:
    """`include=operator,bot` (and repeated `include=`): the related objects to embed."""
    names = {
        name.strip()
        for value in request.GET.getlist("include")
        for name in value.split(",")
        if name.strip()
    }
    if unknown := names - allowed:
        raise invalid({"include": f"unknown {', '.join(sorted(unknown))[:200]}"})
    return frozenset(names)


def _listed(request: HttpRequest, rows: QuerySet, statuses: tuple[str, ...]) -> tuple[list, int]:
    """The filters, order and page of a list (doc: filter[createdAt][gt|lt], limit, offset,
    order[createdAt]; guess: filter[status], the order's tie-break on id)."""
    params = request.GET
    problems: dict[str, str] = {}
    for bound, lookup in (("gt", "created_at__gt"), ("lt", "created_at__lt")):
        name = f"filter[createdAt][{bound}]"
        if raw := params.get(name):
            moment = timestamp_param(raw)
            if moment is None:
                problems[name] = "must be an ISO 8601 date-time"
            else:
                rows = rows.filter(**{lookup: moment})
    if status := params.get("filter[status]"):
        if status not in statuses:
            problems["filter[status]"] = f"must be one of {', '.join(statuses)}"
        rows = rows.filter(status=status)
    order = params.get("order[createdAt]", "desc")
    if order not in ("asc", "desc"):
        problems["order[createdAt]"] = "must be asc or desc"
    limit = _number_param(params.get("limit"), DEFAULT_LIMIT, 1, "limit", problems)
    offset = _number_param(params.get("offset"), 0, 0, "offset", problems)
    if problems:
        raise invalid(problems)
    ordering = ("created_at", "id") if order == "asc" else ("-created_at", "-id")
    count = rows.count()
    return list(rows.order_by(*ordering)[offset : offset + min(limit, MAX_LIMIT)]), count


def _number_param(
    raw: str | None, default: int, minimum: int, name: str, problems: dict[str, str]
) -> int:
    if raw is None or raw == "":
        return default
    number = whole_number(raw, minimum=minimum)
    if number is None:
        problems[name] = f"must be a whole number from {minimum}"
        return default
    return number
