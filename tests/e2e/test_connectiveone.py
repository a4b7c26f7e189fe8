"""ConnectiveOne's chats and tickets in a real browser: filters and sorting update the table and
the URL, paging through limit and offset, a chat's page from the table, and an agent reading the
same pages. All under the strict CSP, without a console error."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.platforms.connectiveone import ApiKeyAuth, ConnectiveOneClient
from sandbox.connectiveone.credentials import API_KEY
from tests.connectiveone.helpers import connect_connectiveone
from tests.e2e.test_visitors import sign_in
from tests.fixtures import sandbox as sandbox_fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def chat_rows(page):
    return page.locator("#chat-rows tr")


def test_filter_sort_page_and_open_a_chat(page, live_console, sandbox):
    api = ConnectiveOneClient(sandbox.url + "/connectiveone", ApiKeyAuth(API_KEY))
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    connect_connectiveone(sandbox_fixtures.MANAGER_EMAIL, sandbox.url)
    page.get_by_role("link", name="ConnectiveOne").click()
    expect(chat_rows(page)).to_have_count(25)

    page.get_by_label("Status").select_option("closed")
    expect(page).to_have_url(re.compile(r"/connectiveone/chats/\?status=closed$"))
    page.get_by_label("Sort").select_option("updatedAt")
    expect(page).to_have_url(re.compile(r"status=closed&sort=updatedAt$"))
    page.get_by_label("Rows per page").select_option("10")
    expect(page).to_have_url(re.compile(r"status=closed&sort=updatedAt&limit=10$"))
    page.get_by_role("link", name="Page 2").click()
    expect(page).to_have_url(re.compile(r"status=closed&sort=updatedAt&page=2&limit=10$"))
    expected = api.list_chat_rooms(status="closed", sort="updatedAt", order="asc", limit=10,
                                   offset=10).items  # fmt: skip
    expect(page.locator("#chat-pager")).to_contain_text("Showing 11–20")
    expect(chat_rows(page).first.get_by_role("link")).to_have_text(
        expected[0].user_name or f"+{expected[0].phone}"
    )

    chat_rows(page).first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/connectiveone/chats/{expected[0].id}/$"))
    expect(page.get_by_role("heading", name="Tickets")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"page=2&limit=10$"))
    assert page.console_problems == []


def test_tickets_by_priority_and_an_agent_reads_them(page, live_console, sandbox):
    sign_in(page, sandbox_fixtures.MANAGER_EMAIL)
    connect_connectiveone(sandbox_fixtures.MANAGER_EMAIL, sandbox.url)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, sandbox_fixtures.AGENT_EMAIL)

    page.goto("/connectiveone/tickets/")
    page.get_by_label("Priority").select_option("high")

    expect(page).to_have_url(re.compile(r"/connectiveone/tickets/\?priority=high$"))
    rows = page.locator("#ticket-rows tr")
    expect(rows.first).to_contain_text("High")
    for cell in rows.locator("td:nth-child(4)").all_inner_texts():
        assert cell.strip() == "High"
    expect(page.get_by_text("read only")).to_be_visible()
    assert page.console_problems == []
