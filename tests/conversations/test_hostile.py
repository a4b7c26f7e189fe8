"""The seed's hostile strings in visitor names and messages: shown as text in the conversation
list, its fragments, every conversation page and the fragments its actions answer with."""

import pytest

from sandbox.connextlive.hostile import HOSTILE_STRINGS
from tests.conversations.helpers import tenant
from tests.visitors.helpers import escaped_hostile_strings, htmx, unescaped_hostile_strings

pytestmark = pytest.mark.django_db


def hostile_conversations(platform):
    api = tenant(platform)
    found = []
    for summary in api.iter_conversations(status="all"):
        detail = api.get_conversation(summary.id)
        texts = [m.content for m in detail.messages] + [detail.visitor.user_name or ""]
        if set(texts) & set(HOSTILE_STRINGS):
            found.append(detail)
    return found


@pytest.mark.parametrize("target", [None, "conversation-table", "conversation-rows"])
def test_the_list_and_its_fragments(manager_client, agent_client, console_platform, target):
    headers = htmx(target) if target else {}

    for client in (manager_client, agent_client):
        html = client.get("/conversations/?limit=50", headers=headers).content.decode()
        assert unescaped_hostile_strings(html) == []
        assert escaped_hostile_strings(html)  # they were there


def test_every_conversation_page_with_hostile_content(
    manager_client, agent_client, console_platform
):
    conversations = hostile_conversations(console_platform)
    assert len(conversations) >= 10

    for conversation in conversations:
        for client in (manager_client, agent_client):
            html = client.get(f"/conversations/{conversation.id}/").content.decode()
            assert unescaped_hostile_strings(html) == [], conversation.id


def test_action_fragments(manager_client, agent_client, console_platform):
    conversation = hostile_conversations(console_platform)[0]
    base = f"/conversations/{conversation.id}"

    responses = [
        manager_client.post(f"{base}/mark-read/", headers=htmx("conversation-panel")),
        manager_client.post(f"{base}/status/", {"status": "nope"}, headers=htmx("x")),
        manager_client.get(f"{base}/delete/", headers=htmx("conversation-delete")),
        manager_client.get(f"{base}/delete/"),
        agent_client.post(f"{base}/reply/", {"content": HOSTILE_STRINGS[0]}, headers=htmx("x")),
        agent_client.post(f"{base}/reply/", {"content": ""}, headers=htmx("x")),
        manager_client.get(f"{base}/?page=1", headers=htmx("conversation-messages")),
    ]

    for response in responses:
        assert response.status_code in (200, 422)
        assert unescaped_hostile_strings(response.content.decode()) == []
