"""The LivePerson emulator (/liveperson): seeds/004's tokens and their lifetimes on the sandbox's
clock, the documented 401 bodies, CONVERSATION and SEND, closing and CSAT, and the signed
webhooks, checked by a small local receiver."""

import base64
import hashlib
import hmac
import json
import re

import httpx
import pytest

from sandbox.liveperson.credentials import (
    ACCOUNT_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_ACCOUNT_ID,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
)
from tests.fixtures.webhooks import WebhookReceiver
from tests.sandbox.liveperson_api import (
    CLOSE,
    LivePersonApi,
    conversation_url,
    conversations,
    deliveries,
    deliveries_once,
    publish,
    reply,
    send_url,
    set_webhook,
    token_url,
    update_field,
)

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SECRET = "webhook-secret-for-tests"
HOUR = 3600


@pytest.fixture
def api(platform) -> LivePersonApi:
    return LivePersonApi(platform)


@pytest.fixture
def receiver(platform):
    with WebhookReceiver() as receiver:
        set_webhook(platform, receiver.url, SECRET)
        yield receiver


def error_body(response: httpx.Response, status: int) -> dict:
    """The documented error shape (doc for 401)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"kind", "code", "body", "type"}
    assert (body["kind"], body["code"], body["type"]) == ("resp", status, ".ReqBody$ErrorResp")
    return body["body"]


def error_code(response: httpx.Response) -> int:
    return error_body(response, 401)["errorCode"]


def signature(body: bytes, secret: str = SECRET) -> str:
    return (
        "sha1=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha1).digest()).decode()
    )


# --- AppJWT ------------------------------------------------------------------------------------


def test_client_credentials_get_a_bearer_app_jwt(sandbox):
    grant = {"v": "1.0", "grant_type": "client_credentials"}

    right = sandbox.http.post(
        token_url(), params=grant, data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    )
    wrong = sandbox.http.post(
        token_url(), params=grant, data={"client_id": CLIENT_ID, "client_secret": "guess"}
    )

    assert right.status_code == 200
    assert set(right.json()) == {"access_token", "token_type"}
    assert right.json()["token_type"] == "Bearer" and right.json()["access_token"].count(".") == 2
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [({"v": "1.0"}, 400, "unsupported_grant_type"),
     ({"grant_type": "client_credentials"}, 400, "invalid_request"),
     ({"v": "1.0", "grant_type": "password"}, 400, "unsupported_grant_type")],
)  # fmt: skip
def test_the_sentinel_refuses_what_is_not_a_client_credentials_grant(
    sandbox, params, status, error
):
    response = sandbox.http.post(
        token_url(), params=params, data={"client_id": "a", "client_secret": "b"}
    )

    assert response.status_code == status
    assert response.json()["error"] == error


def test_an_app_of_another_account_gets_no_token_here(sandbox):
    response = sandbox.http.post(
        token_url(ACCOUNT_ID),
        params={"v": "1.0", "grant_type": "client_credentials"},
        data={"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_CLIENT_SECRET},
    )

    assert response.status_code == 401


def test_the_app_jwt_expires_after_an_hour_of_the_sandboxs_clock(platform, api):
    app_jwt = api.app_token()

    platform.set_clock(HOUR - 5)
    before = api.http.post(
        "/liveperson/api/account/90233546/consumer", params={"v": "1.0"},
        headers={"Authorization": app_jwt}, json={"ext_consumer_id": "acme-1"},
    )  # fmt: skip
    platform.set_clock(HOUR + 5)
    after = api.http.post(
        "/liveperson/api/account/90233546/consumer", params={"v": "1.0"},
        headers={"Authorization": app_jwt}, json={"ext_consumer_id": "acme-1"},
    )  # fmt: skip

    assert before.status_code == 201
    assert error_code(after) == 40102
    assert api.consumer_token(api.app_token(), "acme-1")  # a fresh one works at once


def test_an_app_jwt_opens_only_its_own_account(platform):
    other = LivePersonApi(platform, OTHER_ACCOUNT_ID)
    other_jwt = other.app_token(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)

    response = LivePersonApi(platform).post(
        "/liveperson/api/account/90233546/consumer", {"ext_consumer_id": "x"}, other_jwt, None,
        version="1.0",
    )  # fmt: skip

    assert error_code(response) == 40102


# --- ConsumerJWS and the 401 bodies ------------------------------------------------------------


def test_a_consumer_jws_never_expires(platform, api):
    consumer = api.consumer("acme-447700900101")

    platform.set_clock(10 * 365 * 24 * HOUR - 60)
    consumer.app_jwt = api.app_token()  # the app's token does expire

    assert consumer.open().status_code == 200


def test_the_same_ext_consumer_id_is_the_same_consumer(platform, api):
    first, second = api.consumer("acme-7"), api.consumer("acme-7")
    first.open_id()
    second.open_id()

    found = conversations(platform, extConsumerId="acme-7")

    assert len(found) == 2 and len({c["consumerId"] for c in found}) == 1
    assert re.fullmatch("[0-9a-f]{64}", found[0]["consumerId"])


@pytest.mark.parametrize(
    ("headers", "code"),
    [({"X-LP-ON-BEHALF": "jws"}, 40104), ({"Authorization": "app"}, 40102),
     ({"Authorization": "APP", "X-LP-ON-BEHALF": "x.y.z"}, 40102)],
)  # fmt: skip
def test_missing_or_invalid_app_jwt_gets_the_documented_401(sandbox, headers, code):
    response = sandbox.http.post(conversation_url(), params={"v": "3"}, headers=headers, json=[])

    assert error_code(response) == code


def test_missing_or_invalid_consumer_jws_gets_the_documented_401(platform, api):
    app_jwt = api.app_token()
    other = LivePersonApi(platform, OTHER_ACCOUNT_ID)
    foreign_jws = other.consumer_token(
        other.app_token(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET), "acme-1"
    )

    missing = api.post(conversation_url(), [], app_jwt, None)
    garbled = api.post(conversation_url(), [], app_jwt, "not.a.jws")
    foreign = api.post(conversation_url(), [], app_jwt, foreign_jws)

    assert [error_code(r) for r in (missing, garbled, foreign)] == [40105, 40103, 40103]
    assert error_body(missing, 401)["title"] == "Unauthorized"


def test_another_consumers_conversation_gets_40103(platform, api):
    conversation_id = api.consumer("acme-owner").open_id()
    stranger = api.consumer("acme-stranger")

    response = stranger.send(publish(conversation_id, "Is this mine?"))

    assert error_code(response) == 40103


# --- CONVERSATION and SEND ---------------------------------------------------------------------


def test_conversation_answers_each_request_with_its_id_echoed(platform, api):
    response = api.consumer("acme-1").open(skillId="12")

    assert response.status_code == 200
    profile, opened = response.json()
    assert (profile["reqId"], profile["code"]) == ("1,", 200)
    assert (opened["reqId"], opened["code"]) == (2, 200)
    assert UUID.fullmatch(opened["body"]["conversationId"])
    [listed] = conversations(platform)
    assert (listed["state"], listed["skillId"]) == ("OPEN", "12")


def test_the_profile_is_set_first(platform, api):
    consumer = api.consumer("acme-2")
    profile = {"firstName": "Jane", "lastName": "Cooper"}

    consumer.api.post(conversation_url(), [
        {"kind": "req", "id": "1", "type": "userprofile.SetUserProfile", "body": profile},
        {"kind": "req", "id": "2", "type": "cm.ConsumerRequestConversation", "body": {}},
    ], consumer.app_jwt, consumer.jws)  # fmt: skip

    assert conversations(platform)[0]["profile"] == profile


@pytest.mark.parametrize(
    "batch",
    [
        [{"kind": "req", "id": "2", "type": "cm.ConsumerRequestConversation", "body": {}}],
        [{"kind": "req", "id": "2", "type": "cm.ConsumerRequestConversation", "body": {}},
         {"kind": "req", "id": "1", "type": "userprofile.SetUserProfile", "body": {}}],
        [{"id": "1", "type": "userprofile.SetUserProfile", "body": {}},
         {"kind": "req", "id": "2", "type": "cm.ConsumerRequestConversation", "body": {}}],
        [{"kind": "req", "type": "userprofile.SetUserProfile", "body": {}},
         {"kind": "req", "id": "2", "type": "cm.ConsumerRequestConversation", "body": {}}],
        {"kind": "req", "id": "2", "type": "cm.ConsumerRequestConversation", "body": {}},
    ],
    ids=["without-profile", "reversed", "without-kind", "without-id", "not-an-array"],
)  # fmt: skip
def test_a_batch_that_is_not_profile_then_request_gets_400(platform, api, batch):
    consumer = api.consumer("acme-3")

    error_body(api.post(conversation_url(), batch, consumer.app_jwt, consumer.jws), 400)

    assert conversations(platform) == []


def test_send_publishes_with_sequences_0_2_4(platform, api):
    consumer = api.consumer("acme-4")
    conversation_id = consumer.open_id()

    answers = [consumer.send(publish(conversation_id, f"Hello {n}", req_id=n)) for n in range(3)]

    assert [a.json() for a in answers] == [
        {"reqId": n, "code": "OK", "body": {"sequence": 2 * n}} for n in range(3)
    ]
    messages = conversations(platform)[0]["messages"]
    assert [(m["sequence"], m["message"], m["role"]) for m in messages] == [
        (0, "Hello 0", "CONSUMER"), (2, "Hello 1", "CONSUMER"), (4, "Hello 2", "CONSUMER"),
    ]  # fmt: skip


def test_a_closed_conversation_refuses_further_sends(platform, api):
    consumer = api.consumer("acme-5")
    conversation_id = consumer.open_id()

    closed = consumer.send(update_field(conversation_id, CLOSE, req_id="close-1"))
    again = consumer.send(update_field(conversation_id, [CLOSE]))
    refused = consumer.send(publish(conversation_id, "Anyone there?"))

    assert closed.json() == {"reqId": "close-1", "code": "OK", "body": {}}
    assert again.status_code == 200  # closing twice changes nothing
    assert "closed" in error_body(refused, 400)["details"]
    [listed] = conversations(platform)
    assert (listed["state"], listed["closeReason"], listed["messages"]) == ("CLOSE", "CONSUMER", [])


def test_csat_is_kept_and_checked(platform, api):
    consumer = api.consumer("acme-6")
    conversation_id = consumer.open_id()
    rate = {"field": "CSATRate", "csatRate": 5, "csatResolutionConfirmation": True,
            "status": "FILLED"}  # fmt: skip

    assert consumer.send(update_field(conversation_id, rate)).status_code == 200
    error_body(consumer.send(update_field(conversation_id, rate | {"csatRate": 6})), 400)

    assert conversations(platform)[0]["csat"] == {
        "rate": 5, "resolutionConfirmed": True, "status": "FILLED",
    }  # fmt: skip


@pytest.mark.parametrize(
    "payload",
    [{"kind": "req", "id": "1", "type": "ms.Unknown", "body": {}},
     {"kind": "req", "id": "1", "type": "ms.PublishEvent", "body": {"dialogId": "x"}},
     [1, 2], "text"],
    ids=["unknown-type", "no-event", "array", "string"],
)  # fmt: skip
def test_a_send_that_is_not_one_documented_request_gets_400(api, payload):
    error_body(api.consumer("acme-8").send(payload), 400)


def test_an_unknown_conversation_gets_404(api):
    response = api.consumer("acme-9").send(publish("00000000-0000-4000-8000-000000000000", "hi"))

    error_body(response, 404)


def test_a_missing_version_gets_400(api):
    consumer = api.consumer("acme-10")

    response = api.http.post(
        send_url(), headers={"Authorization": consumer.app_jwt, "X-LP-ON-BEHALF": consumer.jws},
        json=publish("x", "hi"),
    )  # fmt: skip

    assert "v=3" in error_body(response, 400)["details"]


# --- webhooks ----------------------------------------------------------------------------------


def changes(hook) -> dict:
    return json.loads(hook.body)["body"]["changes"][0]


def test_webhooks_are_signed_and_name_the_account_and_app(platform, api, receiver):
    consumer = api.consumer("acme-11")
    conversation_id = consumer.open_id()

    [hook] = receiver.wait_for(lambda hooks: len(hooks) >= 1)

    assert hook.headers["x-liveperson-signature"] == signature(hook.body)
    assert hook.headers["x-liveperson-account-id"] == ACCOUNT_ID
    assert hook.headers["x-liveperson-client-id"] == CLIENT_ID
    assert hook.headers["content-type"] == "application/json"
    notification = json.loads(hook.body)
    assert (notification["kind"], notification["type"]) == (
        "notification", "cqm.ExConversationChangeNotification",
    )  # fmt: skip
    result = changes(hook)["result"]
    assert result["convId"] == conversation_id
    assert result["conversationDetails"]["state"] == "OPEN"
    assert result["conversationDetails"]["brandId"] == ACCOUNT_ID


def test_a_conversations_life_is_notified(platform, api, receiver):
    consumer = api.consumer("acme-12")
    conversation_id = consumer.open_id()
    consumer.send(publish(conversation_id, "Your order has shipped"))
    assert reply(platform, conversation_id, "Thanks!").json()["sequence"] == 2
    consumer.send(update_field(conversation_id, CLOSE))

    hooks = receiver.wait_for(lambda hooks: len(hooks) >= 4)

    by_type = {}
    for hook in hooks:
        notification = json.loads(hook.body)
        by_type.setdefault(notification["type"], []).append(changes(hook))
    states = [c["result"]["conversationDetails"]["state"]
              for c in by_type["cqm.ExConversationChangeNotification"]]  # fmt: skip
    messages = sorted(by_type["ms.MessagingEventNotification"], key=lambda c: c["sequence"])
    assert sorted(states) == ["CLOSE", "OPEN"]
    assert [(m["sequence"], m["event"]["message"], m["originatorMetadata"]["role"])
            for m in messages] == [(0, "Your order has shipped", "CONSUMER"),
                                   (2, "Thanks!", "CONSUMER")]  # fmt: skip
    # The connector's own message names its app; the consumer's reply does not.
    assert "originatorClientProperties" in messages[0]
    assert "originatorClientProperties" not in messages[1]
    assert all(hook.headers["x-liveperson-signature"] == signature(hook.body) for hook in hooks)


def test_a_failed_delivery_is_tried_again(platform, api):
    with WebhookReceiver(failures=2) as receiver:
        set_webhook(platform, receiver.url, SECRET)
        conversation_id = api.consumer("acme-13").open_id()

        hooks = receiver.wait_for(lambda hooks: any(h.answered == 200 for h in hooks))

    assert [h.answered for h in hooks] == [500, 500, 200]
    assert len({h.body for h in hooks}) == 1  # the same notification, byte for byte

    def ours(log):
        return [(d["attempt"], d["status"]) for d in log if d["conversationId"] == conversation_id]

    logged = ours(deliveries_once(platform, lambda log: (3, 200) in ours(log)))
    assert logged == [(1, 500), (2, 500), (3, 200)]


def test_every_event_is_delivered_whichever_process_handles_it(platform, receiver):
    """The sandbox serves from two processes, each delivering the events it handles: fresh
    connections spread the requests over them, and every one is delivered."""
    opened = []
    for number in range(12):
        with httpx.Client(base_url=platform.url, timeout=30) as fresh:
            opened.append(LivePersonApi(_Handle(fresh)).consumer(f"acme-p{number}").open_id())

    hooks = receiver.wait_for(lambda hooks: len(hooks) >= len(opened))

    assert {changes(hook)["result"]["convId"] for hook in hooks} == set(opened)
    log = deliveries_once(platform, lambda log: sum(d["status"] == 200 for d in log) >= len(opened))
    assert {d["conversationId"] for d in log if d["status"] == 200} == set(opened)


class _Handle:
    """A Sandbox-like handle on another HTTP client (LivePersonApi only needs `http`)."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http


def test_a_reply_from_an_agent_and_an_agents_close_are_notified(platform, api, receiver):
    consumer = api.consumer("acme-14")
    conversation_id = consumer.open_id()

    reply(platform, conversation_id, "An agent here", role="ASSIGNED_AGENT")
    closed = platform.http.post(
        "/__sandbox__/liveperson/close-conversation", json={"conversationId": conversation_id}
    )
    refused_send = consumer.send(publish(conversation_id, "Wait"))
    refused_reply = reply(platform, conversation_id, "Too late")

    hooks = receiver.wait_for(lambda hooks: len(hooks) >= 3)
    agent = next(changes(h) for h in hooks if "sequence" in changes(h))
    details = [changes(h)["result"]["conversationDetails"] for h in hooks if "result" in changes(h)]
    close = next(item for item in details if item["state"] == "CLOSE")
    assert closed.json() == {"conversationId": conversation_id, "state": "CLOSE"}
    assert agent["originatorMetadata"]["role"] == "ASSIGNED_AGENT"
    assert close["closeReason"] == "AGENT"
    error_body(refused_send, 400)
    assert refused_reply.status_code == 400


def test_a_reset_stops_the_webhook(platform, api, receiver):
    platform.reset()
    api.consumer("acme-15").open_id()

    response = platform.http.get("/__sandbox__/liveperson/webhook")

    assert response.json() == {"accountId": ACCOUNT_ID, "url": None}
    assert deliveries(platform) == []


@pytest.mark.parametrize(
    "body",
    [{"url": "ftp://example.com", "secret": "s"}, {"url": "http://example.com"}, {}],
)
def test_setting_a_webhook_needs_an_http_url_and_a_secret(sandbox, body):
    response = sandbox.http.post("/__sandbox__/liveperson/webhook", json=body)

    assert response.status_code == 400


def test_the_published_credentials_get_tokens_and_name_the_shared_people(sandbox):
    published = sandbox.http.get("/__sandbox__/credentials").json()["liveperson"]
    grant = {"v": "1.0", "grant_type": "client_credentials"}

    for account in (published, published["otherAccount"]):
        response = sandbox.http.post(
            token_url(account["accountId"]), params=grant,
            data={"client_id": account["clientId"], "client_secret": account["clientSecret"]},
        )  # fmt: skip
        assert response.status_code == 200, account["accountId"]
    assert published["baseUrl"] == "/liveperson"
    assert {consumer["email"] for consumer in published["consumers"]} >= {"jane.cooper@example.net"}
