"""What the OpenAPI conformance tests need to call UChat and LivePerson for real: the credentials
each operation takes, one successful request per operation (and per control endpoint), and the
fuzzer's hook that points half of the valid cases at records of the seed.

test_openapi_conformance.py merges these into its tables; test_openapi_conformance_channels.py
checks these platforms' documented failures. A session here is that module's `Session` (its
`root` and `http` are all that is used).
"""

import zlib
from collections.abc import Callable
from typing import Any

from schemathesis import GenerationMode

from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
from sandbox.uchat.credentials import BOT_TOKEN, FIRST_USER_NS, SPRING_SUB_FLOW_NS
from tests.sandbox.liveperson_api import CLOSE, open_batch, publish, update_field

CHANNEL_SERVERS = ("/uchat", "/liveperson")
UCHAT_BOT = {"Authorization": f"Bearer {BOT_TOKEN}"}
# Seeded records of the store bot (sandbox/uchat/seed.py): tag ids 1 and 6, field 2.
VIP_TAG_NS = "f190385t7215001"
CAMPAIGN_TAG_NS = "f190385t7215006"
POINTS_VAR_NS = "f190385v2"
CONFORMANCE_CONSUMER = "acme-conformance"
LP_ACCOUNT = {"accountId": ACCOUNT_ID}
LP_GRANT = {"v": "1.0", "grant_type": "client_credentials"}
LP_CREDENTIALS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


# --- credentials -------------------------------------------------------------------------------


def app_jwt(session: Any) -> str:
    """A fresh AppJWT: cheap, and never one a test's clock move has expired."""
    response = session.http.post(
        session.root + f"/liveperson/sentinel/api/account/{ACCOUNT_ID}/app/token",
        params=LP_GRANT,
        data=LP_CREDENTIALS,
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def consumer_jws(session: Any, ext_consumer_id: str = CONFORMANCE_CONSUMER) -> str:
    """The consumer's ConsumerJWS (it never expires, and survives resets: made once)."""
    cache = session.__dict__.setdefault("_consumer_jws", {})
    if ext_consumer_id not in cache:
        response = session.http.post(
            session.root + f"/liveperson/api/account/{ACCOUNT_ID}/consumer",
            params={"v": "1.0"},
            headers={"Authorization": app_jwt(session)},
            json={"ext_consumer_id": ext_consumer_id},
        )
        assert response.status_code == 201, response.text
        cache[ext_consumer_id] = response.json()["token"]
    return cache[ext_consumer_id]


def channel_headers(session: Any, security: list[dict[str, list]]) -> dict[str, str]:
    """The headers an operation of UChat or LivePerson takes, from its `security`."""
    names = {name for requirement in security for name in requirement}
    headers: dict[str, str] = {}
    if "uchatBearer" in names:
        headers |= UCHAT_BOT
    if "livePersonAppJwt" in names:
        headers["Authorization"] = app_jwt(session)
    if "livePersonConsumerJws" in names:
        headers["X-LP-ON-BEHALF"] = consumer_jws(session)
    return headers


def lp_headers(session: Any) -> dict[str, str]:
    return {"Authorization": app_jwt(session), "X-LP-ON-BEHALF": consumer_jws(session)}


def open_conversation(session: Any) -> str:
    """A new open conversation of the conformance consumer."""
    response = session.http.post(
        session.root + f"/liveperson/api/account/{ACCOUNT_ID}/messaging/consumer/conversation",
        params={"v": "3"},
        headers=lp_headers(session),
        json=open_batch(),
    )
    assert response.status_code == 200, response.text
    return response.json()[1]["body"]["conversationId"]


def created_tag(session: Any) -> str:
    response = session.http.post(
        session.root + "/uchat/api/flow/create-tag", headers=UCHAT_BOT, json={"name": "Doomed"}
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["tag_ns"]


# --- one real call per operation ---------------------------------------------------------------

type Recipe = Callable[[Any], dict[str, Any]]


def _nothing(session: Any) -> dict[str, Any]:
    return {}


def _tagging(session: Any) -> dict[str, Any]:
    return {"json": {"user_ns": FIRST_USER_NS, "tag_ns": VIP_TAG_NS}}


def _send(payload: Callable[[str], dict[str, Any]]) -> Recipe:
    def recipe(session: Any) -> dict[str, Any]:
        return {
            "ids": LP_ACCOUNT,
            "params": {"v": "3"},
            "json": payload(open_conversation(session)),
        }

    return recipe


CHANNEL_CALLS: dict[str, Recipe] = {
    "uchat_list_sub_flows": lambda s: {"params": {"page": 1, "limit": 5, "name": "e"}},
    "uchat_list_tags": lambda s: {"params": {"limit": 3}},
    "uchat_create_tag": lambda s: {"json": {"name": "Conformance"}},
    "uchat_delete_tag": lambda s: {"json": {"tag_ns": created_tag(s)}},
    "uchat_list_user_fields": _nothing,
    "uchat_search_subscribers": lambda s: {
        "params": {"limit": 20, "page": 1, "tag_ns": VIP_TAG_NS, "user_field_ns": POINTS_VAR_NS}
    },
    "uchat_get_subscriber_info": lambda s: {"params": {"user_ns": FIRST_USER_NS}},
    "uchat_add_tag": _tagging,
    "uchat_remove_tag": _tagging,
    "uchat_set_user_field": lambda s: {
        "json": {"user_ns": FIRST_USER_NS, "var_ns": POINTS_VAR_NS, "value": "1200"}
    },
    "uchat_send_sub_flow": lambda s: {
        "json": {"user_ns": FIRST_USER_NS, "sub_flow_ns": SPRING_SUB_FLOW_NS}
    },
    "uchat_send_text": lambda s: {"json": {"user_ns": FIRST_USER_NS, "content": "Hello"}},
    "uchat_broadcast_by_tag": lambda s: {
        "json": {
            "tags": [CAMPAIGN_TAG_NS],
            "exclude_tags": [VIP_TAG_NS],
            "sub_flow_ns": SPRING_SUB_FLOW_NS,
            "name": "Spring",
        }
    },  # fmt: skip
    "liveperson_app_token": lambda s: {
        "ids": LP_ACCOUNT,
        "params": LP_GRANT,
        "data": LP_CREDENTIALS,
    },
    "liveperson_consumer_token": lambda s: {
        "ids": LP_ACCOUNT,
        "params": {"v": "1.0"},
        "json": {"ext_consumer_id": "acme-42"},
    },  # fmt: skip
    "liveperson_open_conversation": lambda s: {
        "ids": LP_ACCOUNT,
        "params": {"v": "3"},
        "json": open_batch({"firstName": "Jane"}),
    },  # fmt: skip
    "liveperson_send": _send(lambda conversation: publish(conversation, "Hello")),
    "sandbox_uchat_sent": lambda s: {"params": {"userNs": FIRST_USER_NS}},
    "sandbox_liveperson_get_webhook": _nothing,
    "sandbox_liveperson_set_webhook": lambda s: {
        "json": {"url": "http://127.0.0.1:9/nobody-listens", "secret": "s3cret"}
    },
    "sandbox_liveperson_clear_webhook": _nothing,
    "sandbox_liveperson_webhook_deliveries": _nothing,
    "sandbox_liveperson_consumer_reply": lambda s: {
        "json": {"conversationId": open_conversation(s), "message": "Thanks!"}
    },
    "sandbox_liveperson_close_conversation": lambda s: {
        "json": {"conversationId": open_conversation(s)}
    },
    "sandbox_liveperson_conversations": lambda s: {"params": {"extConsumerId": "acme-1"}},
}

# SEND's other documented payloads, each a successful call of its own.
SEND_PAYLOADS: dict[str, Recipe] = {
    "close": _send(lambda conversation: update_field(conversation, CLOSE)),
    "csat": _send(
        lambda conversation: update_field(
            conversation, [{"field": "CSATRate", "csatRate": 4, "status": "FILLED"}]
        )
    ),
    "profile": _send(
        lambda conversation: {
            "kind": "req",
            "id": 3,
            "type": "userprofile.SetUserProfile",
            "body": {"firstName": "Jane"},
        }
    ),  # fmt: skip
}

# The control endpoints' bad inputs: a 400 with field errors, in Connextlive's shape.
CHANNEL_BAD_INPUTS: dict[str, dict[str, Any]] = {
    "sandbox_liveperson_set_webhook": {"json": {"url": "ftp://example.com", "secret": ""}},
    "sandbox_liveperson_consumer_reply": {"json": {"conversationId": "x", "message": ""}},
    "sandbox_liveperson_close_conversation": {"json": {}},
}


# --- the fuzzer's real records -----------------------------------------------------------------

_REAL_FIELDS = {"user_ns": FIRST_USER_NS, "tag_ns": VIP_TAG_NS,
                "sub_flow_ns": SPRING_SUB_FLOW_NS, "var_ns": POINTS_VAR_NS}  # fmt: skip


def point_half_at_real_channel_records(case: Any, session: Any) -> None:
    """Generated namespaces and conversation ids never exist: for half of the valid UChat and
    LivePerson cases, swap in the seed's (a new dict: a case built from the document's example
    holds that very dict). Which half follows from what was generated, so a replay is the same."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
        return
    operation_id = case.operation.definition.raw["operationId"]
    if not operation_id.startswith(("uchat_", "liveperson_")):
        return
    if zlib.crc32(repr((case.query, case.body)).encode()) % 2:
        return
    if isinstance(case.query, dict) and "user_ns" in case.query:
        case.query = {**case.query, "user_ns": FIRST_USER_NS}
    if isinstance(case.body, dict):
        real = {name: value for name, value in _REAL_FIELDS.items() if name in case.body}
        if operation_id == "liveperson_send" and isinstance(case.body.get("body"), dict):
            conversation = open_conversation(session)
            inner = case.body["body"]
            for name in ("dialogId", "conversationId"):
                if name in inner:
                    inner = {**inner, name: conversation}
            real["body"] = inner
        case.body = {**case.body, **real}
