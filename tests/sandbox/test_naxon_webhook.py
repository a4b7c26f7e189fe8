"""Naxon's keyword-notification webhook, emulated: the sandbox posts
`{"event": "keyword-notification", "payload": <conversation + "keyword">}` (doc) to a URL
when a message contains a watched keyword, retries as sandbox/naxon/rules.py guesses, and logs
every delivery in the control state its processes share. A receiver started by each test
stands for the console."""

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import jsonschema_rs
import pytest

from sandbox.naxon.credentials import API_TOKEN
from sandbox.openapi import build_spec
from tests.fixtures.receiver import WebhookReceiver
from tests.fixtures.sandbox import Sandbox

TOKEN = {"Authorization": f"Bearer {API_TOKEN}"}
CONTROL = "/__sandbox__/naxon"
FAST = {"retryDelaySeconds": 0.05, "timeoutSeconds": 2}
SPEC = build_spec()
NOTIFICATION_SCHEMA = jsonschema_rs.Draft202012Validator(
    {"$ref": "urn:spec#/components/schemas/NaxonKeywordNotification"},
    registry=jsonschema_rs.Registry([("urn:spec", SPEC)]),
)


@pytest.fixture
def receiver(platform: Sandbox) -> Iterator[WebhookReceiver]:
    """A receiver, on a sandbox reset before and after (which stops what is still sending)."""
    with WebhookReceiver() as started:
        yield started


def control(sandbox: Sandbox, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return sandbox.http.request(method, CONTROL + path, **kwargs)


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def hook(sandbox: Sandbox, receiver: WebhookReceiver, **settings: Any) -> dict:
    body = {"url": receiver.url, "keywords": ["refund", "cancel", "lawyer"], **FAST, **settings}
    return ok(control(sandbox, "POST", "/webhook", json=body))["webhook"]


def inject(sandbox: Sandbox, conversation_id: int, text: str, **extra: Any) -> dict:
    path = f"/conversations/{conversation_id}/messages"
    return ok(control(sandbox, "POST", path, json={"message": text, **extra}))


def a_conversation(sandbox: Sandbox) -> dict:
    return ok(sandbox.http.get("/naxon/conversations", headers=TOKEN))["data"][3]


def log(sandbox: Sandbox, **params: Any) -> dict:
    return ok(control(sandbox, "GET", "/deliveries", params=params))


def settled(sandbox: Sandbox, count: int) -> list[dict]:
    """The log once `count` deliveries are no longer pending. Attempts are logged by the
    sandbox's sending threads as their answers come: the test polls for that state, with a
    deadline."""
    deadline = time.monotonic() + 20
    while True:
        entries = log(sandbox)["deliveries"]
        if sum(entry["state"] != "pending" for entry in entries) >= count:
            return entries
        assert time.monotonic() < deadline, entries
        time.sleep(0.02)


# --- settings ----------------------------------------------------------------------------------


def test_the_webhook_is_set_read_and_cleared(platform, receiver) -> None:
    assert ok(control(platform, "GET", "/webhook")) == {"webhook": None}

    set_to = hook(platform, receiver, keywords=["Refund", "refund", " lawyer "])

    assert set_to == {
        "url": receiver.url, "keywords": ["Refund", "lawyer"], "timeoutSeconds": 2.0,
        "retryDelaySeconds": 0.05, "maxAttempts": 6,
    }  # fmt: skip
    assert ok(control(platform, "GET", "/webhook"))["webhook"] == set_to
    assert ok(control(platform, "DELETE", "/webhook")) == {"webhook": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"url": "ftp://example.com", "keywords": ["refund"]}, "url"),
     ({"url": "http://", "keywords": ["refund"]}, "url"),
     ({"url": "http://127.0.0.1/x", "keywords": []}, "keywords"),
     ({"url": "http://127.0.0.1/x", "keywords": ["ok", 5]}, "keywords"),
     ({"url": "http://127.0.0.1/x", "keywords": "refund"}, "keywords"),
     ({"url": "http://127.0.0.1/x", "keywords": ["x" * 101]}, "keywords"),
     ({"url": "http://127.0.0.1/x", "keywords": ["a"], "timeoutSeconds": 0}, "timeoutSeconds"),
     ({"url": "http://127.0.0.1/x", "keywords": ["a"], "maxAttempts": 1.5}, "maxAttempts")],
)  # fmt: skip
def test_bad_settings_get_400_with_field_errors(sandbox, body: dict, field: str) -> None:
    response = control(sandbox, "POST", "/webhook", json=body)

    assert response.status_code == 400
    assert list(response.json()["data"]["fieldErrors"]) == [field]


# --- a message arrives -------------------------------------------------------------------------


def test_an_injected_message_with_a_keyword_is_posted_once(platform, receiver) -> None:
    hook(platform, receiver)
    conversation = a_conversation(platform)

    answer = inject(platform, conversation["id"], "I want a REFUND for this.")

    [received] = receiver.wait_for(1)
    body = json.loads(received.body)
    after = ok(platform.http.get(f"/naxon/conversations/{conversation['id']}", headers=TOKEN))
    assert received.headers["Content-Type"] == "application/json"
    assert answer["keywords"] == ["refund"] and len(answer["deliveries"]) == 1
    assert body == {"event": "keyword-notification", "payload": {**after, "keyword": "refund"}}
    assert body["payload"]["most_recent_message"] == answer["message"]
    assert NOTIFICATION_SCHEMA.is_valid(body)
    [entry] = settled(platform, 1)
    assert entry["state"] == "delivered" and entry["body"] == body
    assert [(attempt["status"], attempt["error"]) for attempt in entry["attempts"]] == [(204, None)]


def test_the_message_joins_the_conversation(platform, receiver) -> None:
    hook(platform, receiver)
    conversation = a_conversation(platform)

    answer = inject(platform, conversation["id"], "Hello again", sender="user")

    path = f"/naxon/conversations/{conversation['id']}"
    thread = ok(platform.http.get(path + "/messages", headers=TOKEN, params={"per_page": 100}))
    after = ok(platform.http.get(path, headers=TOKEN))
    assert thread["data"][-1] == answer["message"]
    assert after["updated_at"] == answer["message"]["created_at"] > conversation["updated_at"]
    assert answer["keywords"] == answer["deliveries"] == [] and log(platform)["deliveries"] == []


@pytest.mark.parametrize(
    ("text", "keywords"),
    [("refund", ["refund"]), ("Can I get a Refund?", ["refund"]), ("REFUND!!!", ["refund"]),
     ("It was refunded", []), ("cancelled already", []), ("cancelar pedido", []),
     ("Cancel it, I want a refund or my lawyer calls", ["refund", "cancel", "lawyer"])],
)  # fmt: skip
def test_keywords_match_whole_words_in_any_case(platform, receiver, text, keywords) -> None:
    hook(platform, receiver)

    answer = inject(platform, a_conversation(platform)["id"], text)

    assert answer["keywords"] == keywords
    received = receiver.wait_for(len(keywords))
    assert sorted(json.loads(r.body)["payload"]["keyword"] for r in received) == sorted(keywords)


def test_a_bot_message_with_a_keyword_is_posted_too(platform, receiver) -> None:
    hook(platform, receiver)

    answer = inject(platform, a_conversation(platform)["id"], "I can cancel it.", sender="bot")

    assert answer["message"]["sender"] == "bot" and answer["keywords"] == ["cancel"]
    receiver.wait_for(1)


def test_without_a_webhook_nothing_is_posted(platform) -> None:
    answer = inject(platform, a_conversation(platform)["id"], "refund now")

    assert answer["deliveries"] == [] and log(platform)["deliveries"] == []


@pytest.mark.parametrize(
    ("conversation_id", "body", "status"),
    [(1, {"message": "refund"}, 404), ("abc", {"message": "refund"}, 400),
     (None, {"message": ""}, 400), (None, {"message": "x" * 4001}, 400),
     (None, {"message": "hi", "sender": "robot"}, 400), (None, {}, 400)],
)  # fmt: skip
def test_a_bad_injection_is_refused(platform, conversation_id, body, status) -> None:
    target = conversation_id if conversation_id is not None else a_conversation(platform)["id"]

    response = control(platform, "POST", f"/conversations/{target}/messages", json=body)

    assert response.status_code == status, response.text


# --- retries (the guess in sandbox/naxon/rules.py) ---------------------------------------------


def test_a_non_2xx_answer_is_retried_until_a_2xx(platform, receiver) -> None:
    hook(platform, receiver)
    receiver.script(500, 503, 302, 200)

    inject(platform, a_conversation(platform)["id"], "refund")

    received = receiver.wait_for(4)
    [entry] = settled(platform, 1)
    assert len({r.body for r in received}) == 1  # the same notification each time
    assert [a["status"] for a in entry["attempts"]] == [500, 503, 302, 200]
    assert entry["state"] == "delivered"


def test_no_answer_in_time_is_retried(platform, receiver) -> None:
    hook(platform, receiver, timeoutSeconds=0.3)
    receiver.script((200, 1.0))  # answers, but after the sandbox gave up waiting

    inject(platform, a_conversation(platform)["id"], "lawyer")

    receiver.wait_for(2)
    [entry] = settled(platform, 1)
    assert [(a["status"], a["error"]) for a in entry["attempts"]] == [
        (None, "timeout"), (204, None),
    ]  # fmt: skip


def test_it_gives_up_after_max_attempts(platform, receiver) -> None:
    hook(platform, receiver, maxAttempts=3)
    receiver.script(500, 500, 500, 500)

    inject(platform, a_conversation(platform)["id"], "refund")

    receiver.wait_for(3)
    [entry] = settled(platform, 1)
    assert entry["state"] == "failed" and len(entry["attempts"]) == 3
    assert receiver.nothing_more_within(3, 0.5)


def test_the_delay_doubles_between_attempts(platform, receiver) -> None:
    hook(platform, receiver, retryDelaySeconds=0.2, maxAttempts=3)
    receiver.script(500, 500, 500)

    inject(platform, a_conversation(platform)["id"], "refund")

    first, second, third = receiver.wait_for(3)
    assert second.at - first.at >= 0.2 and third.at - second.at >= 0.4


def test_a_url_nobody_answers_fails_each_attempt(platform) -> None:
    control(platform, "POST", "/webhook",
            json={"url": "http://127.0.0.1:9/x", "keywords": ["refund"], "maxAttempts": 2,
                  "retryDelaySeconds": 0})  # fmt: skip

    inject(platform, a_conversation(platform)["id"], "refund")

    [entry] = settled(platform, 1)
    assert entry["state"] == "failed"
    assert [a["status"] for a in entry["attempts"]] == [None, None]
    assert all(a["error"] for a in entry["attempts"])


def test_a_reset_stops_what_is_still_retrying(platform, receiver) -> None:
    hook(platform, receiver, retryDelaySeconds=0.3, maxAttempts=10)
    receiver.script(*[500] * 10)
    inject(platform, a_conversation(platform)["id"], "refund")
    receiver.wait_for(1)

    platform.reset()

    assert log(platform)["deliveries"] == []
    # The next attempt was due 0.3 s after the first: a second period with none is conclusive.
    assert receiver.nothing_more_within(len(receiver.received), 1.0)


# --- on command --------------------------------------------------------------------------------


def test_send_notifies_the_newest_seeded_message_with_a_keyword(platform, receiver) -> None:
    hook(platform, receiver, keywords=["lawyer"])

    sent = ok(control(platform, "POST", "/webhook/send", json={}))

    [received] = receiver.wait_for(1)
    payload = json.loads(received.body)["payload"]
    message = payload["most_recent_message"]
    assert sent["keywords"] == ["lawyer"] and message["id"] == sent["messageId"]
    assert "lawyer" in message["message"].lower()
    # The conversation as it was when the message arrived: that message last.
    assert payload["recent_messages"][-1] == message
    assert payload["updated_at"] == message["created_at"]
    assert NOTIFICATION_SCHEMA.is_valid(json.loads(received.body))


def test_send_repeats_one_notification_as_redeliveries(platform, receiver) -> None:
    hook(platform, receiver)
    conversation = a_conversation(platform)
    first = inject(platform, conversation["id"], "about that refund")["message"]
    inject(platform, conversation["id"], "thanks")  # a later message
    receiver.wait_for(1)

    body = {"messageId": str(first["id"]), "keyword": "refund", "repeat": 3}
    sent = ok(control(platform, "POST", "/webhook/send", json=body))

    received = receiver.wait_for(4)
    assert sent["messageId"] == first["id"] and sent["keywords"] == ["refund"]
    # The message as it arrived, each time: the same body as when it was first posted.
    assert {r.body for r in received} == {received[0].body}
    entries = [e for e in settled(platform, 4) if e["id"] in sent["deliveries"]]
    assert [entry["redelivery"] for entry in entries] == [False, True, True]
    assert len({entry["notification"] for entry in entries}) == 1


def test_send_refuses_what_it_cannot_send(platform, receiver) -> None:
    no_hook = control(platform, "POST", "/webhook/send", json={})
    hook(platform, receiver)
    unknown = control(platform, "POST", "/webhook/send", json={"messageId": 1})
    bad = control(platform, "POST", "/webhook/send", json={"messageId": "one", "repeat": 101})

    assert no_hook.status_code == 400 and "webhook" in no_hook.json()["data"]["fieldErrors"]
    assert unknown.status_code == 404
    assert set(bad.json()["data"]["fieldErrors"]) == {"messageId", "repeat"}


def test_send_only_a_keyword_the_message_contains(platform, receiver) -> None:
    hook(platform, receiver)
    message = inject(platform, a_conversation(platform)["id"], "hello there")["message"]

    response = control(
        platform, "POST", "/webhook/send", json={"messageId": message["id"], "keyword": "refund"}
    )

    assert response.status_code == 400
    assert "keyword" in response.json()["data"]["fieldErrors"]


# --- bursts ------------------------------------------------------------------------------------


def test_a_burst_posts_distinct_notifications_and_redeliveries(platform, receiver) -> None:
    hook(platform, receiver)

    burst = ok(control(platform, "POST", "/webhook/burst",
                       json={"count": 40, "redeliveryShare": 0.25}))  # fmt: skip

    received = receiver.wait_for(40)
    bodies = [json.loads(r.body) for r in received]
    distinct = {json.dumps(body, sort_keys=True) for body in bodies}
    assert (burst["deliveries"], burst["distinct"], burst["redeliveries"]) == (40, 30, 10)
    assert len(distinct) == 30 and receiver.nothing_more_within(40, 0.3)
    assert all(NOTIFICATION_SCHEMA.is_valid(body) for body in bodies)
    entries = settled(platform, 40)
    assert log(platform, burst=burst["burst"])["summary"] == {
        "total": 40, "pending": 0, "delivered": 40, "failed": 0, "redeliveries": 10,
    }  # fmt: skip
    # A redelivery repeats an earlier notification of the burst, byte for byte.
    first_of = {}
    for entry in entries:
        if entry["redelivery"]:
            assert entry["notification"] in first_of
            assert entry["body"] == first_of[entry["notification"]]
        else:
            first_of[entry["notification"]] = entry["body"]
    # Its messages are real: each in its conversation, with the keyword it was posted for.
    payload = bodies[0]["payload"]
    thread = ok(platform.http.get(f"/naxon/conversations/{payload['id']}", headers=TOKEN))
    assert thread["most_recent_message"] == payload["most_recent_message"]
    assert payload["keyword"] in payload["most_recent_message"]["message"]


def test_a_burst_keeps_its_pace(platform, receiver) -> None:
    hook(platform, receiver)

    ok(control(platform, "POST", "/webhook/burst", json={"count": 11, "perSecond": 20}))

    received = receiver.wait_for(11)
    assert received[-1].at - received[0].at >= 0.45  # ten intervals of 50 ms, at least


def test_a_bad_burst_is_refused(platform, receiver) -> None:
    hook(platform, receiver)
    response = control(platform, "POST", "/webhook/burst",
                       json={"count": 0, "redeliveryShare": 1, "perSecond": -1})  # fmt: skip

    assert set(response.json()["data"]["fieldErrors"]) == {"count", "redeliveryShare", "perSecond"}


def test_clearing_the_log_ends_a_burst(platform, receiver) -> None:
    hook(platform, receiver)
    receiver.script(*[(204, 0.05)] * 5)
    burst = ok(control(platform, "POST", "/webhook/burst", json={"count": 5000, "perSecond": 50}))
    receiver.wait_for(5)

    ok(control(platform, "DELETE", "/deliveries"))

    assert log(platform)["deliveries"] == []
    sent = len(receiver.received)
    assert sent < burst["deliveries"] and receiver.nothing_more_within(sent + 1, 0.5)


# --- two processes -----------------------------------------------------------------------------


def test_triggers_in_both_processes_are_delivered_and_logged_once(platform, receiver) -> None:
    """The sandbox serves from two processes: whichever takes a trigger delivers it, and the
    shared log, read through either, lists every delivery."""
    hook(platform, receiver)
    ids = [row["id"] for row in ok(
        platform.http.get("/naxon/conversations", headers=TOKEN, params={"per_page": 12})
    )["data"]]  # fmt: skip

    def trigger(conversation_id: int) -> list[int]:
        with httpx.Client(base_url=platform.url) as own:  # a connection each: both workers
            path = f"{CONTROL}/conversations/{conversation_id}/messages"
            return ok(own.post(path, json={"message": "refund please"}))["deliveries"]

    with ThreadPoolExecutor(6) as pool:
        delivery_ids = [i for ids_ in pool.map(trigger, ids) for i in ids_]

    receiver.wait_for(12)
    entries = settled(platform, 12)
    assert sorted(entry["id"] for entry in entries) == sorted(delivery_ids)
    assert {json.loads(r.body)["payload"]["id"] for r in receiver.received} == set(ids)
    assert all(entry["state"] == "delivered" for entry in entries)
