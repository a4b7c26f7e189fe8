"""Conversations in a real browser: a manager assigns and resolves one (the page and the counts
follow), an agent replies with an attachment. Under the strict CSP, without a console error."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import platform_as
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def count_in(page, container: str, label: str):
    return page.locator(container).get_by_role("link", name=re.compile(rf"^{label} "))


def test_a_manager_assigns_then_resolves_a_conversation(page, live_console, sandbox):
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    waiting = next(c for c in truth.iter_conversations(status="WAITING") if c.agent_id is None)
    closed_before = truth.list_conversations(status="CLOSED", limit=1).total
    agent = truth.list_agents().agents[1]
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)

    page.goto("/conversations/?status=WAITING")
    page.locator(f'a[href="/conversations/{waiting.id}/"]').click()
    expect(page.locator("#conversation-header")).to_contain_text("Unassigned")

    page.get_by_label("Assign to").select_option(agent.id)
    page.get_by_role("button", name="Assign").click()

    expect(page.get_by_role("status").filter(has_text=f"Assigned to {agent.name}.")).to_be_visible()
    expect(page.locator("#conversation-header")).to_contain_text(f"Assigned to {agent.name}")
    assert truth.get_conversation(waiting.id).agent_id == agent.id

    page.get_by_role("button", name="Resolve").click()

    expect(page.get_by_role("status").filter(has_text="Conversation resolved.")).to_be_visible()
    expect(page.locator("#conversation-header")).to_contain_text("Closed")
    expect(count_in(page, "#conversation-counts", "Closed")).to_contain_text(str(closed_before + 1))
    expect(page.get_by_role("button", name="Resolve")).to_be_disabled()
    assert truth.get_conversation(waiting.id).status == "CLOSED"
    assert page.console_problems == []


def test_tabs_and_search_update_the_table_and_the_url(page, live_console, sandbox):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/conversations/")

    count_in(page, "#conversation-tabs", "Closed").click()

    expect(page).to_have_url(re.compile(r"/conversations/\?status=CLOSED$"))
    expect(page.locator("#conversation-rows")).not_to_contain_text("Waiting")
    page.get_by_label("Search").press_sequentially("refund", delay=30)
    expect(page).to_have_url(re.compile(r"status=CLOSED&search=refund$"))
    assert page.console_problems == []


def test_an_agent_replies_with_an_attachment(page, live_console, sandbox):
    agent_api = platform_as(sandbox, sandbox_fixtures.AGENT_EMAIL).agent
    me = agent_api.profile().id
    mine = next(
        c for c in agent_api.iter_conversations(statuses=["active", "waiting"]) if c.agent_id == me
    )
    sign_in(page, sandbox_fixtures.AGENT_EMAIL)
    page.goto(f"/conversations/{mine.id}/")

    page.get_by_role("textbox", name="Message").fill("Here is the screenshot you asked for.")
    page.get_by_label("Attachments").set_input_files(
        {"name": "screenshot.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("status").filter(has_text="Message sent.")).to_be_visible()
    history = page.locator("#conversation-messages")
    expect(history).to_contain_text("Here is the screenshot you asked for.")
    expect(history.get_by_role("link", name="screenshot.png")).to_be_visible()
    expect(page.get_by_role("textbox", name="Message")).to_have_value("")
    pages = agent_api.list_messages(mine.id, limit=1).total_pages
    last = agent_api.list_messages(mine.id, page=pages, limit=1).items[-1]
    assert last.content == "Here is the screenshot you asked for."
    assert [a.file_name for a in last.attachments] == ["screenshot.png"]
    assert page.console_problems == []


def test_an_agent_is_told_why_a_file_is_refused(page, live_console, sandbox):
    agent_api = platform_as(sandbox, sandbox_fixtures.AGENT_EMAIL).agent
    conversation = agent_api.list_conversations(limit=1).items[0]
    sign_in(page, sandbox_fixtures.AGENT_EMAIL)
    page.goto(f"/conversations/{conversation.id}/")

    page.get_by_role("textbox", name="Message").fill("a script")
    page.get_by_label("Attachments").set_input_files(
        {"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}
    )
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("alert")).to_contain_text("“tool.exe” is not an allowed type.")
    expect(page.get_by_role("textbox", name="Message")).to_have_value("a script")
    # The browser logs the 422 answer as a failed resource load; that is the only problem.
    assert all("422" in problem for problem in page.console_problems)
