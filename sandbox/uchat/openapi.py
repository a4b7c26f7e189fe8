"""UChat's part of the sandbox's OpenAPI document: everything served under /uchat/api.

platforms.md gives, from seeds/002, the endpoints, the Bearer token per workspace and bot with
its scopes, and the subscriber search (by name, phone, email, tag and field, with `page` and
`limit`): those are `doc`, with the body of send-sub-flow. Seen in third-party code that calls
the real service (`obs`): the list envelope, the tag and sub-flow records, `user_ns`, the user
field's `var_ns`, `name` and `var_type`, the `message` of errors, the other bodies' field names,
the paging ranges and the scope the endpoints need ("Manage Flow"). The rest is the sandbox's
choice (`guess`; sandbox/README.md, "UChat wire shapes").

`sandbox.openapi` registers this module's `paths`, `schemas` and `responses` in PLATFORM_SPECS
and declares the security scheme and tags they name. Wire names here must follow
serializers.py and views.py, which the tests check against the running sandbox.
"""

from typing import Any

from sandbox.openapi import (
    ERROR_RESPONSES,
    FIDELITY,
    UCHAT_BEARER,
    Fidelity,
    Schema,
    array,
    boolean,
    constant,
    count,
    guess,
    integer,
    json_body,
    json_content,
    labelled,
    non_blank,
    nullable,
    one_of_values,
    query,
    record,
    ref,
    request_object,
    response_ref,
    string,
    success,
    timestamp,
)

# As sandbox/uchat/views.py and fields.py have them.
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_PAGE = 1_000
MAX_NAME_LENGTH = 200
MAX_NS_LENGTH = 40
MAX_TEXT_LENGTH = 4_096
MAX_BROADCAST_TAGS = 10
MAX_FIELD_TEXT = 2_000
VAR_TYPES = ("text", "number", "boolean", "date", "datetime")
CHANNELS = ("whatsapp_cloud", "facebook", "instagram", "telegram", "web")
REQUIRED_SCOPE = "x-required-scope"
MANAGE_FLOW = "Manage Flow"

# Component names: one platform's names must not clash with another's.
OK = "UChatOk"
ERROR = "UChatError"


def obs(schema: Schema) -> Schema:
    return labelled(schema, "obs")


def namespace(letter: str, what: str) -> Schema:
    """A namespace: the flow's (`f190385`), a letter for the kind of record, a number (obs)."""
    return string(pattern=f"^f[0-9]+{letter}[0-9]+$", description=f"The {what}'s namespace.")


# --- component schemas -------------------------------------------------------------------------


def ok_schema() -> Schema:
    return record(
        {"status": obs(constant("ok"))},
        description="An action done (the envelope's `status`, obs; nothing more, guess).",
    )


def error_schema() -> Schema:
    return {
        "type": "object",
        "properties": {
            "status": guess(constant("error")),
            "message": obs(string(minLength=1)),
            "errors": guess(
                {
                    "type": "object",
                    "additionalProperties": array(string(), minItems=1),
                    "description": "The messages of each invalid field (a 422's).",
                }
            ),
        },
        "required": ["status", "message"],
        "additionalProperties": False,
        FIDELITY: "guess",
        "description": "Every UChat failure: `message` is seen on the real service (obs).",
    }


def tag_schema() -> Schema:
    return record(
        {"tag_ns": obs(namespace("t", "tag")), "name": obs(string())},
        fidelity="obs",
        description="A flow tag.",
    )


def sub_flow_schema() -> Schema:
    return record(
        {"name": obs(string()), "sub_flow_ns": obs(namespace("s", "sub-flow"))},
        fidelity="obs",
        description="A sub-flow of the bot (f190385s2693635).",
    )


def user_field_schema() -> Schema:
    return record(
        {
            "var_ns": obs(namespace("v", "user field")),
            "name": obs(string()),
            "var_type": obs({**one_of_values(*VAR_TYPES), "description": "The types: guess."}),
            "description": guess(string()),
        },
        description="A custom field of the bot's subscribers.",
    )


def field_value() -> Schema:
    """A value as its field's type writes it (fields.py); null when the subscriber has none."""
    return {
        "anyOf": [
            string(),
            {"type": "number"},
            boolean(),
            {"type": "null"},
        ],
        "description": "text: a string; number: a number; boolean: true or false; date: "
        "YYYY-MM-DD; datetime: ISO 8601 UTC; null when unset.",
    }


def subscriber_schema() -> Schema:
    value = record(
        {
            "var_ns": obs(namespace("v", "user field")),
            "name": obs(string()),
            "var_type": obs(one_of_values(*VAR_TYPES)),
            "value": guess(field_value()),
        }
    )
    return record(
        {
            "user_ns": obs(namespace("u", "subscriber")),
            "user_id": guess(string(description="The person's id on its channel.")),
            "channel": guess(one_of_values(*CHANNELS)),
            "name": guess(string()),
            "first_name": guess(string()),
            "last_name": guess(string()),
            "gender": guess(nullable(one_of_values("male", "female"))),
            "email": guess(nullable(string())),
            "phone": guess(nullable(string(pattern=r"^\+[0-9]+$"))),
            "subscribed": guess(boolean()),
            "allow_send_message": obs(boolean()),
            "subscribed_at": guess(timestamp()),
            "last_interaction_at": guess(nullable(timestamp())),
            "tags": guess(array(ref("UChatTag"))),
            "user_fields": guess({**array(value), "description": "Every user field of the bot."}),
        },
        description="A subscriber with its tags and user field values (`user_ns`: obs).",
    )


def page_schema(item: str) -> Schema:
    meta = record(
        {
            "current_page": obs(integer(minimum=1, maximum=MAX_PAGE)),
            "per_page": obs(integer(minimum=1, maximum=MAX_LIMIT)),
            "total": obs(count()),
        },
        fidelity="obs",
    )
    return record(
        {
            "data": obs(array(ref(item), maxItems=MAX_LIMIT)),
            "meta": meta,
            "status": obs(constant("ok")),
        },
        fidelity="obs",
        description="A page: `total` counts every record that matches.",
    )


def with_data(schema: Schema, description: str) -> Schema:
    return record({"status": obs(constant("ok")), "data": schema}, description=description)


def schemas() -> dict[str, Schema]:
    return {
        OK: ok_schema(),
        ERROR: error_schema(),
        "UChatTag": tag_schema(),
        "UChatSubFlow": sub_flow_schema(),
        "UChatUserField": user_field_schema(),
        "UChatSubscriber": subscriber_schema(),
        "UChatTagPage": page_schema("UChatTag"),
        "UChatSubFlowPage": page_schema("UChatSubFlow"),
        "UChatUserFieldPage": page_schema("UChatUserField"),
        "UChatSubscriberPage": page_schema("UChatSubscriber"),
        "UChatCreatedTag": with_data(
            ref("UChatTag"), "The new tag, or the bot's tag of that name."
        ),
        "UChatSubscriberInfo": with_data(ref("UChatSubscriber"), "The subscriber."),
        "UChatBroadcast": with_data(
            record({"recipients": guess(count())}),
            "How many subscribers the broadcast reaches (guess).",
        ),
    }


# --- error responses ---------------------------------------------------------------------------

ANSWERS = {
    400: ("UChatNotAllowed", "The subscriber does not allow messages (allow_send_message false)."),
    401: ("UChatUnauthenticated", "No token, or one the platform does not know."),
    403: ("UChatForbidden", "The token lacks the scope the endpoint needs."),
    404: ("UChatNotFound", "No such subscriber, tag, sub-flow or user field in the token's bot."),
    422: ("UChatInvalid", "The input is invalid; `errors` names each bad field."),
}


def responses() -> dict[str, Any]:
    return {
        name: {"description": description, "content": json_content(ref(ERROR))}
        for name, description in ANSWERS.values()
    }


def errors(*statuses: int) -> dict[str, Any]:
    """The operation's error answers; every one needs a token of the right scope (401, 403).
    Any request may also meet an injected fault (429, 500), answered by the sandbox's fault
    layer in Connextlive's error shape."""
    answers = {str(status): response_ref(ANSWERS[status][0]) for status in (401, 403, *statuses)}
    for status in (429, 500):
        answers[str(status)] = response_ref(ERROR_RESPONSES[status][0])
    return dict(sorted(answers.items()))


# --- operations --------------------------------------------------------------------------------


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    failures: dict[str, Any],
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    fidelity: Fidelity = "doc",
    description: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operationId": f"uchat_{operation_id}",
        "summary": summary,
        "tags": [tag],
        FIDELITY: fidelity,
        REQUIRED_SCOPE: MANAGE_FLOW,
        "security": [{UCHAT_BEARER: []}],
        "responses": {"200": ok, **failures},
    }
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body is not None:
        result["requestBody"] = body
    return result


def paging(fidelity: Fidelity = "doc") -> list[dict[str, Any]]:
    """`page` 1-1000 and `limit` 1-100 (obs ranges; outside them a 422, guess)."""
    return [
        query(
            "page",
            integer(minimum=1, maximum=MAX_PAGE, default=1),
            "The page, from 1.",
            fidelity=fidelity,
            allowEmptyValue=True,
        ),
        query(
            "limit",
            integer(minimum=1, maximum=MAX_LIMIT, default=DEFAULT_LIMIT),
            "Records per page (default 10, guess).",
            fidelity=fidelity,
            allowEmptyValue=True,
        ),
    ]


def name_filter(fidelity: Fidelity) -> dict[str, Any]:
    return query(
        "name",
        string(maxLength=MAX_NAME_LENGTH),
        "Only records whose name contains this (in any case, guess).",
        fidelity=fidelity,
        allowEmptyValue=True,
    )


def catalogue_operation(operation_id: str, summary: str, item_page: str) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag="uchat-flow",
        ok=success("A page of the bot's records, oldest first.", ref(item_page)),
        failures=errors(422),
        parameters=[*paging("obs"), name_filter("obs")],
    )


def subscriber_search_operation() -> dict[str, Any]:
    def text_query(name: str, length: int, description: str, fidelity: Fidelity) -> dict:
        return query(
            name, string(maxLength=length), description, fidelity=fidelity, allowEmptyValue=True
        )

    parameters = [
        *paging(),
        name_filter("doc"),
        text_query("phone", 40, "Its digits equal the subscriber's (guess).", "doc"),
        text_query("email", 254, "Equal to the subscriber's, in any case (guess).", "doc"),
        text_query("tag_ns", MAX_NS_LENGTH, "Subscribers carrying this tag.", "obs"),
        text_query(
            "user_field_ns", MAX_NS_LENGTH, "Subscribers with a value for this field.", "obs"
        ),
        text_query(
            "user_field_value",
            MAX_FIELD_TEXT,
            "With `user_field_ns`: whose value equals this, read as the field's type.",
            "obs",
        ),
    ]
    return operation(
        "search_subscribers",
        "Search subscribers by name, phone, email, tag and user field",
        tag="uchat-subscribers",
        ok=success("A page of subscribers, the newest first (guess).", ref("UChatSubscriberPage")),
        failures=errors(422),
        parameters=parameters,
        description="Filters combine; an unknown tag or field matches nobody (guess).",
    )


def subscriber_info_operation() -> dict[str, Any]:
    user_ns = query("user_ns", string(maxLength=MAX_NS_LENGTH), "The subscriber.", required=True)
    return operation(
        "get_subscriber_info",
        "A subscriber's info by user_ns",
        tag="uchat-subscribers",
        ok=success("The subscriber.", ref("UChatSubscriberInfo")),
        failures=errors(404, 422),
        parameters=[user_ns],
    )


def ns_field(fidelity: Fidelity) -> Schema:
    return labelled(non_blank(maxLength=MAX_NS_LENGTH), fidelity)


def body_of(fields: dict[str, Schema], *, fidelity: Fidelity = "obs") -> dict[str, Any]:
    return json_body(request_object(fields, required=list(fields), fidelity=fidelity))


def action(
    operation_id: str,
    summary: str,
    body: dict[str, Any],
    *,
    failures: tuple[int, ...] = (404, 422),
    tag: str = "uchat-subscribers",
    description: str | None = None,
) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        tag=tag,
        ok=success("Done.", ref(OK)),
        failures=errors(*failures),
        body=body,
        description=description,
    )


def create_tag_operation() -> dict[str, Any]:
    return operation(
        "create_tag",
        "Create a flow tag",
        tag="uchat-flow",
        ok=success("The new tag; a name the bot has gives its tag back.", ref("UChatCreatedTag")),
        failures=errors(422),
        body=body_of({"name": obs(non_blank(maxLength=MAX_NAME_LENGTH))}),
    )


def set_user_field_operation() -> dict[str, Any]:
    value = obs(
        {
            "anyOf": [string(), {"type": "number"}, boolean()],
            "description": "Read as the field's type: a number or text of one; true, false, "
            "yes, no, 1 or 0; YYYY-MM-DD; ISO 8601 (guess). Otherwise a 422.",
        }
    )
    return action(
        "set_user_field",
        "Set a subscriber's user field value",
        body_of({"user_ns": ns_field("obs"), "var_ns": ns_field("obs"), "value": value}),
    )


def send_text_operation() -> dict[str, Any]:
    return action(
        "send_text",
        "Send a text to a subscriber",
        body_of({"user_ns": ns_field("obs"), "content": obs(non_blank(maxLength=MAX_TEXT_LENGTH))}),
        failures=(400, 404, 422),
        tag="uchat-sending",
    )


def broadcast_operation() -> dict[str, Any]:
    tag_list = array(non_blank(maxLength=MAX_NS_LENGTH), minItems=1, maxItems=MAX_BROADCAST_TAGS)
    fields = {
        "tags": obs({**tag_list, "description": "Subscribers carrying any of these."}),
        "exclude_tags": obs(nullable({**tag_list, "description": "...and none of these."})),
        "sub_flow_ns": ns_field("obs"),
        "name": obs(nullable(string(maxLength=MAX_NAME_LENGTH))),
    }
    body = json_body(request_object(fields, required=["tags", "sub_flow_ns"], fidelity="obs"))
    return operation(
        "broadcast_by_tag",
        "Broadcast a sub-flow to the subscribers carrying tags",
        tag="uchat-sending",
        ok=success("Sent to every matching subscriber who allows messages.", ref("UChatBroadcast")),
        failures=errors(404, 422),
        body=body,
        description="The sandbox sends at once to each subscriber carrying any of `tags`, none "
        "of `exclude_tags`, and allowing messages (guess: the real service schedules and paces "
        "a broadcast). An unknown tag or sub-flow is a 404.",
    )


def paths() -> dict[str, dict[str, Any]]:
    """platforms.md's paths, below the documented base `/api`."""
    subscriber_and_tag = body_of({"user_ns": ns_field("obs"), "tag_ns": ns_field("obs")})
    return {
        "/api/flow/subflows": {
            "get": catalogue_operation("list_sub_flows", "The bot's sub-flows", "UChatSubFlowPage")
        },
        "/api/flow/tags": {
            "get": catalogue_operation("list_tags", "The bot's flow tags", "UChatTagPage")
        },
        "/api/flow/create-tag": {"post": create_tag_operation()},
        "/api/flow/delete-tag": {
            "delete": action(
                "delete_tag",
                "Delete a flow tag (and every subscriber's tagging)",
                body_of({"tag_ns": ns_field("obs")}),
                tag="uchat-flow",
            )
        },
        "/api/flow/user-fields": {
            "get": catalogue_operation(
                "list_user_fields", "The bot's user fields", "UChatUserFieldPage"
            )
        },
        "/api/subscribers": {"get": subscriber_search_operation()},
        "/api/subscriber/get-info": {"get": subscriber_info_operation()},
        "/api/subscriber/add-tag": {
            "post": action(
                "add_tag",
                "Tag a subscriber (a tag it carries stays, guess)",
                subscriber_and_tag,
            )
        },
        "/api/subscriber/remove-tag": {
            "delete": action(
                "remove_tag",
                "Untag a subscriber (a tag it does not carry is fine, guess)",
                subscriber_and_tag,
            )
        },
        "/api/subscriber/set-user-field": {"put": set_user_field_operation()},
        "/api/subscriber/send-sub-flow": {
            "post": action(
                "send_sub_flow",
                "Send a sub-flow to a subscriber",
                body_of(
                    {"user_ns": ns_field("doc"), "sub_flow_ns": ns_field("doc")}, fidelity="doc"
                ),
                failures=(400, 404, 422),
                tag="uchat-sending",
            )
        },
        "/api/subscriber/send-text": {"post": send_text_operation()},
        "/api/subscriber/broadcast-by-tag": {"post": broadcast_operation()},
    }


# --- the sandbox's own endpoint ----------------------------------------------------------------


def control_paths() -> dict[str, dict[str, Any]]:
    """`/__sandbox__/uchat/sent` (sandbox/uchat/control.py): what each subscriber was sent."""
    from sandbox.openapi import control_operation

    sent = record(
        {
            "userNs": namespace("u", "subscriber"),
            "bot": string(pattern="^f[0-9]+$"),
            "kind": one_of_values("sub_flow", "text"),
            "subFlowNs": nullable(namespace("s", "sub-flow")),
            "content": nullable(string()),
            "via": one_of_values("send-sub-flow", "send-text", "broadcast-by-tag"),
            "at": timestamp(),
        }
    )
    listing = control_operation(
        "uchat_sent",
        "Every sub-flow and text UChat was asked to send, oldest first",
        record({"sent": array(sent)}),
    )
    listing["parameters"] = [
        query("userNs", string(), "Only what this subscriber was sent.", fidelity="guess")
    ]
    return {"/__sandbox__/uchat/sent": {"get": listing}}
