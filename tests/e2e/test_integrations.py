"""The integrations page in a real browser: the ConnectiveOne card shows only the chosen way of
authenticating's fields, a save says at once whether the credentials work, and "Remove…" asks
first. Strict CSP, no console error."""

import pytest
from playwright.sync_api import expect

from sandbox.connectiveone.credentials import API_KEY
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_connectiveone_shows_the_chosen_sign_in_fields_checks_on_save_and_asks_before_removal(
    page, live_console, sandbox
):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/integrations/")
    card = page.locator("#connectiveone-card")

    # API key is the default way: its field only.
    expect(card.get_by_label("API key", exact=True)).to_be_visible()
    expect(card.get_by_label("Operator email")).to_be_hidden()
    expect(card.get_by_label("External token")).to_be_hidden()
    card.get_by_label("Authenticate with").select_option("login")
    expect(card.get_by_label("Operator email")).to_be_visible()
    expect(card.get_by_label("Operator password")).to_be_visible()
    expect(card.get_by_label("API key", exact=True)).to_be_hidden()
    card.get_by_label("Authenticate with").select_option("api_key")

    card.get_by_label("Instance URL").fill(sandbox.url + "/connectiveone")
    card.get_by_label("API key", exact=True).fill("not-the-key")
    card.get_by_role("button", name="Save").click()
    expect(page.get_by_text("ConnectiveOne saved, but the connection check failed")).to_be_visible()
    expect(page.locator("#connectiveone-check")).to_contain_text(
        "ConnectiveOne refused these credentials"
    )

    card = page.locator("#connectiveone-card")
    card.get_by_label("API key", exact=True).fill(API_KEY)
    card.get_by_role("button", name="Save").click()
    expect(page.get_by_text("ConnectiveOne saved. Connected: the instance lists")).to_be_visible()

    page.locator("#connectiveone-card").get_by_role("link", name="Remove…").click()
    expect(page.get_by_role("heading", name="Remove ConnectiveOne?")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("#connectiveone-card").get_by_role("link", name="Remove…")).to_be_visible()
    page.locator("#connectiveone-card").get_by_role("link", name="Remove…").click()
    page.get_by_role("button", name="Remove ConnectiveOne").click()
    expect(page.get_by_text("ConnectiveOne removed.")).to_be_visible()
    expect(page.locator("#connectiveone-card").get_by_role("link", name="Remove…")).to_have_count(0)
    assert page.console_problems == []
