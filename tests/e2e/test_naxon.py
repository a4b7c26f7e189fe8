"""Naxon AI in a real browser: a manager connects it on /integrations/, browses a model's
conversations in a date range (days in the workspace's zone), opens a thread, makes the keyword
webhook URL, and sees an alert the sandbox fires appear in the feed without reloading the page.
Under the strict CSP, without a console error."""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from dashboard.alerts.models import KeywordAlert
from dashboard.platforms.base import ClientOptions
from dashboard.platforms.naxon import NaxonClient
from sandbox.naxon.credentials import API_TOKEN, WEB_CHAT_MODEL_ID
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_YORK = ZoneInfo("America/New_York")  # the demo workspace's zone in the sandbox's seed


def test_a_manager_connects_naxon_reads_a_thread_and_sees_an_alert_arrive(
    page, live_console, sandbox
):
    naxon = NaxonClient(sandbox.url + "/naxon", API_TOKEN, options=ClientOptions())
    sample = naxon.list_conversations(model_id=WEB_CHAT_MODEL_ID, per_page=30).items[12]
    day = sample.created_at.astimezone(NEW_YORK).date()
    in_range = naxon.list_conversations(
        model_id=WEB_CHAT_MODEL_ID,
        since=sample.created_at.astimezone(NEW_YORK).replace(hour=0, minute=0, second=0),
        until=sample.created_at.astimezone(NEW_YORK).replace(hour=23, minute=59, second=59),
        per_page=100,
    )
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)

    # Connect Naxon AI, and test the connection.
    page.goto("/integrations/")
    card = page.locator("#naxon-card")
    card.get_by_label("API base URL").fill(sandbox.url + "/naxon")
    card.get_by_label("API token").fill(API_TOKEN)
    card.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Naxon AI saved.")).to_be_visible()
    page.locator("#naxon-card").get_by_role("button", name="Test connection").click()
    expect(page.locator("#naxon-check")).to_contain_text("Connected: the account has 7 models.")
    expect(page.get_by_label("API token")).to_have_value("")  # write-only

    # Make the keyword webhook URL, and give it to (the sandbox's) Naxon.
    page.get_by_role("button", name="Create webhook URL").click()
    hook_url = page.locator("#alert-hook-url").input_value()
    page.locator("#alert-hook-card").get_by_role("button", name="Copy").click()
    # Copied, or selected for Ctrl+C where the browser refuses the clipboard.
    expect(page.locator("#copy-status")).to_have_text(re.compile("clipboard|Ctrl\\+C"))
    assert re.fullmatch(rf"{re.escape(live_console.url)}/hooks/naxon/[\w-]{{43}}/", hook_url)
    answer = sandbox.http.post(
        "/__sandbox__/naxon/webhook", json={"url": hook_url, "keywords": ["lawyer"]}
    )
    assert answer.status_code == 200, answer.text

    # A model's conversations in a date range, typed in the workspace's zone.
    page.get_by_role("link", name="Naxon AI", exact=True).first.click()
    page.get_by_role("link", name="Acme Web Chat").click()
    expect(page.get_by_role("heading", name="Acme Web Chat")).to_be_visible()
    # htmx binds the filters' change triggers once the page has loaded: a change typed before
    # that would go unheard (seen on a loaded machine).
    page.wait_for_load_state("load")
    page.get_by_label("From").fill(day.isoformat())
    expect(page).to_have_url(re.compile(rf"since={day}"), timeout=15_000)  # one change, one request
    page.get_by_label("To").fill(day.isoformat())
    expect(page).to_have_url(re.compile(rf"since={day}&until={day}"), timeout=15_000)
    expect(page.locator("#naxon-table-title")).to_have_text(
        f"{in_range.total_rows} conversation{'' if in_range.total_rows == 1 else 's'}"
    )
    local = sample.created_at.astimezone(NEW_YORK)
    expect(page.locator("#naxon-rows")).to_contain_text(
        f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"
    )

    # The whole thread.
    page.locator(f'a[href="/naxon/conversations/{sample.id}/"]').click()
    expect(page.get_by_role("heading", name=f"Conversation {sample.id}")).to_be_visible()
    thread = list(naxon.iter_messages(sample.id))
    expect(page.locator("#naxon-thread .chat-item")).to_have_count(len(thread))
    expect(page.locator("#naxon-thread")).to_contain_text(thread[-1].message[:40])

    # An alert fired by the platform appears in the open feed, without a reload.
    page.get_by_role("link", name="Alerts", exact=True).first.click()
    expect(page.locator("#alert-table-title")).to_contain_text("0 alerts")
    page.evaluate("window.stillTheSamePage = true")
    fired = sandbox.http.post(
        f"/__sandbox__/naxon/conversations/{sample.id}/messages",
        json={"message": "My lawyer will call you about this."},
    )
    assert fired.status_code == 200, fired.text

    row = page.locator("#alert-rows tr", has_text="lawyer")
    expect(row).to_be_visible(timeout=15_000)
    expect(row).to_contain_text("My lawyer will call you about this.")
    expect(row.get_by_role("link", name="Open the conversation")).to_have_attribute(
        "href", f"/naxon/conversations/{sample.id}/"
    )
    assert page.evaluate("window.stillTheSamePage") is True
    assert KeywordAlert.objects.count() == 1

    row.get_by_role("button", name="Mark handled").click()
    expect(page.locator("#alert-rows tr", has_text="lawyer")).to_contain_text(
        f"by {sandbox_fixtures.MANAGER_EMAIL}"
    )
    assert page.console_problems == [], page.console_problems
