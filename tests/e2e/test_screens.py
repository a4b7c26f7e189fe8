"""The navigation on a phone (390 px): folded behind a Menu button that is a real button, usable
by keyboard, that says whether it is open; on a laptop (1366 px) the links show at once."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_every_page import LAPTOP, PHONE
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_the_navigation_is_a_menu_usable_by_keyboard(page, live_console):
    page.set_viewport_size(PHONE)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/")
    navigation = page.get_by_role("navigation", name="Main")
    menu = navigation.get_by_role("button", name="Menu: Visitors")
    conversations = navigation.get_by_role("link", name="Conversations")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(conversations).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(conversations).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Tab")  # into the open menu: its first link
    expect(navigation.get_by_role("link", name="Overview")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(conversations).to_be_hidden()

    page.keyboard.press("Space")
    conversations.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
    expect(navigation.get_by_role("button", name="Menu: Conversations")).to_have_attribute(
        "aria-expanded", "false"
    )
    assert page.console_problems == []


def test_on_a_laptop_the_links_show_and_the_menu_button_does_not(page, live_console):
    page.set_viewport_size(LAPTOP)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/")
    navigation = page.get_by_role("navigation", name="Main")

    expect(navigation.get_by_role("link", name="Conversations")).to_be_visible()
    expect(navigation.get_by_role("button")).to_be_hidden()


def test_on_a_phone_a_table_row_is_a_card_of_labelled_values(page, live_console):
    page.set_viewport_size(PHONE)
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/?search=jane.cooper%40example.net")
    row = page.locator("#visitor-rows tr").first

    expect(row.locator("td").nth(1)).to_have_attribute("data-label", "Phone")
    box = row.bounding_box()
    assert box["width"] <= PHONE["width"]
    phone, last_seen = row.locator("td").nth(1), row.locator("td").nth(7)
    assert phone.bounding_box()["y"] < last_seen.bounding_box()["y"]  # stacked, not side by side

    # The rows an htmx swap brings are labelled too.
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press_sequentially("example", delay=20)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#visitor-rows tr td:nth-child(8)").first).to_have_attribute(
        "data-label", "Last seen"
    )
