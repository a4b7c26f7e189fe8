"""UChat's and LivePerson's documented failures against the running sandbox, each answer
validated against the OpenAPI document: 401 (and LivePerson's error codes), 403, 404, 400 or 422,
refused sends, an expired AppJWT, and injected faults. test_openapi_conformance.py makes the
real calls and the generated ones for every operation; this module adds what is particular to
these two platforms."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.uchat.credentials import FIRST_USER_NS, SPRING_SUB_FLOW_NS, TEAM_ONLY_TOKEN
from tests.sandbox.conformance_channels import (
    CAMPAIGN_TAG_NS,
    CLOSE,
    LP_ACCOUNT,
    LP_GRANT,
    POINTS_VAR_NS,
    SEND_PAYLOADS,
    VIP_TAG_NS,
    app_jwt,
    consumer_jws,
    open_conversation,
)
from tests.sandbox.liveperson_api import publish, update_field
from tests.sandbox.test_openapi_conformance import (
    OPERATIONS,
    PLATFORM_OPERATIONS,
    SUCCESSFUL_CALLS,
    Session,
    assert_conforms,
)

UCHAT_OPERATIONS = [op for op in PLATFORM_OPERATIONS if op.server == "/uchat"]
LIVEPERSON_OPERATIONS = [op for op in PLATFORM_OPERATIONS if op.server == "/liveperson"]
LP_SECURED = [op.id for op in LIVEPERSON_OPERATIONS if op.definition["security"]]
LP_BOTH_TOKENS = [op.id for op in LIVEPERSON_OPERATIONS if len(op.schemes) == 2]


@pytest.fixture(scope="module")
def channel(sandbox) -> Iterator[Session]:
    """A view of the sandbox for this module's calls (UChat and LivePerson need no sign-in:
    their credentials come with each call, conformance_channels.channel_headers)."""
    sandbox.reset()
    with httpx.Client(timeout=httpx.Timeout(30.0, connect=5.0)) as http:
        yield Session(root=sandbox.url, http=http, tokens={})
    sandbox.reset()


@pytest.fixture
def fresh_channel(channel: Session, platform) -> Session:
    """The view on the seed as it was, reset again afterwards: for calls that change data."""
    return channel


def request_for(operation_id: str, channel: Session) -> dict[str, Any]:
    return SUCCESSFUL_CALLS[operation_id](channel)


# --- UChat -------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", [op.id for op in UCHAT_OPERATIONS])
def test_uchat_without_a_token_answers_401(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]

    response = channel.call(operation, **request_for(operation_id, channel))

    assert assert_conforms(operation, response, 401)["message"] == "Unauthenticated."


@pytest.mark.parametrize("operation_id", [op.id for op in UCHAT_OPERATIONS])
def test_uchat_a_token_without_the_scope_gets_403(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]
    headers = {"Authorization": f"Bearer {TEAM_ONLY_TOKEN}"}

    response = channel.call(operation, headers=headers, **request_for(operation_id, channel))

    assert_conforms(operation, response, 403)


UCHAT_UNKNOWN: dict[str, dict[str, Any]] = {
    "uchat_delete_tag": {"json": {"tag_ns": "f190385t1"}},
    "uchat_get_subscriber_info": {"params": {"user_ns": "f190385u1"}},
    "uchat_add_tag": {"json": {"user_ns": FIRST_USER_NS, "tag_ns": "f190385t1"}},
    "uchat_remove_tag": {"json": {"user_ns": "f190385u1", "tag_ns": VIP_TAG_NS}},
    "uchat_set_user_field": {"json": {"user_ns": FIRST_USER_NS, "var_ns": "f190385v99",
                                      "value": "1"}},
    "uchat_send_sub_flow": {"json": {"user_ns": FIRST_USER_NS, "sub_flow_ns": "f190385s1"}},
    "uchat_send_text": {"json": {"user_ns": "f190385u1", "content": "Hi"}},
    "uchat_broadcast_by_tag": {"json": {"tags": ["f190385t1"], "sub_flow_ns": SPRING_SUB_FLOW_NS}},
}  # fmt: skip
UCHAT_BAD_INPUTS: dict[str, dict[str, Any]] = {
    "uchat_list_sub_flows": {"params": {"limit": "101"}},
    "uchat_list_tags": {"params": {"page": "0"}},
    "uchat_create_tag": {"json": {"name": "  "}},
    "uchat_delete_tag": {"json": {}},
    "uchat_list_user_fields": {"params": {"limit": "ten"}},
    "uchat_search_subscribers": {"params": {"user_field_value": "5"}},
    "uchat_get_subscriber_info": {"params": {}},
    "uchat_add_tag": {"json": {"user_ns": FIRST_USER_NS}},
    "uchat_remove_tag": {"json": {"tag_ns": [VIP_TAG_NS]}},
    "uchat_set_user_field": {"json": {"user_ns": FIRST_USER_NS, "var_ns": POINTS_VAR_NS,
                                      "value": "many"}},
    "uchat_send_sub_flow": {"json": {"user_ns": FIRST_USER_NS}},
    "uchat_send_text": {"json": {"user_ns": FIRST_USER_NS, "content": "x" * 4097}},
    "uchat_broadcast_by_tag": {"json": {"tags": [CAMPAIGN_TAG_NS] * 11,
                                        "sub_flow_ns": SPRING_SUB_FLOW_NS}},
}  # fmt: skip


def test_every_uchat_operation_documenting_404_and_422_has_a_case() -> None:
    assert set(UCHAT_UNKNOWN) == {op.id for op in UCHAT_OPERATIONS if op.documents(404)}
    assert set(UCHAT_BAD_INPUTS) == {op.id for op in UCHAT_OPERATIONS if op.documents(422)}


@pytest.mark.parametrize("operation_id", sorted(UCHAT_UNKNOWN))
def test_uchat_an_unknown_record_gets_404(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]

    response = channel.call_authorized(operation, **UCHAT_UNKNOWN[operation_id])

    assert assert_conforms(operation, response, 404)["message"].endswith("not found")


@pytest.mark.parametrize("operation_id", sorted(UCHAT_BAD_INPUTS))
def test_uchat_a_bad_input_gets_422_naming_the_field(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]

    response = channel.call_authorized(operation, **UCHAT_BAD_INPUTS[operation_id])

    assert assert_conforms(operation, response, 422)["errors"]


@pytest.mark.parametrize("operation_id", [op.id for op in UCHAT_OPERATIONS if op.documents(400)])
def test_uchat_a_subscriber_who_allows_no_messages_gets_400(
    operation_id: str, channel: Session
) -> None:
    operation = OPERATIONS[operation_id]
    blocked = next(
        person["user_ns"]
        for person in channel.get_json("uchat_search_subscribers", params={"limit": 100})["data"]
        if not person["allow_send_message"]
    )
    request = request_for(operation_id, channel)
    request["json"] = {**request["json"], "user_ns": blocked}

    response = channel.call_authorized(operation, **request)

    assert_conforms(operation, response, 400)


# --- LivePerson --------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", sorted(SEND_PAYLOADS))
def test_each_send_payload_succeeds_and_matches_the_document(
    payload: str, fresh_channel: Session
) -> None:
    operation = OPERATIONS["liveperson_send"]

    response = fresh_channel.call_authorized(operation, **SEND_PAYLOADS[payload](fresh_channel))

    assert assert_conforms(operation, response, 200)["body"] == {}


@pytest.mark.parametrize("operation_id", LP_SECURED)
def test_liveperson_without_tokens_answers_40104(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]

    response = channel.call(operation, **request_for(operation_id, channel))

    assert assert_conforms(operation, response, 401)["body"]["errorCode"] == 40104


@pytest.mark.parametrize("operation_id", LP_BOTH_TOKENS)
def test_liveperson_without_the_consumer_jws_answers_40105(
    operation_id: str, channel: Session
) -> None:
    operation = OPERATIONS[operation_id]
    request = request_for(operation_id, channel)

    response = channel.call(operation, headers={"Authorization": app_jwt(channel)}, **request)

    assert assert_conforms(operation, response, 401)["body"]["errorCode"] == 40105


@pytest.mark.parametrize("operation_id", LP_BOTH_TOKENS)
def test_liveperson_wrong_tokens_answer_40102_and_40103(
    operation_id: str, channel: Session
) -> None:
    operation = OPERATIONS[operation_id]
    request = request_for(operation_id, channel)

    wrong_app = channel.call(
        operation, headers={"Authorization": "x.y.z", "X-LP-ON-BEHALF": consumer_jws(channel)},
        **request,
    )  # fmt: skip
    wrong_consumer = channel.call(
        operation, headers={"Authorization": app_jwt(channel), "X-LP-ON-BEHALF": "x.y.z"},
        **request,
    )  # fmt: skip

    assert assert_conforms(operation, wrong_app, 401)["body"]["errorCode"] == 40102
    assert assert_conforms(operation, wrong_consumer, 401)["body"]["errorCode"] == 40103


@pytest.mark.parametrize("operation_id", LP_SECURED)
def test_liveperson_an_app_jwt_expires_after_an_hour(
    operation_id: str, fresh_channel: Session, platform
) -> None:
    operation = OPERATIONS[operation_id]
    request = request_for(operation_id, fresh_channel)
    headers = fresh_channel.credentials(operation)
    platform.set_clock(3601)

    response = fresh_channel.call(operation, headers=headers, **request)

    assert assert_conforms(operation, response, 401)["body"]["errorCode"] == 40102


LP_BAD_INPUTS: dict[str, dict[str, Any]] = {
    "liveperson_consumer_token": {"json": {"ext_consumer_id": ""}},
    "liveperson_open_conversation": {"json": [{"kind": "req", "id": 1, "type": "x", "body": {}}]},
    "liveperson_send": {"json": {"kind": "req", "id": 1, "type": "ms.Unknown", "body": {}}},
}


def test_every_liveperson_operation_documenting_400_has_a_bad_input() -> None:
    documenting = {op.id for op in LIVEPERSON_OPERATIONS if op.documents(400)}

    assert set(LP_BAD_INPUTS) | {"liveperson_app_token"} == documenting


@pytest.mark.parametrize("operation_id", sorted(LP_BAD_INPUTS))
def test_liveperson_a_bad_input_gets_400_saying_why(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = request_for(operation_id, channel) | LP_BAD_INPUTS[operation_id]

    response = channel.call_authorized(operation, **request)

    assert assert_conforms(operation, response, 400)["body"]["details"]


@pytest.mark.parametrize("operation_id", [op.id for op in LIVEPERSON_OPERATIONS])
def test_liveperson_a_wrong_version_gets_400(operation_id: str, channel: Session) -> None:
    operation = OPERATIONS[operation_id]
    request = request_for(operation_id, channel)
    request["params"] = {**request["params"], "v": "2"}

    response = channel.call_authorized(operation, **request)

    assert_conforms(operation, response, 400)


def test_liveperson_wrong_client_credentials_get_the_oauth_401(channel: Session) -> None:
    operation = OPERATIONS["liveperson_app_token"]

    response = channel.call(
        operation, ids=LP_ACCOUNT, params=LP_GRANT,
        data={"client_id": "nobody", "client_secret": "nothing"},
    )  # fmt: skip

    assert assert_conforms(operation, response, 401)["error"] == "invalid_client"


def test_liveperson_a_closed_conversation_refuses_a_message(fresh_channel: Session) -> None:
    operation = OPERATIONS["liveperson_send"]
    conversation = open_conversation(fresh_channel)
    fresh_channel.call_authorized(operation, ids=LP_ACCOUNT, params={"v": "3"},
                          json=update_field(conversation, CLOSE))  # fmt: skip

    response = fresh_channel.call_authorized(
        operation, ids=LP_ACCOUNT, params={"v": "3"}, json=publish(conversation, "Hello?")
    )

    assert "closed" in assert_conforms(operation, response, 400)["body"]["details"]


def test_liveperson_an_unknown_conversation_gets_404(channel: Session) -> None:
    operation = OPERATIONS["liveperson_send"]
    unknown = "00000000-0000-4000-8000-000000000000"

    response = channel.call_authorized(
        operation, ids=LP_ACCOUNT, params={"v": "3"}, json=publish(unknown, "Hello?")
    )

    assert_conforms(operation, response, 404)


# --- faults ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500])
@pytest.mark.parametrize("operation_id", [op.id for op in UCHAT_OPERATIONS + LIVEPERSON_OPERATIONS])
def test_an_injected_fault_gets_the_documented_answer(
    operation_id: str, status: int, fresh_channel: Session, platform
) -> None:
    operation = OPERATIONS[operation_id]
    request = request_for(operation_id, fresh_channel)
    headers = fresh_channel.credentials(
        operation
    )  # before the fault: LivePerson's tokens need calls
    platform.set_faults(
        errorRate=1, errorStatus=status, retryAfter=3, paths=f"^{operation.server}/"
    )

    response = fresh_channel.call(operation, headers=headers, **request)

    assert_conforms(operation, response, status)
    if status == 429:
        assert response.headers["Retry-After"] == "3"
