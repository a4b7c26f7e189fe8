"""LivePerson's webhooks at /hooks/liveperson/<hook id>/: signature checked in constant time (a
bad one is 401 and logged without the body), answered at once, redeliveries ignored, and a
consumer's reply in a broadcast's conversation shown on the broadcast's page as "replied"."""

import json
import logging

import pytest

from dashboard.broadcasts.models import Broadcast, BroadcastConversation, BroadcastReply
from dashboard.integrations.models import Integration
from dashboard.jobs import engine
from dashboard.jobs.kinds import ItemSpec
from dashboard.platforms.liveperson_records import signature_for
from tests.broadcasts.channels import (
    consumer_reply,
    set_up_liveperson,
    set_webhook,
)
from tests.broadcasts.helpers import broadcast_id_from
from tests.broadcasts.test_channels import CONSUMERS, compose_liveperson
from tests.broadcasts.test_sending import start
from tests.jobs.fixtures import wait_until
from tests.jobs.helpers import finished

CONVERSATION = "5c9f3b2e-1d4a-4e6b-9f8c-7a2d1e0b3c4f"
REPLY = "Yes please, the blue one"


def hook() -> tuple[str, str]:
    """The hook's path and its secret."""
    integration = Integration.objects.get(kind=Integration.Kind.LIVEPERSON)
    return (
        f"/hooks/liveperson/{integration.setting('hook_id')}/",
        integration.secrets()["webhook_secret"],
    )


def broadcast_with_conversation(tenant_id: str, conversation_id: str = CONVERSATION) -> Broadcast:
    job = engine.create_job(
        kind="broadcast.liveperson", title="Shipped", tenant_id=tenant_id, created_by=None,
        params={"channel": "liveperson", "audience": "csv"},
    )  # fmt: skip
    engine.add_items(job, [ItemSpec(CONSUMERS[0], "Jane Cooper")])
    broadcast = Broadcast.objects.create(
        job=job, name="Shipped", message="Your order has shipped", channel="liveperson",
        audience="csv",
    )  # fmt: skip
    BroadcastConversation.objects.create(
        broadcast=broadcast, item_key=CONSUMERS[0], conversation_id=conversation_id
    )
    return broadcast


def messaging_event(
    text: str = REPLY, sequence: int = 1, conversation_id: str = CONVERSATION, **change
) -> bytes:
    body = {
        "kind": "notification",
        "type": "ms.MessagingEventNotification",
        "body": {
            "changes": [
                {
                    "sequence": sequence,
                    "originatorId": "c0ffee",
                    "originatorMetadata": {"id": "c0ffee", "role": "CONSUMER"},
                    "serverTimestamp": 1_765_000_000_000 + sequence,
                    "event": {"type": "ContentEvent", "message": text, "contentType": "text/plain"},
                    "conversationId": conversation_id,
                    "dialogId": conversation_id,
                    **change,
                }
            ]
        },
    }
    return json.dumps(body).encode()


def post(client, path: str, body: bytes, signature: str | None):
    headers = {"X-Liveperson-Signature": signature} if signature else {}
    return client.post(path, body, content_type="application/json", headers=headers)


@pytest.fixture
def lp(manager_client, platform):
    set_up_liveperson(manager_client)
    tenant_id = Integration.objects.get(kind=Integration.Kind.LIVEPERSON).tenant_id
    return broadcast_with_conversation(tenant_id)


@pytest.mark.django_db
def test_a_signed_reply_shows_on_the_broadcast_as_replied(client, manager_client, lp):
    path, secret = hook()
    body = messaging_event()

    response = post(client, path, body, signature_for(secret, body))

    assert response.status_code == 200
    (reply,) = BroadcastReply.objects.all()
    assert reply.text == REPLY and reply.conversation.broadcast == lp
    page = manager_client.get(f"/broadcasts/{lp.pk}/").content.decode()
    assert "replied" in page and REPLY in page and "Jane Cooper" in page


@pytest.mark.django_db
def test_a_redelivery_is_acknowledged_and_kept_once(client, lp):
    path, secret = hook()
    body = messaging_event()
    again = messaging_event(serverTimestamp=1)  # another body, the same message

    answers = [post(client, path, b, signature_for(secret, b)) for b in (body, body, again)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[1].json() == {"status": "duplicate"}
    assert BroadcastReply.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("signature", [None, "sha1=AAAA", "sha256=x", "garbage"])
def test_a_bad_signature_is_401_and_logged_without_the_body(client, lp, caplog, signature):
    path, secret = hook()
    body = messaging_event()

    with caplog.at_level(logging.WARNING, logger="dashboard.broadcasts.hooks"):
        response = post(client, path, body, signature)

    assert response.status_code == 401
    assert not BroadcastReply.objects.exists()
    assert "bad signature" in caplog.text and REPLY not in caplog.text


@pytest.mark.django_db
def test_a_signature_with_another_secret_is_refused(client, lp):
    path, _ = hook()
    body = messaging_event()

    assert post(client, path, body, signature_for("another secret", body)).status_code == 401


@pytest.mark.django_db
def test_unknown_hooks_other_methods_and_big_bodies(client, lp):
    path, secret = hook()
    big = messaging_event(text="x" * 300_000)

    assert post(client, "/hooks/liveperson/nope/", b"{}", "sha1=x").status_code == 404
    assert client.get(path).status_code == 405
    assert post(client, path, big, signature_for(secret, big)).status_code == 413
    assert post(client, path, b"not json", signature_for(secret, b"not json")).status_code == 400


@pytest.mark.django_db
def test_the_connectors_own_messages_are_not_replies(client, lp):
    path, secret = hook()
    own = messaging_event(originatorClientProperties={"type": "CUSTOM", "appId": "x"})
    agent = messaging_event(
        sequence=2, originatorMetadata={"id": "agent", "role": "ASSIGNED_AGENT"}
    )

    for body in (own, agent):
        assert post(client, path, body, signature_for(secret, body)).status_code == 200

    assert not BroadcastReply.objects.exists()


@pytest.mark.django_db
def test_another_workspaces_hook_cannot_reach_this_conversation(client, lp):
    other = Integration(
        tenant_id="another-workspace", kind=Integration.Kind.LIVEPERSON,
        config={"account_id": "1", "hook_id": "other-hook"},
    )  # fmt: skip
    other.store_secrets({"webhook_secret": "their secret"})
    other.save()
    body = messaging_event()

    response = post(
        client, "/hooks/liveperson/other-hook/", body, signature_for("their secret", body)
    )

    assert response.status_code == 200
    assert not BroadcastReply.objects.exists()


@pytest.mark.django_db
def test_a_state_change_is_noted(client, lp):
    path, secret = hook()
    body = json.dumps(
        {
            "kind": "notification",
            "type": "cqm.ExConversationChangeNotification",
            "body": {
                "changes": [
                    {
                        "type": "UPSERT",
                        "result": {
                            "convId": CONVERSATION,
                            "conversationDetails": {"state": "CLOSE", "brandId": "90233546"},
                        },
                    }
                ]
            },
        }
    ).encode()

    assert post(client, path, body, signature_for(secret, body)).status_code == 200
    assert BroadcastConversation.objects.get(conversation_id=CONVERSATION).state == "CLOSE"


@pytest.mark.django_db(transaction=True)
def test_a_consumers_reply_through_the_sandbox_reaches_the_report(
    manager_client, live_console, platform, worker
):
    """The whole way: a broadcast sent by the worker, LivePerson's webhook pointed at the live
    console, a consumer's reply injected at the sandbox."""
    set_up_liveperson(manager_client)
    path, secret = hook()
    set_webhook(platform, live_console.url + path, secret)
    broadcast_id = broadcast_id_from(compose_liveperson(manager_client, CONSUMERS[:2]))
    job = start(manager_client, broadcast_id)
    wait_until(lambda: finished(job.pk), "the broadcast to finish")
    conversation = BroadcastConversation.objects.get(
        broadcast_id=broadcast_id, item_key=CONSUMERS[1]
    )

    consumer_reply(platform, conversation.conversation_id, REPLY)

    reply = wait_until(lambda: BroadcastReply.objects.first(), "the reply to arrive")
    assert reply.text == REPLY and reply.conversation == conversation
    page = manager_client.get(f"/broadcasts/{broadcast_id}/").content.decode()
    assert REPLY in page and "replied" in page
    assert BroadcastReply.objects.count() == 1  # the broadcast's own messages are not replies
