"""LivePerson's webhook signature verifier and notification parser, and the AppJWT keeper, on
their own (no sandbox): what the console's receiver and every client rely on."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime

import pytest

from dashboard.platforms.liveperson import APP_JWT_LIFETIME, APP_JWT_RENEW_MARGIN, AppTokenKeeper
from dashboard.platforms.liveperson_records import (
    ConversationChangeNotification,
    MalformedNotification,
    MessagingEventNotification,
    UnknownNotification,
    parse_notification,
    signature_for,
    verify_signature,
)

SECRET = "rl9hacst6kqilbofup64n11ga3"
BODY = b'{"kind":"notification","body":{"changes":[]},"type":"ms.MessagingEventNotification"}'
CONVERSATION = "b8b83fe9-75f0-46f2-baaa-2930f7192cfb"
CONSUMER = "2969e404f3be1c8cdda63f0b72d205ab5afb3fe3e3d7d72ab58245f564fdfd91"


def reference_signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha1).digest()
    return "sha1=" + base64.b64encode(digest).decode()


# --- the signature -----------------------------------------------------------------------------


def test_the_signature_is_sha1_hmac_in_base64():
    assert signature_for(SECRET, BODY) == reference_signature(SECRET, BODY)
    assert verify_signature(SECRET, BODY, reference_signature(SECRET, BODY))


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        reference_signature(SECRET, BODY + b" "),
        reference_signature("another secret", BODY),
        reference_signature(SECRET, BODY).replace("sha1=", "SHA1="),
        reference_signature(SECRET, BODY).replace("sha1=", "sha256="),
        reference_signature(SECRET, BODY).removeprefix("sha1="),
        " " + reference_signature(SECRET, BODY),
        reference_signature(SECRET, BODY).rstrip("="),
        "sha1=é" + reference_signature(SECRET, BODY)[6:],
    ],
    ids=["missing", "empty", "other-body", "other-secret", "upper-prefix", "sha256",
         "no-prefix", "leading-space", "no-padding", "not-ascii"],
)  # fmt: skip
def test_anything_but_the_exact_signature_is_refused(header):
    assert verify_signature(SECRET, BODY, header) is False


def test_an_empty_secret_never_verifies():
    assert verify_signature("", BODY, reference_signature("", BODY)) is False


# --- notifications -----------------------------------------------------------------------------


def state_change(state: str, **details) -> bytes:
    conversation = {
        "skillId": "-1",
        "participants": [{"id": CONSUMER, "role": "CONSUMER"}],
        "dialogs": [{"dialogId": CONVERSATION, "state": state, "dialogType": "MAIN"}],
        "brandId": "42257269",
        "state": state,
        "stage": state,
        "startTs": 1545398580042,
        **details,
    }
    change = {"type": "UPSERT", "result": {"convId": CONVERSATION, "effectiveTTR": -1,
                                           "conversationDetails": conversation}}  # fmt: skip
    return json.dumps({"kind": "notification", "body": {"changes": [change]},
                       "type": "cqm.ExConversationChangeNotification"}).encode()  # fmt: skip


def messaging(event: dict, **change) -> bytes:
    change = {
        "sequence": 4,
        "originatorId": CONSUMER,
        "originatorMetadata": {"id": CONSUMER, "role": "CONSUMER"},
        "serverTimestamp": 1544190529528,
        "event": event,
        "conversationId": CONVERSATION,
        "dialogId": CONVERSATION,
        **change,
    }
    return json.dumps({"kind": "notification", "body": {"changes": [change]},
                       "type": "ms.MessagingEventNotification"}).encode()  # fmt: skip


def test_a_state_change_is_read_into_its_record():
    notification = parse_notification(
        state_change("CLOSE", endTs=1545399379370, closeReason="CONSUMER")
    )

    assert isinstance(notification, ConversationChangeNotification)
    [change] = notification.changes
    details = change.result.conversation_details
    assert (change.conversation_id, change.state) == (CONVERSATION, "CLOSE")
    assert (details.consumer_id, details.close_reason, details.brand_id) == (
        CONSUMER, "CONSUMER", "42257269",
    )  # fmt: skip
    assert details.ended_at == datetime(2018, 12, 21, 13, 36, 19, 370000, tzinfo=UTC)


def test_a_message_is_read_into_its_record():
    body = messaging({"type": "ContentEvent", "message": "ae", "contentType": "text/plain"},
                     originatorClientProperties={"type": "CUSTOM", "appId": "app-1"})  # fmt: skip

    notification = parse_notification(body)

    assert isinstance(notification, MessagingEventNotification)
    [change] = notification.changes
    assert (change.sequence, change.event.message, change.role, change.app_id) == (
        4, "ae", "CONSUMER", "app-1",
    )  # fmt: skip
    assert change.is_text and change.sent_at.year == 2018


def test_an_event_without_text_is_not_a_message():
    [change] = parse_notification(
        messaging({"type": "ChatStateEvent", "chatState": "PAUSE"})
    ).changes

    assert not change.is_text and change.event.chat_state == "PAUSE"


def test_a_type_the_console_does_not_read_is_unknown_not_an_error():
    body = b'{"kind":"notification","type":"routing.RoutingTaskNotification","body":{}}'

    assert parse_notification(body) == UnknownNotification("routing.RoutingTaskNotification")


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"kind":"notification"}',
     b'{"type":"ms.MessagingEventNotification","body":{"changes":"many"}}',
     b'{"type":"cqm.ExConversationChangeNotification","body":{"changes":[{"result":{}}]}}'],
    ids=["empty", "not-json", "array", "no-type", "changes-not-a-list", "no-conversation-id"],
)  # fmt: skip
def test_what_is_not_a_notification_is_malformed(body):
    with pytest.raises(MalformedNotification):
        parse_notification(body)


# --- the AppJWT keeper -------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_app_token_is_kept_until_shortly_before_it_expires():
    clock, fetched = Clock(), []
    keeper = AppTokenKeeper(clock)

    def fetch() -> str:
        fetched.append(clock.now)
        return f"token-{len(fetched)}"

    first = keeper.current(("s", "a", "c"), fetch)
    clock.now = APP_JWT_LIFETIME - APP_JWT_RENEW_MARGIN - 1
    still = keeper.current(("s", "a", "c"), fetch)
    clock.now += 1
    renewed = keeper.current(("s", "a", "c"), fetch)

    assert (first, still, renewed) == ("token-1", "token-1", "token-2")
    assert keeper.current(("s", "other account", "c"), fetch) == "token-3"  # kept per account


def test_a_refused_token_is_replaced_once_whoever_notices():
    keeper, fetched = AppTokenKeeper(Clock()), []
    key = ("s", "a", "c")

    def fetch() -> str:
        fetched.append(1)
        return f"token-{len(fetched)}"

    refused = keeper.current(key, fetch)
    replacements = []
    threads = [
        threading.Thread(target=lambda: replacements.append(keeper.replace(key, refused, fetch)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(replacements) == {"token-2"} and len(fetched) == 2
