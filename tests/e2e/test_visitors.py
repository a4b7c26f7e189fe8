"""Visitors in a real browser: search as you type (the URL follows, back restores it), open a
profile, edit tags as chips, and a live table that refreshes only while visible and never under
the user's focus. All under the strict CSP, without a console error."""

import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(sandbox_fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def visitor_rows(page):
    return page.locator("#visitor-rows tr")


def set_visibility(page, state: str) -> None:
    """What a browser does when the tab is hidden or shown (DevTools evaluation, not page JS)."""
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_search_as_you_type_then_open_a_profile_and_come_back(page, live_console):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/")
    expect(visitor_rows(page)).to_have_count(25)

    page.get_by_label("Search").press_sequentially("jane.cooper@example.net", delay=30)

    expect(page).to_have_url(re.compile(r"/visitors/\?search=jane.cooper%40example.net$"))
    expect(visitor_rows(page)).to_have_count(1)
    page.get_by_role("link", name="Jane Cooper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jane Cooper")
    expect(page.get_by_text("jane.cooper@example.net").first).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(r"/visitors/\?search=jane.cooper%40example.net$"))
    expect(page.get_by_label("Search")).to_have_value("jane.cooper@example.net")
    expect(visitor_rows(page)).to_have_count(1)
    assert page.console_problems == []


def test_filters_and_paging_update_the_table_and_the_url(page, live_console):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/")

    page.get_by_label("Presence").select_option("true")
    expect(page).to_have_url(re.compile(r"isOnline=true"))
    page.get_by_label("Rows per page").select_option("10")
    expect(visitor_rows(page)).to_have_count(10)
    page.get_by_role("link", name="Page 2").click()
    expect(page).to_have_url(re.compile(r"isOnline=true&page=2&limit=10$"))
    expect(page.locator("#visitor-pager")).to_contain_text("Showing 11–20")
    page.get_by_role("combobox", name="Tags").fill("vi")
    page.get_by_role("option", name="vip", exact=True).click()
    expect(page).to_have_url(re.compile(r"isOnline=true&tags=vip&limit=10$"))  # back to page 1
    assert page.console_problems == []


def test_editing_tags_as_chips(page, live_console, sandbox):
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    jane = truth.list_visitors(search="jane.cooper@example.net").items[0]
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto(f"/visitors/{jane.id}/")
    chips = page.locator("#visitor-tags li.tag")
    expect(chips).to_have_count(len(jane.tags))

    page.get_by_label("Add a tag").fill("follow-up")
    page.get_by_label("Add a tag").press("Enter")

    expect(chips).to_have_count(len(jane.tags) + 1)
    expect(chips.last).to_contain_text("follow-up")
    expect(page.get_by_label("Add a tag")).to_be_focused()  # ready for the next one
    assert truth.get_visitor(jane.id).tags == [*jane.tags, "follow-up"]

    page.get_by_role("button", name="Remove tag vip").click()

    expect(chips).to_have_count(len(jane.tags))
    expect(page.locator("#visitor-tags")).not_to_contain_text("vip")
    assert "vip" not in truth.get_visitor(jane.id).tags
    assert page.console_problems == []


def test_the_table_stays_live_only_while_visible_and_not_under_focus(page, live_console, sandbox):
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    jane = truth.list_visitors(search="jane.cooper@example.net").items[0]
    refreshes: list[str] = []
    page.on(
        "request",
        lambda r: refreshes.append(r.url) if r.headers.get("hx-target") == "visitor-rows" else None,
    )
    with mock.patch("dashboard.visitors.views.LIVE_REFRESH_SECONDS", 1):
        sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
        page.goto("/visitors/?search=jane.cooper@example.net")
        expect(page.get_by_role("link", name="Jane Cooper")).to_be_visible()

        # Visible: a change on the platform shows up by itself.
        truth.update_visitor(jane.id, user_name="Jane Live")
        expect(page.get_by_role("link", name="Jane Live")).to_be_visible(timeout=5000)

        # Hidden: no refresh at all. Absence can only be shown by waiting a few periods.
        set_visibility(page, "hidden")
        page.wait_for_timeout(300)  # let an in-flight refresh finish
        before = len(refreshes)
        truth.update_visitor(jane.id, user_name="Jane Hidden")
        page.wait_for_timeout(2500)
        assert len(refreshes) == before
        expect(page.get_by_role("link", name="Jane Live")).to_be_visible()

        # Visible again: refreshed at once.
        set_visibility(page, "visible")
        expect(page.get_by_role("link", name="Jane Hidden")).to_be_visible(timeout=3000)

        # Focus inside the table: the rows are left alone until it leaves.
        page.get_by_role("link", name="Jane Hidden").focus()
        truth.update_visitor(jane.id, user_name="Jane Later")
        page.wait_for_timeout(2500)
        expect(page.get_by_role("link", name="Jane Hidden")).to_be_focused()
        page.get_by_label("Search").focus()
        expect(page.get_by_role("link", name="Jane Later")).to_be_visible(timeout=3000)
    assert page.console_problems == []
