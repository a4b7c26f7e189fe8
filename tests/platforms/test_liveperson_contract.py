"""The LivePerson client against the running sandbox: a conversation opened, messages sent and
closed; the AppJWT kept per process (1,000 sends, one token request) and renewed once when the
platform refuses it; ConsumerJWS tokens kept in their store; typed errors; the webhooks it
verifies and parses; and no secret in the logs."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.platforms.errors import PlatformUnauthorized, PlatformValidationError
from dashboard.platforms.liveperson import (
    APP_JWT_LIFETIME,
    AppTokenKeeper,
    InMemoryConsumerTokenStore,
    LivePersonClient,
)
from dashboard.platforms.liveperson_records import (
    SIGNATURE_HEADER,
    ConversationChangeNotification,
    MessagingEventNotification,
    parse_notification,
    verify_signature,
)
from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
from tests.fixtures.webhooks import WebhookReceiver

CONSUMER = "acme-447700900101"
SECRET = "contract-webhook-secret"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tokens(clock) -> AppTokenKeeper:
    """A token keeper of the test's own: no AppJWT kept by another test is reused."""
    return AppTokenKeeper(clock)


def liveperson(sandbox, tokens, store=None, secret: str = CLIENT_SECRET) -> LivePersonClient:
    return LivePersonClient(
        sandbox.url + "/liveperson", ACCOUNT_ID, CLIENT_ID, secret,
        consumer_tokens=store, app_tokens=tokens,
    )  # fmt: skip


def token_requests(platform) -> list[dict]:
    return [r for r in platform.requests() if r["path"].endswith("/app/token")]


def consumer_requests(platform) -> list[dict]:
    return [r for r in platform.requests() if r["path"].endswith("/consumer")]


def conversations(platform, **params) -> list[dict]:
    return platform.http.get("/__sandbox__/liveperson/conversations", params=params).json()[
        "conversations"
    ]


def test_a_conversation_opened_messaged_rated_and_closed(platform, tokens):
    client = liveperson(platform, tokens)

    conversation_id = client.open_conversation(CONSUMER, profile={"firstName": "Jane"})
    sequences = [client.send_text(CONSUMER, conversation_id, text) for text in ("Hi", "Still?")]
    client.rate_conversation(CONSUMER, conversation_id, 4, resolved=True)
    client.close_conversation(CONSUMER, conversation_id)
    client.close_conversation(CONSUMER, conversation_id)  # again: safe

    [listed] = conversations(platform, extConsumerId=CONSUMER)
    assert sequences == [0, 2]
    assert (listed["conversationId"], listed["state"]) == (conversation_id, "CLOSE")
    assert [m["message"] for m in listed["messages"]] == ["Hi", "Still?"]
    assert listed["profile"] == {"firstName": "Jane"} and listed["csat"]["rate"] == 4
    with pytest.raises(PlatformValidationError, match="closed"):
        client.send_text(CONSUMER, conversation_id, "Hello?")


def test_a_thousand_sends_cost_one_app_token_request(platform, tokens):
    client = liveperson(platform, tokens)
    conversation_id = client.open_conversation(CONSUMER)

    with ThreadPoolExecutor(8) as pool:
        sequences = list(
            pool.map(lambda n: client.send_text(CONSUMER, conversation_id, f"#{n}"), range(1000))
        )

    assert sorted(sequences) == list(range(0, 2000, 2))
    assert len(token_requests(platform)) == 1
    assert len(consumer_requests(platform)) == 1


def test_many_threads_needing_a_token_at_once_ask_for_one(platform, tokens):
    clients = [liveperson(platform, tokens) for _ in range(4)]

    with ThreadPoolExecutor(16) as pool:
        got = set(pool.map(lambda n: clients[n % 4].app_token(), range(64)))

    assert len(got) == 1 and len(token_requests(platform)) == 1


def test_an_app_token_refused_as_expired_is_renewed_once(platform, tokens):
    """The sandbox's clock moves past the hour while the client's has not: the platform
    answers 40102, and the client fetches one new token and sends the call again."""
    client = liveperson(platform, tokens)
    conversation_id = client.open_conversation(CONSUMER)
    platform.set_clock(APP_JWT_LIFETIME + 60)

    assert client.send_text(CONSUMER, conversation_id, "After the hour") == 0

    statuses = [r["status"] for r in platform.requests() if r["path"].endswith("/send")]
    assert statuses == [401, 200]
    assert len(token_requests(platform)) == 2


def test_the_app_token_is_renewed_before_it_expires(platform, tokens, clock):
    client = liveperson(platform, tokens)
    conversation_id = client.open_conversation(CONSUMER)
    first = client.app_token()

    clock.now += APP_JWT_LIFETIME - 4 * 60  # within the last five minutes
    platform.set_clock(APP_JWT_LIFETIME - 4 * 60)
    client.send_text(CONSUMER, conversation_id, "Still in time")

    assert client.app_token() != first
    assert 401 not in [r["status"] for r in platform.requests()]
    assert len(token_requests(platform)) == 2


def test_consumer_tokens_are_asked_once_and_kept_in_the_store(platform, tokens):
    store = InMemoryConsumerTokenStore()
    first = liveperson(platform, tokens, store)
    first.open_conversation(CONSUMER)

    second = liveperson(platform, tokens, store)
    second.open_conversation(CONSUMER)

    assert store.get(ACCOUNT_ID, CONSUMER) is not None
    assert len(consumer_requests(platform)) == 1


def test_a_stored_consumer_token_the_platform_refuses_is_replaced_once(platform, tokens):
    store = InMemoryConsumerTokenStore()
    store.put(ACCOUNT_ID, CONSUMER, "not.a.jws")
    client = liveperson(platform, tokens, store)

    conversation_id = client.open_conversation(CONSUMER)

    assert conversation_id and store.get(ACCOUNT_ID, CONSUMER) != "not.a.jws"
    assert len(consumer_requests(platform)) == 1


def test_another_consumers_conversation_is_refused(platform, tokens):
    client = liveperson(platform, tokens)
    conversation_id = client.open_conversation(CONSUMER)

    with pytest.raises(PlatformUnauthorized, match="40103"):
        client.send_text("acme-someone-else", conversation_id, "Is this mine?")


def test_wrong_client_credentials_are_unauthorized(platform, tokens):
    client = liveperson(platform, tokens, secret="wrong")

    with pytest.raises(PlatformUnauthorized, match="wrong secret"):
        client.open_conversation(CONSUMER)
    assert consumer_requests(platform) == []


def test_the_webhooks_it_receives_verify_and_parse(platform, tokens):
    client = liveperson(platform, tokens)
    with WebhookReceiver() as receiver:
        response = platform.http.post(
            "/__sandbox__/liveperson/webhook", json={"url": receiver.url, "secret": SECRET}
        )
        assert response.status_code == 200
        conversation_id = client.open_conversation(CONSUMER)
        client.send_text(CONSUMER, conversation_id, "Your parcel is on its way")
        platform.http.post(
            "/__sandbox__/liveperson/consumer-reply",
            json={"conversationId": conversation_id, "message": "Thank you!"},
        )
        hooks = receiver.wait_for(lambda hooks: len(hooks) >= 3)

    assert all(verify_signature(SECRET, h.body, h.headers[SIGNATURE_HEADER.lower()]) for h in hooks)
    assert not verify_signature("another secret", hooks[0].body, hooks[0].headers[
        SIGNATURE_HEADER.lower()
    ])  # fmt: skip
    notifications = [parse_notification(h.body) for h in hooks]
    [opened] = [n for n in notifications if isinstance(n, ConversationChangeNotification)]
    messages = sorted(
        (change for n in notifications if isinstance(n, MessagingEventNotification)
         for change in n.changes),
        key=lambda change: change.sequence,
    )  # fmt: skip
    assert (opened.changes[0].conversation_id, opened.changes[0].state) == (conversation_id, "OPEN")
    assert [(m.sequence, m.event.message, m.app_id) for m in messages] == [
        (0, "Your parcel is on its way", CLIENT_ID), (2, "Thank you!", None),
    ]  # fmt: skip
    assert all(m.is_text and m.role == "CONSUMER" for m in messages)


def test_no_secret_reaches_the_log(platform, tokens, caplog):
    caplog.set_level(logging.DEBUG)
    store = InMemoryConsumerTokenStore()
    client = liveperson(platform, tokens, store)
    conversation_id = client.open_conversation(CONSUMER)
    client.send_text(CONSUMER, conversation_id, "Hello")

    text = caplog.text + repr(client) + repr(store)
    assert CLIENT_SECRET not in text
    assert client.app_token() not in text
    assert store.get(ACCOUNT_ID, CONSUMER) not in text
