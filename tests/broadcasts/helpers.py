"""Setting up integrations and composing broadcasts through the console."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dashboard.broadcasts.models import Broadcast
from dashboard.integrations.models import Integration
from dashboard.jobs import engine
from sandbox.connectiveone.credentials import API_KEY, ENTRY_ALIAS, MAIN_BOT_ID
from tests.fixtures import sandbox as sandbox_fixtures

SENDER_EMAIL = "priya@example.com"  # an agent of the demo workspace (not the signed-in one)


def set_up_connectiveone(client: Any, platform: Any, rate_limit: float = 400) -> None:
    """The sandbox's ConnectiveOne as the workspace's integration, at `rate_limit` requests a
    second (all workers together)."""
    response = client.post(
        "/integrations/connectiveone/",
        {
            "base_url": platform.url + "/connectiveone",
            "auth_mode": "api_key",
            "api_key": API_KEY,
            "rate_limit": str(rate_limit),
        },
    )
    assert response.status_code == 303, response.content.decode()[:800]


def set_up_sender(client: Any, email: str = SENDER_EMAIL) -> None:
    response = client.post(
        "/integrations/connextlive/", {"email": email, "password": sandbox_fixtures.DEMO_PASSWORD}
    )
    assert response.status_code == 303, response.content.decode()[:800]


def compose(client: Any, **fields: Any) -> Any:
    data = {
        "name": "Spring news",
        "message": "Hello from the spring sale!",
        "channel": "connextlive",
        "audience": "conversations",
        "conversation_status": "all",
        **fields,
    }
    return client.post("/broadcasts/new/", data)


def days_ago(days: float) -> str:
    """A `datetime-local` value: the seed has about 20 chats a day, so a few days is a small
    audience and the whole seed (no start) is about 2,400."""
    return (timezone.now() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def compose_to_chats(client: Any, **fields: Any) -> Any:
    return compose(
        client,
        channel="connectiveone",
        audience="chats",
        bot_id=str(MAIN_BOT_ID),
        connector_alias=ENTRY_ALIAS,
        **fields,
    )


def broadcast_id_from(response: Any) -> int:
    assert response.status_code == 302, response.content.decode()[:1500]
    return int(response["Location"].rstrip("/").split("/")[-1])


def integration(kind: str) -> Integration:
    return Integration.objects.get(kind=kind)


def sample_keys(broadcast_id: int) -> list[str]:
    """The recipients a test send may pick (the dry run's sample), as the page offers them."""
    return [entry["key"] for entry in Broadcast.objects.get(pk=broadcast_id).sample if entry["key"]]


def draft_broadcast(user: Any, name: str, message: str, **fields: Any) -> Broadcast:
    """A draft broadcast of `user`'s workspace on its job, as the compose page leaves it: to
    Connextlive conversations unless `fields` say otherwise."""
    job = engine.create_job(
        kind="broadcast", title=name, tenant_id=user.tenant_id, created_by=user, params={}
    )
    fields = {
        "channel": Broadcast.Channel.CONNEXTLIVE,
        "audience": Broadcast.Audience.CONVERSATIONS,
        **fields,
    }
    return Broadcast.objects.create(job=job, name=name, message=message, **fields)
