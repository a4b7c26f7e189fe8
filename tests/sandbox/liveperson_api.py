"""Raw calls to the LivePerson emulator, spelled as seeds/004 writes them, for the sandbox's
tests: tokens, the CONVERSATION batch, SEND payloads, and the control endpoints."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
from tests.fixtures.sandbox import Sandbox

BASE = "/liveperson"


def token_url(account_id: str = ACCOUNT_ID) -> str:
    return f"{BASE}/sentinel/api/account/{account_id}/app/token"


def consumer_url(account_id: str = ACCOUNT_ID) -> str:
    return f"{BASE}/api/account/{account_id}/consumer"


def conversation_url(account_id: str = ACCOUNT_ID) -> str:
    return f"{BASE}/api/account/{account_id}/messaging/consumer/conversation"


def send_url(account_id: str = ACCOUNT_ID) -> str:
    return conversation_url(account_id) + "/send"


def open_batch(profile: dict | None = None, **request: Any) -> list[dict[str, Any]]:
    return [
        {"kind": "req", "id": "1,", "type": "userprofile.SetUserProfile", "body": profile or {}},
        {"kind": "req", "id": 2, "type": "cm.ConsumerRequestConversation",
         "body": {"brandId": ACCOUNT_ID, "channelType": "MESSAGING", **request}},
    ]  # fmt: skip


def publish(conversation_id: str, message: str, req_id: Any = "1") -> dict[str, Any]:
    return {
        "kind": "req",
        "id": req_id,
        "type": "ms.PublishEvent",
        "body": {
            "dialogId": conversation_id,
            "event": {"type": "ContentEvent", "contentType": "text/plain", "message": message},
        },
    }


def update_field(conversation_id: str, field: dict[str, Any], req_id: Any = 5) -> dict[str, Any]:
    return {
        "kind": "req",
        "id": req_id,
        "type": "cm.UpdateConversationField",
        "body": {"conversationId": conversation_id, "conversationField": field},
    }


CLOSE = {"field": "ConversationStateField", "conversationState": "CLOSE"}


@dataclass
class LivePersonApi:
    sandbox: Sandbox
    account_id: str = ACCOUNT_ID

    @property
    def http(self) -> httpx.Client:
        return self.sandbox.http

    def app_token(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> str:
        response = self.http.post(
            token_url(self.account_id),
            params={"v": "1.0", "grant_type": "client_credentials"},
            data={"client_id": client_id, "client_secret": client_secret},
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def consumer_token(self, app_jwt: str, ext_consumer_id: str) -> str:
        response = self.http.post(
            consumer_url(self.account_id),
            params={"v": "1.0"},
            headers={"Authorization": app_jwt},
            json={"ext_consumer_id": ext_consumer_id},
        )
        assert response.status_code == 201, response.text
        return response.json()["token"]

    def post(self, url: str, body: Any, app_jwt: str | None, consumer_jws: str | None,
             version: str = "3") -> httpx.Response:  # fmt: skip
        headers = {}
        if app_jwt is not None:
            headers["Authorization"] = app_jwt
        if consumer_jws is not None:
            headers["X-LP-ON-BEHALF"] = consumer_jws
        return self.http.post(url, params={"v": version}, headers=headers, json=body)

    def consumer(self, ext_consumer_id: str) -> "Consumer":
        app_jwt = self.app_token()
        return Consumer(self, app_jwt, self.consumer_token(app_jwt, ext_consumer_id))


@dataclass
class Consumer:
    """One consumer's tokens, and calls made on its behalf."""

    api: LivePersonApi
    app_jwt: str
    jws: str

    def open(self, **request: Any) -> httpx.Response:
        url = conversation_url(self.api.account_id)
        return self.api.post(url, open_batch(**request), self.app_jwt, self.jws)

    def open_id(self, **request: Any) -> str:
        response = self.open(**request)
        assert response.status_code == 200, response.text
        return response.json()[1]["body"]["conversationId"]

    def send(self, payload: Any) -> httpx.Response:
        return self.api.post(send_url(self.api.account_id), payload, self.app_jwt, self.jws)


# --- control endpoints -------------------------------------------------------------------------


def set_webhook(sandbox: Sandbox, url: str, secret: str, **more: Any) -> None:
    response = sandbox.http.post(
        "/__sandbox__/liveperson/webhook", json={"url": url, "secret": secret, **more}
    )
    assert response.status_code == 200, response.text


def conversations(sandbox: Sandbox, **params: str) -> list[dict[str, Any]]:
    response = sandbox.http.get("/__sandbox__/liveperson/conversations", params=params)
    assert response.status_code == 200, response.text
    return response.json()["conversations"]


def deliveries(sandbox: Sandbox) -> list[dict[str, Any]]:
    response = sandbox.http.get("/__sandbox__/liveperson/webhook-deliveries")
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]


def deliveries_once(
    sandbox: Sandbox, done: Callable[[list[dict[str, Any]]], bool], timeout: float = 15.0
) -> list[dict[str, Any]]:
    """The delivery log once `done(log)` holds. A delivery is logged after its receiver has
    answered, so a hook can arrive a moment before its line in the log: poll, up to a deadline."""
    give_up = time.monotonic() + timeout
    while not done(logged := deliveries(sandbox)):
        assert time.monotonic() < give_up, f"delivery log incomplete after {timeout} s: {logged}"
        time.sleep(0.05)
    return logged


def reply(sandbox: Sandbox, conversation_id: str, message: str, **more: Any) -> httpx.Response:
    return sandbox.http.post(
        "/__sandbox__/liveperson/consumer-reply",
        json={"conversationId": conversation_id, "message": message, **more},
    )
