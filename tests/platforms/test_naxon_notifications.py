"""The keyword-notification webhook body, parsed for the console's receiver: what the sandbox
posts reads into a typed record with a key that is the same for a redelivery and different for
any other notification; anything else is refused with a reason, and no input, however broken,
raises anything but MalformedNotification."""

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.platforms.naxon import (
    KeywordNotification,
    MalformedNotification,
    Message,
    parse_keyword_notification,
)
from sandbox.naxon.credentials import API_TOKEN
from tests.fixtures.receiver import WebhookReceiver

MESSAGE = {"id": 1477442589949958609, "seq": "01KJK8715RBT53S7HQ0QSM2263", "sender": "user",
           "message": "I want a refund", "created_at": "2026-02-28T23:09:23+0700"}  # fmt: skip
VALID: dict[str, Any] = {
    "event": "keyword-notification",
    "payload": {
        "id": 1477442564784129500,
        "model_id": 2**53 + 1,
        "model_name": "Acme Web Chat",
        "created_at": "2026-02-28T23:09:17+0700",
        "updated_at": "2026-02-28T23:09:23+0700",
        "most_recent_message": MESSAGE,
        "recent_messages": [MESSAGE],
        "platform": "whatsapp",
        "platform_user_id": "447700900123",
        "keyword": "refund",
    },
}


# A valid notification but for an unknown field nested 100,000 deep.
DEEP_UNKNOWN_FIELD = (
    b'{"event": "keyword-notification", "payload": {"id": 1, "model_id": 2, "keyword": "refund",'
    b' "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
)


def body(**changes: Any) -> bytes:
    """VALID with payload fields changed (None: left out)."""
    payload = {**VALID["payload"], **changes}
    return json.dumps(
        {**VALID, "payload": {k: v for k, v in payload.items() if v is not None}}
    ).encode()


def test_a_documented_body_reads_into_exact_typed_values() -> None:
    notification = parse_keyword_notification(json.dumps(VALID).encode())

    payload = notification.payload
    assert isinstance(notification, KeywordNotification) and notification.event == VALID["event"]
    assert (payload.id, payload.model_id) == (1477442564784129500, 9007199254740993)
    assert payload.keyword == "refund" and payload.platform_user_id == "447700900123"
    assert payload.updated_at == datetime(2026, 2, 28, 16, 9, 23, tzinfo=UTC)
    assert isinstance(payload.most_recent_message, Message)
    assert payload.most_recent_message.message == "I want a refund"


def test_the_dedup_key_names_the_conversation_keyword_and_matched_message() -> None:
    same = parse_keyword_notification(body()).dedup_key
    other_keyword = parse_keyword_notification(body(keyword="cancel")).dedup_key
    other_message = parse_keyword_notification(
        body(most_recent_message={**MESSAGE, "id": 5})
    ).dedup_key

    assert same == parse_keyword_notification(body()).dedup_key
    assert len({same, other_keyword, other_message}) == 3
    assert parse_keyword_notification(body(keyword="Refund")).dedup_key == same


def test_optional_fields_may_be_missing_or_null() -> None:
    sparse = parse_keyword_notification(
        json.dumps({"event": "keyword-notification", "payload": {
            "id": 7, "model_id": 8, "keyword": "refund", "most_recent_message": None,
            "model_name": None,
        }}).encode()
    )  # fmt: skip

    assert sparse.payload.recent_messages == [] and sparse.payload.model_name is None
    assert sparse.dedup_key == "7:refund:updated:"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"   ", "empty"), (b"{", "not JSON"), (b"\xff\xfe{}", "not JSON"),
     (b"NaN", "not JSON"), (body() + b" trailing", "not JSON"), (b"[]", "Expected `object`"),
     (b'{"event": "keyword-notification"}', "missing required field `payload`"),
     (b'{"event": "other", "payload": {}}', "$.event"),
     (body(id="1477442564784129500"), "$.payload.id"), (body(id=1.5), "$.payload.id"),
     (body(id=2**63), "$.payload.id"), (body(id=10**40), "$.payload.id"),
     (body(model_id=None), "model_id"), (body(keyword=""), "$.payload.keyword"),
     (body(keyword=None), "keyword"), (body(keyword=["refund"]), "$.payload.keyword"),
     (body(created_at="yesterday"), "$.payload.created_at"),
     (body(created_at="2025-05-05T05:05:05"), "$.payload.created_at"),  # no offset
     (body(recent_messages={"0": MESSAGE}), "$.payload.recent_messages"),
     (body(most_recent_message={"seq": "x"}), "$.payload.most_recent_message"),
     (b'{"event": "keyword-notification", "payload": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
      "Expected `object`, got `array` - at `$.payload`"),
     (DEEP_UNKNOWN_FIELD, "nested too deeply"),
     (b"x" * (256 * 1024 + 1), "larger than")],
)  # fmt: skip
def test_a_malformed_body_is_refused_with_the_reason(content: bytes, reason: str) -> None:
    with pytest.raises(MalformedNotification) as caught:
        parse_keyword_notification(content)

    assert reason in str(caught.value)


def test_unknown_fields_are_ignored() -> None:
    notification = parse_keyword_notification(body(extra={"deep": [[[[1]]]]}, version=2))

    assert notification.payload.keyword == "refund"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = ["id", "model_id", "keyword", "created_at", "updated_at", "most_recent_message",
          "recent_messages", "platform", "platform_user_id", "model_name"]  # fmt: skip


@given(st.binary(max_size=2_000))
@settings(max_examples=300, suppress_health_check=list(HealthCheck))
def test_any_bytes_parse_or_are_refused_with_a_reason(content: bytes) -> None:
    try:
        parse_keyword_notification(content)
    except MalformedNotification as refused:
        assert str(refused)


@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=6))
@settings(max_examples=300, suppress_health_check=list(HealthCheck))
def test_any_field_values_parse_or_are_refused_with_a_reason(changes: dict) -> None:
    content = json.dumps({**VALID, "payload": {**VALID["payload"], **changes}}).encode()
    try:
        notification = parse_keyword_notification(content)
    except MalformedNotification as refused:
        assert str(refused)
    else:  # what was accepted is what the types promise
        assert type(notification.payload.id) is int and -(2**63) <= notification.payload.id < 2**63
        assert isinstance(notification.payload.keyword, str) and notification.payload.keyword


@given(JSON_VALUES)
@settings(max_examples=200, suppress_health_check=list(HealthCheck))
def test_any_json_document_parses_or_is_refused(value: Any) -> None:
    with pytest.raises(MalformedNotification):
        parse_keyword_notification(json.dumps(value).encode())


# --- what the sandbox posts -------------------------------------------------------------------


def test_the_sandboxs_deliveries_parse_and_redeliveries_share_their_key(platform) -> None:
    with WebhookReceiver() as receiver:
        settings_ = {"url": receiver.url, "keywords": ["refund", "cancel", "lawyer"]}
        assert platform.http.post("/__sandbox__/naxon/webhook", json=settings_).is_success
        burst = platform.http.post(
            "/__sandbox__/naxon/webhook/burst", json={"count": 24, "redeliveryShare": 0.25}
        ).json()

        received = receiver.wait_for(24)

    notifications = [parse_keyword_notification(r.body) for r in received]
    bodies_by_key: dict[str, set[bytes]] = {}
    for notification, delivery in zip(notifications, received, strict=True):
        bodies_by_key.setdefault(notification.dedup_key, set()).add(delivery.body)
    assert len(bodies_by_key) == burst["distinct"] == 18
    assert all(len(bodies) == 1 for bodies in bodies_by_key.values())
    # The matched message is the conversation's latest, as the API shows it.
    first = notifications[0].payload
    answer = httpx.get(
        f"{platform.url}/naxon/conversations/{first.id}",
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    ).json()
    assert answer["most_recent_message"]["id"] == first.most_recent_message.id
    assert first.keyword in first.most_recent_message.message
