"""The running sandbox's answers against its own OpenAPI document.

Two passes. First, schemathesis generates valid and invalid requests from the document for
every platform operation (half of the valid ones aimed at real records of the seed) and checks
each answer: no 5xx, a documented status, content type and headers, a body that matches the
schema, and a 4xx for whatever the document calls invalid. Second, a deterministic pass makes
one real, successful call per operation (and, for ConnectiveOne, one per way to authenticate),
then the documented failures (401, 403, 404, 400 or 422, 405, injected faults), and validates
every body with jsonschema (jsonschema_rs, which schemathesis ships).
"""

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks
from schemathesis.config import SchemathesisConfig

from sandbox.connectiveone.credentials import (
    API_KEY,
    ENTRY_ALIAS,
    ENTRY_NODE_ID,
    EXTERNAL_TOKEN,
    MAIN_BOT_ID,
    OPERATOR_EMAIL,
    OPERATOR_PASSWORD,
)
from sandbox.naxon.credentials import API_TOKEN as NAXON_TOKEN
from sandbox.openapi import (
    CONNECTIVEONE_API_KEY,
    CONNECTIVEONE_BEARER,
    CONNECTIVEONE_EXTERNAL_TOKEN,
    CONTROL_TAG,
    NAXON_API_TOKEN,
    REQUIRED_ROLE,
    build_spec,
)
from tests.fixtures.sandbox import (
    AGENT_EMAIL,
    DEMO_PASSWORD,
    MANAGER_EMAIL,
    OTHER_AGENT_EMAIL,
    OTHER_EMAIL,
    Sandbox,
)
from tests.sandbox.conformance_channels import (
    CHANNEL_BAD_INPUTS,
    CHANNEL_CALLS,
    CHANNEL_SERVERS,
    channel_headers,
    point_half_at_real_channel_records,
)

SPEC = build_spec()
METHODS = ("get", "put", "post", "delete", "patch")
JSON = "application/json"
SPEC_URI = "urn:switchboard:sandbox-openapi"
REGISTRY = jsonschema_rs.Registry([(SPEC_URI, SPEC)])
# A real PNG (1x1), so that a server sniffing the bytes agrees with the declared type.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2e2b8a40000000049454e44ae426082"
)

# Generation is bounded: a few valid and a few invalid requests per operation, no coverage or
# stateful phase (the deterministic pass below covers real ids), no example database on disk.
FUZZ_CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261121,
        "generation": {
            "mode": "all",
            "max-examples": 10,
            "database": "none",
            "with-security-parameters": False,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
# The control endpoints would inject faults into the run itself: they get the real-call pass.
FUZZED = schemathesis.openapi.from_dict(SPEC, config=FUZZ_CONFIG).exclude(tag=CONTROL_TAG)
FUZZ_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    # What the document calls invalid is refused with a 4xx.
    checks.negative_data_rejection,
]


# --- the document, read ------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    server: str
    path: str
    definition: dict[str, Any]

    @property
    def id(self) -> str:
        return self.definition["operationId"]

    @property
    def role(self) -> str | None:
        return self.definition.get(REQUIRED_ROLE)

    @property
    def schemes(self) -> list[str]:
        """The security schemes it takes, any one of which will do (ConnectiveOne's)."""
        return [name for requirement in self.definition.get("security", []) for name in requirement]

    def documents(self, status: int) -> bool:
        return str(status) in self.definition["responses"]

    def url(self, root: str, **path_parameters: str) -> str:
        return root.rstrip("/") + self.server.rstrip("/") + self.path.format(**path_parameters)


def all_operations() -> list[Operation]:
    return [
        Operation(method, item.get("servers", SPEC["servers"])[0]["url"], path, item[method])
        for path, item in SPEC["paths"].items()
        for method in METHODS
        if method in item
    ]


OPERATIONS = {operation.id: operation for operation in all_operations()}
PLATFORM_OPERATIONS = [op for op in OPERATIONS.values() if not op.path.startswith("/__sandbox__")]
CONNECTIVEONE_OPERATIONS = [op for op in PLATFORM_OPERATIONS if op.server == "/connectiveone"]
CONNECTIVEONE_LOGIN = "/connectiveone/kw/api/v1/auth/login"
NAXON_OPERATIONS = [op for op in PLATFORM_OPERATIONS if op.server == "/naxon"]


def response_validator(operation: Operation, status: int) -> jsonschema_rs.Validator:
    """A validator for the JSON body of `status`, pointing into the document itself so that
    its references resolve as they would for any OpenAPI tool."""
    response = operation.definition["responses"][str(status)]
    if "$ref" in response:
        location = response["$ref"]
    else:
        location = pointer("#", "paths", operation.path, operation.method, "responses", str(status))
    return jsonschema_rs.Draft202012Validator(
        {"$ref": SPEC_URI + pointer(location, "content", JSON, "schema")},
        registry=REGISTRY,
        validate_formats=True,
    )


def pointer(base: str, *parts: str) -> str:
    """A JSON pointer in a URI fragment: `base` then `parts`, escaped (RFC 6901, RFC 3986)."""
    escaped = (quote(part.replace("~", "~0").replace("/", "~1"), safe="~") for part in parts)
    return "/".join([base, *escaped])


def assert_conforms(operation: Operation, response: httpx.Response, status: int) -> Any:
    """The answer has `status`, is JSON, and its body matches the document; returns the body."""
    assert response.status_code == status, (operation.id, response.status_code, response.text)
    assert response.headers["content-type"].split(";")[0].strip() == JSON
    body = response.json()
    errors = [error.message for error in response_validator(operation, status).iter_errors(body)]
    assert errors == [], (operation.id, status, errors[:5])
    return body


JSON_RESPONSES = [
    (op.id, int(status))
    for op in OPERATIONS.values()
    for status, response in op.definition["responses"].items()
    if "$ref" in response or JSON in response["content"]
]


@pytest.mark.parametrize(("operation_id", "status"), JSON_RESPONSES)
def test_the_validator_of_each_answer_can_refuse_a_body(operation_id: str, status: int) -> None:
    """A pointer that resolved to nothing would pass anything: each validator must say no."""
    validator = response_validator(OPERATIONS[operation_id], status)

    assert not validator.is_valid({"unexpected": True})
    assert not validator.is_valid([])


# --- the sandbox, signed in --------------------------------------------------------------------


@dataclass
class Session:
    """A signed-in view of the sandbox for one module: Connextlive tokens per role, an HTTP
    client, and real records of the seed (Connextlive ids, a ConnectiveOne chat)."""

    root: str
    http: httpx.Client
    tokens: dict[str, str] = field(repr=False)
    seed: dict[str, str] = field(default_factory=dict)
    chat: dict[str, Any] = field(default_factory=dict)
    naxon: dict[str, int] = field(default_factory=dict)

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def credentials(self, operation: Operation, scheme: str | None = None) -> dict[str, str]:
        """Headers that authenticate a call: a Connextlive token of the operation's role, or one
        of the ConnectiveOne schemes it takes (the first unless `scheme` names another)."""
        if operation.role:
            return self.headers(operation.role)
        if operation.server in CHANNEL_SERVERS:
            return channel_headers(self, operation.definition["security"])
        if not operation.schemes:
            return {}
        if operation.schemes == [NAXON_API_TOKEN]:
            return {"Authorization": f"Bearer {NAXON_TOKEN}"}
        return self.connectiveone_headers(scheme or operation.schemes[0])

    def connectiveone_headers(self, scheme: str) -> dict[str, str]:
        if scheme == CONNECTIVEONE_API_KEY:
            return {"Authorization": f"API-Key {API_KEY}"}
        if scheme == CONNECTIVEONE_EXTERNAL_TOKEN:
            return {"x-auth-token": EXTERNAL_TOKEN}
        assert scheme == CONNECTIVEONE_BEARER, scheme
        # A token of its own for every call: a logout ends the one it is sent with.
        return {"Authorization": f"Bearer {self.connectiveone_login()['token']}"}

    def connectiveone_login(self) -> dict[str, Any]:
        credentials = {"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD}
        response = self.http.post(self.root + CONNECTIVEONE_LOGIN, json=credentials)
        assert response.status_code == 200, response.text
        return response.json()

    def call(
        self,
        operation: Operation,
        *,
        role: str | None = None,
        ids: dict[str, str] | None = None,
        **request: Any,
    ) -> httpx.Response:
        url = operation.url(self.root, **(ids or {}))
        headers = self.headers(role) | request.pop("headers", {})
        return self.http.request(operation.method.upper(), url, headers=headers, **request)

    def call_authorized(
        self, operation: Operation, *, scheme: str | None = None, **request: Any
    ) -> httpx.Response:
        """The call with the credentials the document asks for (see `credentials`)."""
        headers = self.credentials(operation, scheme) | request.pop("headers", {})
        return self.call(operation, headers=headers, **request)

    def get_json(self, operation_id: str, **request: Any) -> Any:
        operation = OPERATIONS[operation_id]
        response = self.call_authorized(operation, **request)
        return assert_conforms(operation, response, 200)


@pytest.fixture(scope="module")
def session(sandbox: Sandbox) -> Iterator[Session]:
    """Signed in once for the module, with real ids of the seed (the same after every reset).

    Tests that only get refused share it as it is; the rest take `fresh`.
    """
    sandbox.reset()
    tokens = {
        "CUSTOMER": sandbox.login(MANAGER_EMAIL, DEMO_PASSWORD),
        "AGENT": sandbox.login(AGENT_EMAIL, DEMO_PASSWORD),
        "OTHER_CUSTOMER": sandbox.login(OTHER_EMAIL, DEMO_PASSWORD),
        "OTHER_AGENT": sandbox.login(OTHER_AGENT_EMAIL, DEMO_PASSWORD),
    }
    with httpx.Client(timeout=httpx.Timeout(30.0, connect=5.0)) as http:
        session = Session(root=sandbox.url, http=http, tokens=tokens)
        session.seed = read_seed_ids(session)
        session.chat = read_connectiveone_chat(session)
        session.naxon = read_naxon_ids(session)
        yield session
    sandbox.reset()


@pytest.fixture
def fresh(session: Session, platform: Sandbox) -> Session:
    """The session on the seed as it was, reset again afterwards: for calls that change data."""
    return session


def read_seed_ids(session: Session) -> dict[str, str]:
    """Ids of real records: one of each kind to work on, another to delete."""
    conversations = session.get_json("connextlive_tenant_list_conversations")["conversations"]
    visitors = session.get_json("connextlive_tenant_list_visitors")["visitors"]
    keys = session.get_json("connextlive_tenant_list_api_keys")["apiKeys"]
    me = session.get_json("connextlive_agent_get_profile")["id"]
    agents = session.get_json("connextlive_tenant_list_agents")["agents"]
    open_ones = [item for item in conversations if item["status"] != "CLOSED"]
    assert len(open_ones) > 1 and len(visitors) > 1 and keys, "the seed has records of each kind"
    others = [agent["id"] for agent in agents if agent["id"] != me]
    return {
        "conversation": open_ones[0]["id"],
        "doomed_conversation": open_ones[-1]["id"],
        "visitor": visitors[0]["id"],
        "doomed_visitor": visitors[-1]["id"],
        "doomed_key": keys[0]["id"],
        "agent": me,
        "other_agent": others[0] if others else me,
    }


def read_connectiveone_chat(session: Session) -> dict[str, Any]:
    """A chat of the main bot with a phone: call_node and broadcast/route can reach it."""
    rows = session.get_json("connectiveone_list_chat_rooms", params={"limit": 50})["rows"]
    return next(row for row in rows if row["botId"] == MAIN_BOT_ID and row["phone"])


def read_naxon_ids(session: Session) -> dict[str, int]:
    """A model of the seed and one of its conversations (ids beyond 2**53, kept exact)."""
    conversations = session.get_json("naxon_list_conversations", params={"per_page": 1})
    conversation = conversations["data"][0]
    return {"model": conversation["model_id"], "conversation": conversation["id"]}


def point_half_at_real_records(case: Any, seed: dict[str, str]) -> None:
    """Generated ids never exist: for half of the cases, swap in real ones (the record in the
    path, the agent in the body), so that generated bodies reach a record. Which half follows
    from the generated id, so that a replay is the same.

    A DELETE gets a record of its own, so that the rest keep theirs for the whole run.
    """
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return
    generated = str(case.path_parameters.get("id", ""))
    kind = {"cnv": "conversation", "vis": "visitor", "key": "key"}.get(generated.split("_")[0])
    if kind is None or zlib.crc32(generated.encode()) % 2:
        return
    doomed = case.method.upper() == "DELETE" or kind == "key"
    case.path_parameters["id"] = seed[f"doomed_{kind}" if doomed else kind]
    if isinstance(case.body, dict) and "agentId" in case.body:
        # A new dict: a case built from the document's example holds that very dict.
        case.body = {**case.body, "agentId": seed["agent"]}


def point_half_at_real_naxon_records(case: Any, naxon: dict[str, int]) -> None:
    """Generated Naxon ids never exist: for half of the valid cases, swap in the seed's."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return
    if zlib.crc32(repr(case.path_parameters).encode()) % 2:
        return
    real = {"model_id": naxon["model"], "conversation_id": naxon["conversation"]}
    case.path_parameters = {
        name: real.get(name, value) for name, value in case.path_parameters.items()
    }


def point_half_at_a_real_chat(case: Any, chat: dict[str, Any]) -> None:
    """ConnectiveOne's generated bots, nodes, chats and phones never exist: for half of the
    valid cases of call_node, broadcast/route and the chat by id, swap in the seed's, keeping the
    rest of what was generated (the node's `data`, the template)."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return
    generated = repr((case.path_parameters, case.body)).encode()
    if zlib.crc32(generated) % 2:
        return
    operation_id = case.operation.definition.raw["operationId"]
    target = {"channel": chat["channel"], "chat_id": chat["chatId"]}
    # New objects, not updates: a case built from the document's example holds that very dict.
    if operation_id == "connectiveone_call_node_by_path":
        case.path_parameters = {"bot_id": MAIN_BOT_ID, "node_id": ENTRY_NODE_ID, **target}
    elif operation_id == "connectiveone_call_node" and isinstance(case.body, dict):
        case.body = {**case.body, "bot_id": MAIN_BOT_ID, "connector_alias": ENTRY_ALIAS, **target}
    elif operation_id == "connectiveone_broadcast_route" and isinstance(case.body, dict):
        case.body = {**case.body, "phone": chat["phone"], "bot_id": MAIN_BOT_ID}
    elif operation_id == "connectiveone_get_chat_room":
        case.path_parameters = {"room_id": chat["id"]}


# --- pass 1: generated requests ----------------------------------------------------------------


@FUZZED.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers(case: Any, session: Session) -> None:
    point_half_at_real_records(case, session.seed)
    point_half_at_a_real_chat(case, session.chat)
    point_half_at_real_naxon_records(case, session.naxon)
    point_half_at_real_channel_records(case, session)
    operation = OPERATIONS[case.operation.definition.raw["operationId"]]
    case.call_and_validate(
        base_url=session.root.rstrip("/") + operation.server.rstrip("/"),
        headers=session.credentials(operation),
        checks=FUZZ_CHECKS,
        timeout=30,
    )


# --- pass 2: one real call per operation -------------------------------------------------------

type Recipe = Callable[[Session], dict[str, Any]]


def created_api_key(session: Session) -> str:
    body = {"name": "Conformance key", "domains": '["example.com"]'}
    return session.get_json("connextlive_tenant_create_api_key", json=body)["id"]


def claimed_conversation(session: Session) -> str:
    """The agent may transfer only what it holds: sending a message claims it."""
    conversation = session.seed["conversation"]
    body = {"content": "Taking this one."}
    ids = {"id": conversation}
    session.get_json("connextlive_agent_send_message", ids=ids, json=body)
    return conversation


def attachment_ids(session: Session) -> dict[str, str]:
    """Sends a file, then reads the id and name back from the URL the message carries."""
    ids = {"id": session.seed["conversation"]}
    files = {"attachments": ("pixel.png", PNG, "image/png")}
    message = session.get_json("connextlive_agent_send_message", ids=ids, files=files)
    *_, attachment_id, file_name = httpx.URL(message["attachments"][0]["url"]).path.split("/")
    return {"id": attachment_id, "fileName": file_name}


def conversation(session: Session) -> dict[str, Any]:
    return {"ids": {"id": session.seed["conversation"]}}


def visitor(session: Session) -> dict[str, Any]:
    return {"ids": {"id": session.seed["visitor"]}}


def nothing(session: Session) -> dict[str, Any]:
    return {}


def connectiveone_call(s: Session, **data: Any) -> dict[str, Any]:
    """call_node's body as seeds/000 writes it, for the seed's chat."""
    body = {"bot_id": MAIN_BOT_ID, "connector_alias": ENTRY_ALIAS, "channel": s.chat["channel"],
            "chat_id": s.chat["chatId"], "data": {"message": "Your order is ready!"}}  # fmt: skip
    return {"json": body | data}


def connectiveone_path_ids(s: Session, **ids: Any) -> dict[str, Any]:
    chat = {"bot_id": MAIN_BOT_ID, "node_id": ENTRY_NODE_ID, "channel": s.chat["channel"],
            "chat_id": s.chat["chatId"]}  # fmt: skip
    return {"ids": chat | ids}


def connectiveone_broadcast(s: Session, **changes: Any) -> dict[str, Any]:
    return {"json": {"phone": s.chat["phone"], "bot_id": MAIN_BOT_ID, "template_id": 1} | changes}


def naxon_model(s: Session) -> dict[str, Any]:
    return {"ids": {"model_id": s.naxon["model"]}}


def naxon_conversation(s: Session) -> dict[str, Any]:
    return {"ids": {"conversation_id": s.naxon["conversation"]}}


# Every documented spelling of a moment: the document's `+0700`, RFC 3339's `+07:00` and `Z`.
NAXON_WINDOW = {"since": "2020-01-01T07:00:00+0700", "until": "2100-01-01T00:00:00Z"}
# A webhook nobody answers (the discard port): its deliveries fail, quietly, once.
NAXON_HOOK = {"url": "http://127.0.0.1:9/naxon-hook", "keywords": ["refund"], "maxAttempts": 1}


def naxon_hooked(s: Session, **request: Any) -> dict[str, Any]:
    """The request, once the Naxon webhook is set (the commands that post need one)."""
    response = s.http.post(s.root + "/__sandbox__/naxon/webhook", json=NAXON_HOOK)
    assert response.status_code == 200, response.text
    return request


CREATED_BETWEEN = {
    "filter[createdAt][gt]": "2020-01-01T00:00:00.000Z",
    "filter[createdAt][lt]": "2100-01-01T00:00:00.000Z",
}


SUCCESSFUL_CALLS: dict[str, Recipe] = {
    "connextlive_login": lambda s: {"json": {"email": MANAGER_EMAIL, "password": DEMO_PASSWORD}},
    "connextlive_tenant_list_conversations": lambda s: {"params": {"status": "all", "limit": 5}},
    "connextlive_tenant_get_conversation": conversation,
    "connextlive_tenant_resolve_conversation": conversation,
    "connextlive_tenant_update_conversation_status": lambda s: {
        **conversation(s),
        "json": {"status": "WAITING"},
    },
    "connextlive_tenant_assign_conversation": lambda s: {
        **conversation(s),
        "json": {"agentId": s.seed["agent"]},
    },
    "connextlive_tenant_mark_conversation_read": conversation,
    "connextlive_tenant_delete_conversation": conversation,
    "connextlive_tenant_list_visitors": lambda s: {"params": {"limit": 5, "page": 1}},
    "connextlive_tenant_get_visitor": visitor,
    "connextlive_tenant_update_visitor": lambda s: {
        **visitor(s),
        "json": {"tags": ["vip", "enterprise"], "notes": "High priority account"},
    },
    "connextlive_tenant_delete_visitor": visitor,
    "connextlive_tenant_list_agents": nothing,
    "connextlive_tenant_invite_agent": lambda s: {
        "json": {"name": "Bob Smith", "email": "bob.conformance@example.com"}
    },
    "connextlive_tenant_get_workspace": nothing,
    "connextlive_tenant_update_workspace": lambda s: {
        "json": {
            "timezone": "Europe/Berlin",
            "language": "de",
            "settings": {"notifications": {"visitorSound": False}},
        }
    },
    "connextlive_tenant_list_api_keys": nothing,
    "connextlive_tenant_create_api_key": lambda s: {
        "json": {"name": "Production Widget", "domains": '["company.com"]', "status": "ACTIVE"}
    },
    "connextlive_tenant_delete_api_key": lambda s: {"ids": {"id": created_api_key(s)}},
    "connextlive_agent_get_profile": nothing,
    "connextlive_agent_list_conversations": lambda s: {"params": {"status": "active,waiting"}},
    "connextlive_agent_get_conversation": conversation,
    "connextlive_agent_list_messages": lambda s: {**conversation(s), "params": {"page": 1}},
    "connextlive_agent_send_message": lambda s: {**conversation(s), "json": {"content": "Hi!"}},
    "connextlive_agent_resolve_conversation": conversation,
    "connextlive_agent_transfer_conversation": lambda s: {
        "ids": {"id": claimed_conversation(s)},
        "json": {"agentId": s.seed["other_agent"]},
    },
    "connextlive_agent_mark_conversation_read": conversation,
    "connextlive_agent_list_visitors": lambda s: {"params": {"isOnline": "false"}},
    "connextlive_agent_get_visitor": visitor,
    "connextlive_download_attachment": lambda s: {"ids": attachment_ids(s)},
    "connectiveone_login": lambda s: {
        "json": {"email": OPERATOR_EMAIL, "password": OPERATOR_PASSWORD}
    },
    "connectiveone_refresh": lambda s: {
        "json": {"refreshToken": s.connectiveone_login()["refreshToken"]}
    },
    "connectiveone_logout": lambda s: {
        "json": {"refreshToken": s.connectiveone_login()["refreshToken"]}
    },
    "connectiveone_call_node": connectiveone_call,
    "connectiveone_call_node_by_path": lambda s: {
        **connectiveone_path_ids(s),
        "json": {"message": "Your order is ready!"},
    },
    "connectiveone_broadcast_route": connectiveone_broadcast,
    "connectiveone_list_chat_rooms": lambda s: {
        "params": {
            **CREATED_BETWEEN,
            "limit": 5,
            "offset": 5,
            "order[createdAt]": "asc",
            "filter[status]": "open",
            "include": "operator,bot,tickets",
        }  # fmt: skip
    },
    "connectiveone_get_chat_room": lambda s: {
        "ids": {"room_id": s.chat["id"]},
        "params": {"include": "operator,bot,tickets"},
    },
    "connectiveone_list_tickets": lambda s: {
        "params": {
            **CREATED_BETWEEN,
            "limit": 5,
            "offset": 0,
            "order[createdAt]": "desc",
            "include": "chatRoom,operator",
        }  # fmt: skip
    },
    "naxon_list_models": lambda s: {"params": {**NAXON_WINDOW, "page": 1, "per_page": 5}},
    "naxon_get_model": naxon_model,
    "naxon_list_model_conversations": lambda s: {
        **naxon_model(s),
        "params": {**NAXON_WINDOW, "page": 2, "per_page": 3, "sort": "updated_at"},
    },
    "naxon_list_conversations": lambda s: {
        "params": {**NAXON_WINDOW, "page": 1, "per_page": 5, "sort": "created_at"}
    },
    "naxon_get_conversation": naxon_conversation,
    "naxon_list_messages": lambda s: {
        **naxon_conversation(s),
        "params": {"page": 1, "per_page": 2},
    },
    "sandbox_naxon_get_webhook": nothing,
    "sandbox_naxon_set_webhook": lambda s: {"json": NAXON_HOOK},
    "sandbox_naxon_clear_webhook": nothing,
    "sandbox_naxon_send_notification": lambda s: naxon_hooked(s, json={"repeat": 2}),
    "sandbox_naxon_start_burst": lambda s: naxon_hooked(
        s, json={"count": 3, "redeliveryShare": 0.3, "perSecond": 100}
    ),
    "sandbox_naxon_inject_message": lambda s: naxon_hooked(
        s, **naxon_conversation(s), json={"message": "I want a refund", "sender": "user"}
    ),
    "sandbox_naxon_list_deliveries": lambda s: {"params": {"after": 0, "limit": 10}},
    "sandbox_naxon_clear_deliveries": nothing,
    "sandbox_openapi": nothing,
    "sandbox_reset": nothing,
    "sandbox_get_faults": nothing,
    "sandbox_set_faults": lambda s: {"json": {"latencyMs": 0, "paths": "^/nothing-matches$"}},
    "sandbox_clear_faults": nothing,
    "sandbox_list_requests": nothing,
    "sandbox_clear_requests": nothing,
    "sandbox_get_clock": nothing,
    "sandbox_set_clock": lambda s: {"json": {"offsetSeconds": 0}},
    "sandbox_revoke_tokens": lambda s: {"json": {"email": OTHER_AGENT_EMAIL}},
    "sandbox_outbox": nothing,
    "sandbox_credentials": nothing,
    **CHANNEL_CALLS,
}


def test_every_operation_has_a_real_call() -> None:
    assert set(SUCCESSFUL_CALLS) == set(OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(SUCCESSFUL_CALLS))
def test_a_real_call_succeeds_and_matches_the_document(operation_id: str, fresh: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](fresh)

    response = fresh.call_authorized(operation, **request)

    status = success_status(operation)
    if JSON in operation.definition["responses"][str(status)]["content"]:
        assert_conforms(operation, response, status)
    else:
        assert_file_conforms(operation, response)


def success_status(operation: Operation) -> int:
    """The operation's documented success: 200, or 201 where the document says created."""
    return min(int(status) for status in operation.definition["responses"] if int(status) < 300)


def assert_file_conforms(operation: Operation, response: httpx.Response) -> None:
    """A download: 200, one of the documented types, the bytes that were sent."""
    assert response.status_code == 200, response.text
    declared = operation.definition["responses"]["200"]["content"]
    assert response.headers["content-type"].split(";")[0] in declared
    assert response.content == PNG


def test_a_message_with_a_file_matches_the_document(fresh: Session) -> None:
    operation = OPERATIONS["connextlive_agent_send_message"]
    files = {"attachments": ("pixel.png", PNG, "image/png")}

    ids = {"id": fresh.seed["conversation"]}

    response = fresh.call(operation, role="AGENT", ids=ids, files=files, data={"content": "Here"})

    message = assert_conforms(operation, response, 200)
    assert message["messageType"] == "FILE"
    assert [item["mimeType"] for item in message["attachments"]] == ["image/png"]


CAPPED = [
    (op.id, parameter["name"], parameter["x-capped-at"])
    for op in PLATFORM_OPERATIONS
    for parameter in op.definition.get("parameters", [])
    if "x-capped-at" in parameter
]


@pytest.mark.parametrize(("operation_id", "name", "cap"), CAPPED)
def test_a_limit_above_the_documented_maximum_is_capped(
    operation_id: str, name: str, cap: int, fresh: Session
) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](fresh)
    request["params"] = {name: cap + 1}

    response = fresh.call_authorized(operation, **request)

    body = assert_conforms(operation, response, 200)
    if operation.server == "/connectiveone":  # {rows, count}: the page says nothing of its limit
        assert body["count"] > cap and len(body["rows"]) == cap
    elif operation.server == "/naxon":  # `per_page` comes back as `rows_per_page`
        assert body["rows_per_page"] == cap and len(body["data"]) == min(cap, body["total_rows"])
    else:
        assert body["limit"] == cap


def test_the_sandbox_serves_this_document(session: Session) -> None:
    response = session.http.get(session.root + "/openapi.json")

    assert response.status_code == 200
    assert response.json() == SPEC


# --- pass 2: the documented failures ----------------------------------------------------------

AUTHENTICATED = [op.id for op in PLATFORM_OPERATIONS if op.role]
WITH_IDS = [op.id for op in PLATFORM_OPERATIONS if "{id}" in op.path]
AUTHENTICATED_WITH_IDS = [op_id for op_id in WITH_IDS if OPERATIONS[op_id].role]
OTHER_ROLE = {"CUSTOMER": "AGENT", "AGENT": "CUSTOMER"}


def failing_request(operation: Operation, session: Session) -> dict[str, Any]:
    """The real call's request: the failure must come from what the test changes, not the body."""
    request = SUCCESSFUL_CALLS[operation.id](session)
    request.pop("files", None)
    return request


@pytest.mark.parametrize("operation_id", AUTHENTICATED)
def test_without_a_token_it_answers_401_with_the_error_body(
    operation_id: str, session: Session
) -> None:
    operation = OPERATIONS[operation_id]

    response = session.call(operation, **failing_request(operation, session))

    body = assert_conforms(operation, response, 401)
    assert body["statusCode"] == 401


@pytest.mark.parametrize("operation_id", AUTHENTICATED)
def test_a_token_of_the_other_role_gets_403(operation_id: str, session: Session) -> None:
    operation = OPERATIONS[operation_id]
    wrong_role = OTHER_ROLE[operation.role]

    response = session.call(operation, role=wrong_role, **failing_request(operation, session))

    assert_conforms(operation, response, 403)


@pytest.mark.parametrize("operation_id", WITH_IDS)
def test_an_unknown_id_gets_404(operation_id: str, session: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = failing_request(operation, session)
    request["ids"] = {**request["ids"], "id": unknown_id_for(operation)}

    response = session.call(operation, role=operation.role, **request)

    assert_conforms(operation, response, 404)


def unknown_id_for(operation: Operation) -> str:
    parameter = next(p for p in operation.definition["parameters"] if p["in"] == "path")
    prefix = parameter["schema"]["pattern"].removeprefix("^").split("_", 1)[0]
    return f"{prefix}_{'0' * 26}"


@pytest.mark.parametrize("operation_id", AUTHENTICATED_WITH_IDS)
def test_another_workspaces_user_gets_404_for_these_ids(
    operation_id: str, session: Session
) -> None:
    """The other workspace's manager or agent asks for the demo workspace's ids: never the data."""
    operation = OPERATIONS[operation_id]
    outsider = f"OTHER_{operation.role}"

    response = session.call(operation, role=outsider, **failing_request(operation, session))

    assert_conforms(operation, response, 404)


BAD_INPUTS: dict[str, dict[str, Any]] = {
    "connextlive_login": {"json": {"email": "not-an-email", "password": "short"}},
    "connextlive_tenant_list_conversations": {"params": {"limit": "0"}},
    "connextlive_tenant_update_conversation_status": {"json": {"status": "DONE"}},
    "connextlive_tenant_assign_conversation": {"json": {}},
    "connextlive_tenant_list_visitors": {"params": {"page": "0"}},
    "connextlive_tenant_update_visitor": {"json": {"tags": "vip"}},
    "connextlive_tenant_invite_agent": {"json": {"name": "Bob", "email": "bob"}},
    "connextlive_tenant_update_workspace": {"json": {"language": "fr"}},
    "connextlive_tenant_create_api_key": {"json": {"name": "x" * 101}},
    "connextlive_agent_list_conversations": {"params": {"status": "open"}},
    "connextlive_agent_list_messages": {"params": {"limit": "many"}},
    "connextlive_agent_send_message": {"json": {}},
    "connextlive_agent_transfer_conversation": {"json": {}},
    "connextlive_agent_list_visitors": {"params": {"limit": "0"}},
    "sandbox_set_faults": {"json": {"errorRate": 2, "surprise": True}},
    "sandbox_set_clock": {"json": {"offsetSeconds": "soon"}},
    "sandbox_revoke_tokens": {"json": {}},
    "sandbox_naxon_set_webhook": {"json": {"url": "ftp://example.com/", "keywords": []}},
    "sandbox_naxon_send_notification": {"json": {"repeat": 0}},
    "sandbox_naxon_start_burst": {"json": {"count": 0}},
    "sandbox_naxon_inject_message": {"json": {"message": " ", "sender": "robot"}},
    "sandbox_naxon_list_deliveries": {"params": {"limit": "0"}},
    **CHANNEL_BAD_INPUTS,
}


def test_every_operation_documenting_400_has_a_bad_input() -> None:
    """Naxon's own 400s are `{"message"}` and are checked with its other failures below; UChat's
    and LivePerson's own 400s are checked in test_openapi_conformance_channels.py."""
    documenting = {
        op.id
        for op in OPERATIONS.values()
        if op.documents(400) and op.server not in (*CHANNEL_SERVERS, "/naxon")
    }

    assert set(BAD_INPUTS) == documenting


@pytest.mark.parametrize("operation_id", sorted(BAD_INPUTS))
def test_a_bad_input_gets_400_with_field_errors(operation_id: str, fresh: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = {**failing_request(operation, fresh), **BAD_INPUTS[operation_id]}

    response = fresh.call_authorized(operation, **request)

    body = assert_conforms(operation, response, 400)
    assert body["data"] is not None and body["data"]["fieldErrors"], body


def undocumented_methods() -> Iterator[tuple[str, Operation]]:
    """(method, an operation of the same path) for each method a platform path does not answer."""
    for path, item in SPEC["paths"].items():
        documented = [op for op in PLATFORM_OPERATIONS if op.path == path]
        for method in METHODS:
            if documented and method not in item:
                yield method.upper(), documented[0]


@pytest.mark.parametrize(
    ("method", "sibling"),
    list(undocumented_methods()),
    ids=[f"{method} {op.server}{op.path}" for method, op in undocumented_methods()],
)
def test_an_undocumented_method_gets_405(method: str, sibling: Operation, session: Session) -> None:
    """With the credentials the path's documented operation takes, so only the method is wrong."""
    url = sibling.url(session.root, **dict.fromkeys(path_parameter_names(sibling), "1"))

    response = session.http.request(method, url, headers=session.credentials(sibling))

    assert response.status_code == 405, response.text
    item = SPEC["paths"][sibling.path]
    assert response.headers["Allow"] == ", ".join(sorted(m.upper() for m in METHODS if m in item))
    if sibling.server in ("/connectiveone", "/uchat"):
        assert response.json() == {"status": "error", "message": "Method Not Allowed"}
    elif sibling.server == "/naxon":
        assert response.json() == {"message": "Method Not Allowed"}
    elif sibling.server == "/liveperson":
        assert response.json()["body"]["title"] == "Method Not Allowed"
    else:
        assert response.json()["statusCode"] == 405


def path_parameter_names(operation: Operation) -> list[str]:
    return re.findall(r"\{(\w+)\}", operation.path)


def test_revoking_the_tokens_of_nobody_gets_404(session: Session) -> None:
    operation = OPERATIONS["sandbox_revoke_tokens"]

    response = session.call(operation, json={"email": "nobody@example.com"})

    assert_conforms(operation, response, 404)


# --- ConnectiveOne: each way to authenticate, and its documented failures ------------------------

SCHEME_CALLS = [(op.id, scheme) for op in CONNECTIVEONE_OPERATIONS for scheme in op.schemes]
WRONG_CREDENTIALS = {
    CONNECTIVEONE_API_KEY: {"Authorization": "API-Key kw_not_a_key"},
    CONNECTIVEONE_BEARER: {"Authorization": "Bearer x.y.z"},
    CONNECTIVEONE_EXTERNAL_TOKEN: {"x-auth-token": "not-a-token"},
}


@pytest.mark.parametrize(("operation_id", "scheme"), SCHEME_CALLS)
def test_each_way_to_authenticate_gets_a_documented_answer(
    operation_id: str, scheme: str, fresh: Session
) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](fresh)

    response = fresh.call_authorized(operation, scheme=scheme, **request)

    assert assert_conforms(operation, response, 200)


CONNECTIVEONE_401 = [op.id for op in CONNECTIVEONE_OPERATIONS if op.schemes and op.documents(401)]


@pytest.mark.parametrize("operation_id", CONNECTIVEONE_401)
def test_without_credentials_it_answers_401_with_the_error_body(
    operation_id: str, session: Session
) -> None:
    operation = OPERATIONS[operation_id]

    response = session.call(operation, **SUCCESSFUL_CALLS[operation_id](session))

    assert assert_conforms(operation, response, 401)["status"] == "error"


@pytest.mark.parametrize(
    ("operation_id", "scheme"),
    [(op_id, s) for op_id, s in SCHEME_CALLS if op_id in CONNECTIVEONE_401],
)
def test_wrong_credentials_of_each_scheme_get_401(
    operation_id: str, scheme: str, session: Session
) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](session)

    response = session.call(operation, headers=WRONG_CREDENTIALS[scheme], **request)

    assert_conforms(operation, response, 401)


@pytest.mark.parametrize(
    "headers",
    [{}, WRONG_CREDENTIALS[CONNECTIVEONE_EXTERNAL_TOKEN], {"Authorization": f"API-Key {API_KEY}"}],
    ids=["none", "wrong-token", "api-key"],
)
def test_broadcast_route_without_its_token_gets_the_documented_422(
    headers: dict[str, str], session: Session
) -> None:
    operation = OPERATIONS["connectiveone_broadcast_route"]

    response = session.call(operation, headers=headers, **connectiveone_broadcast(session))

    body = assert_conforms(operation, response, 422)
    assert body == {"status": "error", "message": "Invalid token or request data"}


CONNECTIVEONE_BAD_INPUTS: dict[str, dict[str, Any]] = {
    "connectiveone_login": {"json": {"email": " ", "password": ""}},
    "connectiveone_refresh": {"json": {"refreshToken": 42}},
    "connectiveone_logout": {"content": b"[1, 2]", "headers": {"Content-Type": JSON}},
    "connectiveone_call_node": {"json": {"bot_id": "one", "channel": "pigeon"}},
    "connectiveone_call_node_by_path": {"json": {"message": "x" * 4097}},
    "connectiveone_broadcast_route": {
        "json": {"phone": "+380501234567", "bot_id": 1, "template_id": 1}
    },  # fmt: skip
    "connectiveone_list_chat_rooms": {"params": {"limit": "0"}},
    "connectiveone_list_tickets": {"params": {"order[createdAt]": "newest"}},
    "connectiveone_get_chat_room": {"params": {"include": "everything"}},
}


def test_every_connectiveone_operation_documenting_422_has_a_bad_input() -> None:
    documenting = {op.id for op in CONNECTIVEONE_OPERATIONS if op.documents(422)}

    assert set(CONNECTIVEONE_BAD_INPUTS) == documenting


@pytest.mark.parametrize("operation_id", sorted(CONNECTIVEONE_BAD_INPUTS))
def test_a_bad_input_gets_422_naming_the_problem(operation_id: str, fresh: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](fresh) | CONNECTIVEONE_BAD_INPUTS[operation_id]

    response = fresh.call_authorized(operation, **request)

    body = assert_conforms(operation, response, 422)
    assert body["status"] == "error" and body["message"].startswith("Invalid"), body


CONNECTIVEONE_UNKNOWN: dict[str, Callable[[Session], dict[str, Any]]] = {
    "connectiveone_call_node": lambda s: connectiveone_call(s, bot_id=999),
    "connectiveone_call_node_by_path": lambda s: connectiveone_path_ids(s, node_id=999),
    "connectiveone_broadcast_route": lambda s: connectiveone_broadcast(s, template_id=99),
    "connectiveone_get_chat_room": lambda s: {"ids": {"room_id": 99_999_999}},
}


def test_every_connectiveone_operation_documenting_404_has_an_unknown_record() -> None:
    documenting = {op.id for op in CONNECTIVEONE_OPERATIONS if op.documents(404)}

    assert set(CONNECTIVEONE_UNKNOWN) == documenting


@pytest.mark.parametrize("operation_id", sorted(CONNECTIVEONE_UNKNOWN))
def test_an_unknown_record_gets_404_with_the_error_body(
    operation_id: str, session: Session
) -> None:
    operation = OPERATIONS[operation_id]

    response = session.call_authorized(operation, **CONNECTIVEONE_UNKNOWN[operation_id](session))

    assert assert_conforms(operation, response, 404)["status"] == "error"


def test_a_path_segment_no_route_matches_gets_the_documented_catch_all_404(
    session: Session,
) -> None:
    operation = OPERATIONS["connectiveone_call_node_by_path"]

    response = session.call_authorized(operation, **connectiveone_path_ids(session, chat_id="a/b"))

    assert assert_conforms(operation, response, 404)["statusCode"] == 404


@pytest.mark.parametrize("status", [429, 500])
@pytest.mark.parametrize("operation_id", [op.id for op in CONNECTIVEONE_OPERATIONS])
def test_an_injected_fault_gets_the_documented_answer(
    operation_id: str, status: int, fresh: Session, platform: Sandbox
) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](fresh)
    headers = fresh.credentials(operation)  # before the fault: a bearer token needs a login
    platform.set_faults(errorRate=1, errorStatus=status, retryAfter=3, paths="^/connectiveone/")

    response = fresh.call(operation, headers=headers, **request)

    assert_conforms(operation, response, status)
    if status == 429:
        assert response.headers["Retry-After"] == "3"


# --- Naxon: the apiToken, bad input, unknown ids and faults ----------------------------------


@pytest.mark.parametrize("operation_id", [op.id for op in NAXON_OPERATIONS])
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nxn_not_a_token"}, {"Authorization": f"Token {NAXON_TOKEN}"}],
    ids=["none", "wrong-token", "wrong-scheme"],
)
def test_naxon_without_its_token_answers_the_documented_401(
    operation_id: str, headers: dict[str, str], session: Session
) -> None:
    operation = OPERATIONS[operation_id]

    response = session.call(operation, headers=headers, **SUCCESSFUL_CALLS[operation_id](session))

    assert assert_conforms(operation, response, 401) == {"message": "Unauthorized"}


# A bad value of one parameter, and the parameter the message must name.
NAXON_BAD_INPUTS: dict[str, tuple[dict[str, Any], str]] = {
    "naxon_list_models": ({"params": {"page": "0"}}, "page"),
    "naxon_get_model": ({"ids": {"model_id": "123abc"}}, "model_id"),
    "naxon_list_model_conversations": ({"params": {"sort": "name"}}, "sort"),
    "naxon_list_conversations": ({"params": {"since": "2025-05-05"}}, "since"),
    "naxon_get_conversation": ({"ids": {"conversation_id": str(2**63)}}, "conversation_id"),
    "naxon_list_messages": ({"params": {"per_page": "ten"}}, "per_page"),
}


def test_every_naxon_operation_documenting_400_has_a_bad_input() -> None:
    assert set(NAXON_BAD_INPUTS) == {op.id for op in NAXON_OPERATIONS if op.documents(400)}


@pytest.mark.parametrize("operation_id", sorted(NAXON_BAD_INPUTS))
def test_naxon_bad_input_gets_400_naming_the_parameter(operation_id: str, session: Session) -> None:
    operation = OPERATIONS[operation_id]
    bad, parameter = NAXON_BAD_INPUTS[operation_id]

    response = session.call_authorized(operation, **SUCCESSFUL_CALLS[operation_id](session) | bad)

    assert assert_conforms(operation, response, 400)["message"].startswith(f"{parameter} ")


NAXON_WITH_IDS = [op.id for op in NAXON_OPERATIONS if op.documents(404)]


@pytest.mark.parametrize("operation_id", NAXON_WITH_IDS)
@pytest.mark.parametrize("unknown", [1, -(2**63), 2**63 - 1])
def test_naxon_unknown_ids_get_404(operation_id: str, unknown: int, session: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](session)
    request["ids"] = dict.fromkeys(request["ids"], str(unknown))

    response = session.call_authorized(operation, **request)

    assert assert_conforms(operation, response, 404)["message"].endswith("not found")


@pytest.mark.parametrize("operation_id", NAXON_WITH_IDS)
def test_naxon_an_id_no_route_matches_gets_the_documented_catch_all_404(
    operation_id: str, session: Session
) -> None:
    operation = OPERATIONS[operation_id]
    request = SUCCESSFUL_CALLS[operation_id](session)
    request["ids"] = dict.fromkeys(request["ids"], "12%2F34")

    response = session.call_authorized(operation, **request)

    assert assert_conforms(operation, response, 404)["statusCode"] == 404


@pytest.mark.parametrize("status", [429, 500])
@pytest.mark.parametrize("operation_id", [op.id for op in NAXON_OPERATIONS])
def test_naxon_an_injected_fault_gets_the_documented_answer(
    operation_id: str, status: int, fresh: Session, platform: Sandbox
) -> None:
    operation = OPERATIONS[operation_id]
    platform.set_faults(errorRate=1, errorStatus=status, retryAfter=2, paths="^/naxon/")

    response = fresh.call_authorized(operation, **SUCCESSFUL_CALLS[operation_id](fresh))

    assert_conforms(operation, response, status)
    if status == 429:
        assert response.headers["Retry-After"] == "2"
