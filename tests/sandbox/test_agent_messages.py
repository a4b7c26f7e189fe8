"""Agent — messages: the oldest-first list with attachment URLs, and sending (JSON or
multipart) with its side effects and limits."""

import httpx
import pytest

from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL, Sandbox
from tests.sandbox.helpers import assert_error, ok

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _conversations(sandbox: Sandbox, token: str, **params: object) -> list[dict]:
    params = {"limit": 50, **params}
    return ok(sandbox.api("GET", "/api/agent/conversations", token, params=params))["conversations"]


def _messages(sandbox: Sandbox, token: str, conversation_id: str, **params: object) -> dict:
    path = f"/api/agent/conversations/{conversation_id}/messages"
    return ok(sandbox.api("GET", path, token, params=params))


def _send(sandbox: Sandbox, token: str, conversation_id: str, **kwargs: object):
    return sandbox.api(
        "POST", f"/api/agent/conversations/{conversation_id}/messages", token, **kwargs
    )


def _with_attachments(sandbox: Sandbox, token: str) -> tuple[str, list[dict]]:
    for conversation in _conversations(sandbox, token):
        messages = _messages(sandbox, token, conversation["id"], limit=100)["messages"]
        files = [attachment for message in messages for attachment in message["attachments"]]
        if files:
            return conversation["id"], files
    raise AssertionError("the seed has no attachments")


def test_messages_are_oldest_first_with_page_and_limit(sandbox: Sandbox, agent: str) -> None:
    conversation = max(_conversations(sandbox, agent), key=lambda item: item["messageCount"])
    everything = _messages(sandbox, agent, conversation["id"], limit=100)

    assert (everything["page"], everything["total"]) == (1, conversation["messageCount"])
    created = [message["createdAt"] for message in everything["messages"]]
    assert created == sorted(created)
    first_page = _messages(sandbox, agent, conversation["id"], limit=3)
    second_page = _messages(sandbox, agent, conversation["id"], limit=3, page=2)
    assert first_page["messages"] + second_page["messages"] == everything["messages"][:6]
    assert first_page["totalPages"] == -(-conversation["messageCount"] // 3)


def test_the_messages_defaults_and_cap(sandbox: Sandbox, agent: str) -> None:
    conversation = _conversations(sandbox, agent)[0]
    assert _messages(sandbox, agent, conversation["id"])["limit"] == 50
    assert _messages(sandbox, agent, conversation["id"], limit=101)["limit"] == 100
    for params in [{"page": 0}, {"limit": 0}, {"page": "x"}]:
        path = f"/api/agent/conversations/{conversation['id']}/messages"
        assert_error(sandbox.api("GET", path, agent, params=params), 400)


def test_attachment_urls_serve_the_file_with_its_type(sandbox: Sandbox, agent: str) -> None:
    _, files = _with_attachments(sandbox, agent)
    for attachment in files:
        assert attachment["url"].startswith(sandbox.connextlive_url + "/files/")
        response = httpx.get(attachment["url"])
        assert response.status_code == 200
        assert response.headers["content-type"] == attachment["mimeType"]
        assert len(response.content) == attachment["size"]
        signature = b"\x89PNG" if attachment["mimeType"] == "image/png" else b"%PDF"
        assert response.content.startswith(signature)
    assert {attachment["mimeType"] for attachment in files} <= {"image/png", "application/pdf"}
    wrong_name = files[0]["url"].rsplit("/", 1)[0] + "/other.png"
    assert_error(httpx.get(wrong_name), 404)


def test_sending_text_claims_the_conversation_and_sets_it_active(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    me = ok(platform.api("GET", "/api/agent/profile", agent))
    waiting = next(
        item for item in _conversations(platform, agent, status="waiting") if not item["agentId"]
    )

    message = ok(_send(platform, agent, waiting["id"], json={"content": "Hi! How can I help?"}))

    assert message["senderType"] == "AGENT" and message["senderId"] == me["id"]
    assert (message["messageType"], message["attachments"]) == ("TEXT", [])
    assert message["conversationId"] == waiting["id"]
    after = ok(platform.api("GET", f"/api/agent/conversations/{waiting['id']}", agent))
    assert (after["status"], after["agentId"]) == ("ACTIVE", me["id"])
    assert after["lastMessage"]["content"] == "Hi! How can I help?"
    assert _messages(platform, agent, waiting["id"], limit=100)["messages"][-1] == message


def test_sending_reopens_a_closed_conversation(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    closed = _conversations(platform, agent, status="closed")[0]
    ok(_send(platform, agent, closed["id"], json={"content": "One more thing"}))
    after = ok(platform.api("GET", f"/api/agent/conversations/{closed['id']}", agent))
    assert (after["status"], after["closedAt"]) == ("ACTIVE", None)


def test_an_offline_visitor_with_an_email_is_told_by_email(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversations = _conversations(platform, agent)
    offline = next(
        c for c in conversations if not c["visitor"]["isOnline"] and c["visitor"]["userEmail"]
    )
    online = next((c for c in conversations if c["visitor"]["isOnline"]), None)

    ok(_send(platform, agent, offline["id"], json={"content": "We shipped it"}))
    if online is not None:
        ok(_send(platform, agent, online["id"], json={"content": "Live reply"}))

    [email] = platform.outbox()
    assert email["to"] == offline["visitor"]["userEmail"]
    assert email["kind"] == "offline-visitor-message"
    assert email["body"] == "We shipped it"


def test_multipart_with_files_is_a_file_message(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _conversations(platform, agent)[0]
    files = [
        ("attachments", ("guide.pdf", PDF, "application/pdf")),
        ("attachments", ("photo.png", PNG, "image/png")),
        ("attachments", ("notes.docx", b"PK\x03\x04docx", DOCX)),
    ]

    message = ok(
        _send(platform, agent, conversation["id"], data={"content": "See attached"}, files=files)
    )

    assert message["messageType"] == "FILE"
    assert message["content"] == "See attached"
    assert [(a["fileName"], a["mimeType"], a["size"]) for a in message["attachments"]] == [
        ("guide.pdf", "application/pdf", len(PDF)),
        ("photo.png", "image/png", len(PNG)),
        ("notes.docx", DOCX, 8),
    ]
    assert httpx.get(message["attachments"][0]["url"]).content == PDF


def test_a_file_alone_is_enough_and_its_type_can_come_from_its_name(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _conversations(platform, agent)[0]
    files = [
        ("attachments", ("archive.zip", b"PK\x05\x06" + b"\x00" * 18, "application/octet-stream"))
    ]
    message = ok(_send(platform, agent, conversation["id"], files=files))
    assert message["messageType"] == "FILE"
    assert message["attachments"][0]["mimeType"] == "application/zip"


@pytest.mark.parametrize(
    "name, expected",
    [("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\temp\\report.pdf", "report.pdf")],
)
def test_a_hostile_file_name_is_reduced_to_a_safe_last_component(
    platform: Sandbox, name: str, expected: str
) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _conversations(platform, agent)[0]
    files = [("attachments", (name, PDF, "application/pdf"))]
    message = ok(_send(platform, agent, conversation["id"], files=files))
    attachment = message["attachments"][0]
    assert attachment["fileName"] == expected
    assert httpx.get(attachment["url"]).content == PDF


@pytest.mark.parametrize(
    "files, message",
    [
        ([("attachments", (f"f{i}.png", PNG, "image/png")) for i in range(6)], "Too many"),
        ([("attachments", ("big.pdf", b"%PDF" + b"0" * (10 * MB), "application/pdf"))], "10 MB"),
        ([("attachments", ("run.exe", b"MZ", "application/x-msdownload"))], "unsupported type"),
        ([("attachments", ("page.html", b"<script>", "text/html"))], "unsupported type"),
        ([("attachments", ("img.svg", b"<svg/>", "image/svg+xml"))], "unsupported type"),
    ],
)
def test_attachment_limits_are_400_with_a_clear_message(
    platform: Sandbox, files: list, message: str
) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _conversations(platform, agent)[0]

    response = _send(platform, agent, conversation["id"], data={"content": "x"}, files=files)

    assert message in assert_error(response, 400)["statusMessage"]
    after = _messages(platform, agent, conversation["id"], limit=100)
    assert after["total"] == conversation["messageCount"]


def test_exactly_five_files_of_10_mb_are_accepted(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _conversations(platform, agent)[0]
    big = b"%PDF" + b"0" * (10 * MB - 4)
    files = [("attachments", (f"part{i}.pdf", big, "application/pdf")) for i in range(5)]
    message = ok(_send(platform, agent, conversation["id"], files=files))
    assert [a["size"] for a in message["attachments"]] == [10 * MB] * 5


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {}},
        {"json": {"content": ""}},
        {"json": {"content": "   \n"}},
        {"data": {"content": ""}, "files": [("other", ("a.txt", b"a", "text/plain"))]},
        {"json": {"content": 5}},
        {"json": {"content": "hi", "messageType": "SYSTEM"}},
        {"json": {"content": "x" * 10_001}},
    ],
)
def test_an_empty_or_mistyped_message_is_400(platform: Sandbox, kwargs: dict) -> None:
    agent = platform.login(AGENT_EMAIL)
    conversation = _conversations(platform, agent)[0]
    assert_error(_send(platform, agent, conversation["id"], **kwargs), 400)


def test_the_tenant_sees_what_the_agent_sent(platform: Sandbox) -> None:
    agent = platform.login(AGENT_EMAIL)
    manager = platform.login(MANAGER_EMAIL)
    conversation = _conversations(platform, agent)[0]
    sent = ok(_send(platform, agent, conversation["id"], json={"content": "Visible to all"}))
    detail = ok(platform.api("GET", f"/api/tenant/conversations/{conversation['id']}", manager))
    assert detail["messages"][-1] == sent
