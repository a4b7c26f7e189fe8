"""ConnectiveOne's endpoints: authentication, call_node (both forms), broadcast by phone, and
the chat-room and ticket lists with their filter, order, paging and include parameters."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib.auth.hashers import check_password
from django.db import connection
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
from sandbox.connectiveone.models import Operator
from sandbox.database import first_row
from sandbox.state import STATE

CHANNELS = ("telegram", "viber", "whatsapp", "facebook", "instagram", "webchat")
DEFAULT_LIMIT = 10  # doc
MAX_LIMIT = 100  # guess: larger pages are capped, not refused
CHAT_ROOM_INCLUDES = frozenset({"operator", "bot", "tickets"})
TICKET_INCLUDES = frozenset({"chatRoom", "operator"})
CHAT_STATUSES = ("open", "closed")
TICKET_STATUSES = ("new", "in_progress", "resolved")
TICKET_PRIORITIES = ("low", "normal", "high")


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


# call_node is what broadcasts send, once per recipient, so its lookups and its insert are SQL
# through `connection.cursor()`: compiling the equivalent querysets cost more than the rest of
# the call (the sandbox is SQLite only, settings.py). Ids stand for the rows found.


def _bot(bot_id: int | None) -> int:
    if first_row("SELECT id FROM connectiveone_bot WHERE id = %s", bot_id) is None:
        raise ApiError(404, "Bot not found")
    return bot_id


def _node_by_alias(bot_id: int, alias: str | None) -> int:
    node = first_row(
        "SELECT id FROM connectiveone_node WHERE bot_id = %s AND connector_alias = %s",
        bot_id,
        alias,
    )
    if node is None:
        raise ApiError(404, "Connector alias not found")
    return node[0]


def _node_by_id(bot_id: int, node_id: int | None) -> int:
    node = first_row(
        "SELECT id FROM connectiveone_node WHERE bot_id = %s AND id = %s", bot_id, node_id
    )
    if node is None:
        raise ApiError(404, "Node not found")
    return node[0]


def _deliver(
    bot_id: int, node_id: int, channel: str, chat_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    room = first_row(
        "SELECT id FROM connectiveone_chatroom WHERE bot_id = %s AND channel = %s AND chat_id = %s",
        bot_id,
        channel,
        chat_id,
    )
    if room is None:
        raise ApiError(404, "Chat not found")
    _record_delivery(room[0], data, node_id=node_id)
    return serializers.success("Node called")


def _record_delivery(
    chat_room_id: int,
    data: dict[str, Any],
    node_id: int | None = None,
    template_id: int | None = None,
) -> None:
    """A Delivery row, its values adapted by the ORM's own adapters."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO connectiveone_delivery"
            " (chat_room_id, node_id, template_id, data, created_at) VALUES (%s, %s, %s, %s, %s)",
            [
                chat_room_id,
                node_id,
                template_id,
                connection.ops.adapt_json_value(data, None),
                connection.ops.adapt_datetimefield_value(STATE.now()),
            ],
        )


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
    template = first_row(
        "SELECT id FROM connectiveone_broadcasttemplate WHERE id = %s AND bot_id = %s",
        template_id,
        bot_id,
    )
    room = first_row(
        "SELECT id FROM connectiveone_chatroom WHERE bot_id = %s AND phone = %s"
        " ORDER BY updated_at DESC LIMIT 1",
        bot_id,
        phone,
    )
    if template is None or room is None:
        raise ApiError(404, "User not found or template does not exist")
    _record_delivery(room[0], {"templateId": template[0]}, template_id=template[0])
    return serializers.success("Broadcast scheduled")


# --- lists ------------------------------------------------------------------------------------
# Read with SQL too, into named tuples: as model instances, a page of 100 chat rooms with their
# operators, bots and tickets cost noticeably more (the figure: bench/README.md, bench_jobs.py).


class OperatorRow(NamedTuple):
    id: int
    email: str
    name: str
    role: str


class BotRow(NamedTuple):
    id: int
    name: str


class ChatRoomRow(NamedTuple):
    id: int
    bot_id: int
    chat_id: str
    channel: str
    status: str
    user_name: str | None
    phone: str | None
    email: str | None
    operator_id: int | None
    created_at: datetime  # naive UTC, as SQLite gives it back
    updated_at: datetime
    # What `include=` embeds:
    operator: OperatorRow | None = None
    bot: BotRow | None = None
    tickets: "tuple[TicketRow, ...]" = ()


class TicketRow(NamedTuple):
    id: int
    chat_room_id: int
    subject: str
    status: str
    priority: str
    operator_id: int | None
    created_at: datetime  # naive UTC, as SQLite gives it back
    updated_at: datetime
    # What `include=` embeds:
    chat_room: ChatRoomRow | None = None
    operator: OperatorRow | None = None


def _select(row_type: type[tuple], table: str) -> str:
    """SELECT the row type's columns (its fields without a default, in order) from `table`."""
    columns = [name for name in row_type._fields if name not in row_type._field_defaults]
    return f"SELECT {', '.join(columns)} FROM {table}"


_OPERATORS = _select(OperatorRow, "connectiveone_operator")
_BOTS = _select(BotRow, "connectiveone_bot")
_CHAT_ROOMS = _select(ChatRoomRow, "connectiveone_chatroom")
_TICKETS = _select(TicketRow, "connectiveone_ticket")


def list_chat_rooms(request: HttpRequest) -> dict[str, Any]:
    authenticated(request)
    include = _include(request, CHAT_ROOM_INCLUDES)
    page, count = _listed(request, ChatRoomRow, CHAT_ROOM_LIST)
    if include:
        operators, bots, tickets = {}, {}, {}
        if "operator" in include:
            operators = _by_id(OperatorRow, _OPERATORS, [row.operator_id for row in page])
        if "bot" in include:
            bots = _by_id(BotRow, _BOTS, [row.bot_id for row in page])
        if "tickets" in include:
            tickets = _tickets_by_room([row.id for row in page])
        page = [
            row._replace(
                operator=operators.get(row.operator_id),
                bot=bots.get(row.bot_id),
                tickets=tuple(tickets.get(row.id, ())),
            )
            for row in page
        ]
    return {"rows": [serializers.chat_room(row, include) for row in page], "count": count}


def get_chat_room(request: HttpRequest, room_id: str) -> dict[str, Any]:
    """GET /kw/api/v1/OpChatRooms/{id} (doc: "Getting chat by ID"; the path and the answer,
    the chat room as the list writes it, are guesses), with the list's `include`."""
    authenticated(request)
    include = _include(request, CHAT_ROOM_INCLUDES)
    number = whole_number(room_id, minimum=1)
    found = _rows(ChatRoomRow, f"{_CHAT_ROOMS} WHERE id = %s", [number]) if number else []
    if not found:
        raise ApiError(404, "Chat not found")
    row = found[0]
    if include:
        operators = (
            _by_id(OperatorRow, _OPERATORS, [row.operator_id]) if "operator" in include else {}
        )
        bots = _by_id(BotRow, _BOTS, [row.bot_id]) if "bot" in include else {}
        tickets = _tickets_by_room([row.id]) if "tickets" in include else {}
        row = row._replace(
            operator=operators.get(row.operator_id),
            bot=bots.get(row.bot_id),
            tickets=tuple(tickets.get(row.id, ())),
        )
    return serializers.chat_room(row, include)


def list_tickets(request: HttpRequest) -> dict[str, Any]:
    authenticated(request)
    include = _include(request, TICKET_INCLUDES)
    page, count = _listed(request, TicketRow, TICKET_LIST)
    if include:
        rooms, operators = {}, {}
        if "chatRoom" in include:
            rooms = _by_id(ChatRoomRow, _CHAT_ROOMS, [row.chat_room_id for row in page])
        if "operator" in include:
            operators = _by_id(OperatorRow, _OPERATORS, [row.operator_id for row in page])
        page = [
            row._replace(
                chat_room=rooms.get(row.chat_room_id), operator=operators.get(row.operator_id)
            )
            for row in page
        ]
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


class ListSpec(NamedTuple):
    """What one list accepts beyond paging: its `filter[...]` keys (each a column and the check
    of its value) and its `order[...]` keys (each an SQL expression to sort by)."""

    table: str
    filters: dict[str, tuple[str, Callable[[str], Any]]]
    orders: dict[str, str]


def _one_of(*values: str) -> Callable[[str], Any]:
    def check(raw: str) -> str:
        if raw not in values:
            raise ValueError(f"must be one of {', '.join(values)}")
        return raw

    return check


def _positive_id(raw: str) -> int:
    number = whole_number(raw, minimum=1)
    if number is None:
        raise ValueError("must be a positive whole number")
    return number


def _phone(raw: str) -> str:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 20):
        raise ValueError("must be digits, international format without +")
    return raw


def _email(raw: str) -> str:
    if "@" not in raw or len(raw) > 254:
        raise ValueError("must be an e-mail address")
    return raw.lower()


def _rank(column: str, values: tuple[str, ...]) -> str:
    """An ORDER BY expression that sorts `values` in their given order (not alphabetically)."""
    cases = " ".join(f"WHEN '{value}' THEN {rank}" for rank, value in enumerate(values))
    return f"CASE {column} {cases} ELSE {len(values)} END"


# Filters: seeds/000 documents creation date and status for both lists, operator for chats and
# priority for tickets; the key names beyond filter[createdAt] are guesses in the document's
# flat style, and so are the chats' phone and email (what the console's contact search needs).
# Sorting "by various fields" (doc): the fields are guesses; createdAt is the document's.
CHAT_ROOM_LIST = ListSpec(
    table="connectiveone_chatroom",
    filters={
        "filter[status]": ("status", _one_of(*CHAT_STATUSES)),
        "filter[operatorId]": ("operator_id", _positive_id),
        "filter[phone]": ("phone", _phone),
        "filter[email]": ("email", _email),
    },
    orders={
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "id": "id",
        "status": _rank("status", CHAT_STATUSES),
        "userName": "user_name",
        "channel": "channel",
    },
)
TICKET_LIST = ListSpec(
    table="connectiveone_ticket",
    filters={
        "filter[status]": ("status", _one_of(*TICKET_STATUSES)),
        "filter[priority]": ("priority", _one_of(*TICKET_PRIORITIES)),
    },
    orders={
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "id": "id",
        "status": _rank("status", TICKET_STATUSES),
        "priority": _rank("priority", TICKET_PRIORITIES),
        "subject": "subject",
    },
)
CREATED_AT_FILTERS = {"filter[createdAt][gt]": ">", "filter[createdAt][lt]": "<"}


def _listed[R: tuple](
    request: HttpRequest, row_type: type[R], spec: ListSpec
) -> tuple[list[R], int]:
    """The filters, order and page of a list (doc: filter[createdAt][gt|lt], limit, offset,
    order[createdAt], and that the lists filter and sort by more; guess: the other keys, the
    default order and its tie-break on id). An unknown `filter[...]` or `order[...]` key is a
    422 naming it and the known ones, not a list that silently ignores it."""
    params = request.GET
    problems: dict[str, str] = {}
    conditions, values = ["TRUE"], []
    orders: list[str] = []
    for name in params:
        raw = params.get(name, "")
        if name in CREATED_AT_FILTERS:
            if not raw:
                continue
            moment = timestamp_param(raw)
            if moment is None:
                problems[name] = "must be an ISO 8601 date-time"
            else:
                conditions.append(f"created_at {CREATED_AT_FILTERS[name]} %s")
                values.append(connection.ops.adapt_datetimefield_value(moment))
        elif name in spec.filters:
            if not raw:
                continue
            column, check = spec.filters[name]
            try:
                values.append(check(raw))
            except ValueError as error:
                problems[name] = str(error)
            conditions.append(f"{column} = %s")
        elif name.startswith("filter["):
            known = ", ".join([*CREATED_AT_FILTERS, *spec.filters])
            problems[_shown(name)] = f"unknown filter; known: {known}"
        elif name.startswith("order["):
            field = name.removeprefix("order[").removesuffix("]")
            if not name.endswith("]") or field not in spec.orders:
                known = ", ".join(f"order[{key}]" for key in spec.orders)
                problems[_shown(name)] = f"unknown sort field; known: {known}"
            elif raw not in ("asc", "desc"):
                problems[name] = "must be asc or desc"
            else:
                orders.append(f"{spec.orders[field]} {raw}")
    if not orders:
        orders.append("created_at desc")
    limit = _number_param(params.get("limit"), DEFAULT_LIMIT, 1, "limit", problems)
    offset = _number_param(params.get("offset"), 0, 0, "offset", problems)
    if problems:
        raise invalid(problems)
    # Ties go by id, in the direction of the first key.
    orders.append(f"id {orders[0].rsplit(' ', 1)[1]}")
    where = " AND ".join(conditions)
    (count,) = first_row(f"SELECT COUNT(*) FROM {spec.table} WHERE {where}", *values)
    page = _rows(
        row_type,
        f"{_select(row_type, spec.table)} WHERE {where}"
        f" ORDER BY {', '.join(orders)} LIMIT %s OFFSET %s",
        [*values, min(limit, MAX_LIMIT), offset],
    )
    return page, count


def _shown(name: str) -> str:
    """A parameter's name as an error message quotes it: printable, and not too long."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in name)
    return cleaned[:60] + ("…" if len(cleaned) > 60 else "")


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


def _rows[R: tuple](row_type: type[R], sql: str, params: list[Any]) -> list[R]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row_type(*row) for row in cursor.fetchall()]


def _by_id[R: tuple](row_type: type[R], select: str, ids: list[int | None]) -> dict[int, R]:
    """The rows of `select` with these ids (`None` is no row), by id."""
    wanted = sorted({row_id for row_id in ids if row_id is not None})
    if not wanted:
        return {}
    placeholders = ", ".join(["%s"] * len(wanted))
    found = _rows(row_type, f"{select} WHERE id IN ({placeholders})", wanted)
    return {row.id: row for row in found}


def _tickets_by_room(room_ids: list[int]) -> dict[int, list[TicketRow]]:
    if not room_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(room_ids))
    by_room: dict[int, list[TicketRow]] = {}
    for ticket in _rows(
        TicketRow, f"{_TICKETS} WHERE chat_room_id IN ({placeholders}) ORDER BY id", room_ids
    ):
        by_room.setdefault(ticket.chat_room_id, []).append(ticket)
    return by_room
