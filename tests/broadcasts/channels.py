"""Setting up the UChat and LivePerson integrations through the console, and reading what the
sandbox received from the console on those platforms."""

from typing import Any

from sandbox.liveperson.credentials import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET
from sandbox.uchat.credentials import BOT_TOKEN


def set_up_uchat(
    client: Any, platform: Any, rate_limit: float = 400, token: str = BOT_TOKEN
) -> None:
    response = client.post(
        "/integrations/uchat/",
        {
            "base_url": platform.url + "/uchat/api",
            "bot_token": token,
            "rate_limit": str(rate_limit),
        },
    )
    assert response.status_code == 303, response.content.decode()[:800]


def set_up_liveperson(client: Any, rate_limit: float = 400, secret: str = CLIENT_SECRET) -> None:
    response = client.post(
        "/integrations/liveperson/",
        {
            "account_id": ACCOUNT_ID,
            "client_id": CLIENT_ID,
            "client_secret": secret,
            "rate_limit": str(rate_limit),
        },
    )
    assert response.status_code == 303, response.content.decode()[:800]


def uchat_sent(platform: Any, user_ns: str | None = None) -> list[dict]:
    params = {"userNs": user_ns} if user_ns else {}
    response = platform.http.get("/__sandbox__/uchat/sent", params=params)
    response.raise_for_status()
    return response.json()["sent"]


def liveperson_conversations(platform: Any, ext_consumer_id: str | None = None) -> list[dict]:
    params = {"accountId": ACCOUNT_ID}
    if ext_consumer_id:
        params["extConsumerId"] = ext_consumer_id
    response = platform.http.get("/__sandbox__/liveperson/conversations", params=params)
    response.raise_for_status()
    return response.json()["conversations"]


def set_webhook(platform: Any, url: str, secret: str) -> None:
    response = platform.http.post(
        "/__sandbox__/liveperson/webhook",
        json={"url": url, "secret": secret, "accountId": ACCOUNT_ID},
    )
    response.raise_for_status()


def consumer_reply(platform: Any, conversation_id: str, message: str) -> dict:
    response = platform.http.post(
        "/__sandbox__/liveperson/consumer-reply",
        json={"conversationId": conversation_id, "message": message},
    )
    response.raise_for_status()
    return response.json()
