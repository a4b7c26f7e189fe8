"""ConnectiveOne's part of the sandbox's OpenAPI document: everything served under /connectiveone.

seeds/000 gives the paths of call_node (both forms) and its request body, the chat-room and ticket
lists with their createdAt filter, order and paging parameters (and says, without names, that
chats filter by status and operator, tickets by status and priority, and both sort "by various
fields"), and two ways to authenticate: Bearer JWT and x-auth-token. Those parts are `doc`.
The `Authorization: API-Key` header, broadcast/route with its three answers and the answer
`{"status": "success"|"error", "message": …}` come from platforms.md, the team's notes on the
vendor's other pages, not from seeds/000: they are `obs`. The authentication paths, the chat by
id's path, the other filter and sort keys, the list envelope `{rows, count}`, the records in it
and the sandbox's limits are `guess` (see sandbox/README.md).

`sandbox.openapi` registers this module's `paths`, `schemas` and `responses` in PLATFORM_SPECS
and declares the security schemes and tags they name. Wire names here must follow
serializers.py and views.py, which the tests check against the running sandbox.
"""

from typing import Any

from sandbox.openapi import (
    CONNECTIVEONE_API_KEY,
    CONNECTIVEONE_BEARER,
    CONNECTIVEONE_EXTERNAL_TOKEN,
    ERROR_RESPONSES,
    FIDELITY,
    LARGEST_QUERY_NUMBER,
    Fidelity,
    Schema,
    array,
    constant,
    count,
    doc,
    email,
    guess,
    integer,
    json_body,
    json_content,
    labelled,
    non_blank,
    nullable,
    one_of_values,
    query,
    query_number,
    record,
    ref,
    request_object,
    response_ref,
    string,
    success,
    timestamp,
)

# As sandbox/connectiveone/views.py has them (guess, except the default limit).
CHANNELS = ("telegram", "viber", "whatsapp", "facebook", "instagram", "webchat")
DEFAULT_LIMIT = 10  # doc
MAX_LIMIT = 100
CHAT_STATUSES = ("open", "closed")
TICKET_STATUSES = ("new", "in_progress", "resolved")
TICKET_PRIORITIES = ("low", "normal", "high")
OPERATOR_ROLES = ("admin", "operator")
CHAT_ROOM_INCLUDES = ("operator", "bot", "tickets")
TICKET_INCLUDES = ("chatRoom", "operator")
MAX_MESSAGE_LENGTH = 4096
JWT_PATTERN = r"^[\w-]+\.[\w-]+\.[\w-]+$"
ALL_SCHEMES = (CONNECTIVEONE_API_KEY, CONNECTIVEONE_BEARER, CONNECTIVEONE_EXTERNAL_TOKEN)
INVALID_DATA_PATTERN = "^Invalid request data"

# Component names: one platform's names must not clash with another's.
RESULT = "ConnectiveOneResult"
ERROR = "ConnectiveOneError"
UNAUTHORIZED = "ConnectiveOneUnauthorized"
NOT_FOUND = "ConnectiveOneNotFound"
INVALID = "ConnectiveOneInvalid"


# --- values as the sandbox reads them ----------------------------------------------------------


def obs(schema: Schema) -> Schema:
    """Known from platforms.md (the vendor's other pages), not from seeds/000."""
    return labelled(schema, "obs")


def whole_number() -> Schema:
    """A positive id: a JSON number, or a string of its digits (views.py's `whole_number`)."""
    return {
        "anyOf": [
            integer(minimum=1, maximum=LARGEST_QUERY_NUMBER),
            string(pattern="^[0-9]{1,10}$"),
        ],
        "description": "A positive whole number; a string of digits is read as one.",
    }


def text(*, max_length: int) -> Schema:
    """Non-blank text of at most `max_length` characters; a JSON number is read as its digits."""
    return {"anyOf": [non_blank(maxLength=max_length), integer()]}


def message_data() -> Schema:
    """What the bot's node receives; only `message` is checked (at most 4096 characters, guess)."""
    return {
        "type": "object",
        "properties": {
            "message": doc(
                {"maxLength": MAX_MESSAGE_LENGTH, "description": "The text the node sends."}
            )
        },
        FIDELITY: "doc",
    }


# --- component schemas -------------------------------------------------------------------------


def result_schema() -> Schema:
    return record(
        {"status": obs(constant("success")), "message": obs(string())},
        fidelity="obs",
        description="A success (platforms.md, for call_node and broadcast/route: seeds/000 shows "
        "no answer; logout's is a guess).",
    )


def error_schema() -> Schema:
    return record(
        {"status": obs(constant("error")), "message": obs(string())},
        fidelity="obs",
        description="Every ConnectiveOne failure (platforms.md, for call_node and "
        "broadcast/route; the sandbox answers the same shape everywhere, guess).",
    )


def operator_schema() -> Schema:
    return record(
        {
            "id": integer(minimum=1),
            "email": email(),
            "name": string(),
            "role": one_of_values(*OPERATOR_ROLES),
        },
        description="An operator of the instance: who logs in and takes chats.",
    )


def session_schema() -> Schema:
    return record(
        {
            "status": constant("success"),
            "token": string(pattern=JWT_PATTERN, description="Access JWT (HS256), one hour."),
            "refreshToken": string(pattern=JWT_PATTERN, description="Refresh JWT, 30 days, once."),
            "expiresIn": integer(minimum=1, description="Seconds the access token lives."),
            "user": ref("ConnectiveOneOperator"),
        },
        description="Login and refresh answer this; the endpoints are doc, the body is ours.",
    )


def bot_schema() -> Schema:
    return record({"id": integer(minimum=1), "name": string()})


def with_includes(base: Schema, includes: dict[str, Schema]) -> Schema:
    """The record, and the related objects `include` asked for (present only then)."""
    return {**base, "properties": {**base["properties"], **includes}}


def chat_room_schema() -> Schema:
    fields = {
        "id": guess(integer(minimum=1)),
        "botId": guess(integer(minimum=1)),
        "chatId": guess(string(minLength=1)),
        "channel": guess(one_of_values(*CHANNELS)),
        "status": guess(one_of_values(*CHAT_STATUSES)),
        "userName": guess(nullable(string())),
        "phone": guess(nullable(string(pattern="^[0-9]+$"))),
        "email": guess(nullable(string(description="The e-mail the person gave the bot."))),
        "operatorId": guess(nullable(integer(minimum=1))),
        "createdAt": doc(timestamp()),
        "updatedAt": guess(timestamp()),
    }
    includes = {
        "operator": guess(nullable(ref("ConnectiveOneOperator"))),
        "bot": guess(ref("ConnectiveOneBot")),
        "tickets": guess(array(ref("ConnectiveOneTicket"))),
    }
    return with_includes(
        record(fields, description="An OpChatRooms row: one person's chat with a bot."), includes
    )


def ticket_schema() -> Schema:
    fields = {
        "id": guess(integer(minimum=1)),
        "chatRoomId": guess(integer(minimum=1)),
        "subject": guess(string()),
        "status": guess(one_of_values(*TICKET_STATUSES)),
        "priority": guess(one_of_values(*TICKET_PRIORITIES)),
        "operatorId": guess(nullable(integer(minimum=1))),
        "createdAt": doc(timestamp()),
        "updatedAt": guess(timestamp()),
    }
    includes = {
        "chatRoom": guess(ref("ConnectiveOneChatRoom")),
        "operator": guess(nullable(ref("ConnectiveOneOperator"))),
    }
    return with_includes(record(fields), includes)


def list_schema(item: str) -> Schema:
    return record(
        {"rows": array(ref(item), maxItems=MAX_LIMIT), "count": count()},
        description="`rows`: the page; `count`: every row the filters match (guess, as a "
        "Sequelize-backed API answers findAndCountAll).",
    )


def schemas() -> dict[str, Schema]:
    return {
        RESULT: result_schema(),
        ERROR: error_schema(),
        "ConnectiveOneOperator": operator_schema(),
        "ConnectiveOneSession": session_schema(),
        "ConnectiveOneBot": bot_schema(),
        "ConnectiveOneChatRoom": chat_room_schema(),
        "ConnectiveOneTicket": ticket_schema(),
        "ConnectiveOneChatRoomList": list_schema("ConnectiveOneChatRoom"),
        "ConnectiveOneTicketList": list_schema("ConnectiveOneTicket"),
    }


# --- error responses ---------------------------------------------------------------------------


def error_answer(description: str, message: Schema | None = None) -> dict[str, Any]:
    schema: Schema = ref(ERROR)
    if message is not None:
        schema = {"allOf": [schema, {"properties": {"message": message}}]}
    return {"description": description, "content": json_content(schema)}


def responses() -> dict[str, Any]:
    return {
        UNAUTHORIZED: error_answer(
            "Credentials missing, unknown, expired or revoked (guess: the real status is not "
            "documented)."
        ),
        NOT_FOUND: error_answer("No such bot, node, connector alias or chat (guess)."),
        INVALID: error_answer(
            "The input is invalid; the message names each bad field (guess).",
            string(pattern=INVALID_DATA_PATTERN),
        ),
    }


def errors(*statuses: int) -> dict[str, Any]:
    """The operation's error answers. Any request may also meet an injected fault (429, 500):
    the sandbox's fault layer answers those for every platform in Connextlive's error shape."""
    names = {401: UNAUTHORIZED, 404: NOT_FOUND, 422: INVALID}
    answers = {str(status): response_ref(names[status]) for status in statuses}
    for status in (429, 500):
        answers[str(status)] = response_ref(ERROR_RESPONSES[status][0])
    return answers


def unmatched_path_not_found() -> dict[str, Any]:
    """A segment that holds `/` (or is `.` or `..`) makes a path no route matches; the
    sandbox's catch-all answers it in Connextlive's error shape (sandbox/views.py)."""
    route_miss = {"allOf": [ref("Error"), {"properties": {"statusCode": constant(404)}}]}
    return {
        "description": "No such bot, node or chat; or, for a segment no route can match, the "
        "sandbox's catch-all not-found answer.",
        "content": json_content({"anyOf": [ref(ERROR), route_miss]}),
    }


# --- operations --------------------------------------------------------------------------------


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    failures: dict[str, Any],
    schemes: tuple[str, ...],
    fidelity: Fidelity = "doc",
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An operation that accepts any one of `schemes` (none: no credentials needed)."""
    result: dict[str, Any] = {
        "operationId": f"connectiveone_{operation_id}",
        "summary": summary,
        "tags": [tag],
        FIDELITY: fidelity,
        "security": [{scheme: []} for scheme in schemes],
        "responses": {"200": ok, **failures},
    }
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body is not None:
        result["requestBody"] = body
    return result


def optional_json_body(schema: Schema) -> dict[str, Any]:
    """A body that may be left out: an empty body counts as `{}`."""
    return {"required": False, "content": json_content(schema)}


def session_ok() -> dict[str, Any]:
    return success("Fresh tokens and the operator.", ref("ConnectiveOneSession"))


def login_operation() -> dict[str, Any]:
    body = request_object(
        {"email": text(max_length=254), "password": string(minLength=1)},
        required=["email", "password"],
        fidelity="guess",
    )
    return operation(
        "login",
        "Log an operator in: an access and a refresh JWT",
        tag="connectiveone-auth",
        ok=session_ok(),
        failures=errors(401, 422),
        schemes=(),
        fidelity="guess",
        description="seeds/000 names a login endpoint without its path or body; the sandbox's "
        "path and shapes are guesses. The e-mail is matched without regard to case.",
        body=json_body(
            body, example={"email": "operator@example.com", "password": "your-password"}
        ),
    )


def refresh_operation() -> dict[str, Any]:
    body = request_object(
        {"refreshToken": string(minLength=1)}, required=["refreshToken"], fidelity="guess"
    )
    return operation(
        "refresh",
        "Trade a refresh token (usable once) for fresh tokens",
        tag="connectiveone-auth",
        ok=session_ok(),
        failures=errors(401, 422),
        schemes=(),
        fidelity="guess",
        description="The endpoint is doc (seeds/000: token refresh); its path and shapes are "
        "guesses.",
        body=json_body(body),
    )


def logout_operation() -> dict[str, Any]:
    body = {
        "type": "object",
        "properties": {
            "refreshToken": {
                "description": "A live refresh token to end as well; any other value is ignored."
            }
        },
        FIDELITY: "guess",
    }
    return operation(
        "logout",
        "End the request's access token (and the refresh token named in the body)",
        tag="connectiveone-auth",
        ok=success("Logged out.", ref(RESULT)),
        failures=errors(401, 422),
        schemes=(CONNECTIVEONE_BEARER,),
        fidelity="guess",
        description="The endpoint is doc (seeds/000: logout); its path and shapes are guesses. "
        "The token is ended before the body is read, so a body that is not a JSON object gets "
        "a 422 after the logout.",
        body=optional_json_body(body),
    )


def call_node_body() -> Schema:
    """seeds/000's body; `node_id` in place of `connector_alias` is the sandbox's (guess)."""
    alias_given = {
        "required": ["connector_alias"],
        "properties": {"connector_alias": {"not": {"type": "null"}}},
    }
    schema = request_object(
        {
            "bot_id": doc(whole_number()),
            "connector_alias": doc(
                {
                    **nullable(text(max_length=100)),
                    "description": "The entry point to call; null counts as absent.",
                }
            ),
            "node_id": guess(
                {"description": "The node to call when `connector_alias` is absent or null."}
            ),
            "channel": doc({**one_of_values(*CHANNELS), "description": "The values are ours."}),
            "chat_id": doc(text(max_length=64)),
            "data": message_data(),
        },
        required=["bot_id", "channel", "chat_id"],
    )
    # Without an alias, the node id is required and must be a positive whole number.
    schema["if"] = alias_given
    schema["else"] = {"required": ["node_id"], "properties": {"node_id": whole_number()}}
    return schema


def call_node_operation() -> dict[str, Any]:
    example = {
        "bot_id": 1,
        "connector_alias": "entry_point_alias",
        "channel": "telegram",
        "chat_id": "567890",
        "data": {"message": "Your order is ready!"},
    }
    return operation(
        "call_node",
        "Call a bot scenario node for one chat (JSON body)",
        tag="connectiveone-call-node",
        ok=success("The node was called.", ref(RESULT)),
        failures=errors(401, 404, 422),
        schemes=ALL_SCHEMES,
        description="The chat is the bot's chat with `chat_id` on `channel`; the sandbox "
        "records what the node was asked to send.",
        body=json_body(call_node_body(), example=example),
    )


def path_parameter(name: str, schema: Schema, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
        FIDELITY: "doc",
    }


def call_node_by_path_operation() -> dict[str, Any]:
    positive = integer(minimum=1, maximum=LARGEST_QUERY_NUMBER)
    parameters = [
        path_parameter("bot_id", positive, "The bot."),
        path_parameter("node_id", positive, "The scenario node to call."),
        path_parameter("channel", one_of_values(*CHANNELS), "The chat's channel (values: ours)."),
        path_parameter(
            "chat_id", non_blank(maxLength=64), "The chat's id on that channel (one segment)."
        ),
    ]
    data = {**message_data(), FIDELITY: "guess"}
    return operation(
        "call_node_by_path",
        "Call a bot scenario node for one chat (ids in the path)",
        tag="connectiveone-call-node",
        ok=success("The node was called.", ref(RESULT)),
        failures={**errors(401, 422), "404": unmatched_path_not_found()},
        schemes=ALL_SCHEMES,
        description="The path is doc; that the body, if any, is the node's `data` is a guess.",
        parameters=parameters,
        body=optional_json_body(data),
    )


def broadcast_route_operation() -> dict[str, Any]:
    body = request_object(
        {
            "phone": obs(string(pattern="^[0-9]+$", description="International, without `+`.")),
            "bot_id": obs(whole_number()),
            "template_id": obs(whole_number()),
        },
        required=["phone", "bot_id", "template_id"],
        fidelity="obs",
    )
    unknown = error_answer(
        "No chat of the bot with this phone, or no such template of the bot (platforms.md).",
        obs(constant("User not found or template does not exist")),
    )
    refused = error_answer(
        "The x-auth-token is missing or unknown, or the body is invalid (platforms.md: one "
        "message for both; there is no 401 here).",
        obs(constant("Invalid token or request data")),
    )
    scheduled = {
        "allOf": [ref(RESULT), {"properties": {"message": constant("Broadcast scheduled")}}]
    }
    failures = errors()
    failures |= {"404": unknown, "422": refused}
    return operation(
        "broadcast_route",
        "Send a broadcast template to a phone number",
        tag="connectiveone-broadcast",
        ok=success("Scheduled (platforms.md).", scheduled),
        failures=dict(sorted(failures.items())),
        schemes=(CONNECTIVEONE_EXTERNAL_TOKEN,),
        fidelity="obs",
        description="From platforms.md (seeds/000 names broadcasts, not this route). The chat is "
        "the bot's most recently updated chat with that phone.",
        body=json_body(body, example={"phone": "380501234567", "bot_id": 1, "template_id": 1}),
    )


def created_at_filter(bound: str, description: str) -> dict[str, Any]:
    moment = string(
        description="ISO 8601; without an offset it is UTC, and a date alone is its midnight "
        "(guess).",
        examples=["2024-12-01T00:00:00.000Z"],
    )
    return query(f"filter[createdAt][{bound}]", moment, description, allowEmptyValue=True)


# The lists' other filters and sort fields: seeds/000 says chats filter by status and operator,
# tickets by status and priority, and both sort "by various fields"; the keys are guesses in the
# document's flat style (sandbox/connectiveone/views.py, CHAT_ROOM_LIST and TICKET_LIST).
CHAT_ROOM_ORDERS = ("createdAt", "updatedAt", "id", "status", "userName", "channel")
TICKET_ORDERS = ("createdAt", "updatedAt", "id", "status", "priority", "subject")


def chat_room_filters() -> list[dict[str, Any]]:
    return [
        query(
            "filter[status]",
            one_of_values(*CHAT_STATUSES),
            "Only chats with this status (doc: filtering by status; the key is a guess).",
            fidelity="guess",
            allowEmptyValue=True,
        ),
        query(
            "filter[operatorId]",
            integer(minimum=1, maximum=LARGEST_QUERY_NUMBER),
            "Only chats this operator took (doc: filtering by operator; the key is a guess).",
            fidelity="guess",
            allowEmptyValue=True,
        ),
        query(
            "filter[phone]",
            string(pattern="^[0-9]{1,20}$"),
            "Only chats with this phone, international without `+` (guess).",
            fidelity="guess",
            allowEmptyValue=True,
        ),
        query(
            "filter[email]",
            string(maxLength=254, pattern="@"),
            "Only chats whose person gave this e-mail, without regard to case (guess).",
            fidelity="guess",
            allowEmptyValue=True,
        ),
    ]


def ticket_filters() -> list[dict[str, Any]]:
    return [
        query(
            "filter[status]",
            one_of_values(*TICKET_STATUSES),
            "Only tickets with this status (doc: filtering by status; the key is a guess).",
            fidelity="guess",
            allowEmptyValue=True,
        ),
        query(
            "filter[priority]",
            one_of_values(*TICKET_PRIORITIES),
            "Only tickets with this priority (doc: filtering by priority; the key is a guess).",
            fidelity="guess",
            allowEmptyValue=True,
        ),
    ]


def order_parameters(fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """`order[createdAt]` (doc) and the other fields (guess). Several keys sort in the order the
    query string gives them; without any, newest first; ties go by id. An unknown
    `order[...]` key is a 422."""
    return [
        query(
            f"order[{field}]",
            {**one_of_values("asc", "desc"), "default": "desc"}
            if field == "createdAt"
            else one_of_values("asc", "desc"),
            "Sorting by creation (without any order, desc: a guess); ties go by id."
            if field == "createdAt"
            else f"Sorting by {field} (doc: sorting by various fields; the field is a guess)"
            + ("; statuses in their workflow's order." if field == "status" else "")
            + ("; low, normal, high." if field == "priority" else ""),
            fidelity="doc" if field == "createdAt" else "guess",
        )
        for field in fields
    ]


def list_parameters(
    filters: list[dict[str, Any]], orders: tuple[str, ...], includes: tuple[str, ...]
) -> list[dict[str, Any]]:
    """seeds/000's parameters (doc), and the list's other filters and sorts (guess). An empty
    value counts as absent, except for an `order[...]`. Any other `filter[...]` key is a 422."""
    limit = query(
        "limit",
        query_number(minimum=1, default=DEFAULT_LIMIT),
        "Number of records (default 10, doc); below 1 is a 422, above 100 is capped (guess).",
        allowEmptyValue=True,
    )
    limit["x-capped-at"] = MAX_LIMIT
    return [
        created_at_filter("gt", "Created after this moment (exclusive)."),
        created_at_filter("lt", "Created before this moment (exclusive)."),
        *filters,
        *order_parameters(orders),
        limit,
        query(
            "offset",
            query_number(minimum=0, default=0),
            "Number of records to skip.",
            allowEmptyValue=True,
        ),
        query(
            "include",
            array(one_of_values(*includes)),
            "Related objects to embed, comma-separated (the names are guesses); the "
            "parameter may also be repeated.",
            style="form",
            explode=False,
            allowEmptyValue=True,
        ),
    ]


def chat_room_operation() -> dict[str, Any]:
    room_id = {
        "name": "room_id",
        "in": "path",
        "required": True,
        "description": "The chat room's id.",
        "schema": integer(minimum=1, maximum=LARGEST_QUERY_NUMBER),
        FIDELITY: "guess",
    }
    include = query(
        "include",
        array(one_of_values(*CHAT_ROOM_INCLUDES)),
        "Related objects to embed, as the list takes them (guess).",
        fidelity="guess",
        style="form",
        explode=False,
        allowEmptyValue=True,
    )
    not_found = error_answer("No chat room with this id (guess).", constant("Chat not found"))
    return operation(
        "get_chat_room",
        "One chat room by id",
        tag="connectiveone-chats",
        ok=success("The chat room, as the list writes it.", ref("ConnectiveOneChatRoom")),
        failures={**errors(401, 422), "404": not_found},
        schemes=ALL_SCHEMES,
        fidelity="guess",
        description='seeds/000 names "Getting chat by ID" without its path: the path and the '
        "answer are guesses.",
        parameters=[room_id, include],
    )


def list_operation(
    operation_id: str, summary: str, *, tag: str, item_list: str, parameters: list
) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag=tag,
        ok=success("A page of rows and the count of all that match.", ref(item_list)),
        failures=errors(401, 422),
        schemes=ALL_SCHEMES,
        parameters=parameters,
    )


def paths() -> dict[str, dict[str, Any]]:
    """seeds/000's paths exactly, and the authentication endpoints it names (paths: guess)."""
    return {
        "/kw/api/v1/auth/login": {"post": login_operation()},
        "/kw/api/v1/auth/refresh": {"post": refresh_operation()},
        "/kw/api/v1/auth/logout": {"post": logout_operation()},
        "/kw/api/call_node/": {"post": call_node_operation()},
        "/kw/api/call_node/{bot_id}/{node_id}/{channel}/{chat_id}": {
            "post": call_node_by_path_operation()
        },
        "/kw/api/broadcast/route": {"post": broadcast_route_operation()},
        "/kw/api/v1/OpChatRooms/list": {
            "get": list_operation(
                "list_chat_rooms",
                "List chat rooms: filter by creation, status, operator; sort; page; include",
                tag="connectiveone-chats",
                item_list="ConnectiveOneChatRoomList",
                parameters=list_parameters(
                    chat_room_filters(), CHAT_ROOM_ORDERS, CHAT_ROOM_INCLUDES
                ),
            )
        },
        "/kw/api/v1/OpChatRooms/{room_id}": {"get": chat_room_operation()},
        "/kw/api/v1/Ticket/list": {
            "get": list_operation(
                "list_tickets",
                "List tickets: filter by creation, status, priority; sort; page; include",
                tag="connectiveone-tickets",
                item_list="ConnectiveOneTicketList",
                parameters=list_parameters(ticket_filters(), TICKET_ORDERS, TICKET_INCLUDES),
            )
        },
    }
