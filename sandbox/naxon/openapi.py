"""Naxon AI's part of the sandbox's OpenAPI document: everything served under /naxon, the
keyword-notification webhook, and Naxon's control endpoints under /__sandbox__/naxon/.

seeds/001 gives the operations, their parameters (`page`, `per_page`, `since`, `until`,
`sort`), the list envelope, the records' fields, int64 ids, the timestamp spelling
(`2025-05-05T05:05:05+0700`) and the webhook's body: those are `doc`. The paths, the `apiToken`
scheme's form, the error bodies, defaults, caps and orders are `guess` (platforms.md,
sandbox/README.md). Wire names here must follow serializers.py, http.py and control.py, which
the tests check against the running sandbox.
"""

from typing import Any

from sandbox.naxon import rules
from sandbox.naxon.rules import (
    DEFAULT_PER_PAGE,
    DEFAULT_RETRIES,
    EVENT,
    LARGEST_INT32,
    LARGEST_INT64,
    MAX_PER_PAGE,
    RECENT_MESSAGES,
    SENDERS,
    SMALLEST_INT64,
    SORT_FIELDS,
)
from sandbox.openapi import (
    ERROR_RESPONSES,
    FIDELITY,
    NAXON_API_TOKEN,
    ULID,
    Schema,
    array,
    boolean,
    constant,
    control_operation,
    count,
    doc,
    guess,
    integer,
    json_body,
    json_content,
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

PLATFORMS = ("web", "whatsapp", "telegram", "messenger", "instagram", "line")  # the seed's
# `2025-05-05T05:05:05+0700` (doc); the sandbox writes +0700 always, readers must take any.
WIRE_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$"
# What `since` and `until` accept: RFC 3339, and the document's offset without a colon.
QUERY_TIMESTAMP = (
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$"
)

# Component names: one platform's names must not clash with another's.
ERROR = "NaxonError"
BAD_REQUEST = "NaxonBadRequest"
UNAUTHORIZED = "NaxonUnauthorized"
NOT_FOUND = "NaxonNotFound"


# --- values ------------------------------------------------------------------------------------


def int64(**keywords: Any) -> Schema:
    return integer(format="int64", minimum=SMALLEST_INT64, maximum=LARGEST_INT64, **keywords)


def wire_timestamp() -> Schema:
    return string(
        pattern=WIRE_TIMESTAMP,
        description="A moment with its offset, no colon: `2025-05-05T05:05:05+0700`.",
    )


# --- component schemas -------------------------------------------------------------------------


def model_schema() -> Schema:
    return record(
        {"id": doc(int64()), "name": doc(string()), "created_at": doc(wire_timestamp())},
        fidelity="doc",
        description="A model: one AI bot of the account.",
    )


def message_schema() -> Schema:
    return record(
        {
            "id": doc(int64()),
            "seq": doc(string(pattern=f"^{ULID}$", description="A ULID: sorts by time.")),
            "sender": doc({**one_of_values(*SENDERS), FIDELITY: "guess"}),
            "message": doc(string()),
            "created_at": doc(wire_timestamp()),
        },
        fidelity="doc",
        description="A message of a conversation (`sender` values: guess).",
    )


def conversation_fields() -> dict[str, Schema]:
    return {
        "id": doc(int64()),
        "model_id": doc(int64()),
        "model_name": doc(string()),
        "created_at": doc(wire_timestamp()),
        "updated_at": doc(wire_timestamp()),
        "most_recent_message": doc(
            {**nullable(ref("NaxonMessage")), "description": "Null without messages (guess)."}
        ),
        "recent_messages": doc(
            array(
                ref("NaxonMessage"),
                maxItems=RECENT_MESSAGES,
                description=f"The last {RECENT_MESSAGES} messages, oldest first "
                "(how many, and their order: guess).",
            )
        ),
        "platform": doc(
            string(minLength=1, description=f"The seed's: {', '.join(PLATFORMS)} (guess).")
        ),
        "platform_user_id": doc(string(description="The person's id on that platform.")),
    }


def conversation_schema() -> Schema:
    return record(
        conversation_fields(),
        fidelity="doc",
        description="One person's conversation with a model on one platform.",
    )


def list_schema(item: str) -> Schema:
    return record(
        {
            "data": doc(array(ref(item), maxItems=MAX_PER_PAGE)),
            "page": doc(integer(minimum=1, maximum=LARGEST_INT32)),
            "rows_per_page": doc(integer(minimum=1, maximum=MAX_PER_PAGE)),
            "total_pages": doc(count()),
            "total_rows": doc(count()),
        },
        fidelity="doc",
        description="A page (doc): the request's `per_page` comes back as `rows_per_page`.",
    )


def error_schema() -> Schema:
    return record(
        {"message": guess(string(minLength=1))},
        description="Every Naxon failure (guess: platforms.md guesses the 401's).",
    )


def keyword_notification_schema() -> Schema:
    payload = record(
        {**conversation_fields(), "keyword": doc(string(minLength=1))},
        fidelity="doc",
        description="The conversation, plus the keyword it matched.",
    )
    return record(
        {"event": doc(constant(EVENT)), "payload": payload},
        fidelity="doc",
        description="The body of the `keyword-notification` webhook (doc).",
    )


def schemas() -> dict[str, Schema]:
    return {
        "NaxonModel": model_schema(),
        "NaxonMessage": message_schema(),
        "NaxonConversation": conversation_schema(),
        "NaxonModelList": list_schema("NaxonModel"),
        "NaxonConversationList": list_schema("NaxonConversation"),
        "NaxonMessageList": list_schema("NaxonMessage"),
        ERROR: error_schema(),
        "NaxonKeywordNotification": keyword_notification_schema(),
    }


# --- error responses ---------------------------------------------------------------------------


def error_answer(description: str, message: Schema | None = None) -> dict[str, Any]:
    schema: Schema = ref(ERROR)
    if message is not None:
        schema = {"allOf": [schema, {"properties": {"message": message}}]}
    return {"description": description, "content": json_content(schema), FIDELITY: "guess"}


def responses() -> dict[str, Any]:
    return {
        BAD_REQUEST: error_answer(
            "A bad page, date, sort or id: the message names the parameter (guess)."
        ),
        UNAUTHORIZED: error_answer(
            "The apiToken is missing or unknown (doc; the body is platforms.md's guess).",
            constant("Unauthorized"),
        ),
        NOT_FOUND: error_answer("No such model or conversation (guess)."),
    }


def unmatched_or_not_found() -> dict[str, Any]:
    """An id no route can hold (a `/` in it, `.` or `..`) meets the sandbox's catch-all, which
    answers in Connextlive's error shape (sandbox/views.py)."""
    route_miss = {"allOf": [ref("Error"), {"properties": {"statusCode": constant(404)}}]}
    return {
        "description": "No such model or conversation (guess); or, for an id no route can "
        "match, the sandbox's catch-all not-found answer.",
        "content": json_content({"anyOf": [ref(ERROR), route_miss]}),
    }


def errors(*, with_ids: bool) -> dict[str, Any]:
    """The operation's error answers. Any request may also meet an injected fault (429, 500):
    the sandbox's fault layer answers those for every platform in Connextlive's error shape."""
    answers: dict[str, Any] = {
        "400": response_ref(BAD_REQUEST),
        "401": response_ref(UNAUTHORIZED),
    }
    if with_ids:
        answers["404"] = unmatched_or_not_found()
    for status in (429, 500):
        answers[str(status)] = response_ref(ERROR_RESPONSES[status][0])
    return answers


# --- operations --------------------------------------------------------------------------------


def page_parameters() -> list[dict[str, Any]]:
    per_page = query(
        "per_page",
        integer(minimum=1, maximum=LARGEST_INT32, default=DEFAULT_PER_PAGE),
        f"Rows per page (doc); default {DEFAULT_PER_PAGE}, above {MAX_PER_PAGE} capped "
        "(guess). Comes back as `rows_per_page`.",
        allowEmptyValue=True,
    )
    per_page["x-capped-at"] = MAX_PER_PAGE
    return [
        query(
            "page",
            integer(minimum=1, maximum=LARGEST_INT32, default=1),
            "The page to retrieve, from 1 (doc); past the last, an empty page (guess).",
            allowEmptyValue=True,
        ),
        per_page,
    ]


def window_parameters(*, sortable: bool) -> list[dict[str, Any]]:
    moment = string(
        pattern=QUERY_TIMESTAMP,
        description="With an offset: `+0700` (doc), `+07:00` or `Z`. Send `+` as %2B.",
        examples=["2025-05-05T05:05:05+0700"],
    )
    field = "the field `sort` names" if sortable else "`created_at`"
    parameters = [
        query("since", moment, f"Only rows with {field} on or after this.", allowEmptyValue=True),
        query("until", moment, f"Only rows with {field} on or before this.", allowEmptyValue=True),
    ]
    if sortable:
        parameters.append(
            query(
                "sort",
                {**one_of_values(*SORT_FIELDS), "default": "created_at"},
                "The field `since` and `until` filter on (doc); rows come newest first by it, "
                "ties by id (guess).",
                allowEmptyValue=True,
            )
        )
    return parameters


def user_parameter() -> dict[str, Any]:
    return query(
        "platform_user_id",
        string(maxLength=256),
        "Only the conversations of this platform user, matched exactly (guess: the document "
        "gives no filter by person; the console's contact view asks for a WhatsApp number, E.164 "
        "without `+`, or a web visitor's e-mail). Over 256 characters: a 400.",
        fidelity="guess",
        allowEmptyValue=True,
    )


def path_id(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id.",
        "schema": int64(),
        FIDELITY: "doc",
    }


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    answer: str,
    parameters: list[dict[str, Any]],
    with_ids: bool,
) -> dict[str, Any]:
    return {
        "operationId": f"naxon_{operation_id}",
        "summary": summary,
        "description": "The operation, its parameters and its answer are doc (seeds/001); its "
        "path is a guess (platforms.md).",
        "tags": [tag],
        FIDELITY: "doc",
        "security": [{NAXON_API_TOKEN: []}],
        "parameters": parameters,
        "responses": {
            "200": success("Done.", ref(answer)),
            **errors(with_ids=with_ids),
        },
    }


def paths() -> dict[str, dict[str, Any]]:
    model_id = path_id("model_id", "model")
    conversation_id = path_id("conversation_id", "conversation")
    lists = page_parameters()
    return {
        "/models": {
            "get": operation(
                "list_models",
                "Get all models",
                tag="naxon-models",
                answer="NaxonModelList",
                parameters=[*lists, *window_parameters(sortable=False)],
                with_ids=False,
            )
        },
        "/models/{model_id}": {
            "get": operation(
                "get_model",
                "Get model by ID",
                tag="naxon-models",
                answer="NaxonModel",
                parameters=[model_id],
                with_ids=True,
            )
        },
        "/models/{model_id}/conversations": {
            "get": operation(
                "list_model_conversations",
                "Get all conversations for a model",
                tag="naxon-conversations",
                answer="NaxonConversationList",
                parameters=[model_id, *lists, *window_parameters(sortable=True), user_parameter()],
                with_ids=True,
            )
        },
        "/conversations": {
            "get": operation(
                "list_conversations",
                "Get all conversations",
                tag="naxon-conversations",
                answer="NaxonConversationList",
                parameters=[*lists, *window_parameters(sortable=True), user_parameter()],
                with_ids=False,
            )
        },
        "/conversations/{conversation_id}": {
            "get": operation(
                "get_conversation",
                "Get conversation by ID",
                tag="naxon-conversations",
                answer="NaxonConversation",
                parameters=[conversation_id],
                with_ids=True,
            )
        },
        "/conversations/{conversation_id}/messages": {
            "get": operation(
                "list_messages",
                "Get all messages in a conversation",
                tag="naxon-messages",
                answer="NaxonMessageList",
                parameters=[conversation_id, *lists],
                with_ids=True,
            )
        },
    }


def webhooks() -> dict[str, Any]:
    return {
        "naxon-keyword-notification": {
            "post": {
                "operationId": "naxon_keyword_notification",
                "summary": "Naxon posts this when a conversation contains a watched keyword",
                "description": "doc: the event and its body. guess (sandbox/README.md): which "
                "messages match, and how Naxon retries when the answer is not 2xx in time.",
                "tags": ["naxon-conversations"],
                FIDELITY: "doc",
                "requestBody": json_body(ref("NaxonKeywordNotification")),
                "responses": {"200": {"description": "Any 2xx answer: delivered."}},
            }
        }
    }


# --- the control endpoints ---------------------------------------------------------------------


def control_schemas() -> dict[str, Schema]:
    retries = DEFAULT_RETRIES
    settings_fields = {
        "url": string(minLength=1, maxLength=2_000, pattern="^https?://"),
        "keywords": array(
            string(minLength=1, maxLength=rules.MAX_KEYWORD_LENGTH, pattern=r"\S"),
            minItems=1,
            maxItems=rules.MAX_KEYWORDS,
        ),
        "timeoutSeconds": {"type": "number", "minimum": 0.01, "maximum": 60},
        "retryDelaySeconds": {"type": "number", "minimum": 0, "maximum": 60},
        "maxAttempts": integer(minimum=1, maximum=20),
    }
    settings_request = request_object(
        {
            **settings_fields,
            "timeoutSeconds": {
                **settings_fields["timeoutSeconds"],
                "default": retries.timeout,
                "description": "Seconds to answer before an attempt fails.",
            },
            "retryDelaySeconds": {
                **settings_fields["retryDelaySeconds"],
                "default": retries.first_delay,
                "description": "Before the first retry; doubling after each.",
            },
            "maxAttempts": {**settings_fields["maxAttempts"], "default": retries.max_attempts},
        },
        required=["url", "keywords"],
        fidelity="guess",
    )
    attempt = record(
        {
            "at": timestamp(),
            "status": nullable(integer(minimum=100, maximum=599)),
            "error": nullable(string()),
            "ms": {"type": "number", "minimum": 0},
        },
        description="One POST: the answer's status (null: none came), what went wrong, if.",
    )
    delivery = record(
        {
            "id": integer(minimum=1),
            "notification": string(pattern=f"^ntf_{ULID}$"),
            "redelivery": boolean(),
            "burst": nullable(string(pattern=f"^bst_{ULID}$")),
            "url": string(),
            "keyword": string(),
            "conversationId": int64(),
            "messageId": int64(),
            "state": one_of_values("pending", "delivered", "failed"),
            "attempts": array(attempt),
            "body": ref("NaxonKeywordNotification"),
            "createdAt": timestamp(),
        },
        description="One delivery: a notification posted (a redelivery repeats an earlier "
        "one's `notification` and body).",
    )
    summary = record(
        {name: count() for name in ("total", "pending", "delivered", "failed", "redeliveries")}
    )
    return {
        "NaxonWebhookRequest": settings_request,
        "NaxonWebhookSettings": record(
            {"webhook": nullable(record(settings_fields))}, description="Null: none is set."
        ),
        "NaxonInjectRequest": request_object(
            {
                "message": string(minLength=1, maxLength=rules.MAX_MESSAGE_LENGTH, pattern=r"\S"),
                "sender": {**one_of_values(*SENDERS), "default": "user"},
            },
            required=["message"],
            fidelity="guess",
        ),
        "NaxonInjected": record(
            {
                "message": ref("NaxonMessage"),
                "keywords": array(string()),
                "deliveries": array(integer(minimum=1)),
            },
            description="The stored message, the watched keywords it contains, a delivery each.",
        ),
        "NaxonSendRequest": request_object(
            {
                "messageId": {**nullable(int64()), "description": "Default: the newest match."},
                "keyword": nullable(string(minLength=1, pattern=r"\S")),
                "repeat": integer(minimum=1, maximum=rules.MAX_REPEAT, default=1),
            },
            fidelity="guess",
        ),
        "NaxonSent": record(
            {
                "messageId": int64(),
                "keywords": array(string(), minItems=1),
                "deliveries": array(integer(minimum=1)),
            }
        ),
        "NaxonBurstRequest": request_object(
            {
                "count": integer(minimum=1, maximum=rules.MAX_BURST),
                "redeliveryShare": {"type": "number", "minimum": 0, "maximum": 0.9, "default": 0},
                "perSecond": nullable({"type": "number", "minimum": 0.1, "maximum": 10_000}),
            },
            required=["count"],
            fidelity="guess",
        ),
        "NaxonBurst": record(
            {
                "burst": string(pattern=f"^bst_{ULID}$"),
                "deliveries": integer(minimum=1),
                "distinct": integer(minimum=1),
                "redeliveries": count(),
            }
        ),
        "NaxonDeliveryLog": record(
            {"deliveries": array(delivery), "summary": summary},
            description="The log in order of id, and counts by state of all it holds.",
        ),
    }


def control_paths() -> dict[str, dict[str, Any]]:
    prefix = "/__sandbox__/naxon"
    settings = ref("NaxonWebhookSettings")
    log_parameters = [
        query("after", integer(minimum=0), "Only deliveries with a larger id.", fidelity="guess"),
        query(
            "limit",
            integer(minimum=1, maximum=rules.MAX_LOG_PAGE, default=rules.DEFAULT_LOG_PAGE),
            "At most this many.",
            fidelity="guess",
        ),
        query("burst", string(), "Only this burst's.", fidelity="guess"),
    ]
    list_log = control_operation(
        "naxon_list_deliveries",
        "Naxon's webhook deliveries: what was posted, each attempt and its answer",
        ref("NaxonDeliveryLog"),
        failures=[400],
    )
    list_log["parameters"] = log_parameters
    inject = control_operation(
        "naxon_inject_message",
        "A new message in a Naxon conversation; each watched keyword in it is notified",
        ref("NaxonInjected"),
        body=ref("NaxonInjectRequest"),
        failures=[400, 404],
    )
    inject["parameters"] = [
        {
            "name": "conversation_id",
            "in": "path",
            "required": True,
            "schema": int64(),
            FIDELITY: "guess",
        }
    ]
    return {
        f"{prefix}/webhook": {
            "get": control_operation("naxon_get_webhook", "Naxon's webhook settings", settings),
            "post": control_operation(
                "naxon_set_webhook",
                "Set Naxon's webhook: the URL, the keywords it watches, how it retries",
                settings,
                body=ref("NaxonWebhookRequest"),
                failures=[400],
            ),
            "delete": control_operation(
                "naxon_clear_webhook", "No webhook: nothing is posted", settings
            ),
        },
        f"{prefix}/webhook/send": {
            "post": control_operation(
                "naxon_send_notification",
                "Notify one message now (default: the newest with a watched keyword)",
                ref("NaxonSent"),
                body=ref("NaxonSendRequest"),
                failures=[400, 404],
            )
        },
        f"{prefix}/webhook/burst": {
            "post": control_operation(
                "naxon_start_burst",
                "Post many notifications of new messages, with a share of redeliveries",
                ref("NaxonBurst"),
                body=ref("NaxonBurstRequest"),
                failures=[400],
            )
        },
        f"{prefix}/conversations/{{conversation_id}}/messages": {"post": inject},
        f"{prefix}/deliveries": {
            "get": list_log,
            "delete": control_operation(
                "naxon_clear_deliveries",
                "Empty the delivery log; deliveries and bursts under way stop",
                ref("Deleted"),
            ),
        },
    }
