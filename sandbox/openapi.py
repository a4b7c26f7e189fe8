"""The sandbox's OpenAPI 3.1 description: what it serves, and how sure we are of each part.

`build_spec()` assembles the document served at `/openapi.json` from small helpers. Each platform
contributes a `PlatformSpec` (its paths under its own prefix, its component schemas and
responses); `PLATFORM_SPECS` lists them and `build_spec` merges them with the sandbox's own
control endpoints.

Fidelity labels (`x-fidelity`, as the team's platform notes define them): `doc` when the
vendor's document states it, `obs` when seen on the real service, `guess` when it is this
project's choice. Every operation carries one, and so does every schema and field the document
does not give. Connextlive's response bodies are `guess` (seeds/003 documents requests and the
error body only); their shapes are sandbox/README.md's. Where a request schema is stricter than
the document (maximum lengths, number ranges), it says what the sandbox enforces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

type Schema = dict[str, Any]
type Fidelity = Literal["doc", "obs", "guess"]

OPENAPI_VERSION = "3.1.1"
FIDELITY = "x-fidelity"
SANDBOX_CONTROL = "x-sandbox-control"
REQUIRED_ROLE = "x-required-role"
BEARER = "bearerJWT"
CONTROL_TAG = "sandbox-control"
JSON = "application/json"

# Crockford base32, as ULIDs are spelled (no I, L, O, U).
ULID = "[0-9A-HJKMNP-TV-Z]{26}"
LARGEST_QUERY_NUMBER = 2**31 - 1
# ISO 8601 UTC with milliseconds and `Z`, as every sandbox timestamp is written.
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"


# --- JSON Schema helpers ---------------------------------------------------------------------


def labelled(schema: Schema, fidelity: Fidelity) -> Schema:
    return {**schema, FIDELITY: fidelity}


def doc(schema: Schema) -> Schema:
    return labelled(schema, "doc")


def guess(schema: Schema) -> Schema:
    return labelled(schema, "guess")


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def string(**keywords: Any) -> Schema:
    return {"type": "string", **keywords}


def integer(**keywords: Any) -> Schema:
    return {"type": "integer", **keywords}


def count() -> Schema:
    return integer(minimum=0)


def boolean() -> Schema:
    return {"type": "boolean"}


def array(items: Schema, **keywords: Any) -> Schema:
    return {"type": "array", "items": items, **keywords}


def one_of_values(*values: str) -> Schema:
    return string(enum=list(values))


def constant(value: Any) -> Schema:
    return {"const": value}


def nullable(schema: Schema) -> Schema:
    """The schema, or null: `["string", "null"]` where a type is given, `anyOf` around a `$ref`."""
    if "$ref" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    null_schema = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        null_schema["enum"] = [*schema["enum"], None]
    return null_schema


def identifier(prefix: str) -> Schema:
    return string(pattern=f"^{prefix}_{ULID}$")


def non_blank(**keywords: Any) -> Schema:
    """A string with something besides white space (the sandbox strips before checking)."""
    return string(minLength=1, pattern=r"\S", **keywords)


def domains(**keywords: Any) -> Schema:
    """doc: allowed origin domains as a JSON array *encoded as a string*."""
    return string(
        description='A JSON array of domains in a string, e.g. "[\\"company.com\\"]".',
        contentMediaType=JSON,
        contentSchema=array(string(minLength=1, maxLength=253), maxItems=100),
        **keywords,
    )


def timestamp() -> Schema:
    return string(format="date-time", pattern=TIMESTAMP_PATTERN)


def email(**keywords: Any) -> Schema:
    return string(format="email", **keywords)


def record(
    fields: Mapping[str, Schema],
    *,
    fidelity: Fidelity = "guess",
    description: str | None = None,
) -> Schema:
    """A closed object: every field is required, and no other field is allowed."""
    schema: Schema = {
        "type": "object",
        "properties": dict(fields),
        "required": list(fields),
        "additionalProperties": False,
        FIDELITY: fidelity,
    }
    if description:
        schema["description"] = description
    return schema


def request_object(
    fields: Mapping[str, Schema], *, required: Iterable[str] = (), fidelity: Fidelity = "doc"
) -> Schema:
    """A request body: the fields the document names; others are ignored, so not forbidden."""
    return {
        "type": "object",
        "properties": dict(fields),
        "required": list(required),
        FIDELITY: fidelity,
    }


# --- OpenAPI object helpers ------------------------------------------------------------------


def json_content(schema: Schema) -> dict[str, Any]:
    return {JSON: {"schema": schema}}


def success(description: str, schema: Schema) -> dict[str, Any]:
    return {"description": description, "content": json_content(schema)}


def response_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def json_body(schema: Schema, *, example: Any = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"required": True, "content": {JSON: content}}


def query(
    name: str,
    schema: Schema,
    description: str,
    *,
    fidelity: Fidelity = "doc",
    **keywords: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        FIDELITY: fidelity,
        **keywords,
    }


def path_id(prefix: str, what: str) -> dict[str, Any]:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": f"The {what}'s id (`{prefix}_` and a ULID).",
        "schema": identifier(prefix),
        FIDELITY: "guess",
    }


def query_number(*, minimum: int, default: int) -> Schema:
    """A whole number in the query; below `minimum` or past 2**31 - 1 is a 400 (guess)."""
    return integer(minimum=minimum, maximum=LARGEST_QUERY_NUMBER, default=default)


def page_limit(*, default: int, cap: int | None, description: str) -> dict[str, Any]:
    """`limit`: below 1 is a 400 (guess); above a documented cap is capped, not refused."""
    schema = query_number(minimum=1, default=default)
    parameter = query("limit", schema, description)
    if cap is not None:
        parameter["x-capped-at"] = cap
    return parameter


# --- Connextlive: component schemas ----------------------------------------------------------

CONVERSATION_STATUSES = ("ACTIVE", "WAITING", "CLOSED")
LANGUAGES = ("en", "tr", "de", "es")
ATTACHMENT_TYPES = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
)
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_CONTENT_LENGTH = 10_000


def user_fields() -> dict[str, Schema]:
    return {
        "id": guess(identifier("usr")),
        "email": guess(email()),
        "name": guess(string()),
        "role": guess(one_of_values("CUSTOMER", "AGENT")),
        "avatarUrl": guess(nullable(string())),
        "csatScore": guess(nullable({"type": "number", "minimum": 0, "maximum": 5})),
        "status": guess(one_of_values("ONLINE", "AWAY", "OFFLINE")),
        "tenantId": guess(identifier("ten")),
        "createdAt": guess(timestamp()),
    }


def user_schema() -> Schema:
    return record(user_fields(), description="An agent or a manager of a workspace.")


def agent_profile_schema() -> Schema:
    tenant = record({"id": guess(identifier("ten")), "name": guess(string())})
    return record(
        {**user_fields(), "tenant": tenant},
        description="The signed-in agent, with the tenant it belongs to.",
    )


def settings_section(fields: dict[str, Schema], *, closed_keys: bool) -> Schema:
    """Known keys are typed; the section stays open because PUT merges whatever keys it gets.

    In an answer every known key is present (`closed_keys`); in a PUT any of them may be.
    """
    schema: Schema = {"type": "object", "properties": fields}
    if closed_keys:
        schema["required"] = list(fields)
    return schema


def notification_settings(*, closed_keys: bool) -> Schema:
    """seeds/003's example names `notifications`, `visitorSound` and `agentSound`."""
    fields = {
        "visitorSound": doc(boolean()),
        "agentSound": doc(boolean()),
        "emailOnNewConversation": guess(boolean()),
        "emailDigest": guess(boolean()),
    }
    return doc(settings_section(fields, closed_keys=closed_keys))


def widget_settings(*, closed_keys: bool) -> Schema:
    fields = {
        "primaryColor": string(pattern="^#[0-9a-fA-F]{6}$"),
        "position": one_of_values("bottom-right", "bottom-left"),
        "greeting": string(maxLength=500),
        "showAgentAvatar": boolean(),
        "offlineMessage": string(maxLength=500),
    }
    return guess(settings_section(fields, closed_keys=closed_keys))


def workspace_settings(*, closed_keys: bool) -> Schema:
    """Notification and widget settings (doc); PUT deep-merges them, never replaces."""
    sections = {
        "notifications": notification_settings(closed_keys=closed_keys),
        "widget": widget_settings(closed_keys=closed_keys),
    }
    return doc(settings_section(sections, closed_keys=closed_keys))


def workspace_schema() -> Schema:
    return record(
        {
            "id": guess(identifier("wsp")),
            "tenantId": guess(identifier("ten")),
            "name": doc(string(minLength=1, maxLength=100)),
            "companyName": doc(nullable(string())),
            "contactEmail": doc(nullable(string())),
            "language": doc(one_of_values(*LANGUAGES)),
            "timezone": doc(string(minLength=1)),
            "settings": ref("WorkspaceSettings"),
            "createdAt": guess(timestamp()),
            "updatedAt": guess(timestamp()),
        }
    )


def site_schema() -> Schema:
    return record(
        {
            "id": guess(identifier("site")),
            "name": guess(string()),
            "domain": guess(string()),
        }
    )


def visitor_schema() -> Schema:
    text_or_null = nullable(string())
    return record(
        {
            "id": guess(identifier("vis")),
            "userName": doc(text_or_null),
            "userEmail": doc(text_or_null),
            "userPhone": doc(text_or_null),
            "ip": guess(string()),
            "country": guess(text_or_null),
            "countryCode": guess(nullable(string(pattern="^[A-Z]{2}$"))),
            "city": guess(text_or_null),
            "siteId": guess(identifier("site")),
            "site": ref("Site"),
            "tags": doc(array(string())),
            "notes": doc(text_or_null),
            "externalIds": guess({"type": "object", "additionalProperties": string()}),
            "isOnline": guess(boolean()),
            "isReturning": guess(boolean()),
            "visitCount": guess(count()),
            "browser": guess(text_or_null),
            "os": guess(text_or_null),
            "device": guess(text_or_null),
            "currentPage": guess(text_or_null),
            "referrer": guess(text_or_null),
            "firstSeenAt": guess(timestamp()),
            "lastSeenAt": guess(timestamp()),
            "createdAt": guess(timestamp()),
        }
    )


def conversation_summary_fields() -> dict[str, Schema]:
    visitor_brief = record(
        {
            "id": guess(identifier("vis")),
            "userName": guess(nullable(string())),
            "userEmail": guess(nullable(string())),
            "isOnline": guess(boolean()),
        }
    )
    agent_brief = record({"id": guess(identifier("usr")), "name": guess(string())})
    last_message = record(
        {
            "content": guess(nullable(string())),
            "senderType": guess(one_of_values("VISITOR", "AGENT", "SYSTEM")),
            "createdAt": guess(timestamp()),
        }
    )
    return {
        "id": guess(identifier("cnv")),
        "status": doc(one_of_values(*CONVERSATION_STATUSES)),
        "visitorId": guess(identifier("vis")),
        "visitor": visitor_brief,
        "agentId": guess(nullable(identifier("usr"))),
        "agent": guess(nullable(agent_brief)),
        "siteId": guess(identifier("site")),
        "subject": guess(nullable(string())),
        "unreadCount": guess(count()),
        "lastMessage": guess(nullable(last_message)),
        "messageCount": guess(count()),
        "createdAt": guess(timestamp()),
        "updatedAt": guess(timestamp()),
        "closedAt": guess(nullable(timestamp())),
    }


def conversation_summary_schema() -> Schema:
    return record(conversation_summary_fields())


def conversation_detail_schema() -> Schema:
    workspace_brief = record({"id": guess(identifier("wsp")), "name": guess(string())})
    return record(
        {
            **conversation_summary_fields(),
            "visitor": ref("Visitor"),
            "workspace": workspace_brief,
        },
        description="A conversation with its full visitor profile and workspace info.",
    )


def tenant_conversation_detail_schema() -> Schema:
    """The tenant API has no messages endpoint, so its detail carries them, oldest first."""
    return record(
        {**conversation_detail_schema()["properties"], "messages": array(ref("Message"))},
        description="ConversationDetail plus every message of the conversation.",
    )


def attachment_schema() -> Schema:
    return record(
        {
            "id": guess(identifier("att")),
            "fileName": guess(string()),
            "mimeType": guess(one_of_values(*ATTACHMENT_TYPES)),
            "size": guess(integer(minimum=0, maximum=MAX_ATTACHMENT_BYTES)),
            "url": guess(
                string(
                    format="uri",
                    pattern=f"/connextlive/files/att_{ULID}/[^/]+$",
                    description="Where the sandbox serves the file, without a token.",
                )
            ),
        }
    )


def message_schema() -> Schema:
    return record(
        {
            "id": guess(identifier("msg")),
            "conversationId": guess(identifier("cnv")),
            "senderType": guess(one_of_values("VISITOR", "AGENT", "SYSTEM")),
            "senderId": guess(nullable(string())),
            "senderName": guess(nullable(string())),
            "content": doc(string()),
            "messageType": doc(one_of_values("TEXT", "FILE", "SYSTEM")),
            "attachments": doc(array(ref("Attachment"), maxItems=MAX_ATTACHMENTS)),
            "isRead": guess(boolean()),
            "createdAt": guess(timestamp()),
        }
    )


def invitation_schema() -> Schema:
    return record(
        {
            "id": guess(identifier("inv")),
            "name": doc(string()),
            "email": doc(email()),
            "status": guess(one_of_values("PENDING", "EXPIRED")),
            "invitedAt": guess(timestamp()),
            "expiresAt": guess(timestamp()),
        },
        description="An agent invitation; it expires 7 days after it was sent (doc).",
    )


def api_key_fields() -> dict[str, Schema]:
    return {
        "id": guess(identifier("key")),
        "name": doc(string(minLength=1, maxLength=100)),
        "keyHash": guess(string(pattern="^[0-9a-f]{64}$", description="SHA-256 of the plain key.")),
        "keyPrefix": guess(
            string(
                pattern="^[A-Za-z0-9_-]{12}$", description="The plain key's first 12 characters."
            )
        ),
        "domains": doc(domains()),
        "status": doc(one_of_values("ACTIVE", "INACTIVE")),
        "createdAt": guess(timestamp()),
        "lastUsedAt": guess(nullable(timestamp())),
    }


def api_key_schema() -> Schema:
    return record(api_key_fields(), description="A widget API key; the plain key never appears.")


def created_api_key_schema() -> Schema:
    plain_key = doc(string(pattern="^cxl_live_[A-Za-z0-9_-]{40}$", description="Shown once."))
    return record({**api_key_fields(), "plainKey": plain_key})


def login_response_schema() -> Schema:
    return record(
        {
            "token": guess(string(pattern=r"^[\w-]+\.[\w-]+\.[\w-]+$", description="JWT HS256.")),
            "expiresAt": guess(timestamp()),
            "user": ref("User"),
        },
        description="The JWT is valid 7 days (doc); the body around it is ours.",
    )


def conversation_page_fields(*, limit_cap: int | None) -> dict[str, Schema]:
    limit = integer(minimum=1) if limit_cap is None else integer(minimum=1, maximum=limit_cap)
    return {
        "conversations": array(ref("ConversationSummary")),
        "total": count(),
        "limit": limit,
        "offset": count(),
    }


def tenant_conversation_list_schema() -> Schema:
    agent_stat = record(
        {
            "agentId": identifier("usr"),
            "agentName": string(),
            "active": count(),
            "waiting": count(),
            "closed": count(),
            "total": count(),
            "unread": count(),
        }
    )
    return record(
        {
            **conversation_page_fields(limit_cap=None),
            "unreadTotal": count(),
            "agentStats": array(agent_stat),
        },
        description="Unread counts and per-agent stats are documented; the names are ours.",
    )


def agent_conversation_list_schema() -> Schema:
    counts = record({"active": count(), "waiting": count(), "closed": count()})
    return record({**conversation_page_fields(limit_cap=50), "counts": counts})


def numbered_page_fields(items: str, item_schema: str, *, limit_cap: int) -> dict[str, Schema]:
    return {
        items: array(ref(item_schema)),
        "total": count(),
        "page": integer(minimum=1),
        "limit": integer(minimum=1, maximum=limit_cap),
        "totalPages": count(),
    }


def visitor_list_schema() -> Schema:
    stats = record({"total": count(), "online": count(), "returning": count()})
    return record({**numbered_page_fields("visitors", "Visitor", limit_cap=100), "stats": stats})


def message_list_schema() -> Schema:
    return record(numbered_page_fields("messages", "Message", limit_cap=100))


def agent_list_schema() -> Schema:
    return record({"agents": array(ref("User")), "invitations": array(ref("Invitation"))})


def api_key_list_schema() -> Schema:
    return record({"apiKeys": array(ref("ApiKey"))})


def mark_read_result_schema() -> Schema:
    return record({"success": constant(True), "markedCount": count()})


def deleted_schema() -> Schema:
    return record({"success": constant(True)})


def error_schema() -> Schema:
    return record(
        {
            "statusCode": doc(integer(minimum=400, maximum=599)),
            "statusMessage": doc(string()),
            "data": doc(
                {"anyOf": [{"type": "null"}, ref("ValidationErrorData"), ref("FaultData")]}
            ),
        },
        fidelity="doc",
        description="The error body of every failure (seeds/003, Error Reference).",
    )


def validation_error_data_schema() -> Schema:
    return record(
        {
            "fieldErrors": {"type": "object", "additionalProperties": array(string(), minItems=1)},
            "formErrors": array(string()),
        },
        description="Field messages in zod's flattened form.",
    )


def fault_data_schema() -> Schema:
    return record(
        {"fault": one_of_values("errorRate", "rateLimitRps")},
        description="Only in an answer the sandbox's fault injection made (/__sandbox__/faults).",
    )


def connextlive_schemas() -> dict[str, Schema]:
    return {
        "User": user_schema(),
        "AgentProfile": agent_profile_schema(),
        "WorkspaceSettings": workspace_settings(closed_keys=True),
        "WorkspaceSettingsPatch": workspace_settings(closed_keys=False),
        "Workspace": workspace_schema(),
        "Site": site_schema(),
        "Visitor": visitor_schema(),
        "ConversationSummary": conversation_summary_schema(),
        "ConversationDetail": conversation_detail_schema(),
        "TenantConversationDetail": tenant_conversation_detail_schema(),
        "Attachment": attachment_schema(),
        "Message": message_schema(),
        "Invitation": invitation_schema(),
        "ApiKey": api_key_schema(),
        "CreatedApiKey": created_api_key_schema(),
        "LoginResponse": login_response_schema(),
        "TenantConversationList": tenant_conversation_list_schema(),
        "AgentConversationList": agent_conversation_list_schema(),
        "VisitorList": visitor_list_schema(),
        "MessageList": message_list_schema(),
        "AgentList": agent_list_schema(),
        "ApiKeyList": api_key_list_schema(),
        "MarkReadResult": mark_read_result_schema(),
        "Deleted": deleted_schema(),
        "Error": error_schema(),
        "ValidationErrorData": validation_error_data_schema(),
        "FaultData": fault_data_schema(),
    }


# --- Connextlive: error responses ------------------------------------------------------------

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Bad Request: validation failed, with field messages in `data`."),
    401: ("Unauthorized", "Unauthorized: token missing, invalid, expired or revoked."),
    403: ("Forbidden", "Forbidden: the token's role may not call this endpoint."),
    404: ("NotFound", "Not Found: no such record in the caller's workspace."),
    405: ("MethodNotAllowed", "Method Not Allowed."),
    429: ("TooManyRequests", "Too Many Requests: only when a fault is injected."),
    500: ("InternalServerError", "Internal Server Error."),
}


# What `data` may hold, by status: field messages on a 400, the fault behind an injected answer.
ERROR_DATA: dict[int, str] = {400: "ValidationErrorData", 429: "FaultData", 500: "FaultData"}


def error_response(status: int) -> dict[str, Any]:
    """A status's error body: `statusCode` repeats the status; `data` is null or, for some
    statuses, one kind of details."""
    data: Schema = {"type": "null"}
    if status in ERROR_DATA:
        data = {"anyOf": [data, ref(ERROR_DATA[status])]}
    narrowing: Schema = {"properties": {"statusCode": constant(status), "data": data}}
    response: dict[str, Any] = {
        "description": ERROR_RESPONSES[status][1],
        "content": json_content({"allOf": [ref("Error"), narrowing]}),
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "required": True,
                "schema": integer(minimum=0),
            }
        }
        response[FIDELITY] = "guess"
    if status == 405:
        response["headers"] = {
            "Allow": {
                "description": "The methods the path answers.",
                "required": True,
                "schema": string(),
            }
        }
    return response


def connextlive_responses() -> dict[str, Any]:
    return {name: error_response(status) for status, (name, _) in ERROR_RESPONSES.items()}


def errors(*statuses: int) -> dict[str, Any]:
    """The error responses of an operation; 429 and 500 may answer any of them."""
    every = sorted({*statuses, 429, 500})
    return {str(status): response_ref(ERROR_RESPONSES[status][0]) for status in every}


# --- Connextlive: operations -----------------------------------------------------------------

Role = Literal["CUSTOMER", "AGENT"]


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    failures: Iterable[int],
    role: Role | None,
    parameters: Iterable[dict[str, Any]] = (),
    body: dict[str, Any] | None = None,
    fidelity: Fidelity = "doc",
) -> dict[str, Any]:
    """An operation; one with a role needs a bearer JWT of that role (401 without, 403 else)."""
    statuses = set(failures)
    if role is not None:
        statuses |= {401, 403}
    result: dict[str, Any] = {
        "operationId": f"connextlive_{operation_id}",
        "summary": summary,
        "tags": [tag],
        FIDELITY: fidelity,
        "responses": {"200": ok, **errors(*statuses)},
    }
    if role is None:
        result["security"] = []
    else:
        result[REQUIRED_ROLE] = role
    if parameters := list(parameters):
        result["parameters"] = parameters
    if body is not None:
        result["requestBody"] = body
    return result


def login_operation() -> dict[str, Any]:
    body = request_object(
        {"email": email(maxLength=254), "password": string(minLength=6, maxLength=200)},
        required=["email", "password"],
    )
    return operation(
        "login",
        "Login — get a JWT (valid 7 days)",
        tag="auth",
        ok=success("A JWT and the signed-in user.", ref("LoginResponse")),
        failures=[400, 401],
        role=None,
        body=json_body(body, example={"email": "admin@company.com", "password": "yourpassword"}),
    )


def tenant_conversation_operations() -> dict[str, dict[str, Any]]:
    tag = "tenant-conversations"
    summary_ok = success("The updated conversation.", ref("ConversationSummary"))
    list_parameters = [
        query("status", one_of_values(*CONVERSATION_STATUSES, "all"), "Filter by status."),
        query("agentId", string(), 'Filter by agent id (or "all").'),
        query("search", string(), "Search in message content and visitor id."),
        page_limit(default=50, cap=None, description="Items per page."),
        query("offset", query_number(minimum=0, default=0), "Pagination offset."),
    ]
    one = [path_id("cnv", "conversation")]
    status_body = request_object(
        {"status": one_of_values(*CONVERSATION_STATUSES)}, required=["status"]
    )
    assign_body = request_object(
        {"agentId": string(minLength=1, maxLength=100)}, required=["agentId"]
    )
    return {
        "list": operation(
            "tenant_list_conversations",
            "List conversations, with unread counts and per-agent stats",
            tag=tag,
            ok=success("A page of conversations.", ref("TenantConversationList")),
            failures=[400],
            role="CUSTOMER",
            parameters=list_parameters,
        ),
        "get": operation(
            "tenant_get_conversation",
            "Get a conversation with its visitor profile and workspace info",
            tag=tag,
            ok=success("The conversation.", ref("TenantConversationDetail")),
            failures=[404],
            role="CUSTOMER",
            parameters=one,
        ),
        "resolve": operation(
            "tenant_resolve_conversation",
            "Resolve (close) a conversation",
            tag=tag,
            ok=summary_ok,
            failures=[404],
            role="CUSTOMER",
            parameters=one,
        ),
        "status": operation(
            "tenant_update_conversation_status",
            "Set a conversation's status without resolve side effects",
            tag=tag,
            ok=summary_ok,
            failures=[400, 404],
            role="CUSTOMER",
            parameters=one,
            body=json_body(status_body, example={"status": "WAITING"}),
        ),
        "assign": operation(
            "tenant_assign_conversation",
            "Assign or transfer a conversation to an agent",
            tag=tag,
            ok=summary_ok,
            failures=[400, 404],
            role="CUSTOMER",
            parameters=one,
            body=json_body(assign_body),
        ),
        "mark_read": operation(
            "tenant_mark_conversation_read",
            "Mark a conversation's unread visitor messages as seen",
            tag=tag,
            ok=success("How many messages were marked.", ref("MarkReadResult")),
            failures=[404],
            role="CUSTOMER",
            parameters=one,
        ),
        "delete": operation(
            "tenant_delete_conversation",
            "Delete a conversation and its messages",
            tag=tag,
            ok=success("Deleted.", ref("Deleted")),
            failures=[404],
            role="CUSTOMER",
            parameters=one,
        ),
    }


def visitor_list_parameters(*, tenant: bool) -> list[dict[str, Any]]:
    search_description = (
        "Search name, email, phone, IP, country, city." if tenant else "Search by name or email."
    )
    parameters = [
        query("search", string(), search_description),
        query("isOnline", boolean(), "Filter: true | false."),
    ]
    if tenant:
        parameters += [
            query("siteId", string(), "Filter by site id."),
            query(
                "tags",
                array(string()),
                "Filter by tag(s); repeat the parameter for several.",
                style="form",
                explode=True,
            ),
        ]
    return [
        *parameters,
        query("page", query_number(minimum=1, default=1), "Page number."),
        page_limit(default=25, cap=100, description="Per page, max 100 (above is capped)."),
    ]


def tenant_visitor_operations() -> dict[str, dict[str, Any]]:
    tag = "tenant-visitors"
    one = [path_id("vis", "visitor")]
    patch_body = request_object(
        {
            "userName": nullable(string(maxLength=5000)),
            "userEmail": nullable(email(maxLength=254)),
            "userPhone": nullable(string(maxLength=50)),
            "tags": array(string(minLength=1, maxLength=100), maxItems=50),
            "notes": nullable(string(maxLength=10_000)),
        }
    )
    return {
        "list": operation(
            "tenant_list_visitors",
            "List visitors, with global stats",
            tag=tag,
            ok=success("A page of visitors.", ref("VisitorList")),
            failures=[400],
            role="CUSTOMER",
            parameters=visitor_list_parameters(tenant=True),
        ),
        "get": operation(
            "tenant_get_visitor",
            "Get a visitor's full profile",
            tag=tag,
            ok=success("The visitor.", ref("Visitor")),
            failures=[404],
            role="CUSTOMER",
            parameters=one,
        ),
        "patch": operation(
            "tenant_update_visitor",
            "Update the given visitor fields; `tags` replaces the whole array",
            tag=tag,
            ok=success("The updated visitor.", ref("Visitor")),
            failures=[400, 404],
            role="CUSTOMER",
            parameters=one,
            body=json_body(
                patch_body, example={"tags": ["vip", "enterprise"], "notes": "High priority"}
            ),
        ),
        "delete": operation(
            "tenant_delete_visitor",
            "Delete a visitor and all their data",
            tag=tag,
            ok=success("Deleted.", ref("Deleted")),
            failures=[404],
            role="CUSTOMER",
            parameters=one,
        ),
    }


def tenant_agent_operations() -> dict[str, dict[str, Any]]:
    tag = "tenant-agents"
    invite_body = request_object(
        {"name": non_blank(maxLength=100), "email": email(maxLength=254)},
        required=["name", "email"],
    )
    return {
        "list": operation(
            "tenant_list_agents",
            "List active agents and pending invitations",
            tag=tag,
            ok=success("Agents and invitations.", ref("AgentList")),
            failures=[],
            role="CUSTOMER",
        ),
        "invite": operation(
            "tenant_invite_agent",
            "Invite an agent by email (the link expires in 7 days)",
            tag=tag,
            ok=success("The invitation.", ref("Invitation")),
            failures=[400],
            role="CUSTOMER",
            body=json_body(invite_body, example={"name": "Bob Smith", "email": "bob@company.com"}),
        ),
    }


def tenant_workspace_operations() -> dict[str, dict[str, Any]]:
    tag = "tenant-workspace"
    put_body = request_object(
        {
            "name": non_blank(maxLength=100),
            "companyName": nullable(string(maxLength=200)),
            "contactEmail": nullable(email(maxLength=254)),
            "language": one_of_values(*LANGUAGES),
            "timezone": string(
                maxLength=64,
                description="IANA timezone, e.g. UTC, Europe/Berlin.",
                examples=["UTC", "Europe/Berlin"],
            ),
            "settings": ref("WorkspaceSettingsPatch"),
        }
    )
    example = {
        "name": "Acme Support",
        "language": "en",
        "timezone": "UTC",
        "settings": {"notifications": {"visitorSound": True, "agentSound": False}},
    }
    return {
        "get": operation(
            "tenant_get_workspace",
            "Get the workspace configuration (created with defaults if missing)",
            tag=tag,
            ok=success("The workspace.", ref("Workspace")),
            failures=[],
            role="CUSTOMER",
        ),
        "put": operation(
            "tenant_update_workspace",
            "Update the given workspace keys; `settings` is merged",
            tag=tag,
            ok=success("The updated workspace.", ref("Workspace")),
            failures=[400],
            role="CUSTOMER",
            body=json_body(put_body, example=example),
        ),
    }


def tenant_api_key_operations() -> dict[str, dict[str, Any]]:
    tag = "tenant-api-keys"
    create_body = request_object(
        {
            "name": non_blank(maxLength=100),
            "domains": domains(maxLength=30_000),
            "status": string(enum=["ACTIVE", "INACTIVE"], default="ACTIVE"),
        },
        required=["name"],
    )
    example = {"name": "Production Widget", "domains": '["company.com"]', "status": "ACTIVE"}
    return {
        "list": operation(
            "tenant_list_api_keys",
            "List API keys (hash and metadata only)",
            tag=tag,
            ok=success("The API keys.", ref("ApiKeyList")),
            failures=[],
            role="CUSTOMER",
        ),
        "create": operation(
            "tenant_create_api_key",
            "Create an API key; `plainKey` is returned this once",
            tag=tag,
            ok=success("The new key, with its plain value.", ref("CreatedApiKey")),
            failures=[400],
            role="CUSTOMER",
            body=json_body(create_body, example=example),
        ),
        "delete": operation(
            "tenant_delete_api_key",
            "Revoke an API key at once",
            tag=tag,
            ok=success("Deleted.", ref("Deleted")),
            failures=[404],
            role="CUSTOMER",
            parameters=[path_id("key", "API key")],
        ),
    }


def send_message_body() -> dict[str, Any]:
    """JSON for text; multipart for up to 5 files of 10 MB each (the type follows the files)."""
    message_type = string(enum=["TEXT", "FILE"], default="TEXT")
    json_message = request_object(
        {"content": non_blank(maxLength=MAX_CONTENT_LENGTH), "messageType": message_type},
        required=["content"],
    )
    attachment = string(contentMediaType="application/octet-stream")
    multipart_message = request_object(
        {
            "content": string(maxLength=MAX_CONTENT_LENGTH),
            "messageType": message_type,
            "attachments": array(attachment, minItems=1, maxItems=MAX_ATTACHMENTS),
        },
        required=["attachments"],
    )
    multipart_encoding = {"attachments": {"contentType": ", ".join(ATTACHMENT_TYPES)}}
    return {
        "required": True,
        "content": {
            JSON: {
                "schema": json_message,
                "example": {"content": "Hi! How can I help you today?"},
            },
            "multipart/form-data": {"schema": multipart_message, "encoding": multipart_encoding},
        },
    }


def agent_operations() -> dict[str, dict[str, Any]]:
    conversations, visitors = "agent-conversations", "agent-visitors"
    summary_ok = success("The updated conversation.", ref("ConversationSummary"))
    one_conversation = [path_id("cnv", "conversation")]
    status_list = array(one_of_values("active", "waiting", "closed"), minItems=1)
    list_parameters = [
        query(
            "status",
            status_list,
            "active | waiting | closed, or a comma list: active,waiting.",
            style="form",
            explode=False,
        ),
        query("search", string(), "Search visitor name or email."),
        page_limit(default=20, cap=50, description="1–50 (above 50 is capped)."),
        query("offset", query_number(minimum=0, default=0), "Pagination offset."),
    ]
    message_parameters = [
        *one_conversation,
        query("page", query_number(minimum=1, default=1), "Page number."),
        page_limit(default=50, cap=100, description="Max 100 (above is capped)."),
    ]
    assign_body = request_object(
        {"agentId": string(minLength=1, maxLength=100)}, required=["agentId"]
    )
    return {
        "profile": operation(
            "agent_get_profile",
            "Get the signed-in agent's profile",
            tag="agent-profile",
            ok=success("The agent.", ref("AgentProfile")),
            failures=[],
            role="AGENT",
        ),
        "conversations": operation(
            "agent_list_conversations",
            "List the tenant's conversations, with global status counts",
            tag=conversations,
            ok=success("A page of conversations.", ref("AgentConversationList")),
            failures=[400],
            role="AGENT",
            parameters=list_parameters,
        ),
        "conversation": operation(
            "agent_get_conversation",
            "Get a conversation of the agent's tenant",
            tag=conversations,
            ok=success("The conversation.", ref("ConversationDetail")),
            failures=[404],
            role="AGENT",
            parameters=one_conversation,
        ),
        "messages": operation(
            "agent_list_messages",
            "List a conversation's messages, oldest first",
            tag=conversations,
            ok=success("A page of messages.", ref("MessageList")),
            failures=[400, 404],
            role="AGENT",
            parameters=message_parameters,
        ),
        "send": operation(
            "agent_send_message",
            "Send a text or files; claims the conversation and sets it ACTIVE",
            tag=conversations,
            ok=success("The created message.", ref("Message")),
            failures=[400, 404],
            role="AGENT",
            parameters=one_conversation,
            body=send_message_body(),
        ),
        "resolve": operation(
            "agent_resolve_conversation",
            "Close a conversation with a system message to the visitor",
            tag=conversations,
            ok=summary_ok,
            failures=[404],
            role="AGENT",
            parameters=one_conversation,
        ),
        "assign": operation(
            "agent_transfer_conversation",
            "Transfer a conversation (only its assigned agent may)",
            tag=conversations,
            ok=summary_ok,
            failures=[400, 404],
            role="AGENT",
            parameters=one_conversation,
            body=json_body(assign_body),
        ),
        "mark_read": operation(
            "agent_mark_conversation_read",
            "Mark a conversation's unread visitor messages as seen",
            tag=conversations,
            ok=success("How many messages were marked.", ref("MarkReadResult")),
            failures=[404],
            role="AGENT",
            parameters=one_conversation,
        ),
        "visitors": operation(
            "agent_list_visitors",
            "List the tenant's visitors",
            tag=visitors,
            ok=success("A page of visitors.", ref("VisitorList")),
            failures=[400],
            role="AGENT",
            parameters=visitor_list_parameters(tenant=False),
        ),
        "visitor": operation(
            "agent_get_visitor",
            "Get a visitor's full profile",
            tag=visitors,
            ok=success("The visitor.", ref("Visitor")),
            failures=[404],
            role="AGENT",
            parameters=[path_id("vis", "visitor")],
        ),
    }


def file_download_operation() -> dict[str, Any]:
    """Not in seeds/003: where the sandbox serves the attachments messages link to.

    The real platform hands out pre-signed storage URLs; like them, this needs no token.
    """
    file_name = {
        "name": "fileName",
        "in": "path",
        "required": True,
        "description": "The attachment's file name, as in its URL.",
        "schema": string(minLength=1, maxLength=255),
        FIDELITY: "guess",
    }
    content = {
        mime_type: {"schema": string(contentMediaType=mime_type)} for mime_type in ATTACHMENT_TYPES
    }
    return operation(
        "download_attachment",
        "Download an attachment (the URL in a message's `attachments`)",
        tag="files",
        ok={"description": "The file's bytes, with its type.", "content": content},
        failures=[404],
        role=None,
        parameters=[path_id("att", "attachment"), file_name],
        fidelity="guess",
    )


def connextlive_paths() -> dict[str, dict[str, Any]]:
    """The 29 endpoints of seeds/003, at its paths exactly (`{id}` for `:id`), and the files."""
    conv = tenant_conversation_operations()
    vis = tenant_visitor_operations()
    agents = tenant_agent_operations()
    workspace = tenant_workspace_operations()
    keys = tenant_api_key_operations()
    agent = agent_operations()
    return {
        "/api/auth/login": {"post": login_operation()},
        "/api/tenant/conversations": {"get": conv["list"]},
        "/api/tenant/conversations/{id}": {"get": conv["get"], "delete": conv["delete"]},
        "/api/tenant/conversations/{id}/resolve": {"post": conv["resolve"]},
        "/api/tenant/conversations/{id}/status": {"put": conv["status"]},
        "/api/tenant/conversations/{id}/assign": {"post": conv["assign"]},
        "/api/tenant/conversations/{id}/mark-read": {"post": conv["mark_read"]},
        "/api/tenant/visitors": {"get": vis["list"]},
        "/api/tenant/visitors/{id}": {
            "get": vis["get"],
            "patch": vis["patch"],
            "delete": vis["delete"],
        },
        "/api/tenant/agents": {"get": agents["list"], "post": agents["invite"]},
        "/api/tenant/workspace": {"get": workspace["get"], "put": workspace["put"]},
        "/api/tenant/api-keys": {"get": keys["list"], "post": keys["create"]},
        "/api/tenant/api-keys/{id}": {"delete": keys["delete"]},
        "/api/agent/profile": {"get": agent["profile"]},
        "/api/agent/conversations": {"get": agent["conversations"]},
        "/api/agent/conversations/{id}": {"get": agent["conversation"]},
        "/api/agent/conversations/{id}/messages": {
            "get": agent["messages"],
            "post": agent["send"],
        },
        "/api/agent/conversations/{id}/resolve": {"post": agent["resolve"]},
        "/api/agent/conversations/{id}/assign": {"post": agent["assign"]},
        "/api/agent/conversations/{id}/mark-read": {"post": agent["mark_read"]},
        "/api/agent/visitors": {"get": agent["visitors"]},
        "/api/agent/visitors/{id}": {"get": agent["visitor"]},
        "/files/{id}/{fileName}": {"get": file_download_operation()},
    }


CONNEXTLIVE_TAGS = [
    ("auth", "Sign-in: a JWT for the Authorization header."),
    ("tenant-conversations", "A workspace's conversations (CUSTOMER role)."),
    ("tenant-visitors", "A workspace's visitors (CUSTOMER role)."),
    ("tenant-agents", "Agents and invitations (CUSTOMER role)."),
    ("tenant-workspace", "Workspace configuration (CUSTOMER role)."),
    ("tenant-api-keys", "Widget API keys (CUSTOMER role)."),
    ("agent-profile", "The signed-in agent (AGENT role)."),
    ("agent-conversations", "Conversations seen by an agent (AGENT role)."),
    ("agent-visitors", "Visitors seen by an agent (AGENT role)."),
    ("files", "Attachment downloads (not in seeds/003; the sandbox's stand-in for storage)."),
]


# --- platforms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformSpec:
    """One emulated platform: its paths (relative to `prefix`), schemas, responses and tags."""

    name: str
    prefix: str
    paths: Callable[[], dict[str, dict[str, Any]]]
    schemas: Callable[[], dict[str, Schema]]
    responses: Callable[[], dict[str, Any]] = dict
    tags: list[tuple[str, str]] = field(default_factory=list)
    security_schemes: dict[str, Any] = field(default_factory=dict)
    # What the platform posts to its customers (OpenAPI 3.1 `webhooks`), and its own control
    # endpoints under /__sandbox__/ with their schemas (left out with the other controls).
    webhooks: Callable[[], dict[str, Any]] = dict
    control_paths: Callable[[], dict[str, dict[str, Any]]] = dict
    control_schemas: Callable[[], dict[str, Schema]] = dict


CONNEXTLIVE = PlatformSpec(
    name="Connextlive",
    prefix="/connextlive",
    paths=connextlive_paths,
    schemas=connextlive_schemas,
    responses=connextlive_responses,
    tags=CONNEXTLIVE_TAGS,
    security_schemes={
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "`Authorization: Bearer <token>` from POST /api/auth/login.",
        }
    },
)

# ConnectiveOne's operations and schemas are in sandbox/connectiveone/openapi.py, which builds on
# the helpers above. It is imported when the document is built, not when this module loads, so
# that either module may be imported first; the names its operations refer to (security schemes,
# tags) are declared here for the same reason.
CONNECTIVEONE_API_KEY = "connectiveOneApiKey"
CONNECTIVEONE_BEARER = "connectiveOneBearerJWT"
CONNECTIVEONE_EXTERNAL_TOKEN = "connectiveOneExternalToken"
CONNECTIVEONE_TAGS = [
    ("connectiveone-auth", "ConnectiveOne operator sign-in: JWTs for `Authorization: Bearer`."),
    ("connectiveone-call-node", "ConnectiveOne: run a bot scenario node for one chat."),
    ("connectiveone-broadcast", "ConnectiveOne: send a broadcast template by phone number."),
    ("connectiveone-chats", "ConnectiveOne's chat rooms (OpChatRooms)."),
    ("connectiveone-tickets", "ConnectiveOne's tickets."),
]


def connectiveone_description() -> ModuleType:
    from sandbox.connectiveone import openapi as description

    return description


CONNECTIVEONE = PlatformSpec(
    name="ConnectiveOne",
    prefix="/connectiveone",
    paths=lambda: connectiveone_description().paths(),
    schemas=lambda: connectiveone_description().schemas(),
    responses=lambda: connectiveone_description().responses(),
    tags=CONNECTIVEONE_TAGS,
    security_schemes={
        CONNECTIVEONE_API_KEY: {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: API-Key <key>`: the header's value is `API-Key `, "
            "then the key (platforms.md; seeds/000 does not name it).",
            FIDELITY: "obs",
        },
        CONNECTIVEONE_BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "`Authorization: Bearer <JWT>` from /kw/api/v1/auth/login or refresh "
            "(doc: seeds/000; the paths are guesses).",
            FIDELITY: "doc",
        },
        CONNECTIVEONE_EXTERNAL_TOKEN: {
            "type": "apiKey",
            "in": "header",
            "name": "x-auth-token",
            "description": "`x-auth-token: <token>`, an external token (doc: seeds/000); that "
            "broadcasts use it is platforms.md's.",
            FIDELITY: "doc",
        },
    },
)

# Naxon's description is in sandbox/naxon/openapi.py, imported late for the same reason.
NAXON_API_TOKEN = "naxonApiToken"
NAXON_TAGS = [
    ("naxon-models", "Naxon AI's models: the AI bots of the account."),
    ("naxon-conversations", "Naxon AI's conversations, of one model or of all."),
    ("naxon-messages", "Naxon AI: the messages of a conversation."),
]


def naxon_description() -> ModuleType:
    from sandbox.naxon import openapi as description

    return description


NAXON = PlatformSpec(
    name="Naxon",
    prefix="/naxon",
    paths=lambda: naxon_description().paths(),
    schemas=lambda: naxon_description().schemas(),
    responses=lambda: naxon_description().responses(),
    tags=NAXON_TAGS,
    security_schemes={
        NAXON_API_TOKEN: {
            "type": "http",
            "scheme": "bearer",
            "description": "The `apiToken` scheme (doc: seeds/001 names it), sent as "
            "`Authorization: Bearer <token>` (guess: platforms.md).",
            FIDELITY: "guess",
        }
    },
    webhooks=lambda: naxon_description().webhooks(),
    control_paths=lambda: naxon_description().control_paths(),
    control_schemas=lambda: naxon_description().control_schemas(),
)


# UChat's and LivePerson's descriptions are in sandbox/uchat/openapi.py and
# sandbox/liveperson/openapi.py, imported as ConnectiveOne's is.
UCHAT_BEARER = "uchatBearer"
LIVEPERSON_APP_JWT = "livePersonAppJwt"
LIVEPERSON_CONSUMER_JWS = "livePersonConsumerJws"


def uchat_description() -> ModuleType:
    from sandbox.uchat import openapi as description

    return description


def liveperson_description() -> ModuleType:
    from sandbox.liveperson import openapi as description

    return description


UCHAT = PlatformSpec(
    name="UChat",
    prefix="/uchat",
    paths=lambda: uchat_description().paths(),
    schemas=lambda: uchat_description().schemas(),
    responses=lambda: uchat_description().responses(),
    tags=[
        ("uchat-flow", "konversation Connect (UChat): the bot's sub-flows, tags, user fields."),
        ("uchat-subscribers", "konversation Connect (UChat): subscribers, tags and fields."),
        ("uchat-sending", "konversation Connect (UChat): sub-flows and texts to subscribers."),
    ],
    security_schemes={
        UCHAT_BEARER: {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <token>`: an API token of one workspace and "
            "one bot, with permission scopes (doc).",
            FIDELITY: "doc",
        }
    },
    control_paths=lambda: uchat_description().control_paths(),
)

LIVEPERSON = PlatformSpec(
    name="LivePerson",
    prefix="/liveperson",
    paths=lambda: liveperson_description().paths(),
    schemas=lambda: liveperson_description().schemas(),
    responses=lambda: liveperson_description().responses(),
    tags=[
        ("liveperson-auth", "LivePerson Connector API: the AppJWT and ConsumerJWS tokens."),
        ("liveperson-messaging", "LivePerson Connector API: CONVERSATION and SEND."),
    ],
    security_schemes={
        LIVEPERSON_APP_JWT: {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: <AppJWT>` from the sentinel (doc).",
            FIDELITY: "doc",
        },
        LIVEPERSON_CONSUMER_JWS: {
            "type": "apiKey",
            "in": "header",
            "name": "X-LP-ON-BEHALF",
            "description": "`X-LP-ON-BEHALF: <ConsumerJWS>`: the consumer acted for (doc).",
            FIDELITY: "doc",
        },
    },
    control_paths=lambda: liveperson_description().control_paths(),
)


PLATFORM_SPECS: list[PlatformSpec] = [CONNEXTLIVE, CONNECTIVEONE, NAXON, UCHAT, LIVEPERSON]


# --- the sandbox's own endpoints -------------------------------------------------------------


def control_operation(
    operation_id: str,
    summary: str,
    ok_schema: Schema,
    *,
    body: Schema | None = None,
    failures: Iterable[int] = (),
) -> dict[str, Any]:
    """A test-only endpoint of the sandbox itself: no platform behind it, so no fidelity."""
    responses: dict[str, Any] = {"200": success("Done.", ok_schema)}
    for status in failures:
        responses[str(status)] = response_ref(ERROR_RESPONSES[status][0])
    result: dict[str, Any] = {
        "operationId": f"sandbox_{operation_id}",
        "summary": summary,
        "tags": [CONTROL_TAG],
        "security": [],
        FIDELITY: "guess",
        SANDBOX_CONTROL: True,
        "responses": responses,
    }
    if body is not None:
        result["requestBody"] = json_body(body)
    return result


def fault_fields(*, answer: bool) -> dict[str, Schema]:
    """The fault settings; in a request every one may be left out or null (off)."""

    def setting(schema: Schema) -> Schema:
        return schema if answer else nullable(schema)

    return {
        "latencyMs": setting(integer(minimum=0, maximum=60_000)),
        "errorRate": setting({"type": "number", "minimum": 0, "maximum": 1}),
        "errorStatus": setting(integer(minimum=400, maximum=599)),
        "rateLimitRps": nullable({"type": "number", "minimum": 0.001, "maximum": 100_000}),
        "retryAfter": setting(integer(minimum=0, maximum=86_400)),
        "dropRate": setting({"type": "number", "minimum": 0, "maximum": 1}),
        "paths": nullable(string(description="A regular expression the path must match.")),
    }


def faults_request_schema() -> Schema:
    """Replaces the whole configuration: keys left out are off; unknown keys are a 400."""
    return {
        "type": "object",
        "properties": fault_fields(answer=False),
        "additionalProperties": False,
        FIDELITY: "guess",
    }


def control_schemas() -> dict[str, Schema]:
    logged_request = record(
        {
            "method": string(),
            "path": string(),
            "query": string(),
            "status": nullable(integer(minimum=100, maximum=599)),
            "ms": {"type": "number", "minimum": 0},
            "bodySha256": string(pattern="^[0-9a-f]{64}$"),
            "at": timestamp(),
        },
        description="A request to a platform; `status` is null for a dropped connection.",
    )
    sent_email = record(
        {
            "to": string(),
            "subject": string(),
            "body": string(),
            "kind": string(),
            "meta": {"type": "object"},
            "at": timestamp(),
        }
    )
    return {
        "Faults": record(fault_fields(answer=True)),
        "FaultsRequest": faults_request_schema(),
        "RequestLog": record({"requests": array(logged_request)}),
        "Clock": record({"offsetSeconds": {"type": "number"}, "now": timestamp()}),
        "ClockRequest": request_object(
            {"offsetSeconds": {"type": "number", "minimum": -315_360_000, "maximum": 315_360_000}},
            required=["offsetSeconds"],
            fidelity="guess",
        ),
        "Outbox": record({"emails": array(sent_email)}),
        "Credentials": {
            "type": "object",
            "description": "One object per emulated platform, with what its seed publishes.",
            "additionalProperties": {"type": "object"},
            FIDELITY: "guess",
        },
        "ResetResult": record({"success": constant(True), "ms": {"type": "number", "minimum": 0}}),
        "RevokedTokens": record({"success": constant(True), "userId": identifier("usr")}),
    }


def control_paths() -> dict[str, dict[str, Any]]:
    done = ref("Deleted")
    return {
        "/__sandbox__/reset": {
            "post": control_operation(
                "reset", "Back to the seed; clears faults, logs and the clock", ref("ResetResult")
            )
        },
        "/__sandbox__/faults": {
            "get": control_operation("get_faults", "The faults in force", ref("Faults")),
            "post": control_operation(
                "set_faults",
                "Replace the faults injected into platform traffic",
                ref("Faults"),
                body=ref("FaultsRequest"),
                failures=[400],
            ),
            "delete": control_operation("clear_faults", "Clear every fault", ref("Faults")),
        },
        "/__sandbox__/requests": {
            "get": control_operation("list_requests", "The request log", ref("RequestLog")),
            "delete": control_operation("clear_requests", "Empty the request log", done),
        },
        "/__sandbox__/clock": {
            "get": control_operation("get_clock", "The clock offset", ref("Clock")),
            "post": control_operation(
                "set_clock",
                "Move the clock",
                ref("Clock"),
                body=ref("ClockRequest"),
                failures=[400],
            ),
        },
        "/__sandbox__/revoke-tokens": {
            "post": control_operation(
                "revoke_tokens",
                "Every token issued to this user before now answers 401",
                ref("RevokedTokens"),
                body=request_object({"email": email()}, required=["email"], fidelity="guess"),
                failures=[400, 404],
            )
        },
        "/__sandbox__/outbox": {
            "get": control_operation("outbox", "Emails the platform would have sent", ref("Outbox"))
        },
        "/__sandbox__/credentials": {
            "get": control_operation(
                "credentials",
                "The seeded credentials of every emulated platform, keyed by platform",
                ref("Credentials"),
            )
        },
    }


def openapi_path() -> dict[str, dict[str, Any]]:
    document = {"type": "object", "required": ["openapi", "info", "paths"]}
    return {
        "/openapi.json": {
            "get": {
                "operationId": "sandbox_openapi",
                "summary": "This document",
                "tags": ["meta"],
                "security": [],
                FIDELITY: "guess",
                "responses": {"200": success("The OpenAPI 3.1 document.", document)},
            }
        }
    }


# --- assembly --------------------------------------------------------------------------------


def served_at(prefix: str, paths: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each path item names its own server, so platforms with different prefixes can coexist."""
    server = [{"url": prefix or "/"}]
    return {path: {"servers": server, **item} for path, item in paths.items()}


def merge_into(target: dict[str, Any], additions: Mapping[str, Any], what: str) -> None:
    """Add entries, refusing to overwrite: two platforms must not claim the same name."""
    for name, value in additions.items():
        if name in target:
            raise ValueError(f"{what} {name!r} is defined twice")
        target[name] = value


def build_spec(*, control: bool = True) -> dict[str, Any]:
    """The whole document; `control=False` leaves out `/__sandbox__/` (served only on demand)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    responses: dict[str, Any] = {}
    security_schemes: dict[str, Any] = {}
    tags: list[dict[str, str]] = []
    webhooks: dict[str, Any] = {}
    for platform in PLATFORM_SPECS:
        merge_into(paths, served_at(platform.prefix, platform.paths()), "path")
        merge_into(schemas, platform.schemas(), "schema")
        merge_into(responses, platform.responses(), "response")
        merge_into(security_schemes, platform.security_schemes, "security scheme")
        tags += [{"name": name, "description": text} for name, text in platform.tags]
        merge_into(webhooks, platform.webhooks(), "webhook")
    merge_into(paths, served_at("/", openapi_path()), "path")
    tags.append({"name": "meta", "description": "The sandbox's description of itself."})
    if control:
        merge_into(paths, served_at("/", control_paths()), "path")
        merge_into(schemas, control_schemas(), "schema")
        for platform in PLATFORM_SPECS:
            merge_into(paths, served_at("/", platform.control_paths()), "path")
            merge_into(schemas, platform.control_schemas(), "schema")
        tags.append({"name": CONTROL_TAG, "description": "Test-only controls of the sandbox."})
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Switchboard sandbox",
            "version": "1",
            "description": (
                "Emulators of the chat platforms' documented APIs, each under its own prefix. "
                "`x-fidelity` says how sure we are of each part: doc (the vendor's document), "
                "obs (seen on the real service) or guess (our choice). Undocumented methods on "
                "a documented path answer 405."
            ),
        },
        "servers": [{"url": CONNEXTLIVE.prefix, "description": "Connextlive (primary)"}],
        "security": [{BEARER: []}],
        "tags": tags,
        "paths": paths,
        "webhooks": webhooks,
        "components": {
            "schemas": schemas,
            "responses": responses,
            "securitySchemes": security_schemes,
        },
    }
