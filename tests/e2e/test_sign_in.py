"""A manager signs in with a real browser, sees the overview with the sandbox's numbers, and
signs out; the page runs under the strict CSP without a single violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import platform_as
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_signs_in_sees_the_overview_and_signs_out(page, live_console, sandbox):
    truth = platform_as(sandbox, sandbox_fixtures.MANAGER_EMAIL).tenant
    workspace = truth.get_workspace().name
    stats = truth.list_visitors(limit=1).stats
    waiting = truth.list_conversations(status="WAITING", limit=1).total

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=%2F$"))
    page.get_by_label("Email").fill(sandbox_fixtures.MANAGER_EMAIL)
    page.get_by_label("Password").fill(sandbox_fixtures.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live_console.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(workspace)
    expect(page.locator("#figure-visitors-total")).to_have_text(str(stats.total))
    expect(page.locator("#figure-visitors-online")).to_have_text(str(stats.online))
    expect(page.locator("#figure-waiting")).to_have_text(str(waiting))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Overview")

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=%2F$"))
    assert page.console_problems == []


def test_wrong_password_shows_the_message_in_the_browser(page, live_console):
    page.goto("/login/")
    page.get_by_label("Email").fill(sandbox_fixtures.MANAGER_EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_have_text("Email or password is incorrect.")
    expect(page.get_by_label("Email")).to_have_value(sandbox_fixtures.MANAGER_EMAIL)
    expect(page.get_by_label("Password")).to_have_value("")
    assert page.console_problems == []
