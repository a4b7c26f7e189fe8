"""Accessibility in a real browser: axe-core finds no serious or critical violation in the states
htmx swaps in (every page's first load is checked by test_every_page.py), and the visitors' tag
filter is a searchable multi-select that costs one Tab stop however many tags the workspace
knows."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def focused_name(page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el.labels && el.labels[0];
            const by = el.getAttribute("aria-labelledby");
            return (label && label.textContent.trim())
                || (by && document.getElementById(by).textContent.trim())
                || el.getAttribute("aria-label") || el.tagName;
        }"""
    )


def test_the_tag_filter_is_one_tab_stop_and_works_by_keyboard(page, live_console):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/")
    tags = page.get_by_role("combobox", name="Tags")
    expect(tags).to_be_visible()
    assert page.locator('#visitor-filters input[type="checkbox"]').count() > 5  # many known tags

    page.get_by_label("Site").focus()
    page.keyboard.press("Tab")
    expect(tags).to_be_focused()
    page.keyboard.press("Tab")
    assert focused_name(page) == "Rows per page"  # every known tag skipped at once

    tags.focus()
    page.keyboard.type("VI")  # searching ignores case
    expect(page.get_by_role("listbox", name="Tags")).to_be_visible()
    expect(page.get_by_role("option", name="vip", exact=True)).to_be_visible()
    assert_accessible(page)  # the open list box
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"tags=vip"))
    expect(page.get_by_role("button", name="Remove vip")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox", name="Tags")).to_be_hidden()

    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")  # clears the typed text
    page.keyboard.press("Backspace")  # and then removes the last chosen tag
    expect(page).not_to_have_url(re.compile(r"tags="))
    expect(page.get_by_role("button", name="Remove vip")).to_have_count(0)

    page.keyboard.type("brand-new-tag")
    page.keyboard.press("Enter")  # a tag nobody has yet: still a filter
    expect(page).to_have_url(re.compile(r"tags=brand-new-tag"))
    expect(page.locator("#visitor-rows tr")).to_have_count(1)  # the row saying none match
    assert_accessible(page)
    assert page.console_problems == []


def test_no_violation_after_htmx_swaps(page, live_console):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    page.goto("/visitors/")
    page.get_by_label("Search").press_sequentially("jane", delay=20)  # the table fragment
    expect(page).to_have_url(re.compile(r"search=jane"))
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

    page.goto("/conversations/")
    page.get_by_role("link", name="Waiting").click()  # a tab: the table and its counts
    expect(page).to_have_url(re.compile(r"status=WAITING"))
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

    page.goto("/keys/new/")
    page.get_by_role("button", name="Create key").click()  # the form again, with its errors
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert page.console_problems == []
