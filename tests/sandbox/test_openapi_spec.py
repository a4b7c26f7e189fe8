"""The sandbox's OpenAPI document on its own: valid, labelled, and true to the routes served."""

import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis

from sandbox import openapi
from sandbox.openapi import FIDELITY, PlatformSpec, build_spec

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LABELS = {"doc", "obs", "guess"}
REPO = Path(__file__).resolve().parents[2]

# seeds/003's endpoints as its document writes them (`:id` in place of `{id}`).
DOCUMENTED_ENDPOINTS = {
    "POST /api/auth/login",
    "GET /api/tenant/conversations",
    "GET /api/tenant/conversations/:id",
    "POST /api/tenant/conversations/:id/resolve",
    "PUT /api/tenant/conversations/:id/status",
    "POST /api/tenant/conversations/:id/assign",
    "POST /api/tenant/conversations/:id/mark-read",
    "DELETE /api/tenant/conversations/:id",
    "GET /api/tenant/visitors",
    "GET /api/tenant/visitors/:id",
    "PATCH /api/tenant/visitors/:id",
    "DELETE /api/tenant/visitors/:id",
    "GET /api/tenant/agents",
    "POST /api/tenant/agents",
    "GET /api/tenant/workspace",
    "PUT /api/tenant/workspace",
    "GET /api/tenant/api-keys",
    "POST /api/tenant/api-keys",
    "DELETE /api/tenant/api-keys/:id",
    "GET /api/agent/profile",
    "GET /api/agent/conversations",
    "GET /api/agent/conversations/:id",
    "GET /api/agent/conversations/:id/messages",
    "POST /api/agent/conversations/:id/messages",
    "POST /api/agent/conversations/:id/resolve",
    "POST /api/agent/conversations/:id/assign",
    "POST /api/agent/conversations/:id/mark-read",
    "GET /api/agent/visitors",
    "GET /api/agent/visitors/:id",
}

# Every name a platform's document writes down: request fields, query parameters and answer keys.
# A field of that platform's schemas labelled `doc` must be one of these.
DOCUMENTED_NAMES = {
    # seeds/003, with the error body's keys.
    "Connextlive": {
        "email", "password", "status", "agentId", "search", "limit", "offset", "id", "isOnline",
        "siteId", "tags", "page", "userName", "userEmail", "userPhone", "notes", "name",
        "companyName", "contactEmail", "language", "timezone", "settings", "domains",
        "plainKey", "content", "messageType", "attachments", "statusCode", "statusMessage",
        "data", "notifications", "visitorSound", "agentSound",
    },
    # seeds/000 and platforms.md: call_node (both forms), broadcast/route, the lists'
    # parameters (createdAt is the field they filter and order on) and the answer's keys.
    "ConnectiveOne": {
        "bot_id", "node_id", "connector_alias", "channel", "chat_id", "data", "message", "phone",
        "template_id", "status", "limit", "offset", "include", "filter[createdAt][gt]",
        "filter[createdAt][lt]", "order[createdAt]", "createdAt",
    },
    # seeds/001: the parameters, the list envelope, the records' fields, the webhook's body.
    "Naxon": {
        "page", "per_page", "since", "until", "sort", "model_id", "model_name", "conversation_id",
        "data", "rows_per_page", "total_pages", "total_rows", "id", "name", "created_at",
        "updated_at", "most_recent_message", "recent_messages", "platform", "platform_user_id",
        "seq", "sender", "message", "event", "payload", "keyword",
    },
    # platforms.md on seeds/002: send-sub-flow's body, and the subscriber search's parameters.
    "UChat": {"user_ns", "sub_flow_ns", "page", "limit", "name", "phone", "email"},
    # seeds/004 and platforms.md: the tokens' requests and answers, the payloads' envelope and
    # fields, the answers' keys and the 401 body.
    "LivePerson": {
        "accountId", "v", "grant_type", "client_id", "client_secret", "access_token",
        "token_type", "ext_consumer_id", "token", "kind", "id", "type", "body", "reqId", "code",
        "conversationId", "dialogId", "event", "contentType", "message", "sequence",
        "conversationField", "field", "conversationState", "csatRate",
        "csatResolutionConfirmation", "status", "title", "details", "errorCode",
    },
}  # fmt: skip

# ConnectiveOne's paths that seeds/000 and platforms.md give; its authentication endpoints are
# named there without paths, so the sandbox's paths for them are guesses.
CONNECTIVEONE_DOCUMENTED_ENDPOINTS = {
    "POST /kw/api/call_node/",
    "POST /kw/api/call_node/{bot_id}/{node_id}/{channel}/{chat_id}",
    "GET /kw/api/v1/OpChatRooms/list",
    "GET /kw/api/v1/Ticket/list",
}
# Not in seeds/000 at all: platforms.md's.
CONNECTIVEONE_OBSERVED_ENDPOINTS = {"POST /kw/api/broadcast/route"}
CONNECTIVEONE_GUESSED_ENDPOINTS = {
    "POST /kw/api/v1/auth/login",
    "POST /kw/api/v1/auth/refresh",
    "POST /kw/api/v1/auth/logout",
    "GET /kw/api/v1/OpChatRooms/{room_id}",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(server, path, method, operation) for every operation of the document."""
    for path, item in spec["paths"].items():
        server = item.get("servers", spec["servers"])[0]["url"]
        for method in METHODS:
            if method in item:
                yield server, path, method, item[method]


def full_path(server: str, path: str) -> str:
    return server.rstrip("/") + path


def connextlive_endpoints(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`METHOD /path` (seeds/003 spelling) of each operation served under /connextlive."""
    return {
        f"{method.upper()} {seed_spelling(path)}": operation
        for server, path, method, operation in operations(spec)
        if server == "/connextlive"
    }


def connectiveone_endpoints(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`METHOD /path` of each operation served under /connectiveone."""
    return {
        f"{method.upper()} {path}": operation
        for server, path, method, operation in operations(spec)
        if server == "/connectiveone"
    }


def seed_spelling(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r":\1", path)


def walk(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}/{index}")


def resolve_pointer(document: dict[str, Any], reference: str) -> Any:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def schemas_in(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON Schema of the document: components, parameters, bodies, responses, headers."""
    for name, schema in spec["components"]["schemas"].items():
        yield f"components/schemas/{name}", schema
    for where, node in walk({"paths": spec["paths"], "responses": spec["components"]["responses"]}):
        if isinstance(node, dict) and isinstance(node.get("schema"), dict):
            yield where, node["schema"]


def labelled_fields(
    schema: dict[str, Any], inherited: str | None, where: str
) -> Iterator[tuple[str, str, str | None]]:
    """(where, field name, effective label) of each property, nested objects included."""
    label = schema.get(FIDELITY, inherited)
    for name, field in schema.get("properties", {}).items():
        field_label = field.get(FIDELITY, label)
        yield f"{where}.{name}", name, field_label
        yield from labelled_fields(field, field_label, f"{where}.{name}")
    for keyword in ("items", "additionalProperties"):
        if isinstance(schema.get(keyword), dict):
            yield from labelled_fields(schema[keyword], label, where)
    for keyword in ("anyOf", "allOf", "oneOf"):
        for branch in schema.get(keyword, []):
            yield from labelled_fields(branch, label, where)


# --- validity ----------------------------------------------------------------------------------


@pytest.mark.parametrize("control", [True, False], ids=["with-control", "without-control"])
def test_it_is_a_valid_openapi_3_1_document(control: bool) -> None:
    document = build_spec(control=control)

    assert document["openapi"].startswith("3.1.")
    schemathesis.openapi.from_dict(document).validate()


def test_every_schema_in_it_is_a_valid_json_schema(spec: dict[str, Any]) -> None:
    invalid = [
        where for where, schema in schemas_in(spec) if not jsonschema_rs.meta.is_valid(schema)
    ]

    assert invalid == []


def test_every_reference_resolves(spec: dict[str, Any]) -> None:
    references = [
        node["$ref"] for _, node in walk(spec) if isinstance(node, dict) and "$ref" in node
    ]

    assert references
    for reference in references:
        assert isinstance(resolve_pointer(spec, reference), dict), reference


def test_it_serialises_to_json_and_is_the_same_every_time(spec: dict[str, Any]) -> None:
    assert json.loads(json.dumps(spec)) == build_spec()


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [operation["operationId"] for *_, operation in operations(spec)]

    assert len(ids) == len(set(ids))


def test_every_operation_is_tagged_with_a_declared_tag(spec: dict[str, Any]) -> None:
    declared = {tag["name"] for tag in spec["tags"]}

    for *_, operation in operations(spec):
        assert operation["tags"] and set(operation["tags"]) <= declared, operation["operationId"]


# --- fidelity ----------------------------------------------------------------------------------


def test_every_operation_has_a_fidelity_label(spec: dict[str, Any]) -> None:
    for *_, operation in operations(spec):
        assert operation.get(FIDELITY) in LABELS, operation["operationId"]


def test_every_component_schema_parameter_and_request_body_is_labelled(
    spec: dict[str, Any],
) -> None:
    for name, schema in spec["components"]["schemas"].items():
        assert schema.get(FIDELITY) in LABELS, name
    for *_, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            assert parameter.get(FIDELITY) in LABELS, (operation["operationId"], parameter)
        for media in operation.get("requestBody", {}).get("content", {}).values():
            body = media["schema"]
            assert body.get(FIDELITY) in LABELS or "$ref" in body, operation["operationId"]


@pytest.mark.parametrize("platform", openapi.PLATFORM_SPECS, ids=lambda platform: platform.name)
def test_only_fields_the_document_names_are_labelled_doc(platform: PlatformSpec) -> None:
    documented = DOCUMENTED_NAMES[platform.name]
    claimed = {
        (where, name)
        for schema_name, schema in platform.schemas().items()
        for where, name, label in labelled_fields(schema, None, schema_name)
        if label == "doc" and name not in documented
    }

    assert claimed == set()


@pytest.mark.parametrize("platform", openapi.PLATFORM_SPECS, ids=lambda platform: platform.name)
def test_only_parameters_the_document_names_are_labelled_doc(platform: PlatformSpec) -> None:
    documented = DOCUMENTED_NAMES[platform.name]
    claimed = {
        (operation["operationId"], parameter["name"])
        for item in platform.paths().values()
        for method in METHODS
        for operation in [item.get(method)]
        if operation is not None
        for parameter in operation.get("parameters", [])
        if parameter[FIDELITY] == "doc" and parameter["name"] not in documented
    }

    assert claimed == set()


def test_response_records_the_document_does_not_give_are_guesses(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    invented = ["LoginResponse", "TenantConversationList", "AgentConversationList",
                "VisitorList", "MessageList", "AgentList", "ApiKeyList", "ValidationErrorData",
                "User", "Visitor", "ConversationSummary", "Message", "Invitation",
                "ApiKey"]  # fmt: skip

    assert {name: schemas[name][FIDELITY] for name in invented} == dict.fromkeys(invented, "guess")
    assert schemas["Error"][FIDELITY] == "doc"


def test_connectiveone_records_and_envelopes_are_guesses_its_answer_shape_from_platforms_md(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    invented = ["ConnectiveOneOperator", "ConnectiveOneSession", "ConnectiveOneBot",
                "ConnectiveOneChatRoom", "ConnectiveOneTicket", "ConnectiveOneChatRoomList",
                "ConnectiveOneTicketList"]  # fmt: skip

    assert {name: schemas[name][FIDELITY] for name in invented} == dict.fromkeys(invented, "guess")
    assert schemas["ConnectiveOneResult"][FIDELITY] == schemas["ConnectiveOneError"][FIDELITY]
    # seeds/000 shows no answer at all: `{"status", "message"}` is platforms.md's.
    assert schemas["ConnectiveOneError"][FIDELITY] == "obs"


# --- what it describes ---------------------------------------------------------------------------


def test_connextlive_operations_are_exactly_the_29_documented_endpoints(
    spec: dict[str, Any],
) -> None:
    endpoints = connextlive_endpoints(spec)
    documented = {name for name, operation in endpoints.items() if operation[FIDELITY] == "doc"}

    assert documented == DOCUMENTED_ENDPOINTS
    assert set(endpoints) - documented == {"GET /files/:id/:fileName"}


def test_connectiveone_operations_are_its_documented_paths_and_the_guessed_auth_ones(
    spec: dict[str, Any],
) -> None:
    labels = {
        name: operation[FIDELITY] for name, operation in connectiveone_endpoints(spec).items()
    }

    assert labels == (
        dict.fromkeys(CONNECTIVEONE_DOCUMENTED_ENDPOINTS, "doc")
        | dict.fromkeys(CONNECTIVEONE_OBSERVED_ENDPOINTS, "obs")
        | dict.fromkeys(CONNECTIVEONE_GUESSED_ENDPOINTS, "guess")
    )


def test_connectiveone_declares_its_three_ways_to_authenticate(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    api_key = schemes[openapi.CONNECTIVEONE_API_KEY]
    bearer = schemes[openapi.CONNECTIVEONE_BEARER]
    external = schemes[openapi.CONNECTIVEONE_EXTERNAL_TOKEN]

    assert (api_key["type"], api_key["in"], api_key["name"]) == (
        "apiKey",
        "header",
        "Authorization",
    )
    assert "API-Key <key>" in api_key["description"]
    # seeds/000 names Bearer JWT and x-auth-token; the API-Key header is platforms.md's.
    assert (api_key[FIDELITY], bearer[FIDELITY], external[FIDELITY]) == ("obs", "doc", "doc")
    assert (bearer["type"], bearer["scheme"], bearer["bearerFormat"]) == ("http", "bearer", "JWT")
    assert (external["type"], external["in"], external["name"]) == (
        "apiKey", "header", "x-auth-token",
    )  # fmt: skip


def test_connectiveone_operations_name_the_credentials_they_take(spec: dict[str, Any]) -> None:
    any_of_three = [
        {openapi.CONNECTIVEONE_API_KEY: []},
        {openapi.CONNECTIVEONE_BEARER: []},
        {openapi.CONNECTIVEONE_EXTERNAL_TOKEN: []},
    ]
    security = {name: op["security"] for name, op in connectiveone_endpoints(spec).items()}

    assert security == {
        "POST /kw/api/v1/auth/login": [],
        "POST /kw/api/v1/auth/refresh": [],
        "POST /kw/api/v1/auth/logout": [{openapi.CONNECTIVEONE_BEARER: []}],
        "POST /kw/api/call_node/": any_of_three,
        "POST /kw/api/call_node/{bot_id}/{node_id}/{channel}/{chat_id}": any_of_three,
        "POST /kw/api/broadcast/route": [{openapi.CONNECTIVEONE_EXTERNAL_TOKEN: []}],
        "GET /kw/api/v1/OpChatRooms/list": any_of_three,
        "GET /kw/api/v1/OpChatRooms/{room_id}": any_of_three,
        "GET /kw/api/v1/Ticket/list": any_of_three,
    }


def test_connectiveone_lists_take_the_documented_bracketed_parameters(
    spec: dict[str, Any],
) -> None:
    endpoints = connectiveone_endpoints(spec)
    for endpoint in ("GET /kw/api/v1/OpChatRooms/list", "GET /kw/api/v1/Ticket/list"):
        parameters = {p["name"]: p for p in endpoints[endpoint]["parameters"]}

        assert {name for name, p in parameters.items() if p[FIDELITY] == "doc"} == {
            "filter[createdAt][gt]", "filter[createdAt][lt]", "order[createdAt]", "limit",
            "offset", "include",
        }  # fmt: skip
        assert parameters["limit"]["schema"]["default"] == 10
        assert parameters["order[createdAt]"]["schema"]["enum"] == ["asc", "desc"]
        assert all(p["in"] == "query" for p in parameters.values())
    chats = {p["name"] for p in endpoints["GET /kw/api/v1/OpChatRooms/list"]["parameters"]}
    tickets = {p["name"] for p in endpoints["GET /kw/api/v1/Ticket/list"]["parameters"]}
    # seeds/000: chats filter by status and operator, tickets by status and priority.
    assert {"filter[status]", "filter[operatorId]"} <= chats
    assert {"filter[status]", "filter[priority]"} <= tickets
    assert "filter[priority]" not in chats and "filter[operatorId]" not in tickets
    assert {"order[updatedAt]", "order[status]"} <= chats
    assert {"order[updatedAt]", "order[status]", "order[priority]"} <= tickets


def test_connectiveone_failures_answer_its_error_body_or_an_injected_fault(
    spec: dict[str, Any],
) -> None:
    """`{"status": "error", "message"}`; 429 and 500 come only from the sandbox's fault layer."""
    error = {"$ref": "#/components/schemas/ConnectiveOneError"}
    for name, operation in connectiveone_endpoints(spec).items():
        for status, response in operation["responses"].items():
            if status == "200":
                continue
            if "$ref" in response:
                response = resolve_pointer(spec, response["$ref"])
            schema = response["content"]["application/json"]["schema"]
            if status in ("429", "500"):
                assert {"$ref": "#/components/schemas/Error"} in schema["allOf"], (name, status)
            else:
                branches = schema.get("allOf", []) + schema.get("anyOf", [])
                assert schema == error or error in branches, (name, status)
        if operation["security"] and name != "POST /kw/api/broadcast/route":
            assert "401" in operation["responses"], name


def test_connectiveone_records_refuse_other_fields(spec: dict[str, Any]) -> None:
    """Closed records; `include`'s related objects are the only fields that may be missing."""
    schemas = spec["components"]["schemas"]
    optional = {"ConnectiveOneChatRoom": {"operator", "bot", "tickets"},
                "ConnectiveOneTicket": {"chatRoom", "operator"}}  # fmt: skip
    names = [name for name in schemas if name.startswith("ConnectiveOne")]

    assert len(names) == 9
    for name in names:
        schema = schemas[name]
        assert schema["additionalProperties"] is False, name
        missing = set(schema["properties"]) - set(schema["required"])
        assert missing == optional.get(name, set()), name


def test_connextlive_is_the_server_and_bearer_jwt_the_security(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"][openapi.BEARER]

    assert spec["servers"][0]["url"] == "/connextlive"
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    assert spec["security"] == [{openapi.BEARER: []}]


def test_only_login_and_the_sandbox_endpoints_go_without_a_token(spec: dict[str, Any]) -> None:
    public = {
        full_path(server, path)
        for server, path, _, operation in operations(spec)
        if operation.get("security") == []
    }
    sandbox_own = {path for path in public if path.startswith("/__sandbox__/")}

    assert public - sandbox_own == {
        "/connextlive/api/auth/login",
        "/connextlive/files/{id}/{fileName}",
        "/connectiveone/kw/api/v1/auth/login",
        "/connectiveone/kw/api/v1/auth/refresh",
        "/liveperson/sentinel/api/account/{accountId}/app/token",
        "/openapi.json",
    }


def test_tenant_endpoints_need_a_manager_and_agent_endpoints_an_agent(
    spec: dict[str, Any],
) -> None:
    for endpoint, operation in connextlive_endpoints(spec).items():
        path = endpoint.split(" ")[1]
        if path.startswith("/api/tenant/"):
            assert operation[openapi.REQUIRED_ROLE] == "CUSTOMER", endpoint
        elif path.startswith("/api/agent/"):
            assert operation[openapi.REQUIRED_ROLE] == "AGENT", endpoint


def test_authenticated_operations_document_401_and_403_with_the_error_body(
    spec: dict[str, Any],
) -> None:
    for operation in connextlive_endpoints(spec).values():
        statuses = set(operation["responses"]) - {"200"}
        if openapi.REQUIRED_ROLE in operation:
            assert {"401", "403"} <= statuses, operation["operationId"]
        for status in statuses:
            response = resolve_pointer(spec, operation["responses"][status]["$ref"])
            schema = response["content"]["application/json"]["schema"]
            assert {"$ref": "#/components/schemas/Error"} in schema["allOf"]


def test_records_with_a_fixed_shape_refuse_other_fields(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    closed = ["User", "Workspace", "Visitor", "ConversationSummary", "ConversationDetail",
              "Message", "Attachment", "Invitation", "ApiKey", "CreatedApiKey", "Error",
              "TenantConversationList", "AgentConversationList", "VisitorList", "MessageList",
              "AgentList", "ApiKeyList", "LoginResponse"]  # fmt: skip

    for name in closed:
        assert schemas[name]["additionalProperties"] is False, name
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name


def test_a_listed_api_key_cannot_carry_the_plain_key(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    validator = jsonschema_rs.Draft202012Validator(
        {"$ref": "urn:sandbox:openapi#/components/schemas/ApiKey"},
        registry=jsonschema_rs.Registry([("urn:sandbox:openapi", spec)]),
    )
    created = {name: None for name in schemas["CreatedApiKey"]["properties"]}

    assert "plainKey" not in schemas["ApiKey"]["properties"]
    assert not validator.is_valid(created)


def test_a_second_platform_merges_under_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    other = PlatformSpec(
        name="Other",
        prefix="/other",
        paths=lambda: {"/kw/api/things": {"get": {FIDELITY: "doc", "responses": {}}}},
        schemas=lambda: {"OtherThing": {"type": "object", FIDELITY: "guess"}},
    )
    monkeypatch.setattr(openapi, "PLATFORM_SPECS", [*openapi.PLATFORM_SPECS, other])

    document = build_spec()

    assert document["paths"]["/kw/api/things"]["servers"] == [{"url": "/other"}]
    assert "OtherThing" in document["components"]["schemas"]


def test_two_platforms_may_not_claim_the_same_name(monkeypatch: pytest.MonkeyPatch) -> None:
    clash = PlatformSpec(name="Clash", prefix="/clash", paths=dict, schemas=lambda: {"User": {}})
    monkeypatch.setattr(openapi, "PLATFORM_SPECS", [*openapi.PLATFORM_SPECS, clash])

    with pytest.raises(ValueError, match="'User' is defined twice"):
        build_spec()


# --- the document against the sandbox's URL resolver -------------------------------------------

# Run in a child process: the sandbox is its own Django project, with settings the console's
# test process must not load.
LIST_ROUTES = textwrap.dedent(
    """
    import json, re
    import django
    django.setup()
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    def openapi_path(route):
        route = re.sub(r"<(?:\\w+:)?(\\w+)>", r"{\\1}", route)
        route = re.sub(r"\\(\\?P<(\\w+)>[^)]*\\)", r"{\\1}", route)
        return "/" + route.replace("^", "").replace("$", "").replace("\\\\", "")

    routes = walk(get_resolver().url_patterns, "")
    print(json.dumps(sorted({openapi_path(route) for route in routes})))
    """
)


def sandbox_routes(*, control: bool, tmp_path: Path) -> set[str]:
    environment = {
        "DJANGO_SETTINGS_MODULE": "sandbox.settings",
        "SANDBOX_CONTROL": "1" if control else "0",
        "SANDBOX_DB": str(tmp_path / "routes.sqlite3"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", LIST_ROUTES],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("control", [True, False], ids=["with-control", "without-control"])
def test_its_paths_are_exactly_the_routes_the_sandbox_serves(control: bool, tmp_path: Path) -> None:
    if importlib.util.find_spec("sandbox.urls") is None:
        pytest.skip("sandbox/urls.py does not exist yet")
    document = build_spec(control=control)
    documented = {full_path(server, path) for server, path, *_ in operations(document)}
    served = sandbox_routes(control=control, tmp_path=tmp_path)

    # Placeholder names are free: the document says `{id}` where a route says `<str:key_id>`.
    assert without_names(served) == without_names(documented)


def without_names(paths: set[str]) -> set[str]:
    return {re.sub(r"\{\w+\}", "{}", path) for path in paths}


def test_the_connectiveone_description_may_be_imported_before_the_document() -> None:
    """sandbox.openapi registers it lazily, so importing it first is no circular import."""
    script = (
        "import sandbox.connectiveone.openapi\n"
        "from sandbox.openapi import build_spec\n"
        "print(len(build_spec()['paths']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(build_spec()["paths"])
