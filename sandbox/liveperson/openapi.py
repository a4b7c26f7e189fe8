"""LivePerson's part of the sandbox's OpenAPI document: everything served under /liveperson.

seeds/004 and platforms.md give the AppJWT and ConsumerJWS endpoints with their bodies and
answers, CONVERSATION and SEND with their payloads (`kind`, `id`, `type`, `body`) and answers
(`reqId`, `code`, `body`, `sequence`), closing and CSAT through `cm.UpdateConversationField`,
and the 401 body with its error codes: those are `doc`. The answers' `kind` and `type`, the other
errors, the OAuth errors of the sentinel and the sandbox's limits are `guess` (sandbox/README.md,
"LivePerson wire shapes").

`sandbox.openapi` registers this module's `paths`, `schemas` and `responses` in PLATFORM_SPECS
and declares the security schemes and tags they name. Wire names here must follow views.py and
serializers.py, which the tests check against the running sandbox.
"""

from typing import Any

from sandbox.openapi import (
    ERROR_RESPONSES,
    FIDELITY,
    LIVEPERSON_APP_JWT,
    LIVEPERSON_CONSUMER_JWS,
    Fidelity,
    Schema,
    array,
    boolean,
    constant,
    doc,
    guess,
    integer,
    json_body,
    json_content,
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

# As sandbox/liveperson/views.py has them.
MAX_EXT_CONSUMER_ID_LENGTH = 200
MAX_MESSAGE_LENGTH = 10_000
MAX_REQUEST_ID_LENGTH = 100
MAX_CONVERSATION_ID_LENGTH = 36
MAX_SKILL_ID_LENGTH = 40
JWT_PATTERN = r"^[\w-]+\.[\w-]+\.[\w-]+$"
UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
FORM = "application/x-www-form-urlencoded"
ERROR_CODES = (40102, 40103, 40104, 40105)
BOTH_TOKENS = [{LIVEPERSON_APP_JWT: [], LIVEPERSON_CONSUMER_JWS: []}]

ERROR = "LivePersonError"
OAUTH_ERROR = "LivePersonOAuthError"


# --- requests ----------------------------------------------------------------------------------


def request_envelope(kind: str, body: Schema, *, fidelity: Fidelity = "doc") -> Schema:
    """`{kind: "req", id, type, body}` (doc): `id` is echoed as the answer's `reqId`."""
    request_id = {
        "anyOf": [integer(), non_blank(maxLength=MAX_REQUEST_ID_LENGTH)],
        "description": "Text or a whole number; the answer echoes it as `reqId`.",
    }
    return request_object(
        {
            "kind": doc(constant("req")),
            "id": doc(request_id),
            "type": doc(constant(kind)),
            "body": body,
        },
        required=["kind", "id", "type", "body"],
        fidelity=fidelity,
    )


def set_user_profile_request() -> Schema:
    profile = {
        "type": "object",
        "description": "The consumer's profile (firstName, lastName, ...); may be `{}` (doc).",
        FIDELITY: "doc",
    }
    return request_envelope("userprofile.SetUserProfile", profile)


def request_conversation_request() -> Schema:
    body = request_object(
        {
            "brandId": guess(nullable(string(description="The account id of the URL."))),
            "skillId": guess(nullable(non_blank(maxLength=MAX_SKILL_ID_LENGTH))),
            "channelType": guess(constant("MESSAGING")),
        },
        fidelity="doc",
    )
    body["description"] = (
        "What the sandbox reads of it; other fields (ttrDefName, campaignInfo, "
        "conversationContext) are kept as sent."
    )
    return request_envelope("cm.ConsumerRequestConversation", body)


def conversation_batch() -> Schema:
    return {
        "type": "array",
        "prefixItems": [set_user_profile_request(), request_conversation_request()],
        "minItems": 2,
        "maxItems": 2,
        "description": "userprofile.SetUserProfile first (mandatory), then "
        "cm.ConsumerRequestConversation (doc).",
        FIDELITY: "doc",
    }


def publish_event_request() -> Schema:
    event = request_object(
        {
            "type": doc(constant("ContentEvent")),
            "contentType": doc(constant("text/plain")),
            "message": doc(non_blank(maxLength=MAX_MESSAGE_LENGTH)),
        },
        required=["type", "contentType", "message"],
    )
    body = request_object(
        {
            "dialogId": doc(
                {
                    **non_blank(maxLength=MAX_CONVERSATION_ID_LENGTH),
                    "description": "The conversation's id (its main dialog).",
                }
            ),
            "event": event,
        },
        required=["dialogId", "event"],
    )
    return request_envelope("ms.PublishEvent", body)


def conversation_field() -> Schema:
    close = request_object(
        {
            "field": doc(constant("ConversationStateField")),
            "conversationState": doc(constant("CLOSE")),
        },
        required=["field", "conversationState"],
    )
    csat = request_object(
        {
            "field": doc(constant("CSATRate")),
            "csatRate": doc(integer(minimum=1, maximum=5)),
            "csatResolutionConfirmation": doc(nullable(boolean())),
            "status": doc({**one_of_values("FILLED", "SKIPPED"), "default": "FILLED"}),
        },
        required=["field", "csatRate"],
    )
    return {"oneOf": [close, csat]}


def update_field_request() -> Schema:
    field = conversation_field()
    body = request_object(
        {
            "conversationId": doc(non_blank(maxLength=MAX_CONVERSATION_ID_LENGTH)),
            "conversationField": doc(
                {
                    "anyOf": [field, array(field, minItems=1)],
                    "description": "One field (doc), or a list of them (as clients send, obs).",
                }
            ),
        },
        required=["conversationId", "conversationField"],
    )
    return request_envelope("cm.UpdateConversationField", body)


def send_payload() -> Schema:
    return {
        "oneOf": [
            publish_event_request(),
            update_field_request(),
            {**set_user_profile_request(), FIDELITY: "doc"},
        ],
        FIDELITY: "doc",
    }


# --- component schemas -------------------------------------------------------------------------


def error_schema() -> Schema:
    body = {
        "type": "object",
        "properties": {
            "title": doc(string()),
            "details": doc(string()),
            "errorCode": doc({"enum": list(ERROR_CODES), "description": "Only on a 401."}),
        },
        "required": ["title", "details"],
        "additionalProperties": False,
        FIDELITY: "doc",
    }
    return record(
        {
            "kind": doc(constant("resp")),
            "code": doc(integer(minimum=400, maximum=599)),
            "body": body,
            "type": doc(constant(".ReqBody$ErrorResp")),
        },
        fidelity="doc",
        description="The documented 401 body; the sandbox's other errors share it without "
        "`errorCode` (guess).",
    )


def oauth_error_schema() -> Schema:
    return record(
        {
            "error": one_of_values("invalid_request", "unsupported_grant_type", "invalid_client"),
            "error_description": string(),
        },
        description="The sentinel's errors, as an OAuth 2 token endpoint answers (RFC 6749).",
    )


def app_token_schema() -> Schema:
    return record(
        {
            "access_token": doc(string(pattern=JWT_PATTERN, description="Valid 60 minutes.")),
            "token_type": doc(constant("Bearer")),
        },
        fidelity="doc",
    )


def consumer_token_schema() -> Schema:
    return record(
        {"token": doc(string(pattern=JWT_PATTERN, description="Never expires."))},
        fidelity="doc",
    )


def conversation_answer() -> Schema:
    def response(kind: str, body: Schema) -> Schema:
        return record(
            {
                "kind": guess(constant("resp")),
                "reqId": doc({"anyOf": [integer(), string()], "description": "The request's id."}),
                "code": doc(constant(200)),
                "body": body,
                "type": guess(constant(kind)),
            }
        )

    opened = record(
        {"conversationId": doc(string(pattern=UUID_PATTERN))},
        fidelity="doc",
    )
    return {
        "type": "array",
        "prefixItems": [
            response("userprofile.SetUserProfile$Response", guess(constant("OK Profile Set"))),
            response("cm.RequestConversationResponse", opened),
        ],
        "minItems": 2,
        "maxItems": 2,
        "description": "One answer per request, in order (doc).",
        FIDELITY: "doc",
    }


def send_answer() -> Schema:
    def answer(body: Schema) -> Schema:
        return record(
            {
                "reqId": doc({"anyOf": [integer(), string()], "description": "The request's id."}),
                "code": doc(constant("OK")),
                "body": body,
            },
            fidelity="doc",
        )

    published = record(
        {"sequence": doc(integer(minimum=0, multipleOf=2, description="0, 2, 4... (doc)."))},
        fidelity="doc",
    )
    updated = record({}, description="Closing, CSAT and the profile answer an empty body.")
    return {"anyOf": [answer(published), answer(updated)], FIDELITY: "doc"}


def schemas() -> dict[str, Schema]:
    return {
        ERROR: error_schema(),
        OAUTH_ERROR: oauth_error_schema(),
        "LivePersonAppToken": app_token_schema(),
        "LivePersonConsumerToken": consumer_token_schema(),
        "LivePersonConversationAnswer": conversation_answer(),
        "LivePersonSendAnswer": send_answer(),
    }


# --- error responses ---------------------------------------------------------------------------


def responses() -> dict[str, Any]:
    unauthorized = {
        "allOf": [
            ref(ERROR),
            {
                "properties": {
                    "code": constant(401),
                    "body": {"required": ["errorCode"]},
                }
            },
        ]
    }
    return {
        "LivePersonBadRequest": {
            "description": "The request is not what the document describes (guess: the body's "
            "`details` says what is wrong).",
            "content": json_content(ref(ERROR)),
        },
        "LivePersonUnauthorized": {
            "description": "40102 invalid or expired AppJWT, 40103 invalid ConsumerJWS (or "
            "another consumer's conversation), 40104 no AppJWT, 40105 no ConsumerJWS (doc).",
            "content": json_content(unauthorized),
        },
        "LivePersonNotFound": {
            "description": "No such conversation in the account (guess).",
            "content": json_content(ref(ERROR)),
        },
        "LivePersonOAuthFailure": {
            "description": "Wrong client credentials (401) or request (400), OAuth 2's shape.",
            "content": json_content(ref(OAUTH_ERROR)),
        },
    }


def errors(*statuses: int, oauth: bool = False) -> dict[str, Any]:
    """The operation's error answers. Any request may also meet an injected fault (429 is
    possible, doc; 500), answered by the sandbox's fault layer in Connextlive's error shape."""
    if oauth:
        answers = {str(status): response_ref("LivePersonOAuthFailure") for status in statuses}
    else:
        names = {400: "LivePersonBadRequest", 401: "LivePersonUnauthorized",
                 404: "LivePersonNotFound"}  # fmt: skip
        answers = {str(status): response_ref(names[status]) for status in statuses}
    for status in (429, 500):
        answers[str(status)] = response_ref(ERROR_RESPONSES[status][0])
    return dict(sorted(answers.items()))


# --- operations --------------------------------------------------------------------------------


def account_id() -> dict[str, Any]:
    return {
        "name": "accountId",
        "in": "path",
        "required": True,
        "description": "The account (brand) id.",
        "schema": string(),
        FIDELITY: "doc",
    }


def version(value: str) -> dict[str, Any]:
    return query("v", constant(value), f"The API version: {value} (doc).", required=True)


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    failures: dict[str, Any],
    security: list[dict[str, list]],
    parameters: list[dict[str, Any]],
    body: dict[str, Any],
    status: str = "200",
    description: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operationId": f"liveperson_{operation_id}",
        "summary": summary,
        "tags": [tag],
        FIDELITY: "doc",
        "security": security,
        "parameters": [account_id(), *parameters],
        "requestBody": body,
        "responses": {status: ok, **failures},
    }
    if description:
        result["description"] = description
    return result


def app_token_operation() -> dict[str, Any]:
    form = request_object(
        {"client_id": doc(string(minLength=1)), "client_secret": doc(string(minLength=1))},
        required=["client_id", "client_secret"],
    )
    grant = query(
        "grant_type", constant("client_credentials"), "The OAuth 2 grant (doc).", required=True
    )
    return operation(
        "app_token",
        "Get an AppJWT with the connector app's client credentials",
        tag="liveperson-auth",
        ok=success("The AppJWT, valid 60 minutes (doc).", ref("LivePersonAppToken")),
        failures=errors(400, 401, oauth=True),
        security=[],
        parameters=[version("1.0"), grant],
        body={"required": True, "content": {FORM: {"schema": form}}},
        description="The lifetime runs on the sandbox's clock (/__sandbox__/clock).",
    )


def consumer_token_operation() -> dict[str, Any]:
    body = request_object(
        {"ext_consumer_id": doc(non_blank(maxLength=MAX_EXT_CONSUMER_ID_LENGTH))},
        required=["ext_consumer_id"],
    )
    return operation(
        "consumer_token",
        "Get a ConsumerJWS for an ext_consumer_id",
        tag="liveperson-auth",
        ok=success("The ConsumerJWS, which never expires (doc).", ref("LivePersonConsumerToken")),
        failures=errors(400, 401),
        security=[{LIVEPERSON_APP_JWT: []}],
        parameters=[version("1.0")],
        body=json_body(body, example={"ext_consumer_id": "acme-447700900101"}),
        status="201",
        description="The same ext_consumer_id is the same consumer, whichever token it gets.",
    )


def conversation_operation() -> dict[str, Any]:
    example = [
        {"kind": "req", "id": "1,", "type": "userprofile.SetUserProfile", "body": {}},
        {"kind": "req", "id": 2, "type": "cm.ConsumerRequestConversation",
         "body": {"brandId": "90233546", "channelType": "MESSAGING"}},
    ]  # fmt: skip
    return operation(
        "open_conversation",
        "CONVERSATION: set the consumer's profile and open a conversation",
        tag="liveperson-messaging",
        ok=success("One answer per request.", ref("LivePersonConversationAnswer")),
        failures=errors(400, 401),
        security=BOTH_TOKENS,
        parameters=[version("3")],
        body=json_body(conversation_batch(), example=example),
        description="Opening notifies the account's webhook "
        "(cqm.ExConversationChangeNotification).",
    )


def send_operation() -> dict[str, Any]:
    example = {
        "kind": "req",
        "id": "1",
        "type": "ms.PublishEvent",
        "body": {
            "dialogId": "0f2d6b9e-2c1a-4f4e-9b7d-3a5c8e1f0a2b",
            "event": {"type": "ContentEvent", "contentType": "text/plain", "message": "Hello"},
        },
    }
    return operation(
        "send",
        "SEND: publish a message, close or rate a conversation, or set the profile",
        tag="liveperson-messaging",
        ok=success("The answer, `reqId` echoing the request's id.", ref("LivePersonSendAnswer")),
        failures=errors(400, 401, 404),
        security=BOTH_TOKENS,
        parameters=[version("3")],
        body=json_body(send_payload(), example=example),
        description="A closed conversation refuses messages (400). Messages and closing notify "
        "the account's webhook; closing a closed conversation changes nothing (guess).",
    )


def paths() -> dict[str, dict[str, Any]]:
    """The document's paths; the real service serves the sentinel from its own domain."""
    messaging = "/api/account/{accountId}/messaging/consumer/conversation"
    return {
        "/sentinel/api/account/{accountId}/app/token": {"post": app_token_operation()},
        "/api/account/{accountId}/consumer": {"post": consumer_token_operation()},
        messaging: {"post": conversation_operation()},
        f"{messaging}/send": {"post": send_operation()},
    }


# --- the sandbox's own endpoints ---------------------------------------------------------------


def control_paths() -> dict[str, dict[str, Any]]:
    """/__sandbox__/liveperson/ (sandbox/liveperson/control.py): the webhook, its deliveries,
    replies and closing from the other side, and the conversations."""
    from sandbox.openapi import control_operation

    def account_query() -> dict[str, Any]:
        return query(
            "accountId", string(), "The account (default: the main one).", fidelity="guess"
        )

    webhook = record({"accountId": string(), "url": nullable(string())})
    read, clear = (
        control_operation("liveperson_get_webhook", "Where notifications go", webhook),
        control_operation("liveperson_clear_webhook", "Stop notifications", webhook),
    )
    read["parameters"] = clear["parameters"] = [account_query()]
    conversation_id = {"conversationId": string(minLength=1)}
    message = record(
        {
            "sequence": integer(minimum=0),
            "role": one_of_values("CONSUMER", "ASSIGNED_AGENT"),
            "originatorId": string(),
            "appId": nullable(string()),
            "message": string(),
            "at": timestamp(),
        }
    )
    conversation = record(
        {
            "conversationId": string(pattern=UUID_PATTERN),
            "accountId": string(),
            "extConsumerId": string(),
            "consumerId": string(pattern="^[0-9a-f]{64}$"),
            "state": one_of_values("OPEN", "CLOSE"),
            "skillId": nullable(string()),
            "profile": {"type": "object"},
            "csat": nullable(
                record(
                    {
                        "rate": integer(minimum=1, maximum=5),
                        "resolutionConfirmed": nullable(boolean()),
                        "status": one_of_values("FILLED", "SKIPPED"),
                    }
                )
            ),
            "createdAt": timestamp(),
            "closedAt": nullable(timestamp()),
            "closeReason": nullable(one_of_values("CONSUMER", "AGENT")),
            "messages": array(message),
        }
    )
    listing = control_operation(
        "liveperson_conversations",
        "Conversations with their messages, oldest first",
        record({"conversations": array(conversation)}),
    )
    listing["parameters"] = [
        account_query(),
        query("extConsumerId", string(), "Only this consumer's.", fidelity="guess"),
    ]
    delivery = {
        "type": "object",
        "required": ["type", "conversationId", "url", "attempt", "status", "error", "at"],
        "properties": {
            "type": one_of_values(
                "cqm.ExConversationChangeNotification", "ms.MessagingEventNotification"
            ),
            "attempt": integer(minimum=1),
            "status": nullable(integer()),
            "error": nullable(string()),
        },
    }
    deliveries = control_operation(
        "liveperson_webhook_deliveries",
        "Every attempt to deliver a notification, from any process",
        record({"deliveries": array(delivery)}),
    )
    deliveries["parameters"] = [account_query()]
    return {
        "/__sandbox__/liveperson/webhook": {
            "get": read,
            "post": control_operation(
                "liveperson_set_webhook",
                "Send the account's notifications to this URL, signed with this secret",
                webhook,
                body=request_object(
                    {
                        "url": string(format="uri"),
                        "secret": string(minLength=1),
                        "accountId": string(),
                    },
                    required=["url", "secret"],
                    fidelity="guess",
                ),  # fmt: skip
                failures=[400],
            ),
            "delete": clear,
        },
        "/__sandbox__/liveperson/webhook-deliveries": {"get": deliveries},
        "/__sandbox__/liveperson/consumer-reply": {
            "post": control_operation(
                "liveperson_consumer_reply",
                "A message into the conversation from the consumer's (or an agent's) side",
                record({"conversationId": string(), "sequence": integer(minimum=0)}),
                body=request_object(
                    {
                        **conversation_id,
                        "message": string(minLength=1, maxLength=MAX_MESSAGE_LENGTH),
                        "role": one_of_values("CONSUMER", "ASSIGNED_AGENT"),
                    },
                    required=["conversationId", "message"],
                    fidelity="guess",
                ),
                failures=[400, 404],
            )
        },
        "/__sandbox__/liveperson/close-conversation": {
            "post": control_operation(
                "liveperson_close_conversation",
                "The agent closes the conversation",
                record({"conversationId": string(), "state": constant("CLOSE")}),
                body=request_object(conversation_id, required=["conversationId"], fidelity="guess"),
                failures=[400, 404],
            )
        },
        "/__sandbox__/liveperson/conversations": {"get": listing},
    }
