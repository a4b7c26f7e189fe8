"""An agent on a conversation, through the agent API: the paged history, replies with text and
attachments (count, size and type checked before the call; the platform's refusal shown all the
same), resolving, marking read, and transferring only as the assignee."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.directory import known_agents
from dashboard.audit.models import AuditEvent
from tests.conversations.helpers import agent_api, agent_user_id, find_conversation, tenant
from tests.visitors.helpers import calls_to, htmx, query_of

pytestmark = pytest.mark.django_db

SEND = r"/api/agent/conversations/[^/]+/messages$"


def events(action):
    return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def mine(console_platform):
    """An open conversation assigned to the demo agent."""
    me = agent_user_id(console_platform)
    return find_conversation(console_platform, lambda c: c.agent_id == me and c.status != "CLOSED")


@pytest.fixture
def theirs(console_platform):
    """An open conversation assigned to another agent of the workspace."""
    me = agent_user_id(console_platform)
    return find_conversation(
        console_platform, lambda c: c.agent_id not in (None, me) and c.status != "CLOSED"
    )


@pytest.fixture
def colleague(console_platform):
    me = agent_user_id(console_platform)
    return next(a for a in tenant(console_platform).list_agents().agents if a.id != me)


def url(conversation, action: str = "") -> str:
    return f"/conversations/{conversation.id}/" + (f"{action}/" if action else "")


def reply_headers(conversation):
    return htmx("conversation-reply", f"http://testserver{url(conversation)}")


# A valid 1x1 PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def png(name: str = "screenshot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def last_message(platform, conversation):
    api = agent_api(platform)
    total_pages = api.list_messages(conversation.id, limit=1).total_pages
    return api.list_messages(conversation.id, page=total_pages, limit=1).items[-1]


# --- reading ------------------------------------------------------------------------------


def test_the_history_comes_from_the_paged_messages_endpoint(agent_client, console_platform, mine):
    console_platform.clear_requests()

    html = agent_client.get(url(mine)).content.decode()

    (call,) = calls_to(console_platform, "GET", r"/api/agent/conversations/[^/]+/messages$")
    assert query_of(call)["limit"] == ["50"] and query_of(call)["page"] == ["1"]
    messages = agent_api(console_platform).list_messages(mine.id).items
    assert all(f'datetime="{m.created_at.isoformat()}"' in html for m in messages)
    assert 'name="content"' in html and 'name="attachments"' in html


def test_transfer_targets_are_colleagues_not_the_agent_itself(agent_client, console_platform, mine):
    me = agent_user_id(console_platform)

    html = agent_client.get(url(mine)).content.decode()

    offered = re.findall(r'<option value="(usr_[^"]+)"', html)
    assert offered and me not in offered


def test_transfer_targets_are_the_workspaces_agents_once_a_manager_read_them(
    agent_client, manager_client, console_platform, mine
):
    me = agent_user_id(console_platform)
    workspace = tenant(console_platform).get_workspace().tenant_id
    roster = tenant(console_platform).list_agents().agents
    assert known_agents(workspace) is None

    manager_client.get("/agents/")  # a manager's session reads the roster
    html = agent_client.get(url(mine)).content.decode()

    assert {agent_id for agent_id, _ in known_agents(workspace)} == {a.id for a in roster}

    offered = re.findall(r'<option value="(usr_[^"]+)"', html)
    assert sorted(offered) == sorted(a.id for a in roster if a.id != me)


# --- replying -----------------------------------------------------------------------------


def test_a_text_reply_is_sent_and_claims_the_conversation(agent_client, console_platform, theirs):
    response = agent_client.post(
        url(theirs, "reply"), {"content": "On it!"}, headers=reply_headers(theirs)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Message sent." in html and html.lstrip().startswith('<section id="conversation-reply"')
    message = last_message(console_platform, theirs)
    assert (message.sender_type, message.content) == ("AGENT", "On it!")
    after = tenant(console_platform).get_conversation(theirs.id)
    assert after.agent_id == agent_user_id(console_platform) and after.status == "ACTIVE"
    assert re.search(r'id="conversation-messages"[^>]*hx-swap-oob="true"', html)
    assert "On it!" in html  # the new message is in the refreshed history
    (event,) = events("conversation.reply")
    assert event.outcome == "success"
    assert event.changes == {"message": [None, "6 characters"]}


def test_a_reply_with_attachments(agent_client, console_platform, mine):
    pdf = SimpleUploadedFile(
        "guide.pdf", b"%PDF-1.4 guide", content_type="application/octet-stream"
    )

    response = agent_client.post(
        url(mine, "reply"),
        {"content": "Please see the attached guide", "attachments": [png(), pdf]},
        headers=reply_headers(mine),
    )

    assert response.status_code == 200
    message = last_message(console_platform, mine)
    assert message.message_type == "FILE"
    assert [(a.file_name, a.mime_type) for a in message.attachments] == [
        ("screenshot.png", "image/png"),
        ("guide.pdf", "application/pdf"),  # a generic type is named by its extension
    ]
    (event,) = events("conversation.reply")
    assert "2 attachments: screenshot.png, guide.pdf" in event.changes["message"][1]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([png(f"p{i}.png") for i in range(6)], "Attach at most 5 files to one message (6 chosen)."),
        (
            [SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1), "application/pdf")],
            "“big.pdf” is 10.0 MB; each file may be at most 10 MB.",
        ),
        (
            [SimpleUploadedFile("notes.txt", b"hello", "text/plain")],
            "“notes.txt” is not an allowed type.",
        ),
        (
            [SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")],
            "“run.exe” is not an allowed type.",
        ),
    ],
    ids=["too-many", "too-large", "wrong-type", "unknown-extension"],
)
def test_attachments_outside_the_documented_limits_are_refused_before_the_call(
    agent_client, console_platform, mine, files, message
):
    console_platform.clear_requests()

    response = agent_client.post(
        url(mine, "reply"),
        {"content": "see files", "attachments": files},
        headers=reply_headers(mine),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert "Nothing was sent." in html and "see files</textarea>" in html
    assert calls_to(console_platform, "POST", SEND) == []
    assert events("conversation.reply") == []


def test_an_empty_reply_is_refused(agent_client, console_platform, mine):
    response = agent_client.post(url(mine, "reply"), {"content": "  "}, headers=reply_headers(mine))

    assert response.status_code == 422
    assert "Write a message or attach a file." in response.content.decode()


def test_when_the_platform_still_refuses_its_words_are_shown(agent_client, console_platform, mine):
    console_platform.set_faults(errorRate=1, errorStatus=400, paths=SEND)

    response = agent_client.post(
        url(mine, "reply"),
        {"content": "hello", "attachments": [png()]},
        headers=reply_headers(mine),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Connextlive refused the message: Bad Request" in html
    (event,) = events("conversation.reply")
    assert event.outcome == "failure"


def test_without_javascript_a_refused_reply_shows_the_page_with_the_text(
    agent_client, console_platform, mine
):
    response = agent_client.post(
        url(mine, "reply"),
        {"content": "keep me", "attachments": [png(f"{i}.png") for i in range(6)]},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and "keep me</textarea>" in html


# --- transfer, resolve, mark read ---------------------------------------------------------


def test_the_assignee_transfers_to_a_colleague(agent_client, console_platform, mine, colleague):
    response = agent_client.post(
        url(mine, "assign"),
        {"agent_id": colleague.id},
        headers=htmx("conversation-panel", f"http://testserver{url(mine)}"),
    )

    assert response.status_code == 200
    assert f"Transferred to {colleague.name}." in response.content.decode()
    assert tenant(console_platform).get_conversation(mine.id).agent_id == colleague.id
    (event,) = events("conversation.transfer")
    assert event.outcome == "success" and event.changes["agent"][1] == colleague.name


def test_a_transfer_by_someone_else_shows_the_platforms_refusal_clearly(
    agent_client, console_platform, theirs, colleague
):
    target = colleague.id if colleague.id != theirs.agent_id else agent_user_id(console_platform)

    response = agent_client.post(
        url(theirs, "assign"), {"agent_id": target}, headers=htmx("conversation-panel")
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Only the agent this conversation is assigned to can transfer it" in html
    assert "(Connextlive: " in html
    assert tenant(console_platform).get_conversation(theirs.id).agent_id == theirs.agent_id
    (event,) = events("conversation.transfer")
    assert event.outcome == "failure"


def test_an_agent_resolves(agent_client, console_platform, mine):
    agent_client.post(url(mine, "resolve"), headers=htmx("conversation-panel"))

    assert tenant(console_platform).get_conversation(mine.id).status == "CLOSED"
    assert events("conversation.resolve")[0].outcome == "success"


def test_an_agent_marks_read(agent_client, console_platform):
    unread = find_conversation(console_platform, lambda c: c.unread_count and c.status != "CLOSED")

    agent_client.post(url(unread, "mark-read"), headers=htmx("conversation-panel"))

    assert tenant(console_platform).get_conversation(unread.id).unread_count == 0
    assert events("conversation.mark_read")[0].changes == {"unread": [unread.unread_count, 0]}
